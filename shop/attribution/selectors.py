"""Report queries over touches, daily engagement counters and attribution credits.

Every figure is grouped in the database (``values().annotate()``); a report costs the
same handful of queries whatever its number of rows. Articles are known only by their
page id: grouping by author or category is done with ``groups`` (group key → page
ids), which the content side builds, so shop never imports content.

Counting rules (the marketers' reports and ``attribution_report`` state them too):

- The range is ``since`` 00:00 to the end of ``until`` in the site's time zone, both
  days included. Touches count by their time, credits by their order's placing time,
  engagement by its day.
- clicks: the recorded touches in the range — exactly those, nothing deduplicated here.
- views / impressions: the sums of the ``DailyEngagement`` counters in the range; page
  rows (``block_id == ""``) hold views, block rows impressions.
- revenue, direct and assisted revenue: the net sum of the credits (reversal rows
  included) of the orders the status filter keeps.
- orders: the distinct orders whose net credit in the group is above zero (a fully
  refunded or cancelled order drops out, as its revenue does).
- unattributed: credits no touch explains (``touch`` and ``article_page_id`` empty).

Status filters (``STATUS_FILTERS``):

- ``paid``: orders whose money was received — status paid, shipped, delivered or
  refunded. Refunds are reversal credits, so refunded money nets out.
- ``placed``: every order except cancelled ones, awaiting payment included, so a
  fresh order shows at once.
- ``all``: every order, cancelled ones included (their reversals net them to zero).
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import BooleanField, Case, CharField, Count, F, Q, QuerySet, Sum, Value, When
from django.db.models.functions import TruncDate
from django.utils import timezone

from shop.attribution.models import (
    ActivityRollup,
    AttributionCredit,
    AttributionModel,
    CreditRollup,
    DailyEngagement,
    RollupDimension,
    Touch,
)
from shop.attribution.rollups import DIMENSION_FIELDS as ROLLUP_FIELDS
from shop.attribution.rollups import (
    STATUS_GROUPS,
    UNATTRIBUTED,
    days_q,
    positive_order_counts,
    rolled_state,
)
from shop.money import money_quantize

ZERO = Decimal("0.00")
MODELS: tuple[str, ...] = tuple(AttributionModel.values)

STATUS_FILTERS: dict[str, Q] = {name: Q(status_group__in=groups) for name, groups in STATUS_GROUPS.items()}

#: What a report groups by, as fields every source row has (touch, credit, engagement,
#: roll-up). ``groups`` is not here: it is a page-id → key mapping given by the caller.
DIMENSION_FIELDS: dict[str, tuple[str, ...]] = {
    str(name): fields for name, fields in ROLLUP_FIELDS.items() if name != RollupDimension.TOTAL
}
#: Dimensions whose groups are articles (views and impressions both count) or blocks
#: (impressions only); the others have no engagement counters.
ARTICLE_DIMENSIONS = frozenset({"article", "groups"})
BLOCK_DIMENSIONS = frozenset({"block_type", "position", "block"})


def report_window(*, since: datetime.date, until: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """``[since 00:00, the day after until 00:00)`` in the site's time zone."""
    tz = timezone.get_default_timezone()
    start = datetime.datetime.combine(since, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(until + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    return start, end


@dataclass
class Figures:
    """The numbers of one report row; per-model amounts are keyed by model name."""

    clicks: int = 0
    views: int | None = None
    impressions: int | None = None
    revenue: dict[str, Decimal] = field(default_factory=lambda: dict.fromkeys(MODELS, ZERO))
    direct_revenue: dict[str, Decimal] = field(default_factory=lambda: dict.fromkeys(MODELS, ZERO))
    assisted_revenue: dict[str, Decimal] = field(default_factory=lambda: dict.fromkeys(MODELS, ZERO))
    orders: dict[str, int] = field(default_factory=lambda: dict.fromkeys(MODELS, 0))


@dataclass
class ReportFigures:
    """``groups`` maps a key (a tuple of the dimension's values) to its figures;
    ``unattributed`` holds the credits no touch explains; ``total`` is the whole range
    (orders counted once even when several groups share them)."""

    groups: dict[tuple, Figures]
    unattributed: Figures
    total: Figures


def _key_expressions(dimension: str, groups: Mapping[str, Iterable[int]] | None) -> dict[str, object]:
    if dimension == "groups":
        whens = [When(article_page_id__in=list(ids), then=Value(key)) for key, ids in (groups or {}).items() if ids]
        return {"k0": Case(*whens, default=Value(""), output_field=CharField())}
    return {f"k{i}": F(name) for i, name in enumerate(DIMENSION_FIELDS[dimension])}


def _scoped(queryset: QuerySet, article_ids) -> QuerySet:
    return queryset if article_ids is None else queryset.filter(article_page_id__in=article_ids)


def report_figures(
    *,
    dimension: str,
    since: datetime.date,
    until: datetime.date,
    status: str = "paid",
    groups: Mapping[str, Iterable[int]] | None = None,
    article_ids=None,
    models: Iterable[str] | None = None,
) -> ReportFigures:
    """Every figure of a report grouped by ``dimension`` (a ``DIMENSION_FIELDS`` name,
    or ``"groups"`` with ``groups``: key → article page ids, other articles under
    ``""``), for all five models at once. ``article_ids`` (ids or a queryset of ids)
    limits everything to those articles; unattributed credits then drop out. ``models``
    limits the credit figures to those models (a single-model report reads a fifth of
    the credit rows); the others stay zero.

    Clicks and credits of rolled-up days come from the daily roll-ups (``rollups``),
    the other days' from the raw rows; a report limited to some articles, or grouped by
    ``groups``, reads raw rows only (its order counts need each order's articles). About
    eight queries whatever the number of rows or days."""
    result = ReportFigures(groups=defaultdict(Figures), unattributed=Figures(), total=Figures())
    days = [since + datetime.timedelta(days=n) for n in range((until - since).days + 1)]
    rolled: list[datetime.date] = []
    open_days: list[datetime.date] = []
    if article_ids is None and dimension in DIMENSION_FIELDS:
        through, marked = rolled_state()
        if through is not None:
            rolled = [day for day in days if day <= through and day not in marked]
            open_days = [day for day in days if day > through and day not in marked]
    raw = sorted(set(days) - set(rolled))
    engaged = dimension in ARTICLE_DIMENSIONS | BLOCK_DIMENSIONS
    result.total.views = result.total.impressions = 0
    if rolled:
        _add_rolled(result, dimension=dimension, days=rolled, status=status, models=models)
    touched = days_q("created_at", raw)
    if open_days:
        # Today's clicks up to a few minutes ago are rolled up too; read raw after that.
        since_moment = _add_open_clicks(result, dimension=dimension, days=open_days)
        touched = days_q("created_at", [day for day in raw if day not in since_moment])
        for day, moment in since_moment.items():
            touched |= days_q("created_at", [day]) & Q(created_at__gte=moment)
    if raw:
        _add_raw(result, dimension=dimension, days=raw, touched=touched, status=status, groups=groups,
                 article_ids=article_ids, models=models)
    result.unattributed.clicks = 0
    result.unattributed.views = result.unattributed.impressions = None
    for figures in result.groups.values():
        if not engaged:
            figures.views = figures.impressions = None
        else:
            figures.impressions = figures.impressions or 0
            figures.views = None if dimension in BLOCK_DIMENSIONS else figures.views or 0
    result.groups = dict(result.groups)
    return result


def _add_activity(figures: Figures, *, clicks: int = 0, views: int = 0, impressions: int = 0) -> None:
    figures.clicks += clicks
    figures.views = (figures.views or 0) + (views or 0)
    figures.impressions = (figures.impressions or 0) + (impressions or 0)


def _add_money(result: ReportFigures, figures: Figures, model: str, revenue, direct, assisted) -> None:
    revenue, direct, assisted = money_quantize(revenue), money_quantize(direct), money_quantize(assisted)
    for target in (figures, result.total):
        target.revenue[model] += revenue
        target.direct_revenue[model] += direct
        target.assisted_revenue[model] += assisted


def _add_rolled(result: ReportFigures, *, dimension: str, days: list[datetime.date], status: str, models) -> None:
    fields = DIMENSION_FIELDS[dimension]
    rollups = CreditRollup.objects.filter(date__in=days, status_group__in=STATUS_GROUPS[status])
    if models is not None:
        rollups = rollups.filter(model__in=list(models))
    for row in (
        rollups.filter(dimension=dimension)
        .values(*fields, "unattributed", "model")
        .annotate(r=Sum("revenue"), dr=Sum("direct_revenue"), ar=Sum("assisted_revenue"), o=Sum("orders"))
    ):
        figures = result.unattributed if row["unattributed"] else result.groups[tuple(row[f] for f in fields)]
        _add_money(result, figures, row["model"], row["r"], row["dr"], row["ar"])
        figures.orders[row["model"]] += row["o"]
    for row in rollups.filter(dimension=RollupDimension.TOTAL).values("model").annotate(o=Sum("orders")):
        result.total.orders[row["model"]] += row["o"]
    activity = ActivityRollup.objects.filter(date__in=days, dimension__in=[dimension, RollupDimension.TOTAL])
    for row in activity.values("dimension", *fields).annotate(
        n=Sum("clicks"), v=Sum("views"), i=Sum("impressions")
    ):
        target = result.total if row["dimension"] == RollupDimension.TOTAL else \
            result.groups[tuple(row[f] for f in fields)]
        _add_activity(target, clicks=row["n"], views=row["v"], impressions=row["i"])


def _add_open_clicks(result: ReportFigures, *, dimension: str, days: list[datetime.date]) -> dict:
    """Add the rolled-up clicks of open days; returns each such day's ``through``, the
    moment its raw touches start (one query, so the rows and moments agree)."""
    fields = DIMENSION_FIELDS[dimension]
    rows = ActivityRollup.objects.filter(
        date__in=days, dimension__in=[dimension, RollupDimension.TOTAL], through__isnull=False,
    ).values("date", "dimension", "through", "clicks", *fields)
    since_moment = {}
    for row in rows:
        if row["dimension"] == RollupDimension.TOTAL:
            since_moment[row["date"]] = row["through"]
            result.total.clicks += row["clicks"]
        else:
            result.groups[tuple(row[f] for f in fields)].clicks += row["clicks"]
    return since_moment


def _add_raw(result: ReportFigures, *, dimension: str, days: list[datetime.date], touched: Q, status: str,
             groups, article_ids, models) -> None:
    keys = _key_expressions(dimension, groups)
    aliases = list(keys)

    def key_of(row) -> tuple:
        return tuple(row[alias] for alias in aliases)

    unattributed_flag = Case(When(UNATTRIBUTED, then=Value(True)), default=Value(False), output_field=BooleanField())
    credits = _scoped(
        AttributionCredit.objects.filter(STATUS_FILTERS[status], days_q("order_placed_at", days)), article_ids
    )
    if models is not None:
        credits = credits.filter(model__in=list(models))
    sums = (
        credits.annotate(**keys, hw_un=unattributed_flag)
        .values(*aliases, "hw_un", "model")
        .annotate(r=Sum("revenue"), dr=Sum("direct_revenue"), ar=Sum("assisted_revenue"))
    )
    for row in sums:
        figures = result.unattributed if row["hw_un"] else result.groups[key_of(row)]
        _add_money(result, figures, row["model"], row["r"], row["dr"], row["ar"])

    counts = positive_order_counts(credits, {**keys, "hw_un": unattributed_flag, "hw_model": F("model")})
    for (*key, unattributed, model), count in counts.items():
        figures = result.unattributed if unattributed else result.groups[tuple(key)]
        figures.orders[model] += count
    for (model,), count in positive_order_counts(credits, {"hw_model": F("model")}).items():
        result.total.orders[model] += count

    touches = _scoped(Touch.objects.filter(touched), article_ids)
    for row in touches.annotate(**keys).values(*aliases).annotate(n=Count("pk")):
        result.groups[key_of(row)].clicks += row["n"]
        result.total.clicks += row["n"]

    engagement = _scoped(DailyEngagement.objects.filter(date__in=days), article_ids)
    totals = engagement.aggregate(v=Sum("views"), i=Sum("impressions"))
    _add_activity(result.total, views=totals["v"], impressions=totals["i"])
    if dimension in ARTICLE_DIMENSIONS | BLOCK_DIMENSIONS:
        rows = engagement.exclude(block_id="") if dimension in BLOCK_DIMENSIONS else engagement
        for row in rows.annotate(**keys).values(*aliases).annotate(v=Sum("views"), i=Sum("impressions")):
            _add_activity(result.groups[key_of(row)], views=row["v"], impressions=row["i"])


@dataclass
class Day:
    date: datetime.date
    views: int = 0
    clicks: int = 0
    revenue: Decimal = ZERO


def daily_figures(
    *,
    since: datetime.date,
    until: datetime.date,
    model: str,
    status: str = "paid",
    article_ids=None,
) -> list[Day]:
    """Views, clicks and revenue under ``model`` for every day of the range (days in
    the site's time zone; days without activity are zeros). Rolled-up days come from
    the roll-ups unless ``article_ids`` limits the articles. Five queries at most."""
    tz = timezone.get_default_timezone()
    result = {since + datetime.timedelta(days=n): None for n in range((until - since).days + 1)}
    result = {day: Day(date=day) for day in result}
    rolled: list[datetime.date] = []
    if article_ids is None:
        through, marked = rolled_state()
        rolled = [day for day in result if through is not None and day <= through and day not in marked]
    raw = sorted(set(result) - set(rolled))
    if rolled:
        credit_rollups = CreditRollup.objects.filter(
            date__in=rolled, dimension=RollupDimension.TOTAL, model=model, status_group__in=STATUS_GROUPS[status],
        )
        for row in credit_rollups.values("date").annotate(r=Sum("revenue")):
            result[row["date"]].revenue = money_quantize(row["r"])
        activity = ActivityRollup.objects.filter(date__in=rolled, dimension=RollupDimension.TOTAL)
        for row in activity.values("date").annotate(n=Sum("clicks"), v=Sum("views")):
            result[row["date"]].clicks = row["n"]
            result[row["date"]].views = row["v"]
    if raw:
        credits = _scoped(
            AttributionCredit.objects.filter(STATUS_FILTERS[status], days_q("order_placed_at", raw), model=model),
            article_ids,
        )
        for row in credits.annotate(day=TruncDate("order_placed_at", tzinfo=tz)).values("day").annotate(
            r=Sum("revenue")
        ):
            result[row["day"]].revenue = money_quantize(row["r"])
        touches = _scoped(Touch.objects.filter(days_q("created_at", raw)), article_ids)
        for row in touches.annotate(day=TruncDate("created_at", tzinfo=tz)).values("day").annotate(n=Count("pk")):
            result[row["day"]].clicks = row["n"]
        engagement = _scoped(DailyEngagement.objects.filter(date__in=raw), article_ids)
        for row in engagement.values("date").annotate(v=Sum("views")):
            result[row["date"]].views = row["v"]
    return list(result.values())


# --- what the beacon may count ---------------------------------------------------------------------

#: How long a live page's block ids are kept. The key holds the page's last publishing
#: time, so publishing again is a new key at once; unpublishing is seen by the query
#: that reads that time on every call.
PAGE_BLOCKS_SECONDS = 600


def live_page_block_ids(*, page_id: int) -> frozenset[str] | None:
    """The ids of the top-level blocks of the live page ``page_id`` (of every
    StreamField its specific model has), or ``None`` when no live page has that id.

    shop knows articles only as Wagtail pages: the block ids are read from the stored
    stream data (``StreamValue.raw_data``) without building any block value, so no
    chooser query runs. One small query per call, plus one page load per publish."""
    from django.core.cache import cache
    from wagtail.fields import StreamField
    from wagtail.models import Page

    row = Page.objects.filter(pk=page_id, live=True).values("last_published_at").first()
    if row is None:
        return None
    published = row["last_published_at"]
    key = f"hw:page-blocks:{page_id}:{published.timestamp() if published else ''}"
    ids = cache.get(key)
    if ids is None:
        page = Page.objects.get(pk=page_id).specific
        ids = frozenset(
            str(item["id"])
            for field in page._meta.get_fields()
            if isinstance(field, StreamField)
            for item in getattr(page, field.attname).raw_data
            if item.get("id")
        )
        cache.set(key, ids, PAGE_BLOCKS_SECONDS)
    return ids
