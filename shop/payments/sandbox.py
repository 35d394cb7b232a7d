"""The sandbox card provider: what a real provider does on its own servers.

It keeps its own books (``SandboxCharge``, ``SandboxRefund``), shows a hosted payment
page, decides by card number, and tells the shop what happened only through signed,
asynchronous webhooks (``tasks.sandbox_send_event``), sent after its own commit.
The shop never reads these tables except through ``gateways.SandboxGateway``.
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
from shop.payments.models import SandboxCharge, SandboxChargeStatus, SandboxRefund
from shop.payments.tasks import sandbox_send_event

#: The only cards the sandbox knows, as on the hosted page.
TEST_CARDS: dict[str, str] = {
    "4242424242424242": SandboxChargeStatus.SUCCEEDED,
    "4000000000000002": SandboxChargeStatus.FAILED,
}


def sandbox_new_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(12)}"


def sandbox_charge_create(
    *, idempotency_key: str, merchant_reference: str, description: str, amount: Decimal, currency: str,
    return_url: str,
) -> SandboxCharge:
    """Open a charge, or return the one already opened with ``idempotency_key``."""
    existing = SandboxCharge.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return SandboxCharge.objects.create(
                id=sandbox_new_id("ch"), idempotency_key=idempotency_key,
                merchant_reference=merchant_reference, description=description,
                amount=money_quantize(amount), currency=currency, return_url=return_url,
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
    return {"id": sandbox_new_id("evt"), "type": event_type, "data": data, "created": int(time.time())}


def _send_after_commit(event: dict) -> None:
    transaction.on_commit(partial(sandbox_send_event.enqueue, event=event))


@transaction.atomic
def sandbox_charge_pay(*, charge_id: str, card_number: str) -> SandboxCharge:
    """Charge a test card: 4242… succeeds, 4000 0000 0000 0002 is declined, anything else
    is refused with ``PaymentDeclined`` (the charge stays open). A charge is decided once;
    paying it again changes nothing and sends no second webhook."""
    digits = "".join(ch for ch in card_number if ch.isdigit())
    outcome = TEST_CARDS.get(digits)
    if outcome is None:
        raise PaymentDeclined(_("The sandbox only accepts the test card numbers listed on this page."))
    decided = SandboxCharge.objects.filter(pk=charge_id, status=SandboxChargeStatus.PENDING).update(
        status=outcome, card_last4=digits[-4:], updated_at=timezone.now()
    )
    charge = SandboxCharge.objects.get(pk=charge_id)
    if decided:
        kind = "charge.succeeded" if outcome == SandboxChargeStatus.SUCCEEDED else "charge.failed"
        _send_after_commit(sandbox_event(event_type=kind, charge=charge))
    return charge


@transaction.atomic
def sandbox_refund_create(*, charge_id: str, amount: Decimal) -> SandboxRefund:
    """Give back ``amount`` of a succeeded charge, never more than is left on it, and
    announce it with a ``charge.refunded`` webhook. Raises ``PaymentDeclined`` otherwise."""
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
    refund = SandboxRefund.objects.create(id=sandbox_new_id("re"), charge=charge, amount=amount)
    _send_after_commit(sandbox_event(event_type="charge.refunded", charge=charge, refund=refund))
    return refund
