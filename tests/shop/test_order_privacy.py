"""Buyers' personal data: order numbers nobody can guess, lookups that reveal nothing,
links that expire and pages no cache keeps."""

import re
import time
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from shop.catalogue.models import SKU
from shop.checkout.services import CheckoutLine, ShippingAddress, checkout_complete
from shop.orders.models import Order
from shop.orders.selectors import order_access_token, order_from_access_token

real_time = time.time

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
    # One buyer per order: an address may hold only a few unpaid orders.
    return checkout_complete(
        idempotency_key=key, lines=[CheckoutLine("KET-1", 1)], email=f"{key}@example.com", address=ADDRESS,
        shipping_method="standard", payment_method="offline",
    )


def test_order_numbers_are_hw_the_date_and_ten_random_unambiguous_characters(product_factory):
    product_factory(skus=[{"code": "KET-1", "price": "45.00", "stock": 50}])

    numbers = [_place(f"key-{i}").number for i in range(20)]

    today = timezone.localdate().strftime("%Y%m%d")
    assert all(re.fullmatch(rf"HW{today}[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{{10}}", number) for number in numbers)
    suffixes = [number[10:] for number in numbers]
    assert len(set(suffixes)) == 20


def test_a_number_already_taken_is_drawn_again(product_factory, monkeypatch):
    product_factory(skus=[{"code": "KET-1", "price": "45.00", "stock": 5}])
    today = timezone.localdate().strftime("%Y%m%d")
    _order(f"HW{today}AAAAAAAAAA")
    draws = iter("A" * 10 + "B" * 10)
    monkeypatch.setattr("secrets.choice", lambda alphabet: next(draws))

    order = _place("key-new")

    assert order.number == f"HW{today}BBBBBBBBBB"



# The buyer's order status in the API: failed lookups are limited per client address


def test_api_lookups_with_a_wrong_email_are_limited_per_address(settings):
    settings.HAOWU_LIMIT_ORDER_LOOKUP = "3/10m"
    order = _order("HW20261126K7Q2MX9PRT")
    stranger, neighbour = Client(REMOTE_ADDR="198.51.100.7"), Client(REMOTE_ADDR="198.51.100.8")

    answers = [stranger.get(f"/api/orders/{order.number}", {"email": f"guess{i}@example.com"}).status_code
               for i in range(3)]
    blocked = stranger.get(f"/api/orders/{order.number}", {"email": "li.lei@example.com"})

    assert answers == [404, 404, 404]
    assert blocked.status_code == 429
    assert blocked.json() == {
        "message": "Too many attempts from your network. Please wait a few minutes and try again.",
        "code": "rate_limited",
    }
    assert 0 < int(blocked["Retry-After"]) <= 600
    # Another address is not held up, and the right e-mail still answers there.
    assert neighbour.get(f"/api/orders/{order.number}", {"email": "li.lei@example.com"}).status_code == 200


def test_api_lookups_that_find_the_order_are_not_counted(settings):
    settings.HAOWU_LIMIT_ORDER_LOOKUP = "2/10m"
    order = _order("HW20261126K7Q2MX9PRT")
    buyer = Client(REMOTE_ADDR="198.51.100.7")

    answers = [buyer.get(f"/api/orders/{order.number}", {"email": "li.lei@example.com"}).status_code
               for _ in range(5)]

    assert answers == [200] * 5


# The guest lookup form: the link goes to the order's own address, the page says the same


LOOKUP_SENT = (
    "If an order with that number was placed with that e-mail address, we have sent a link to it "
    "to that address. Please check your inbox."
)


def test_guest_lookup_emails_the_link_to_the_orders_address_and_shows_no_order(
    client, soup, django_capture_on_commit_callbacks, settings,
):
    settings.HAOWU_ORDER_LINK_DAYS = 30
    order = _order("HW20261126K7Q2MX9PRT", email="Li.Lei@Example.com")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/orders/lookup/", {"number": " hw20261126k7q2mx9prt ", "email": "li.lei@example.com"})

    assert response.status_code == 200
    page = soup(response)
    assert page.select_one("[data-lookup-sent]").get_text(" ", strip=True) == LOOKUP_SENT
    assert "100 Tianyaoqiao Road" not in response.content.decode()
    assert client.get(f"/orders/{order.number}/").status_code == 404  # the session was not given the order
    (email,) = mail.outbox
    assert (email.to, email.subject) == (["Li.Lei@Example.com"], "Your Haowu order HW20261126K7Q2MX9PRT")
    link = re.search(r"http://127\.0\.0\.1:8000(/orders/HW20261126K7Q2MX9PRT/\?key=\S+)", email.body).group(1)
    assert "The link works for 30 days." in email.body
    assert Client().get(link).status_code == 200


@pytest.mark.parametrize(("number", "email"), [
    ("HW20261126K7Q2MX9PRT", "someone@example.com"),
    ("HW20261126K7Q2MX9PRX", "li.lei@example.com"),
])
def test_guest_lookup_answers_the_same_when_nothing_matches(
    client, soup, django_capture_on_commit_callbacks, number, email,
):
    _order("HW20261126K7Q2MX9PRT")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/orders/lookup/", {"number": number, "email": email})

    assert response.status_code == 200
    assert soup(response).select_one("[data-lookup-sent]").get_text(" ", strip=True) == LOOKUP_SENT
    assert mail.outbox == []


def test_failed_guest_lookups_are_limited_per_address_with_a_clear_page(client, soup, settings):
    settings.HAOWU_LIMIT_ORDER_LOOKUP = "2/10m"
    _order("HW20261126K7Q2MX9PRT")
    for i in range(2):
        client.post("/orders/lookup/", {"number": f"HW20261126AAAAAAAAA{i + 2}", "email": "li.lei@example.com"})

    response = client.post("/orders/lookup/", {"number": "HW20261126K7Q2MX9PRT", "email": "li.lei@example.com"})

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 600
    assert soup(response).select_one("[role=alert]").get_text(" ", strip=True) == (
        "Too many attempts from your network. Please wait a few minutes and try again."
    )
    assert mail.outbox == []


def test_one_order_gets_at_most_three_link_mails_an_hour(client, django_capture_on_commit_callbacks):
    _order("HW20261126K7Q2MX9PRT")

    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(5):
            client.post("/orders/lookup/", {"number": "HW20261126K7Q2MX9PRT", "email": "li.lei@example.com"})

    assert len(mail.outbox) == 3


# Signed links expire; the account keeps access


def test_an_order_link_expires_after_the_configured_days(settings, monkeypatch, soup):
    settings.HAOWU_ORDER_LINK_DAYS = 30
    order = _order("HW20261126K7Q2MX9PRT")
    with monkeypatch.context() as past:
        past.setattr("time.time", lambda: real_time() - 31 * 86400)
        old_key = order_access_token(order)
    with monkeypatch.context() as recent:
        recent.setattr("time.time", lambda: real_time() - 29 * 86400)
        recent_key = order_access_token(order)

    expired = Client().get(f"/orders/{order.number}/", {"key": old_key})

    assert Client().get(f"/orders/{order.number}/", {"key": recent_key}).status_code == 200
    assert order_from_access_token(old_key) is None
    assert expired.status_code == 410
    assert soup(expired).select_one("[role=alert]").get_text(" ", strip=True) == (
        "This link to your order has expired. Enter the order number and e-mail address "
        "and we will send you a new one."
    )
    assert "100 Tianyaoqiao Road" not in expired.content.decode()


def test_the_signed_in_owner_keeps_access_without_a_link(django_user_model, settings, monkeypatch):
    settings.HAOWU_ORDER_LINK_DAYS = 30
    owner = django_user_model.objects.create_user(username="li@example.com", password="x")
    order = _order("HW20261126K7Q2MX9PRT", user=owner)
    with monkeypatch.context() as past:
        past.setattr("time.time", lambda: real_time() - 90 * 86400)
        old_key = order_access_token(order)
    client = Client()
    client.force_login(owner)

    assert client.get(f"/orders/{order.number}/", {"key": old_key}).status_code == 200
    assert client.get(f"/account/orders/{order.number}/").status_code == 200


# Pages and answers with personal data are never kept by a cache


@pytest.fixture
def shopper_with_order(product_factory, django_user_model):
    """A signed-in reader with a kettle in the cart and a card order waiting for payment."""
    from django.test import RequestFactory

    from shop.payments.models import Payment, SandboxCharge
    from shop.payments.services import payment_start

    product_factory(title="Sage Kettle", skus=[{"code": "KET-1", "price": "45.00", "stock": 9}])
    user = django_user_model.objects.create_user(username="li@example.com", email="li@example.com", password="x")
    order = checkout_complete(
        idempotency_key="private-1", lines=[CheckoutLine("KET-1", 1)], email="li@example.com", address=ADDRESS,
        shipping_method="standard", payment_method="sandbox", user=user,
    )
    payment_start(order=order, request=RequestFactory().get("/checkout/"))
    client = Client()
    client.force_login(user)
    client.post("/cart/add/", {"sku": "KET-1", "quantity": "1"})
    client.get("/api/cart")
    return client, order, Payment.objects.get(), SandboxCharge.objects.get()


def test_pages_with_personal_data_are_private_and_not_stored(shopper_with_order):
    client, order, payment, charge = shopper_with_order
    csrf = {"HTTP_X_CSRFTOKEN": client.cookies["csrftoken"].value}
    answers = {
        "confirmation": client.get(f"/orders/{order.number}/"),
        "lookup": client.get("/orders/lookup/"),
        "lookup sent": client.post("/orders/lookup/", {"number": order.number, "email": "li@example.com"}),
        "account orders": client.get("/account/orders/"),
        "account order": client.get(f"/account/orders/{order.number}/"),
        "cart": client.get("/cart/"),
        "checkout": client.get("/checkout/"),
        "sandbox return": client.get(f"/payments/sandbox/return/{payment.pk}/", {"charge": charge.id}),
        "api order": client.get(f"/api/orders/{order.number}"),
        "api order not found": client.get("/api/orders/HW20261126AAAAAAAAAA"),
        "api cart": client.get("/api/cart"),
        "api cart line": client.post("/api/cart/lines", {"sku": "KET-1", "quantity": 1},
                                     content_type="application/json", **csrf),
        "api checkout": client.post("/api/checkout", {}, content_type="application/json", **csrf),
    }

    assert {name: (answer.status_code, answer.get("Cache-Control")) for name, answer in answers.items()} == {
        "confirmation": (200, "private, no-store"),
        "lookup": (200, "private, no-store"),
        "lookup sent": (200, "private, no-store"),
        "account orders": (200, "private, no-store"),
        "account order": (200, "private, no-store"),
        "cart": (200, "private, no-store"),
        "checkout": (200, "private, no-store"),
        "sandbox return": (200, "private, no-store"),
        "api order": (200, "private, no-store"),
        "api order not found": (404, "private, no-store"),
        "api cart": (200, "private, no-store"),
        "api cart line": (201, "private, no-store"),
        "api checkout": (422, "private, no-store"),
    }


def test_sign_in_and_sign_up_pages_are_private_and_not_stored(client):
    assert client.get("/account/login/")["Cache-Control"] == "private, no-store"
    assert client.get("/account/signup/")["Cache-Control"] == "private, no-store"


def test_public_reads_keep_their_own_caching(client, product_factory):
    product_factory(title="Sage Kettle", skus=[{"code": "KET-1", "price": "45.00", "stock": 9}])

    assert "no-store" not in client.get("/api/products/KET-1").get("Cache-Control", "")


def test_a_number_a_concurrent_checkout_drew_at_the_same_moment_is_drawn_again(product_factory, monkeypatch):
    # given an order whose number another checkout draws too, before the first committed
    # (the "is it taken?" check cannot see an uncommitted order)
    from shop.checkout import services

    product_factory(skus=[{"code": "KET-1", "price": "45.00", "stock": 5}])
    taken = _place("key-first").number
    draw = services.order_number
    racing = iter([taken])
    monkeypatch.setattr(services, "order_number", lambda order: next(racing, None) or draw(order))

    # when the second checkout's number collides on the unique index
    order = _place("key-second")

    # then it is placed under a new number, once, with its stock taken once
    assert order.number != taken and order.number.startswith("HW")
    assert Order.objects.count() == 2
    assert SKU.objects.get(code="KET-1").stock == 3
