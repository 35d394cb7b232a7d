"""The gateway interface and its two implementations, registered by payment method code.

A gateway talks to its provider; it does not change orders. ``services.py`` decides what
a start, a refund or a webhook means for the shop's rows.
"""

import hashlib
import hmac
import json
import time
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from shop.orders.models import PaymentMethod
from shop.payments.errors import MalformedWebhook, UnknownGateway, WebhookError, WebhookSignatureError
from shop.payments.models import Payment
from shop.payments.sandbox import sandbox_charge_create, sandbox_refund_create
from shop.payments.tasks import SIGNATURE_HEADER


@dataclass(frozen=True)
class WebhookEventData:
    """An authentic provider event, checked for shape. ``amount`` is the charge's amount,
    or the refund's for ``charge.refunded`` (then ``refund`` is the provider's refund id)."""

    id: str
    type: str
    charge: str
    payment_id: int | None
    amount: Decimal | None
    currency: str
    refund: str
    created: int
    payload: dict


class PaymentGateway:
    """What every gateway offers. ``start`` and ``refund`` may call the provider over the
    network, so callers never hold row locks around them."""

    code: str = ""

    def start(self, payment: Payment, request) -> str:
        """Begin paying ``payment`` and return the URL to send the reader to."""
        raise NotImplementedError

    def refund(self, payment: Payment, amount: Decimal) -> str | None:
        """Give back ``amount`` of ``payment``; return the provider's refund reference."""
        raise NotImplementedError

    def parse_webhook(self, body: bytes, headers) -> WebhookEventData:
        """Verify and parse one webhook delivery, or raise a ``WebhookError``."""
        raise WebhookError(_("This payment method does not send webhooks."))


class OfflineGateway(PaymentGateway):
    """Bank transfer or cash on delivery: the reader gets instructions on the order's
    confirmation page, an operator confirms the money, refunds are handed back by hand."""

    code = PaymentMethod.OFFLINE

    def start(self, payment: Payment, request) -> str:
        return reverse("orders:confirmation", kwargs={"number": payment.order.number})

    def refund(self, payment: Payment, amount: Decimal) -> str | None:
        return None


class SandboxGateway(PaymentGateway):
    """A card provider with a hosted payment page and HMAC-signed webhooks (shop/payments/sandbox.py)."""

    code = PaymentMethod.SANDBOX

    def start(self, payment: Payment, request) -> str:
        return_path = reverse("payments:sandbox_return", kwargs={"payment_id": payment.pk})
        return_url = (
            request.build_absolute_uri(return_path) if request is not None
            else settings.WAGTAILADMIN_BASE_URL.rstrip("/") + return_path
        )
        # One charge per payment, whoever asks first: the key makes the call idempotent.
        charge = sandbox_charge_create(
            idempotency_key=f"payment-{payment.pk}", merchant_reference=str(payment.pk),
            description=payment.order.number, amount=payment.amount, currency=payment.currency,
            return_url=return_url,
        )
        Payment.objects.filter(pk=payment.pk, provider_reference__isnull=True).update(provider_reference=charge.id)
        payment.provider_reference = charge.id
        return reverse("payments:sandbox_checkout", kwargs={"charge_id": charge.id})

    def refund(self, payment: Payment, amount: Decimal) -> str | None:
        return sandbox_refund_create(charge_id=payment.provider_reference, amount=amount).id

    def parse_webhook(self, body: bytes, headers) -> WebhookEventData:
        verify_signature(
            body, headers.get(SIGNATURE_HEADER) or "", secret=settings.HAOWU_SANDBOX_WEBHOOK_SECRET,
            tolerance=settings.HAOWU_WEBHOOK_TOLERANCE_SECONDS,
        )
        return _parse_event(body)


def verify_signature(body: bytes, header: str, *, secret: str, tolerance: int, now: float | None = None) -> None:
    """Accept ``header`` only if one of its ``v1`` signatures is the HMAC-SHA256 of
    ``"<t>.<body>"`` under ``secret`` and ``t`` is within ``tolerance`` seconds of now."""
    if not secret:
        raise WebhookSignatureError(_("Webhook signing is not configured."))
    timestamp, signatures = None, []
    for part in header.split(","):
        key, _sep, value = part.strip().partition("=")
        if key == "t" and value.isdigit():
            timestamp = int(value)
        elif key == "v1" and value:
            signatures.append(value)
    if timestamp is None or not signatures:
        raise WebhookSignatureError(_("The webhook signature is missing or unreadable."))
    signed = f"{timestamp}.".encode() + body
    expected = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    if not any(hmac.compare_digest(expected, candidate) for candidate in signatures):
        raise WebhookSignatureError(_("The webhook signature does not match."))
    now = time.time() if now is None else now
    if abs(now - timestamp) > tolerance:
        raise WebhookSignatureError(_("The webhook signature has expired."))


def _parse_event(body: bytes) -> WebhookEventData:
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError) as error:
        raise MalformedWebhook(_("The webhook body is not valid JSON.")) from error
    data = payload.get("data") if isinstance(payload, dict) else None
    if not (
        isinstance(data, dict)
        and isinstance(payload.get("id"), str) and 0 < len(payload["id"]) <= 64
        and isinstance(payload.get("type"), str) and payload["type"]
        and isinstance(data.get("charge"), str) and data["charge"]
    ):
        raise MalformedWebhook(_("The webhook needs an id, a type and data with a charge."))
    payment_id = data.get("payment")
    try:
        amount = Decimal(str(data["amount"])) if data.get("amount") is not None else None
    except InvalidOperation as error:
        raise MalformedWebhook(_("The webhook amount is not a number.")) from error
    if amount is not None and not amount.is_finite():
        raise MalformedWebhook(_("The webhook amount is not a number."))
    return WebhookEventData(
        id=payload["id"], type=payload["type"][:64], charge=data["charge"],
        payment_id=payment_id if isinstance(payment_id, int) and not isinstance(payment_id, bool) else None,
        amount=amount, currency=str(data.get("currency") or ""), refund=str(data.get("refund") or ""),
        created=payload["created"] if isinstance(payload.get("created"), int) else 0, payload=payload,
    )


#: Every gateway by its ``PaymentMethod`` code.
GATEWAYS: dict[str, PaymentGateway] = {
    OfflineGateway.code: OfflineGateway(),
    SandboxGateway.code: SandboxGateway(),
}


def gateway_for(code: str) -> PaymentGateway:
    try:
        return GATEWAYS[code]
    except KeyError:
        raise UnknownGateway(code) from None
