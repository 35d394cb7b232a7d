"""Reading a cart with live prices and stock warnings (prices are never stored on it)."""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from shop.cart.models import Cart, CartLine
from shop.money import money_quantize


@dataclass(frozen=True)
class CartLineView:
    line: CartLine
    unit_price: Decimal
    line_total: Decimal
    available: bool
    #: "" when fine; otherwise why the line cannot be bought as it is.
    warning: str


@dataclass(frozen=True)
class CartView:
    cart: Cart | None
    lines: tuple[CartLineView, ...]
    subtotal: Decimal

    @property
    def count(self) -> int:
        return sum(view.line.quantity for view in self.lines)

    @property
    def can_check_out(self) -> bool:
        return bool(self.lines) and all(view.available for view in self.lines)


def cart_is_expired(cart: Cart, *, now=None) -> bool:
    now = now or timezone.now()
    return cart.updated_at < now - timedelta(days=settings.HAOWU_CART_DAYS)


def cart_view(*, cart: Cart | None) -> CartView:
    """The cart with today's prices: two queries whatever its size."""
    if cart is None:
        return CartView(None, (), Decimal("0.00"))
    views = []
    for line in cart.lines.select_related("sku__product"):
        sku = line.sku
        warning = ""
        if not (sku.active and sku.product.active):
            warning = _("No longer available.")
        elif sku.stock <= 0:
            warning = _("Sold out.")
        elif line.quantity > sku.stock:
            warning = _("Only %(count)s left.") % {"count": sku.stock}
        views.append(CartLineView(
            line=line, unit_price=sku.price, line_total=money_quantize(sku.price * line.quantity),
            available=not warning, warning=warning,
        ))
    subtotal = money_quantize(sum((v.line_total for v in views if v.available), Decimal("0")))
    return CartView(cart, tuple(views), subtotal)
