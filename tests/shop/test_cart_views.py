"""The reader's cart pages: adding from an article (with and without JavaScript), bad
input, the cart page's totals and warnings."""

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from shop.cart.models import Cart, CartLine
from shop.catalogue.models import SKU

pytestmark = pytest.mark.django_db

ARTICLE = "http://testserver/guides/kettles/"
JSON = {"Accept": "application/json", "X-Requested-With": "XMLHttpRequest"}


@pytest.fixture
def kettle(product_factory):
    return product_factory(title="Sage Kettle", skus=[{"code": "KET-1", "price": "299.00", "stock": 5}])


def _lines(client):
    cart = Cart.objects.get(token=client.session["hw_cart"])
    return [(line.sku.code, line.quantity) for line in cart.lines.select_related("sku")]


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_add_without_javascript_returns_to_the_article_with_a_message(client, kettle):
    response = client.post("/cart/add/", {"sku": "KET-1", "quantity": "2"}, headers={"Referer": ARTICLE})

    assert response.status_code == 302
    assert response["Location"] == ARTICLE
    assert _messages(response) == ["Added Sage Kettle to your cart."]
    assert _lines(client) == [("KET-1", 2)]


def test_add_without_quantity_adds_one(client, kettle):
    client.post("/cart/add/", {"sku": "KET-1"}, headers={"Referer": ARTICLE})
    client.post("/cart/add/", {"sku": "KET-1"}, headers={"Referer": ARTICLE})
    assert _lines(client) == [("KET-1", 2)]


def test_add_with_javascript_answers_json_with_the_new_count(client, kettle, product_factory):
    product_factory(title="Mug", skus=[{"code": "MUG-1", "price": "59.00", "stock": 9}])
    client.post("/cart/add/", {"sku": "MUG-1", "quantity": "3"}, headers=JSON)

    response = client.post("/cart/add/", {"sku": "KET-1"}, headers=JSON)

    assert response.status_code == 200
    assert response.json() == {
        "ok": True, "count": 4, "message": "Added Sage Kettle to your cart.", "cart_url": "/cart/",
    }


@pytest.mark.parametrize(("quantity", "status", "message"), [
    ("0", 400, "The quantity for KET-1 must be a whole number from 1 to 99, not 0."),
    ("-3", 400, "The quantity for KET-1 must be a whole number from 1 to 99, not -3."),
    ("100", 400, "The quantity for KET-1 must be a whole number from 1 to 99, not 100."),
    ("99999999999999999999", 400,
     "The quantity for KET-1 must be a whole number from 1 to 99, not 99999999999999999999."),
    ("two", 400, "Please enter the quantity as a whole number."),
    ("1.5", 400, "Please enter the quantity as a whole number."),
    ("6", 409, "Only 5 of KET-1 left; you asked for 6."),
])
def test_bad_quantities_are_refused_with_a_sentence(client, kettle, quantity, status, message):
    response = client.post("/cart/add/", {"sku": "KET-1", "quantity": quantity}, headers=JSON)

    assert response.status_code == status
    assert response.json() == {"ok": False, "count": 0, "message": message, "cart_url": "/cart/"}
    assert CartLine.objects.count() == 0


def test_unknown_and_withdrawn_skus_are_refused(client, product_factory):
    product_factory(skus=[{"code": "OLD-1", "active": False}])
    product_factory(active=False, skus=[{"code": "GONE-1"}])

    unknown = client.post("/cart/add/", {"sku": "NOPE"}, headers=JSON)
    inactive = client.post("/cart/add/", {"sku": "OLD-1"}, headers=JSON)
    withdrawn = client.post("/cart/add/", {"sku": "GONE-1"}, headers=JSON)
    missing = client.post("/cart/add/", {}, headers=JSON)

    assert (unknown.status_code, unknown.json()["message"]) == (404, "There is no product with the code NOPE.")
    assert (inactive.status_code, inactive.json()["message"]) == (409, "OLD-1 is no longer available.")
    assert (withdrawn.status_code, withdrawn.json()["message"]) == (409, "GONE-1 is no longer available.")
    assert (missing.status_code, missing.json()["message"]) == (400, "Please choose a product option.")
    assert CartLine.objects.count() == 0


def test_an_error_without_javascript_is_a_message_on_the_same_page(client, kettle):
    response = client.post("/cart/add/", {"sku": "KET-1", "quantity": "-1"}, headers={"Referer": ARTICLE})

    assert response["Location"] == ARTICLE
    assert _messages(response) == ["The quantity for KET-1 must be a whole number from 1 to 99, not -1."]


def test_missing_csrf_token_is_forbidden(kettle):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/cart/add/", {"sku": "KET-1"}, headers=JSON)
    assert response.status_code == 403
    assert CartLine.objects.count() == 0


def test_the_article_form_posts_with_its_csrf_field(soup, kettle, article_factory):
    from tests.factories import content as body

    client = Client(enforce_csrf_checks=True)
    page = article_factory(body=[body.product_card(kettle)])
    form = soup(client.get(page.url)).select_one("form.buy-form")
    data = {field["name"]: field["value"] for field in form.select("input[type=hidden]")}
    # the field static/js/session.js adds from the session call (the page itself is shared)
    data["csrfmiddlewaretoken"] = client.get("/api/session").json()["csrf_token"]

    response = client.post(form["action"], data, headers={"Referer": f"http://testserver{page.url}"})

    assert response.status_code == 302
    assert response["Location"] == f"http://testserver{page.url}"
    assert _lines(client) == [("KET-1", 1)]


@pytest.mark.parametrize("referer", [
    "https://evil.example/phish", "//evil.example/phish", "http://testserver.evil.example/", "javascript:alert(1)",
])
def test_foreign_return_addresses_are_ignored(client, kettle, referer):
    from_referer = client.post("/cart/add/", {"sku": "KET-1"}, headers={"Referer": referer})
    from_next = client.post("/cart/add/", {"sku": "KET-1", "next": referer})

    assert from_referer["Location"] == "/cart/"
    assert from_next["Location"] == "/cart/"


def test_next_on_this_site_is_followed(client, kettle):
    response = client.post("/cart/add/", {"sku": "KET-1", "next": "/products/sage-kettle/?sku=KET-1"})
    assert response["Location"] == "/products/sage-kettle/?sku=KET-1"


def test_add_needs_post(client, kettle):
    assert client.get("/cart/add/?sku=KET-1").status_code == 405


def test_cart_page_shows_lines_totals_and_checkout(client, soup, kettle, product_factory):
    product_factory(title="Mug", skus=[{"code": "MUG-1", "price": "59.50", "options": {"Colour": "Ink"}, "stock": 9}])
    client.post("/cart/add/", {"sku": "KET-1", "quantity": "2"})
    client.post("/cart/add/", {"sku": "MUG-1", "quantity": "3"})

    page = soup(client.get("/cart/"))

    rows = [
        (line.select_one(".cart-line__title").get_text(strip=True), line.select_one("input[name=quantity]")["value"],
         line.select_one(".cart-line__total").get_text(strip=True))
        for line in page.select(".cart-line")
    ]
    assert rows == [("Sage Kettle", "2", "¥598.00"), ("Mug", "3", "¥178.50")]
    assert page.select_one(".cart-line__option").get_text(strip=True) == "Ink"
    assert page.select_one("[data-subtotal]").get_text(strip=True) == "¥776.50"
    assert page.select_one(".shop-summary a.buy")["href"] == "/checkout/"
    assert page.select_one("[data-cart-count]").get_text(strip=True) == "5"


def test_cart_page_warns_and_blocks_checkout_when_stock_ran_low(client, soup, kettle):
    client.post("/cart/add/", {"sku": "KET-1", "quantity": "4"})
    SKU.objects.filter(code="KET-1").update(stock=2)

    page = soup(client.get("/cart/"))

    assert page.select_one(".cart-line__warning").get_text(strip=True) == "Only 2 left."
    assert page.select_one(".shop-summary a.buy") is None
    button = page.select_one(".shop-summary button.buy")
    assert button.has_attr("disabled")
    assert page.select_one(f"#{button['aria-describedby']}").get_text(strip=True).startswith("Some products cannot")
    assert page.select_one("[data-subtotal]").get_text(strip=True) == "¥0.00"


def test_empty_cart_page_links_home(client, soup):
    page = soup(client.get("/cart/"))
    assert page.select(".cart-line") == []
    assert "Your cart is empty." in page.select_one(".shop-empty").get_text()
    assert page.select_one(".shop-empty a")["href"] == "/"


def _shown(client, soup, url, data=None):
    """Post without JavaScript, follow the redirect, and read the messages shown."""
    response = client.post(url, data or {}, follow=True)
    assert response.redirect_chain[-1][0] == "/cart/"
    return [p.get_text(strip=True) for p in soup(response).select(".messages .message")]


def test_quantity_update_and_remove(client, soup, kettle):
    client.post("/cart/add/", {"sku": "KET-1"}, follow=True)
    line = CartLine.objects.get()
    url = f"/cart/lines/{line.pk}/quantity/"

    assert _shown(client, soup, url, {"quantity": "3"}) == ["Updated the quantity of Sage Kettle."]
    assert _lines(client) == [("KET-1", 3)]
    assert _shown(client, soup, url, {"quantity": "9"}) == ["Only 5 of KET-1 left; you asked for 9."]
    assert _shown(client, soup, url, {"quantity": "0"}) == [
        "The quantity for KET-1 must be a whole number from 1 to 99, not 0."
    ]
    assert _shown(client, soup, url, {"quantity": "lots"}) == ["Please enter the quantity as a whole number."]
    assert _lines(client) == [("KET-1", 3)]

    assert _shown(client, soup, f"/cart/lines/{line.pk}/remove/") == ["Removed Sage Kettle from your cart."]
    assert _lines(client) == []


def test_a_reader_cannot_touch_another_readers_cart_line(client, soup, kettle):
    other = Client()
    other.post("/cart/add/", {"sku": "KET-1", "quantity": "2"})
    line = CartLine.objects.get()
    client.post("/cart/add/", {"sku": "KET-1"}, follow=True)

    changed = _shown(client, soup, f"/cart/lines/{line.pk}/quantity/", {"quantity": "5"})
    removed = _shown(client, soup, f"/cart/lines/{line.pk}/remove/")

    assert changed == removed == ["That product is no longer in your cart."]
    assert CartLine.objects.get(pk=line.pk).quantity == 2


def test_cart_total_uses_todays_price(client, soup, kettle):
    client.post("/cart/add/", {"sku": "KET-1", "quantity": "2"})
    SKU.objects.filter(code="KET-1").update(price=Decimal("249.00"))
    assert soup(client.get("/cart/")).select_one("[data-subtotal]").get_text(strip=True) == "¥498.00"


# --- limits: a script must not add at will ------------------------------------------------


def test_adds_from_one_address_are_limited_whatever_the_session(kettle, settings):
    settings.HAOWU_LIMIT_CART = "2/1h"
    answers = [Client().post("/cart/add/", {"sku": "KET-1"}, headers=JSON) for _ in range(3)]

    assert [answer.status_code for answer in answers] == [200, 200, 429]
    assert answers[2].json()["ok"] is False
    assert "try again" in answers[2].json()["message"]
    assert int(answers[2]["Retry-After"]) >= 1
    assert CartLine.objects.count() == 2


def test_over_the_limit_without_javascript_the_reader_sees_why(client, kettle, settings):
    settings.HAOWU_LIMIT_CART = "1/1h"
    client.post("/cart/add/", {"sku": "KET-1"}, headers={"Referer": ARTICLE})

    response = client.post("/cart/add/", {"sku": "KET-1"}, headers={"Referer": ARTICLE})

    assert response.status_code == 302
    assert "try again" in _messages(response)[-1]
    assert _lines(client) == [("KET-1", 1)]


def test_the_api_answers_429_over_the_cart_limit(kettle, settings):
    settings.HAOWU_LIMIT_CART = "1/1h"
    app = Client(enforce_csrf_checks=True)
    app.get("/api/cart")
    token = app.cookies["csrftoken"].value

    answers = [
        app.post("/api/cart/lines", {"sku": "KET-1", "quantity": 1}, content_type="application/json",
                 headers={"X-CSRFToken": token})
        for _ in range(2)
    ]

    assert [answer.status_code for answer in answers] == [201, 429]
    assert answers[1].json()["code"] == "rate_limited"
    assert CartLine.objects.get().quantity == 1
