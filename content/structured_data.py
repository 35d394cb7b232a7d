"""schema.org JSON-LD for articles: the Article, its breadcrumb trail, and a Product with
an Offer for every product the article features (price, currency, availability as the
reader sees it). Every address is the canonical one (``shop.seo.canonical_url``)."""

from django.conf import settings
from django.templatetags.static import static
from django.utils.http import urlencode

from content.images import CARD_SPEC, HERO_SPEC
from shop.catalogue.structured_data import breadcrumb_list, price_text
from shop.seo import canonical_url

#: The publisher's logo (a 512×512 PNG of the seal): Google wants a raster image.
PUBLISHER_LOGO = "img/logo.png"


def publisher_json_ld() -> dict:
    return {
        "@type": "Organization",
        "name": settings.WAGTAIL_SITE_NAME,
        "url": canonical_url("/"),
        "logo": {"@type": "ImageObject", "url": canonical_url(static(PUBLISHER_LOGO)), "width": 512, "height": 512},
    }


def product_json_ld(offer) -> dict:
    product = offer.product
    data = {
        "@type": "Product",
        "name": product.title,
        "url": canonical_url(product.get_absolute_url()),
    }
    if product.summary:
        data["description"] = product.summary
    if product.brand_id:
        data["brand"] = {"@type": "Brand", "name": product.brand.name}
    if offer.lead:
        data["sku"] = offer.lead.code
        if offer.lead.gtin:
            data["gtin"] = offer.lead.gtin
    if offer.image:
        data["image"] = canonical_url(offer.image.get_rendition(CARD_SPEC).url)
    if offer.price is not None:
        data["offers"] = {
            "@type": "Offer",
            "price": price_text(offer.price),
            "priceCurrency": settings.HAOWU_CURRENCY,
            "availability": offer.schema_availability,
            "url": canonical_url(offer.url),
        }
    return data


def author_path(*, index_path: str, author) -> str:
    """The article index narrowed to one author: the page that lists their articles."""
    return f"{index_path}?{urlencode({'author': author.slug})}"


def article_json_ld(*, page, path: str, trail: list[tuple[str, str]], offers) -> dict:
    """``path`` is the article's own path and ``trail`` its ``(title, path)`` ancestors
    from the home page down, the article included."""
    url = canonical_url(path)
    article = {
        "@type": "Article",
        "headline": page.title,
        "description": page.intro,
        "inLanguage": page.language,
        "datePublished": page.date.isoformat(),
        "url": url,
        "mainEntityOfPage": url,
        "publisher": publisher_json_ld(),
    }
    if page.last_published_at:
        article["dateModified"] = page.last_published_at.isoformat()
    if page.author_id:
        index_path = trail[-2][1] if len(trail) > 1 else "/"
        article["author"] = {
            "@type": "Person", "name": page.author.name,
            "url": canonical_url(author_path(index_path=index_path, author=page.author)),
        }
    if page.hero_image_id:
        article["image"] = canonical_url(page.hero_image.get_rendition(HERO_SPEC).url)
    graph = [article, breadcrumb_list(trail)] + [product_json_ld(offer) for offer in offers]
    return {"@context": "https://schema.org", "@graph": graph}
