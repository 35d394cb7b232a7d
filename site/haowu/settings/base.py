"""Settings shared by every environment; dev, test and production override only what differs."""

import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

# site/haowu/settings/base.py -> the checkout root
BASE_DIR = Path(__file__).resolve().parents[3]
PROJECT_DIR = BASE_DIR / "site" / "haowu"

env = environ.Env()

DEBUG = False
SECRET_KEY = env("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])

INSTALLED_APPS = [
    # Haowu
    "shop.catalogue",
    "shop.orders",
    "shop.cart",
    "shop.payments",
    "shop.customers",
    "shop.attribution",
    "content",
    "search",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.settings",
    "wagtail.contrib.search_promotions",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "haowu.middleware.RefuseNulMiddleware",
    # Headers on every answer, static files included (see "Security headers" below).
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "haowu.urls"
WSGI_APPLICATION = "haowu.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# DATABASE_URL chooses the database: a SQLite file by default, PostgreSQL past one machine.
DATABASES = {
    "default": env.db_url(
        "DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
    ),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite (the demo, one machine) has one writer at a time. A transaction that read
    # first and writes later (DEFERRED, the default) fails at once with "database is
    # locked" when another writer got in between; IMMEDIATE takes the write lock at BEGIN,
    # so concurrent requests queue for up to `timeout` seconds instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"transaction_mode": "IMMEDIATE", "timeout": 20})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Chinese first; readers whose browser asks for English get English.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", default="Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = env("STATIC_URL", default="/static/")
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = env("MEDIA_URL", default="/media/")
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

CACHES = {
    # Every click adds two small keys (rate limit, repeat check): Django's default of 300
    # entries would cull a third of the cache every few dozen clicks, buy-link targets
    # and facet counts with them. Production may point it at a shared cache (CACHE_URL).
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 50_000}},
    # Rendered offer markup, keyed by a hash of everything it shows (content/templatetags/
    # haowu_tags.py): entries never go stale, so each process keeps its own, bounded.
    "fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "haowu-fragments",
        "TIMEOUT": None,
        "OPTIONS": {"MAX_ENTRIES": 20_000},
    },
}

# One shared cache past one process (rate limits, buy-link targets, facet counts):
# CACHE_URL, e.g. redis://127.0.0.1:6379/0. Local memory (one process) without it.
if env("CACHE_URL", default=""):
    CACHES["default"] = env.cache_url("CACHE_URL")

# Wagtail's page editor posts many fields for long StreamFields.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

WAGTAIL_SITE_NAME = "Haowu 好物"
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILDOCS_EXTENSIONS = ["csv", "pdf", "txt", "xlsx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAIL_ENABLE_UPDATE_CHECK = False

# Haowu
HAOWU_CURRENCY = "CNY"
# A SKU with this many or fewer left shows "only N left".
HAOWU_LOW_STOCK_THRESHOLD = 5
# Where ES lives; empty means the database search fallback (issue: search).
ELASTICSEARCH_URL = env("ELASTICSEARCH_URL", default="")
# The alias readers and writers name; the index behind it is `<alias>-<timestamp>`.
HAOWU_SEARCH_INDEX = env("HAOWU_SEARCH_INDEX", default="haowu")
# Ask the server to make each bulk update searchable before answering (tests only).
HAOWU_SEARCH_REFRESH = False
# Days of search term counts `searchpromotions_garbage_collect` keeps: a quarter, so the
# Search terms report compares months, not only the last week (Wagtail's default).
WAGTAILSEARCH_HITS_MAX_AGE = 90

# django-tasks (shipped with Wagtail 8): search indexing and Wagtail's own tasks. Tasks
# run at once in the process that queued them; production may name a queue backend.
TASKS = {"default": {"BACKEND": env("TASKS_BACKEND", default="django_tasks.backends.immediate.ImmediateBackend")}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}
SERVE_MEDIA = False
# Unpaid orders give their stock back after this long (`manage.py expire_orders`).
HAOWU_UNPAID_ORDER_MINUTES = env.int("HAOWU_UNPAID_ORDER_MINUTES", default=30)
# A cart untouched for this many days is treated as empty.
HAOWU_CART_DAYS = env.int("HAOWU_CART_DAYS", default=30)

# Payments (shop/payments). The sandbox card gateway signs its webhooks with this secret
# (HMAC-SHA256, Stripe-style `X-Haowu-Signature: t=…,v1=…`); an empty secret refuses
# every webhook. The sandbox "provider" posts its webhooks to this base URL.
HAOWU_SANDBOX_WEBHOOK_SECRET = env("HAOWU_SANDBOX_WEBHOOK_SECRET", default="")
# Empty: each charge's webhooks go back to the address that created it (see the
# Payments section at the end).
HAOWU_SANDBOX_WEBHOOK_BASE_URL = env("HAOWU_SANDBOX_WEBHOOK_BASE_URL", default="")
# A signed webhook older (or newer) than this many seconds is refused as a replay.
HAOWU_WEBHOOK_TOLERANCE_SECONDS = 300

# Attribution capture (shop/attribution): /go/ clicks and beacon batches recorded per
# visitor (or session) per minute; above it /go/ still redirects but records nothing.
HAOWU_ATTRIBUTION_RATE_LIMIT_PER_MINUTE = env.int("HAOWU_ATTRIBUTION_RATE_LIMIT_PER_MINUTE", default=120)

# Attribution (shop/attribution): an order is credited to its customer's touches from
# this many days before it; time decay halves a touch's weight every half-life.
HAOWU_ATTRIBUTION_LOOKBACK_DAYS = env.int("HAOWU_ATTRIBUTION_LOOKBACK_DAYS", default=30)
HAOWU_ATTRIBUTION_HALF_LIFE_DAYS = env.int("HAOWU_ATTRIBUTION_HALF_LIFE_DAYS", default=7)

# --- Trust: who a request comes from, and the limits on what a stranger can trigger ---


def rate_setting(name: str, default: str) -> str:
    """A limit from the environment, written ``COUNT/PERIOD`` (``10/10m``: ten in ten
    minutes; periods ``s``, ``m``, ``h``, ``d``, optionally with a multiplier)."""
    value = env(name, default=default).strip()
    if not re.fullmatch(r"[1-9]\d*/\d*[smhd]", value):
        raise ImproperlyConfigured(f"{name} must look like 10/10m (a count, a slash, a period), not {value!r}.")
    return value


# Proxies (addresses or CIDR networks, comma-separated) whose X-Forwarded-For is
# believed; without any, the client address is the socket's peer (REMOTE_ADDR).
HAOWU_TRUSTED_PROXIES = env.list("HAOWU_TRUSTED_PROXIES", default=[])
# Failed order lookups (wrong number or e-mail) per client address.
HAOWU_LIMIT_ORDER_LOOKUP = rate_setting("HAOWU_LIMIT_ORDER_LOOKUP", "10/10m")
# Checkouts per client address (each holds stock until paid or expired).
HAOWU_LIMIT_CHECKOUT = rate_setting("HAOWU_LIMIT_CHECKOUT", "10/10m")
# Buy-link clicks recorded per client address, whatever cookies they carry.
HAOWU_LIMIT_CLICKS = rate_setting("HAOWU_LIMIT_CLICKS", "60/1m")
# Adds to a cart (page, API, buy links) per client address.
HAOWU_LIMIT_CART = rate_setting("HAOWU_LIMIT_CART", "60/1m")
# Beacon batches (article views and block impressions) per client address, however many
# readers share it behind a carrier NAT (each visitor has its own, smaller limit too).
HAOWU_LIMIT_BEACON = rate_setting("HAOWU_LIMIT_BEACON", "1200/1m")
# Unpaid orders one e-mail address may hold at once.
HAOWU_LIMIT_UNPAID_PER_EMAIL = env.int("HAOWU_LIMIT_UNPAID_PER_EMAIL", default=3)
# Limits count in the default cache (CACHE_URL: Redis past one process). If the cache
# cannot be reached, requests pass rather than every buyer being refused.
RATELIMIT_USE_CACHE = "default"
RATELIMIT_FAIL_OPEN = True

# --- Payments (shop/payments): which payment methods this installation offers ---
# Comma-separated PaymentMethod codes: offline (bank transfer), cod (cash on delivery),
# sandbox (the test card gateway). The default offers no sandbox, so a production
# server never takes fake card payments for real orders; dev and test add it. Unknown
# codes stop the process at start-up (shop.payments.apps).
HAOWU_PAYMENT_METHODS = [code.strip() for code in env.list("HAOWU_PAYMENT_METHODS", default=["offline", "cod"])]
# --- Buyers' personal data, accounts and e-mail (shop/orders, shop/customers, shop/mail.py) ---

# E-mail is sent by a background task after commit (shop/mail.py): this many attempts in
# all, the second after HAOWU_MAIL_RETRY_SECONDS, each further one twice as late (with a
# queue backend that can defer; the immediate backend retries at once).
HAOWU_MAIL_ATTEMPTS = env.int("HAOWU_MAIL_ATTEMPTS", default=5)
HAOWU_MAIL_RETRY_SECONDS = env.int("HAOWU_MAIL_RETRY_SECONDS", default=60)
# Seconds to wait for the mail server before an attempt counts as failed.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
# Days a signed order link (confirmation and lookup e-mails) opens the order; the
# signed-in owner keeps access from the account.
HAOWU_ORDER_LINK_DAYS = env.int("HAOWU_ORDER_LINK_DAYS", default=30)
# Pages and API answers with personal data: Cache-Control: private, no-store.
MIDDLEWARE += ["shop.customers.middleware.PrivatePagesMiddleware"]
# Sign-up forms posted per client address (each sends an e-mail).
HAOWU_LIMIT_SIGN_UP = rate_setting("HAOWU_LIMIT_SIGN_UP", "10/1h")

# Sign-in throttling for readers and the Wagtail admin (django-axes): after
# AXES_FAILURE_LIMIT failed sign-ins for one username, or from one client address
# (shop.limits.client_address: X-Forwarded-For only through HAOWU_TRUSTED_PROXIES),
# that username or address is refused with a 429 page for AXES_COOLOFF_MINUTES.
# Attempts are kept in the database (axes' tables), shared by every process.
INSTALLED_APPS += ["axes"]
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
MIDDLEWARE += ["axes.middleware.AxesMiddleware"]  # last, as axes asks
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "shop.limits.client_address"
AXES_USERNAME_CALLABLE = "shop.customers.services.customer_login_name"
AXES_LOCKOUT_CALLABLE = "shop.customers.views.locked_out"
AXES_RESET_ON_SUCCESS = True
# Haowu has no Django admin site (Wagtail's admin is the admin).
AXES_ENABLE_ADMIN = False

# --- Security headers (issue 13: headers and the API contract) ---


def _origin(url: str) -> str | None:
    """``https://cdn.example.com/static/`` → ``https://cdn.example.com``; a path → None."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


# Static files and media may live on another origin (a CDN): the policy names it.
_ASSET_ORIGINS = list(dict.fromkeys(filter(None, [_origin(STATIC_URL), _origin(MEDIA_URL)])))
# Where embedded players (video) may be framed from; empty forbids every frame.
HAOWU_CSP_FRAME_SRC = env.list("HAOWU_CSP_FRAME_SRC", default=[
    "https://www.youtube-nocookie.com", "https://player.vimeo.com", "https://player.bilibili.com",
])
# Reader pages run only our own script files and elements carrying the response's nonce:
# no inline script, event handler attribute or javascript: URL runs. Styles keep
# 'unsafe-inline' because block templates position hotspots and size comparison tables
# with style attributes (and the sandbox card page has a <style> element); a nonce in
# style-src would make browsers ignore 'unsafe-inline' and drop those attributes.
# Wagtail's admin (/admin/) relies on inline scripts and styles, so it is left out of this
# policy and keeps Wagtail's own rules; so are the API docs (/api/docs), whose Swagger UI
# page is django-ninja's own and loads its bundle from a CDN with an inline starter script.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/", "/api/docs"],
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE, *_ASSET_ORIGINS],
        "style-src": [SELF, UNSAFE_INLINE, *_ASSET_ORIGINS],
        "img-src": [SELF, "data:", *_ASSET_ORIGINS],
        "font-src": [SELF, *_ASSET_ORIGINS],
        "connect-src": [SELF],
        "frame-src": [SELF, *HAOWU_CSP_FRAME_SRC],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    },
}
# Wagtail's live preview frames our own pages, so same-origin framing stays allowed.
X_FRAME_OPTIONS = "SAMEORIGIN"
# Everywhere, not only in production: other sites learn our origin, never a page's path
# (order confirmation pages carry their number in the URL).
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
# Browser features no reader page uses are switched off for us and every frame we embed.
PERMISSIONS_POLICY = {
    "accelerometer": [], "autoplay": [], "browsing-topics": [], "camera": [], "display-capture": [],
    "fullscreen": ["self"], "geolocation": [], "gyroscope": [], "magnetometer": [], "microphone": [],
    "payment": [], "usb": [],
}
# HSTS (production sets SECURE_HSTS_SECONDS): covering subdomains or asking browsers to
# preload the domain cannot be undone quickly and can lock a whole domain out of plain
# HTTP, so both are opt-in from the environment.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)

# --- Page cache, /api/session and /healthz (issue 14: readers first, content/cache.py) ---
# Anonymous GETs of pages, product pages and the sitemap are answered from the default
# cache (CACHE_URL) and sent with Cache-Control: public, s-maxage=HAOWU_PAGE_CACHE_SECONDS;
# 0 turns the page cache off. Entries are checked against the catalogue on every hit.
HAOWU_PAGE_CACHE_SECONDS = env.int("HAOWU_PAGE_CACHE_SECONDS", default=300)
HAOWU_PAGE_CACHE_ALIAS = "default"
# Before the session middleware: a cached answer loads no session (and sends no Vary: Cookie).
MIDDLEWARE.insert(MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware"),
                  "content.cache.PageCacheMiddleware")
# Wagtail's frontend cache tells a CDN or proxy which URLs changed (publishing, prices,
# stock). HAOWU_CDN_PURGE_URL names an HTTP purge endpoint (Varnish, Squid, nginx); other
# CDNs (Cloudflare, CloudFront) are configured as WAGTAILFRONTENDCACHE backends here.
INSTALLED_APPS += ["wagtail.contrib.frontend_cache"]
WAGTAILFRONTENDCACHE = {}
if env("HAOWU_CDN_PURGE_URL", default=""):
    WAGTAILFRONTENDCACHE = {"default": {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": env("HAOWU_CDN_PURGE_URL"),
    }}
# Forms on cached pages get their token from /api/session; without JavaScript a missing
# token on those forms answers with a page that asks to confirm (with a token).
CSRF_FAILURE_VIEW = "shop.customers.csrf.csrf_failure"
