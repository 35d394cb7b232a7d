"""Order state changes. Every change goes through ``order_transition``, which locks the
order row, checks the transition table and writes the history row."""

from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from shop.attribution.models import STATUS_GROUP_OF, AttributionCredit
from shop.attribution.rollups import rollup_moments_changed
from shop.attribution.services import credits_reverse
from shop.catalogue.models import SKU
from shop.catalogue.signals import stock_changed
from shop.money import money_format, money_quantize
from shop.orders.errors import IllegalTransition, RefundTooLarge
from shop.orders.models import Order, OrderEvent, OrderStatus, PaymentMethod, StockMovement

S = OrderStatus

#: Which status may follow which. Anything else raises ``IllegalTransition``.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.PENDING_PAYMENT: frozenset({S.PAID, S.CANCELLED}),
    S.PAID: frozenset({S.SHIPPED, S.CANCELLED, S.REFUNDED}),
    S.SHIPPED: frozenset({S.DELIVERED, S.REFUNDED}),
    S.DELIVERED: frozenset({S.REFUNDED}),
    S.CANCELLED: frozenset(),
    S.REFUNDED: frozenset(),
}

#: Cash on delivery is paid at the door: such an order ships while it waits for payment,
#: and delivering it is when the money arrives (``payment_collect_on_delivery``).
#: A parcel refused at the door comes back: the unpaid order is cancelled, its stock returns.
COD_TRANSITIONS: dict[str, frozenset[str]] = {
    S.PENDING_PAYMENT: frozenset({S.SHIPPED}),
    S.SHIPPED: frozenset({S.CANCELLED}),
}


def _cod_unpaid(order: Order) -> bool:
    return order.payment_method == PaymentMethod.COD and order.paid_at is None


def transitions_allowed(order: Order) -> frozenset[str]:
    """The statuses ``order`` may move to now: the table, plus shipping an unpaid
    cash-on-delivery order."""
    allowed = TRANSITIONS[order.status]
    if _cod_unpaid(order):
        allowed = allowed | COD_TRANSITIONS.get(order.status, frozenset())
    return allowed


#: Statuses in which the order still holds its stock (cancelling returns it).
HOLDS_STOCK = frozenset({S.PENDING_PAYMENT, S.PAID})


def _lock_order(order_id: int) -> Order:
    return Order.objects.select_for_update().get(pk=order_id)


def _record(order: Order, from_status: str, *, actor=None, note: str = "") -> None:
    OrderEvent.objects.create(
        order=order, from_status=from_status, to_status=order.status, actor=actor, note=note[:255]
    )


@transaction.atomic
def order_transition(*, order_id: int, to_status: str, actor=None, note: str = "", **fields) -> Order:
    """Move an order to ``to_status`` under a row lock and log who did it.

    Raises ``IllegalTransition`` when the table does not allow the move.
    """
    order = _lock_order(order_id)
    if to_status not in transitions_allowed(order):
        raise IllegalTransition(order, to_status)
    from_status = order.status
    order.status = to_status
    for name, value in fields.items():
        setattr(order, name, value)
    order.save(update_fields=["status", *fields])
    _record(order, from_status, actor=actor, note=note)
    if STATUS_GROUP_OF[from_status] != STATUS_GROUP_OF[to_status]:
        # Reports filter credits by the status group they carry, and the roll-ups of an
        # old order's day by it too: both move with the order, in its transaction.
        AttributionCredit.objects.filter(order_id=order.pk).update(status_group=STATUS_GROUP_OF[to_status])
        rollup_moments_changed(moments=[order.placed_at])
    return order


def order_mark_paid(*, order_id: int, actor=None, note: str = "") -> Order:
    return order_transition(
        order_id=order_id, to_status=S.PAID, actor=actor, note=note, paid_at=timezone.now()
    )


def order_ship(*, order_id: int, carrier: str, tracking_number: str, actor=None) -> Order:
    return order_transition(
        order_id=order_id, to_status=S.SHIPPED, actor=actor,
        note=f"{carrier} {tracking_number}".strip(),
        carrier=carrier, tracking_number=tracking_number,
    )


def order_deliver(*, order_id: int, actor=None) -> Order:
    return order_transition(order_id=order_id, to_status=S.DELIVERED, actor=actor)


@transaction.atomic
def order_cancel(*, order_id: int, actor=None, note: str = "", reason=StockMovement.Reason.RELEASE) -> Order:
    """Cancel and put every line's quantity back on its SKU (when the SKU still exists).

    Locks the order, then the SKUs in primary-key order (the same order checkout uses).
    """
    order = _lock_order(order_id)
    holds_stock = order.status in HOLDS_STOCK or (order.status == S.SHIPPED and _cod_unpaid(order))
    order = order_transition(order_id=order_id, to_status=S.CANCELLED, actor=actor, note=note)
    if holds_stock:
        _release_stock(order, actor=actor, reason=reason)
    credits_reverse(order_id=order.pk, amount=order.total, reason="cancelled")
    return order


def _release_stock(order: Order, *, actor, reason) -> None:
    lines = [line for line in order.lines.order_by("sku_id") if line.sku_id]
    list(SKU.objects.select_for_update().filter(pk__in=[ln.sku_id for ln in lines]).order_by("pk"))
    for line in lines:
        SKU.objects.filter(pk=line.sku_id).update(stock=F("stock") + line.quantity)
    stock_changed.send(sender=SKU, sku_ids=[line.sku_id for line in lines])
    StockMovement.objects.bulk_create(
        StockMovement(sku_id=line.sku_id, delta=line.quantity, reason=reason, order=order, actor=actor)
        for line in lines
    )


@transaction.atomic
def order_refund(*, order_id: int, amount: Decimal, actor=None, note: str = "") -> Order:
    """Record a refund of ``amount``; the order becomes ``refunded`` once everything is
    refunded. Raises ``RefundTooLarge`` past the refundable amount."""
    amount = money_quantize(amount)
    order = _lock_order(order_id)
    if order.status not in (S.PAID, S.SHIPPED, S.DELIVERED):
        raise IllegalTransition(order, S.REFUNDED)
    refundable = order.total - order.refunded_total
    if amount <= 0 or amount > refundable:
        raise RefundTooLarge(
            _("A refund must be more than zero and at most the refundable %(amount)s.")
            % {"amount": money_format(refundable)}
        )
    order.refunded_total += amount
    order.save(update_fields=["refunded_total"])
    credits_reverse(order_id=order.pk, amount=amount, reason="refund")
    if order.refunded_total == order.total:
        return order_transition(order_id=order.pk, to_status=S.REFUNDED, actor=actor, note=note)
    _record(order, order.status, actor=actor, note=note or _("Partial refund of %(amount)s") % {"amount": money_format(amount)})
    return order


def orders_expire(*, now=None, actor=None) -> int:
    """Cancel every unpaid order whose pay-by time has passed and give its stock back.

    Safe to run in several processes at once: each order is cancelled under its row
    lock, and an order that another run (or a payment) got to first is skipped.
    Returns how many orders this call expired.
    """
    now = now or timezone.now()
    expired = 0
    due = Order.objects.filter(status=S.PENDING_PAYMENT, expires_at__lt=now).values_list("pk", flat=True)
    for order_id in list(due):
        try:
            order_cancel(order_id=order_id, actor=actor, note=_("Not paid in time."))
        except IllegalTransition:
            continue
        expired += 1
    return expired
