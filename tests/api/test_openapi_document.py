"""The OpenAPI document describes what the storefront API does: the right schema for each
answer, every status an operation can give, parameters typed as strictly as they are
checked, and a session that guests may call without (CSRF stays as strict)."""

import json

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

UNSAFE = [("post", "/api/cart/lines"), ("patch", "/api/cart/lines/{line_id}"),
          ("delete", "/api/cart/lines/{line_id}"), ("post", "/api/checkout")]
STOREFRONT = [("get", "/api/products/{sku}"), ("get", "/api/cart"), *UNSAFE, ("get", "/api/orders/{number}")]


@pytest.fixture
def document():
    return Client().get("/api/openapi.json").json()


def resolve(document, ref: str) -> dict:
    return document["components"]["schemas"][ref.rsplit("/", 1)[1]]


def answer_schema(document, method, path, status) -> dict:
    response = document["paths"][path][method]["responses"][str(status)]
    return resolve(document, response["content"]["application/json"]["schema"]["$ref"])


def test_a_product_answers_the_catalogue_schema_and_search_results_their_own(document):
    product = answer_schema(document, "get", "/api/products/{sku}", 200)
    search = answer_schema(document, "get", "/api/search", 200)
    search_product = resolve(document, search["properties"]["products"]["items"]["$ref"])

    assert product["title"] == "ProductOut"
    assert sorted(product["properties"]) == [
        "compare_at_price", "currency", "option", "price", "product", "sku", "stock", "stock_state", "title", "url",
    ]
    assert search_product["title"] == "SearchProductOut"
    assert sorted(search_product["properties"]) == [
        "brand", "category", "featured_count", "highlight", "id", "image", "in_stock", "options", "price",
        "product_id", "sku", "title", "type", "url",
    ]


@pytest.mark.parametrize(("method", "path"), UNSAFE)
def test_every_unsafe_operation_documents_the_csrf_refusal_and_invalid_input(document, method, path):
    refused = answer_schema(document, method, path, 403)
    invalid = answer_schema(document, method, path, 422)

    assert refused["required"] == ["message"]
    assert invalid["required"] == ["message", "code"]
    assert sorted(invalid["properties"]) == ["code", "detail", "message"]


@pytest.mark.parametrize(("method", "path", "statuses"), [
    ("get", "/api/products/{sku}", ["200", "404"]),
    ("get", "/api/cart", ["200"]),
    ("post", "/api/cart/lines", ["201", "400", "403", "404", "409", "422", "429"]),
    ("patch", "/api/cart/lines/{line_id}", ["200", "400", "403", "404", "409", "422"]),
    ("delete", "/api/cart/lines/{line_id}", ["200", "403", "404", "422"]),
    ("post", "/api/checkout", ["200", "201", "400", "403", "409", "422", "429"]),
    ("get", "/api/orders/{number}", ["200", "404", "429"]),
    ("get", "/api/search", ["200", "400", "422"]),
    ("get", "/api/suggest", ["200", "400"]),
])
def test_each_operation_documents_every_status_it_can_answer(document, method, path, statuses):
    assert sorted(document["paths"][path][method]["responses"]) == statuses


def test_limited_operations_document_the_429_with_retry_after(document):
    for method, path in [("post", "/api/checkout"), ("get", "/api/orders/{number}")]:
        response = document["paths"][path][method]["responses"]["429"]
        assert sorted(response["headers"]) == ["Retry-After"]
        assert resolve(document, response["content"]["application/json"]["schema"]["$ref"])["required"] == [
            "message", "code"]


def test_search_parameters_are_typed_as_strictly_as_they_are_checked(document):
    parameters = {p["name"]: p["schema"] for p in document["paths"]["/api/search"]["get"]["parameters"]}

    assert parameters["type"] == {"enum": ["article", "product"], "type": "string", "title": "Type"}
    assert parameters["sort"]["enum"] == ["relevance", "newest", "price", "price_desc"]
    assert parameters["sort"]["default"] == "relevance"
    for bound in ("price_min", "price_max"):
        assert (parameters[bound]["type"], parameters[bound]["minimum"]) == ("number", 0)
    assert parameters["q"]["maxLength"] == 200
    # left out means "no filter": an optional query parameter is never documented as null
    assert parameters["in_stock"]["type"] == "boolean"
    assert (parameters["page"]["minimum"], parameters["page"].get("maximum")) == (1, None)
    assert (parameters["page_size"]["minimum"], parameters["page_size"]["maximum"]) == (1, 100)


def test_search_rejects_what_the_document_rules_out(client):
    for params in ({"sort": "cheapest"}, {"type": "poem"}, {"price_min": "-1"}, {"page_size": "101"}):
        response = client.get("/api/search", params)

        assert response.status_code == 422, params
        assert response.json()["code"] == "invalid"


@pytest.mark.parametrize(("method", "path"), STOREFRONT)
def test_the_session_is_optional_in_the_document_because_guests_are_admitted(document, method, path):
    assert document["paths"][path][method]["security"] == [{"StorefrontSession": []}, {}]
    assert document["components"]["securitySchemes"]["StorefrontSession"]["in"] == "cookie"


def test_a_guest_without_any_cookie_reads_the_cart(kettle_in_stock):
    response = Client().get("/api/cart")

    assert response.status_code == 200
    assert response.json()["lines"] == []


@pytest.fixture
def kettle_in_stock(product_factory):
    return product_factory(title="Sage kettle", skus=[{"code": "KET-1", "price": "129.00", "stock": 20}])


def test_a_cross_site_unsafe_call_is_still_refused(kettle_in_stock, settings):
    # given a shopper whose browser holds the session and CSRF cookies
    shopper = Client(enforce_csrf_checks=True)
    shopper.get("/api/cart")
    token = shopper.cookies["csrftoken"].value

    # when another site's page makes the browser post to the cart (cookies ride along,
    # and even if that page had the token, its Origin gives it away)
    forged = shopper.post("/api/cart/lines", json.dumps({"sku": "KET-1", "quantity": 1}),
                          content_type="application/json", headers={"Origin": "https://evil.example"})
    with_token = shopper.post("/api/cart/lines", json.dumps({"sku": "KET-1", "quantity": 1}),
                              content_type="application/json",
                              headers={"Origin": "https://evil.example", "X-CSRFToken": token})

    # then both are refused with a sentence and the cart stays empty
    assert forged.status_code == 403
    assert forged.json() == {"message": "The request was refused because its CSRF token is missing or out of "
                                        "date. Load the cart again and retry."}
    assert with_token.status_code == 403
    assert shopper.get("/api/cart").json()["count"] == 0
