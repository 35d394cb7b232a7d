"""The page cache: anonymous readers' pages (home, article index, articles, product pages,
the sitemap) answered from the shared cache (``CACHE_URL``), with ``Cache-Control: public,
s-maxage``, an ``ETag`` and ``Last-Modified`` so a CDN can hold them too.

What makes an entry safe to hand to anyone:

- Nothing personal is in it. Cart count, "signed in as", the consent banner's state and
  CSRF tokens come from ``GET /api/session`` (static/js/session.js). A response that sets
  a cookie (the CSRF cookie, a session) is never stored: that is how a page that still
  reads something personal shows up, and it then simply is not cached.
- Only anonymous visits without a pending message or a campaign to remember are served
  or stored: signed-in readers and editors, a landing with ``utm_*``/``?ref=`` (the
  session must keep it) and a reader with a message waiting get the page rendered.
- It is never stale. Each entry names the products it shows and a fingerprint of their
  price, stock, state and last edit; every hit compares it with the database (one query),
  so a price changed in the admin, the API or by a bare ``update()`` shows on the very
  next request. Publishing, unpublishing, moving or deleting any page, and renaming a
  brand, category or author, change the one ``generation`` every entry is checked
  against (home, indexes, navigation, product pages and the sitemap list pages). A CDN
  is told through Wagtail's frontend cache (``WAGTAILFRONTENDCACHE``), after commit.

The CSP nonce: an entry keeps the nonce its body was rendered with; a hit swaps in this
response's own nonce, and the CSP middleware (outside this one) sends it in the header.
"""

import hashlib
import time
from dataclasses import dataclass
from functools import partial
from importlib import import_module
from types import SimpleNamespace

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.db import transaction
from django.db.models import Count, Max
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils.cache import get_conditional_response
from django.utils.crypto import get_random_string
from django.utils.http import http_date
from django.utils.translation import get_language_from_request
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.views import serve as wagtail_serve

from shop.attribution.capture import campaign_in_request
from shop.catalogue.models import SKU, Product, StockState

GENERATION_KEY = "pagecache:generation"
_stock_state = SKU.stock_state.fget
#: Response headers that belong to one answer, never to a stored page.
UNSTORED_HEADERS = {"vary", "cache-control", "expires", "etag", "last-modified", "set-cookie",
                    "content-length", "date", "content-security-policy"}
CATALOGUE_PAGE = "catalogue:product"


def _cache():
    return caches[settings.HAOWU_PAGE_CACHE_ALIAS]


@dataclass(frozen=True)
class Entry:
    body: bytes
    headers: tuple[tuple[str, str], ...]
    nonce: str
    etag: str
    last_modified: float
    generation: str
    product_ids: tuple[int, ...]
    fingerprint: str


# --- What a page shows of the catalogue -------------------------------------------------


def _fingerprint(rows) -> str:
    """``rows``: (product id, title, slug, brand, updated at, sku id, price, compare-at
    price, stock, state) for every SKU shown (sku fields None for a product without SKUs)."""
    text = repr(sorted(tuple(str(value) for value in row) for row in rows))
    return hashlib.sha1(text.encode()).hexdigest()


def catalogue_fingerprint(*, product_ids) -> str:
    """The fingerprint of these products as the database holds them now: one query."""
    if not product_ids:
        return ""
    rows = []
    for pk, title, slug, brand, active, updated_at, sku_pk, price, compare_at, stock, sku_active in (
        Product.objects.filter(pk__in=product_ids).values_list(
            "pk", "title", "slug", "brand__name", "active", "updated_at", "skus__pk", "skus__price",
            "skus__compare_at_price", "skus__stock", "skus__active",
        )
    ):
        product = (pk, title, slug, brand, updated_at)
        if sku_pk is None:
            rows.append((*product, None, None, None, None, None))
            continue
        # The model's own rule, without building a model instance per row on every hit.
        state = _stock_state(SimpleNamespace(stock=stock, active=sku_active)) if active else StockState.UNAVAILABLE
        rows.append((*product, sku_pk, price, compare_at, stock, state))
    return _fingerprint(rows)


def offers_fingerprint(offers) -> str:
    """The fingerprint of the offers a page was rendered from (``OfferMap``): exactly what
    it shows, so a change committed while it rendered can never hide behind it."""
    rows = []
    for offer in offers:
        item = offer.product
        product = (item.pk, item.title, item.slug, item.brand.name if item.brand_id else None, item.updated_at)
        if not offer.skus:
            rows.append((*product, None, None, None, None, None))
        for sku in offer.skus:
            rows.append((*product, sku.id, sku.price, sku.compare_at_price, sku.stock, sku.state))
    return _fingerprint(rows)


def _sitemap_fingerprint() -> str:
    # The sitemap lists every product and when it last changed.
    return _fingerprint([tuple(Product.objects.aggregate(Count("pk"), Max("pk"), Max("updated_at")).values())])


# --- Which requests may be answered from the cache --------------------------------------


def _cacheable_view(match) -> bool:
    return match.func is wagtail_serve or match.func is sitemap or match.view_name == CATALOGUE_PAGE


def _session_is_personal(request) -> bool:
    """A signed-in reader (or editor), or one with a message waiting. Read from the
    session store directly: this middleware runs before the session middleware, so a
    cached answer never touches ``request.session`` (which would add ``Vary: Cookie``)."""
    key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not key:
        return False
    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key=key)
    return "_auth_user_id" in store or "_messages" in store


def _eligible(request) -> bool:
    return (
        request.method == "GET"
        and not request.COOKIES.get(CookieStorage.cookie_name)
        and not campaign_in_request(
            request=request, has_session=settings.SESSION_COOKIE_NAME in request.COOKIES,
        )
        and not _session_is_personal(request)
    )


def _key(request, language: str) -> str:
    where = hashlib.sha1(f"{request.get_host()}\n{request.get_full_path()}".encode()).hexdigest()
    return f"pagecache:{language}:{where}"


def _public_headers(response, *, etag: str, last_modified: float) -> None:
    seconds = settings.HAOWU_PAGE_CACHE_SECONDS
    # Browsers ask again each time (a 304 when nothing changed); shared caches keep it.
    response["Cache-Control"] = f"public, max-age=0, s-maxage={seconds}"
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    # Nothing but the language changes the page: no Vary: Cookie, so a CDN can hold it.
    response["Vary"] = "Accept-Language"
    if "Expires" in response:
        del response["Expires"]


def _generation(value) -> str:
    """The current generation; made when the cache has none (new, flushed or evicted),
    so an entry stored before a lost bump can never match again."""
    if value is not None:
        return value
    cache = _cache()
    cache.add(GENERATION_KEY, get_random_string(12), timeout=None)
    return cache.get(GENERATION_KEY) or ""


class PageCacheMiddleware:
    """Sits inside the CSP middleware (which sends the nonce a hit puts in the body) and
    before the session middleware: a hit is answered without loading the session,
    messages, CSRF or the view, so it adds no ``Vary: Cookie`` and sets no cookie."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            match = resolve(request.path_info)
        except Resolver404:
            match = None
        if not settings.HAOWU_PAGE_CACHE_SECONDS or match is None or not _cacheable_view(match) \
                or not _eligible(request):
            return self.get_response(request)

        # Templates leave the personal parts to static/js/session.js on such a request
        # (reader_links, consent_banner); other requests get them rendered in place.
        request.page_cache = True
        language = get_language_from_request(request)
        key = _key(request, language)
        found = _cache().get_many([key, GENERATION_KEY])
        generation = _generation(found.get(GENERATION_KEY))
        entry = found.get(key)
        if entry is not None and entry.generation == generation \
                and entry.fingerprint == catalogue_fingerprint(product_ids=entry.product_ids):
            return self._answer(request, entry)

        # Product pages: the fingerprint is read before rendering, so a change made while
        # the page renders makes the entry stale at once rather than hiding behind it.
        before = None
        if match.view_name == CATALOGUE_PAGE:
            product_ids = tuple(Product.objects.filter(slug=match.kwargs.get("slug")).values_list("pk", flat=True))
            before = (product_ids, catalogue_fingerprint(product_ids=product_ids))
        elif match.func is sitemap:
            before = ((), _sitemap_fingerprint())
        response = self.get_response(request)
        stored = self._store(request, response, key=key, generation=generation, before=before)
        if stored is None:
            return response
        return get_conditional_response(
            request, etag=stored.etag, last_modified=stored.last_modified, response=response,
        ) or response

    def _answer(self, request, entry: Entry):
        body = entry.body
        if entry.nonce:
            body = body.replace(entry.nonce.encode(), str(request.csp_nonce).encode())
        response = HttpResponse(body)
        for name, value in entry.headers:
            response[name] = value
        _public_headers(response, etag=entry.etag, last_modified=entry.last_modified)
        return get_conditional_response(
            request, etag=entry.etag, last_modified=entry.last_modified, response=response,
        ) or response

    def _store(self, request, response, *, key, generation, before) -> Entry | None:
        if response.status_code != 200 or response.streaming or response.cookies:
            return None
        if any(word in response.get("Cache-Control", "") for word in ("private", "no-store", "no-cache")):
            return None
        if before is not None:
            product_ids, fingerprint = before
        else:
            page = (getattr(response, "context_data", None) or {}).get("page")
            if page is None or getattr(request, "is_preview", False) or page.get_view_restrictions().exists():
                return None
            offers = getattr(page, "offers", None)
            product_ids = tuple(offer.product.pk for offer in offers) if offers else ()
            fingerprint = offers_fingerprint(offers) if offers else ""
        nonce = getattr(request, "_csp_nonce", None) or ""
        body = response.content
        anonymous = body.replace(nonce.encode(), b"") if nonce else body
        entry = Entry(
            body=body,
            headers=tuple((name, value) for name, value in response.items() if name.lower() not in UNSTORED_HEADERS),
            nonce=nonce,
            etag=f'"{hashlib.sha1(anonymous).hexdigest()}"',
            last_modified=time.time(),
            generation=generation,
            product_ids=product_ids,
            fingerprint=fingerprint,
        )
        _cache().set(key, entry, settings.HAOWU_PAGE_CACHE_SECONDS)
        _public_headers(response, etag=entry.etag, last_modified=entry.last_modified)
        return entry


# --- Invalidation -----------------------------------------------------------------------


def page_cache_clear() -> None:
    """Every stored page stops matching (after commit: a page rendered before the change
    commits must not be stored under the new generation)."""
    transaction.on_commit(partial(_cache().set, GENERATION_KEY, get_random_string(12), None))


def _everything_changed(**kwargs):
    page_cache_clear()


def _name_changed(created=False, **kwargs):
    # A brand, category or author just created is shown nowhere yet.
    if not created:
        page_cache_clear()


def _pages_changed(instance, **kwargs):
    # The listing pages above it and the sitemap show this page too; the page itself is
    # purged by Wagtail's own frontend-cache receivers (publish, unpublish).
    page_cache_clear()
    if frontend_cache_enabled():
        transaction.on_commit(partial(_purge_listings, instance.pk))


def _products_changed(product_ids) -> None:
    # Our own entries check their fingerprint on every hit; a CDN must be told.
    if frontend_cache_enabled() and product_ids:
        transaction.on_commit(partial(_purge_products, tuple(product_ids)))


def _product_saved(instance, **kwargs):
    _products_changed([instance.pk])


def _sku_saved(instance, **kwargs):
    _products_changed([instance.product_id])


def _stock_changed(sku_ids, **kwargs):
    _products_changed(list(SKU.objects.filter(pk__in=sku_ids).values_list("product_id", flat=True)))


def frontend_cache_enabled() -> bool:
    return bool(getattr(settings, "WAGTAILFRONTENDCACHE", None))


def _purge_listings(page_id: int) -> None:
    from wagtail.contrib.frontend_cache.utils import purge_pages_from_cache, purge_urls_from_cache
    from wagtail.models import Page

    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        return
    purge_pages_from_cache(page.get_ancestors().filter(depth__gt=1).live())
    root = page.get_site().root_url if page.get_site() else settings.WAGTAILADMIN_BASE_URL
    purge_urls_from_cache([f"{root}/sitemap.xml"])


def _purge_products(product_ids: tuple[int, ...]) -> None:
    """Every page showing these products (Wagtail's reference index knows them) and the
    products' own pages, from Wagtail's frontend cache (a CDN named in the settings)."""
    from django.urls import reverse
    from wagtail.contrib.frontend_cache.utils import purge_pages_from_cache, purge_urls_from_cache
    from wagtail.models import Page

    from shop.catalogue.selectors import articles_featuring_products

    featured = articles_featuring_products(product_ids=product_ids)
    page_ids = {pk for pages in featured.values() for pk, _title in pages}
    purge_pages_from_cache(Page.objects.filter(pk__in=page_ids))
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    slugs = Product.objects.filter(pk__in=product_ids).values_list("slug", flat=True)
    purge_urls_from_cache([base + reverse(CATALOGUE_PAGE, kwargs={"slug": slug}) for slug in slugs])


def connect() -> None:
    """Called by ContentConfig.ready: shop announces its changes, content listens."""
    from django.db.models.signals import post_delete, post_save
    from wagtail.signals import page_published, page_unpublished, post_page_move

    from content.models import Author
    from shop.catalogue.models import Brand, Category
    from shop.catalogue.signals import stock_changed

    page_published.connect(_pages_changed, dispatch_uid="pagecache_published")
    page_unpublished.connect(_pages_changed, dispatch_uid="pagecache_unpublished")
    post_page_move.connect(_pages_changed, dispatch_uid="pagecache_moved")
    from wagtail.models import Page

    post_delete.connect(_everything_changed, sender=Page, dispatch_uid="pagecache_page_deleted")
    for model in (Brand, Category, Author):
        name = model._meta.model_name
        post_save.connect(_name_changed, sender=model, dispatch_uid=f"pagecache_{name}_saved")
        post_delete.connect(_name_changed, sender=model, dispatch_uid=f"pagecache_{name}_deleted")
    post_save.connect(_product_saved, sender=Product, dispatch_uid="pagecache_product_saved")
    post_delete.connect(_product_saved, sender=Product, dispatch_uid="pagecache_product_deleted")
    post_save.connect(_sku_saved, sender=SKU, dispatch_uid="pagecache_sku_saved")
    post_delete.connect(_sku_saved, sender=SKU, dispatch_uid="pagecache_sku_deleted")
    stock_changed.connect(_stock_changed, sender=SKU, dispatch_uid="pagecache_stock_changed")
