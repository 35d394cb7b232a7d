from django import template

from shop.customers.selectors import cart_count

register = template.Library()


@register.inclusion_tag("customers/includes/header_links.html", takes_context=True)
def reader_links(context):
    """The header's cart link (with the number of items) and the account link. On a page
    the page cache may share (``request.page_cache``) they are the same for every reader
    and static/js/session.js fills them in; elsewhere (the cart, accounts, signed-in
    readers) they are rendered in place: one query for a reader with a cart."""
    request = context.get("request")
    if request is None or getattr(request, "page_cache", False):
        return {"request": request, "cart_count": 0, "signed_in": False}
    user = getattr(request, "user", None)
    return {
        "request": request,
        "cart_count": cart_count(request=request),
        "signed_in": bool(user is not None and user.is_authenticated),
    }
