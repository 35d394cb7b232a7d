"""Webhooks delivered in parallel on PostgreSQL: the event id and the payment row lock
make concurrent deliveries apply once."""

import json
import threading
import time

import pytest
from django.db import connection
from django.test import RequestFactory

from shop.checkout.services import CheckoutLine, ShippingAddress, checkout_complete
from shop.orders.models import OrderEvent, OrderStatus
from shop.payments.models import Payment, PaymentStatus, WebhookEvent
from shop.payments.services import payment_start, webhook_handle
from shop.payments.tasks import sandbox_signature
from tests.factories import ProductFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL (set DATABASE_URL)"),
]

ADDRESS = ShippingAddress(recipient="Lin", phone="13800000000", city="Hangzhou", address_line="1 Wensan Rd")


def started_payment() -> Payment:
    ProductFactory(skus=[{"code": "RACE-1", "price": "129.00", "stock": 5}])
    order = checkout_complete(
        idempotency_key="race", lines=[CheckoutLine("RACE-1", 1)], email="a@example.com",
        address=ADDRESS, shipping_method="standard", payment_method="sandbox",
    )
    payment_start(order=order, request=RequestFactory().get("/"))
    return Payment.objects.get(order=order)


def signed(payment: Payment, event_id: str) -> tuple[bytes, dict]:
    body = json.dumps({
        "id": event_id, "type": "charge.succeeded", "created": int(time.time()),
        "data": {"charge": payment.provider_reference, "payment": payment.pk, "amount": "129.00", "currency": "CNY"},
    }).encode()
    header = sandbox_signature(body, secret="whsec_haowu_test", timestamp=int(time.time()))
    return body, {"X-Haowu-Signature": header}


def deliver_in_parallel(requests_: list[tuple[bytes, dict]]) -> list[tuple[int, dict]]:
    barrier = threading.Barrier(len(requests_))
    answers, errors = [], []

    def worker(body, headers):
        try:
            barrier.wait()
            answers.append(webhook_handle(provider="sandbox", body=body, headers=headers))
        except Exception as exc:  # asserted on below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=request) for request in requests_]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    return answers


def test_the_same_event_delivered_eight_times_at_once_applies_once():
    payment = started_payment()

    answers = deliver_in_parallel([signed(payment, "evt_same")] * 8)

    assert sorted(data["status"] for _status, data in answers) == ["duplicate"] * 7 + ["processed"]
    assert WebhookEvent.objects.count() == 1
    assert OrderEvent.objects.filter(to_status=OrderStatus.PAID).count() == 1


def test_different_success_events_for_one_payment_at_once_pay_the_order_once():
    payment = started_payment()

    answers = deliver_in_parallel([signed(payment, f"evt_{i}") for i in range(6)])

    assert sorted(data["status"] for _status, data in answers) == ["no_change"] * 5 + ["processed"]
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED
    assert OrderEvent.objects.filter(to_status=OrderStatus.PAID).count() == 1
