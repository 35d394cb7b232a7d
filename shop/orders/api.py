"""``GET /api/orders/{number}?email=``: an order's status for its buyer.

The buyer proves it with the order's e-mail address (any case) or by being its
signed-in owner. Anyone else gets the same 404 as for a number that does not exist,
and a client address with ``HAOWU_LIMIT_ORDER_LOOKUP`` failed lookups gets 429 until
its window passes (``RateLimited``, answered by the API's handler)."""

from datetime import datetime

from django.conf import settings
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Schema

from shop.api_schemas import Error, TooMany
from shop.limits import RateLimited, limit_hit, limit_reached
from shop.orders.models import Order, OrderStatus, PaymentMethod, ShippingMethod
from shop.orders.selectors import order_for_lookup

router = Router()


class OrderLineOut(Schema):
    sku: str
    title: str
    option: str
    quantity: int
    unit_price: str
    line_total: str


class OrderOut(Schema):
    number: str
    status: OrderStatus
    status_label: str
    currency: str
    subtotal: str
    shipping_total: str
    discount_total: str
    total: str
    refunded_total: str
    placed_at: datetime
    pay_by: datetime | None
    paid_at: datetime | None
    lines: list[OrderLineOut]
    shipping_method: ShippingMethod
    payment_method: PaymentMethod
    carrier: str
    tracking_number: str


def _buyers_order(request, number: str, email: str) -> Order | None:
    if "\x00" in number or "\x00" in email:
        return None
    if request.user.is_authenticated:
        owned = Order.objects.filter(number=number, user=request.user).first()
        if owned is not None:
            return owned
    return order_for_lookup(number=number, email=email) if email else None


@router.get("{number}", response={200: OrderOut, 404: Error, 429: TooMany}, summary="An order's status for its buyer")
def order_detail(request, number: str, email: str = ""):
    rate = settings.HAOWU_LIMIT_ORDER_LOOKUP
    verdict = limit_reached(request, name="order_lookup", rate=rate)
    if verdict.limited:
        raise RateLimited(verdict.retry_after)
    order = _buyers_order(request, number, email)
    if order is None:
        limit_hit(request, name="order_lookup", rate=rate)
        raise Http404(_("There is no order with this number and e-mail address."))
    return {
        "number": order.number,
        "status": order.status,
        "status_label": order.get_status_display(),
        "currency": order.currency,
        "subtotal": str(order.subtotal),
        "shipping_total": str(order.shipping_total),
        "discount_total": str(order.discount_total),
        "total": str(order.total),
        "refunded_total": str(order.refunded_total),
        "placed_at": order.placed_at,
        "pay_by": order.expires_at if order.status == OrderStatus.PENDING_PAYMENT else None,
        "paid_at": order.paid_at,
        "lines": [
            {
                "sku": line.sku_code, "title": line.product_name, "option": line.option_label,
                "quantity": line.quantity, "unit_price": str(line.unit_price),
                "line_total": str(line.line_total),
            }
            for line in order.lines.order_by("pk")
        ],
        "shipping_method": order.shipping_method,
        "payment_method": order.payment_method,
        "carrier": order.carrier,
        "tracking_number": order.tracking_number,
    }
