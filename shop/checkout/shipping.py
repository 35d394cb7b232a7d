"""Shipping prices: one table, in the site's currency."""

from decimal import Decimal

from shop.orders.models import ShippingMethod

FREE_STANDARD_FROM = Decimal("99.00")
PRICES = {
    ShippingMethod.STANDARD: Decimal("10.00"),
    ShippingMethod.EXPRESS: Decimal("20.00"),
    ShippingMethod.PICKUP: Decimal("0.00"),
}


def shipping_price(*, method: str, subtotal: Decimal) -> Decimal:
    if method == ShippingMethod.STANDARD and subtotal >= FREE_STANDARD_FROM:
        return Decimal("0.00")
    return PRICES[ShippingMethod(method)]
