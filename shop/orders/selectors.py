"""Reading orders for the people allowed to see them."""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db.models import Prefetch, QuerySet

from shop.orders.models import Order, OrderLine

ACCESS_SALT = "haowu.order"
#: Session key: numbers of the orders placed (or looked up) in this browser session.
SESSION_ORDERS = "hw_orders"


def order_access_token(order: Order) -> str:
    """A signed, timestamped token of the order's number: whoever holds it (the buyer,
    from the confirmation e-mail or the guest lookup's e-mail) may view the order for
    ``HAOWU_ORDER_LINK_DAYS`` days. It carries nothing but the number; the signed-in
    owner needs none."""
    return signing.dumps(order.number, salt=ACCESS_SALT)


def _token_number(token: str) -> str | None:
    try:
        number = signing.loads(token, salt=ACCESS_SALT, max_age=timedelta(days=settings.HAOWU_ORDER_LINK_DAYS))
    except signing.BadSignature:  # SignatureExpired included
        return None
    return number if isinstance(number, str) else None


def order_access_token_expired(token: str) -> bool:
    """Whether ``token`` is one of ours that ran out of time (and not a forgery): the
    page then offers a new link instead of a bare 404."""
    try:
        signing.loads(token, salt=ACCESS_SALT, max_age=timedelta(days=settings.HAOWU_ORDER_LINK_DAYS))
    except signing.SignatureExpired:
        return True
    except signing.BadSignature:
        return False
    return False


def order_from_access_token(token: str) -> Order | None:
    """The order a token names, or ``None`` for a tampered, foreign or expired token."""
    number = _token_number(token)
    if number is None:
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
