"""Carts: adding, changing and merging lines; refusing what cannot be bought."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import User

from shop.cart.models import Cart
from shop.cart.selectors import cart_view
from shop.cart.services import (
    Attribution,
    cart_line_add,
    cart_line_remove,
    cart_line_set_quantity,
    cart_merge,
)
from shop.catalogue.models import SKU, Product
from shop.checkout.errors import InvalidQuantity, OutOfStock, SKUUnavailable, UnknownSKU

pytestmark = pytest.mark.django_db


def sku(code, *, price="25.00", stock=10, active=True):
    product = Product.objects.create(title=f"Mug {code}", slug=code.lower())
    return SKU.objects.create(product=product, code=code, price=Decimal(price), stock=stock, active=active)


def test_adding_twice_adds_up_and_keeps_the_first_attribution():
    sku("MUG-1")
    cart = Cart.objects.create()
    cart_line_add(cart=cart, sku_code="MUG-1", quantity=1,
                  attribution=Attribution(article_page_id=7, block_id="b1", block_type="product_card", position=2))
    line = cart_line_add(cart=cart, sku_code="MUG-1", quantity=2, attribution=Attribution(article_page_id=9))
    assert (line.quantity, line.article_page_id, line.block_id, line.position) == (3, 7, "b1", 2)
    view = cart_view(cart=cart)
    assert (view.count, view.subtotal, view.can_check_out) == (3, Decimal("75.00"), True)


@pytest.mark.parametrize(
    ("code", "quantity", "error"),
    [("MUG-1", 0, InvalidQuantity), ("MUG-1", -1, InvalidQuantity), ("MUG-1", 100, InvalidQuantity),
     ("MUG-1", 11, OutOfStock), ("NOPE", 1, UnknownSKU), ("OFF-1", 1, SKUUnavailable)],
)
def test_refused_adds_leave_the_cart_unchanged(code, quantity, error):
    sku("MUG-1", stock=10)
    sku("OFF-1", active=False)
    cart = Cart.objects.create()
    with pytest.raises(error):
        cart_line_add(cart=cart, sku_code=code, quantity=quantity)
    assert cart.lines.count() == 0


def test_cart_shows_live_prices_and_stock_warnings():
    mug = sku("MUG-1", price="25.00", stock=5)
    cart = Cart.objects.create()
    line = cart_line_add(cart=cart, sku_code="MUG-1", quantity=4)
    SKU.objects.filter(pk=mug.pk).update(price=Decimal("30.00"), stock=2)

    view = cart_view(cart=cart)

    assert view.lines[0].unit_price == Decimal("30.00")
    assert view.lines[0].warning == "Only 2 left."
    assert view.can_check_out is False
    cart_line_set_quantity(cart=cart, line_id=line.pk, quantity=2)
    assert cart_view(cart=cart).can_check_out is True
    cart_line_remove(cart=cart, line_id=line.pk)
    assert cart_view(cart=cart).lines == ()


def test_signing_in_merges_the_guest_cart_into_the_account_cart():
    sku("MUG-1", stock=10)
    sku("KET-1", stock=10)
    user = User.objects.create(username="lin")
    account = Cart.objects.create(user=user)
    cart_line_add(cart=account, sku_code="MUG-1", quantity=1)
    guest = Cart.objects.create()
    cart_line_add(cart=guest, sku_code="MUG-1", quantity=2)
    cart_line_add(cart=guest, sku_code="KET-1", quantity=1)

    merged = cart_merge(source=guest, target=account)

    assert sorted((ln.sku.code, ln.quantity) for ln in merged.lines.all()) == [("KET-1", 1), ("MUG-1", 3)]
    assert not Cart.objects.filter(pk=guest.pk).exists()
