"""The one-page checkout: the reader's cart, priced on the server, placed by
``checkout_from_cart``. A hidden checkout key, kept in the session, makes a double
submit or a retry return the order already placed instead of a second one."""

import uuid
from functools import partial

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from shop.attribution.visitors import visitor_cookie_apply, visitor_id_for_request
from shop.cart.selectors import cart_view
from shop.cart.services import SESSION_KEY as CART_SESSION_KEY
from shop.cart.services import cart_for_request
from shop.checkout.errors import CheckoutError, EmptyCart, TooManyUnpaidOrders
from shop.checkout.forms import CheckoutForm
from shop.checkout.limits import checkout_limit_enforce
from shop.checkout.services import checkout_from_cart
from shop.limits import RateLimited
from shop.money import money_quantize
from shop.orders.models import Order, ShippingMethod
from shop.orders.notifications import order_send_confirmation
from shop.orders.selectors import SESSION_ORDERS
from shop.payments.services import payment_start

#: Session key: the checkout key of the form being filled in.
SESSION_CHECKOUT_KEY = "hw_checkout_key"


def _checkout_key(request) -> str:
    """The session's checkout key, renewed once it has placed an order."""
    key = request.session.get(SESSION_CHECKOUT_KEY)
    if key is None or Order.objects.filter(checkout_key=key).exists():
        key = str(uuid.uuid4())
        request.session[SESSION_CHECKOUT_KEY] = key
    return key


def _cart_expired(request, cart) -> bool:
    """A guest whose session still names a cart that is gone: it expired."""
    return not request.user.is_authenticated and cart is None and bool(request.session.get(CART_SESSION_KEY))


def checkout_start(request):
    cart = cart_for_request(request)
    expired = _cart_expired(request, cart)
    view = cart_view(cart=cart)

    if request.method != "POST":
        if not view.lines:
            messages.info(request, EXPIRED_MESSAGE if expired else _("Your cart is empty."))
            return redirect("cart:detail")
        email = request.user.email if request.user.is_authenticated else ""
        form = CheckoutForm(initial={"email": email}, subtotal=view.subtotal)
        return render(request, "shop/checkout.html", _context(request, form, view))

    form = CheckoutForm(request.POST, subtotal=view.subtotal)
    if form.is_valid():
        key = str(form.cleaned_data["checkout_key"])
        if key != request.session.get(SESSION_CHECKOUT_KEY):
            # A form from another session or a stale tab: a key found elsewhere must
            # never fetch someone else's order. The entries are kept; a new key is issued.
            form.add_error(None, STALE_MESSAGE)
        else:
            try:
                checkout_limit_enforce(request, checkout_key=key)
                placed = _place(request, form, cart or cart_for_request(request, create=True), key, expired)
            except RateLimited as error:
                # Over a limit: the reader's entries stay, with the reason and when to retry.
                form.add_error(None, str(error))
                response = render(request, "shop/checkout.html", _context(request, form, view), status=429)
                response["Retry-After"] = str(error.retry_after)
                return response
            return placed or render(request, "shop/checkout.html", _context(request, form, view))
    return render(request, "shop/checkout.html", _context(request, form, view))


EXPIRED_MESSAGE = _lazy("Your cart has expired. Please add the products again.")
STALE_MESSAGE = _lazy("This checkout page has expired. Please check your details and place the order again.")


def _place(request, form: CheckoutForm, cart, key: str, expired: bool):
    """Call the checkout service; a redirect on success, ``None`` (errors on the form) otherwise.
    Raises ``RateLimited`` when the e-mail address holds too many unpaid orders."""
    try:
        result = checkout_from_cart(
            cart=cart, idempotency_key=key, email=form.cleaned_data["email"],
            address=form.address(), shipping_method=form.cleaned_data["shipping_method"],
            payment_method=form.cleaned_data["payment_method"],
            user=request.user if request.user.is_authenticated else None,
            visitor_id=visitor_id_for_request(request),
        )
    except EmptyCart as error:
        form.add_error(None, EXPIRED_MESSAGE if expired else str(error))
        return None
    except TooManyUnpaidOrders as error:
        raise RateLimited(error.retry_after, str(error)) from error
    except CheckoutError as error:
        form.add_error(None, str(error))
        return None
    order = result.order
    numbers = request.session.get(SESSION_ORDERS, [])
    if order.number not in numbers:
        request.session[SESSION_ORDERS] = [*numbers, order.number][-20:]
    if result.created:
        # A replayed submit finds the order placed by the first one: one e-mail only.
        transaction.on_commit(partial(order_send_confirmation, order.id), robust=True)
    response = redirect(payment_start(order=order, request=request))
    visitor_cookie_apply(request=request, response=response)
    return response


def _context(request, form: CheckoutForm, view) -> dict:
    selected = form["shipping_method"].value() or ShippingMethod.STANDARD
    if selected not in form.shipping_prices:
        selected = ShippingMethod.STANDARD
    shipping = form.shipping_prices[selected]
    options = [
        {"value": value, "label": label, "price": form.shipping_prices[value], "checked": value == selected}
        for value, label in ShippingMethod.choices
    ]
    return {
        "form": form,
        "checkout_key": _checkout_key(request),
        "cart": view,
        "shipping_options": options,
        "shipping_total": shipping,
        "total": money_quantize(view.subtotal + shipping),
    }
