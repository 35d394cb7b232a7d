"""Catalogue writes: operators' stock adjustments and the product form's save."""

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from shop.catalogue.errors import InvalidStockAdjustment, StaleEdit, StockBelowZero
from shop.catalogue.models import SKU, Product
from shop.catalogue.signals import stock_changed
from shop.orders.models import StockMovement


@transaction.atomic
def stock_adjust(*, sku_id: int, delta: int, reason_note: str, actor) -> SKU:
    """Add ``delta`` (negative to take away) to a SKU's stock and record who did it and why.

    Locks the SKU row (``select_for_update``) so it serialises with checkouts and
    cancellations, changes ``stock`` with an ``F()`` update that is conditional on the
    result staying at zero or above, and writes one ``StockMovement`` with reason
    ``adjustment``. Raises ``StockBelowZero`` when the result would be negative,
    ``InvalidStockAdjustment`` for a zero delta or a blank reason (nothing is written),
    and ``SKU.DoesNotExist`` for an unknown id. Returns the SKU with its new stock.
    """
    reason_note = (reason_note or "").strip()
    if isinstance(delta, bool) or not isinstance(delta, int) or delta == 0:
        raise InvalidStockAdjustment(_("An adjustment must add or take away at least one item."))
    if not reason_note:
        raise InvalidStockAdjustment(_("Say why the stock changes: the reason is kept in the history."))

    sku = SKU.objects.select_for_update().get(pk=sku_id)
    if sku.stock + delta < 0:
        raise StockBelowZero(sku.code, sku.stock, delta)
    changed = SKU.objects.filter(pk=sku.pk, stock__gte=-delta if delta < 0 else 0).update(
        stock=F("stock") + delta
    )
    if changed != 1:  # impossible under the row lock; refuse rather than go negative
        raise StockBelowZero(sku.code, sku.stock, delta)
    StockMovement.objects.create(
        sku=sku, delta=delta, reason=StockMovement.Reason.ADJUSTMENT, note=reason_note[:255], actor=actor,
    )
    sku.refresh_from_db(fields=["stock"])
    stock_changed.send(sender=SKU, sku_ids=[sku.pk])
    return sku


def product_edit_lock(*, product_id: int, opened_version: int) -> dict[int, int]:
    """Before a product form saves: lock the product row, then its SKU rows in primary-key
    order, until the caller's transaction ends, and return each SKU's current stock.

    The form must save inside that same transaction and write back these stocks, never
    the ones it read when it was built: sales and adjustments made while it was open are
    kept. Raises ``StaleEdit`` when the product was saved by someone else since the form
    was opened at ``opened_version`` (nothing is locked for long: the caller rolls back).
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("product_edit_lock must run inside the transaction that saves the form.")
    product = Product.objects.select_for_update().only("pk", "title", "version").get(pk=product_id)
    if product.version != opened_version:
        raise StaleEdit(product.title)
    return dict(
        SKU.objects.select_for_update().filter(product_id=product_id).order_by("pk").values_list("pk", "stock")
    )
