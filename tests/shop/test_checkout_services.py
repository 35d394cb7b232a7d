"""checkout_complete: prices from the database, stock taken once, idempotent, and bad
requests change nothing."""

from decimal import Decimal

import pytest

from shop.catalogue.models import SKU, Brand, Product
from shop.checkout.errors import EmptyCart, InvalidQuantity, OutOfStock, SKUUnavailable, UnknownSKU
from shop.checkout.services import CheckoutLine, ShippingAddress, checkout_complete
from shop.orders.errors import IllegalTransition, RefundTooLarge
from shop.orders.models import Order, OrderStatus, StockMovement
from shop.orders.services import order_cancel, order_mark_paid, order_refund, order_ship, orders_expire

pytestmark = pytest.mark.django_db

ADDRESS = ShippingAddress(recipient="林小姐", phone="13800000000", city="杭州", address_line="西湖区文三路 1 号")


def make_sku(code="KET-1", *, price="129.00", stock=10, active=True, product_active=True):
    brand, _ = Brand.objects.get_or_create(name="Northfield", slug="northfield")
    product = Product.objects.create(title=f"Kettle {code}", slug=code.lower(), brand=brand, active=product_active)
    return SKU.objects.create(product=product, code=code, price=Decimal(price), stock=stock, active=active)


def place(lines, key="key-1", **overrides):
    return checkout_complete(
        idempotency_key=key, lines=lines, email="lin@example.com", address=ADDRESS,
        shipping_method=overrides.pop("shipping_method", "standard"), payment_method="offline", **overrides,
    )


def test_order_totals_come_from_the_database_and_stock_is_taken():
    kettle = make_sku("KET-1", price="129.00", stock=10)
    mug = make_sku("MUG-1", price="39.90", stock=3)

    order = place([CheckoutLine("KET-1", 2), CheckoutLine("MUG-1", 1)], shipping_method="express")

    assert order.subtotal == Decimal("297.90")
    assert order.shipping_total == Decimal("20.00")
    assert order.total == Decimal("317.90")
    assert order.status == OrderStatus.PENDING_PAYMENT
    assert order.number.startswith("HW") and len(order.number) == 20
    assert [(ln.sku_code, ln.unit_price, ln.line_total) for ln in order.lines.all()] == [
        ("KET-1", Decimal("129.00"), Decimal("258.00")),
        ("MUG-1", Decimal("39.90"), Decimal("39.90")),
    ]
    kettle.refresh_from_db()
    mug.refresh_from_db()
    assert (kettle.stock, mug.stock) == (8, 2)
    assert sorted(StockMovement.objects.values_list("delta", flat=True)) == [-2, -1]


def test_standard_shipping_is_free_from_99():
    make_sku("KET-1", price="99.00")
    assert place([CheckoutLine("KET-1", 1)]).shipping_total == Decimal("0.00")


def test_same_key_returns_the_same_order_and_takes_stock_once():
    sku = make_sku("KET-1", stock=5)
    first = place([CheckoutLine("KET-1", 2)], key="double-submit")
    second = place([CheckoutLine("KET-1", 2)], key="double-submit")
    assert first.pk == second.pk
    sku.refresh_from_db()
    assert sku.stock == 3
    assert Order.objects.count() == 1


@pytest.mark.parametrize(
    ("lines", "error"),
    [
        ([], EmptyCart),
        ([CheckoutLine("KET-1", 0)], InvalidQuantity),
        ([CheckoutLine("KET-1", -3)], InvalidQuantity),
        ([CheckoutLine("KET-1", 10_000)], InvalidQuantity),
        ([CheckoutLine("NOPE", 1)], UnknownSKU),
        ([CheckoutLine("KET-1", 6)], OutOfStock),
        ([CheckoutLine("KET-1", 3), CheckoutLine("KET-1", 3)], OutOfStock),
    ],
)
def test_bad_requests_change_nothing(lines, error):
    sku = make_sku("KET-1", stock=5)
    with pytest.raises(error) as raised:
        place(lines)
    assert str(raised.value)  # a sentence for the reader
    sku.refresh_from_db()
    assert sku.stock == 5
    assert Order.objects.count() == 0
    assert StockMovement.objects.count() == 0


def test_withdrawn_product_and_inactive_sku_cannot_be_bought():
    make_sku("OLD-1", product_active=False)
    make_sku("OFF-1", active=False)
    for code in ("OLD-1", "OFF-1"):
        with pytest.raises(SKUUnavailable):
            place([CheckoutLine(code, 1)], key=code)
    assert Order.objects.count() == 0


def test_out_of_stock_message_says_how_many_are_left():
    make_sku("KET-1", stock=2)
    with pytest.raises(OutOfStock, match=r"^Only 2 of KET-1 left; you asked for 3\.$"):
        place([CheckoutLine("KET-1", 3)])


def test_cancel_returns_stock_and_logs_who():
    sku = make_sku("KET-1", stock=5)
    order = place([CheckoutLine("KET-1", 2)])
    order_cancel(order_id=order.pk, note="Customer changed their mind")
    sku.refresh_from_db()
    assert sku.stock == 5
    assert list(order.events.values_list("from_status", "to_status")) == [
        ("", "pending_payment"), ("pending_payment", "cancelled"),
    ]


def test_illegal_transitions_raise():
    make_sku("KET-1")
    order = place([CheckoutLine("KET-1", 1)])
    with pytest.raises(IllegalTransition):
        order_ship(order_id=order.pk, carrier="SF", tracking_number="SF1")
    order_cancel(order_id=order.pk)
    with pytest.raises(IllegalTransition):
        order_mark_paid(order_id=order.pk)


def test_partial_then_full_refund():
    make_sku("KET-1", price="50.00")
    order = place([CheckoutLine("KET-1", 1)])  # 50 + 10 shipping
    order_mark_paid(order_id=order.pk)
    order = order_refund(order_id=order.pk, amount=Decimal("20.00"))
    assert (order.status, order.refunded_total) == ("paid", Decimal("20.00"))
    with pytest.raises(RefundTooLarge):
        order_refund(order_id=order.pk, amount=Decimal("40.01"))
    order = order_refund(order_id=order.pk, amount=Decimal("40.00"))
    assert (order.status, order.refunded_total) == ("refunded", Decimal("60.00"))


def test_expire_releases_stock_of_unpaid_orders_only(django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.utils import timezone

    sku = make_sku("KET-1", stock=5)
    unpaid = place([CheckoutLine("KET-1", 2)], key="a")
    paid = place([CheckoutLine("KET-1", 1)], key="b")
    order_mark_paid(order_id=paid.pk)

    assert orders_expire(now=timezone.now() + timedelta(hours=1)) == 1
    unpaid.refresh_from_db()
    paid.refresh_from_db()
    sku.refresh_from_db()
    assert (unpaid.status, paid.status, sku.stock) == ("cancelled", "paid", 4)
    assert orders_expire(now=timezone.now() + timedelta(hours=1)) == 0


def test_a_retry_from_a_cart_keeps_lines_added_after_the_first_order():
    from shop.cart.models import Cart
    from shop.cart.services import cart_line_add
    from shop.checkout.services import checkout_from_cart

    make_sku("KET-1", stock=5)
    make_sku("MUG-1", stock=5)
    cart = Cart.objects.create()
    cart_line_add(cart=cart, sku_code="KET-1", quantity=1)
    kwargs = dict(cart=cart, idempotency_key="k", email="a@example.com", address=ADDRESS,
                  shipping_method="standard", payment_method="offline")

    first = checkout_from_cart(**kwargs)
    cart_line_add(cart=cart, sku_code="MUG-1", quantity=1)
    retry = checkout_from_cart(**kwargs)

    assert (first.created, retry.created) == (True, False)
    assert retry.order.pk == first.order.pk
    assert [line.sku.code for line in cart.lines.all()] == ["MUG-1"]
