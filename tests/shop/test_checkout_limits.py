"""How many unpaid orders one e-mail address may hold: counted by the checkout service in
its transaction, in any case, and proved under parallel checkouts on PostgreSQL."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from shop.catalogue.models import SKU, Product
from shop.checkout.errors import TooManyUnpaidOrders
from shop.checkout.services import CheckoutLine, ShippingAddress, checkout_place
from shop.orders.models import Order, OrderStatus
from tests.concurrency import run_in_threads

ADDRESS = ShippingAddress(recipient="Lin", phone="13800000000", city="Hangzhou", address_line="1 Wensan Rd")


def _place(key, email):
    return checkout_place(
        idempotency_key=key, lines=[CheckoutLine("TEA-1", 1)], email=email, address=ADDRESS,
        shipping_method="standard", payment_method="offline",
    )


def _tea(stock=50):
    product = Product.objects.create(title="Green tea", slug="green-tea")
    return SKU.objects.create(product=product, code="TEA-1", price=Decimal("39.00"), stock=stock)


@pytest.mark.django_db
def test_the_fourth_unpaid_order_of_an_address_is_refused_and_takes_no_stock(settings):
    settings.HAOWU_LIMIT_UNPAID_PER_EMAIL = 3
    tea = _tea()
    for n, email in enumerate(["lin@example.com", "LIN@example.com", "Lin@Example.com"]):
        _place(f"k{n}", email)

    with pytest.raises(TooManyUnpaidOrders) as refused:
        _place("k3", "lin@EXAMPLE.com")

    first_expiry = Order.objects.order_by("expires_at").first().expires_at
    assert abs(refused.value.retry_after - (first_expiry - timezone.now()).total_seconds()) < 5
    assert Order.objects.count() == 3
    tea.refresh_from_db()
    assert tea.stock == 47


@pytest.mark.django_db
def test_paid_cancelled_and_other_addresses_orders_do_not_count(settings):
    settings.HAOWU_LIMIT_UNPAID_PER_EMAIL = 1
    _tea()
    paid = _place("k1", "lin@example.com").order
    Order.objects.filter(pk=paid.pk).update(status=OrderStatus.PAID)
    cancelled = _place("k2", "lin@example.com").order
    Order.objects.filter(pk=cancelled.pk).update(status=OrderStatus.CANCELLED)

    assert _place("k3", "lin@example.com").created
    assert _place("k4", "mei@example.com").created
    # and the retry of an order already placed is still answered with it
    retry = _place("k3", "lin@example.com")
    assert (retry.created, retry.order.checkout_key) == (False, "k3")


@pytest.mark.django_db
def test_an_expired_unpaid_order_frees_its_place(settings):
    from shop.orders.services import orders_expire

    settings.HAOWU_LIMIT_UNPAID_PER_EMAIL = 1
    _tea()
    _place("k1", "lin@example.com")
    orders_expire(now=timezone.now() + timedelta(minutes=settings.HAOWU_UNPAID_ORDER_MINUTES + 1))

    assert _place("k2", "lin@example.com").created


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the address lock needs PostgreSQL (set DATABASE_URL)")
def test_parallel_checkouts_for_one_address_hold_at_most_the_limit(settings):
    settings.HAOWU_LIMIT_UNPAID_PER_EMAIL = 3
    tea = _tea()

    results, errors = run_in_threads(8, lambda i: _place(f"key-{i}", "Lin@Example.com" if i % 2 else "lin@example.com"))

    assert len(results) == 3
    assert len(errors) == 5 and all(isinstance(e, TooManyUnpaidOrders) for e in errors), errors
    assert Order.objects.count() == 3
    tea.refresh_from_db()
    assert tea.stock == 47
