"""``GET /api/products/{sku}``: a SKU's price and stock state, as the product page shows it."""

from django.conf import settings
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Schema

from shop.api_schemas import Error
from shop.catalogue.models import SKU, StockState
from shop.catalogue.selectors import offers_for
from shop.money import money_quantize

router = Router()


class ProductOut(Schema):
    sku: str
    product: int
    title: str
    option: str
    price: str
    compare_at_price: str | None
    currency: str
    stock_state: StockState
    #: How many are left, given only while stock is low (the page says "only 3 left").
    stock: int | None
    url: str


@router.get("{sku}", response={200: ProductOut, 404: Error}, summary="Price and stock of a SKU")
def product_detail(request, sku: str):
    """``sku`` is the SKU code (as in cart lines). A withdrawn SKU or product answers with
    ``stock_state: "unavailable"``; an unknown code answers 404."""
    sku_id = SKU.objects.filter(code=sku).values_list("pk", flat=True).first() if "\x00" not in sku else None
    offer = offers_for(sku_ids=[sku_id]).for_sku(sku_id) if sku_id else None
    if offer is None:
        raise Http404(_("There is no product with the code %(code)s.") % {"code": sku})
    lead = offer.lead
    return {
        "sku": lead.code,
        "product": offer.pk,
        "title": offer.title,
        "option": lead.option_label,
        "price": str(money_quantize(lead.price)),
        "compare_at_price": str(money_quantize(lead.compare_at_price)) if lead.compare_at_price is not None else None,
        "currency": settings.HAOWU_CURRENCY,
        "stock_state": offer.state,
        "stock": lead.stock if offer.state == StockState.LOW else None,
        "url": request.build_absolute_uri(offer.url),
    }
