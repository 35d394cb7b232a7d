"""The sandbox card provider: what a real provider does on its own servers.

It keeps its own books (``SandboxCharge``, ``SandboxRefund``), shows a hosted payment
page, decides by card number, and tells the shop what happened through signed,
asynchronous webhooks: each is a ``SandboxDelivery`` row written with the change and
sent after commit (``tasks.sandbox_send_event``), retried with backoff until the shop
answers 2xx. Like a real provider it also answers "what is this charge's status?"
(``sandbox_charge_retrieve``). The shop never reads these tables except through
``gateways.SandboxGateway``.
"""

import secrets
import time
from decimal import Decimal
from functools import partial

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shop.money import money_format, money_quantize
from shop.payments.errors import PaymentDeclined
from shop.payments.models import SandboxCharge, SandboxChargeStatus, SandboxDelivery, SandboxRefund
from shop.payments.tasks import sandbox_send_event, sandbox_webhook_url

#: The only cards the sandbox knows, as on the hosted page.
TEST_CARDS: dict[str, str] = {
    "4242424242424242": SandboxChargeStatus.SUCCEEDED,
    "4000000000000002": SandboxChargeStatus.FAILED,
}


def sandbox_new_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(12)}"


def sandbox_charge_create(
    *, idempotency_key: str, merchant_reference: str, description: str, amount: Decimal, currency: str,
    return_url: str, webhook_url: str = "",
) -> SandboxCharge:
    """Open a charge, or return the one already opened with ``idempotency_key``.
    Its webhooks go to ``webhook_url`` (the merchant's endpoint)."""
    existing = SandboxCharge.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return SandboxCharge.objects.create(
                id=sandbox_new_id("ch"), idempotency_key=idempotency_key,
                merchant_reference=merchant_reference, description=description,
                amount=money_quantize(amount), currency=currency, return_url=return_url,
                webhook_url=webhook_url,
            )
    except IntegrityError:
        return SandboxCharge.objects.get(idempotency_key=idempotency_key)


def sandbox_event(*, event_type: str, charge: SandboxCharge, refund: SandboxRefund | None = None) -> dict:
    data = {
        "charge": charge.id,
        "payment": int(charge.merchant_reference),
        "amount": str(money_quantize(refund.amount if refund else charge.amount)),
        "currency": charge.currency,
    }
    if refund is not None:
        data["refund"] = refund.id
        if refund.metadata:
            data["metadata"] = refund.metadata
    return {"id": sandbox_new_id("evt"), "type": event_type, "data": data, "created": int(time.time())}


def _send_after_commit(event: dict, charge: SandboxCharge) -> None:
    """Owe the shop this event (a row in the same transaction as the change it
    announces) and try the first delivery once that transaction has committed."""
    delivery = SandboxDelivery.objects.create(
        event_id=event["id"], event_type=event["type"], url=charge.webhook_url or sandbox_webhook_url(),
        payload=event, next_attempt_at=timezone.now(),
    )
    transaction.on_commit(partial(sandbox_send_event.enqueue, delivery_id=delivery.pk))


def sandbox_charge_retrieve(*, charge_id: str) -> SandboxCharge | None:
    """The provider's answer to "what is this charge's status?" (its API's GET)."""
    return SandboxCharge.objects.filter(pk=charge_id).first()


def sandbox_charge_cancel(*, charge_id: str) -> SandboxCharge | None:
    """Close a charge nobody has paid yet, so its hosted page takes no money any more.
    A charge already decided is left as it is (and returned, so the caller can see)."""
    SandboxCharge.objects.filter(pk=charge_id, status=SandboxChargeStatus.PENDING).update(
        status=SandboxChargeStatus.CANCELED, updated_at=timezone.now()
    )
    return SandboxCharge.objects.filter(pk=charge_id).first()


@transaction.atomic
def sandbox_charge_pay(*, charge_id: str, card_number: str) -> SandboxCharge:
    """Charge a test card: 4242… succeeds, 4000 0000 0000 0002 is declined, anything else
    is refused with ``PaymentDeclined`` (the charge stays open). A charge is decided once;
    paying it again changes nothing and sends no second webhook."""
    digits = "".join(ch for ch in card_number if ch.isdigit())
    outcome = TEST_CARDS.get(digits)
    if SandboxCharge.objects.filter(pk=charge_id, status=SandboxChargeStatus.CANCELED).exists():
        raise PaymentDeclined(_("The shop has closed this payment: nothing was charged."))
    if outcome is None:
        raise PaymentDeclined(_("The sandbox only accepts the test card numbers listed on this page."))
    decided = SandboxCharge.objects.filter(pk=charge_id, status=SandboxChargeStatus.PENDING).update(
        status=outcome, card_last4=digits[-4:], updated_at=timezone.now()
    )
    charge = SandboxCharge.objects.get(pk=charge_id)
    if decided:
        kind = "charge.succeeded" if outcome == SandboxChargeStatus.SUCCEEDED else "charge.failed"
        _send_after_commit(sandbox_event(event_type=kind, charge=charge), charge)
    return charge


@transaction.atomic
def sandbox_refund_create(*, charge_id: str, amount: Decimal, metadata: dict | None = None) -> SandboxRefund:
    """Give back ``amount`` of a succeeded charge, never more than is left on it, and
    announce it with a ``charge.refunded`` webhook that carries ``metadata`` back.
    Raises ``PaymentDeclined`` otherwise."""
    amount = money_quantize(amount)
    refused = PaymentDeclined(
        _("The card provider refused to refund %(amount)s on this charge.") % {"amount": money_format(amount)}
    )
    if amount <= 0:
        raise refused
    # Compared and summed in Decimal under the charge's row lock: SQLite would do column
    # arithmetic (an F() expression) in floats and miss the cent.
    charge = SandboxCharge.objects.select_for_update().filter(pk=charge_id).first()
    if (
        charge is None or charge.status != SandboxChargeStatus.SUCCEEDED
        or charge.refunded_amount + amount > charge.amount
    ):
        raise refused
    charge.refunded_amount += amount
    charge.save(update_fields=["refunded_amount", "updated_at"])
    refund = SandboxRefund.objects.create(
        id=sandbox_new_id("re"), charge=charge, amount=amount, metadata=metadata or {}
    )
    _send_after_commit(sandbox_event(event_type="charge.refunded", charge=charge, refund=refund), charge)
    return refund
