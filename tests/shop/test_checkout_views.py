"""The one-page checkout as a reader uses it: prices from the server only, one order
per checkout key, clear messages when stock or the cart is gone."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from shop.cart.models import Cart, CartLine
from shop.catalogue.models import SKU
from shop.orders.models import Order

pytestmark = pytest.mark.django_db

ADDRESS = {
    "email": "li.lei@example.com", "recipient": "Li Lei", "phone": "13800138000", "province": "Shanghai",
    "city": "Shanghai", "district": "Xuhui", "address_line": "100 Tianyaoqiao Road", "postcode": "200030",
    "shipping_method": "express", "payment_method": "offline",
}


@pytest.fixture
def kettle(product_factory):
    return product_factory(title="Sage Kettle", skus=[{"code": "KET-1", "price": "45.00", "stock": 5}])


@pytest.fixture
def filled_cart(client, kettle):
    client.post("/cart/add/", {"sku": "KET-1", "quantity": "2"})
    return Cart.objects.get()


def _start(client, soup):
    response = client.get("/checkout/")
    assert response.status_code == 200
    page = soup(response)
    return page, page.select_one("input[name=checkout_key]")["value"]


def test_checkout_page_reviews_the_cart_with_shipping_prices(client, soup, filled_cart):
    page, key = _start(client, soup)

    assert len(key) == 36
    review = [li.get_text(" ", strip=True) for li in page.select(".review-line")]
    assert review == ["Sage Kettle × 2 ¥90.00"]
    options = {
        radio["value"]: (radio["data-shipping-price"], radio.has_attr("checked"))
        for radio in page.select("input[name=shipping_method]")
    }
    assert options == {"standard": ("10.00", True), "express": ("20.00", False), "pickup": ("0.00", False)}
    assert page.select_one("[data-shipping-total]").get_text(strip=True) == "¥10.00"
    assert page.select_one("[data-grand-total]").get_text(strip=True) == "¥100.00"
    assert [r["value"] for r in page.select("input[name=payment_method]")] == ["offline", "cod", "sandbox"]
    assert page.select_one("label[for=id_email]") is not None


def test_the_same_key_is_offered_again_until_an_order_uses_it(client, soup, filled_cart):
    assert _start(client, soup)[1] == _start(client, soup)[1]


def test_happy_path_places_the_order_emails_and_redirects(
    client, soup, filled_cart, django_capture_on_commit_callbacks,
):
    _, key = _start(client, soup)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/checkout/", {**ADDRESS, "checkout_key": key})

    order = Order.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/orders/{order.number}/"
    assert (order.subtotal, order.shipping_total, order.total) == (Decimal("90.00"), Decimal("20.00"), Decimal("110.00"))
    assert (order.email, order.recipient, order.city, order.shipping_method, order.payment_method) == (
        "li.lei@example.com", "Li Lei", "Shanghai", "express", "offline",
    )
    assert order.checkout_key == key
    assert SKU.objects.get(code="KET-1").stock == 3
    assert CartLine.objects.count() == 0
    assert client.session["hw_orders"] == [order.number]
    (email,) = mail.outbox
    assert email.to == ["li.lei@example.com"]
    assert email.subject == f"Your Haowu order {order.number}"
    assert "2 × Sage Kettle" in email.body and "¥110.00" in email.body
    assert f"/orders/{order.number}/?key=" in email.body
    assert email.alternatives[0][1] == "text/html"
    # and the confirmation page shows it
    assert client.get(response["Location"]).status_code == 200


def test_double_submit_with_the_same_key_makes_one_order_and_one_email(
    client, soup, filled_cart, django_capture_on_commit_callbacks,
):
    _, key = _start(client, soup)

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post("/checkout/", {**ADDRESS, "checkout_key": key})
        second = client.post("/checkout/", {**ADDRESS, "checkout_key": key})

    order = Order.objects.get()
    assert first["Location"] == second["Location"] == f"/orders/{order.number}/"
    assert SKU.objects.get(code="KET-1").stock == 3
    assert len(mail.outbox) == 1
    # and the next checkout gets a new key
    client.post("/cart/add/", {"sku": "KET-1"})
    assert _start(client, soup)[1] != key


def test_tampered_price_total_and_sku_fields_change_nothing(client, soup, filled_cart, product_factory):
    product_factory(skus=[{"code": "CHEAP-1", "price": "1.00", "stock": 50}])
    _, key = _start(client, soup)

    client.post("/checkout/", {
        **ADDRESS, "checkout_key": key, "price": "0.01", "unit_price": "0.01", "total": "0.01",
        "subtotal": "0.01", "shipping_total": "0", "sku": "CHEAP-1", "sku_id": "1", "quantity": "99",
        "lines-0-sku": "CHEAP-1", "lines-0-price": "0.01",
    })

    order = Order.objects.get()
    assert [(line.sku_code, line.quantity, line.unit_price) for line in order.lines.all()] == [
        ("KET-1", 2, Decimal("45.00"))
    ]
    assert order.total == Decimal("110.00")
    assert SKU.objects.get(code="CHEAP-1").stock == 50


def test_invalid_fields_are_shown_next_to_them_and_entries_are_kept(client, soup, filled_cart):
    _, key = _start(client, soup)

    response = client.post("/checkout/", {**ADDRESS, "checkout_key": key, "email": "not-an-email", "city": ""})

    page = soup(response)
    assert response.status_code == 200
    assert page.select_one("#id_email_error").get_text(strip=True) == "Enter a valid email address."
    assert page.select_one("#id_email")["aria-describedby"].split() == ["id_email_helptext", "id_email_error"]
    assert page.select_one("#id_city_error").get_text(strip=True) == "This field is required."
    assert page.select_one("#id_recipient")["value"] == "Li Lei"
    assert page.select_one("input[name=shipping_method][value=express]").has_attr("checked")
    assert page.select_one("[data-grand-total]").get_text(strip=True) == "¥110.00"
    assert Order.objects.count() == 0


def test_sold_out_between_cart_and_checkout_keeps_the_form_and_creates_nothing(client, soup, filled_cart):
    _, key = _start(client, soup)
    SKU.objects.filter(code="KET-1").update(stock=0)

    response = client.post("/checkout/", {**ADDRESS, "checkout_key": key})

    page = soup(response)
    assert response.status_code == 200
    assert page.select_one(".form-alert").get_text(strip=True) == "KET-1 has just sold out."
    assert page.select_one("#id_address_line")["value"] == "100 Tianyaoqiao Road"
    assert page.select_one("input[name=checkout_key]")["value"] == key
    assert Order.objects.count() == 0
    assert CartLine.objects.count() == 1


def test_an_expired_cart_says_so(client, soup, filled_cart):
    _, key = _start(client, soup)
    Cart.objects.filter(pk=filled_cart.pk).update(updated_at=timezone.now() - timedelta(days=31))

    response = client.post("/checkout/", {**ADDRESS, "checkout_key": key})

    assert soup(response).select_one(".form-alert").get_text(strip=True) == (
        "Your cart has expired. Please add the products again."
    )
    assert Order.objects.count() == 0
    assert SKU.objects.get(code="KET-1").stock == 5
    again = client.get("/checkout/", follow=True)
    assert again.redirect_chain == [("/cart/", 302)]


def test_a_key_from_another_session_is_refused(client, soup, filled_cart):
    response = client.post("/checkout/", {**ADDRESS, "checkout_key": "6a1f7a4e-3b8e-4c2a-9d1e-2f0c5b7a9e11"})

    page = soup(response)
    assert page.select_one(".form-alert").get_text(strip=True).startswith("This checkout page has expired.")
    assert page.select_one("input[name=checkout_key]")["value"] != "6a1f7a4e-3b8e-4c2a-9d1e-2f0c5b7a9e11"
    assert Order.objects.count() == 0


def test_empty_cart_cannot_check_out(client):
    response = client.get("/checkout/")
    assert response["Location"] == "/cart/"


def test_signed_in_reader_gets_the_email_prefilled_and_owns_the_order(client, soup, django_user_model, kettle):
    user = django_user_model.objects.create_user(username="han@example.com", email="han@example.com", password="x")
    client.force_login(user)
    client.post("/cart/add/", {"sku": "KET-1"})
    page, key = _start(client, soup)
    assert page.select_one("#id_email")["value"] == "han@example.com"

    client.post("/checkout/", {**ADDRESS, "email": "han@example.com", "checkout_key": key})

    assert Order.objects.get().user == user


def test_sandbox_payment_sends_the_reader_to_the_card_page(client, soup, filled_cart):
    _, key = _start(client, soup)
    response = client.post("/checkout/", {**ADDRESS, "payment_method": "sandbox", "checkout_key": key})
    assert response.status_code == 302
    assert response["Location"].startswith("/payments/sandbox/")
    assert Order.objects.get().payment_method == "sandbox"


# --- limits on what a stranger can make the shop hold and send ---------------------------------------


def _order_once(client, soup, **fields):
    client.post("/cart/add/", {"sku": "KET-1"})
    _, key = _start(client, soup)
    return client.post("/checkout/", {**ADDRESS, "checkout_key": key, **fields})


def test_over_the_checkout_limit_the_page_says_so_with_429_and_keeps_the_entries(
    client, soup, kettle, settings, django_capture_on_commit_callbacks,
):
    settings.HAOWU_LIMIT_CHECKOUT = "1/10m"
    with django_capture_on_commit_callbacks(execute=True):
        first = _order_once(client, soup, email="a@example.com")
        refused = _order_once(Client(), soup, email="b@example.com")  # another session, the same address

    page = soup(refused)
    assert (first.status_code, refused.status_code) == (302, 429)
    assert 0 < int(refused["Retry-After"]) <= 600
    assert page.select_one(".form-alert").get_text(strip=True) == (
        "Too many attempts from your network. Please wait a few minutes and try again."
    )
    assert page.select_one("#id_recipient")["value"] == "Li Lei"
    assert Order.objects.count() == 1
    assert SKU.objects.get(code="KET-1").stock == 4
    assert len(mail.outbox) == 1


def test_a_double_submit_over_the_limit_still_lands_on_its_order(client, soup, kettle, settings):
    settings.HAOWU_LIMIT_CHECKOUT = "1/10m"
    client.post("/cart/add/", {"sku": "KET-1"})
    _, key = _start(client, soup)

    first = client.post("/checkout/", {**ADDRESS, "checkout_key": key})
    second = client.post("/checkout/", {**ADDRESS, "checkout_key": key})

    order = Order.objects.get()
    assert first["Location"] == second["Location"] == f"/orders/{order.number}/"


def test_an_email_with_too_many_unpaid_orders_gets_a_form_error_with_429(client, soup, kettle, settings):
    settings.HAOWU_LIMIT_UNPAID_PER_EMAIL = 1
    assert _order_once(client, soup, email="li.lei@example.com").status_code == 302

    refused = _order_once(client, soup, email="Li.Lei@Example.com")

    assert refused.status_code == 429
    assert soup(refused).select_one(".form-alert").get_text(strip=True) == (
        "This e-mail address already has as many unpaid orders as we can hold for it. Please pay for one of "
        "them, or wait until an unpaid order expires, before placing another."
    )
    assert Order.objects.count() == 1
    assert CartLine.objects.count() == 1
