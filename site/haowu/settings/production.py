"""Production: everything that differs comes from the environment, and a missing or
development secret stops the process before it serves anything."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY or SECRET_KEY.startswith("django-insecure") or len(SECRET_KEY) < 40:
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 40 characters in production."
    )
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
DATABASES = {"default": env.db_url("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# W019: X_FRAME_OPTIONS is SAMEORIGIN for Wagtail's live preview (base.py). W005, W021:
# HSTS includeSubDomains and preload are deliberate opt-ins (SECURE_HSTS_INCLUDE_SUBDOMAINS,
# SECURE_HSTS_PRELOAD in the environment, base.py), not forgotten settings.
SILENCED_SYSTEM_CHECKS = ["security.W019", "security.W005", "security.W021"]

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Haowu <noreply@localhost>")

# The sandbox card gateway's webhook secret comes only from the environment. Unset, the
# sandbox's webhooks are refused (nothing is ever accepted with an empty key); set, it
# must be long enough to resist guessing.
HAOWU_SANDBOX_WEBHOOK_SECRET = env("HAOWU_SANDBOX_WEBHOOK_SECRET", default="")
if HAOWU_SANDBOX_WEBHOOK_SECRET and len(HAOWU_SANDBOX_WEBHOOK_SECRET) < 24:
    raise ImproperlyConfigured("HAOWU_SANDBOX_WEBHOOK_SECRET must be at least 24 characters long.")
