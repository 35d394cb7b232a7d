"""schema.org JSON-LD for articles: the Article and a Product with an Offer for every
product the article features (price, currency, availability as the reader sees it)."""

from django.conf import settings

from content.images import CARD_SPEC, HERO_SPEC
from shop.money import money_quantize


def _absolute(request, url):
    return request.build_absolute_uri(url) if request is not None else url


def product_json_ld(offer, request) -> dict:
    product = offer.product
    data = {
        "@type": "Product",
        "name": product.title,
        "url": _absolute(request, product.get_absolute_url()),
    }
    if product.summary:
        data["description"] = product.summary
    if product.brand_id:
        data["brand"] = {"@type": "Brand", "name": product.brand.name}
    if offer.lead:
        data["sku"] = offer.lead.code
    if offer.image:
        data["image"] = _absolute(request, offer.image.get_rendition(CARD_SPEC).url)
    if offer.price is not None:
        data["offers"] = {
            "@type": "Offer",
            "price": str(money_quantize(offer.price)),
            "priceCurrency": settings.HAOWU_CURRENCY,
            "availability": offer.schema_availability,
            "url": _absolute(request, offer.url),
        }
    return data


def article_json_ld(*, page, offers, request) -> dict:
    article = {
        "@type": "Article",
        "headline": page.title,
        "description": page.intro,
        "inLanguage": page.language,
        "datePublished": page.date.isoformat(),
        "url": _absolute(request, page.url),
        "mainEntityOfPage": _absolute(request, page.url),
        "publisher": {"@type": "Organization", "name": settings.WAGTAIL_SITE_NAME},
    }
    if page.last_published_at:
        article["dateModified"] = page.last_published_at.isoformat()
    if page.author_id:
        article["author"] = {"@type": "Person", "name": page.author.name}
    if page.hero_image_id:
        article["image"] = _absolute(request, page.hero_image.get_rendition(HERO_SPEC).url)
    graph = [article] + [product_json_ld(offer, request) for offer in offers]
    return {"@context": "https://schema.org", "@graph": graph}
