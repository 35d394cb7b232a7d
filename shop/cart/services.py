"""Cart changes. Carts take no stock; they refuse what could not be bought right now
(unknown or withdrawn SKUs, quantities outside 1–99 or above the stock)."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from shop.cart.models import Cart, CartLine
from shop.catalogue.models import SKU
from shop.checkout.errors import InvalidQuantity, OutOfStock, SKUUnavailable, UnknownSKU
from shop.checkout.services import MAX_QUANTITY


@dataclass(frozen=True)
class Attribution:
    article_page_id: int | None = None
    block_id: str = ""
    block_type: str = ""
    position: int | None = None


def _check_quantity(code: str, quantity) -> None:
    if not isinstance(quantity, int) or isinstance(quantity, bool) or not 1 <= quantity <= MAX_QUANTITY:
        raise InvalidQuantity(code, quantity, MAX_QUANTITY)


def _buyable_sku(code: str) -> SKU:
    sku = SKU.objects.select_related("product").filter(code=code).first()
    if sku is None:
        raise UnknownSKU(code)
    if not (sku.active and sku.product.active):
        raise SKUUnavailable(code)
    return sku


@transaction.atomic
def cart_line_add(*, cart: Cart, sku_code: str, quantity: int, attribution: Attribution | None = None) -> CartLine:
    """Add ``quantity`` of a SKU (added to an existing line of the same SKU). The line
    keeps the attribution of the first add. Raises a ``CheckoutError`` subclass."""
    _check_quantity(sku_code, quantity)
    sku = _buyable_sku(sku_code)
    attribution = attribution or Attribution()
    line, created = CartLine.objects.select_for_update().get_or_create(
        cart=cart, sku=sku,
        defaults={"quantity": quantity, **attribution.__dict__},
    )
    total = quantity if created else line.quantity + quantity
    _check_quantity(sku_code, total)
    if total > sku.stock:
        raise OutOfStock(sku_code, total, sku.stock)
    if not created:
        CartLine.objects.filter(pk=line.pk).update(quantity=F("quantity") + quantity)
        line.refresh_from_db()
    Cart.objects.filter(pk=cart.pk).update(updated_at=timezone.now())
    return line


@transaction.atomic
def cart_line_set_quantity(*, cart: Cart, line_id: int, quantity: int) -> CartLine:
    line = CartLine.objects.select_for_update().select_related("sku").get(cart=cart, pk=line_id)
    _check_quantity(line.sku.code, quantity)
    if quantity > line.sku.stock:
        raise OutOfStock(line.sku.code, quantity, line.sku.stock)
    line.quantity = quantity
    line.save(update_fields=["quantity"])
    Cart.objects.filter(pk=cart.pk).update(updated_at=timezone.now())
    return line


def cart_line_remove(*, cart: Cart, line_id: int) -> None:
    CartLine.objects.filter(cart=cart, pk=line_id).delete()
    Cart.objects.filter(pk=cart.pk).update(updated_at=timezone.now())


@transaction.atomic
def cart_merge(*, source: Cart, target: Cart) -> Cart:
    """Move a guest cart's lines into the account's cart on sign-in; quantities of the
    same SKU add up (capped at the stock and the per-line maximum). Nothing is lost:
    the guest cart is deleted only after its lines are moved."""
    if source.pk == target.pk:
        return target
    existing = {line.sku_id: line for line in target.lines.select_for_update().select_related("sku")}
    for line in source.lines.select_related("sku"):
        if line.sku_id in existing:
            kept = existing[line.sku_id]
            kept.quantity = min(kept.quantity + line.quantity, MAX_QUANTITY, max(line.sku.stock, kept.quantity))
            kept.save(update_fields=["quantity"])
        else:
            line.cart = target
            line.save(update_fields=["cart"])
    source.delete()
    Cart.objects.filter(pk=target.pk).update(updated_at=timezone.now())
    return target



SESSION_KEY = "hw_cart"


def cart_for_request(request, *, create: bool = False) -> Cart | None:
    """The reader's cart: the account's when signed in, else the one whose token is in
    the session. An expired guest cart is dropped (the reader starts afresh). With
    ``create`` a missing cart is made (and remembered in the session)."""
    from shop.cart.selectors import cart_is_expired

    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        cart = Cart.objects.filter(user=user).first()
        if cart is None and create:
            cart, _ = Cart.objects.get_or_create(user=user)
        return cart
    token = request.session.get(SESSION_KEY)
    cart = Cart.objects.filter(token=token, user=None).first() if token else None
    if cart is not None and cart_is_expired(cart):
        cart.delete()
        cart = None
    if cart is None and create:
        cart = Cart.objects.create()
        request.session[SESSION_KEY] = str(cart.token)
    return cart


def cart_attach_to_user(*, request, user) -> Cart | None:
    """Call right after a reader signs in: the guest cart of this session is merged into
    the account's cart, so nothing added before signing in is lost."""
    token = request.session.pop(SESSION_KEY, None)
    guest = Cart.objects.filter(token=token, user=None).first() if token else None
    if guest is None:
        return Cart.objects.filter(user=user).first()
    account, _ = Cart.objects.get_or_create(user=user)
    return cart_merge(source=guest, target=account)


def cart_clear(*, cart: Cart) -> None:
    """Empty the cart after its order was placed."""
    cart.lines.all().delete()
