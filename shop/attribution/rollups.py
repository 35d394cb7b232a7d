"""Daily roll-ups of clicks and credits, so a report over many days reads a few rows per
day instead of every touch and credit (``selectors.report_figures`` combines them with
raw rows for the days not rolled up).

What is rolled up:

- A day is *closed* once its end (site time zone) is ``ROLL_MARGIN`` behind us. Touches
  are recorded at their click and orders credited when placed, so nothing lands in a
  closed day any more — except later changes to its orders (payment, cancellation,
  refunds, a credit rebuild) and writes of history (demo data, imports). Those mark
  the day with ``rollup_days_changed``, which only ever inserts a row, and reports
  read a marked day raw until ``rollups_advance`` recomputes it.
- ``RollupState.rolled_through``: every day up to it has its rows, except marked days.
- ``rollups_advance`` recomputes the marked days and rolls the closed days after
  ``rolled_through`` in one transaction, under a lock on the state row (two rollers
  never interleave). Run it from cron (``manage.py attribution rollup``); reports call
  it too, for at most ``LAZY_DAYS`` new days, so an installation without cron only
  gets slower reports, never wrong ones.

Figures of several days add up: clicks and money are sums, and an order belongs to the
day it was placed on, so its ``orders`` count is in one day only.
"""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import BooleanField, Case, Count, F, Q, QuerySet, Sum, Value, When
from django.db.models.functions import TruncDate
from django.utils import timezone

from shop.attribution.models import (
    ActivityRollup,
    AttributionCredit,
    CreditRollup,
    DailyEngagement,
    RollupDimension,
    RollupDirtyDay,
    RollupState,
    StatusGroup,
    Touch,
)
from shop.money import money_quantize

#: A day is rolled up this long after its end: longer than any transaction that records
#: a touch or credits an order at "now" can take.
ROLL_MARGIN = datetime.timedelta(hours=1)
#: The one ``RollupState`` row.
STATE_PK = 1
#: The clicks of today (and of a day not closed yet) are rolled up to this long ago, at
#: most every ``PARTIAL_EVERY``, so a report reads only the last few minutes' raw.
PARTIAL_MARGIN = datetime.timedelta(minutes=1)
PARTIAL_EVERY = datetime.timedelta(minutes=5)
#: At most this many new days are rolled by a report request; cron rolls the rest.
LAZY_DAYS = 7

#: The status groups each report status filter keeps (credits and credit roll-ups carry
#: their order's group, so no filter joins orders).
STATUS_GROUPS: dict[str, tuple[str, ...]] = {
    "paid": (StatusGroup.PAID,),
    "placed": (StatusGroup.PENDING, StatusGroup.PAID),
    "all": tuple(StatusGroup.values),
}

#: The fields each dimension's rows fill (``selectors.DIMENSION_FIELDS``, plus the day's total).
DIMENSION_FIELDS: dict[str, tuple[str, ...]] = {
    RollupDimension.ARTICLE: ("article_page_id",),
    RollupDimension.BLOCK_TYPE: ("block_type",),
    RollupDimension.POSITION: ("position",),
    RollupDimension.BLOCK: ("block_id", "block_type", "position"),
    RollupDimension.CAMPAIGN: ("utm_campaign",),
    RollupDimension.CURATOR: ("curator_code",),
    RollupDimension.TOTAL: (),
}

UNATTRIBUTED = Q(touch__isnull=True, article_page_id__isnull=True)
HALF_CENT = Decimal("0.005")


def day_window(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    tz = timezone.get_default_timezone()
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=tz)
    return start, datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)


def days_q(field: str, days: Iterable[datetime.date]) -> Q:
    """``field`` within any of ``days`` (site time zone); runs of consecutive days make
    one range each. An empty ``days`` matches nothing."""
    condition = Q(pk__in=[])
    for first, last in day_runs(days):
        start, _ = day_window(first)
        _, end = day_window(last)
        condition |= Q(**{f"{field}__gte": start, f"{field}__lt": end})
    return condition


def day_runs(days: Iterable[datetime.date]) -> list[tuple[datetime.date, datetime.date]]:
    runs: list[list[datetime.date]] = []
    for day in sorted(set(days)):
        if runs and day - runs[-1][1] == datetime.timedelta(days=1):
            runs[-1][1] = day
        else:
            runs.append([day, day])
    return [(first, last) for first, last in runs]


def last_closed_day(now: datetime.datetime | None = None) -> datetime.date:
    now = now or timezone.now()
    return timezone.localtime(now - ROLL_MARGIN).date() - datetime.timedelta(days=1)


def rollup_days_changed(*, days: Iterable[datetime.date]) -> None:
    """Mark ``days`` (site time zone) as changed: reports read them raw until the next
    roll. Days from today on are never rolled up, so they are not marked (the usual
    case: a new order or a click costs nothing here). An INSERT only — it never waits
    on another transaction."""
    today = timezone.localdate()
    _mark_days({day for day in days if day < today})


def rollup_moments_changed(*, moments: Iterable[datetime.datetime]) -> None:
    """``rollup_days_changed`` for the days of these moments."""
    rollup_days_changed(days={timezone.localtime(moment).date() for moment in moments})


def rollup_touches_written(*, moments: Iterable[datetime.datetime]) -> None:
    """Touches were written at these moments: mark the days of those that may be rolled
    up already, i.e. older than ``PARTIAL_MARGIN`` (a clock in a test, an import). A
    click at "now" marks nothing and costs one comparison: every roll-up row, of a
    closed day or of today so far, stops at least ``PARTIAL_MARGIN`` before its roll."""
    oldest_unrolled = timezone.now() - PARTIAL_MARGIN
    _mark_days({timezone.localtime(moment).date() for moment in moments if moment < oldest_unrolled})


def _mark_days(days: set[datetime.date]) -> None:
    if days:
        RollupDirtyDay.objects.bulk_create([RollupDirtyDay(date=day) for day in sorted(days)])


def rolled_state() -> tuple[datetime.date | None, set[datetime.date]]:
    """``(rolled_through, marked days)``: the days whose roll-up rows reports may use are
    those up to ``rolled_through`` that are not marked; of later (open) days, unmarked
    ones have their clicks so far in rows with ``through``."""
    state = RollupState.objects.filter(pk=STATE_PK).first()
    if state is None or state.rolled_through is None:
        return None, set()
    marked = set(RollupDirtyDay.objects.values_list("date", flat=True))
    return state.rolled_through, marked


def _lock_state(*, wait: bool = True) -> RollupState | None:
    """The state row (``STATE_PK``), locked; ``None`` without ``wait`` when another
    roll holds it. Its migration creates it; should it be gone, concurrent creators
    meet on the primary key and all but one read the winner's row."""
    RollupState.objects.get_or_create(pk=STATE_PK)
    return RollupState.objects.select_for_update(skip_locked=not wait).filter(pk=STATE_PK).first()


def _first_data_day() -> datetime.date | None:
    moments = [
        Touch.objects.order_by("created_at").values_list("created_at", flat=True).first(),
        AttributionCredit.objects.order_by("order_placed_at").values_list("order_placed_at", flat=True).first(),
    ]
    days = [timezone.localtime(moment).date() for moment in moments if moment is not None]
    days.append(DailyEngagement.objects.order_by("date").values_list("date", flat=True).first())
    days = [day for day in days if day is not None]
    return min(days) if days else None


def rollups_advance(
    *, max_new_days: int | None = None, wait: bool = True, now: datetime.datetime | None = None,
) -> list[datetime.date]:
    """Recompute the marked days and roll up the closed days after ``rolled_through``
    (at most ``max_new_days`` of them, oldest first). One transaction holding the lock
    on the state row; without ``wait`` (a report request) nothing is done while another
    roll holds it. Returns the days (re)computed."""
    now = now or timezone.now()
    last_closed = last_closed_day(now)
    state = RollupState.objects.filter(pk=STATE_PK).first()
    if (
        state is not None and state.rolled_through is not None and state.rolled_through >= last_closed
        and state.clicks_through is not None and state.clicks_through >= now - PARTIAL_EVERY
        and not RollupDirtyDay.objects.exists()
    ):
        return []  # the usual case for a report request: two reads, no write
    with transaction.atomic():
        state = _lock_state(wait=wait)
        if state is None:
            return []  # another process is rolling; the report reads those days raw meanwhile
        markers = list(RollupDirtyDay.objects.values_list("pk", "date"))
        through = state.rolled_through
        first_new = through + datetime.timedelta(days=1) if through else _first_data_day()
        new_days: list[datetime.date] = []
        if first_new is not None:
            day = first_new
            while day <= last_closed and (max_new_days is None or len(new_days) < max_new_days):
                new_days.append(day)
                day += datetime.timedelta(days=1)
        recomputed = {date for _, date in markers if through is not None and date <= through}
        days = sorted(recomputed | set(new_days))
        if days:
            _roll(days)
        # No data yet: every closed day is (empty and) rolled.
        through = state.rolled_through = new_days[-1] if new_days else (through or last_closed)
        open_days = [through + datetime.timedelta(days=n + 1) for n in range((timezone.localdate(now) - through).days)]
        ActivityRollup.objects.filter(date__gt=through).delete()
        if through >= last_closed:  # caught up: roll the open days' clicks so far
            state.clicks_through = now - PARTIAL_MARGIN
            ActivityRollup.objects.bulk_create(_open_click_rows(open_days, state.clicks_through), batch_size=2000)
        state.save()
        # Markers of days after ``through`` are moot: their clicks were just rolled
        # afresh, and their credits and views are read raw until the day is rolled.
        computed = set(days)
        RollupDirtyDay.objects.filter(
            pk__in=[pk for pk, date in markers if date in computed or date > through]
        ).delete()
    return days


def _open_click_rows(days: list[datetime.date], before: datetime.datetime) -> list[ActivityRollup]:
    """Clicks of the open ``days`` recorded before ``before``, per dimension, with a
    ``total`` row for every day (its ``through`` tells reports where raw reading starts)."""
    tz = timezone.get_default_timezone()
    touches = Touch.objects.filter(days_q("created_at", days), created_at__lt=before).annotate(
        day=TruncDate("created_at", tzinfo=tz)
    )
    rows = [ActivityRollup(date=day, dimension=RollupDimension.TOTAL, through=before) for day in days]
    totals = {row.date: row for row in rows}
    for dimension, fields in DIMENSION_FIELDS.items():
        for found in touches.values("day", *fields).annotate(n=Count("pk")):
            if dimension == RollupDimension.TOTAL:
                totals[found["day"]].clicks = found["n"]
                continue
            rows.append(ActivityRollup(
                date=found["day"], dimension=dimension, through=before, clicks=found["n"],
                **{name: found[name] for name in fields},
            ))
    return rows


def rollups_rebuild() -> list[datetime.date]:
    """Drop every roll-up row and roll all closed days again (``attribution rebuild``
    and the demo data call it after writing history)."""
    with transaction.atomic():
        state = _lock_state()
        ActivityRollup.objects.all().delete()
        CreditRollup.objects.all().delete()
        RollupDirtyDay.objects.all().delete()
        state.rolled_through = state.clicks_through = None
        state.save()
    return rollups_advance()


def _roll(days: list[datetime.date]) -> None:
    ActivityRollup.objects.filter(date__in=days).delete()
    CreditRollup.objects.filter(date__in=days).delete()
    ActivityRollup.objects.bulk_create(_activity_rows(days), batch_size=2000)
    CreditRollup.objects.bulk_create(_credit_rows(days), batch_size=2000)


def _activity_rows(days: list[datetime.date]) -> list[ActivityRollup]:
    tz = timezone.get_default_timezone()
    touches = Touch.objects.filter(days_q("created_at", days)).annotate(day=TruncDate("created_at", tzinfo=tz))
    engagement = DailyEngagement.objects.filter(date__in=days).annotate(day=F("date"))
    rows: dict[tuple, ActivityRollup] = {}

    def row(dimension, day, fields, values) -> ActivityRollup:
        key = (dimension, day, *values)
        if key not in rows:
            rows[key] = ActivityRollup(date=day, dimension=dimension, **dict(zip(fields, values, strict=True)))
        return rows[key]

    for dimension, fields in DIMENSION_FIELDS.items():
        for found in touches.values("day", *fields).annotate(n=Count("pk")):
            row(dimension, found["day"], fields, [found[f] for f in fields]).clicks += found["n"]
        if dimension in (RollupDimension.ARTICLE, RollupDimension.TOTAL):
            counted = engagement
        elif dimension in (RollupDimension.BLOCK_TYPE, RollupDimension.POSITION, RollupDimension.BLOCK):
            counted = engagement.exclude(block_id="")
        else:
            continue
        for found in counted.values("day", *fields).annotate(v=Sum("views"), i=Sum("impressions")):
            target = row(dimension, found["day"], fields, [found[f] for f in fields])
            target.views += found["v"] or 0
            target.impressions += found["i"] or 0
    return list(rows.values())


def _credit_rows(days: list[datetime.date]) -> list[CreditRollup]:
    tz = timezone.get_default_timezone()
    credits = AttributionCredit.objects.filter(days_q("order_placed_at", days)).annotate(
        day=TruncDate("order_placed_at", tzinfo=tz),
        un=Case(When(UNATTRIBUTED, then=Value(True)), default=Value(False), output_field=BooleanField()),
    )
    rows = []
    for dimension, fields in DIMENSION_FIELDS.items():
        group_by = ["day", "model", "status_group", *fields] + ([] if dimension == RollupDimension.TOTAL else ["un"])
        counts = {
            # The count query's rows come from a cursor: SQLite gives the day as text.
            (_as_date(day), *rest): count
            for (day, *rest), count in positive_order_counts(
                credits, {f"hw_{name}": F(name) for name in group_by}
            ).items()
        }
        for found in credits.values(*group_by).annotate(
            r=Sum("revenue"), dr=Sum("direct_revenue"), ar=Sum("assisted_revenue"),
        ):
            key = tuple(found[name] for name in group_by)
            rows.append(CreditRollup(
                date=found["day"], model=found["model"], status_group=found["status_group"], dimension=dimension,
                unattributed=found.get("un", False), **{name: found[name] for name in fields},
                revenue=money_quantize(found["r"]), direct_revenue=money_quantize(found["dr"]),
                assisted_revenue=money_quantize(found["ar"]), orders=counts.get(key, 0),
            ))
    return rows


def _as_date(value) -> datetime.date:
    return datetime.date.fromisoformat(value) if isinstance(value, str) else value


def positive_order_counts(credits: QuerySet, keys: dict[str, object]) -> dict[tuple, int]:
    """Distinct orders whose net credit is above zero, per ``keys`` (aliases → expressions;
    each returned key is the tuple of their values). One query: the per-order net is a
    grouped subquery counted by the outer query."""
    aliases = list(keys)
    inner = (
        credits.annotate(**keys, hw_order=F("order_id"))
        .values(*aliases, "hw_order")
        .annotate(hw_net=Sum("revenue"))
        # Half a cent, not zero: SQLite sums decimals as floats (a net of 1e-15 is zero).
        .filter(hw_net__gte=HALF_CENT)
        .values_list(*aliases, "hw_order")
    )
    sql, params = inner.query.sql_with_params()
    columns = ", ".join(connection.ops.quote_name(alias) for alias in aliases)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns}, COUNT(*) FROM ({sql}) AS hw_positive_orders GROUP BY {columns}",
            params,
        )
        return {tuple(row[:-1]): row[-1] for row in cursor.fetchall()}
