"""Recording what readers do with article links: touches (clicks of ``/go/`` links and
add-to-cart buttons), page views and block impressions (the beacon).

Noise is dropped here, not in the views: bots and prefetches, requests over the
visitor's rate limit or the client address's (``HAOWU_LIMIT_CLICKS``), and repeats of
the same link by the same visitor or from the same address within ``REPEAT_SECONDS``.
These checks use the cache only, so they never add a query, and a click never creates
a session (see ``visitors``).
"""

import dataclasses
import datetime
import functools
import hashlib
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from shop.attribution.bots import is_noise
from shop.attribution.devices import device_class
from shop.attribution.models import DailyEngagement, Touch
from shop.attribution.rollups import rollup_days_changed, rollup_touches_written
from shop.attribution.tokens import LinkPayload
from shop.attribution.visitors import in_session, rate_identity, visitor_id_for_request
from shop.catalogue.models import SKU, Product, sku_page_url
from shop.limits import client_address, limit_hit

UTM_FIELDS = ("utm_source", "utm_medium", "utm_campaign", "utm_content")
#: Session key: the campaign (utm_*), curator code and referrer host the visit came with.
SESSION_CAMPAIGN = "hw_campaign"
#: Clicks of the same link by the same visitor closer together than this count once.
REPEAT_SECONDS = 30
RATE_WINDOW_SECONDS = 60

_CURATOR_CODE = re.compile(r"[A-Za-z0-9_-]{1,40}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _text(value: str | None, limit: int = 100) -> str:
    return _CONTROL.sub("", value or "").strip()[:limit]


def _curator_code(value: str | None) -> str:
    value = (value or "").strip()
    return value if _CURATOR_CODE.fullmatch(value) else ""


def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "")[:255]
    except ValueError:
        return ""


def _external_referrer_host(request) -> str:
    host = _host(request.headers.get("Referer", ""))
    own = request.get_host().rsplit(":", 1)[0].lower()
    return "" if host == own else host


def _campaign_in_query(request) -> dict:
    if not request.META.get("QUERY_STRING"):
        return {}  # most clicks: no query string to parse
    found = {}
    utm = {name: _text(request.GET.get(name)) for name in UTM_FIELDS}
    if any(utm.values()):
        found.update(utm)
    ref = _curator_code(request.GET.get("ref"))
    if ref:
        found["ref"] = ref
    return found


def campaign_in_request(*, request, has_session: bool) -> bool:
    """Whether ``campaign_remember`` would have something to keep from this page view (the
    page cache renders such a view instead of answering it from the cache)."""
    return bool(_campaign_in_query(request)) or (has_session and bool(_external_referrer_host(request)))


def campaign_remember(*, request) -> None:
    """Keep the campaign (``utm_*``), curator code (``?ref=``) and external referrer host
    of a landing page view in the session, for the touches that follow. A page view that
    carries none of them leaves the session alone (no query, no new session); a referrer
    alone is kept only in a session that already exists."""
    found = _campaign_in_query(request)
    referrer = _external_referrer_host(request)
    if referrer and (found or request.session.session_key):
        found["referrer"] = referrer
    if not found:
        return
    current = request.session.get(SESSION_CAMPAIGN) or {}
    if any(found.get(name) for name in UTM_FIELDS):
        # A new campaign replaces the whole previous one, not just the fields it names.
        current = {k: v for k, v in current.items() if k not in UTM_FIELDS}
    remembered = {**current, **found}
    if remembered != request.session.get(SESSION_CAMPAIGN):
        request.session[SESSION_CAMPAIGN] = remembered


#: Cookieless requests are counted per address and browser, which many readers may
#: share; they get this many times the per-visitor limit before clicks go unrecorded.
ADDRESS_ALLOWANCE = 10


def rate_limited(*, request, kind: str) -> bool:
    """Count this request against the visitor's limit for ``kind`` ("go", "beacon");
    ``True`` once more than ``HAOWU_ATTRIBUTION_RATE_LIMIT_PER_MINUTE`` arrived within a
    minute of the first. Cache only: never a query, never a wait; one cache call for a
    visitor's first request of the minute, two after."""
    who = rate_identity(request)
    limit = settings.HAOWU_ATTRIBUTION_RATE_LIMIT_PER_MINUTE
    if who.startswith("ip:"):
        limit *= ADDRESS_ALLOWANCE
    identity = hashlib.sha256(who.encode()).hexdigest()[:32]
    key = f"hw:rate:{kind}:{identity}"
    if cache.add(key, 1, timeout=RATE_WINDOW_SECONDS):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=RATE_WINDOW_SECONDS)
            count = 1
    return count > limit


def _is_repeat(*, visitor: str, payload: LinkPayload, now: datetime.datetime) -> bool:
    key = "hw:click:" + hashlib.sha256(f"{visitor}|{payload!r}".encode()).hexdigest()[:40]
    moment = now.timestamp()
    if cache.add(key, moment, timeout=REPEAT_SECONDS):
        return False
    last = cache.get(key)
    if last is not None and 0 <= moment - last < REPEAT_SECONDS:
        return True
    cache.set(key, moment, timeout=REPEAT_SECONDS)
    return False


@dataclass(frozen=True)
class TouchContext:
    utm_source: str = ""
    utm_medium: str = ""
    utm_campaign: str = ""
    utm_content: str = ""
    curator_code: str = ""
    referrer_host: str = ""


def touch_context(*, request) -> TouchContext:
    """Campaign, curator and referrer of a click: the ``/go/`` request's own query string
    and Referer first, then what the visit's landing page remembered."""
    remembered = (request.session.get(SESSION_CAMPAIGN) or {}) if in_session(request) else {}
    query = _campaign_in_query(request)
    utm_source = query if any(query.get(name) for name in UTM_FIELDS) else remembered
    return TouchContext(
        **{name: _text(utm_source.get(name)) for name in UTM_FIELDS},
        curator_code=query.get("ref") or _curator_code(remembered.get("ref")),
        referrer_host=_external_referrer_host(request) or _text(remembered.get("referrer"), 255),
    )


#: The columns a click writes, in the order of the raw INSERT below.
TOUCH_FIELDS = (
    "visitor_id", "user", "created_at", "article_page_id", "block_id", "block_type", "position", "sku",
    *TouchContext.__dataclass_fields__, "device",
)


def _touch_fields(*, request, payload: LinkPayload, now: datetime.datetime | None) -> dict | None:
    """The touch a click would write (field name → value), or ``None`` when it is not
    recorded: a HEAD, a bot or prefetch, above the visitor's rate limit or the client
    address's (``HAOWU_LIMIT_CLICKS``), or a repeat by the same visitor or from the same
    address. The address checks hold whatever cookies a client makes up; all of them
    are cache calls, never a query."""
    if request.method == "HEAD" or is_noise(request):
        return None
    if rate_limited(request=request, kind="go"):
        return None
    if limit_hit(request, name="clicks", rate=settings.HAOWU_LIMIT_CLICKS).limited:
        return None
    now = now or timezone.now()
    visitor = visitor_id_for_request(request)
    if _is_repeat(visitor=visitor, payload=payload, now=now) or _is_repeat(
        visitor=f"ip:{client_address(request)}", payload=payload, now=now,
    ):
        return None
    user = request.user if in_session(request) and request.user.is_authenticated else None
    return {
        "visitor_id": visitor, "user": user, "created_at": now, "article_page_id": payload.article_page_id,
        "block_id": payload.block_id, "block_type": payload.block_type, "position": payload.position,
        "sku_id": payload.sku_id, **touch_context(request=request).__dict__,
        "device": device_class(request.headers.get("User-Agent", "")),
    }


def _params(fields: dict) -> list:
    """``fields`` as the raw INSERT's parameters, in ``TOUCH_FIELDS`` order."""
    user = fields["user"]
    values = {
        **fields, "user": user.pk if user is not None else None, "sku": fields["sku_id"],
        "created_at": connection.ops.adapt_datetimefield_value(fields["created_at"]),
    }
    return [values[name] for name in TOUCH_FIELDS]


@functools.cache
def _sql() -> dict[str, str]:
    """The raw statements of a click, built once from the models' tables and columns.

    A click is the hot path of every article: the ORM's per-query compilation costs as
    much as the database round trip, so these skip it."""
    quote = connection.ops.quote_name
    touch, sku, product = Touch._meta, SKU._meta, Product._meta
    columns = ", ".join(quote(touch.get_field(name).column) for name in TOUCH_FIELDS)
    return {
        "target": (
            f"SELECT s.{quote(sku.get_field('code').column)}, p.{quote(product.get_field('slug').column)},"
            f" p.{quote(product.get_field('title').column)}"
            f" FROM {quote(sku.db_table)} s INNER JOIN {quote(product.db_table)} p"
            f" ON p.{quote(product.pk.column)} = s.{quote(sku.get_field('product').column)}"
            f" WHERE s.{quote(sku.pk.column)} = %s"
        ),
        "insert": (
            f"INSERT INTO {quote(touch.db_table)} ({columns}) VALUES ({', '.join(['%s'] * len(TOUCH_FIELDS))})"
            f" RETURNING {quote(touch.pk.column)}"
        ),
    }


def _touch_insert(fields: dict) -> int:
    """INSERT the touch; its id."""
    with connection.cursor() as cursor:
        cursor.execute(_sql()["insert"], _params(fields))
        return cursor.fetchone()[0]


def touch_record(*, request, payload: LinkPayload, now: datetime.datetime | None = None) -> Touch | None:
    """Record one reader's click of an article's product link; one INSERT.

    Returns ``None`` and records nothing for bots and prefetches, above the visitor's
    rate limit, or when the same visitor clicked the same link less than
    ``REPEAT_SECONDS`` ago. ``now`` is the click's time (tests pass a clock)."""
    fields = _touch_fields(request=request, payload=payload, now=now)
    if fields is None:
        return None
    touch = Touch(pk=_touch_insert(fields), **fields)
    rollup_touches_written(moments=[touch.created_at])  # a click of a past day (a clock) redoes its roll-up
    return touch


@dataclass(frozen=True)
class LinkTarget:
    """Where a buy link leads: its SKU on our own product page, and the click's touch."""

    sku_code: str
    product_slug: str
    product_title: str
    url: str
    touch_id: int | None = None


#: How long a buy link's target (SKU code, product slug and title, page URL) is kept in
#: the cache. Saving or deleting a SKU or product through the ORM drops its targets at
#: once (``target_forget``, wired in the app config); a change made around the ORM shows
#: within this time, and meanwhile the product page sends a stale slug on to the SKU's
#: product, so no reader lands on a missing page.
TARGET_CACHE_SECONDS = 300


def _target_key(sku_id: int) -> str:
    return f"hw:go:target:{sku_id}"


def link_target(sku_id: int) -> LinkTarget | None:
    """Where a link to ``sku_id`` leads, from the cache or one query; ``None`` when the
    SKU does not exist (not cached: the next click asks again)."""
    cached = cache.get(_target_key(sku_id))
    if cached is not None:
        return LinkTarget(*cached)
    with connection.cursor() as cursor:
        cursor.execute(_sql()["target"], [sku_id])
        row = cursor.fetchone()
    if row is None:
        return None
    code, slug, title = row
    url = sku_page_url(slug=slug, code=code)
    cache.set(_target_key(sku_id), (code, slug, title, url), TARGET_CACHE_SECONDS)
    return LinkTarget(code, slug, title, url)


def target_forget(*, sku_ids) -> None:
    """Drop the cached targets of these SKUs (after a SKU or its product changed)."""
    cache.delete_many([_target_key(sku_id) for sku_id in sku_ids])


def link_follow(*, request, payload: LinkPayload, now: datetime.datetime | None = None) -> LinkTarget | None:
    """A reader follows a ``/go/`` link: the SKU's product page, with the click recorded
    as ``touch_record`` would (the same noise, rate-limit and repeat rules). ``None``
    when the SKU no longer exists; then nothing is recorded.

    The target comes from ``link_target`` (cached), so a recorded click of a popular
    link is one INSERT. A SKU deleted while another process still had its target
    cached fails that INSERT on its foreign key: the click is then answered as a
    missing product and records nothing."""
    fields = _touch_fields(request=request, payload=payload, now=now)
    target = link_target(payload.sku_id)
    if target is None or fields is None:
        return target
    try:
        touch_id = _touch_insert(fields)
    except IntegrityError:
        target_forget(sku_ids=[payload.sku_id])
        return None
    rollup_touches_written(moments=[fields["created_at"]])
    return dataclasses.replace(target, touch_id=touch_id)


@dataclass(frozen=True)
class Impression:
    block_id: str
    block_type: str
    position: int | None


def _bump(*, day: datetime.date, article_page_id: int, block_id: str, block_type: str,
          position: int | None, views: int = 0, impressions: int = 0) -> None:
    keys = {"date": day, "article_page_id": article_page_id, "block_id": block_id}
    changes = {"views": F("views") + views, "impressions": F("impressions") + impressions}
    if DailyEngagement.objects.filter(**keys).update(**changes):
        return
    try:
        with transaction.atomic():
            DailyEngagement.objects.create(
                **keys, block_type=block_type, position=position, views=views, impressions=impressions,
            )
    except IntegrityError:
        # Another request created the day's row between our UPDATE and INSERT.
        DailyEngagement.objects.filter(**keys).update(**changes)


def engagement_record(
    *, article_page_id: int, view: bool, impressions: list[Impression], day: datetime.date | None = None,
) -> None:
    """Add one page view (``view``) and one impression per listed block to the article's
    counters for ``day`` (today in the site's time zone). Counters only grow, with
    ``F()`` updates; a day's first count creates its row (a concurrent create is caught
    and turned into an update)."""
    day = day or timezone.localdate()
    if view:
        _bump(day=day, article_page_id=article_page_id, block_id="", block_type="", position=None, views=1)
    for impression in impressions:
        _bump(
            day=day, article_page_id=article_page_id, block_id=impression.block_id,
            block_type=impression.block_type, position=impression.position, impressions=1,
        )
    rollup_days_changed(days=[day])  # nothing to do for today, the usual day
