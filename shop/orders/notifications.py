"""Messages to buyers. Called after commit (``transaction.on_commit(partial(...))``),
never while rows are locked; the sending itself is a background task (``shop.mail``),
so a mail server that is down never fails the buyer's request."""

import logging

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode

from shop.mail import mail_compose, mail_queue
from shop.orders.models import Order
from shop.orders.selectors import order_access_token
from shop.seo import canonical_url

logger = logging.getLogger(__name__)


def order_confirmation_url(order: Order) -> str:
    """The absolute link to the order's page that works from any device: it carries
    the signed access token (valid ``HAOWU_ORDER_LINK_DAYS`` days)."""
    path = reverse("orders:confirmation", kwargs={"number": order.number})
    return canonical_url(f"{path}?{urlencode({'key': order_access_token(order)})}")


def order_send_confirmation(order_id: int) -> None:
    """Queue the e-mail of the order's summary (text and HTML) with a link to its page,
    to the order's own address. Never raises: a failure is logged."""
    try:
        order = Order.objects.prefetch_related("lines").get(pk=order_id)
        context = {
            "order": order,
            "lines": list(order.lines.all()),
            "order_url": order_confirmation_url(order),
            "unpaid_minutes": settings.HAOWU_UNPAID_ORDER_MINUTES,
        }
        subject = render_to_string("email/order_confirmation_subject.txt", context)
        mail_queue(mail_compose(to=order.email, subject=subject, template="email/order_confirmation", context=context))
    except Exception:
        logger.exception("Could not queue the confirmation e-mail of order %s", order_id)


def order_send_link(*, order_id: int) -> None:
    """Queue an e-mail with a fresh signed link to the order's page, to the order's own
    address (never to an address someone typed). Never raises: a failure is logged."""
    try:
        order = Order.objects.get(pk=order_id)
        context = {"order": order, "order_url": order_confirmation_url(order), "link_days": settings.HAOWU_ORDER_LINK_DAYS}
        subject = render_to_string("email/order_confirmation_subject.txt", context)
        mail_queue(mail_compose(to=order.email, subject=subject, template="email/order_link", context=context))
    except Exception:
        logger.exception("Could not queue the link e-mail of order %s", order_id)
