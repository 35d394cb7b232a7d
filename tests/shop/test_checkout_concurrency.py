"""Concurrency on PostgreSQL: parallel checkouts never oversell and one key makes one order."""

from decimal import Decimal

import pytest
from django.db import connection

from shop.catalogue.models import SKU, Product
from shop.checkout.errors import OutOfStock
from shop.checkout.services import CheckoutLine, ShippingAddress, checkout_complete
from shop.orders.models import Order
from tests.concurrency import run_in_threads

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL (set DATABASE_URL)"),
]

ADDRESS = ShippingAddress(recipient="Lin", phone="13800000000", city="Hangzhou", address_line="1 Wensan Rd")


def checkout(key):
    return checkout_complete(
        idempotency_key=key, lines=[CheckoutLine("HOT-1", 1)], email=f"{key}@example.com",
        address=ADDRESS, shipping_method="standard", payment_method="offline",
    )


def test_twenty_parallel_checkouts_for_five_left_make_exactly_five_orders():
    product = Product.objects.create(title="Hot item", slug="hot-item")
    sku = SKU.objects.create(product=product, code="HOT-1", price=Decimal("59.00"), stock=5)

    results, errors = run_in_threads(20, lambda i: checkout(f"key-{i}"))

    assert len(results) == 5
    assert len(errors) == 15
    assert all(isinstance(e, OutOfStock) for e in errors), errors
    sku.refresh_from_db()
    assert sku.stock == 0
    assert Order.objects.count() == 5


def test_ten_parallel_submits_with_one_key_make_one_order():
    product = Product.objects.create(title="Hot item", slug="hot-item")
    sku = SKU.objects.create(product=product, code="HOT-1", price=Decimal("59.00"), stock=50)

    results, errors = run_in_threads(10, lambda i: checkout("same-key"))

    assert errors == []
    assert len({order.pk for order in results}) == 1
    sku.refresh_from_db()
    assert sku.stock == 49
    assert Order.objects.count() == 1


def test_expire_orders_run_twice_at_once_releases_stock_once():
    from datetime import timedelta

    from django.utils import timezone

    from shop.orders.services import orders_expire

    product = Product.objects.create(title="Hot item", slug="hot-item")
    sku = SKU.objects.create(product=product, code="HOT-1", price=Decimal("59.00"), stock=10)
    for i in range(4):
        checkout(f"unpaid-{i}")
    later = timezone.now() + timedelta(hours=2)

    results, errors = run_in_threads(2, lambda i: orders_expire(now=later))

    assert errors == []
    assert sum(results) == 4  # each order expired by exactly one of the two runs
    sku.refresh_from_db()
    assert sku.stock == 10
