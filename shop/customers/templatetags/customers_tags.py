from django import template
from django.db.models import Sum

from shop.cart.services import cart_for_request

register = template.Library()


@register.inclusion_tag("customers/includes/header_links.html", takes_context=True)
def reader_links(context):
    """The header's cart link (with the number of items) and the account link. One
    query for a reader with a cart, none for a first-time visitor."""
    request = context.get("request")
    count = 0
    user = getattr(request, "user", None)
    if request is not None:
        cart = cart_for_request(request)
        if cart is not None:
            count = cart.lines.aggregate(total=Sum("quantity"))["total"] or 0
    return {"cart_count": count, "user": user, "request": request}
