"""How many times one client may add to a cart: each add can create a cart and a
session row, so a script fetching the CSRF cookie once must not add at will. Shared by
the cart page's form, the API and an article's buy link posted to ``/go/``."""

from django.conf import settings

from shop.limits import limit_enforce


def cart_add_limit_enforce(request) -> None:
    """Count one add against ``HAOWU_LIMIT_CART`` for the client address; raises
    ``RateLimited`` when over. Cache only: no query."""
    limit_enforce(request, name="cart-add", rate=settings.HAOWU_LIMIT_CART)
