"""Schemathesis against the storefront API: every operation, called with data generated
from the OpenAPI document (valid and invalid), answers what the document says — no
server error, only documented statuses and content types, bodies that fit their schemas.

The API runs in-process (the Django WSGI application, the test database). Each call
carries a session with the CSRF cookie and token and a cart that is never empty, so
unsafe operations reach their handlers instead of stopping at the CSRF check; half the
line ids are the cart's real line."""

import json

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

# Every default check. One exception, for valid-looking data only: /api/search answers 400
# for rules across parameters that JSON Schema cannot state (the lowest price above the
# highest, paging past the first 10,000 results), with the sentence that says so; 400 is
# documented there.
CONFIG = SchemathesisConfig.from_dict({"operations": [{
    "include-path": "/api/search",
    "checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", "400"]}},
}]})

def storefront(environ, start_response):
    """The Django application, called the way Django's test client calls it: the request
    signals must not close the test's database connection (and its transaction)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        response = django_application(environ, start_response)
        try:
            return list(response)
        finally:
            response.close()  # sends request_finished
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


django_application = get_wsgi_application()
# Read once at collection (no database needed); the calls run inside each test's transaction.
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", storefront, config=CONFIG)


class Buyer:
    """A browser session that holds the CSRF cookie and a cart with a line in it."""

    def __init__(self):
        self.client = Client(enforce_csrf_checks=True)
        self.client.get("/api/cart")
        self.token = self.client.cookies["csrftoken"].value

    def cart_with_a_line(self) -> int:
        """The id of a line in the session's cart, adding one if checkout or a delete emptied it."""
        cart = self.client.get("/api/cart").json()
        if not cart["lines"]:
            cart = self.client.post(
                "/api/cart/lines", json.dumps({"sku": "KET-1", "quantity": 1}),
                content_type="application/json", headers={"X-CSRFToken": self.token},
            ).json()
        return cart["lines"][0]["id"]

    @property
    def cookies(self) -> dict[str, str]:
        return {name: morsel.value for name, morsel in self.client.cookies.items()}


@pytest.fixture
def buyer(db, product_factory, settings):
    # The limits on strangers are tested on their own; here every generated call should
    # reach its handler, not stop at a 429 after the first few examples.
    settings.HAOWU_LIMIT_CHECKOUT = settings.HAOWU_LIMIT_CART = settings.HAOWU_LIMIT_ORDER_LOOKUP = "1000000/1m"
    settings.HAOWU_LIMIT_UNPAID_PER_EMAIL = 1_000_000
    # Plenty of stock: every generated checkout that passes validation places an order.
    product_factory(title="Sage kettle", slug="sage-kettle", skus=[{"code": "KET-1", "price": "129.00", "stock": 100_000}])
    return Buyer()


@schema.parametrize()
@settings(max_examples=50, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much, HealthCheck.data_too_large])
def test_the_api_answers_what_its_openapi_document_says(case, buyer):
    line_id = buyer.cart_with_a_line()
    if "line_id" in (case.path_parameters or {}) and len(str(case.path_parameters["line_id"])) % 2:
        case.path_parameters["line_id"] = line_id
    headers = {"X-CSRFToken": buyer.token} if case.method.upper() in ("POST", "PATCH", "PUT", "DELETE") else {}

    case.call_and_validate(headers=headers, cookies=buyer.cookies)
