"""Paying and refunding orders through their gateway, and what provider webhooks mean.

Locks are always taken order row first, then payment row (``_lock``), so a webhook, an
operator's refund and a reader's retry on the same order cannot deadlock. Gateways may
call their provider over the network, so they are only ever called with no lock held.
"""

import logging
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shop.money import money_format, money_quantize
from shop.orders.errors import IllegalTransition, OrderError
from shop.orders.models import Order, OrderStatus, PaymentMethod
from shop.orders.services import order_mark_paid, order_refund
from shop.payments.errors import NothingToRefund, PaymentError, RefundTooLarge, UnknownGateway, WebhookError
from shop.payments.gateways import WebhookEventData, gateway_for
from shop.payments.models import Payment, PaymentStatus, Refund, WebhookEvent, WebhookOutcome

logger = logging.getLogger(__name__)

#: Order statuses whose money counts in ``Order.refunded_total`` when given back.
ORDER_REFUNDABLE = frozenset({OrderStatus.PAID, OrderStatus.SHIPPED, OrderStatus.DELIVERED})
#: Payment statuses that hold money we could give back.
HOLDS_MONEY = (PaymentStatus.SUCCEEDED, PaymentStatus.PARTIALLY_REFUNDED)


def _lock(payment_id: int) -> tuple[Order, Payment]:
    order_id = Payment.objects.values_list("order_id", flat=True).get(pk=payment_id)
    order = Order.objects.select_for_update().get(pk=order_id)
    payment = Payment.objects.select_for_update().get(pk=payment_id)
    return order, payment


def _confirmation_url(order: Order) -> str:
    return reverse("orders:confirmation", kwargs={"number": order.number})


# --- Starting a payment --------------------------------------------------------------


def payment_start(*, order: Order, request) -> str:
    """Return the URL to send the reader to right after placing ``order``: the offline
    instructions on the confirmation page, or the sandbox's hosted payment page.

    Calling it again for the same unpaid order reuses its pending payment (and the
    provider's charge) instead of opening another; after a declined card it opens a new
    one. An order that no longer waits for payment just goes to its confirmation page.
    """
    gateway = gateway_for(order.payment_method)
    payment = _payment_pending_for(order_id=order.pk, method=order.payment_method)
    if payment is None:
        return _confirmation_url(order)
    return gateway.start(payment, request)


@transaction.atomic
def _payment_pending_for(*, order_id: int, method: str) -> Payment | None:
    order = Order.objects.select_for_update().get(pk=order_id)
    if order.status != OrderStatus.PENDING_PAYMENT or order.total <= 0:
        return None
    payment = order.payments.filter(method=method, status=PaymentStatus.PENDING).order_by("pk").first()
    if payment is None:
        payment = Payment.objects.create(order=order, method=method, amount=order.total, currency=order.currency)
    return payment


# --- Offline confirmation ------------------------------------------------------------


@transaction.atomic
def payment_mark_offline_paid(*, order_id: int, actor, note: str = "") -> Order:
    """An operator confirms a bank transfer or cash on delivery: the order's pending
    offline payment (created if the reader never saw the instructions) succeeds and the
    order becomes paid. Raises ``PaymentError`` for a card order and
    ``IllegalTransition`` for an order not waiting for payment; nothing changes then."""
    order = Order.objects.select_for_update().get(pk=order_id)
    if order.payment_method != PaymentMethod.OFFLINE:
        raise PaymentError(
            _("Order %(number)s is paid by card: the card provider confirms its payment, not an operator.")
            % {"number": order}
        )
    order = order_mark_paid(order_id=order.pk, actor=actor, note=note or _("Offline payment received."))
    payment = (
        order.payments.select_for_update()
        .filter(method=PaymentMethod.OFFLINE, status=PaymentStatus.PENDING)
        .order_by("pk")
        .first()
    )
    if payment is None:
        payment = Payment(order=order, method=PaymentMethod.OFFLINE, amount=order.total, currency=order.currency)
    payment.status = PaymentStatus.SUCCEEDED
    payment.save()
    return order


# --- Refunds ---------------------------------------------------------------------------


def _counts_for_order(order: Order, payment: Payment) -> bool:
    """A refund of the payment that paid a live order lowers the order's balance; money
    of a payment flagged ``refund_due`` (or of a cancelled order) is only given back."""
    return order.status in ORDER_REFUNDABLE and not payment.refund_due


def _refundable(order: Order, payment: Payment) -> Decimal:
    refunded = payment.refunds.aggregate(total=Sum("amount"))["total"] or Decimal("0.00")
    remaining = payment.amount - refunded
    if _counts_for_order(order, payment):
        remaining = min(remaining, order.total - order.refunded_total)
    return remaining


def _check_amount(amount: Decimal, refundable: Decimal) -> None:
    if amount <= 0 or amount > refundable:
        raise RefundTooLarge(
            _("A refund must be more than zero and at most the refundable %(amount)s.")
            % {"amount": money_format(refundable)}
        )


def _refund_apply(
    *, order: Order, payment: Payment, amount: Decimal, reference: str | None, actor, note: str
) -> Order:
    """Record a refund the provider made. Call with the order and payment rows locked."""
    _check_amount(amount, _refundable(order, payment))
    Refund.objects.create(payment=payment, amount=amount, provider_reference=reference, actor=actor, note=note[:255])
    if _counts_for_order(order, payment):
        order = order_refund(order_id=order.pk, amount=amount, actor=actor, note=note)
    refunded = payment.refunds.aggregate(total=Sum("amount"))["total"]
    if refunded == payment.amount:
        payment.status, payment.refund_due = PaymentStatus.REFUNDED, False
    else:
        payment.status = PaymentStatus.PARTIALLY_REFUNDED
    payment.save(update_fields=["status", "refund_due", "updated_at"])
    return order


def _payment_to_refund(order: Order, payment_id: int | None) -> Payment:
    payments = order.payments.filter(status__in=HOLDS_MONEY)
    if payment_id is not None:
        payments = payments.filter(pk=payment_id)
    # The payment that paid the order first, then any money that arrived too late.
    for payment in payments.order_by("refund_due", "pk"):
        if _refundable(order, payment) > 0:
            return payment
    raise NothingToRefund(order)


def payment_refund(
    *, order_id: int, amount: Decimal | str, actor=None, note: str = "", payment_id: int | None = None
) -> Order:
    """Give ``amount`` back through the order's gateway and record it.

    Refunds the payment that paid the order (or ``payment_id``, e.g. a payment flagged
    ``refund_due``). For a paid, shipped or delivered order the refund also goes through
    ``order_refund`` (``refunded_total``; a full refund makes the order ``refunded``).
    Raises ``RefundTooLarge`` unless 0 < amount ≤ what is refundable, ``NothingToRefund``
    without a completed payment, ``PaymentDeclined`` if the provider refuses; in each
    case nothing changes. The provider is called with no lock held; the recording then
    happens under the order and payment locks and is skipped if the provider's
    ``charge.refunded`` webhook already recorded the same refund reference.
    """
    try:
        amount = money_quantize(amount)
    except (InvalidOperation, TypeError, ValueError) as error:
        raise RefundTooLarge(_("The refund amount must be a number like 12.50.")) from error
    order = Order.objects.get(pk=order_id)
    payment = _payment_to_refund(order, payment_id)
    _check_amount(amount, _refundable(order, payment))
    reference = gateway_for(payment.method).refund(payment, amount)
    note = note or _("Refund of %(amount)s.") % {"amount": money_format(amount, payment.currency)}
    with transaction.atomic():
        order, payment = _lock(payment.pk)
        if reference and Refund.objects.filter(provider_reference=reference).exists():
            return order
        return _refund_apply(order=order, payment=payment, amount=amount, reference=reference, actor=actor, note=note)


# --- Webhooks --------------------------------------------------------------------------


def webhook_handle(*, provider: str, body: bytes, headers) -> tuple[int, dict]:
    """Verify, record once and apply one provider webhook; return (HTTP status, JSON).

    400 with ``{"error": …}`` for a missing, forged or expired signature and for a body
    that is not a well-formed event (nothing is stored); 404 for an unknown provider;
    otherwise 200: ``{"status": "duplicate"}`` for an event id seen before (nothing
    changes), else the outcome (``processed``, ``no_change``, ``ignored``, ``attention``).
    Business conflicts (a payment for a cancelled order) are recorded, never raised.
    """
    try:
        gateway = gateway_for(provider)
        event = gateway.parse_webhook(body, headers)
    except UnknownGateway as error:
        return 404, {"error": str(error)}
    except WebhookError as error:
        logger.warning("Refused %s webhook: %s", provider, error)
        return 400, {"error": str(error)}
    return _webhook_apply(provider=provider, event=event)


@transaction.atomic
def _webhook_apply(*, provider: str, event: WebhookEventData) -> tuple[int, dict]:
    try:
        # The unique event id is the replay guard: a concurrent delivery of the same
        # event waits on the index here and then fails.
        with transaction.atomic():
            record = WebhookEvent.objects.create(
                provider=provider, event_id=event.id, type=event.type, payload=event.payload
            )
    except IntegrityError:
        return 200, {"status": "duplicate"}
    handler = WEBHOOK_HANDLERS.get(event.type)
    if handler is None:
        logger.info("Ignored %s webhook %s of unknown type %s", provider, event.id, event.type)
        outcome, detail, payment_id = WebhookOutcome.IGNORED, _("Unknown event type."), None
    else:
        outcome, detail, payment_id = handler(event)
    record.outcome, record.detail, record.payment_id = outcome, detail[:255], payment_id
    record.processed_at = timezone.now()
    record.save(update_fields=["outcome", "detail", "payment", "processed_at"])
    return 200, {"status": str(outcome)}


def _payment_for(event: WebhookEventData) -> Payment | None:
    payment = Payment.objects.filter(provider_reference=event.charge).first()
    if payment is None or (event.payment_id is not None and event.payment_id != payment.pk):
        logger.warning("Webhook %s names charge %s, which no payment of ours has", event.id, event.charge)
        return None
    return payment


def _on_charge_succeeded(event: WebhookEventData) -> tuple[str, str, int | None]:
    found = _payment_for(event)
    if found is None:
        return WebhookOutcome.IGNORED, _("No payment has this charge."), None
    order, payment = _lock(found.pk)
    if payment.status not in (PaymentStatus.PENDING, PaymentStatus.FAILED):
        return WebhookOutcome.NO_CHANGE, _("The payment had already succeeded."), payment.pk
    payment.status = PaymentStatus.SUCCEEDED
    outcome, detail = WebhookOutcome.PROCESSED, _("Order %(number)s is paid.") % {"number": order}
    if event.amount != payment.amount:
        payment.refund_due = True
        outcome = WebhookOutcome.ATTENTION
        detail = _("The provider charged %(charged)s instead of %(amount)s: refund it.") % {
            "charged": money_format(event.amount, payment.currency), "amount": money_format(payment.amount, payment.currency),
        }
    else:
        try:
            order_mark_paid(order_id=order.pk, note=_("Paid by card (%(charge)s).") % {"charge": event.charge})
        except IllegalTransition:
            # Paid too late (cancelled, expired) or twice: keep the money's record, flag it.
            payment.refund_due = True
            outcome = WebhookOutcome.ATTENTION
            detail = _("Order %(number)s was %(status)s when the payment arrived: refund it.") % {
                "number": order, "status": order.get_status_display(),
            }
    payment.save(update_fields=["status", "refund_due", "updated_at"])
    return outcome, detail, payment.pk


def _on_charge_failed(event: WebhookEventData) -> tuple[str, str, int | None]:
    found = _payment_for(event)
    if found is None:
        return WebhookOutcome.IGNORED, _("No payment has this charge."), None
    _order, payment = _lock(found.pk)
    if payment.status != PaymentStatus.PENDING:
        return WebhookOutcome.NO_CHANGE, _("The payment was no longer pending."), payment.pk
    payment.status = PaymentStatus.FAILED
    payment.save(update_fields=["status", "updated_at"])
    return WebhookOutcome.PROCESSED, _("The card was declined."), payment.pk


def _on_charge_refunded(event: WebhookEventData) -> tuple[str, str, int | None]:
    found = _payment_for(event)
    if found is None:
        return WebhookOutcome.IGNORED, _("No payment has this charge."), None
    if not event.refund or event.amount is None:
        return WebhookOutcome.IGNORED, _("The event names no refund."), found.pk
    order, payment = _lock(found.pk)
    if Refund.objects.filter(provider_reference=event.refund).exists():
        return WebhookOutcome.NO_CHANGE, _("The refund was already recorded."), payment.pk
    try:
        with transaction.atomic():
            _refund_apply(
                order=order, payment=payment, amount=money_quantize(event.amount), reference=event.refund,
                actor=None, note=_("Refund %(refund)s made at the card provider.") % {"refund": event.refund},
            )
    except OrderError as error:
        return WebhookOutcome.ATTENTION, str(error), payment.pk
    return WebhookOutcome.PROCESSED, _("Refund recorded."), payment.pk


#: What each provider event type does; other types are stored and ignored.
WEBHOOK_HANDLERS = {
    "charge.succeeded": _on_charge_succeeded,
    "charge.failed": _on_charge_failed,
    "charge.refunded": _on_charge_refunded,
}
