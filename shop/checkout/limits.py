"""How many checkouts one client may place: each new order holds stock until it is paid
or expires, and sends a confirmation e-mail. Shared by the checkout page and the API."""

from django.conf import settings

from shop.limits import limit_enforce
from shop.orders.models import Order


def checkout_limit_enforce(request, *, checkout_key: str) -> None:
    """Count a checkout against ``HAOWU_LIMIT_CHECKOUT``; raises ``RateLimited`` when over.

    A retry of a key that already placed its order is not a new checkout: it is never
    counted nor refused, so a double submit or a lost answer still finds its order.
    Guests are counted per client address. A signed-in buyer is counted per account
    instead: many honest buyers share one address behind a carrier's or an office's NAT,
    and an account is one identity however many addresses it uses. The unpaid orders
    of one e-mail address are limited for both, by the checkout service."""
    if Order.objects.filter(checkout_key=checkout_key).exists():
        return
    user = getattr(request, "user", None)
    key = f"user:{user.pk}" if user is not None and user.is_authenticated else None
    limit_enforce(request, name="checkout", rate=settings.HAOWU_LIMIT_CHECKOUT, key=key)
