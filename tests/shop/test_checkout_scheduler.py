"""`make run` releases expired unpaid orders by itself: the dev server's clock decides
when to run `expire_orders` and runs it."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from shop.catalogue.models import SKU, Product
from shop.checkout.scheduler import ExpiryScheduler
from shop.checkout.services import CheckoutLine, ShippingAddress, checkout_complete
from shop.orders.models import Order, OrderStatus


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_it_runs_at_once_then_once_a_minute():
    clock, runs = Clock(), []
    scheduler = ExpiryScheduler(interval=60, job=lambda: runs.append(clock.now), clock=clock)

    ticks = []
    for moment in (1000.0, 1001.0, 1059.9, 1060.0, 1061.0, 1200.0):
        clock.now = moment
        ticks.append(scheduler.tick())

    assert ticks == [True, False, False, True, False, True]
    assert runs == [1000.0, 1060.0, 1200.0]


def test_a_failing_run_is_tried_again_a_minute_later():
    clock, calls = Clock(), []

    def job():
        calls.append(clock.now)
        raise RuntimeError("database is locked")

    scheduler = ExpiryScheduler(interval=60, job=job, clock=clock)
    assert scheduler.tick() is True
    clock.now += 60
    assert scheduler.tick() is True
    assert calls == [1000.0, 1060.0]


@pytest.mark.django_db
def test_a_tick_gives_an_expired_unpaid_orders_stock_back(settings):
    product = Product.objects.create(title="Demo kettle", slug="demo-kettle")
    sku = SKU.objects.create(product=product, code="DEMO-1", price=Decimal("99.00"), stock=1)
    order = checkout_complete(
        idempotency_key="demo", lines=[CheckoutLine("DEMO-1", 1)], email="demo@example.com",
        address=ShippingAddress(recipient="Lin", phone="1", city="Hangzhou", address_line="1 Rd"),
        shipping_method="standard", payment_method="offline",
    )
    sku.refresh_from_db()
    assert sku.stock == 0  # sold out while the order waits for payment
    Order.objects.filter(pk=order.pk).update(expires_at=timezone.now() - timedelta(minutes=1))

    assert ExpiryScheduler().tick() is True

    order.refresh_from_db()
    sku.refresh_from_db()
    assert (order.status, sku.stock) == (OrderStatus.CANCELLED, 1)
