"""Local development: `make run`. SQLite, console e-mail, debug pages."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
# Only ever used on a developer's machine; production refuses to start with it.
SECRET_KEY = env("SECRET_KEY", default="django-insecure-haowu-dev-only")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
SERVE_MEDIA = True
# Template edits show at once: no cached offer markup while developing.
CACHES = {**CACHES, "fragments": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}  # noqa: F405
# Development only: the sandbox gateway's webhook secret (production reads the environment).
HAOWU_SANDBOX_WEBHOOK_SECRET = env("HAOWU_SANDBOX_WEBHOOK_SECRET", default="whsec_haowu_dev_only")
# The sandbox card gateway is offered only where it is named (never by default).
HAOWU_PAYMENT_METHODS = [code.strip() for code in env.list("HAOWU_PAYMENT_METHODS", default=["offline", "cod", "sandbox"])]
