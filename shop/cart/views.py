"""The reader's cart pages. Every change is a POST that calls one cart service; without
JavaScript the reader is sent back where they were, with a message; the add-to-cart
script (static/js/cart.js) asks for JSON instead and stays on the article."""

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shop.attribution.capture import touch_record
from shop.attribution.tokens import token_read
from shop.attribution.visitors import visitor_cookie_apply
from shop.cart.forms import CartAddForm, CartQuantityForm
from shop.cart.limits import cart_add_limit_enforce
from shop.cart.models import CartLine
from shop.cart.selectors import cart_view
from shop.cart.services import (
    Attribution,
    cart_for_request,
    cart_line_add,
    cart_line_remove,
    cart_line_set_quantity,
)
from shop.catalogue.models import SKU
from shop.checkout.errors import CheckoutError, OutOfStock, SKUUnavailable, UnknownSKU
from shop.limits import RateLimited


def wants_json(request) -> bool:
    return (
        "application/json" in request.headers.get("Accept", "")
        or request.headers.get("X-Requested-With") == "XMLHttpRequest"
    )


def safe_return_url(request, default: str) -> str:
    """Where to send the reader back to: ``next`` or the Referer, only if it is on this
    site (never an open redirect), else ``default``."""
    for candidate in (request.POST.get("next"), request.headers.get("Referer")):
        if candidate and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return candidate
    return default


def _error_status(error: CheckoutError) -> int:
    if isinstance(error, UnknownSKU):
        return 404
    if isinstance(error, (SKUUnavailable, OutOfStock)):
        return 409
    return 400


def _cart_count(cart) -> int:
    return sum(cart.lines.values_list("quantity", flat=True)) if cart is not None else 0


def _form_error(form) -> str:
    return next(iter(form.errors.values()))[0]


@require_POST
def cart_add(request):
    form = CartAddForm(request.POST)
    retry_after = None
    try:
        cart_add_limit_enforce(request)
    except RateLimited as error:
        ok, message, status, retry_after = False, str(error), 429, error.retry_after
    else:
        ok, message, status = _add(request, form)
    if wants_json(request):
        cart = cart_for_request(request)
        response = JsonResponse(
            {"ok": ok, "message": message, "count": _cart_count(cart), "cart_url": reverse("cart:detail")},
            status=status,
        )
    else:
        (messages.success if ok else messages.error)(request, message)
        response = redirect(safe_return_url(request, reverse("cart:detail")))
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    visitor_cookie_apply(request=request, response=response)
    return response


def _add(request, form: CartAddForm) -> tuple[bool, str, int]:
    """Add what the form names; (ok, message for the reader, HTTP status)."""
    status = 200
    if not form.is_valid():
        ok, message, status = False, _form_error(form), 400
    else:
        cart = cart_for_request(request, create=True)
        link = _link_for(request.POST.get("t", ""), sku_code=form.cleaned_data["sku"])
        try:
            line = cart_line_add(
                cart=cart, sku_code=form.cleaned_data["sku"], quantity=form.cleaned_data["quantity"],
                attribution=_attribution(link),
            )
        except CheckoutError as error:
            ok, message, status = False, str(error), _error_status(error)
        else:
            ok = True
            message = _("Added %(product)s to your cart.") % {"product": _line_title(line)}
            if link is not None:
                # Adding from an article's offer is a click of its buy link too.
                touch_record(request=request, payload=link)
    return ok, message, status


def _link_for(token: str, *, sku_code: str):
    """The offer's signed link if it names the SKU being added, else ``None``."""
    link = token_read(token) if token else None
    if link is None or not SKU.objects.filter(pk=link.sku_id, code=sku_code).exists():
        return None
    return link


def _attribution(link) -> Attribution | None:
    """The cart line's attribution from the offer's signed link (``t``); a missing or
    invalid token adds the product all the same, unattributed."""
    if link is None:
        return None
    return Attribution(
        article_page_id=link.article_page_id, block_id=link.block_id,
        block_type=link.block_type, position=link.position,
    )


def _line_title(line: CartLine) -> str:
    sku = line.sku
    return f"{sku.product.title} ({sku.option_label})" if sku.option_label else sku.product.title


def cart_detail(request):
    view = cart_view(cart=cart_for_request(request))
    return render(request, "shop/cart.html", {"cart": view})


@require_POST
def cart_update(request, line_id: int):
    cart = cart_for_request(request)
    form = CartQuantityForm(request.POST)
    if cart is None:
        messages.error(request, _("Your cart has expired. Please add the products again."))
    elif not form.is_valid():
        messages.error(request, _form_error(form))
    else:
        try:
            line = cart_line_set_quantity(cart=cart, line_id=line_id, quantity=form.cleaned_data["quantity"])
        except CartLine.DoesNotExist:
            messages.error(request, _("That product is no longer in your cart."))
        except CheckoutError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Updated the quantity of %(product)s.") % {"product": _line_title(line)})
    return redirect("cart:detail")


@require_POST
def cart_remove(request, line_id: int):
    cart = cart_for_request(request)
    line = CartLine.objects.select_related("sku__product").filter(cart=cart, pk=line_id).first() if cart else None
    if line is None:
        messages.error(request, _("That product is no longer in your cart."))
    else:
        cart_line_remove(cart=cart, line_id=line_id)
        messages.success(request, _("Removed %(product)s from your cart.") % {"product": _line_title(line)})
    return redirect("cart:detail")
