"""Storefront JSON API: products, the session cart, CSRF on every unsafe call, bad input,
the OpenAPI schema. Checkout and order status are in test_api_checkout.py."""

import json

import pytest
from django.test import Client

from shop.cart.models import CartLine
from shop.catalogue.models import SKU

pytestmark = pytest.mark.django_db


class Shopper:
    """A browser or app with its own session that plays by the CSRF rules: it reads the
    cart once (which sets the csrftoken cookie) and sends the token back on every change."""

    def __init__(self):
        self.client = Client(enforce_csrf_checks=True)
        self.client.get("/api/cart")

    @property
    def csrf_token(self) -> str:
        return self.client.cookies["csrftoken"].value

    def get(self, url, **params):
        return self.client.get(url, params)

    def send(self, method, url, body=None, *, csrf=True):
        headers = {"X-CSRFToken": self.csrf_token} if csrf else {}
        data = json.dumps(body) if body is not None else None
        return getattr(self.client, method)(url, data=data, content_type="application/json", headers=headers)

    def add(self, sku, quantity=1, **kwargs):
        return self.send("post", "/api/cart/lines", {"sku": sku, "quantity": quantity}, **kwargs)


@pytest.fixture
def shopper():
    return Shopper()


@pytest.fixture
def kettle(product_factory):
    product = product_factory(title="Sage kettle", slug="sage-kettle", skus=[
        {"code": "KET-1", "price": "129.00", "compare_at_price": "159.00", "stock": 20},
    ])
    return product.skus.get()


@pytest.fixture
def mug(product_factory):
    product = product_factory(title="Stoneware mug", slug="stoneware-mug", skus=[
        {"code": "MUG-1", "price": "39.90", "stock": 3, "options": {"colour": "Sage"}},
    ])
    return product.skus.get()


# Products


def test_product_answers_price_compare_at_price_and_stock_state(kettle):
    response = Client().get("/api/products/KET-1")

    assert response.status_code == 200
    assert response.json() == {
        "sku": "KET-1",
        "product": kettle.product_id,
        "title": "Sage kettle",
        "option": "",
        "price": "129.00",
        "compare_at_price": "159.00",
        "currency": "CNY",
        "stock_state": "in_stock",
        "stock": None,
        "url": "http://testserver/products/sage-kettle/",
    }


def test_product_with_low_stock_says_how_many_are_left(mug):
    body = Client().get("/api/products/MUG-1").json()

    assert (body["stock_state"], body["stock"], body["option"], body["compare_at_price"]) == (
        "low", 3, "Sage", None,
    )


def test_sold_out_and_withdrawn_products_say_so(kettle, mug):
    SKU.objects.filter(pk=mug.pk).update(stock=0)
    kettle.product.active = False
    kettle.product.save()

    assert Client().get("/api/products/MUG-1").json()["stock_state"] == "sold_out"
    assert Client().get("/api/products/KET-1").json()["stock_state"] == "unavailable"


def test_unknown_product_is_404_with_a_message(db):
    response = Client().get("/api/products/NOPE-1")

    assert response.status_code == 404
    assert response.json()["message"] == "There is no product with the code NOPE-1."


def test_product_code_with_a_nul_character_is_404_not_a_database_error(db):
    assert Client().get("/api/products/KET%00-1").status_code == 404


# Cart


def test_reading_the_cart_sets_the_csrf_cookie_and_shows_an_empty_cart(db):
    client = Client(enforce_csrf_checks=True)

    response = client.get("/api/cart")

    assert response.status_code == 200
    assert response.cookies["csrftoken"].value
    assert response.json() == {"lines": [], "subtotal": "0.00", "count": 0, "currency": "CNY",
                               "can_check_out": False}


def test_adding_a_line_answers_201_with_the_cart(shopper, kettle):
    response = shopper.add("KET-1", 2)

    assert response.status_code == 201
    line = CartLine.objects.get()
    assert response.json() == {
        "lines": [{
            "id": line.pk, "sku": "KET-1", "title": "Sage kettle", "option": "", "quantity": 2,
            "unit_price": "129.00", "line_total": "258.00", "available": True, "warning": "",
        }],
        "subtotal": "258.00",
        "count": 2,
        "currency": "CNY",
        "can_check_out": True,
    }


def test_the_guest_cart_lives_in_the_session(shopper, kettle, mug):
    shopper.add("KET-1", 1)
    shopper.add("MUG-1", 2)
    shopper.add("KET-1", 1)

    mine = shopper.get("/api/cart").json()
    someone_elses = Client().get("/api/cart").json()

    assert [(line["sku"], line["quantity"]) for line in mine["lines"]] == [("KET-1", 2), ("MUG-1", 2)]
    assert (mine["subtotal"], mine["count"]) == ("337.80", 4)
    assert someone_elses["lines"] == []


def test_changing_and_removing_lines(shopper, kettle, mug):
    shopper.add("KET-1", 1)
    mug_line_id = shopper.add("MUG-1", 1).json()["lines"][1]["id"]

    changed = shopper.send("patch", f"/api/cart/lines/{mug_line_id}", {"quantity": 3})
    removed = shopper.send("delete", f"/api/cart/lines/{mug_line_id}")

    assert changed.status_code == 200
    assert [(line["sku"], line["quantity"]) for line in changed.json()["lines"]] == [("KET-1", 1), ("MUG-1", 3)]
    assert changed.json()["subtotal"] == "248.70"
    assert removed.status_code == 200
    assert [line["sku"] for line in removed.json()["lines"]] == ["KET-1"]
    assert list(CartLine.objects.values_list("sku__code", flat=True)) == ["KET-1"]


def test_a_signed_in_reader_uses_the_account_cart(django_user_model, kettle):
    user = django_user_model.objects.create_user("lin", "lin@example.com", "pw")
    shopper = Shopper()
    shopper.client.force_login(user)
    shopper.client.get("/api/cart")

    response = shopper.add("KET-1", 1)

    assert response.status_code == 201
    assert CartLine.objects.get().cart.user == user


# CSRF: every unsafe call needs the token, guests included


@pytest.mark.parametrize(("method", "url", "body"), [
    ("post", "/api/cart/lines", {"sku": "KET-1", "quantity": 1}),
    ("patch", "/api/cart/lines/{line}", {"quantity": 2}),
    ("delete", "/api/cart/lines/{line}", None),
    ("post", "/api/checkout", {"idempotency_key": "k"}),
])
def test_unsafe_calls_without_the_csrf_token_are_refused(shopper, kettle, method, url, body):
    line_id = shopper.add("KET-1", 1).json()["lines"][0]["id"]

    response = shopper.send(method, url.format(line=line_id), body, csrf=False)

    assert response.status_code == 403
    assert "CSRF token" in response.json()["message"]
    assert list(CartLine.objects.values_list("quantity", flat=True)) == [1]


def test_a_wrong_csrf_token_is_refused(shopper, kettle):
    response = shopper.client.post(
        "/api/cart/lines", data={"sku": "KET-1", "quantity": 1}, content_type="application/json",
        headers={"X-CSRFToken": "x" * 32},
    )

    assert response.status_code == 403
    assert not CartLine.objects.exists()


def test_an_unsafe_call_without_any_cookie_is_refused(kettle):
    response = Client(enforce_csrf_checks=True).post(
        "/api/cart/lines", data={"sku": "KET-1", "quantity": 1}, content_type="application/json",
    )

    assert response.status_code == 403
    assert not CartLine.objects.exists()


# Bad input


@pytest.mark.parametrize("quantity", [0, -1, 100, 10**30, 2.5, "2", "two", None, True, [1]])
def test_quantities_outside_1_to_99_or_not_whole_numbers_are_422(shopper, kettle, quantity):
    response = shopper.add("KET-1", quantity)

    assert response.status_code == 422
    assert response.json()["message"] == "The quantity must be a whole number from 1 to 99."
    assert not CartLine.objects.exists()


@pytest.mark.parametrize("quantity", [0, -3, 100, "3", 1.5])
def test_changing_to_a_bad_quantity_is_422(shopper, kettle, quantity):
    line_id = shopper.add("KET-1", 1).json()["lines"][0]["id"]

    response = shopper.send("patch", f"/api/cart/lines/{line_id}", {"quantity": quantity})

    assert response.status_code == 422
    assert CartLine.objects.get().quantity == 1


def test_a_missing_sku_or_quantity_is_422(shopper, kettle):
    response = shopper.send("post", "/api/cart/lines", {"quantity": 1})

    assert response.status_code == 422
    assert response.json()["message"] == "Please check these fields: sku."
    assert response.json()["detail"][0]["loc"] == ["body", "payload", "sku"]


def test_a_body_that_is_not_json_is_a_client_error(shopper, kettle):
    response = shopper.client.post(
        "/api/cart/lines", data="{sku: KET-1", content_type="application/json",
        headers={"X-CSRFToken": shopper.csrf_token},
    )

    assert response.status_code in (400, 422)
    assert response.json()["message"]


def test_an_unknown_sku_is_404(shopper, db):
    response = shopper.add("NOPE-1", 1)

    assert response.status_code == 404
    assert response.json() == {"message": "There is no product with the code NOPE-1.", "code": "unknown_sku"}


def test_a_sku_code_with_a_nul_character_is_422(shopper, db):
    assert shopper.add("KET\x00-1", 1).status_code == 422


@pytest.mark.parametrize("withdraw", ["sku", "product"])
def test_a_withdrawn_sku_is_409(shopper, kettle, withdraw):
    if withdraw == "sku":
        SKU.objects.filter(pk=kettle.pk).update(active=False)
    else:
        kettle.product.active = False
        kettle.product.save()

    response = shopper.add("KET-1", 1)

    assert response.status_code == 409
    assert response.json() == {"message": "KET-1 is no longer available.", "code": "sku_unavailable"}


def test_adding_more_than_the_stock_is_409(shopper, mug):
    shopper.add("MUG-1", 2)

    response = shopper.add("MUG-1", 2)

    assert response.status_code == 409
    assert response.json() == {"message": "Only 3 of MUG-1 left; you asked for 4.", "code": "out_of_stock"}
    assert CartLine.objects.get().quantity == 2


def test_changing_to_more_than_the_stock_is_409(shopper, mug):
    line_id = shopper.add("MUG-1", 1).json()["lines"][0]["id"]

    response = shopper.send("patch", f"/api/cart/lines/{line_id}", {"quantity": 5})

    assert response.status_code == 409
    assert response.json()["message"] == "Only 3 of MUG-1 left; you asked for 5."
    assert CartLine.objects.get().quantity == 1


def test_someone_elses_line_is_not_found(shopper, kettle):
    their_line_id = shopper.add("KET-1", 1).json()["lines"][0]["id"]
    intruder = Shopper()
    intruder.add("KET-1", 1)

    changed = intruder.send("patch", f"/api/cart/lines/{their_line_id}", {"quantity": 5})
    removed = intruder.send("delete", f"/api/cart/lines/{their_line_id}")

    assert (changed.status_code, removed.status_code) == (404, 404)
    assert removed.json()["message"] == "This line is not in your cart."
    assert CartLine.objects.get(pk=their_line_id).quantity == 1


def test_a_line_id_beyond_any_integer_column_is_404(shopper, kettle):
    shopper.add("KET-1", 1)

    response = shopper.send("delete", f"/api/cart/lines/{10**30}")

    assert response.status_code == 404


def test_a_guest_without_a_cart_changing_a_line_gets_404(shopper):
    assert shopper.send("patch", "/api/cart/lines/1", {"quantity": 1}).status_code == 404


# Schema and docs


def test_the_openapi_schema_lists_every_endpoint_and_the_method_enums(db):
    response = Client().get("/api/openapi.json")

    assert response.status_code == 200
    schema = response.json()
    assert sorted(schema["paths"]) == [
        "/api/cart", "/api/cart/lines", "/api/cart/lines/{line_id}", "/api/checkout",
        "/api/orders/{number}", "/api/products/{sku}", "/api/search", "/api/session", "/api/suggest",
    ]
    components = schema["components"]["schemas"]
    assert components["ShippingMethod"]["enum"] == ["standard", "express", "pickup"]
    assert components["PaymentMethod"]["enum"] == ["offline", "cod", "sandbox"]
    assert components["StockState"]["enum"] == ["in_stock", "low", "sold_out", "unavailable"]
    assert components["LineIn"]["properties"]["quantity"] == {
        "maximum": 99, "minimum": 1, "title": "Quantity", "type": "integer",
    }


def test_the_api_docs_page_answers(db):
    response = Client().get("/api/docs")

    assert response.status_code == 200
    assert b"openapi.json" in response.content
    assert b"X-CSRFToken" in response.content  # "try it out" sends the CSRF header
