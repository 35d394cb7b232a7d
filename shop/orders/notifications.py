"""Messages to buyers. Called after commit (``transaction.on_commit(partial(...))``),
never while rows are locked."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode

from shop.orders.models import Order
from shop.orders.selectors import order_access_token


def order_confirmation_url(order: Order) -> str:
    """The absolute link to the order's page that works from any device: it carries
    the signed access token."""
    path = reverse("orders:confirmation", kwargs={"number": order.number})
    return f"{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}{path}?{urlencode({'key': order_access_token(order)})}"


def order_send_confirmation(order_id: int) -> None:
    """E-mail the buyer the order's summary (text and HTML) with a link to its page."""
    order = Order.objects.prefetch_related("lines").get(pk=order_id)
    context = {
        "order": order,
        "lines": list(order.lines.all()),
        "order_url": order_confirmation_url(order),
        "unpaid_minutes": settings.HAOWU_UNPAID_ORDER_MINUTES,
    }
    subject = " ".join(render_to_string("email/order_confirmation_subject.txt", context).split())
    text = render_to_string("email/order_confirmation.txt", context)
    html = render_to_string("email/order_confirmation.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[order.email])
    message.attach_alternative(html, "text/html")
    message.send()
