"""schema.org JSON-LD for the catalogue: a Product with an Offer for every SKU, the
breadcrumb trail that leads to it, and the one way such data reaches a page.

Every address is the canonical one (``shop.canonical``), never the request's host.
"""

import json

from django.conf import settings
from django.utils.html import _json_script_escapes, format_html
from django.utils.safestring import SafeString, mark_safe

from shop.catalogue.models import sku_page_url
from shop.catalogue.selectors import ProductOffer
from shop.money import money_quantize
from shop.seo import canonical_url

#: The product page's largest gallery rendition (``catalogue/product_detail.html``), so
#: the address search engines fetch is one the page has already made.
PRODUCT_IMAGE_SPEC = "fill-1200x1200"


def json_ld_script(data: dict, *, nonce: str = "") -> SafeString:
    """A ``<script type="application/ld+json">`` element holding ``data``. ``<``, ``>`` and
    ``&`` are escaped as in Django's ``json_script``, so no title or summary can close the
    element or open markup; the result parses back to exactly ``data``."""
    payload = json.dumps(data, ensure_ascii=False, sort_keys=True).translate(_json_script_escapes)
    if nonce:
        return format_html('<script type="application/ld+json" nonce="{}">{}</script>', nonce, mark_safe(payload))
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')


def breadcrumb_list(trail: list[tuple[str, str]]) -> dict:
    """A BreadcrumbList of ``(name, path)`` pairs, first to last, with canonical URLs."""
    return {
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": name, "item": canonical_url(path)}
            for position, (name, path) in enumerate(trail, start=1)
        ],
    }


def price_text(price) -> str:
    """A price as schema.org wants it: a plain decimal string with two places (``"129.00"``)."""
    return str(money_quantize(price))


def product_json_ld(*, offer: ProductOffer) -> dict:
    """The Product of a product page: every gallery image, the brand, and one Offer per
    SKU (its code, GTIN when set, price, currency and availability as a reader sees it)."""
    product = offer.product
    data = {
        "@type": "Product",
        "name": product.title,
        "url": canonical_url(product.get_absolute_url()),
        "offers": [
            {
                "@type": "Offer",
                "sku": sku.code,
                **({"gtin": sku.gtin} if sku.gtin else {}),
                "price": price_text(sku.price),
                "priceCurrency": settings.HAOWU_CURRENCY,
                "availability": sku.schema_availability,
                "itemCondition": "https://schema.org/NewCondition",
                "url": canonical_url(sku_page_url(slug=product.slug, code=sku.code)),
            }
            for sku in offer.skus
        ],
    }
    if offer.images:
        data["image"] = [canonical_url(image.get_rendition(PRODUCT_IMAGE_SPEC).url) for image in offer.images]
    if product.summary:
        data["description"] = product.summary
    if product.brand_id:
        data["brand"] = {"@type": "Brand", "name": product.brand.name}
    if len(offer.skus) == 1:
        (sku,) = offer.skus
        data["sku"] = sku.code
        if sku.gtin:
            data["gtin"] = sku.gtin
    return data
