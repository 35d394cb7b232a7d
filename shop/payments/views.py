"""The sandbox provider's hosted page, the reader's return page, paying an unpaid order
again or by another method, and provider webhooks.

The sandbox's pages answer 404 unless ``sandbox`` is in ``HAOWU_PAYMENT_METHODS``; the
webhook endpoint answers 404 for any provider that is not enabled."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from shop.money import money_format
from shop.orders.models import Order, PaymentMethod
from shop.orders.selectors import SESSION_ORDERS, order_access_token, order_for_reader
from shop.payments.errors import PaymentDeclined, PaymentError
from shop.payments.gateways import payment_method_enabled
from shop.payments.models import PaymentStatus, SandboxCharge, SandboxChargeStatus
from shop.payments.sandbox import sandbox_charge_pay
from shop.payments.selectors import payment_for_return, sandbox_charge
from shop.payments.services import order_payment_method_change, payment_start, payment_sync, webhook_handle

PAID = (PaymentStatus.SUCCEEDED, PaymentStatus.PARTIALLY_REFUNDED, PaymentStatus.REFUNDED)
#: The return page refreshes itself every POLL_SECONDS while a payment is unconfirmed,
#: at most MAX_POLLS times (about a minute); then it stops and says what to do.
POLL_SECONDS = 3
MAX_POLLS = 20


def _sandbox_enabled() -> None:
    if not payment_method_enabled(PaymentMethod.SANDBOX):
        raise Http404


def _back_to_shop(charge: SandboxCharge) -> str:
    joiner = "&" if "?" in charge.return_url else "?"
    return f"{charge.return_url}{joiner}{urlencode({'charge': charge.id})}"


def _confirmation_url(order: Order) -> str:
    """The order's page with its signed key, so it opens in any browser: the reader may
    come back from paying in one that lacks the session that placed the order."""
    path = reverse("orders:confirmation", kwargs={"number": order.number})
    return f"{path}?{urlencode({'key': order_access_token(order)})}"


@require_http_methods(["GET", "POST"])
def sandbox_checkout(request, charge_id: str):
    """The provider's hosted card page. Pay decides the charge and sends the reader back
    to the shop; the shop learns the outcome from the webhook, not from this redirect.
    A charge the shop closed (its order was cancelled or expired) takes no money."""
    _sandbox_enabled()
    charge = sandbox_charge(charge_id=charge_id)
    if charge is None:
        raise Http404
    error = ""
    if request.method == "POST":
        if request.POST.get("action") != "pay":
            return redirect(_back_to_shop(charge))
        try:
            sandbox_charge_pay(charge_id=charge.id, card_number=request.POST.get("card_number", ""))
        except PaymentDeclined as declined:
            error = str(declined)
            charge.refresh_from_db()
        else:
            return redirect(_back_to_shop(charge))
    context = {
        "charge": charge,
        "open": charge.status == SandboxChargeStatus.PENDING,
        "closed": charge.status == SandboxChargeStatus.CANCELED,
        "amount": money_format(charge.amount, charge.currency),
        "merchant": settings.WAGTAIL_SITE_NAME,
        "continue_url": _back_to_shop(charge),
        "error": error,
    }
    return render(request, "payments/sandbox_checkout.html", context, status=400 if error else 200)


def _polls(request) -> int:
    value = request.GET.get("polls", "")
    return min(int(value), MAX_POLLS) if value.isdigit() else 0


@require_http_methods(["GET", "POST"])
def sandbox_return(request, payment_id: int):
    """Where the provider sends the reader back. Paid: on to the order's confirmation.
    Not confirmed by a webhook yet: the provider is asked (as real integrations do);
    still unknown, a page that refreshes a limited number of times and then says what
    to do. Declined: a page whose button (POST) starts a new attempt."""
    _sandbox_enabled()
    charge_id = request.GET.get("charge", "")
    payment = payment_for_return(payment_id=payment_id, charge_id=charge_id)
    if payment is None:
        raise Http404
    order = payment.order
    if request.method == "POST":
        return redirect(payment_start(order=order, request=request))
    payment, provider_status = payment_sync(payment_id=payment.pk)
    confirmation_url = _confirmation_url(order)
    if payment.status in PAID and not payment.refund_due:
        messages.success(request, _("Thank you: your payment was received."))
        return redirect(confirmation_url)
    polls = _polls(request)
    if payment.refund_due:
        state = "refund_due"
    elif payment.status == PaymentStatus.FAILED:
        state = "failed"
    elif payment.status == PaymentStatus.CANCELLED:
        state = "closed"
    elif provider_status == "pending":
        state = "not_paid"
    elif polls >= MAX_POLLS:
        state = "unconfirmed"
    else:
        state = "processing"
    context = {
        "payment": payment,
        "order": order,
        "state": state,
        "amount": money_format(payment.amount, payment.currency),
        "confirmation_url": confirmation_url,
        "checkout_url": reverse("payments:sandbox_checkout", kwargs={"charge_id": charge_id}),
        "poll_seconds": POLL_SECONDS,
        "poll_url": f"{request.path}?{urlencode({'charge': charge_id, 'polls': polls + 1})}",
    }
    return render(request, "payments/sandbox_return.html", context)


def _order_for_request(request, number: str) -> Order:
    order = order_for_reader(
        number=number, user=request.user, session_numbers=request.session.get(SESSION_ORDERS, ()),
        token=request.POST.get("key", ""),
    )
    if order is None:
        raise Http404
    return order


@require_POST
def order_pay(request, number: str):
    """"Pay now" on an unpaid order's page: to the provider's page again (the same open
    charge, or a new one after a decline), or back to the order's instructions."""
    order = _order_for_request(request, number)
    try:
        url = payment_start(order=order, request=request)
    except PaymentError as error:
        messages.error(request, str(error))
        return redirect(_confirmation_url(order))
    if url.startswith(reverse("orders:confirmation", kwargs={"number": order.number})):
        return redirect(_confirmation_url(order))
    return redirect(url)


@require_POST
def order_payment_method(request, number: str):
    """The reader switches an unpaid order to another enabled payment method; a card
    goes straight on to the provider's page."""
    order = _order_for_request(request, number)
    try:
        order = order_payment_method_change(order_id=order.pk, method=request.POST.get("payment_method", ""))
    except PaymentError as error:
        messages.error(request, str(error))
        return redirect(_confirmation_url(order))
    messages.success(
        request, _("Your order will now be paid by %(method)s.") % {"method": order.get_payment_method_display()}
    )
    return order_pay(request, number)


@csrf_exempt
@require_POST
def webhook(request, provider: str):
    """Provider webhooks: signed JSON, answered in JSON (see ``webhook_handle``)."""
    status, data = webhook_handle(provider=provider, body=request.body, headers=request.headers)
    return JsonResponse(data, status=status)
