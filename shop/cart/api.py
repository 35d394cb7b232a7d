"""The session cart over JSON: ``GET /api/cart``, ``POST /api/cart/lines``,
``PATCH``/``DELETE /api/cart/lines/{id}``. Every answer is the whole cart with today's
prices. A guest's cart is found through the session cookie; ``GET /api/cart`` also sets
the ``csrftoken`` cookie whose value unsafe calls send back as ``X-CSRFToken``."""

from django.conf import settings
from django.http import Http404
from django.middleware.csrf import get_token
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from shop.api_schemas import UNSAFE_ERRORS, Error, InvalidInput, TooMany
from shop.cart.limits import cart_add_limit_enforce
from shop.cart.models import CartLine
from shop.cart.selectors import CartView, cart_view
from shop.cart.services import cart_for_request, cart_line_add, cart_line_remove, cart_line_set_quantity
from shop.checkout.schemas import Quantity, Text

router = Router()


class CartLineOut(Schema):
    id: int
    sku: str
    title: str
    option: str
    quantity: int
    unit_price: str
    line_total: str
    available: bool
    #: "" when the line can be bought as it is; otherwise why not, for the reader.
    warning: str


class CartOut(Schema):
    lines: list[CartLineOut]
    subtotal: str
    count: int
    currency: str
    can_check_out: bool


class LineIn(Schema):
    sku: Text(64)
    quantity: Quantity


class QuantityIn(Schema):
    quantity: Quantity


def _cart_out(view: CartView) -> dict:
    return {
        "lines": [
            {
                "id": item.line.pk,
                "sku": item.line.sku.code,
                "title": item.line.sku.product.title,
                "option": item.line.sku.option_label,
                "quantity": item.line.quantity,
                "unit_price": str(item.unit_price),
                "line_total": str(item.line_total),
                "available": item.available,
                "warning": item.warning,
            }
            for item in view.lines
        ],
        "subtotal": str(view.subtotal),
        "count": view.count,
        "currency": settings.HAOWU_CURRENCY,
        "can_check_out": view.can_check_out,
    }


def _line_not_found() -> Http404:
    # Another reader's line answers exactly like a line that never existed.
    return Http404(_("This line is not in your cart."))


@router.get("", response=CartOut, summary="The session's cart")
def cart_detail(request):
    get_token(request)  # sets the csrftoken cookie on this answer
    return _cart_out(cart_view(cart=cart_for_request(request)))


@router.post("/lines", response={201: CartOut, 404: Error, 409: Error, 429: TooMany, **UNSAFE_ERRORS},
             summary="Add a SKU to the cart")
def cart_line_create(request, payload: LineIn):
    """Adds to the existing line of the same SKU. 409 when the cart would hold more than
    the stock or the SKU is withdrawn; 404 for an unknown code; 429 (``Retry-After``)
    above ``HAOWU_LIMIT_CART`` adds per client address."""
    cart_add_limit_enforce(request)
    cart = cart_for_request(request, create=True)
    cart_line_add(cart=cart, sku_code=payload.sku, quantity=payload.quantity)
    return Status(201, _cart_out(cart_view(cart=cart)))


@router.patch("/lines/{line_id}", response={200: CartOut, 404: Error, 409: Error, **UNSAFE_ERRORS},
              summary="Change a line's quantity")
def cart_line_update(request, line_id: int, payload: QuantityIn):
    cart = cart_for_request(request)
    try:
        cart_line_set_quantity(cart=cart, line_id=line_id, quantity=payload.quantity)
    except CartLine.DoesNotExist:
        raise _line_not_found() from None
    return _cart_out(cart_view(cart=cart))


@router.delete("/lines/{line_id}", response={200: CartOut, 403: Error, 404: Error, 422: InvalidInput},
                summary="Remove a line")
def cart_line_delete(request, line_id: int):
    cart = cart_for_request(request)
    if not CartLine.objects.filter(cart=cart, pk=line_id).exists():
        raise _line_not_found()
    cart_line_remove(cart=cart, line_id=line_id)
    return _cart_out(cart_view(cart=cart))
