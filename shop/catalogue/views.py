import re

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from shop.catalogue.models import SKU, Product, sku_page_url
from shop.catalogue.selectors import articles_featuring, product_offer
from shop.catalogue.structured_data import PRODUCT_IMAGE_SPEC, breadcrumb_list, product_json_ld
from shop.seo import share_meta


def _moved(*, code: str, product: Product | None):
    """A redirect to the SKU ``code``'s own product when it exists and is not ``product``
    (a link made before a rename, or the old slug now someone else's), else None."""
    sku = SKU.objects.filter(code=code).select_related("product").first()
    if sku is None or (product is not None and sku.product_id == product.pk):
        return None
    return redirect(sku_page_url(slug=sku.product.slug, code=code))


#: What a signed buy-link token may look like (``Signer`` output: base64url, ``.`` and
#: ``:``); anything else is dropped before it reaches the page.
_LINK_TOKEN = re.compile(r"[A-Za-z0-9_\-.:]{1,400}")


def _link_token(request) -> str:
    """The article link's token (``?t=``) an ``/go/…?add=1`` landing carries: the
    add-to-cart form posts it back, and the cart checks its signature and SKU (the
    catalogue does not read attribution tokens)."""
    token = request.GET.get("t", "")
    return token if _LINK_TOKEN.fullmatch(token) else ""


def product_detail(request, slug):
    """The reader's product page. A withdrawn product keeps its page (articles and old
    orders link to it) and says it is no longer available. A link that names a SKU
    (``?sku=CODE``) under a slug that no longer holds it is sent on to the SKU's product.
    A buy link's ``?add=1`` landing (``&t=TOKEN``) puts the token in the add-to-cart form."""
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
            "link_token": _link_token(request),
            "share": share_meta(
                title=offer.title, description=offer.product.summary, path=product.get_absolute_url(),
                language=get_language() or "", kind="product",
                image_url=offer.image.get_rendition(PRODUCT_IMAGE_SPEC).url if offer.image else "",
                image_alt=offer.title,
            ),
            "json_ld": {
                "@context": "https://schema.org",
                "@graph": [product_json_ld(offer=offer), breadcrumb_list(_trail(offer.product))],
            },
        },
    )


def _trail(product: Product) -> list[tuple[str, str]]:
    """Home › the product's category (search narrowed to it) › the product."""
    trail = [(_("Home"), "/")]
    if product.category_id:
        trail.append((product.category.name, reverse("search:search") + "?" + urlencode({"category": product.category.slug})))
    trail.append((product.title, product.get_absolute_url()))
    return trail
