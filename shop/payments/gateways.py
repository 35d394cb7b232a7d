"""The gateway interface and its implementations, registered by payment method code.

A gateway talks to its provider; it does not change orders. ``services.py`` decides what
a start, a refund or a webhook means for the shop's rows. Only the methods named in
``HAOWU_PAYMENT_METHODS`` are served: ``gateway_for`` refuses the others.
"""

import hashlib
import hmac
import json
import time
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils.translation import gettext as _

from shop.orders.models import PaymentMethod
from shop.payments.errors import MalformedWebhook, UnknownGateway, WebhookError, WebhookSignatureError
from shop.payments.models import Payment, SandboxChargeStatus
from shop.payments.sandbox import (
    sandbox_charge_cancel,
    sandbox_charge_create,
    sandbox_charge_retrieve,
    sandbox_refund_create,
)
from shop.payments.tasks import SIGNATURE_HEADER, sandbox_webhook_url

#: The largest webhook body read, and the deepest nesting of its JSON: a real event is
#: a few hundred bytes, three levels deep. Anything beyond is refused before parsing,
#: so no body can make the parser (or anything after it) recurse without bound.
WEBHOOK_MAX_BYTES = 64 * 1024
WEBHOOK_MAX_DEPTH = 8
#: An amount beyond what a money column holds (12 digits, 2 of them decimals).
MAX_AMOUNT = Decimal("9999999999.99")


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
    metadata: dict | None = None


@dataclass(frozen=True)
class ChargeState:
    """What the provider says about a charge when asked (not from a webhook)."""

    status: str  # "pending", "succeeded", "failed" or "canceled"
    amount: Decimal
    currency: str


class PaymentGateway:
    """What every gateway offers. ``start`` and ``refund`` may call the provider over the
    network, so callers never hold row locks around them."""

    code: str = ""
    #: Whether ``refund`` gives money back through the provider; ``False`` means an
    #: operator hands it back (the payment is flagged ``refund_due`` meanwhile).
    can_refund: bool = False

    def start(self, payment: Payment, request) -> str:
        """Begin paying ``payment`` and return the URL to send the reader to."""
        raise NotImplementedError

    def refund(self, payment: Payment, amount: Decimal, *, metadata: dict | None = None) -> str | None:
        """Give back ``amount`` of ``payment``; return the provider's refund reference.
        ``metadata`` (who, why) travels with the request and comes back in its webhook."""
        raise NotImplementedError

    def cancel(self, payment: Payment) -> None:
        """Close ``payment`` at the provider so it can no longer take money."""

    def retrieve(self, payment: Payment) -> ChargeState | None:
        """Ask the provider for the state of ``payment``'s charge (``None``: nothing to ask)."""
        return None

    def parse_webhook(self, body: bytes, headers) -> WebhookEventData:
        """Verify and parse one webhook delivery, or raise a ``WebhookError``."""
        raise WebhookError(_("This payment method does not send webhooks."))


class OfflineGateway(PaymentGateway):
    """Bank transfer: the reader gets instructions on the order's confirmation page, an
    operator confirms the money, refunds are handed back by hand."""

    code = PaymentMethod.OFFLINE

    def start(self, payment: Payment, request) -> str:
        return reverse("orders:confirmation", kwargs={"number": payment.order.number})

    def refund(self, payment: Payment, amount: Decimal, *, metadata: dict | None = None) -> str | None:
        return None


class CashOnDeliveryGateway(OfflineGateway):
    """Cash on delivery: the courier collects the money and an operator marks it paid."""

    code = PaymentMethod.COD


class SandboxGateway(PaymentGateway):
    """A card provider with a hosted payment page and HMAC-signed webhooks (shop/payments/sandbox.py)."""

    code = PaymentMethod.SANDBOX
    can_refund = True

    def start(self, payment: Payment, request) -> str:
        return_path = reverse("payments:sandbox_return", kwargs={"payment_id": payment.pk})
        return_url = (
            request.build_absolute_uri(return_path) if request is not None
            else settings.WAGTAILADMIN_BASE_URL.rstrip("/") + return_path
        )
        # Webhooks go back to the server that created the charge (in development the
        # address being served), unless HAOWU_SANDBOX_WEBHOOK_BASE_URL names one.
        webhook_base = settings.HAOWU_SANDBOX_WEBHOOK_BASE_URL or (
            request.build_absolute_uri("/") if request is not None else ""
        )
        # One charge per payment, whoever asks first: the key makes the call idempotent.
        charge = sandbox_charge_create(
            idempotency_key=f"payment-{payment.pk}", merchant_reference=str(payment.pk),
            description=payment.order.number, amount=payment.amount, currency=payment.currency,
            return_url=return_url, webhook_url=sandbox_webhook_url(webhook_base),
        )
        Payment.objects.filter(pk=payment.pk, provider_reference__isnull=True).update(provider_reference=charge.id)
        payment.provider_reference = charge.id
        return reverse("payments:sandbox_checkout", kwargs={"charge_id": charge.id})

    def refund(self, payment: Payment, amount: Decimal, *, metadata: dict | None = None) -> str | None:
        return sandbox_refund_create(charge_id=payment.provider_reference, amount=amount, metadata=metadata).id

    def cancel(self, payment: Payment) -> None:
        if payment.provider_reference:
            sandbox_charge_cancel(charge_id=payment.provider_reference)

    def retrieve(self, payment: Payment) -> ChargeState | None:
        charge = sandbox_charge_retrieve(charge_id=payment.provider_reference) if payment.provider_reference else None
        if charge is None:
            return None
        return ChargeState(status=SandboxChargeStatus(charge.status).value, amount=charge.amount, currency=charge.currency)

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


def json_depth_exceeds(text: str, limit: int) -> bool:
    """Whether brackets nest deeper than ``limit`` anywhere in ``text`` (strings skipped),
    counted without recursion, so it is safe on any input."""
    depth, in_string, escaped = 0, False, False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                return True
        elif char in "]}":
            depth -= 1
    return False


def _parse_event(body: bytes) -> WebhookEventData:
    if len(body) > WEBHOOK_MAX_BYTES:
        raise MalformedWebhook(_("The webhook body is too large."))
    try:
        text = body.decode()
    except UnicodeDecodeError as error:
        raise MalformedWebhook(_("The webhook body is not valid JSON.")) from error
    if json_depth_exceeds(text, WEBHOOK_MAX_DEPTH):
        raise MalformedWebhook(_("The webhook body is nested too deeply."))
    try:
        payload = json.loads(text, parse_constant=_no_constant)
    except (ValueError, RecursionError) as error:
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
    amount = _amount(data.get("amount"))
    currency = data.get("currency") or ""
    if not (isinstance(currency, str) and (currency == "" or (len(currency) == 3 and currency.isalpha()))):
        raise MalformedWebhook(_("The webhook currency is not a three-letter code."))
    metadata = data.get("metadata")
    return WebhookEventData(
        id=payload["id"], type=payload["type"][:64], charge=data["charge"],
        payment_id=payment_id if isinstance(payment_id, int) and not isinstance(payment_id, bool) else None,
        amount=amount, currency=currency.upper(), refund=str(data.get("refund") or ""),
        created=payload["created"] if isinstance(payload.get("created"), int) else 0,
        payload=payload, metadata=metadata if isinstance(metadata, dict) else None,
    )


def _no_constant(name: str):
    # NaN and Infinity are not JSON, and PostgreSQL's jsonb would refuse to store them.
    raise ValueError(f"{name} is not a number")


def _amount(value) -> Decimal | None:
    """The event's amount as money: a finite decimal from 0 to ``MAX_AMOUNT`` with at most
    two decimals (``"129.00"`` or ``129``); ``MalformedWebhook`` for anything else."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise MalformedWebhook(_("The webhook amount is not a number."))
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation as error:
        raise MalformedWebhook(_("The webhook amount is not a number.")) from error
    if not amount.is_finite():
        raise MalformedWebhook(_("The webhook amount is not a number."))
    if amount < 0 or amount > MAX_AMOUNT or amount != amount.quantize(Decimal("0.01"), rounding="ROUND_DOWN"):
        raise MalformedWebhook(_("The webhook amount is not an amount of money."))
    return amount.quantize(Decimal("0.01"))


#: Every gateway by its ``PaymentMethod`` code.
GATEWAYS: dict[str, PaymentGateway] = {
    OfflineGateway.code: OfflineGateway(),
    CashOnDeliveryGateway.code: CashOnDeliveryGateway(),
    SandboxGateway.code: SandboxGateway(),
}


def payment_methods_check(codes) -> list[str]:
    """``HAOWU_PAYMENT_METHODS`` as a list of known codes, or ``ImproperlyConfigured``
    naming what is wrong (run at start-up by ``PaymentsConfig.ready``)."""
    codes = [str(code).strip() for code in codes]
    unknown = [code for code in codes if code not in GATEWAYS]
    if unknown or not codes:
        raise ImproperlyConfigured(
            f"HAOWU_PAYMENT_METHODS must list one or more of {', '.join(GATEWAYS)} (comma-separated); "
            f"unknown: {', '.join(repr(code) for code in unknown) or 'none given'}."
        )
    return codes


def payment_method_enabled(code: str) -> bool:
    return code in settings.HAOWU_PAYMENT_METHODS


def gateway_for(code: str) -> PaymentGateway:
    """The gateway of an enabled payment method; ``UnknownGateway`` for any other code,
    so a method switched off (the sandbox in production) cannot start, refund or accept
    a webhook."""
    if not payment_method_enabled(code) or code not in GATEWAYS:
        raise UnknownGateway(code)
    return GATEWAYS[code]
