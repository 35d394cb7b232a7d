"""Buyers' personal data: order numbers nobody can guess, lookups that reveal nothing,
links that expire and pages no cache keeps."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from shop.checkout.services import CheckoutLine, ShippingAddress, checkout_complete
from shop.orders.models import Order

pytestmark = pytest.mark.django_db

ADDRESS = ShippingAddress(recipient="Li Lei", phone="13800138000", city="Shanghai", address_line="100 Tianyaoqiao Road")


def _order(number: str, email: str = "li.lei@example.com", **fields) -> Order:
    now = timezone.now()
    return Order.objects.create(
        number=number, checkout_key=f"key-{number}", email=email, subtotal=Decimal("90.00"),
        shipping_total=Decimal("10.00"), total=Decimal("100.00"), shipping_method="standard",
        payment_method="offline", recipient="Li Lei", phone="13800138000", city="Shanghai",
        address_line="100 Tianyaoqiao Road", placed_at=now, expires_at=now + timedelta(minutes=30), **fields,
    )


def _place(key: str) -> Order:
    return checkout_complete(
        idempotency_key=key, lines=[CheckoutLine("KET-1", 1)], email="li.lei@example.com", address=ADDRESS,
        shipping_method="standard", payment_method="offline",
    )


def test_order_numbers_are_hw_the_date_and_ten_random_unambiguous_characters(product_factory):
    product_factory(skus=[{"code": "KET-1", "price": "45.00", "stock": 50}])

    numbers = [_place(f"key-{i}").number for i in range(20)]

    today = timezone.localdate().strftime("%Y%m%d")
    assert all(re.fullmatch(rf"HW{today}[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{{10}}", number) for number in numbers)
    suffixes = [number[10:] for number in numbers]
    assert len(set(suffixes)) == 20
    # No sequence anywhere: the order's id is not in its number.
    ids = [str(order.pk) for order in Order.objects.order_by("pk")]
    assert not any(number.endswith(order_id) for number, order_id in zip(numbers, ids, strict=True))


def test_a_number_already_taken_is_drawn_again(product_factory, monkeypatch):
    product_factory(skus=[{"code": "KET-1", "price": "45.00", "stock": 5}])
    today = timezone.localdate().strftime("%Y%m%d")
    _order(f"HW{today}AAAAAAAAAA")
    draws = iter("A" * 10 + "B" * 10)
    monkeypatch.setattr("secrets.choice", lambda alphabet: next(draws))

    order = _place("key-new")

    assert order.number == f"HW{today}BBBBBBBBBB"

