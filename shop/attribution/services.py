"""Writing attribution credits: an order's share per touch under every model, their
reversal on cancellation or refund, and a deterministic rebuild.

The arithmetic lives in ``shop.attribution.crediting``; this module finds the touches,
locks the order and writes the rows. Writing an old order's credits marks its day for
the daily roll-ups (``rollups``). See docs/decisions/0005-attribution-models.md.
"""

import logging
from collections.abc import Callable, Iterable
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from shop.attribution.crediting import OrderLineAmount, credit_shares, reversal_shares
from shop.attribution.models import STATUS_GROUP_OF, AttributionCredit, AttributionModel, CreditKind, Touch
from shop.attribution.rollups import rollup_moments_changed
from shop.money import money_quantize
from shop.orders.models import Order, OrderLine, OrderStatus

logger = logging.getLogger(__name__)

#: The touch's keys each credit copies, so reports group credits without joining touches.
KEY_FIELDS = (
    "article_page_id", "block_id", "block_type", "position", "sku_id",
    "utm_source", "utm_medium", "utm_campaign", "utm_content", "curator_code",
)
#: Orders per transaction in ``credits_rebuild``: their rows stay locked that long.
REBUILD_CHUNK = 100

ProgressCallback = Callable[[int, int], None]


def credits_for_order(*, order_id: int) -> None:
    """(Re)compute the order's ``order`` credits for all five models.

    Locks the order row. Touches are the order visitor's and (when the order has a
    user) the user's, placed from ``HAOWU_ATTRIBUTION_LOOKBACK_DAYS`` before the order
    up to the order's time, both ends included. For each model the rows sum exactly
    to ``order.total``; an order no touch explains gets one row without a touch.

    Idempotent: when the computed rows equal the stored ones nothing is written. When
    they differ (new touches were linked, settings changed) every row is replaced, and
    whatever had been reversed per model is taken back again from the new rows, in
    one reversal. Raises ``Order.DoesNotExist`` for an unknown order."""
    with transaction.atomic():
        order = _lock_order(order_id)
        existing = list(AttributionCredit.objects.filter(order=order).order_by("pk"))
        fresh = _order_rows(order, _order_lines(order.pk), _order_touches(order))
        stored = [row for row in existing if row.kind == CreditKind.ORDER]
        if _canonical(stored) == _canonical(fresh):
            return
        rows = list(fresh)
        for model in AttributionModel.values:
            reversed_amount = -sum(
                (row.revenue for row in existing if row.model == model and row.kind == CreditKind.REVERSAL),
                Decimal("0"),
            )
            rows += _reversal_rows(order, [r for r in fresh if r.model == model], reversed_amount)
        AttributionCredit.objects.filter(order=order).delete()
        AttributionCredit.objects.bulk_create(rows)
        rollup_moments_changed(moments=[order.placed_at])


def credits_for_new_order(*, order: Order, lines: Iterable[OrderLine]) -> None:
    """Credit an order placed in the caller's transaction, which holds its row and has
    its lines in hand: the same rows as ``credits_for_order`` in at most two queries
    (the touches, one insert), because a new order has no credits to compare."""
    amounts = [OrderLineAmount(line.sku_id, line.line_total) for line in lines]
    AttributionCredit.objects.bulk_create(_order_rows(order, amounts, _order_touches(order)))
    rollup_moments_changed(moments=[order.placed_at])  # nothing to do for an order placed today


def credits_reverse(*, order_id: int, amount: Decimal, reason: str) -> None:
    """Take ``amount`` of the order's revenue back from its credits, for every model.

    Locks the order row. Adds ``reversal`` rows (negative) in proportion to what each
    credit still holds, so each model's net falls by exactly ``amount``; refunds
    accumulate, and reversing ``order.total`` (a cancel) leaves every credit at exactly
    zero. More than is left is clamped to what is left (a cancel after a partial
    refund may pass ``order.total``). Computes the order's credits first if it has
    none. ``reason`` is logged. Raises ``ValueError`` for a negative amount and
    ``Order.DoesNotExist`` for an unknown order."""
    amount = money_quantize(amount)
    if amount < 0:
        raise ValueError("A reversal amount must not be negative.")
    with transaction.atomic():
        order = _lock_order(order_id)
        existing = list(AttributionCredit.objects.filter(order=order).order_by("pk"))
        if not any(row.kind == CreditKind.ORDER for row in existing):
            existing = _order_rows(order, _order_lines(order.pk), _order_touches(order))
            AttributionCredit.objects.bulk_create(existing)
        rows = []
        for model in AttributionModel.values:
            rows += _reversal_rows(order, [r for r in existing if r.model == model], amount)
        AttributionCredit.objects.bulk_create(rows)
        rollup_moments_changed(moments=[order.placed_at])
    logger.info("Reversed %s of order %s's attribution credits: %s", amount, order_id, reason)


def credits_rebuild(*, since: date, progress: ProgressCallback | None = None) -> int:
    """Recompute the credits of every order placed on or after ``since`` (midnight,
    site time zone) from the touches and the order as they are now: ``order`` rows as
    ``credits_for_order`` computes them, plus one reversal of everything for a cancelled
    order or of ``refunded_total`` otherwise. Deterministic: a second run finds every
    order's rows equal and writes nothing.

    Works in chunks of ``REBUILD_CHUNK`` orders, one transaction each, locking the
    chunk's order rows in primary-key order. Calls ``progress(done, total)`` after each
    order. Returns how many orders it went through."""
    start = timezone.make_aware(datetime.combine(since, time.min))
    orders = Order.objects.filter(placed_at__gte=start)
    total = orders.count()
    done = 0
    last_pk = 0
    while True:
        chunk = list(orders.filter(pk__gt=last_pk).order_by("pk").values_list("pk", flat=True)[:REBUILD_CHUNK])
        if not chunk:
            return done
        for _ in _rebuild_chunk(chunk):
            done += 1
            if progress is not None:
                progress(done, max(total, done))
        last_pk = chunk[-1]


@transaction.atomic
def _rebuild_chunk(order_ids: list[int]) -> Iterable[int]:
    orders = list(Order.objects.select_for_update().filter(pk__in=order_ids).order_by("pk"))
    lines: dict[int, list[OrderLineAmount]] = {}
    for order_id, sku_id, line_total in OrderLine.objects.filter(order_id__in=order_ids).values_list(
        "order_id", "sku_id", "line_total"
    ):
        lines.setdefault(order_id, []).append(OrderLineAmount(sku_id, line_total))
    existing: dict[int, list[AttributionCredit]] = {}
    for row in AttributionCredit.objects.filter(order_id__in=order_ids).order_by("pk"):
        existing.setdefault(row.order_id, []).append(row)

    stale, rows, moments = [], [], []
    for order in orders:
        fresh = _order_rows(order, lines.get(order.pk, []), _order_touches(order))
        reversed_amount = order.total if order.status == OrderStatus.CANCELLED else order.refunded_total
        wanted = list(fresh)
        for model in AttributionModel.values:
            wanted += _reversal_rows(order, [r for r in fresh if r.model == model], reversed_amount)
        if _canonical(existing.get(order.pk, [])) != _canonical(wanted):
            stale.append(order.pk)
            moments.append(order.placed_at)
            rows += wanted
    AttributionCredit.objects.filter(order_id__in=stale).delete()
    AttributionCredit.objects.bulk_create(rows, batch_size=1000)
    rollup_moments_changed(moments=moments)
    return [order.pk for order in orders]


def _lock_order(order_id: int) -> Order:
    return Order.objects.select_for_update().get(pk=order_id)


def _order_lines(order_id: int) -> list[OrderLineAmount]:
    return [
        OrderLineAmount(sku_id, line_total)
        for sku_id, line_total in OrderLine.objects.filter(order_id=order_id).values_list("sku_id", "line_total")
    ]


def _order_touches(order: Order) -> list[Touch]:
    """The visitor's and the user's touches in the lookback window, oldest first."""
    who = Q()
    if order.visitor_id:
        who |= Q(visitor_id=order.visitor_id)
    if order.user_id:
        who |= Q(user_id=order.user_id)
    if not who:
        return []
    window = timedelta(days=settings.HAOWU_ATTRIBUTION_LOOKBACK_DAYS)
    return list(
        Touch.objects.filter(who, created_at__gte=order.placed_at - window, created_at__lte=order.placed_at)
        .order_by("created_at", "pk")
    )


def _order_rows(order: Order, lines: list[OrderLineAmount], touches: list[Touch]) -> list[AttributionCredit]:
    shares = credit_shares(
        revenue=order.total, lines=lines, touches=touches,
        half_life=timedelta(days=settings.HAOWU_ATTRIBUTION_HALF_LIFE_DAYS),
    )
    rows = []
    for model in AttributionModel.values:
        for share in shares[model]:
            keys = {field: getattr(share.touch, field) for field in KEY_FIELDS} if share.touch is not None else {}
            rows.append(AttributionCredit(
                order=order, model=model, kind=CreditKind.ORDER, touch=share.touch,
                revenue=share.revenue, direct_revenue=share.direct_revenue,
                assisted_revenue=share.assisted_revenue, order_placed_at=order.placed_at,
                status_group=STATUS_GROUP_OF[order.status], **keys,
            ))
    return rows


def _reversal_rows(order: Order, model_rows: list[AttributionCredit], amount: Decimal) -> list[AttributionCredit]:
    """Reversal rows taking ``amount`` from one model's credits. Credits with the same
    touch and keys are one holding (they only differ if their touch was deleted)."""
    holdings: dict[tuple, list] = {}
    for row in model_rows:
        key = (row.touch_id, *(getattr(row, field) for field in KEY_FIELDS))
        holding = holdings.setdefault(key, [Decimal("0"), Decimal("0"), row])
        holding[0] += row.revenue
        holding[1] += row.direct_revenue
    parts = reversal_shares(held=[(revenue, direct) for revenue, direct, _ in holdings.values()], amount=amount)
    rows = []
    for (_, _, template), (revenue, direct, assisted) in zip(holdings.values(), parts, strict=True):
        if revenue:
            rows.append(AttributionCredit(
                order=order, model=template.model, kind=CreditKind.REVERSAL, touch_id=template.touch_id,
                revenue=revenue, direct_revenue=direct, assisted_revenue=assisted,
                order_placed_at=order.placed_at, status_group=STATUS_GROUP_OF[order.status],
                **{field: getattr(template, field) for field in KEY_FIELDS},
            ))
    return rows


def _canonical(rows: Iterable[AttributionCredit]) -> list[tuple]:
    return [
        (row.model, row.kind, row.touch_id, *(getattr(row, field) for field in KEY_FIELDS),
         row.revenue, row.direct_revenue, row.assisted_revenue, row.order_placed_at, row.status_group)
        for row in rows
    ]
