"""Paying and refunding orders through their gateway, and what provider webhooks mean.

Locks are always taken order row first, then payment row (``_lock``), so a webhook, an
operator's refund and a reader's retry on the same order cannot deadlock. Gateways may
call their provider over the network, so they are only ever called with no lock held.
"""

import hashlib
import logging
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shop.money import money_format, money_quantize
from shop.orders.errors import IllegalTransition, OrderError
from shop.orders.models import Order, OrderEvent, OrderStatus, PaymentMethod
from shop.orders.services import order_cancel, order_mark_paid, order_refund, order_transition, orders_expire
from shop.payments.errors import (
    MalformedWebhook,
    NothingToRefund,
    PaymentError,
    RefundTooLarge,
    UnknownGateway,
    WebhookError,
)
from shop.payments.gateways import GATEWAYS, WebhookEventData, gateway_for, payment_method_enabled
from shop.payments.models import Payment, PaymentStatus, Refund, WebhookEvent, WebhookOutcome
from shop.payments.tasks import sandbox_deliveries_retry

logger = logging.getLogger(__name__)

#: Order statuses whose money counts in ``Order.refunded_total`` when given back.
ORDER_REFUNDABLE = frozenset({OrderStatus.PAID, OrderStatus.SHIPPED, OrderStatus.DELIVERED})
#: Payment statuses that hold money we could give back.
HOLDS_MONEY = (PaymentStatus.SUCCEEDED, PaymentStatus.PARTIALLY_REFUNDED)
#: Methods an operator confirms by hand (the money does not come through a provider).
CONFIRMED_BY_HAND = frozenset({PaymentMethod.OFFLINE, PaymentMethod.COD})


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
    """An operator confirms a bank transfer, or the cash the courier collected on
    delivery: the order's pending payment of that method (created if the reader never
    saw the instructions) succeeds and the order becomes paid. Raises ``PaymentError``
    for a card order and ``IllegalTransition`` for an order not waiting for payment;
    nothing changes then."""
    order = Order.objects.select_for_update().get(pk=order_id)
    method = order.payment_method
    if method not in CONFIRMED_BY_HAND:
        raise PaymentError(
            _("Order %(number)s is paid by card: the card provider confirms its payment, not an operator.")
            % {"number": order}
        )
    default_note = _("Cash collected on delivery.") if method == PaymentMethod.COD else _("Offline payment received.")
    order = order_mark_paid(order_id=order.pk, actor=actor, note=note or default_note)
    _payment_received_by_hand(order=order, method=method)
    return order


def _payment_received_by_hand(*, order: Order, method: str) -> None:
    """The order's pending payment of ``method`` succeeds (created if the reader never
    saw the instructions). Call inside the transaction that holds the order's lock."""
    payment = (
        order.payments.select_for_update()
        .filter(method=method, status=PaymentStatus.PENDING)
        .order_by("pk")
        .first()
    )
    if payment is None:
        payment = Payment(order=order, method=method, amount=order.total, currency=order.currency)
    payment.status = PaymentStatus.SUCCEEDED
    payment.save()


@transaction.atomic
def payment_collect_on_delivery(*, order_id: int, actor=None, note: str = "") -> Order:
    """A shipped cash-on-delivery order is handed over and paid at the door: under the
    order's lock it becomes delivered, ``paid_at`` is set and its cash payment succeeds.
    Raises ``PaymentError`` for another method or an order already paid, and
    ``IllegalTransition`` unless the order is shipped; nothing changes then."""
    order = Order.objects.select_for_update().get(pk=order_id)
    if order.payment_method != PaymentMethod.COD or order.paid_at is not None:
        raise PaymentError(
            _("Order %(number)s is not waiting for cash on delivery.") % {"number": order}
        )
    order = order_transition(
        order_id=order.pk, to_status=OrderStatus.DELIVERED, actor=actor,
        note=note or _("Delivered; cash collected."), paid_at=timezone.now(),
    )
    _payment_received_by_hand(order=order, method=PaymentMethod.COD)
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
    """Record a refund the provider made (or an operator handed back). Call with the
    order and payment rows locked."""
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
    note = note or _("Refund of %(amount)s.") % {"amount": money_format(amount, payment.currency)}
    # Who and why travel with the request: the provider's webhook may record the refund
    # before this call returns, and it must record the same operator and note.
    metadata = {"actor": actor.pk if actor is not None else None, "note": note[:255]}
    reference = gateway_for(payment.method).refund(payment, amount, metadata=metadata)
    with transaction.atomic():
        order, payment = _lock(payment.pk)
        if reference and Refund.objects.filter(provider_reference=reference).exists():
            return order
        return _refund_apply(order=order, payment=payment, amount=amount, reference=reference, actor=actor, note=note)


# --- Webhooks --------------------------------------------------------------------------


def webhook_handle(*, provider: str, body: bytes, headers) -> tuple[int, dict]:
    """Verify, record once and apply one provider webhook; return (HTTP status, JSON).

    400 with ``{"error": …}`` for a missing, forged or expired signature (nothing is
    stored) and for an authentic body that is not a usable event: unreadable, nested too
    deeply, an absurd amount (stored once as ``rejected`` for an operator to see); 404
    for a provider that is unknown or not enabled; otherwise 200: ``{"status":
    "duplicate"}`` for an event id seen before (nothing changes), else the outcome
    (``processed``, ``no_change``, ``ignored``, ``attention``). Business conflicts (a
    payment for a cancelled order, a foreign currency) are recorded, never raised.
    """
    try:
        gateway = gateway_for(provider)
        event = gateway.parse_webhook(body, headers)
    except UnknownGateway as error:
        return 404, {"error": str(error)}
    except MalformedWebhook as error:
        logger.warning("Rejected an authentic %s webhook: %s", provider, error)
        _webhook_reject(provider=provider, body=body, reason=str(error))
        return 400, {"error": str(error)}
    except WebhookError as error:
        logger.warning("Refused %s webhook: %s", provider, error)
        return 400, {"error": str(error)}
    return _webhook_apply(provider=provider, event=event)


#: How much of a rejected body is kept for the operator (as text, never parsed).
REJECTED_BODY_CHARS = 2000


def _webhook_reject(*, provider: str, body: bytes, reason: str) -> None:
    """Keep an authentic delivery we cannot use, once per body (a provider retries a
    refused delivery with the same body): ``rej_`` and a hash stand in for its id."""
    event_id = "rej_" + hashlib.sha256(body).hexdigest()[:60]
    WebhookEvent.objects.get_or_create(
        event_id=event_id,
        defaults={
            "provider": provider, "type": "rejected",
            "payload": {"body": body[:REJECTED_BODY_CHARS].decode(errors="replace")},
            "outcome": WebhookOutcome.REJECTED, "detail": reason[:255], "processed_at": timezone.now(),
        },
    )


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
    if event.amount is None:
        return WebhookOutcome.ATTENTION, _("The provider did not say how much it charged."), found.pk
    return _payment_succeeded(
        payment_id=found.pk, amount=event.amount, currency=event.currency or found.currency, charge=event.charge
    )


def _payment_succeeded(*, payment_id: int, amount: Decimal, currency: str, charge: str) -> tuple[str, str, int]:
    """The provider took ``amount`` in ``currency`` for the payment: the order is paid if
    that is exactly what it asked for and it can still be paid. Otherwise the money's
    record is kept and flagged ``refund_due`` with an outcome for an operator. Takes the
    order and payment locks (call inside a transaction)."""
    order, payment = _lock(payment_id)
    if payment.status not in (PaymentStatus.PENDING, PaymentStatus.FAILED, PaymentStatus.CANCELLED):
        return WebhookOutcome.NO_CHANGE, _("The payment had already succeeded."), payment.pk
    payment.status = PaymentStatus.SUCCEEDED
    outcome, detail = WebhookOutcome.PROCESSED, _("Order %(number)s is paid.") % {"number": order}
    if currency != payment.currency:
        payment.refund_due = True
        outcome = WebhookOutcome.ATTENTION
        detail = _("The provider charged %(charged)s %(currency)s instead of %(amount)s: refund it.") % {
            "charged": amount, "currency": currency, "amount": money_format(payment.amount, payment.currency),
        }
    elif amount != payment.amount:
        payment.refund_due = True
        outcome = WebhookOutcome.ATTENTION
        detail = _("The provider charged %(charged)s instead of %(amount)s: refund it.") % {
            "charged": money_format(amount, payment.currency), "amount": money_format(payment.amount, payment.currency),
        }
    elif order.payment_method != payment.method:
        # The reader switched to another method after opening this charge, then paid it.
        payment.refund_due = True
        outcome = WebhookOutcome.ATTENTION
        detail = _("Order %(number)s was switched to another payment method when this payment arrived: refund it.") % {
            "number": order,
        }
    else:
        try:
            order_mark_paid(order_id=order.pk, note=_("Paid by card (%(charge)s).") % {"charge": charge})
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
    if event.currency and event.currency != payment.currency:
        return WebhookOutcome.ATTENTION, _("The provider refunded %(amount)s %(currency)s, not in %(ours)s.") % {
            "amount": event.amount, "currency": event.currency, "ours": payment.currency,
        }, payment.pk
    actor, note = _refund_origin(event)
    try:
        with transaction.atomic():
            _refund_apply(
                order=order, payment=payment, amount=money_quantize(event.amount), reference=event.refund,
                actor=actor, note=note,
            )
    except OrderError as error:
        return WebhookOutcome.ATTENTION, str(error), payment.pk
    return WebhookOutcome.PROCESSED, _("Refund recorded."), payment.pk


def _refund_origin(event: WebhookEventData) -> tuple[object, str]:
    """Who asked for a refund and why, from the metadata our own request attached
    (``payment_refund``); a refund made at the provider's dashboard has none."""
    metadata = event.metadata or {}
    actor_id, note = metadata.get("actor"), metadata.get("note")
    actor = None
    if isinstance(actor_id, int) and not isinstance(actor_id, bool):
        actor = get_user_model().objects.filter(pk=actor_id).first()
    if not isinstance(note, str) or not note:
        note = _("Refund %(refund)s made at the card provider.") % {"refund": event.refund}
    return actor, note[:255]


#: What each provider event type does; other types are stored and ignored.
WEBHOOK_HANDLERS = {
    "charge.succeeded": _on_charge_succeeded,
    "charge.failed": _on_charge_failed,
    "charge.refunded": _on_charge_refunded,
}


# --- Cancelling orders: their money and their open charges -----------------------------


@dataclass(frozen=True)
class CancelOutcome:
    """What cancelling an order did with its money: ``refunded`` went back through the
    provider; ``refund_due`` is flagged for an operator to hand back (bank transfer,
    cash, or a refund the provider refused)."""

    order: Order
    refunded: Decimal
    refund_due: Decimal


def order_cancel_with_payments(*, order_id: int, actor=None, note: str = "") -> CancelOutcome:
    """Cancel an order (``order_cancel``: stock back, credits reversed) and settle its
    payments: every open charge is closed at its provider so it can take no money any
    more, and money already paid is refunded through the gateway that took it, or,
    where the gateway cannot (offline methods) or the provider refuses, its payment is
    flagged ``refund_due`` so the operator sees the refund action.

    The cancellation commits first, so a charge paid meanwhile is caught by its webhook
    (flagged ``refund_due``). Providers are called with no lock held. Raises
    ``IllegalTransition`` (nothing changes) for an order that cannot be cancelled.
    """
    order = order_cancel(order_id=order_id, actor=actor, note=note)
    payments_close_open(order_id=order.pk)
    refunded = refund_due = Decimal("0.00")
    for payment in Payment.objects.filter(order_id=order.pk, status__in=HOLDS_MONEY).order_by("pk"):
        remaining = _refundable(order, payment)
        if remaining <= 0:
            continue
        gateway = GATEWAYS.get(payment.method)
        if gateway is not None and gateway.can_refund and payment_method_enabled(payment.method):
            try:
                payment_refund(
                    order_id=order.pk, amount=remaining, actor=actor, payment_id=payment.pk,
                    note=_("Order cancelled: %(note)s") % {"note": note} if note else _("Order cancelled."),
                )
            except PaymentError as error:
                logger.warning("Refund of payment %s on cancelling order %s failed: %s", payment.pk, order, error)
            else:
                refunded += remaining
                continue
        Payment.objects.filter(pk=payment.pk).update(refund_due=True, updated_at=timezone.now())
        refund_due += remaining
    order.refresh_from_db()
    return CancelOutcome(order=order, refunded=refunded, refund_due=refund_due)


def payments_close_open(*, order_id: int) -> int:
    """Close every pending payment of ``order`` at its provider and mark it cancelled,
    so its hosted page refuses to take money. A charge the provider says was paid in
    the meantime stays pending for its webhook (or ``payment_sync``) to record.
    Providers are called with no lock held. Returns how many payments were closed."""
    closed = 0
    for payment in list(Payment.objects.filter(order_id=order_id, status=PaymentStatus.PENDING).order_by("pk")):
        # Any known gateway, even one switched off since: closing never takes money.
        gateway = GATEWAYS.get(payment.method)
        if gateway is not None:
            gateway.cancel(payment)
            state = gateway.retrieve(payment)
            if state is not None and state.status != "canceled":
                continue
        closed += Payment.objects.filter(pk=payment.pk, status=PaymentStatus.PENDING).update(
            status=PaymentStatus.CANCELLED, updated_at=timezone.now()
        )
    return closed


def orders_expire_with_payments(*, now=None) -> tuple[int, int]:
    """``orders_expire`` (unpaid orders past their pay-by time are cancelled; cash on
    delivery has none), then close the open charges of every order that no longer
    waits for them: expired or cancelled orders, and methods the reader switched away
    from. Safe to run in several places at once. Returns (orders expired, payments closed)."""
    expired = orders_expire(now=now)
    stale = (
        Payment.objects.filter(status=PaymentStatus.PENDING)
        .exclude(order__status=OrderStatus.PENDING_PAYMENT, order__payment_method=F("method"))
        .values_list("order_id", flat=True)
        .distinct()
    )
    closed = sum(payments_close_open(order_id=order_id) for order_id in list(stale))
    return expired, closed


def sandbox_webhooks_retry(*, now=None) -> tuple[int, int]:
    """The sandbox provider's retries of webhooks the shop did not accept (when the
    sandbox is enabled). Returns (delivered, failed)."""
    if not payment_method_enabled(PaymentMethod.SANDBOX):
        return 0, 0
    return sandbox_deliveries_retry(now=now)


# --- Asking the provider ---------------------------------------------------------------


def payment_sync(*, payment_id: int) -> tuple[Payment, str | None]:
    """Ask the provider for the state of a pending payment's charge and apply it, as its
    webhook would: the reader came back from paying and no webhook has arrived yet. The
    webhook, when it comes, then changes nothing. The provider is asked with no lock
    held. Returns the payment as it is afterwards and what the provider said
    (``pending``, ``succeeded``, ``failed``, ``canceled``; ``None`` when not asked)."""
    payment = Payment.objects.get(pk=payment_id)
    if payment.status != PaymentStatus.PENDING:
        return payment, None
    try:
        state = gateway_for(payment.method).retrieve(payment)
    except UnknownGateway:
        return payment, None
    if state is None:
        return payment, None
    with transaction.atomic():
        if state.status == "succeeded":
            outcome, detail, _pk = _payment_succeeded(
                payment_id=payment.pk, amount=state.amount, currency=state.currency, charge=payment.provider_reference,
            )
            logger.info("Payment %s confirmed by asking the provider: %s (%s)", payment.pk, outcome, detail)
        elif state.status == "failed":
            Payment.objects.filter(pk=payment.pk, status=PaymentStatus.PENDING).update(
                status=PaymentStatus.FAILED, updated_at=timezone.now()
            )
    payment.refresh_from_db()
    return payment, state.status


# --- The reader changes the payment method ----------------------------------------------


def order_payment_method_change(*, order_id: int, method: str) -> Order:
    """Switch an order still waiting for payment to another enabled method. Its open
    charges of the old method are closed (so they take no money), cash on delivery
    drops the pay-by time, and a switch away from it sets one from now. Raises
    ``PaymentError`` for a method not offered, the same method, or an order no longer
    waiting for payment; nothing changes then. Locks the order row."""
    if not payment_method_enabled(method) or method not in GATEWAYS:
        raise PaymentError(_("This payment method is not available."))
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order_id)
        if order.status != OrderStatus.PENDING_PAYMENT or (
            order.expires_at is not None and order.expires_at <= timezone.now()
        ):
            raise PaymentError(
                _("Order %(number)s is no longer waiting for payment, so its payment method cannot change.")
                % {"number": order}
            )
        if order.payment_method == method:
            raise PaymentError(_("This order is already paid by that method."))
        before = order.get_payment_method_display()
        order.payment_method = method
        if method == PaymentMethod.COD:
            order.expires_at = None
        elif order.expires_at is None:
            order.expires_at = timezone.now() + timedelta(minutes=settings.HAOWU_UNPAID_ORDER_MINUTES)
        order.save(update_fields=["payment_method", "expires_at"])
        OrderEvent.objects.create(
            order=order, from_status=order.status, to_status=order.status,
            note=_("Payment method changed from %(before)s to %(after)s.")
            % {"before": before, "after": order.get_payment_method_display()},
        )
    payments_close_open(order_id=order.pk)
    return order
