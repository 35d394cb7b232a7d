"""One cart, two checkouts at once with different keys (two tabs, two devices): on
PostgreSQL, the cart becomes exactly one order and its stock is taken once."""

from decimal import Decimal

import pytest
from django.db import connection

from shop.cart.models import Cart
from shop.cart.services import cart_line_add
from shop.catalogue.models import SKU, Product
from shop.checkout.errors import EmptyCart
from shop.checkout.services import ShippingAddress, checkout_from_cart
from shop.orders.models import Order, StockMovement
from tests.concurrency import run_in_threads

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL (set DATABASE_URL)"),
]

ADDRESS = ShippingAddress(recipient="Lin", phone="13800000000", city="Hangzhou", address_line="1 Wensan Rd")


def test_one_cart_checked_out_twice_at_once_with_different_keys_makes_one_order():
    # given a cart with two kettles, and plenty of stock
    product = Product.objects.create(title="Kettle", slug="kettle")
    sku = SKU.objects.create(product=product, code="KET-1", price=Decimal("129.00"), stock=50)
    cart = Cart.objects.create()
    cart_line_add(cart=cart, sku_code="KET-1", quantity=2)

    # when six checkouts of that cart, each with its own key, run at the same moment
    def checkout(i):
        return checkout_from_cart(
            cart=Cart.objects.get(pk=cart.pk), idempotency_key=f"tab-{i}", email="lin@example.com",
            address=ADDRESS, shipping_method="standard", payment_method="offline",
        )

    results, errors = run_in_threads(6, checkout)

    # then one placed the order, the others found the cart empty
    assert [result.created for result in results] == [True]
    assert len(errors) == 5 and all(isinstance(error, EmptyCart) for error in errors), errors
    assert [str(error) for error in errors] == ["Your cart is empty."] * 5
    assert Order.objects.count() == 1
    assert list(Order.objects.get().lines.values_list("sku_code", "quantity")) == [("KET-1", 2)]
    sku.refresh_from_db()
    assert sku.stock == 48
    assert list(StockMovement.objects.values_list("delta", flat=True)) == [-2]
    assert cart.lines.count() == 0
