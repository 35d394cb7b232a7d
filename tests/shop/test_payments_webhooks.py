"""The sandbox card gateway end to end: hosted page, return page, signed asynchronous
webhooks through the real view, replays and forgeries, refunds reported twice.

The provider's network delivery (``shop.payments.tasks.deliver``) is swapped for one that
posts through Django's test client, so every signed request still goes through the view.
"""

import json
import time
from decimal import Decimal
from itertools import count
from urllib.parse import urlsplit

import pytest
from django.test import Client, RequestFactory

from shop.checkout.services import CheckoutLine, ShippingAddress, checkout_complete
from shop.orders.models import Order, OrderStatus
from shop.orders.services import order_cancel
from shop.payments import tasks
from shop.payments.errors import RefundTooLarge
from shop.payments.models import (
    Payment,
    PaymentStatus,
    Refund,
    SandboxCharge,
    SandboxChargeStatus,
    WebhookEvent,
    WebhookOutcome,
)
from shop.payments.sandbox import sandbox_refund_create
from shop.payments.services import payment_refund, payment_start
from shop.payments.tasks import sandbox_signature
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db

ADDRESS = ShippingAddress(recipient="林小姐", phone="13800000000", city="杭州", address_line="西湖区文三路 1 号")
SECRET = "whsec_haowu_test"
WEBHOOK_URL = "/payments/webhooks/sandbox/"
_keys = count(1)


def place_order(*, quantity: int = 1) -> Order:
    key = next(_keys)
    ProductFactory(skus=[{"code": f"CARD-{key}", "price": "129.00", "stock": 5}])
    return checkout_complete(
        idempotency_key=f"card-test-{key}", lines=[CheckoutLine(f"CARD-{key}", quantity)],
        email="lin@example.com", address=ADDRESS, shipping_method="standard", payment_method="sandbox",
    )


@pytest.fixture
def deliveries(monkeypatch):
    """Webhooks the sandbox sends arrive at the real view through a test client (the
    provider's, not the reader's); each delivery is recorded as (type, status, answer)."""
    provider = Client()
    sent = []

    def deliver(*, url, body, headers):
        extra = {name: value for name, value in headers.items() if name != "Content-Type"}
        response = provider.post(urlsplit(url).path, data=body, content_type="application/json", headers=extra)
        sent.append((json.loads(body)["type"], response.status_code, response.json()))
        return response.status_code

    monkeypatch.setattr(tasks, "deliver", deliver)
    return sent


@pytest.fixture
def started(client):
    """A card order whose reader has been sent to the sandbox's hosted page."""
    order = place_order()
    url = payment_start(order=order, request=RequestFactory().get("/checkout/"))
    return order, Payment.objects.get(order=order), url


def event_for(payment: Payment, *, event_type="charge.succeeded", event_id="evt_test_1", amount="129.00", **data):
    return {
        "id": event_id, "type": event_type, "created": int(time.time()),
        "data": {"charge": payment.provider_reference, "payment": payment.pk, "amount": amount, "currency": "CNY", **data},
    }


def post_signed(client, event, *, secret=SECRET, timestamp=None, header=None):
    body = event if isinstance(event, bytes) else json.dumps(event).encode()
    if header is None:
        header = sandbox_signature(body, secret=secret, timestamp=int(time.time()) if timestamp is None else timestamp)
    return client.post(WEBHOOK_URL, data=body, content_type="application/json", headers={"X-Haowu-Signature": header})


def test_a_card_payment_end_to_end(client, started, deliveries, django_capture_on_commit_callbacks):
    order, payment, checkout_url = started

    page = client.get(checkout_url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "SANDBOX" in html and order.number in html and "¥129.00" in html
    assert "4242 4242 4242 4242" in html and "4000 0000 0000 0002" in html

    with django_capture_on_commit_callbacks(execute=True):
        paid = client.post(checkout_url, {"action": "pay", "card_number": "4242 4242 4242 4242"})

    charge = SandboxCharge.objects.get()
    assert paid.status_code == 302
    assert paid["Location"] == f"http://testserver/payments/sandbox/return/{payment.pk}/?charge={charge.id}"
    assert (charge.status, charge.card_last4) == (SandboxChargeStatus.SUCCEEDED, "4242")
    assert deliveries == [("charge.succeeded", 200, {"status": "processed"})]
    payment.refresh_from_db()
    order.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED
    assert order.status == OrderStatus.PAID
    event = WebhookEvent.objects.get()
    assert (event.provider, event.type, event.outcome, event.payment) == (
        "sandbox", "charge.succeeded", WebhookOutcome.PROCESSED, payment,
    )
    assert event.event_id.startswith("evt_")
    assert event.payload["data"] == {"charge": charge.id, "payment": payment.pk, "amount": "129.00", "currency": "CNY"}

    back = client.get(paid["Location"])
    assert back.status_code == 302
    assert back["Location"].startswith(f"/orders/{order.number}/?key=")


def test_the_return_page_asks_the_provider_when_the_webhook_has_not_arrived(client, started, deliveries):
    # given a card paid at the provider whose webhook has not been sent yet
    order, payment, checkout_url = started
    paid = client.post(checkout_url, {"action": "pay", "card_number": "4242424242424242"})
    assert deliveries == []

    # when the reader lands on the return page
    back = client.get(paid["Location"])

    # then the shop asked the provider: the order is paid and the reader sees it
    assert back.status_code == 302
    assert back["Location"].startswith(f"/orders/{order.number}/?key=")
    payment.refresh_from_db()
    order.refresh_from_db()
    assert (payment.status, order.status) == (PaymentStatus.SUCCEEDED, OrderStatus.PAID)
    # and the webhook arriving later changes nothing
    assert post_signed(client, event_for(payment)).json() == {"status": "no_change"}
    assert order.events.filter(to_status=OrderStatus.PAID).count() == 1


def test_the_return_page_needs_the_payments_own_charge(client, started):
    _order, payment, _url = started

    assert client.get(f"/payments/sandbox/return/{payment.pk}/?charge=ch_guess").status_code == 404
    assert client.get(f"/payments/sandbox/return/{payment.pk}/").status_code == 404


def test_a_declined_card_fails_the_payment_and_the_reader_can_try_again(
    client, started, deliveries, django_capture_on_commit_callbacks
):
    order, payment, checkout_url = started

    with django_capture_on_commit_callbacks(execute=True):
        declined = client.post(checkout_url, {"action": "pay", "card_number": "4000 0000 0000 0002"})

    assert deliveries == [("charge.failed", 200, {"status": "processed"})]
    payment.refresh_from_db()
    order.refresh_from_db()
    assert payment.status == PaymentStatus.FAILED
    assert order.status == OrderStatus.PENDING_PAYMENT
    back = client.get(declined["Location"])
    assert "Your card was declined" in back.content.decode()

    retry = client.post(declined["Location"])

    new_payment = Payment.objects.exclude(pk=payment.pk).get()
    assert new_payment.status == PaymentStatus.PENDING
    assert retry["Location"] == f"/payments/sandbox/{new_payment.provider_reference}/"
    assert SandboxCharge.objects.count() == 2


def test_an_unknown_card_is_refused_on_the_hosted_page(client, started, deliveries, django_capture_on_commit_callbacks):
    _order, _payment, checkout_url = started

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(checkout_url, {"action": "pay", "card_number": "1234 5678"})

    assert response.status_code == 400
    assert "only accepts the test card numbers" in response.content.decode()
    assert SandboxCharge.objects.get().status == SandboxChargeStatus.PENDING
    assert deliveries == []


def test_a_decided_charge_cannot_be_paid_again(client, started, deliveries, django_capture_on_commit_callbacks):
    _order, _payment, checkout_url = started
    with django_capture_on_commit_callbacks(execute=True):
        client.post(checkout_url, {"action": "pay", "card_number": "4000000000000002"})

    with django_capture_on_commit_callbacks(execute=True):
        client.post(checkout_url, {"action": "pay", "card_number": "4242424242424242"})

    assert SandboxCharge.objects.get().status == SandboxChargeStatus.FAILED
    assert [kind for kind, _status, _answer in deliveries] == ["charge.failed"]
    assert "already been completed" in client.get(checkout_url).content.decode()


def test_cancel_returns_to_the_shop_without_paying(client, started):
    _order, payment, checkout_url = started

    cancelled = client.post(checkout_url, {"action": "cancel"})

    assert cancelled["Location"].startswith(f"http://testserver/payments/sandbox/return/{payment.pk}/?charge=")
    assert SandboxCharge.objects.get().status == SandboxChargeStatus.PENDING
    page = client.get(cancelled["Location"]).content.decode()
    assert checkout_url in page


@pytest.mark.parametrize(
    ("secret", "header"),
    [
        ("whsec_someone_else", None),
        (SECRET, "t=1700000000,v1=" + "0" * 64),
        (SECRET, ""),
        (SECRET, "v1=abc"),
        (SECRET, "t=now,v1=abc"),
    ],
    ids=["wrong-secret", "forged-digest", "missing", "no-timestamp", "bad-timestamp"],
)
def test_a_forged_webhook_is_refused_and_changes_nothing(client, started, secret, header):
    order, payment, _url = started

    response = post_signed(client, event_for(payment), secret=secret, header=header)

    assert response.status_code == 400
    assert response.json()["error"]
    assert WebhookEvent.objects.count() == 0
    payment.refresh_from_db()
    order.refresh_from_db()
    assert (payment.status, order.status) == (PaymentStatus.PENDING, OrderStatus.PENDING_PAYMENT)


def test_a_signature_over_another_body_is_refused(client, started):
    _order, payment, _url = started
    genuine = json.dumps(event_for(payment, event_type="charge.failed")).encode()
    header = sandbox_signature(genuine, secret=SECRET, timestamp=int(time.time()))

    response = post_signed(client, event_for(payment), header=header)

    assert (response.status_code, response.json()) == (400, {"error": "The webhook signature does not match."})
    assert WebhookEvent.objects.count() == 0


def test_an_expired_signature_is_refused_as_a_replay(client, started):
    order, payment, _url = started

    response = post_signed(client, event_for(payment), timestamp=int(time.time()) - 301)

    assert (response.status_code, response.json()) == (400, {"error": "The webhook signature has expired."})
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING_PAYMENT
    assert WebhookEvent.objects.count() == 0


def test_a_replayed_event_is_answered_duplicate_and_changes_nothing(client, started):
    order, payment, _url = started
    first = post_signed(client, event_for(payment, event_id="evt_once"))
    order.refresh_from_db()
    paid_at = order.paid_at

    replay = post_signed(client, event_for(payment, event_id="evt_once", event_type="charge.failed"))

    assert (first.status_code, first.json()) == (200, {"status": "processed"})
    assert (replay.status_code, replay.json()) == (200, {"status": "duplicate"})
    payment.refresh_from_db()
    order.refresh_from_db()
    assert (payment.status, order.status, order.paid_at) == (PaymentStatus.SUCCEEDED, OrderStatus.PAID, paid_at)
    assert WebhookEvent.objects.count() == 1
    assert order.events.filter(to_status=OrderStatus.PAID).count() == 1


def test_a_second_success_event_for_a_paid_payment_changes_nothing(client, started):
    order, payment, _url = started
    post_signed(client, event_for(payment, event_id="evt_a"))

    again = post_signed(client, event_for(payment, event_id="evt_b"))

    assert again.json() == {"status": "no_change"}
    assert order.events.filter(to_status=OrderStatus.PAID).count() == 1


@pytest.mark.parametrize(
    "body",
    [b"{not json", b"\xff\xfe", b"[1, 2]", b'{"id": "evt_x", "type": "charge.succeeded"}', b'{"id": "", "type": "x", "data": {"charge": "ch_1"}}'],
    ids=["broken", "not-utf8", "list", "no-data", "empty-id"],
)
def test_a_malformed_but_signed_body_is_refused_and_recorded_as_rejected(client, started, body):
    order, _payment, _url = started

    response = post_signed(client, body)

    assert response.status_code == 400
    assert response.json()["error"].endswith(".")
    event = WebhookEvent.objects.get()
    assert (event.outcome, event.detail, event.payment) == (WebhookOutcome.REJECTED, response.json()["error"], None)
    assert event.payload == {"body": body.decode(errors="replace")}
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING_PAYMENT


def test_an_unknown_event_type_is_stored_and_ignored(client, started):
    order, payment, _url = started

    response = post_signed(client, event_for(payment, event_type="charge.disputed"))

    assert (response.status_code, response.json()) == (200, {"status": "ignored"})
    assert WebhookEvent.objects.get().outcome == WebhookOutcome.IGNORED
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING_PAYMENT


def test_an_event_for_a_charge_we_never_opened_is_ignored(client, started):
    _order, payment, _url = started
    event = event_for(payment)
    event["data"]["charge"] = "ch_not_ours"

    response = post_signed(client, event)

    assert response.json() == {"status": "ignored"}
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING


def test_the_webhook_only_answers_posts_and_known_providers(client):
    assert client.get(WEBHOOK_URL).status_code == 405
    assert client.post("/payments/webhooks/paypal/", data=b"{}", content_type="application/json").status_code == 404
    offline = client.post("/payments/webhooks/offline/", data=b"{}", content_type="application/json")
    assert offline.status_code == 400


def test_a_payment_for_a_cancelled_order_is_recorded_and_flagged_for_refund(
    client, started, deliveries, django_capture_on_commit_callbacks
):
    order, payment, checkout_url = started
    order_cancel(order_id=order.pk, note="Not paid in time.")

    with django_capture_on_commit_callbacks(execute=True):
        paid = client.post(checkout_url, {"action": "pay", "card_number": "4242 4242 4242 4242"})

    assert deliveries == [("charge.succeeded", 200, {"status": "attention"})]
    payment.refresh_from_db()
    order.refresh_from_db()
    assert (payment.status, payment.refund_due) == (PaymentStatus.SUCCEEDED, True)
    assert order.status == OrderStatus.CANCELLED
    assert "was Cancelled when the payment arrived" in WebhookEvent.objects.get().detail
    assert "arrived too late" in client.get(paid["Location"]).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        payment_refund(order_id=order.pk, amount=Decimal("129.00"))

    payment.refresh_from_db()
    order.refresh_from_db()
    assert (payment.status, payment.refund_due) == (PaymentStatus.REFUNDED, False)
    assert (order.status, order.refunded_total) == (OrderStatus.CANCELLED, Decimal("0.00"))
    assert deliveries[-1] == ("charge.refunded", 200, {"status": "no_change"})


def pay_by_card(client, checkout_url, capture):
    with capture(execute=True):
        client.post(checkout_url, {"action": "pay", "card_number": "4242 4242 4242 4242"})


def test_card_refunds_partial_then_full_are_recorded_once(
    client, deliveries, django_capture_on_commit_callbacks
):
    order = place_order(quantity=2)  # ¥258.00
    checkout_url = payment_start(order=order, request=RequestFactory().get("/"))
    pay_by_card(client, checkout_url, django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=True):
        partly = payment_refund(order_id=order.pk, amount=Decimal("100.01"), note="One kettle dented")

    assert (partly.status, partly.refunded_total) == (OrderStatus.PAID, Decimal("100.01"))

    with django_capture_on_commit_callbacks(execute=True):
        fully = payment_refund(order_id=order.pk, amount=Decimal("157.99"))

    assert (fully.status, fully.refunded_total) == (OrderStatus.REFUNDED, Decimal("258.00"))
    payment = Payment.objects.get()
    assert payment.status == PaymentStatus.REFUNDED
    charge = SandboxCharge.objects.get()
    assert charge.refunded_amount == Decimal("258.00")
    refunds = list(Refund.objects.values_list("amount", "provider_reference"))
    assert [amount for amount, _ref in refunds] == [Decimal("100.01"), Decimal("157.99")]
    assert sorted(ref for _amount, ref in refunds) == sorted(charge.refunds.values_list("id", flat=True))
    assert [d for d in deliveries if d[0] == "charge.refunded"] == [
        ("charge.refunded", 200, {"status": "no_change"}),
        ("charge.refunded", 200, {"status": "no_change"}),
    ]


def test_a_card_refund_too_large_reaches_neither_the_provider_nor_the_order(
    client, deliveries, django_capture_on_commit_callbacks
):
    order = place_order()
    checkout_url = payment_start(order=order, request=RequestFactory().get("/"))
    pay_by_card(client, checkout_url, django_capture_on_commit_callbacks)

    with pytest.raises(RefundTooLarge):
        payment_refund(order_id=order.pk, amount=Decimal("129.01"))

    order.refresh_from_db()
    assert (order.status, order.refunded_total) == (OrderStatus.PAID, Decimal("0.00"))
    assert SandboxCharge.objects.get().refunded_amount == Decimal("0.00")
    assert Refund.objects.count() == 0


def test_a_refund_made_at_the_provider_is_recorded_from_its_webhook_once(
    client, deliveries, django_capture_on_commit_callbacks
):
    order = place_order()
    checkout_url = payment_start(order=order, request=RequestFactory().get("/"))
    pay_by_card(client, checkout_url, django_capture_on_commit_callbacks)
    charge = SandboxCharge.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        refund = sandbox_refund_create(charge_id=charge.id, amount=Decimal("29.00"))

    assert deliveries[-1] == ("charge.refunded", 200, {"status": "processed"})
    order.refresh_from_db()
    assert (order.status, order.refunded_total) == (OrderStatus.PAID, Decimal("29.00"))
    recorded = Refund.objects.get()
    assert (recorded.amount, recorded.provider_reference, recorded.actor) == (Decimal("29.00"), refund.id, None)

    event = WebhookEvent.objects.get(type="charge.refunded")
    replay = post_signed(client, event.payload)
    assert replay.json() == {"status": "duplicate"}
    fresh_id = post_signed(client, {**event.payload, "id": "evt_resent"})
    assert fresh_id.json() == {"status": "no_change"}
    order.refresh_from_db()
    assert order.refunded_total == Decimal("29.00")
    assert Refund.objects.count() == 1
