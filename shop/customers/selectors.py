"""Reads about the reader behind a request."""

from django.db.models import Sum

from shop.attribution.visitors import consent_banner_needed
from shop.cart.services import cart_for_request


def cart_count(*, request) -> int:
    """Items in the reader's cart: one query for a reader with a cart, none without."""
    cart = cart_for_request(request)
    if cart is None:
        return 0
    return cart.lines.aggregate(total=Sum("quantity"))["total"] or 0


def reader_session(*, request) -> dict:
    """The personal parts of a page, which cached pages leave out: who is signed in, how
    many items the cart holds and whether the consent question is still open."""
    user = request.user
    return {
        "signed_in": user.is_authenticated,
        "name": (user.get_full_name() or user.get_username()) if user.is_authenticated else "",
        "cart_count": cart_count(request=request),
        "consent_needed": consent_banner_needed(request),
    }
