"""Test settings: fast hashing, local memory, English messages unless a test asks otherwise."""

from .base import *  # noqa: F403
from .base import env

SECRET_KEY = "haowu-test-secret"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LANGUAGE_CODE = "en"
MEDIA_ROOT = env.path("MEDIA_ROOT", default="/tmp/haowu-test-media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SERVE_MEDIA = True
HAOWU_SANDBOX_WEBHOOK_SECRET = "whsec_haowu_test"
HAOWU_SANDBOX_WEBHOOK_BASE_URL = "http://testserver"
# Search tests name their server themselves (tests/search/conftest.py); the rest of the
# suite runs on the database search whatever the environment says.
ELASTICSEARCH_URL = ""
HAOWU_SEARCH_REFRESH = True
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# The sandbox card gateway is offered only where it is named (never by default).
HAOWU_PAYMENT_METHODS = [code.strip() for code in env.list("HAOWU_PAYMENT_METHODS", default=["offline", "cod", "sandbox"])]
