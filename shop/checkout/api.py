"""``POST /api/checkout``: place the session cart as an order.

The body names who and where, never what or for how much: lines, prices and totals come
from the cart and the database (``checkout_from_cart``). The client's idempotency key is
scoped to its cart before it is stored, so one client cannot fetch another's order by
sending the same key.
"""

import hashlib
from functools import partial

from django.db import transaction
from django.utils.translation import gettext as _
from ninja import Router, Status

from shop.api_schemas import UNSAFE_ERRORS, Error, TooMany
from shop.attribution.visitors import visitor_id_for_request
from shop.cart.services import cart_for_request
from shop.checkout.errors import EmptyCart, SKUUnavailable, TooManyUnpaidOrders, UnknownSKU
from shop.checkout.limits import checkout_limit_enforce
from shop.checkout.schemas import CheckoutIn, OrderPlacedOut
from shop.checkout.services import ShippingAddress, checkout_from_cart
from shop.limits import RateLimited
from shop.orders.models import Order
from shop.orders.notifications import order_send_confirmation
from shop.orders.selectors import SESSION_ORDERS
from shop.payments.gateways import payment_method_enabled
from shop.payments.services import payment_start

router = Router()


def _checkout_key(cart, client_key: str) -> str:
    """64 characters, the width of ``Order.checkout_key``; "api:" keeps it apart from the site's keys."""
    return "api:" + hashlib.sha256(f"{cart.token}:{client_key}".encode()).hexdigest()[:60]


@router.post(
    "",
    response={200: OrderPlacedOut, 201: OrderPlacedOut, 400: Error, 409: Error, 429: TooMany, **UNSAFE_ERRORS},
    summary="Place the cart as an order",
)
def checkout(request, payload: CheckoutIn):
    """201 with the new order. A retry with the same ``idempotency_key`` from the same
    session answers the same order (200 once it exists). 409 when a SKU sold out or was
    withdrawn since it was added, 400 for an empty cart, 422 for invalid fields and for
    a payment method this installation does not offer (``HAOWU_PAYMENT_METHODS``), 429
    (with ``Retry-After``) above ``HAOWU_LIMIT_CHECKOUT`` or when the e-mail address
    already holds ``HAOWU_LIMIT_UNPAID_PER_EMAIL`` unpaid orders."""
    if not payment_method_enabled(payload.payment_method.value):
        return Status(422, {
            "message": _("This payment method is not available. Please choose another one."),
            "code": "payment_method_unavailable",
        })
    cart = cart_for_request(request)
    if cart is None:
        raise EmptyCart()
    key = _checkout_key(cart, payload.idempotency_key)
    address = payload.address
    user = request.user if request.user.is_authenticated else None
    checkout_limit_enforce(request, checkout_key=key)
    try:
        result = checkout_from_cart(
            cart=cart, idempotency_key=key, email=payload.contact.email,
            address=ShippingAddress(
                recipient=address.recipient, phone=address.phone, city=address.city,
                address_line=address.address_line, province=address.province,
                district=address.district, postcode=address.postcode, country=address.country,
            ),
            shipping_method=payload.shipping_method.value, payment_method=payload.payment_method.value,
            user=user, visitor_id=visitor_id_for_request(request),
        )
    except UnknownSKU as error:
        # The SKU was deleted while it sat in the cart: for the buyer it is just gone.
        raise SKUUnavailable(error.code) from error
    except TooManyUnpaidOrders as error:
        raise RateLimited(error.retry_after, str(error)) from error

    order = result.order
    numbers = request.session.get(SESSION_ORDERS, [])
    if order.number not in numbers:
        request.session[SESSION_ORDERS] = [*numbers, order.number]
    if result.created:
        _send_confirmation(order)
    return Status(201 if result.created else 200, {
        "number": order.number,
        "status": order.status,
        "total": str(order.total),
        "currency": order.currency,
        "payment_url": _payment_url(order, request),
    })


def _send_confirmation(order: Order) -> None:
    # robust: a mail server failure must not turn a placed order into an error answer.
    transaction.on_commit(partial(order_send_confirmation, order.pk), robust=True)


def _payment_url(order: Order, request) -> str:
    """Absolute, because apps open it outside the site (a web view or the browser)."""
    return request.build_absolute_uri(payment_start(order=order, request=request))
