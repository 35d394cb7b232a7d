"""The checkout endpoint under parallel requests, on PostgreSQL: no oversell, no 500,
and parallel retries of one purchase answer one order."""

import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client

from shop.catalogue.models import SKU, Product
from shop.orders.models import Order
from tests.shop.test_api import Shopper
from tests.shop.test_api_checkout import checkout_body

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL (set DATABASE_URL)"),
]


def post_in_parallel(shoppers, bodies):
    """POST /api/checkout from every shopper at once; the answers in the shoppers' order."""
    barrier = threading.Barrier(len(shoppers))
    answers = [None] * len(shoppers)

    def worker(i):
        client = Client(enforce_csrf_checks=True)
        client.cookies = shoppers[i].client.cookies
        try:
            barrier.wait()
            answers[i] = client.post(
                "/api/checkout", data=bodies[i], content_type="application/json",
                headers={"X-CSRFToken": shoppers[i].csrf_token},
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(shoppers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return answers


def hot_item(stock):
    product = Product.objects.create(title="Hot item", slug="hot-item")
    return SKU.objects.create(product=product, code="HOT-1", price=Decimal("59.00"), stock=stock)


def test_ten_guests_racing_for_five_left_get_five_orders_and_five_409s():
    sku = hot_item(stock=5)
    shoppers = [Shopper() for _ in range(10)]
    for shopper in shoppers:
        shopper.add("HOT-1", 1)

    answers = post_in_parallel(shoppers, [
        checkout_body(f"key-{i}", contact={"email": f"guest{i}@example.com", "name": "Lin", "phone": "13800000000"})
        for i in range(10)
    ])

    assert sorted(answer.status_code for answer in answers) == [201] * 5 + [409] * 5
    assert {a.json()["message"] for a in answers if a.status_code == 409} == {"HOT-1 has just sold out."}
    sku.refresh_from_db()
    assert sku.stock == 0
    assert Order.objects.count() == 5


def test_parallel_retries_of_one_purchase_answer_one_order():
    sku = hot_item(stock=5)
    shopper = Shopper()
    shopper.add("HOT-1", 2)

    answers = post_in_parallel([shopper] * 6, [checkout_body("one-purchase")] * 6)

    assert {answer.status_code for answer in answers} <= {200, 201}
    assert len({answer.json()["number"] for answer in answers}) == 1
    assert Order.objects.count() == 1
    sku.refresh_from_db()
    assert sku.stock == 3
