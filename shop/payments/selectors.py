"""Questions about payments, for order pages and the admin."""

from shop.orders.models import Order
from shop.payments.models import Payment, SandboxCharge


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
