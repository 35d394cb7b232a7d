from django.http import Http404
from django.shortcuts import redirect, render

from shop.catalogue.models import SKU, Product, sku_page_url
from shop.catalogue.selectors import articles_featuring, product_offer


def _moved(*, code: str, product: Product | None):
    """A redirect to the SKU ``code``'s own product when it exists and is not ``product``
    (a link made before a rename, or the old slug now someone else's), else None."""
    sku = SKU.objects.filter(code=code).select_related("product").first()
    if sku is None or (product is not None and sku.product_id == product.pk):
        return None
    return redirect(sku_page_url(slug=sku.product.slug, code=code))


def product_detail(request, slug):
    """The reader's product page. A withdrawn product keeps its page (articles and old
    orders link to it) and says it is no longer available. A link that names a SKU
    (``?sku=CODE``) under a slug that no longer holds it is sent on to the SKU's product."""
    code = request.GET.get("sku")
    product = Product.objects.filter(slug=slug).first()
    offer = product_offer(product=product) if product is not None else None
    lead = next((s.id for s in offer.skus if s.code == code), None) if offer is not None else None
    if code and lead is None:
        moved = _moved(code=code, product=product)
        if moved is not None:
            return moved
    if product is None:
        raise Http404("No such product.")
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
