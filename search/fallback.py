"""Search in the database, with the same answer shape as Elasticsearch: used when no
``ELASTICSEARCH_URL`` is configured (``make run``) and when the server is unreachable.

Matching is ``icontains`` per word, every word required, over the fields a reader
would expect (title, standfirst, body, author, tags, category; product title, summary,
description, brand, category, options, SKU code); substring matching works for
Chinese without any tokenizer.

An article's body is matched against the plain text Wagtail's database search backend
keeps for the page (``wagtail.search.models.IndexEntry``: the intro, the text of the
StreamField's blocks from ``get_searchable_content`` and the author), never against
the StreamField JSON, whose block names, ids and chosen product ids would match every
article. Product blocks contribute no text there (chooser blocks have none), so the
titles of the products an article features are matched through Wagtail's reference
index, as the Elasticsearch article document carries them. The index entry is written
by Wagtail's post-save handler (a task: at once with the default immediate backend,
later with a worker) and by ``manage.py update_index``; while a page has none (rows
written with ``raw=True``, a queued task, an index never built), its body text is not
found, but its title, intro, author, category, tags and featured products still are,
read from the page's own rows, so no article is ever invisible.

SKU options are a JSON column that SQLite stores with non-ASCII characters escaped
(``\\u4fdd``), so each word is also tried there in its JSON-escaped spelling.

Relevance is a weighted count of the fields a word was found in, the title counting
most and the whole query found in the title most of all (a word of the intro or the
author also counts once as body text: the index entry holds them too). Each kind is
ordered in SQL and only the first ``page * page_size`` keys of each are read and
merged, so a page costs a fixed number of queries whatever the number of results.
"""

from __future__ import annotations

import datetime
import difflib
import heapq
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from decimal import Decimal
from functools import partial
from urllib.parse import urlencode

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _
from wagtail.images import get_image_model
from wagtail.models import Page, ReferenceIndex
from wagtail.search.models import IndexEntry

from content.models import ArticlePage, ArticlePageTag
from search.results import (
    PRICE_RANGES,
    ArticleHit,
    FacetValue,
    ProductHit,
    SearchFilters,
    SearchResults,
    price_facet,
)
from shop.catalogue.models import SKU, Product, ProductImage

IMAGE_SPEC = "fill-160x160"
MAX_TERMS = 8
SNIPPET_CHARS = 160


def _contains(lookup: str, term: str) -> Q:
    return Q(**{f"{lookup}__icontains": term})


# PostgreSQL keeps the index entry's plain text in ``body_text`` (``body`` is a
# tsvector there); SQLite and MySQL keep it in ``body``.
INDEX_TEXT = "body_text" if any(f.name == "body_text" for f in IndexEntry._meta.get_fields()) else "body"


def _article_text(term: str) -> Q:
    """The word in the visible text of the article's body (its search index entry) or in
    the title of a product or SKU the body chooses."""
    page_key = Cast(OuterRef("pk"), CharField())
    indexed = IndexEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(ArticlePage), object_id=page_key,
        **{f"{INDEX_TEXT}__icontains": term},
    )
    featured = ReferenceIndex.objects.filter(
        Q(to_content_type=ContentType.objects.get_for_model(Product),
          to_object_id__in=Product.objects.filter(title__icontains=term).values(key=Cast("pk", CharField())))
        | Q(to_content_type=ContentType.objects.get_for_model(SKU),
            to_object_id__in=SKU.objects.filter(product__title__icontains=term).values(key=Cast("pk", CharField()))),
        base_content_type=ContentType.objects.get_for_model(Page), object_id=page_key,
    )
    return Q(Exists(indexed)) | Q(Exists(featured))


def _options(term: str) -> Q:
    condition = _contains("options", term)
    escaped = json.dumps(term)[1:-1]
    if escaped != term:
        condition |= _contains("options", escaped)
    return condition


# (matcher, weight): where a word may be found and how much finding it there counts.
ARTICLE_FIELDS = (
    (partial(_contains, "title"), 6), (partial(_contains, "intro"), 2), (_article_text, 1),
    (partial(_contains, "author__name"), 1), (partial(_contains, "category__name"), 1),
)
PRODUCT_FIELDS = (
    (partial(_contains, "product__title"), 6), (partial(_contains, "product__brand__name"), 2),
    (_options, 2), (partial(_contains, "code"), 2), (partial(_contains, "product__summary"), 1),
    (partial(_contains, "product__description"), 1), (partial(_contains, "product__category__name"), 1),
)
WHOLE_TITLE_WEIGHT = 10


def query_terms(q: str) -> list[str]:
    """The words of a query, as typed (punctuation included: it is searched as text)."""
    return q.split()[:MAX_TERMS]


def _text_match(fields, terms, extra=None) -> Q:
    """Every term found in at least one field."""
    match = Q()
    for term in terms:
        anywhere = Q()
        for matcher, _weight in fields:
            anywhere |= matcher(term)
        if extra is not None:
            anywhere |= extra(term)
        match &= anywhere
    return match


def _score(fields, terms, q: str, title: str):
    parts = [
        Case(When(matcher(term), then=Value(weight)), default=Value(0), output_field=IntegerField())
        for term in terms for matcher, weight in fields
    ]
    if len(terms) > 1:
        parts.append(Case(When(Q(**{f"{title}__icontains": q}), then=Value(WHOLE_TITLE_WEIGHT)),
                          default=Value(0), output_field=IntegerField()))
    if not parts:
        return Value(0, output_field=IntegerField())
    total = parts[0]
    for part in parts[1:]:
        total = total + part
    return total


def _tag_match(term: str) -> Q:
    return Q(pk__in=ArticlePageTag.objects.filter(tag__name__icontains=term).values("content_object_id"))


def _articles(terms: list[str], filters: SearchFilters) -> QuerySet | None:
    """Live public articles matching the words and filters; None when the filters rule
    articles out (they have no brand, price or stock)."""
    if filters.type not in (None, "article") or filters.brand or filters.in_stock is not None:
        return None
    if filters.price_min is not None or filters.price_max is not None:
        return None
    articles = ArticlePage.objects.live().public()
    if terms:
        articles = articles.filter(_text_match(ARTICLE_FIELDS, terms, _tag_match))
    if filters.category:
        articles = articles.filter(category__slug=filters.category)
    return articles


def _skus(terms: list[str], filters: SearchFilters) -> QuerySet | None:
    """Active SKUs of live products matching the words and filters; None for type=article."""
    if filters.type not in (None, "product"):
        return None
    skus = SKU.objects.filter(active=True, product__active=True)
    if terms:
        skus = skus.filter(_text_match(PRODUCT_FIELDS, terms))
    if filters.category:
        skus = skus.filter(product__category__slug=filters.category)
    if filters.brand:
        skus = skus.filter(product__brand__slug=filters.brand)
    if filters.in_stock is True:
        skus = skus.filter(stock__gt=0)
    elif filters.in_stock is False:
        skus = skus.filter(stock__lte=0)
    if filters.price_min is not None:
        skus = skus.filter(price__gte=filters.price_min)
    if filters.price_max is not None:
        skus = skus.filter(price__lt=filters.price_max)
    return skus


def _moment(value) -> float:
    """Dates and datetimes on one scale, for merging the two kinds by date."""
    if value is None:
        return 0.0
    if not isinstance(value, datetime.datetime):
        value = datetime.datetime.combine(value, datetime.time.min, tzinfo=datetime.UTC)
    elif timezone.is_naive(value):
        value = timezone.make_aware(value, datetime.UTC)
    return value.timestamp()


# Per sort: (article order_by, product order_by, key of an article row, key of a product row).
# Rows are (pk, score, date) for articles and (pk, score, date, price) for products; the
# keys reproduce the SQL order so the two ordered streams merge into one.
ORDERS = {
    "relevance": (
        ("-score", "-date", "-pk"), ("-score", "-product__created_at", "-pk"),
        lambda r: (-r[1], -_moment(r[2]), 0, -r[0]), lambda r: (-r[1], -_moment(r[2]), 1, -r[0]),
    ),
    "newest": (
        ("-date", "-pk"), ("-product__created_at", "-pk"),
        lambda r: (-_moment(r[2]), 0, -r[0]), lambda r: (-_moment(r[2]), 1, -r[0]),
    ),
    # Articles have no price: they follow the products, newest first.
    "price": (
        ("-date", "-pk"), ("price", "pk"),
        lambda r: (1, Decimal(0), -_moment(r[2]), -r[0]), lambda r: (0, r[3], 0.0, r[0]),
    ),
    "price_desc": (
        ("-date", "-pk"), ("-price", "-pk"),
        lambda r: (1, Decimal(0), -_moment(r[2]), -r[0]), lambda r: (0, -r[3], 0.0, -r[0]),
    ),
}


def database_search(*, q: str, filters: SearchFilters, sort: str, page: int, page_size: int,
                    notice: str | None = None) -> SearchResults:
    """One page of results and the facets, from the database. Parameters are already
    valid (``search.selectors.search_run`` checks them)."""
    q = q.strip()
    terms = query_terms(q)
    articles = _articles(terms, filters)
    skus = _skus(terms, filters)
    article_order, product_order, article_key, product_key = ORDERS[sort]
    end = page * page_size

    streams = []
    total = 0
    if articles is not None:
        total += articles.count()
        rows = (articles.annotate(score=_score(ARTICLE_FIELDS, terms, q, "title"))
                .order_by(*article_order).values_list("pk", "score", "date")[:end])
        streams.append([("article", article_key(r), r) for r in rows])
    if skus is not None:
        total += skus.count()
        rows = (skus.annotate(score=_score(PRODUCT_FIELDS, terms, q, "product__title"))
                .order_by(*product_order).values_list("pk", "score", "product__created_at", "price")[:end])
        streams.append([("product", product_key(r), r) for r in rows])
    merged = list(heapq.merge(*streams, key=lambda item: item[1]))[(page - 1) * page_size:end]

    hits = _load_hits(merged, terms)
    return SearchResults(
        total=total, hits=hits, facets=_facets(terms, filters), page=page, page_size=page_size,
        suggestion=database_suggestion(q) if q and not total else None, backend="database", notice=notice,
    )


SUGGESTION_TITLES = 5000


def database_suggestion(q: str) -> str | None:
    """For a miss in words of Latin letters: each unknown word replaced by the closest
    word of a live title (difflib), when that changes anything. Two queries, bounded."""
    words = WORD.findall(q)
    if not words or not all(word.isascii() for word in words):
        return None
    titles = [*ArticlePage.objects.live().public().values_list("title", flat=True)[:SUGGESTION_TITLES],
              *Product.objects.live().values_list("title", flat=True)[:SUGGESTION_TITLES]]
    vocabulary = {word.lower() for title in titles for word in WORD.findall(title)}
    corrected = []
    for word in words:
        near = [] if word.lower() in vocabulary else difflib.get_close_matches(
            word.lower(), vocabulary, n=1, cutoff=0.75)
        corrected.append(near[0] if near else word)
    suggestion = " ".join(corrected)
    return suggestion if suggestion.lower() != " ".join(words).lower() else None


WORD = re.compile(r"\w+")


def _load_hits(merged, terms) -> list[ArticleHit | ProductHit]:
    article_ids = [row[0] for kind, _key, row in merged if kind == "article"]
    sku_ids = [row[0] for kind, _key, row in merged if kind == "product"]
    articles = _article_hits(article_ids, terms)
    products = _product_hits(sku_ids, terms)
    return [
        articles[row[0]] if kind == "article" else products[row[0]]
        for kind, _key, row in merged
        if row[0] in (articles if kind == "article" else products)
    ]


def _image_url(image) -> str:
    if image is None:
        return ""
    try:
        return image.get_rendition(IMAGE_SPEC).url
    except Exception:  # a missing source file must not break a results page
        return ""


def _article_hits(ids: list[int], terms: list[str]) -> dict[int, ArticleHit]:
    if not ids:
        return {}
    pages = (
        ArticlePage.objects.filter(pk__in=ids)
        .select_related("author", "category", "hero_image")
        .prefetch_related(Prefetch("hero_image__renditions",
                                   queryset=get_image_model().get_rendition_model().objects.all(),
                                   to_attr="prefetched_renditions"))
    )
    hits = {}
    for page in pages:
        highlight = {"title": [mark(page.title, terms)]}
        if snippet := _snippet(page.intro, terms):
            highlight["intro"] = [snippet]
        hits[page.pk] = ArticleHit(
            id=page.pk, title=page.title, url=page.url or "", intro=page.intro,
            image=_image_url(page.hero_image), date=page.date,
            category=page.category.name if page.category_id else "",
            author=page.author.name if page.author_id else "", highlight=highlight,
        )
    return hits


def _product_hits(ids: list[int], terms: list[str]) -> dict[int, ProductHit]:
    if not ids:
        return {}
    gallery = Prefetch(
        "product__gallery",
        queryset=ProductImage.objects.select_related("image")
        .prefetch_related(Prefetch("image__renditions",
                                   queryset=get_image_model().get_rendition_model().objects.all(),
                                   to_attr="prefetched_renditions"))
        .order_by("sort_order", "pk"),
    )
    skus = list(
        SKU.objects.filter(pk__in=ids)
        .select_related("product__brand", "product__category")
        .prefetch_related(gallery)
    )
    featured = featured_counts({sku.product_id for sku in skus})
    hits = {}
    for sku in skus:
        product = sku.product
        images = list(product.gallery.all())
        highlight = {"title": [mark(product.title, terms)]}
        if snippet := _snippet(product.summary, terms):
            highlight["description"] = [snippet]
        hits[sku.pk] = ProductHit(
            id=sku.pk, product_id=product.pk, sku=sku.code, title=product.title,
            url=f"{product.get_absolute_url()}?{urlencode({'sku': sku.code})}",
            price=sku.price, in_stock=sku.stock > 0, featured_count=featured.get(product.pk, 0),
            brand=product.brand.name if product.brand_id else "",
            category=product.category.name if product.category_id else "",
            options=sku.option_label, image=_image_url(images[0].image if images else None),
            date=product.created_at.date() if product.created_at else None, highlight=highlight,
        )
    return hits


def featured_counts(product_ids: Iterable[int]) -> dict[int, int]:
    """How many live, public pages choose each product or one of its SKUs (Wagtail's
    reference index, as the product page's "Featured in"). Three queries for any number."""
    product_ids = set(product_ids)
    if not product_ids:
        return {}
    sku_products = dict(SKU.objects.filter(product_id__in=product_ids).values_list("pk", "product_id"))
    references = ReferenceIndex.objects.filter(
        Q(to_content_type=ContentType.objects.get_for_model(Product),
          to_object_id__in=[str(pk) for pk in product_ids])
        | Q(to_content_type=ContentType.objects.get_for_model(SKU),
            to_object_id__in=[str(pk) for pk in sku_products]),
        base_content_type=ContentType.objects.get_for_model(Page),
    ).values_list("to_content_type_id", "to_object_id", "object_id")
    product_type = ContentType.objects.get_for_model(Product).pk
    pages_by_product = defaultdict(set)
    for to_type, to_id, page_id in references:
        product_id = int(to_id) if to_type == product_type else sku_products.get(int(to_id))
        pages_by_product[product_id].add(int(page_id))
    page_ids = set().union(*pages_by_product.values()) if pages_by_product else set()
    live = set(Page.objects.live().public().filter(pk__in=page_ids).values_list("pk", flat=True))
    return {product_id: len(pages & live) for product_id, pages in pages_by_product.items()}


def _facets(terms: list[str], filters: SearchFilters) -> dict[str, list[FacetValue]]:
    """Each facet counts the results of every other filter, so a reader sees the
    alternatives to a choice already made (multi-select facets)."""
    facets = {}

    type_counts = []
    articles = _articles(terms, filters.without("type"))
    skus = _skus(terms, filters.without("type"))
    type_counts.append(FacetValue("article", _("Articles"), articles.count() if articles is not None else 0))
    type_counts.append(FacetValue("product", _("Products"), skus.count() if skus is not None else 0))
    facets["type"] = type_counts

    categories = Counter()
    labels = {}
    articles = _articles(terms, filters.without("category"))
    if articles is not None:
        _count_by(articles, "category", counts=categories, labels=labels)
    skus = _skus(terms, filters.without("category"))
    if skus is not None:
        _count_by(skus, "product__category", counts=categories, labels=labels)
    facets["category"] = _sorted_values(categories, labels)

    brands = Counter()
    labels = {}
    skus = _skus(terms, filters.without("brand"))
    if skus is not None:
        _count_by(skus, "product__brand", counts=brands, labels=labels)
    facets["brand"] = _sorted_values(brands, labels)

    skus = _skus(terms, filters.without("price"))
    counts = [0] * len(PRICE_RANGES)
    if skus is not None:
        buckets = {}
        for i, (low, high, _label) in enumerate(PRICE_RANGES):
            condition = Q()
            if low is not None:
                condition &= Q(price__gte=Decimal(low) / 100)
            if high is not None:
                condition &= Q(price__lt=Decimal(high) / 100)
            buckets[f"r{i}"] = Coalesce(Count("pk", filter=condition), 0)
        answer = skus.aggregate(**buckets)
        counts = [answer[f"r{i}"] for i in range(len(PRICE_RANGES))]
    facets["price"] = price_facet(counts)

    skus = _skus(terms, filters.without("in_stock"))
    stock = {"yes": 0, "no": 0}
    if skus is not None:
        stock = skus.aggregate(yes=Count("pk", filter=Q(stock__gt=0)), no=Count("pk", filter=Q(stock__lte=0)))
    facets["in_stock"] = [FacetValue("true", _("In stock"), stock["yes"]),
                          FacetValue("false", _("Sold out"), stock["no"])]
    return facets


def _count_by(queryset, relation: str, *, counts: Counter, labels: dict) -> None:
    """Add ``queryset``'s rows per ``relation`` (a category or brand: slug → count, one
    grouped query) to ``counts``, and its names to ``labels``."""
    slug, name = f"{relation}__slug", f"{relation}__name"
    rows = queryset.exclude(**{relation: None}).values_list(slug, name).annotate(n=Count("pk"))
    for key, label, count in rows.values_list(slug, name, "n"):
        counts[key] += count
        labels[key] = label


def _sorted_values(counts: Counter, labels: dict) -> list[FacetValue]:
    return [FacetValue(slug, labels[slug], count)
            for slug, count in sorted(counts.items(), key=lambda item: (-item[1], labels[item[0]]))
            if count]


def mark(text: str, terms: list[str]) -> str:
    """``text`` escaped, each occurrence of a term wrapped in ``<mark>`` (case-insensitive)."""
    text = text or ""
    needles = sorted({t for t in terms if t}, key=len, reverse=True)
    if not needles:
        return escape(text)
    pattern = re.compile("|".join(re.escape(t) for t in needles), re.IGNORECASE)
    out, last = [], 0
    for found in pattern.finditer(text):
        out.append(escape(text[last:found.start()]))
        out.append(f"<mark>{escape(found.group())}</mark>")
        last = found.end()
    out.append(escape(text[last:]))
    return "".join(out)


def _snippet(text: str, terms: list[str]) -> str:
    """A short window of ``text`` around the first match, marked; "" when nothing matches."""
    if not text or not terms:
        return ""
    lowered = text.lower()
    positions = [lowered.find(t.lower()) for t in terms if t and t.lower() in lowered]
    if not positions:
        return ""
    start = max(0, min(positions) - SNIPPET_CHARS // 3)
    window = text[start:start + SNIPPET_CHARS]
    prefix = "…" if start else ""
    suffix = "…" if start + SNIPPET_CHARS < len(text) else ""
    return prefix + mark(window, terms) + suffix


def database_suggest(*, q: str, limit: int = 8) -> list[dict]:
    """Titles of live articles and products that start with, then contain, the typed text."""
    q = q.strip()
    if not q:
        return []
    articles = ArticlePage.objects.live().public().filter(title__icontains=q)
    products = Product.objects.live().filter(title__icontains=q)
    starts = Case(When(title__istartswith=q, then=Value(0)), default=Value(1), output_field=IntegerField())
    rows = [
        (rank, title, page.url or "")
        for page, rank, title in (
            (page, page.rank, page.title)
            for page in articles.annotate(rank=starts).order_by("rank", "title")[:limit]
        )
    ]
    rows += [
        (rank, title, reverse_product(slug))
        for rank, title, slug in products.annotate(rank=starts).order_by("rank", "title")
        .values_list("rank", "title", "slug")[:limit]
    ]
    rows.sort(key=lambda row: (row[0], len(row[1]), row[1]))
    seen, answer = set(), []
    for _rank, title, url in rows:
        if url in seen:
            continue
        seen.add(url)
        answer.append({"title": title, "url": url})
    return answer[:limit]


def reverse_product(slug: str) -> str:
    return Product(slug=slug).get_absolute_url()
