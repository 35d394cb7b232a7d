"""The buyer's order pages: confirmation (also the account's order detail) and the
guest lookup by number and e-mail. An order is shown only to whoever may see it
(``order_for_reader``); anyone else gets the same 404 as for a number that does not exist."""

from django import forms
from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from shop.orders.models import OrderStatus, PaymentMethod
from shop.orders.selectors import SESSION_ORDERS, order_access_token, order_for_lookup, order_for_reader
from shop.payments.selectors import payments_for_order


def order_confirmation(request, number: str):
    order = order_for_reader(
        number=number, user=request.user, session_numbers=request.session.get(SESSION_ORDERS, ()),
        token=request.GET.get("key", ""),
    )
    if order is None:
        raise Http404
    return render(request, "shop/order_confirmation.html", order_context(order))


def order_context(order) -> dict:
    return {
        "order": order,
        "lines": list(order.lines.all()),
        "payments": payments_for_order(order=order),
        "awaiting_offline_payment": (
            order.status == OrderStatus.PENDING_PAYMENT and order.payment_method == PaymentMethod.OFFLINE
        ),
        "awaiting_payment": order.status == OrderStatus.PENDING_PAYMENT,
        "unpaid_minutes": settings.HAOWU_UNPAID_ORDER_MINUTES,
    }


class OrderLookupForm(forms.Form):
    number = forms.CharField(label=_("Order number"), max_length=32, help_text=_("It starts with HW, e.g. HW20261126K7Q2MX9PRT."))
    email = forms.EmailField(label=_("E-mail used for the order"))


NOT_FOUND = _("We found no order with that number and e-mail address. Please check both and try again.")


def order_lookup(request):
    form = OrderLookupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        order = order_for_lookup(number=form.cleaned_data["number"], email=form.cleaned_data["email"])
        if order is not None:
            url = reverse("orders:confirmation", kwargs={"number": order.number})
            return redirect(f"{url}?{urlencode({'key': order_access_token(order)})}")
        form.add_error(None, NOT_FOUND)
    return render(request, "shop/order_lookup.html", {"form": form})
