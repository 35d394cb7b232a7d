"""Reading orders for the people allowed to see them."""

from django.core import signing
from django.db.models import Prefetch, QuerySet

from shop.orders.models import Order, OrderLine

ACCESS_SALT = "haowu.order"
#: Session key: numbers of the orders placed (or looked up) in this browser session.
SESSION_ORDERS = "hw_orders"


def order_access_token(order: Order) -> str:
    """A signed token of the order's number: whoever holds it (the buyer, from the
    confirmation e-mail or the guest lookup) may view the order. It never expires, and
    it carries nothing but the number."""
    return signing.dumps(order.number, salt=ACCESS_SALT)


def order_from_access_token(token: str) -> Order | None:
    """The order a token names, or ``None`` for a tampered, foreign or stale token."""
    try:
        number = signing.loads(token, salt=ACCESS_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(number, str):
        return None
    return _with_lines(Order.objects.filter(number=number)).first()


def _with_lines(queryset: QuerySet) -> QuerySet:
    return queryset.prefetch_related(Prefetch("lines", queryset=OrderLine.objects.order_by("pk")))


def order_for_reader(*, number: str, user=None, session_numbers=(), token: str = "") -> Order | None:
    """The order ``number`` if this reader may see it: its signed-in owner, a browser
    session that placed or looked it up, or the holder of its access token. ``None``
    otherwise — the caller answers 404 and reveals nothing about whether it exists."""
    order = _with_lines(Order.objects.filter(number=number)).first()
    if order is None:
        return None
    if user is not None and user.is_authenticated and order.user_id == user.pk:
        return order
    if number in session_numbers:
        return order
    if token:
        by_token = order_from_access_token(token)
        if by_token is not None and by_token.pk == order.pk:
            return order
    return None


def order_for_lookup(*, number: str, email: str) -> Order | None:
    """The guest lookup: the order only when both its number and its e-mail match."""
    return Order.objects.filter(number=number.strip().upper(), email__iexact=email.strip()).first()


def orders_for_user(*, user) -> QuerySet:
    """A signed-in customer's orders, newest first."""
    return Order.objects.filter(user=user).exclude(number=None).order_by("-placed_at", "-pk")
