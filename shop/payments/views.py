"""The sandbox provider's hosted page, the reader's return page, and provider webhooks."""

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
from shop.payments.errors import PaymentDeclined
from shop.payments.models import PaymentStatus, SandboxCharge, SandboxChargeStatus
from shop.payments.sandbox import sandbox_charge_pay
from shop.payments.selectors import payment_for_return, sandbox_charge
from shop.payments.services import payment_start, webhook_handle

PAID = (PaymentStatus.SUCCEEDED, PaymentStatus.PARTIALLY_REFUNDED, PaymentStatus.REFUNDED)

def _back_to_shop(charge: SandboxCharge) -> str:
    joiner = "&" if "?" in charge.return_url else "?"
    return f"{charge.return_url}{joiner}{urlencode({'charge': charge.id})}"


@require_http_methods(["GET", "POST"])
def sandbox_checkout(request, charge_id: str):
    """The provider's hosted card page. Pay decides the charge and sends the reader back
    to the shop; the shop learns the outcome from the webhook, not from this redirect."""
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
        else:
            return redirect(_back_to_shop(charge))
    context = {
        "charge": charge,
        "open": charge.status == SandboxChargeStatus.PENDING,
        "amount": money_format(charge.amount, charge.currency),
        "merchant": settings.WAGTAIL_SITE_NAME,
        "continue_url": _back_to_shop(charge),
        "error": error,
    }
    return render(request, "payments/sandbox_checkout.html", context, status=400 if error else 200)


@require_http_methods(["GET", "POST"])
def sandbox_return(request, payment_id: int):
    """Where the provider sends the reader back. Paid: on to the order's confirmation.
    Not yet confirmed: a page that refreshes until the webhook arrives. Declined: a
    page whose button (POST) starts a new attempt."""
    charge_id = request.GET.get("charge", "")
    payment = payment_for_return(payment_id=payment_id, charge_id=charge_id)
    if payment is None:
        raise Http404
    order = payment.order
    if request.method == "POST":
        return redirect(payment_start(order=order, request=request))
    confirmation_url = reverse("orders:confirmation", kwargs={"number": order.number})
    if payment.status in PAID and not payment.refund_due:
        messages.success(request, _("Thank you: your payment was received."))
        return redirect(confirmation_url)
    if payment.refund_due:
        state = "refund_due"
    elif payment.status == PaymentStatus.FAILED:
        state = "failed"
    else:
        state = "processing"
    context = {
        "payment": payment,
        "order": order,
        "state": state,
        "amount": money_format(payment.amount, payment.currency),
        "confirmation_url": confirmation_url,
        "checkout_url": reverse("payments:sandbox_checkout", kwargs={"charge_id": charge_id}),
    }
    return render(request, "payments/sandbox_return.html", context)


@csrf_exempt
@require_POST
def webhook(request, provider: str):
    """Provider webhooks: signed JSON, answered in JSON (see ``webhook_handle``)."""
    status, data = webhook_handle(provider=provider, body=request.body, headers=request.headers)
    return JsonResponse(data, status=status)
