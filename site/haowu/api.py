"""The storefront JSON API (django-ninja) for apps and mini-programs: one NinjaAPI that
mounts each shop app's router. OpenAPI at /api/openapi.json, docs at /api/docs.

Carts live in the Django session, so every unsafe call must prove it comes from a page
or app that read the ``csrftoken`` cookie (``GET /api/cart`` sets it): django-ninja
exempts its views from Django's CSRF middleware and only checks CSRF inside cookie
auth classes, which would let anonymous callers through. ``StorefrontSession`` is
such a class that admits guests too, so the check applies to everyone.

Every error answers ``{"message": "<sentence>"}`` (validation errors add ``detail``).
"""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, RawPostDataException
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError
from ninja.security import APIKeyCookie
from ninja.utils import check_csrf

from search.api import router as search_router
from shop.cart.api import router as cart_router
from shop.catalogue.api import router as catalogue_router
from shop.checkout.api import router as checkout_router
from shop.checkout.errors import (
    CheckoutError,
    EmptyCart,
    InvalidQuantity,
    OutOfStock,
    SKUUnavailable,
    UnknownSKU,
)
from shop.customers.api import router as session_router
from shop.limits import RateLimited
from shop.orders.api import router as orders_router
from shop.orders.errors import OrderError
from shop.payments.errors import PaymentError


class StorefrontSession(APIKeyCookie):
    """The session cookie, signed in or not; unsafe methods need a valid X-CSRFToken."""

    param_name = settings.SESSION_COOKIE_NAME
    openapi_description = ("The Django session cookie: it finds a guest's cart or a signed-in reader. "
                           "Optional: a first call has none and gets one. Unsafe calls also need the "
                           "X-CSRFToken header with the csrftoken cookie's value, from the same site.")

    def _get_key(self, request):
        if check_csrf(request):
            raise HttpError(403, _("The request was refused because its CSRF token is missing or "
                                   "out of date. Load the cart again and retry."))
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request, key):
        # Guests are welcome: the session (or the lack of one) identifies the cart.
        return request.user if request.user.is_authenticated else "guest"


class StorefrontAPI(NinjaAPI):
    """The document says what the API does beyond what django-ninja infers."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for operations in schema["paths"].values():
            for operation in operations.values():
                # Guests are admitted: the session is optional ({} is "no credentials"), while
                # StorefrontSession still checks CSRF on every unsafe call, session or not.
                security = operation.get("security")
                if security and {} not in security:
                    operation["security"] = [*security, {}]
                for parameter in operation.get("parameters", []):
                    _no_null_in_query(parameter)
                for status, answer in operation["responses"].items():
                    if str(status) == "429":
                        answer["headers"] = {"Retry-After": {
                            "description": "Seconds until the limit allows another call.",
                            "schema": {"type": "integer", "minimum": 1},
                        }}
        return schema


def _no_null_in_query(parameter: dict) -> None:
    """An optional query parameter is left out, never sent as null: pydantic documents
    ``X | None`` as "X or null", which tools then send as an empty value we refuse."""
    schema = parameter["schema"]
    options = [option for option in schema.get("anyOf", []) if option != {"type": "null"}]
    if parameter["in"] == "query" and "anyOf" in schema and len(options) == 1:
        del schema["anyOf"]
        schema.update(options[0])


api = StorefrontAPI(
    title="Haowu storefront API", version="1.0", urls_namespace="api", auth=StorefrontSession(),
    description="Products, the session cart, checkout and order status for apps and mini-programs. "
                "Unsafe calls need the X-CSRFToken header with the csrftoken cookie set by GET /api/cart.",
)
api.add_router("/products/", catalogue_router, tags=["products"])
api.add_router("/cart", cart_router, tags=["cart"])
api.add_router("/checkout", checkout_router, tags=["checkout"])
api.add_router("/orders/", orders_router, tags=["orders"])
api.add_router("/session", session_router, tags=["session"])
# Public reads: search declares auth=None on its operations.
api.add_router("/", search_router, tags=["search"])


# Status and a stable code apps can branch on; the message is for people.
CHECKOUT_ERRORS = {
    EmptyCart: (400, "empty_cart"),
    InvalidQuantity: (422, "invalid_quantity"),
    UnknownSKU: (404, "unknown_sku"),
    SKUUnavailable: (409, "sku_unavailable"),
    OutOfStock: (409, "out_of_stock"),
}


@api.exception_handler(CheckoutError)
def checkout_error(request, exc: CheckoutError):
    status, code = next(
        (answer for cls, answer in CHECKOUT_ERRORS.items() if isinstance(exc, cls)), (409, "checkout_error")
    )
    return api.create_response(request, {"message": str(exc), "code": code}, status=status)


@api.exception_handler(OrderError)
def order_error(request, exc: OrderError):
    return api.create_response(request, {"message": str(exc), "code": "order_error"}, status=409)


@api.exception_handler(PaymentError)
def payment_error(request, exc: PaymentError):
    return api.create_response(request, {"message": str(exc), "code": "payment_error"}, status=409)


@api.exception_handler(RateLimited)
def rate_limited(request, exc: RateLimited):
    response = api.create_response(request, {"message": str(exc), "code": "rate_limited"}, status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(Http404)
def not_found(request, exc: Http404):
    message = str(exc) if exc.args else _("Not found.")
    return api.create_response(request, {"message": message, "code": "not_found"}, status=404)


def _unreadable_body(request):
    return api.create_response(request, {
        "message": _("The request body could not be read: send a JSON object with Content-Type: "
                     "application/json."),
        "code": "unreadable_body",
    }, status=400)


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    # django-ninja's own words for a body json.loads refused (malformed, another content
    # type, nesting deeper than the parser's recursion limit).
    if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
        return _unreadable_body(request)
    return api.create_response(request, {"message": str(exc)}, status=exc.status_code)


@api.exception_handler(MultiPartParserError)
@api.exception_handler(RawPostDataException)
def form_body(request, exc: Exception):
    # The CSRF check reads a form body to look for its token: a multipart body without a
    # boundary fails there (Django would answer its HTML 400 page), and a readable one is
    # then gone when the JSON parser asks for it (a server error).
    return _unreadable_body(request)


@api.exception_handler(RequestDataTooBig)
def body_too_big(request, exc: RequestDataTooBig):
    return api.create_response(request, {
        "message": _("The request body is too large."), "code": "body_too_large",
    }, status=400)


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    return api.create_response(
        request, {"message": _validation_message(exc.errors), "code": "invalid", "detail": exc.errors},
        status=422,
    )


def _validation_message(errors: list[dict]) -> str:
    """Our own validators raise full sentences: show the first one. Otherwise name the fields."""
    for error in errors:
        if error.get("type") == "value_error":
            return str(error["msg"]).removeprefix("Value error, ")
    fields = [_field_name(error.get("loc", ())) for error in errors]
    return _("Please check these fields: %(fields)s.") % {"fields": ", ".join(dict.fromkeys(fields))}


def _field_name(loc) -> str:
    """``["body", "payload", "address", "city"]`` → ``"address.city"``; ``["query", "email"]`` → ``"email"``."""
    parts = list(loc[1:])
    if loc and loc[0] == "body" and len(parts) > 1:
        parts = parts[1:]  # the view's parameter name means nothing to the client
    return ".".join(str(part) for part in parts) or _("body")
