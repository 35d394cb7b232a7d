"""The buyer's order pages: confirmation (also the account's order detail) and the
guest lookup by number and e-mail. An order is shown only to whoever may see it
(``order_for_reader``); anyone else gets the same 404 as for a number that does not exist.
The lookup never shows an order: it e-mails a signed link to the order's own address."""

from django import forms
from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shop.limits import RateLimited, limit_hit, limit_reached
from shop.orders.models import OrderStatus, PaymentMethod
from shop.orders.notifications import order_send_link
from shop.orders.selectors import (
    SESSION_ORDERS,
    order_access_token_expired,
    order_for_lookup,
    order_for_reader,
)
from shop.payments.selectors import payments_for_order


def order_confirmation(request, number: str):
    token = request.GET.get("key", "")
    order = order_for_reader(
        number=number, user=request.user, session_numbers=request.session.get(SESSION_ORDERS, ()), token=token,
    )
    if order is None:
        if token and order_access_token_expired(token):
            # Our own link, only too old: offer a new one rather than a bare 404.
            return render(
                request, "shop/order_lookup.html", {"form": OrderLookupForm(), "alert": LINK_EXPIRED}, status=410,
            )
        raise Http404
    return render(request, "shop/order_confirmation.html", order_context(order))


def order_context(order) -> dict:
    """What the order's page shows. An order waiting for payment (cash on delivery does
    not: it is paid to the courier) says what is missing and, until its pay-by time,
    offers to pay again or to switch to another enabled method."""
    pending = order.status == OrderStatus.PENDING_PAYMENT
    cod = order.payment_method == PaymentMethod.COD
    still_open = pending and (order.expires_at is None or order.expires_at > timezone.now())
    return {
        "order": order,
        "lines": list(order.lines.all()),
        "payments": payments_for_order(order=order),
        "awaiting_offline_payment": pending and order.payment_method == PaymentMethod.OFFLINE,
        "awaiting_cod": pending and cod,
        "awaiting_payment": pending and not cod,
        "can_pay_again": still_open and order.payment_method not in (PaymentMethod.OFFLINE, PaymentMethod.COD),
        "other_payment_methods": [
            (code, label) for code, label in PaymentMethod.choices
            if still_open and code != order.payment_method and code in settings.HAOWU_PAYMENT_METHODS
        ],
        "unpaid_minutes": settings.HAOWU_UNPAID_ORDER_MINUTES,
    }


class OrderLookupForm(forms.Form):
    number = forms.CharField(label=_("Order number"), max_length=32, help_text=_("It starts with HW, e.g. HW20261126K7Q2MX9PRT."))
    email = forms.EmailField(label=_("E-mail used for the order"))


LOOKUP_SENT = _(
    "If an order with that number was placed with that e-mail address, we have sent a link to it "
    "to that address. Please check your inbox."
)
LINK_EXPIRED = _(
    "This link to your order has expired. Enter the order number and e-mail address "
    "and we will send you a new one."
)
#: Link e-mails one order may get: the lookup must not become a way to flood a buyer's inbox.
ORDER_LINK_MAILS = "3/1h"


def order_lookup(request):
    """A guest asks for their order: the answer is the same sentence whether or not one
    matched, and a match e-mails the signed link to the order's own address. Failed
    lookups count against the client address (``HAOWU_LIMIT_ORDER_LOOKUP``); past it the
    page answers 429 until the window passes."""
    form = OrderLookupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        rate = settings.HAOWU_LIMIT_ORDER_LOOKUP
        verdict = limit_reached(request, name="order_lookup", rate=rate)
        if verdict.limited:
            error = RateLimited(verdict.retry_after)
            response = render(request, "shop/order_lookup.html", {"form": form, "alert": str(error)}, status=429)
            response["Retry-After"] = str(error.retry_after)
            return response
        order = order_for_lookup(number=form.cleaned_data["number"], email=form.cleaned_data["email"])
        if order is None:
            limit_hit(request, name="order_lookup", rate=rate)
        elif not limit_hit(request, name="order_link_mail", rate=ORDER_LINK_MAILS, key=order.number).limited:
            order_send_link(order_id=order.pk)
        return render(request, "shop/order_lookup.html", {"form": OrderLookupForm(), "sent": LOOKUP_SENT})
    return render(request, "shop/order_lookup.html", {"form": form})
