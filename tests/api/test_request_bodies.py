"""Bodies the API cannot read answer 400 with the API's ``{"message"}``, never a server
error or an HTML page, and JSON numbers are read as the document's types say."""

import json
import re

import pytest
from django.test import Client

from shop.checkout.schemas import EMAIL_PATTERN

pytestmark = pytest.mark.django_db

NOT_JSON = "The request body could not be read: send a JSON object with Content-Type: application/json."


@pytest.fixture
def shopper(product_factory):
    product_factory(title="Sage kettle", skus=[{"code": "KET-1", "price": "129.00", "stock": 20}])
    client = Client(enforce_csrf_checks=True)
    client.get("/api/cart")
    client.token = client.cookies["csrftoken"].value
    return client


@pytest.mark.parametrize(("content_type", "body"), [
    ("multipart/form-data", b"--x\r\nContent-Disposition: form-data; name=\"sku\"\r\n\r\nKET-1\r\n--x--"),
    ("multipart/form-data; boundary=x", b"--x\r\nContent-Disposition: form-data; name=\"sku\"\r\n\r\nKET-1\r\n--x--"),
    ("application/x-www-form-urlencoded", b"sku=KET-1&quantity=1"),
    ("application/json", b'{"sku": "KET-1", "quantity": 1'),
    ("application/json", b"\x00"),
    ("application/json", b"[" * 100_000 + b"]" * 100_000),
    ("text/plain", b"KET-1 x 1"),
], ids=["multipart-without-boundary", "multipart", "form-encoded", "malformed-json", "nul", "absurd-nesting",
        "plain-text"])
def test_a_body_that_is_not_json_answers_400_with_a_sentence(shopper, content_type, body):
    response = shopper.post("/api/cart/lines", body, content_type=content_type,
                            headers={"X-CSRFToken": shopper.token})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json() == {"message": NOT_JSON, "code": "unreadable_body"}
    assert shopper.get("/api/cart").json()["count"] == 0


def test_a_whole_number_written_with_a_decimal_point_is_a_quantity(shopper):
    # JSON (and the document's "integer") does not tell 2 from 2.0; 2.5 is still refused.
    added = shopper.post("/api/cart/lines", json.dumps({"sku": "KET-1", "quantity": 2.0}),
                         content_type="application/json", headers={"X-CSRFToken": shopper.token})
    refused = shopper.post("/api/cart/lines", json.dumps({"sku": "KET-1", "quantity": 2.5}),
                           content_type="application/json", headers={"X-CSRFToken": shopper.token})

    assert added.status_code == 201
    assert added.json()["lines"][0]["quantity"] == 2
    assert refused.status_code == 422
    assert refused.json()["message"] == "The quantity must be a whole number from 1 to 99."


def test_the_document_says_what_text_fields_accept(client):
    schemas = client.get("/api/openapi.json").json()["components"]["schemas"]

    email = schemas["ContactIn"]["properties"]["email"]
    recipient = schemas["AddressIn"]["properties"]["recipient"]
    postcode = schemas["AddressIn"]["properties"]["postcode"]
    assert (email["pattern"], email["maxLength"]) == (EMAIL_PATTERN, 254)
    assert EMAIL_PATTERN.startswith("^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+")
    # required text needs a character that is not a space (any space str.strip() removes,
    # U+0085 included); no text may hold NUL
    required = re.compile(recipient["pattern"])
    assert [bool(required.match(text)) for text in (" Mei ", "\n \u0085\n ", "\u3000", "Mei\x00")] == [
        True, False, False, False,
    ]
    assert postcode["pattern"] == r"^[^\u0000]*$"
    assert schemas["AddressIn"]["properties"]["country"]["pattern"] == "^[A-Za-z]{2}$"


def test_text_longer_than_the_document_allows_is_refused_even_if_it_is_mostly_spaces(shopper):
    # the document's maxLength counts what is sent, so the check does too
    response = shopper.post("/api/cart/lines", json.dumps({"sku": "KET-1" + " " * 64, "quantity": 1}),
                            content_type="application/json", headers={"X-CSRFToken": shopper.token})

    assert response.status_code == 422
    assert response.json()["message"] == "Please check these fields: sku."
