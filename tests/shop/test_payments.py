"""Payments through the services: starting, offline confirmation, refunds with exact money."""

from decimal import Decimal
from itertools import count

import pytest
from django.test import RequestFactory

from shop.checkout.services import CheckoutLine, ShippingAddress, checkout_complete
from shop.orders.errors import IllegalTransition
from shop.orders.models import Order, OrderEvent, OrderStatus
from shop.orders.services import order_mark_paid
from shop.payments.errors import NothingToRefund, PaymentError, RefundTooLarge
from shop.payments.models import Payment, PaymentStatus, Refund, SandboxCharge
from shop.payments.selectors import payments_for_order
from shop.payments.services import payment_mark_offline_paid, payment_refund, payment_start
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db

ADDRESS = ShippingAddress(recipient="林小姐", phone="13800000000", city="杭州", address_line="西湖区文三路 1 号")
_keys = count(1)


def place_order(*, method: str, price: str = "129.00", quantity: int = 1) -> Order:
    """An order for ``quantity`` of a fresh product (¥129.00 ships free: total = lines)."""
    key = next(_keys)
    ProductFactory(skus=[{"code": f"PAY-{key}", "price": price, "stock": 5}])
    return checkout_complete(
        idempotency_key=f"pay-test-{key}", lines=[CheckoutLine(f"PAY-{key}", quantity)],
        email="lin@example.com", address=ADDRESS, shipping_method="standard", payment_method=method,
    )


@pytest.fixture
def rf_request():
    return RequestFactory().get("/checkout/")


@pytest.fixture
def operator(django_user_model):
    return django_user_model.objects.create_user(username="ops", password="x", is_staff=True)


def test_offline_start_opens_a_pending_payment_and_sends_the_reader_to_the_confirmation(rf_request):
    order = place_order(method="offline")

    url = payment_start(order=order, request=rf_request)

    assert url == f"/orders/{order.number}/"
    payment = Payment.objects.get()
    assert (payment.order, payment.method, payment.amount, payment.currency, payment.status) == (
        order, "offline", Decimal("129.00"), "CNY", PaymentStatus.PENDING,
    )
    assert payment.provider_reference is None


def test_starting_twice_reuses_the_pending_payment_and_the_providers_charge(rf_request):
    order = place_order(method="sandbox")

    first = payment_start(order=order, request=rf_request)
    second = payment_start(order=order, request=rf_request)

    assert first == second
    payment = Payment.objects.get()
    charge = SandboxCharge.objects.get()
    assert first == f"/payments/sandbox/{charge.id}/"
    assert charge.id.startswith("ch_")
    assert payment.provider_reference == charge.id
    assert (charge.amount, charge.currency, charge.description) == (Decimal("129.00"), "CNY", order.number)
    assert charge.return_url == f"http://testserver/payments/sandbox/return/{payment.pk}/"


def test_starting_a_paid_order_opens_no_payment(rf_request, operator):
    order = place_order(method="sandbox")
    order_mark_paid(order_id=order.pk)

    url = payment_start(order=order, request=rf_request)

    assert url == f"/orders/{order.number}/"
    assert Payment.objects.count() == 0


def test_operator_confirms_an_offline_payment(rf_request, operator):
    order = place_order(method="offline")
    payment_start(order=order, request=rf_request)

    paid = payment_mark_offline_paid(order_id=order.pk, actor=operator, note="Transfer 2026-11-26")

    assert paid.status == OrderStatus.PAID
    assert paid.paid_at is not None
    assert list(Payment.objects.values_list("status", flat=True)) == [PaymentStatus.SUCCEEDED]
    event = OrderEvent.objects.get(order=order, to_status=OrderStatus.PAID)
    assert (event.from_status, event.actor, event.note) == (OrderStatus.PENDING_PAYMENT, operator, "Transfer 2026-11-26")


def test_operator_confirms_an_offline_payment_the_reader_never_started(operator):
    order = place_order(method="offline")

    payment_mark_offline_paid(order_id=order.pk, actor=operator)

    payment = Payment.objects.get()
    assert (payment.amount, payment.status) == (Decimal("129.00"), PaymentStatus.SUCCEEDED)


def test_confirming_an_offline_payment_twice_fails_and_changes_nothing(operator):
    order = place_order(method="offline")
    payment_mark_offline_paid(order_id=order.pk, actor=operator)

    with pytest.raises(IllegalTransition):
        payment_mark_offline_paid(order_id=order.pk, actor=operator)

    assert Payment.objects.count() == 1
    assert OrderEvent.objects.filter(order=order, to_status=OrderStatus.PAID).count() == 1


def test_card_orders_are_not_confirmed_by_an_operator(rf_request, operator):
    order = place_order(method="sandbox")
    payment_start(order=order, request=rf_request)

    with pytest.raises(PaymentError, match="paid by card"):
        payment_mark_offline_paid(order_id=order.pk, actor=operator)

    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING_PAYMENT
    assert Payment.objects.get().status == PaymentStatus.PENDING


def test_offline_refund_partial_then_full(operator):
    order = place_order(method="offline", quantity=2)  # ¥258.00
    payment_mark_offline_paid(order_id=order.pk, actor=operator)

    partly = payment_refund(order_id=order.pk, amount=Decimal("58.10"), actor=operator, note="Dented lid")

    assert (partly.status, partly.refunded_total) == (OrderStatus.PAID, Decimal("58.10"))
    assert Payment.objects.get().status == PaymentStatus.PARTIALLY_REFUNDED

    fully = payment_refund(order_id=order.pk, amount="199.90", actor=operator)

    assert (fully.status, fully.refunded_total) == (OrderStatus.REFUNDED, Decimal("258.00"))
    assert Payment.objects.get().status == PaymentStatus.REFUNDED
    assert list(Refund.objects.values_list("amount", "provider_reference", "actor", "note")) == [
        (Decimal("58.10"), None, operator.pk, "Dented lid"),
        (Decimal("199.90"), None, operator.pk, "Refund of ¥199.90."),
    ]


@pytest.mark.parametrize("amount", [Decimal("0"), Decimal("-5.00"), Decimal("129.01"), "twelve", 12.5])
def test_a_refund_outside_what_was_paid_is_refused_and_changes_nothing(operator, amount):
    order = place_order(method="offline")
    payment_mark_offline_paid(order_id=order.pk, actor=operator)

    with pytest.raises(RefundTooLarge) as error:
        payment_refund(order_id=order.pk, amount=amount, actor=operator)

    assert str(error.value).endswith(".")
    order.refresh_from_db()
    assert (order.status, order.refunded_total) == (OrderStatus.PAID, Decimal("0.00"))
    assert Refund.objects.count() == 0
    assert Payment.objects.get().status == PaymentStatus.SUCCEEDED


def test_a_refund_too_large_names_the_refundable_amount(operator):
    order = place_order(method="offline")
    payment_mark_offline_paid(order_id=order.pk, actor=operator)
    payment_refund(order_id=order.pk, amount=Decimal("100.00"), actor=operator)

    with pytest.raises(RefundTooLarge, match=r"at most the refundable ¥29\.00\."):
        payment_refund(order_id=order.pk, amount=Decimal("29.01"), actor=operator)


def test_an_unpaid_order_has_nothing_to_refund(rf_request):
    order = place_order(method="offline")
    payment_start(order=order, request=rf_request)

    with pytest.raises(NothingToRefund):
        payment_refund(order_id=order.pk, amount=Decimal("1.00"))

    assert Refund.objects.count() == 0


def test_payments_for_order_lists_every_attempt_oldest_first(rf_request, operator):
    order = place_order(method="offline")
    other = place_order(method="offline")
    payment_start(order=order, request=rf_request)
    payment_start(order=other, request=rf_request)
    payment_mark_offline_paid(order_id=order.pk, actor=operator)
    payment_refund(order_id=order.pk, amount=Decimal("9.00"), actor=operator)

    payments = payments_for_order(order=order)

    assert [(p.method, p.status, p.amount) for p in payments] == [
        ("offline", PaymentStatus.PARTIALLY_REFUNDED, Decimal("129.00")),
    ]
    assert [r.amount for r in payments[0].refunds.all()] == [Decimal("9.00")]
