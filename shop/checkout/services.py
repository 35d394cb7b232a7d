"""Placing an order: one function, one transaction, never oversells, idempotent."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from functools import partial

from django.conf import settings
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import Count, F, Min
from django.utils import timezone

from shop.attribution.services import credits_for_new_order
from shop.cart.models import Cart, CartLine
from shop.catalogue.models import SKU
from shop.catalogue.signals import stock_changed
from shop.checkout.errors import (
    CheckoutError,
    EmptyCart,
    InvalidQuantity,
    OutOfStock,
    SKUUnavailable,
    TooManyUnpaidOrders,
    UnknownSKU,
)
from shop.checkout.shipping import shipping_price
from shop.money import money_quantize
from shop.orders.models import Order, OrderEvent, OrderLine, OrderStatus, PaymentMethod, StockMovement

MAX_QUANTITY = 99
DEADLOCK_RETRIES = 3


@dataclass(frozen=True)
class CheckoutLine:
    """What the cart asks for. Prices never come from here: they are read from the
    locked SKU rows. The attribution keys say which article link led to the line."""

    sku_code: str
    quantity: int
    article_page_id: int | None = None
    block_id: str = ""
    block_type: str = ""
    position: int | None = None


@dataclass(frozen=True)
class ShippingAddress:
    recipient: str
    phone: str
    city: str
    address_line: str
    province: str = ""
    district: str = ""
    postcode: str = ""
    country: str = "CN"


#: No 0/O, 1/I/L: a buyer reads the number from a screen or paper and types it back.
ORDER_NUMBER_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
ORDER_NUMBER_RANDOM_LENGTH = 10
ORDER_NUMBER_DRAWS = 10


def order_number(order: Order) -> str:
    """``HW`` + the local date + ten random characters: ``HW20261126K7Q2MX9PRT``.

    Nothing in it counts (no id, no sequence): with 31^10 possibilities a day, knowing
    one's own number says nothing about anyone else's. A number some order already has
    is drawn again, so the unique index never fails a checkout on a collision; orders
    placed before this scheme keep their ``HW`` + date + sequence numbers."""
    prefix = f"HW{timezone.localtime(order.placed_at):%Y%m%d}"
    for _draw in range(ORDER_NUMBER_DRAWS):
        number = prefix + "".join(secrets.choice(ORDER_NUMBER_ALPHABET) for _ in range(ORDER_NUMBER_RANDOM_LENGTH))
        if not Order.objects.filter(number=number).exclude(pk=order.pk).exists():
            return number
    raise AssertionError("ten random order numbers in a row were taken")  # 31^-100: a broken random source


@dataclass(frozen=True)
class CheckoutResult:
    order: Order
    #: False when the key found an order placed earlier (a retry or a double submit):
    #: callers send e-mails and clear carts only for a new order.
    created: bool


def checkout_complete(**kwargs) -> Order:
    """``checkout_place`` for callers that only need the order."""
    return checkout_place(**kwargs).order


def checkout_place(
    *,
    idempotency_key: str,
    lines: list[CheckoutLine],
    email: str,
    address: ShippingAddress,
    shipping_method: str,
    payment_method: str,
    user=None,
    visitor_id: str = "",
) -> CheckoutResult:
    """Place an order for ``lines`` and take its stock, or change nothing.

    Guarantees: the SKU rows are locked in primary-key order (concurrent checkouts
    cannot deadlock each other), every price and total is computed here from those
    rows, stock is decremented with a conditional update and never goes negative, and
    a second call with the same ``idempotency_key`` — during or after the first —
    returns the first call's order. Raises a ``CheckoutError`` subclass (nothing is
    written) for an empty cart, a bad quantity, an unknown, withdrawn or sold-out SKU,
    and ``TooManyUnpaidOrders`` when ``email`` (in any case) already holds
    ``HAOWU_LIMIT_UNPAID_PER_EMAIL`` unpaid orders: counted inside the transaction, under
    a lock on the address on PostgreSQL, so concurrent checkouts cannot pass it together.
    """
    try:
        _validate_lines(lines)
    except CheckoutError:
        # A retry whose cart was emptied by the first, successful call.
        existing = Order.objects.filter(checkout_key=idempotency_key).first()
        if existing is not None:
            return CheckoutResult(existing, created=False)
        raise
    return _committed_once(
        partial(
            _place_new, idempotency_key=idempotency_key, lines=lines, email=email, address=address,
            shipping_method=shipping_method, payment_method=payment_method, user=user, visitor_id=visitor_id,
        ),
        idempotency_key=idempotency_key,
    )


def _place_new(**fields) -> CheckoutResult:
    return CheckoutResult(_place(**fields), created=True)


def _committed_once(place, *, idempotency_key: str) -> CheckoutResult:
    """Run ``place`` (one transaction) until it commits, or answer the order its key placed.

    An ``IntegrityError`` means a request with the same key committed first (a retry, a
    double submit, or a concurrent call that held the key's index entry until it
    committed): that order is the answer, and the key is the transaction's first write,
    so this costs nothing. Without such an order it was a public number drawn by a
    concurrent checkout at the same moment, and a deadlock or serialisation failure (not
    expected with ordered locks) is never shown to a reader either: both try again."""
    for attempt in range(DEADLOCK_RETRIES):
        try:
            return place()
        except IntegrityError:
            existing = Order.objects.filter(checkout_key=idempotency_key).first()
            if existing is not None:
                return CheckoutResult(existing, created=False)
            if attempt == DEADLOCK_RETRIES - 1:
                raise
        except OperationalError:
            if attempt == DEADLOCK_RETRIES - 1:
                raise
    raise AssertionError("unreachable")


def _validate_lines(lines: list[CheckoutLine]) -> None:
    if not lines:
        raise EmptyCart()
    for line in lines:
        if not isinstance(line.quantity, int) or isinstance(line.quantity, bool) or not (
            1 <= line.quantity <= MAX_QUANTITY
        ):
            raise InvalidQuantity(line.sku_code, line.quantity, MAX_QUANTITY)


@transaction.atomic
def _place(*, idempotency_key, lines, email, address, shipping_method, payment_method, user, visitor_id) -> Order:
    now = timezone.now()
    # The key is written first: a concurrent request with the same key waits here on
    # the unique index until this transaction ends, then fails and finds our order.
    order = Order.objects.create(
        checkout_key=idempotency_key, user=user, email=email, visitor_id=visitor_id[:80],
        status=OrderStatus.PENDING_PAYMENT, currency=settings.HAOWU_CURRENCY,
        shipping_method=shipping_method, payment_method=payment_method,
        # Cash on delivery is paid when the parcel arrives: it has no pay-by time.
        placed_at=now, expires_at=None if payment_method == PaymentMethod.COD
        else now + timedelta(minutes=settings.HAOWU_UNPAID_ORDER_MINUTES),
        recipient=address.recipient, phone=address.phone, country=address.country,
        province=address.province, city=address.city, district=address.district,
        address_line=address.address_line, postcode=address.postcode,
    )
    _unpaid_limit_check(email=email, order=order, now=now)

    quantities: dict[str, int] = {}
    for line in lines:
        quantities[line.sku_code] = quantities.get(line.sku_code, 0) + line.quantity
    skus = {
        sku.code: sku
        for sku in SKU.objects.select_for_update()
        .filter(code__in=quantities)
        .select_related("product")
        .order_by("pk")
    }
    for code, quantity in quantities.items():
        sku = skus.get(code)
        if sku is None:
            raise UnknownSKU(code)
        if not (sku.active and sku.product.active):
            raise SKUUnavailable(code)
        if quantity > MAX_QUANTITY:
            raise InvalidQuantity(code, quantity, MAX_QUANTITY)
        if sku.stock < quantity:
            raise OutOfStock(code, quantity, sku.stock)

    order_lines = []
    for line in lines:
        sku = skus[line.sku_code]
        order_lines.append(OrderLine(
            order=order, sku=sku, sku_code=sku.code, product_name=sku.product.title,
            option_label=sku.option_label, unit_price=sku.price, quantity=line.quantity,
            line_total=money_quantize(sku.price * line.quantity),
            article_page_id=line.article_page_id, block_id=line.block_id,
            block_type=line.block_type, position=line.position,
        ))
    OrderLine.objects.bulk_create(order_lines)

    for code in sorted(quantities, key=lambda c: skus[c].pk):
        taken = SKU.objects.filter(pk=skus[code].pk, stock__gte=quantities[code]).update(
            stock=F("stock") - quantities[code]
        )
        if taken != 1:  # impossible under the row lock; refuse rather than oversell
            raise OutOfStock(code, quantities[code], 0)
    stock_changed.send(sender=SKU, sku_ids=sorted(sku.pk for sku in skus.values()))
    StockMovement.objects.bulk_create(
        StockMovement(sku=skus[code], delta=-quantity, reason=StockMovement.Reason.ORDER, order=order)
        for code, quantity in quantities.items()
    )

    order.subtotal = money_quantize(sum((ol.line_total for ol in order_lines), Decimal("0")))
    order.shipping_total = shipping_price(method=shipping_method, subtotal=order.subtotal)
    order.discount_total = Decimal("0.00")
    order.total = money_quantize(order.subtotal + order.shipping_total - order.discount_total)
    order.number = order_number(order)
    order.save(update_fields=["subtotal", "shipping_total", "discount_total", "total", "number"])
    OrderEvent.objects.create(order=order, from_status="", to_status=order.status, actor=user)
    # In the same transaction, so sales and attributed revenue can never disagree.
    credits_for_new_order(order=order, lines=order_lines)
    return order


def _email_lock(email: str) -> None:
    """Serialise checkouts for one e-mail address (any case) until the transaction ends.

    PostgreSQL: a transaction-level advisory lock on a hash of the address, taken before
    any SKU row, so the order of locks stays the same for every checkout. SQLite holds
    one writer at a time already (the order INSERT above took the database's lock)."""
    if connection.vendor != "postgresql":
        return
    digest = hashlib.sha256(f"haowu.unpaid:{email.strip().lower()}".encode()).digest()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [int.from_bytes(digest[:8], "big", signed=True)])


def _unpaid_limit_check(*, email: str, order: Order, now) -> None:
    """Refuse a new order for an address that already holds the most unpaid orders
    allowed: each holds stock until it expires and sends a mail to an address a
    stranger may have typed."""
    limit = settings.HAOWU_LIMIT_UNPAID_PER_EMAIL
    _email_lock(email)
    unpaid = Order.objects.filter(status=OrderStatus.PENDING_PAYMENT, email__iexact=email.strip()).exclude(pk=order.pk)
    summary = unpaid.aggregate(count=Count("pk"), first_expiry=Min("expires_at"))
    if summary["count"] >= limit:
        first = summary["first_expiry"]
        wait = (first - now).total_seconds() if first is not None else 60 * settings.HAOWU_UNPAID_ORDER_MINUTES
        raise TooManyUnpaidOrders(limit=limit, retry_after=max(int(wait), 1))


def checkout_from_cart(
    *, cart, idempotency_key: str, email: str, address: ShippingAddress,
    shipping_method: str, payment_method: str, user=None, visitor_id: str = "",
) -> CheckoutResult:
    """Place the cart's lines as an order (see ``checkout_place``) and empty the cart, in
    one transaction.

    Guarantees: a cart becomes at most one order. The cart row is locked before anything
    is written and its lines are read under that lock, so checkouts of one cart queue: a
    second one with another key (a second tab or device) then finds the cart empty and
    raises ``EmptyCart`` (it never answers with an order it did not ask for); one with the
    same key answers the first order (``created=False``). A retry with the same key after
    new lines were added returns the same order and leaves the cart alone, so those lines
    are not lost. Raises a ``CheckoutError`` subclass, writing nothing, like
    ``checkout_place``."""
    return _committed_once(
        partial(
            _place_cart, cart=cart, idempotency_key=idempotency_key, email=email, address=address,
            shipping_method=shipping_method, payment_method=payment_method, user=user, visitor_id=visitor_id,
        ),
        idempotency_key=idempotency_key,
    )


@transaction.atomic
def _place_cart(*, cart, idempotency_key, **order_fields) -> CheckoutResult:
    # First: the cart's lock (taken before the SKU locks by every checkout, so the order
    # of locks stays the same everywhere). Lines read before it could be gone by now.
    list(Cart.objects.select_for_update().filter(pk=cart.pk).values_list("pk", flat=True))
    lines = [
        CheckoutLine(
            sku_code=line.sku.code, quantity=line.quantity, article_page_id=line.article_page_id,
            block_id=line.block_id, block_type=line.block_type, position=line.position,
        )
        for line in CartLine.objects.filter(cart_id=cart.pk).select_related("sku").order_by("added_at", "pk")
    ]
    if not lines:
        # Emptied by the checkout we waited for: ours if it carried our key.
        existing = Order.objects.filter(checkout_key=idempotency_key).first()
        if existing is not None:
            return CheckoutResult(existing, created=False)
        raise EmptyCart()
    _validate_lines(lines)
    order = _place(idempotency_key=idempotency_key, lines=lines, **order_fields)
    CartLine.objects.filter(cart_id=cart.pk).delete()
    return CheckoutResult(order, created=True)
