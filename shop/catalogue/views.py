from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import redirect, render

from shop.catalogue.models import SKU, Product
from shop.catalogue.selectors import articles_featuring, product_offer


def _moved(*, code: str | None, product: Product | None):
    """The current page of the SKU ``code`` when it belongs to another product than the
    slug named (a link made before a rename, or the old slug now someone else's), else None."""
    if not code:
        return None
    sku = SKU.objects.filter(code=code).select_related("product").first()
    if sku is None or (product is not None and sku.product_id == product.pk):
        return None
    return redirect(sku.product.get_absolute_url() + "?" + urlencode({"sku": code}))


def product_detail(request, slug):
    """The reader's product page. A withdrawn product keeps its page (articles and old
    orders link to it) and says it is no longer available. A link that names a SKU
    (``?sku=CODE``) under a slug that no longer holds it is sent on to the SKU's product."""
    code = request.GET.get("sku")
    product = Product.objects.filter(slug=slug).first()
    if product is None:
        moved = _moved(code=code, product=None)
        if moved is None:
            raise Http404("No such product.")
        return moved
    offer = product_offer(product=product)
    lead = next((s.id for s in offer.skus if s.code == code), None)
    if code and lead is None:
        moved = _moved(code=code, product=product)
        if moved is not None:
            return moved
    offer = offer.with_lead(lead)
    return render(
        request,
        "catalogue/product_detail.html",
        {
            "product": product,
            "offer": offer,
            "card": offer.card(),
            "articles": articles_featuring(product=product),
        },
    )
