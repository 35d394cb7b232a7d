"""Questions about payments, for order pages and the admin."""

from django.conf import settings

from shop.orders.models import Order, PaymentMethod
from shop.payments.models import Payment, SandboxCharge


def payment_methods_enabled() -> list[tuple[str, str]]:
    """The payment methods offered here (``HAOWU_PAYMENT_METHODS``) as (code, label),
    in the order ``PaymentMethod`` lists them."""
    return [(code, label) for code, label in PaymentMethod.choices if code in settings.HAOWU_PAYMENT_METHODS]


def payments_for_order(*, order: Order) -> list[Payment]:
    """Every payment attempt of ``order``, oldest first, with its refunds loaded."""
    return list(Payment.objects.filter(order=order).prefetch_related("refunds").order_by("created_at", "pk"))


def payment_for_return(*, payment_id: int, charge_id: str) -> Payment | None:
    """The sandbox payment a reader comes back to, only if ``charge_id`` (known only to
    the reader's browser and the provider) is its charge."""
    if not charge_id:
        return None
    return Payment.objects.select_related("order").filter(pk=payment_id, provider_reference=charge_id).first()


def sandbox_charge(*, charge_id: str) -> SandboxCharge | None:
    """The sandbox provider's charge behind its hosted page."""
    return SandboxCharge.objects.filter(pk=charge_id).first()
