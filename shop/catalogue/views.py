from django.shortcuts import get_object_or_404, render

from shop.catalogue.models import Product
from shop.catalogue.selectors import articles_featuring, product_offer


def product_detail(request, slug):
    """The reader's product page. A withdrawn product keeps its page (articles and old
    orders link to it) and says it is no longer available."""
    product = get_object_or_404(Product, slug=slug)
    offer = product_offer(product=product)
    offer = offer.with_lead(next((s.id for s in offer.skus if s.code == request.GET.get("sku")), None))
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
