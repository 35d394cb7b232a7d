"""Issue 13, payments: which methods exist per environment, cancelling settles the money,
webhooks that cannot be used are rejected and kept, cash on delivery, the unpaid order's
page, and the sandbox provider's delivery to the right server with retries.

The provider's network delivery (``shop.payments.tasks.deliver``) is swapped for one that
posts through Django's test client to the real webhook view (the only thing faked)."""

import io
import json
import os
import subprocess
import sys
import time
from datetime import timedelta
from decimal import Decimal
from itertools import count
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.test import Client, RequestFactory, override_settings
from django.utils import timezone

from shop.checkout.forms import CheckoutForm
from shop.checkout.services import CheckoutLine, ShippingAddress, checkout_complete
from shop.orders.models import Order, OrderEvent, OrderStatus
from shop.orders.selectors import order_access_token
from shop.orders.services import orders_expire
from shop.payments import tasks
from shop.payments.errors import UnknownGateway
from shop.payments.gateways import gateway_for
from shop.payments.models import (
    Payment,
    PaymentStatus,
    Refund,
    SandboxCharge,
    SandboxChargeStatus,
    SandboxDelivery,
    WebhookEvent,
    WebhookOutcome,
)
from shop.payments.services import payment_mark_offline_paid, payment_refund, payment_start
from shop.payments.tasks import sandbox_signature
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
ADDRESS = ShippingAddress(recipient="林小姐", phone="13800000000", city="杭州", address_line="西湖区文三路 1 号")
SECRET = "whsec_haowu_test"
WEBHOOK_URL = "/payments/webhooks/sandbox/"
NO_SANDBOX = override_settings(HAOWU_PAYMENT_METHODS=["offline", "cod"])
_keys = count(1)


def place_order(*, method: str = "sandbox", quantity: int = 1) -> Order:
    key = next(_keys)
    ProductFactory(skus=[{"code": f"TRUST-{key}", "price": "129.00", "stock": 5}])
    return checkout_complete(
        idempotency_key=f"trust-{key}", lines=[CheckoutLine(f"TRUST-{key}", quantity)],
        email="lin@example.com", address=ADDRESS, shipping_method="standard", payment_method=method,
    )


def start(order: Order, host: str = "testserver") -> str:
    return payment_start(order=order, request=RequestFactory().get("/checkout/", HTTP_HOST=host))


@pytest.fixture
def deliveries(monkeypatch):
    """Webhooks the sandbox sends, posted through a test client to the real view; each is
    recorded as (url, type, status). ``answers`` may hold statuses to fake a shop that is
    down (consumed first) before the real view answers."""
    provider = Client()
    sent, answers = [], []

    def deliver(*, url, body, headers):
        if answers:
            status = answers.pop(0)
        else:
            extra = {name: value for name, value in headers.items() if name != "Content-Type"}
            status = provider.post(urlsplit(url).path, data=body, content_type="application/json", headers=extra).status_code
        sent.append((url, json.loads(body)["type"], status))
        return status

    monkeypatch.setattr(tasks, "deliver", deliver)
    return sent, answers


@pytest.fixture
def operator(django_user_model):
    return django_user_model.objects.create_superuser("ops", "ops@example.com", "pw", first_name="Mei")


def pay_card(client, url, capture):
    with capture(execute=True):
        return client.post(url, {"action": "pay", "card_number": "4242 4242 4242 4242"})


def post_signed(client, body: bytes):
    header = sandbox_signature(body, secret=SECRET, timestamp=int(time.time()))
    return client.post(WEBHOOK_URL, data=body, content_type="application/json", headers={"X-Haowu-Signature": header})


def succeeded_event(payment: Payment, **data) -> bytes:
    event = {
        "id": f"evt_{next(_keys)}", "type": "charge.succeeded", "created": int(time.time()),
        "data": {"charge": payment.provider_reference, "payment": payment.pk, "amount": "129.00", "currency": "CNY", **data},
    }
    return json.dumps(event).encode()


# --- Which payment methods exist --------------------------------------------------------


def test_without_the_setting_no_sandbox_is_offered():
    # given the environment names no payment methods (as on a production server)
    env = {key: value for key, value in os.environ.items() if key != "HAOWU_PAYMENT_METHODS"}
    code = "import haowu.settings.base as base; print(base.HAOWU_PAYMENT_METHODS)"

    # when the settings are read
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT / "site", env=env, capture_output=True, text=True, timeout=60
    )

    # then bank transfer and cash on delivery are offered, the sandbox is not
    assert result.stdout.strip() == "['offline', 'cod']"


def test_an_unknown_payment_method_stops_the_process_at_start_up():
    env = {**os.environ, "HAOWU_PAYMENT_METHODS": "offline,bitcoin"}

    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "HAOWU_PAYMENT_METHODS must list one or more of offline, cod, sandbox" in result.stderr
    assert "'bitcoin'" in result.stderr


@NO_SANDBOX
def test_a_disabled_method_is_not_offered_by_the_checkout_form():
    form = CheckoutForm(subtotal=Decimal("129.00"))

    assert [code for code, _label in form.fields["payment_method"].choices] == ["offline", "cod"]
    posted = CheckoutForm({"payment_method": "sandbox"}, subtotal=Decimal("129.00"))
    assert "payment_method" in posted.errors


@NO_SANDBOX
def test_a_disabled_method_is_refused_by_gateway_for():
    with pytest.raises(UnknownGateway):
        gateway_for("sandbox")
    assert gateway_for("cod").code == "cod"


def test_the_sandbox_pages_and_webhook_answer_404_when_it_is_disabled(client):
    order = place_order()
    checkout_url = start(order)
    payment = Payment.objects.get()
    charge = SandboxCharge.objects.get()

    with NO_SANDBOX:
        hosted = client.post(checkout_url, {"action": "pay", "card_number": "4242424242424242"})
        back = client.get(f"/payments/sandbox/return/{payment.pk}/?charge={charge.id}")
        hook = post_signed(client, succeeded_event(payment))

    assert (hosted.status_code, back.status_code, hook.status_code) == (404, 404, 404)
    charge.refresh_from_db()
    order.refresh_from_db()
    assert (charge.status, order.status) == (SandboxChargeStatus.PENDING, OrderStatus.PENDING_PAYMENT)
    assert WebhookEvent.objects.count() == 0


# --- Cancelling settles the money ----------------------------------------------------------


def test_cancelling_a_paid_card_order_refunds_the_card_and_names_the_operator(
    client, operator, deliveries, django_capture_on_commit_callbacks
):
    # given a card order paid through the sandbox
    order = place_order()
    pay_card(client, start(order), django_capture_on_commit_callbacks)
    client.force_login(operator)

    # when the operator cancels it
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/orders/{order.pk}/cancel/", {"cancel-note": "Out of stock"}, follow=True)

    # then the card got its money back, recorded with who and why
    order.refresh_from_db()
    payment = Payment.objects.get()
    assert (order.status, order.refunded_total) == (OrderStatus.CANCELLED, Decimal("0.00"))
    assert (payment.status, payment.refund_due) == (PaymentStatus.REFUNDED, False)
    assert SandboxCharge.objects.get().refunded_amount == Decimal("129.00")
    refund = Refund.objects.get()
    assert (refund.amount, refund.actor, refund.note) == (Decimal("129.00"), operator, "Order cancelled: Out of stock")
    assert [str(m).strip() for m in response.context["messages"]] == [
        f"Order {order.number} is cancelled; its stock is back on sale. ¥129.00 was refunded to the card it was paid with."
    ]


def test_cancelling_a_paid_bank_transfer_flags_it_and_shows_the_refund_action(client, operator):
    order = place_order(method="offline")
    payment_mark_offline_paid(order_id=order.pk, actor=operator)
    client.force_login(operator)

    client.post(f"/admin/orders/{order.pk}/cancel/", {"cancel-note": "Customer called."})

    payment = Payment.objects.get()
    assert (payment.status, payment.refund_due) == (PaymentStatus.SUCCEEDED, True)
    page = client.get(f"/admin/orders/{order.pk}/").content.decode()
    assert "Give the money back" in page
    assert f'name="refund-payment_id" value="{payment.pk}"' in page


def test_cancelling_a_pending_card_order_closes_its_charge(client, operator, deliveries, django_capture_on_commit_callbacks):
    # given a reader sent to the hosted page of a card order
    sent, _answers = deliveries
    order = place_order()
    checkout_url = start(order)
    client.force_login(operator)

    # when the operator cancels the order
    client.post(f"/admin/orders/{order.pk}/cancel/", {"cancel-note": "Duplicate order."})

    # then the hosted page refuses to take money for it
    with django_capture_on_commit_callbacks(execute=True):
        paid = Client().post(checkout_url, {"action": "pay", "card_number": "4242 4242 4242 4242"})
    assert paid.status_code == 400
    assert "The shop has closed this payment" in paid.content.decode()
    assert SandboxCharge.objects.get().status == SandboxChargeStatus.CANCELED
    assert Payment.objects.get().status == PaymentStatus.CANCELLED
    assert sent == []


def test_expiring_a_pending_card_order_closes_its_charge_but_cash_on_delivery_never_expires(client):
    card = place_order()
    checkout_url = start(card)
    cod = place_order(method="cod")
    Order.objects.filter(pk=card.pk).update(expires_at=timezone.now() - timedelta(minutes=1))

    out = io.StringIO()
    call_command("expire_orders", stdout=out)

    assert out.getvalue() == "Expired 1 unpaid order(s); closed 1 open payment(s).\n"
    card.refresh_from_db()
    cod.refresh_from_db()
    assert (card.status, cod.status) == (OrderStatus.CANCELLED, OrderStatus.PENDING_PAYMENT)
    assert SandboxCharge.objects.get().status == SandboxChargeStatus.CANCELED
    assert "can no longer be paid" in client.get(checkout_url).content.decode()


# --- Webhooks that cannot be used ----------------------------------------------------------


def test_a_payment_in_another_currency_does_not_pay_the_order_and_is_flagged(client):
    order = place_order()
    start(order)
    payment = Payment.objects.get()

    response = post_signed(client, succeeded_event(payment, currency="USD"))

    assert response.json() == {"status": "attention"}
    order.refresh_from_db()
    payment.refresh_from_db()
    assert order.status == OrderStatus.PENDING_PAYMENT
    assert (payment.status, payment.refund_due) == (PaymentStatus.SUCCEEDED, True)
    assert WebhookEvent.objects.get().detail == "The provider charged 129.00 USD instead of ¥129.00: refund it."


@pytest.mark.parametrize(
    "amount",
    ['"1e30"', "1e30", '"NaN"', "NaN", '"-5.00"', "-5", '"Infinity"', '"12.345"', "true", '"12,50"'],
)
def test_an_absurd_amount_is_refused_and_recorded_as_rejected(client, amount):
    order = place_order()
    start(order)
    payment = Payment.objects.get()
    body = succeeded_event(payment).replace(b'"amount": "129.00"', b'"amount": ' + amount.encode())

    response = post_signed(client, body)

    assert response.status_code == 400
    event = WebhookEvent.objects.get()
    assert (event.outcome, event.payment, event.detail) == (WebhookOutcome.REJECTED, None, response.json()["error"])
    order.refresh_from_db()
    payment.refresh_from_db()
    assert (order.status, payment.status) == (OrderStatus.PENDING_PAYMENT, PaymentStatus.PENDING)


def test_a_deeply_nested_signed_body_is_refused_and_recorded_once(client):
    order = place_order()
    start(order)
    payment = Payment.objects.get()
    body = succeeded_event(payment).replace(b'"currency": "CNY"', b'"currency": "CNY", "x": ' + b"[" * 100_000 + b"]" * 100_000)

    first = post_signed(client, body)
    again = post_signed(client, body)

    assert (first.status_code, first.json()) == (400, {"error": "The webhook body is too large."})
    assert again.status_code == 400
    event = WebhookEvent.objects.get()
    assert event.outcome == WebhookOutcome.REJECTED
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING_PAYMENT


def test_a_small_but_deeply_nested_signed_body_is_refused_without_recursing(client):
    body = b'{"id": "evt_deep", "type": "charge.succeeded", "data": {"charge": "ch_x", "x": ' + b"[" * 20_000 + b"]" * 20_000 + b"}}"

    response = post_signed(client, body)

    assert (response.status_code, response.json()) == (400, {"error": "The webhook body is nested too deeply."})
    assert WebhookEvent.objects.get().outcome == WebhookOutcome.REJECTED


def test_a_forged_nested_body_stores_nothing(client):
    body = b"[" * 20_000 + b"]" * 20_000
    header = sandbox_signature(body, secret="whsec_not_the_shops_secret", timestamp=int(time.time()))

    response = client.post(WEBHOOK_URL, data=body, content_type="application/json", headers={"X-Haowu-Signature": header})

    assert response.status_code == 400
    assert WebhookEvent.objects.count() == 0


# --- Coming back from paying in another browser ------------------------------------------------


def test_paying_in_a_browser_without_the_session_returns_to_a_working_confirmation(
    deliveries, django_capture_on_commit_callbacks
):
    # given a reader who placed a card order here but pays in another browser (an app's web view)
    order = place_order()
    checkout_url = start(order)
    elsewhere = Client()

    # when that browser pays and follows the provider's redirect back
    paid = pay_card(elsewhere, checkout_url, django_capture_on_commit_callbacks)
    page = elsewhere.get(paid["Location"], follow=True)

    # then it shows the paid order
    assert page.status_code == 200
    assert page.redirect_chain[-1][0].startswith(f"/orders/{order.number}/?key=")
    html = page.content.decode()
    assert order.number in html and "Thank you: your payment was received." in html


# --- Card refunds record who and why ----------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_card_refund_records_the_operator_and_note_even_when_the_webhook_comes_first(deliveries, operator):
    # given a paid card order; outside a test transaction every commit runs its
    # callbacks at once, so the provider's webhook arrives before payment_refund returns
    sent, _answers = deliveries
    order = place_order()
    Client().post(start(order), {"action": "pay", "card_number": "4242424242424242"})
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID

    # when the operator refunds part of it
    payment_refund(order_id=order.pk, amount=Decimal("29.00"), actor=operator, note="Dented lid")

    # then the refund (recorded by the webhook) names the operator and the note
    assert [kind for _url, kind, _status in sent] == ["charge.succeeded", "charge.refunded"]
    refund = Refund.objects.get()
    assert (refund.amount, refund.actor, refund.note) == (Decimal("29.00"), operator, "Dented lid")
    event = OrderEvent.objects.filter(order=order).last()
    assert (event.actor, event.note) == (operator, "Dented lid")


# --- Cash on delivery ----------------------------------------------------------------------------


def test_cash_on_delivery_never_expires_asks_for_no_deadline_and_the_operator_marks_it_paid(client, operator):
    order = place_order(method="cod")
    session = client.session
    session["hw_orders"] = [order.number]
    session.save()

    assert order.expires_at is None
    assert orders_expire(now=timezone.now() + timedelta(days=30)) == 0
    html = client.get(f"/orders/{order.number}/").content.decode()
    assert "Your order is placed" in html
    assert "Pay ¥129.00 in cash to the courier when the parcel arrives." in html
    assert "Please pay within" not in html and "cancelled after" not in html

    client.force_login(operator)
    assert f"/admin/orders/{order.pk}/mark-paid/" in client.get(f"/admin/orders/{order.pk}/").content.decode()
    client.post(f"/admin/orders/{order.pk}/mark-paid/")

    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    payment = Payment.objects.get()
    assert (payment.method, payment.status, payment.amount) == ("cod", PaymentStatus.SUCCEEDED, Decimal("129.00"))
    assert order.events.get(to_status=OrderStatus.PAID).note == "Cash collected on delivery."


# --- The unpaid order's page ----------------------------------------------------------------------


def key_of(order: Order) -> str:
    return order_access_token(order)


def test_an_unpaid_card_order_says_what_is_missing_and_offers_to_pay_again(client):
    order = place_order()
    start(order)
    url = f"/orders/{order.number}/?key={key_of(order)}"

    html = client.get(url).content.decode()

    assert "Your order is waiting for payment" in html
    assert "Your order is placed" not in html and "Thank you" not in html
    assert "We have not received your payment yet" in html
    assert "Pay ¥129.00 now" in html

    again = client.post(f"/payments/orders/{order.number}/pay/", {"key": key_of(order)})
    assert again["Location"] == f"/payments/sandbox/{SandboxCharge.objects.get().id}/"


def test_the_reader_switches_an_unpaid_card_order_to_bank_transfer(client):
    # given a card order whose charge is open, and a browser holding only the order's key
    order = place_order()
    checkout_url = start(order)
    html = client.get(f"/orders/{order.number}/?key={key_of(order)}").content.decode()
    assert 'value="offline"' in html and 'value="cod"' in html

    # when the reader switches to bank transfer
    switched = client.post(
        f"/payments/orders/{order.number}/method/", {"payment_method": "offline", "key": key_of(order)}, follow=True
    )

    # then the order is paid by bank transfer, its card charge takes no money any more
    order.refresh_from_db()
    assert order.payment_method == "offline"
    assert SandboxCharge.objects.get().status == SandboxChargeStatus.CANCELED
    assert "can no longer be paid" in client.get(checkout_url).content.decode()
    page = switched.content.decode()
    assert "Your order will now be paid by Bank transfer." in page
    assert "6214 8888 0000 0000" in page
    assert order.events.last().note == "Payment method changed from Card (sandbox gateway) to Bank transfer."


def test_switching_to_cash_on_delivery_drops_the_pay_by_time(client):
    order = place_order(method="offline")

    client.post(f"/payments/orders/{order.number}/method/", {"payment_method": "cod", "key": key_of(order)})

    order.refresh_from_db()
    assert (order.payment_method, order.expires_at) == ("cod", None)


def test_the_payment_method_cannot_change_for_strangers_paid_orders_or_disabled_methods(client, operator):
    order = place_order(method="offline")
    url = f"/payments/orders/{order.number}/method/"

    assert client.post(url, {"payment_method": "cod"}).status_code == 404
    assert client.get(url).status_code == 405
    with NO_SANDBOX:
        client.post(url, {"payment_method": "sandbox", "key": key_of(order)})
    payment_mark_offline_paid(order_id=order.pk, actor=operator)
    refused = client.post(url, {"payment_method": "cod", "key": key_of(order)}, follow=True)

    order.refresh_from_db()
    assert order.payment_method == "offline"
    assert f"Order {order.number} is no longer waiting for payment" in refused.content.decode()


def test_changing_the_payment_method_needs_the_csrf_token():
    order = place_order(method="offline")
    browser = Client(enforce_csrf_checks=True)

    response = browser.post(f"/payments/orders/{order.number}/method/", {"payment_method": "cod", "key": key_of(order)})

    assert response.status_code == 403
    order.refresh_from_db()
    assert order.payment_method == "offline"


# --- The sandbox provider's deliveries -------------------------------------------------------------


@override_settings(HAOWU_SANDBOX_WEBHOOK_BASE_URL="")
def test_the_sandbox_delivers_to_the_server_that_created_the_charge(deliveries, django_capture_on_commit_callbacks):
    sent, _answers = deliveries
    order = place_order()

    checkout_url = start(order, host="127.0.0.1:8123")
    pay_card(Client(), checkout_url, django_capture_on_commit_callbacks)

    assert sent == [("http://127.0.0.1:8123/payments/webhooks/sandbox/", "charge.succeeded", 200)]


def test_a_failed_delivery_is_retried_later_with_growing_delays_then_given_up(
    deliveries, django_capture_on_commit_callbacks
):
    # given a shop that answers 503 to the first three deliveries
    sent, answers = deliveries
    answers.extend([503, 503, 503])
    order = place_order()
    paid_at = timezone.now()
    pay_card(Client(), start(order), django_capture_on_commit_callbacks)
    delivery = SandboxDelivery.objects.get()
    assert (delivery.attempts, delivery.delivered_at) == (1, None)
    first_wait = delivery.next_attempt_at - paid_at

    # when retries run: too early, then when due twice more, then after the shop recovered
    assert tasks.sandbox_deliveries_retry(now=paid_at + timedelta(seconds=10)) == (0, 0)
    assert tasks.sandbox_deliveries_retry(now=paid_at + timedelta(seconds=31)) == (0, 1)
    delivery.refresh_from_db()
    second_wait = delivery.next_attempt_at - (paid_at + timedelta(seconds=31))
    assert tasks.sandbox_deliveries_retry(now=delivery.next_attempt_at) == (0, 1)
    delivery.refresh_from_db()
    assert tasks.sandbox_deliveries_retry(now=delivery.next_attempt_at) == (1, 0)

    # then the waits grew, and the fourth attempt paid the order
    assert timedelta(seconds=29) < first_wait <= timedelta(seconds=31)
    assert second_wait == timedelta(seconds=120)
    assert [status for _url, _kind, status in sent] == [503, 503, 503, 200]
    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.last_status, delivery.delivered_at is not None) == (4, 200, True)
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert tasks.sandbox_deliveries_retry(now=timezone.now() + timedelta(days=1)) == (0, 0)


def test_a_delivery_that_never_succeeds_stops_after_a_bounded_number_of_attempts(
    deliveries, django_capture_on_commit_callbacks
):
    sent, answers = deliveries
    answers.extend([500] * 50)
    pay_card(Client(), start(place_order()), django_capture_on_commit_callbacks)

    now = timezone.now()
    for _ in range(20):
        now += timedelta(hours=3)
        tasks.sandbox_deliveries_retry(now=now)

    delivery = SandboxDelivery.objects.get()
    assert (delivery.attempts, delivery.next_attempt_at, delivery.delivered_at) == (7, None, None)
    assert len(sent) == 7


def test_the_return_page_stops_refreshing_after_a_while_and_says_what_to_do(client):
    # given a payment whose provider cannot say anything about its charge
    order = place_order()
    start(order)
    payment = Payment.objects.get()
    charge_id = payment.provider_reference
    SandboxCharge.objects.all().delete()
    url = f"/payments/sandbox/return/{payment.pk}/?charge={charge_id}"

    first = client.get(url).content.decode()
    last = client.get(url + "&polls=20").content.decode()

    assert "Your payment is processing" in first
    assert f'content="3;url=/payments/sandbox/return/{payment.pk}/?charge={charge_id}&amp;polls=1"' in first
    assert "http-equiv=\"refresh\"" not in last
    assert "Your payment is not confirmed yet" in last and "do not pay again" in last
