"""Who may see an order's page, and the guest lookup by number and e-mail."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from shop.orders.models import Order, OrderLine
from shop.orders.selectors import order_access_token, order_from_access_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def order_factory(db):
    def build(number="HW20261126000001", email="li.lei@example.com", user=None, payment_method="offline"):
        now = timezone.now()
        order = Order.objects.create(
            number=number, checkout_key=f"key-{number}", user=user, email=email,
            subtotal=Decimal("90.00"), shipping_total=Decimal("10.00"), total=Decimal("100.00"),
            shipping_method="standard", payment_method=payment_method, recipient="Li Lei", phone="13800138000",
            city="Shanghai", address_line="100 Tianyaoqiao Road", placed_at=now, expires_at=now + timedelta(minutes=30),
        )
        OrderLine.objects.create(
            order=order, sku_code="KET-1", product_name="Sage Kettle", option_label="Sage",
            unit_price=Decimal("45.00"), quantity=2, line_total=Decimal("90.00"),
        )
        return order

    return build


def test_confirmation_shows_the_order_and_offline_payment_instructions(client, soup, order_factory, settings):
    settings.HAOWU_UNPAID_ORDER_MINUTES = 30
    order = order_factory()
    session = client.session
    session["hw_orders"] = [order.number]
    session.save()

    page = soup(client.get(f"/orders/{order.number}/"))

    assert page.select_one("[data-order-number]").get_text(strip=True) == "HW20261126000001"
    assert page.select_one(".status").get_text(strip=True) == "Pending payment"
    assert [li.get_text(" ", strip=True) for li in page.select(".review-line")] == [
        "Sage Kettle Sage ¥45.00 × 2 ¥90.00"
    ]
    assert page.select_one("[data-order-total]").get_text(strip=True) == "¥100.00"
    pay = page.select_one(".pay-box").get_text(" ", strip=True)
    assert "Haowu Trading Co." in pay
    assert "Please pay within 30 minutes" in pay and "or the order is cancelled" in pay
    assert "100 Tianyaoqiao Road" in page.select_one(".order-address").get_text()
    assert page.select_one('meta[name="robots"]')["content"] == "noindex"


def test_paid_order_has_no_payment_instructions(client, soup, order_factory):
    order = order_factory()
    Order.objects.filter(pk=order.pk).update(status="paid", paid_at=timezone.now())
    page = soup(client.get(f"/orders/{order.number}/?key={order_access_token(order)}"))
    assert page.select_one(".pay-box") is None
    assert page.select_one(".status").get_text(strip=True) == "Paid"


def test_the_owner_sees_their_order(client, order_factory, django_user_model):
    user = django_user_model.objects.create_user(username="li@example.com", password="x")
    order = order_factory(user=user)
    client.force_login(user)
    assert client.get(f"/orders/{order.number}/").status_code == 200


def test_the_signed_key_opens_the_order_from_any_browser(order_factory):
    order = order_factory()
    token = order_access_token(order)
    assert Client().get(f"/orders/{order.number}/?key={token}").status_code == 200
    assert order_from_access_token(token) == order


def test_strangers_tampered_keys_and_other_orders_keys_get_404(client, order_factory, django_user_model):
    owner = django_user_model.objects.create_user(username="owner@example.com", password="x")
    stranger = django_user_model.objects.create_user(username="stranger@example.com", password="x")
    order = order_factory(user=owner)
    other = order_factory(number="HW20261126000002", email="other@example.com")
    token = order_access_token(order)
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")

    assert client.get(f"/orders/{order.number}/").status_code == 404
    assert client.get(f"/orders/{order.number}/?key={tampered}").status_code == 404
    assert client.get(f"/orders/{order.number}/?key={order_access_token(other)}").status_code == 404
    assert client.get("/orders/HW00000000000000/").status_code == 404
    client.force_login(stranger)
    assert client.get(f"/orders/{order.number}/").status_code == 404
    assert order_from_access_token(tampered) is None
    assert order_from_access_token("garbage") is None


def test_a_session_sees_only_the_orders_it_placed(client, order_factory):
    mine, theirs = order_factory(), order_factory(number="HW20261126000002")
    session = client.session
    session["hw_orders"] = [mine.number]
    session.save()
    assert client.get(f"/orders/{mine.number}/").status_code == 200
    assert client.get(f"/orders/{theirs.number}/").status_code == 404


# The lookup's answers, limits and e-mail: tests/shop/test_order_privacy.py


def test_lookup_page_has_labelled_fields(client, soup):
    page = soup(client.get("/orders/lookup/"))
    assert [label.get_text(strip=True) for label in page.select("form.stack-form label")] == [
        "Order number:", "E-mail used for the order:",
    ]
