"""What the search index holds: the analysis, the two document kinds and their builders.

One index (behind an alias, see ``search.indexing``) holds both kinds; ``kind`` tells
them apart and ids are ``article-<page pk>`` / ``sku-<sku pk>``. Field names are a
contract with ``search.selectors``: change both together.

Analysis works on stock Elasticsearch (no plugins). ``haowu_text``: the standard
tokenizer splits Chinese into single characters, ``cjk_bigram`` adds the overlapping
pairs and keeps the singles (保温杯 → 保 保温 温 温杯 杯), so a one-character query
still matches and a query whose characters stand in order scores the pairs too; the
Porter stemmer folds English plurals (mugs → mug, boxes → box, towels → towel). Every
text field also has ``.chars`` (single characters, stemmed words); query both.
``title.prefix`` indexes the leading edges of each word/run for autocomplete.
"""

from __future__ import annotations

import hashlib
import json
import time
from decimal import Decimal
from html import unescape
from types import SimpleNamespace
from urllib.parse import urlencode

from django.db.models import Prefetch
from django.utils.html import strip_tags
from elasticsearch_dsl import (
    Boolean,
    Date,
    Document,
    Index,
    Integer,
    Keyword,
    Long,
    Text,
    analyzer,
    token_filter,
    tokenizer,
)

from content.models import ArticlePage
from search.results import PRICE_RANGES
from shop.catalogue.models import SKU, Product, ProductImage, option_values
from shop.catalogue.selectors import articles_featuring_products

cjk_bigram_with_unigrams = token_filter("haowu_cjk_bigram", "cjk_bigram", output_unigrams=True)

haowu_text = analyzer(
    "haowu_text",
    tokenizer="standard",
    filter=["cjk_width", "lowercase", cjk_bigram_with_unigrams, "porter_stem"],
)
# Single characters on their own subfield (``<field>.chars``): osmem-server indexes only
# the pairs whatever ``output_unigrams`` says, and on Elasticsearch the subfield lets a
# query weigh "characters present" below "pairs present" explicitly.
haowu_chars = analyzer(
    "haowu_chars",
    tokenizer="standard",
    filter=["cjk_width", "lowercase", "porter_stem"],
)

# Autocomplete: every leading edge of each run of letters or digits (保 保温 保温杯,
# m mu mug mugs), matched by the whole typed words (保温, mug) at search time.
haowu_prefix = analyzer(
    "haowu_prefix",
    tokenizer=tokenizer(
        "haowu_edge", "edge_ngram", min_gram=1, max_gram=20, token_chars=["letter", "digit"],
    ),
    filter=["cjk_width", "lowercase"],
)
haowu_prefix_search = analyzer(
    "haowu_prefix_search",
    tokenizer="whitespace",
    filter=["cjk_width", "lowercase"],
)


def _text(**fields):
    return Text(analyzer=haowu_text, fields={"chars": Text(analyzer=haowu_chars), **fields})


class SearchDocument(Document):
    """Fields both kinds share."""

    kind = Keyword()
    title = _text(
        prefix=Text(analyzer=haowu_prefix, search_analyzer=haowu_prefix_search),
        raw=Keyword(),
    )
    url = Keyword(index=False)
    image = Keyword(index=False)
    date = Date()
    category = _text()
    category_slug = Keyword()
    category_name = Keyword()
    # Every facet value the document counts under, as "<facet>:<value>" (type:product,
    # category:<slug>, brand:<slug>, in_stock:true, price:r<PRICE_RANGES index>): one
    # terms aggregation counts every facet at once (see search.selectors).
    facets = Keyword(multi=True)
    # A hash of every other field, so `search_index check` can tell a stale document.
    digest = Keyword(index=False)


class ArticleDocument(SearchDocument):
    intro = _text()
    body = _text()
    author = _text(raw=Keyword())
    tags = Keyword()
    tags_text = _text()
    products = _text()
    product_count = Integer()


class SkuDocument(SearchDocument):
    sku = Keyword()
    product_id = Integer()
    brand = _text()
    brand_slug = Keyword()
    brand_name = Keyword()
    options = _text()
    description = _text()
    price = Keyword(index=False)
    price_cents = Long()
    in_stock = Boolean()
    featured_count = Integer()
    featured_titles = _text()


def search_index_definition(name: str) -> Index:
    """The index ``name`` with Haowu's analysis and both document mappings."""
    index = Index(name)
    index.settings(number_of_shards=1, number_of_replicas=0)
    index.document(ArticleDocument)
    index.document(SkuDocument)
    return index


# Builders: database rows → document dicts, for many rows at a time in a fixed number
# of queries. Each dict carries its ``_id`` (article-<page pk>, sku-<sku pk>) for the
# bulk helpers, which move it out of the document source.

TEXT_BLOCKS = {"heading", "paragraph", "quote"}


def _plain(html: str) -> str:
    return " ".join(unescape(strip_tags(html or "")).split())


def _list_items(raw) -> list:
    """A ListBlock's raw value: plain values (older format) or ``{"type": "item", "value": …}``."""
    return [item.get("value") if isinstance(item, dict) and "value" in item else item for item in raw or []]


def _ref(value) -> int | None:
    return value if isinstance(value, int) else (int(value) if isinstance(value, str) and value.isdigit() else None)


def body_text(raw_body) -> str:
    """The plain text a reader reads in an article body: headings, paragraphs, quotes."""
    parts = []
    for child in raw_body:
        value = child.get("value")
        if child.get("type") == "heading":
            parts.append((value or {}).get("text", ""))
        elif child.get("type") == "paragraph":
            parts.append(_plain(value))
        elif child.get("type") == "quote":
            parts.extend([(value or {}).get("quote", ""), (value or {}).get("attribution", "")])
    return "\n".join(part for part in parts if part)


def body_product_refs(raw_body) -> tuple[set[int], set[int]]:
    """(product ids, SKU ids) the shop blocks of a raw body choose, read from the stored
    JSON so a batch of articles costs no query per block (``stream_product_refs`` in
    content.blocks reads the same from loaded block values)."""
    product_ids, sku_ids = set(), set()
    for child in raw_body:
        kind, value = child.get("type"), child.get("value") or {}
        if kind == "product_card":
            product_ids.add(_ref(value.get("product")))
            sku_ids.add(_ref(value.get("sku")))
        elif kind in ("product_grid", "comparison_table"):
            product_ids.update(_ref(v) for v in _list_items(value.get("products")))
        elif kind == "shop_the_look":
            sku_ids.update(_ref((spot or {}).get("sku")) for spot in _list_items(value.get("hotspots")))
    product_ids.discard(None)
    sku_ids.discard(None)
    return product_ids, sku_ids


def _digest(document: dict) -> str:
    payload = json.dumps(document, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha1(payload.encode()).hexdigest()


def read_version() -> int:
    """The version of documents built from what the database holds now: the time in
    microseconds, taken *before* the rows are read. Writes carry it as an external
    version, so of two writes of one document the one read later wins whichever
    arrives last (a rebuild's batch sent after an editor's update cannot undo it).
    Processes on several machines need clocks in step to well under a save's time."""
    return time.time_ns() // 1000


def _finish(doc_id: str, document: dict, version: int) -> dict:
    document["digest"] = _digest(document)
    document["_id"] = doc_id
    document["_version"] = version
    return document


def facet_values(*, kind: str, category_slug: str = "", brand_slug: str = "", in_stock: bool | None = None,
                 cents: int | None = None) -> list[str]:
    """The ``facets`` field of a document (what ``search.selectors`` counts)."""
    values = [f"type:{kind}"]
    if category_slug:
        values.append(f"category:{category_slug}")
    if brand_slug:
        values.append(f"brand:{brand_slug}")
    if in_stock is not None:
        values.append(f"in_stock:{'true' if in_stock else 'false'}")
    if cents is not None:
        values += [f"price:r{i}" for i, (low, high, _label) in enumerate(PRICE_RANGES)
                   if (low is None or cents >= low) and (high is None or cents < high)]
    return values


def _image_url(image) -> str:
    return image.file.url if image is not None and image.file else ""


def article_documents(pages) -> list[dict]:
    """Documents for the live, public articles among ``pages`` (a queryset of
    ArticlePage); drafts, unpublished and private pages give none. Six queries for any
    number of pages."""
    version = read_version()
    pages = list(
        ArticlePage.objects.live().public()
        .filter(pk__in=pages.values("pk"))
        .select_related("author", "category", "hero_image")
        .prefetch_related("tagged_items__tag")
        .order_by("pk")
    )
    # Wagtail caches the site root paths on the object given as ``request``; without
    # one it looks them up again for every page. No real request: no site is "current",
    # so URLs are what ``get_url()`` gives (relative on a single site).
    url_cache = SimpleNamespace(_wagtail_site=None)
    refs = {page.pk: body_product_refs(page.body.raw_data) for page in pages}
    all_products = set().union(*(p for p, _ in refs.values())) if refs else set()
    all_skus = set().union(*(s for _, s in refs.values())) if refs else set()
    sku_products = dict(SKU.objects.filter(pk__in=all_skus).values_list("pk", "product_id"))
    titles = dict(
        Product.objects.filter(pk__in=all_products | set(sku_products.values())).values_list("pk", "title")
    )
    documents = []
    for page in pages:
        product_ids, sku_ids = refs[page.pk]
        featured = product_ids | {sku_products[pk] for pk in sku_ids if pk in sku_products}
        product_titles = sorted(titles[pk] for pk in featured if pk in titles)
        tags = sorted(item.tag.name for item in page.tagged_items.all())
        category = page.category
        documents.append(_finish(f"article-{page.pk}", {
            "kind": "article",
            "title": page.title,
            "url": page.get_url(request=url_cache) or page.url_path,
            "image": _image_url(page.hero_image),
            "date": page.date.isoformat(),
            "intro": page.intro,
            "body": body_text(page.body.raw_data),
            "author": page.author.name if page.author else "",
            "category": category.name if category else "",
            "category_slug": category.slug if category else "",
            "category_name": category.name if category else "",
            "tags": tags,
            "tags_text": " ".join(tags),
            "products": "\n".join(product_titles),
            "product_count": len(product_titles),
            "facets": facet_values(kind="article", category_slug=category.slug if category else ""),
        }, version))
    return documents


def article_document(page) -> dict | None:
    """The document of one article, or None when it is not live and public."""
    documents = article_documents(ArticlePage.objects.filter(pk=page.pk))
    return documents[0] if documents else None


def price_cents(price: Decimal) -> int:
    return int((price * 100).to_integral_value())


def _product_fields(product, articles: list[tuple[int, str]]) -> dict:
    """The fields every SKU of a product shares, computed once per product."""
    brand, category = product.brand, product.category
    gallery = list(product.gallery.all())
    return {
        "kind": "product",
        "title": product.title,
        "image": _image_url(gallery[0].image) if gallery else "",
        "date": product.created_at.isoformat(),
        "category": category.name if category else "",
        "category_slug": category.slug if category else "",
        "category_name": category.name if category else "",
        "product_id": product.pk,
        "brand": brand.name if brand else "",
        "brand_slug": brand.slug if brand else "",
        "brand_name": brand.name if brand else "",
        "description": "\n".join(part for part in (product.summary, _plain(product.description)) if part),
        "featured_count": len(articles),
        "featured_titles": "\n".join(title for _, title in articles),
    }


def sku_documents(skus) -> list[dict]:
    """Documents for the SKUs on sale among ``skus`` (a queryset of SKU): active SKUs of
    active products. Withdrawn ones give none, so the index drops them. Eight queries
    for any number of SKUs; each product's share is built once for all its SKUs."""
    version = read_version()
    skus = list(
        SKU.objects.filter(pk__in=skus.values("pk"), active=True, product__active=True)
        .order_by("pk")
        .values_list("pk", "product_id", "code", "options", "price", "stock", named=True)
    )
    product_ids = {sku.product_id for sku in skus}
    products = (
        Product.objects.filter(pk__in=product_ids)
        .select_related("brand", "category")
        .prefetch_related(Prefetch("gallery", queryset=ProductImage.objects.select_related("image")))
    )
    featured = articles_featuring_products(product_ids=product_ids)
    shared = {product.pk: (product.get_absolute_url(), _product_fields(product, featured.get(product.pk, [])))
              for product in products}
    documents = []
    for sku in skus:
        url, fields = shared[sku.product_id]
        cents, in_stock = price_cents(sku.price), sku.stock > 0
        documents.append(_finish(f"sku-{sku.pk}", {
            **fields,
            "url": f"{url}?{urlencode({'sku': sku.code})}",
            "sku": sku.code,
            "options": " / ".join(option_values(sku.options)),  # as SKU.option_label
            "price": f"{sku.price:.2f}",
            "price_cents": cents,
            "in_stock": in_stock,
            "facets": facet_values(
                kind="product", category_slug=fields["category_slug"], brand_slug=fields["brand_slug"],
                in_stock=in_stock, cents=cents,
            ),
        }, version))
    return documents
