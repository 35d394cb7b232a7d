"""Every search query: the reader's search with facets, and autocomplete.

Elasticsearch answers when ``ELASTICSEARCH_URL`` is set; with no URL the database does
(``search.fallback``), and when the server cannot be reached or refuses the query the
database answers too, with a notice, so the search page never fails because of search.

Reader text only ever goes into ``multi_match``/``match``/``match_phrase`` queries, which
analyse it as text: quotes, brackets, backslashes or ``*:*`` mean nothing special
(``query_string`` would parse them, so it is never used).
"""

from __future__ import annotations

import dataclasses
import datetime
import difflib
import hashlib
import json
import logging
import re
import unicodedata
from decimal import Decimal
from html import escape, unescape

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _
from elastic_transport import TransportError
from elasticsearch import ApiError
from elasticsearch_dsl import MultiSearch, Search
from elasticsearch_dsl import Q as EQ
from wagtail.contrib.search_promotions.models import SearchPromotion
from wagtail.models import Page
from wagtail.search.utils import normalise_query_string

from search.client import search_client
from search.fallback import database_search, database_suggest
from search.results import (
    DEFAULT_PAGE_SIZE,
    KINDS,
    MAX_PAGE_SIZE,
    MAX_QUERY_LENGTH,
    PRICE_RANGES,
    SORTS,
    ArticleHit,
    FacetValue,
    InvalidSearch,
    ProductHit,
    PromotedHit,
    SearchFilters,
    SearchResults,
    price_facet,
)
from shop.catalogue.models import Brand, Category

logger = logging.getLogger(__name__)

# Where a reader's words are looked for, and how much a match in each field weighs. Each
# text field has a ``.chars`` subfield of single characters (see search.documents):
# pairs of characters in order weigh more than the same characters anywhere. A query
# with no CJK characters skips the subfields: its words are analysed the same way in
# both, so they would find the same documents for twice the work.
WEIGHTS = {
    "title": 4, "intro": 2, "body": 1, "author": 1, "category": 1.5, "tags_text": 1.5, "products": 1,
    "brand": 2, "options": 1.5, "description": 1,
}
TEXT_FIELDS = [*(f"{name}^{weight}" for name, weight in WEIGHTS.items()), "sku^3"]
CHARS_FIELDS = [f"{name}.chars^{weight / 2}" for name, weight in WEIGHTS.items()]
# Han, kana and Hangul: the scripts the analysis splits into characters and pairs.
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f\uac00-\ud7af]")
# The titles of the articles featuring a product raise a product that matches already,
# never find one on their own: "guide" would otherwise find every product an article
# called "… guide" features (and the database search finds none of them either).
FEATURED_BOOST = 0.5
# Three words in four must match in a field: 保温杯 (保 温 杯) does not find every 杯,
# while a one- or two-word query needs only one.
MINIMUM_MATCH = "75%"
# The title holding the query's characters in order outranks one where they are scattered.
TITLE_PHRASE_BOOST = 5
MAX_RESULT_WINDOW = 10_000
FACET_SIZE = 30
# Values one facet aggregation returns: every type, stock and price value, and the
# categories and brands of a large catalogue (each facet shows its FACET_SIZE largest).
FACET_VALUES = 1000
FACET_CACHE_SECONDS = 60
# Facets count the best FACET_SAMPLE matches of each facet's scope (a sampler
# aggregation). A server spends per matching document and per aggregation: counting
# every match of a broad search cost osmem five times a whole match_all. A scope with
# no more matches than the sample is counted exactly; a larger one is estimated from
# the sample, scaled to its size, and marked approximate. An empty search box
# (browsing by filters alone, where the best matches are no sample at all) counts every
# document, and keeps its counts for FACET_BROWSE_CACHE_SECONDS.
FACET_SAMPLE = 500
FACET_BROWSE_CACHE_SECONDS = 600
HIGHLIGHT_FIELDS = ("title", "intro", "body", "description")
HIGHLIGHTED = [*HIGHLIGHT_FIELDS, *(f"{name}.chars" for name in HIGHLIGHT_FIELDS)]
# Relevance is the score alone (a tie-break reads a field of every match); with an empty
# box every score is equal, so relevance means newest first.
SORT_ORDERS = {
    "relevance": ["_score"],
    "newest": [{"date": {"order": "desc"}}, "_score"],
    "price": [{"price_cents": {"order": "asc", "missing": "_last"}}, {"date": {"order": "desc"}}],
    "price_desc": [{"price_cents": {"order": "desc", "missing": "_last"}}, {"date": {"order": "desc"}}],
}
SOURCE_FIELDS = [
    "kind", "title", "url", "image", "date", "intro", "author", "category", "sku", "product_id",
    "brand", "options", "price", "in_stock", "featured_count",
]


def reduced_mode_notice() -> str:
    return _("Search is running in reduced mode: results come from a simpler search and may be "
             "less complete. Please try again later for the full search.")


def search_filters(*, type=None, category=None, brand=None, in_stock=None, price_min=None,
                   price_max=None) -> SearchFilters:
    """Check the filters a reader chose; raises InvalidSearch with a sentence."""
    if type is not None and type not in KINDS:
        raise InvalidSearch(_("Unknown result type “%(type)s”: use article or product.") % {"type": type})
    for bound in (price_min, price_max):
        if bound is not None and Decimal(bound) < 0:
            raise InvalidSearch(_("Prices cannot be negative."))
    if price_min is not None and price_max is not None and Decimal(price_min) > Decimal(price_max):
        raise InvalidSearch(_("The lowest price must not be above the highest."))
    return SearchFilters(
        type=type or None, category=category or None, brand=brand or None, in_stock=in_stock,
        price_min=Decimal(price_min) if price_min is not None else None,
        price_max=Decimal(price_max) if price_max is not None else None,
    )


def _reader_text(q: str | None) -> str:
    """What the reader typed, with control characters (NUL, which PostgreSQL refuses in
    text, tabs, newlines) read as spaces, then stripped; raises InvalidSearch past 200
    characters."""
    q = "".join(" " if unicodedata.category(char) == "Cc" else char for char in (q or "")).strip()
    if len(q) > MAX_QUERY_LENGTH:
        raise InvalidSearch(_("Search for at most %(count)d characters.") % {"count": MAX_QUERY_LENGTH})
    return q


def search_run(*, q: str = "", type: str | None = None, category: str | None = None,
               brand: str | None = None, in_stock: bool | None = None,
               price_min: Decimal | None = None, price_max: Decimal | None = None,
               sort: str = "relevance", page: int = 1, page_size: int = DEFAULT_PAGE_SIZE) -> SearchResults:
    """One page of articles and products matching ``q`` and the filters, with facets.

    Raises InvalidSearch for parameters outside the rules (query over 200 characters,
    unknown type or sort, page < 1, page_size outside 1–100, a page beyond the first
    10,000 results). Never raises because Elasticsearch is down: the database answers
    with ``notice`` set."""
    q = _reader_text(q)
    if any("\x00" in value for value in (category, brand) if value):
        raise InvalidSearch(_("There is no category or brand with that name."))
    if sort not in SORTS:
        raise InvalidSearch(_("Unknown sort “%(sort)s”: use relevance, newest, price or price_desc.")
                            % {"sort": sort})
    if page < 1:
        raise InvalidSearch(_("Pages are numbered from 1."))
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise InvalidSearch(_("Ask for between 1 and %(max)d results a page.") % {"max": MAX_PAGE_SIZE})
    if page * page_size > MAX_RESULT_WINDOW:
        raise InvalidSearch(_("Only the first %(max)d results can be paged through; narrow the search.")
                            % {"max": MAX_RESULT_WINDOW})
    filters = search_filters(type=type, category=category, brand=brand, in_stock=in_stock,
                             price_min=price_min, price_max=price_max)

    client = search_client()
    if client is None:
        results = database_search(q=q, filters=filters, sort=sort, page=page, page_size=page_size)
    else:
        try:
            results = _elasticsearch_search(client, q=q, filters=filters, sort=sort, page=page, page_size=page_size)
        except (TransportError, ApiError):
            logger.warning("Search fell back to the database", exc_info=True)
            results = database_search(q=q, filters=filters, sort=sort, page=page, page_size=page_size,
                                      notice=reduced_mode_notice())
    if q and page == 1:
        results.promoted = search_promotions(q=q)
    return results


def search_promotions(*, q: str) -> list[PromotedHit]:
    """The pages and links editors promoted for ``q`` (Wagtail's promoted search results,
    matched on the normalised query: case and spacing do not matter), in
    their order; pages only while live and public. One query, two when pages are picked."""
    promotions = list(
        SearchPromotion.objects.filter(query__query_string=normalise_query_string(q))
        .select_related("page")
        .order_by("sort_order", "pk")
    )
    page_ids = [promotion.page_id for promotion in promotions if promotion.page_id]
    public = set(Page.objects.live().public().filter(pk__in=page_ids).values_list("pk", flat=True)) if page_ids else set()
    hits = []
    for promotion in promotions:
        if promotion.page_id:
            if promotion.page_id in public:
                hits.append(PromotedHit(promotion.page.title, promotion.page.url, promotion.description))
        elif promotion.external_link_url:
            hits.append(PromotedHit(promotion.external_link_text or promotion.external_link_url,
                                    promotion.external_link_url, promotion.description))
    return hits


def search_suggest(*, q: str, limit: int = 8) -> list[dict]:
    """Up to ``limit`` titles (with their URLs) whose words start with what was typed,
    one per title. Falls back to the database like ``search_run``; raises InvalidSearch
    for a query over 200 characters."""
    q = _reader_text(q)
    if not q:
        return []
    client = search_client()
    if client is None:
        return database_suggest(q=q, limit=limit)
    search = (
        Search(using=client, index=settings.HAOWU_SEARCH_INDEX)
        .query(EQ("bool", minimum_should_match=1, should=[
            # words starting with what was typed (mu → Mugs, 保温 → 保温杯)
            EQ("match", **{"title.prefix": {"query": q, "operator": "and", "boost": 2}}),
            # Chinese typed from the middle of a title (保温 → 真空保温杯)
            EQ("match_phrase", title={"query": q}),
        ]))
        .source(["title", "url", "kind"])
        .extra(size=limit * 4, track_total_hits=False)
    )
    try:
        response = search.execute()
    except (TransportError, ApiError):
        logger.warning("Suggestions fell back to the database", exc_info=True)
        return database_suggest(q=q, limit=limit)
    answer, seen = [], set()
    for hit in response.hits:
        if hit.title in seen:  # a product's SKUs share its title
            continue
        seen.add(hit.title)
        answer.append({"title": hit.title, "url": hit.url})
        if len(answer) == limit:
            break
    return answer


def _filter_clauses(filters: SearchFilters) -> list:
    clauses = []
    if filters.type:
        clauses.append(EQ("term", kind=filters.type))
    if filters.category:
        clauses.append(EQ("term", category_slug=filters.category))
    if filters.brand:
        clauses.append(EQ("term", brand_slug=filters.brand))
    if filters.in_stock is not None:
        clauses.append(EQ("term", in_stock=filters.in_stock))
    bounds = {}
    if filters.price_min is not None:
        bounds["gte"] = filters.price_min_cents
    if filters.price_max is not None:
        bounds["lt"] = filters.price_max_cents
    if bounds:
        clauses.append(EQ("range", price_cents=bounds))
    return clauses


def _text_query(q: str):
    if not q:
        return EQ("match_all")
    cjk = bool(CJK.search(q))
    featured = {"query": q, "boost": FEATURED_BOOST}
    return EQ(
        "bool",
        must=[EQ("multi_match", query=q, fields=TEXT_FIELDS + CHARS_FIELDS if cjk else TEXT_FIELDS,
                 type="most_fields", minimum_should_match=MINIMUM_MATCH)],
        should=[
            EQ("match_phrase", title={"query": q, "boost": TITLE_PHRASE_BOOST}),
            EQ("match", featured_titles=featured),
            *([EQ("match", **{"featured_titles.chars": {**featured, "boost": FEATURED_BOOST / 2}})] if cjk else []),
        ],
    )


def _scoped_query(q: str, filters: SearchFilters):
    """The reader's text under the filters (in filter context: they narrow, never score)."""
    clauses = _filter_clauses(filters)
    return EQ("bool", must=[_text_query(q)], filter=clauses) if clauses else _text_query(q)


def _counting(search: Search, *, sampled: bool, **terms) -> Search:
    """``search`` with the aggregation that counts facet values over its matches (all of
    them, or with ``sampled`` the best ``FACET_SAMPLE``)."""
    bucket = search.aggs
    if sampled:
        bucket = bucket.bucket("sample", "sampler", shard_size=FACET_SAMPLE)
    bucket.bucket("values", "terms", field="facets", size=FACET_VALUES, **terms)
    return search


def _narrowed(filters: SearchFilters) -> list[str]:
    """The facets the reader narrowed by."""
    chosen = {"type": filters.type, "category": filters.category, "brand": filters.brand, "in_stock": filters.in_stock}
    names = [name for name, value in chosen.items() if value is not None]
    if filters.price_min is not None or filters.price_max is not None:
        names.append("price")
    return names


def _facet_cache_key(q: str, filters: SearchFilters) -> str:
    payload = json.dumps([settings.HAOWU_SEARCH_INDEX, q, dataclasses.asdict(filters)], default=str,
                         ensure_ascii=False)
    return "search-facets:" + hashlib.sha1(payload.encode()).hexdigest()


def _elasticsearch_search(client, *, q, filters, sort, page, page_size) -> SearchResults:
    """One request, or one multi-search when facets must be counted for narrowed facets.

    Each facet counts under every filter but its own (the query applies to all). Every
    document lists its facet values in one keyword field (``facets``), so the page's own
    search counts every facet with one terms aggregation over its matches; each facet the
    reader narrowed by is counted by one more search, size 0, under the other filters and
    limited to that facet's values (``include``). A server spends per matching document
    and per aggregation or filter pass, so the filters sit inside the query (no
    ``post_filter``, no filter aggregations). Category and brand names come from the
    database."""
    index = settings.HAOWU_SEARCH_INDEX
    search = (
        Search(using=client, index=index)
        .query(_scoped_query(q, filters))
        .sort(*SORT_ORDERS["newest" if sort == "relevance" and not q else sort])
        .source(SOURCE_FIELDS)
        .extra(from_=(page - 1) * page_size, size=page_size, track_total_hits=True)
    )
    if q:
        search = search.highlight_options(
            pre_tags=["<mark>"], post_tags=["</mark>"], encoder="html", fragment_size=120,
            number_of_fragments=1,
        ).highlight(*(HIGHLIGHTED if CJK.search(q) else HIGHLIGHT_FIELDS))
    # Facets depend on the query and filters only: the next page or another sort of the
    # same search reuses them instead of counting again.
    cache_key = _facet_cache_key(q, filters)
    counts = cache.get(cache_key)
    narrowed, known = [], {}
    if counts is None:
        sampled = bool(q)
        search = _counting(search, sampled=sampled)
        for name in _narrowed(filters):
            # A reader who narrowed by a facet usually came from the search without it,
            # whose counts of this facet are the ones wanted: reuse them when cached.
            without = cache.get(_facet_cache_key(q, filters.without(name)))
            if without is not None:
                known[name] = without
                continue
            narrowed.append((name, _counting(
                Search(using=client, index=index).query(_scoped_query(q, filters.without(name)))
                .extra(size=0, track_total_hits=True), sampled=sampled, include=f"{name}:.*")))
    if narrowed:
        multi = MultiSearch(using=client, index=index).add(search)
        for _name, counting in narrowed:
            multi = multi.add(counting)
        response, *narrowed_responses = multi.execute()
    else:
        response, narrowed_responses = search.execute(), []
    total = response.hits.total.value
    if counts is None:
        scopes = {"": (total, response.aggregations.to_dict())}
        for (name, _counting_search), answer in zip(narrowed, narrowed_responses, strict=True):
            scopes[name] = (answer.hits.total.value, answer.aggregations.to_dict())
        counts = _facet_counts(scopes, known=known)
        cache.set(cache_key, counts, FACET_CACHE_SECONDS if q else FACET_BROWSE_CACHE_SECONDS)

    hits = [_hit(hit) for hit in response.hits]
    suggestion = _suggestion(client, q) if q and total == 0 else None
    return SearchResults(
        total=total, hits=hits, facets=_facets(counts), page=page, page_size=page_size,
        suggestion=suggestion, backend="elasticsearch",
    )


_MARK = re.compile(r"(</?mark>)")


def _safe_fragment(fragment: str) -> str:
    """A highlight fragment as the server sent it (text escaped by ``encoder: html``,
    matches in <mark>) rebuilt so that nothing but balanced <mark> tags can reach a page:
    every other part is unescaped and escaped again, so whatever the server sent is text.
    Exact and much cheaper than parsing each fragment as HTML."""
    out, open_marks = [], 0
    for part in _MARK.split(fragment):
        if part == "<mark>":
            open_marks += 1
            out.append(part)
        elif part == "</mark>":
            if open_marks:
                open_marks -= 1
                out.append(part)
        else:
            out.append(escape(unescape(part)))
    out.extend(["</mark>"] * open_marks)
    return "".join(out)


def _safe_fragments(fragments) -> list[str]:
    return [_safe_fragment(str(f)) for f in fragments]


def _hit(hit) -> ArticleHit | ProductHit:
    meta = hit.meta
    highlight = {}
    if "highlight" in meta:
        found = meta.highlight.to_dict()
        for name in HIGHLIGHT_FIELDS:  # the pairs' fragment if any, else the characters'
            fragments = found.get(name) or found.get(f"{name}.chars")
            if fragments:
                highlight[name] = _safe_fragments(fragments)
    doc_id = int(str(meta.id).rsplit("-", 1)[-1])
    date = _date(getattr(hit, "date", None))
    if hit.kind == "article":
        return ArticleHit(
            id=doc_id, title=hit.title, url=hit.url, intro=getattr(hit, "intro", "") or "",
            image=getattr(hit, "image", "") or "", date=date, category=getattr(hit, "category", "") or "",
            author=getattr(hit, "author", "") or "", highlight=highlight,
        )
    return ProductHit(
        id=doc_id, product_id=int(getattr(hit, "product_id", 0) or 0), sku=hit.sku, title=hit.title,
        url=hit.url, price=Decimal(hit.price), in_stock=bool(hit.in_stock),
        featured_count=int(getattr(hit, "featured_count", 0) or 0), brand=getattr(hit, "brand", "") or "",
        category=getattr(hit, "category", "") or "", options=getattr(hit, "options", "") or "",
        image=getattr(hit, "image", "") or "", date=date, highlight=highlight,
    )


def _date(value):
    if not value:
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _estimate(count: int, scale: float) -> int:
    """A sampled count scaled to its whole scope, to two significant digits (≈1,200)."""
    if scale == 1 or count == 0:
        return count
    estimate = count * scale
    digits = max(0, len(str(round(estimate))) - 2)
    return max(1, int(round(estimate, -digits)))


def _facet_counts(scopes: dict[str, tuple[int, dict]], *, known: dict[str, dict] | None = None) -> dict:
    """The aggregations as plain counts (cacheable), category and brand names included;
    ``approximate`` names the facets whose counts are estimates from a sample.

    ``scopes``: the page's search (key ``""``) and each narrowed facet's own, as (number
    of matches, aggregations). ``known``: narrowed facets already counted, as the cached
    counts of the search without that facet."""
    known = known or {}
    approximate = [name for name, counts in known.items() if name in counts.get("approximate", ())]

    def counted(name: str) -> dict[str, int]:
        """One facet's value → count, from its own search if the reader narrowed by it."""
        if name in known:
            return {}  # taken from the cached counts below
        total, aggs = scopes.get(name, scopes[""])
        sample = aggs.get("sample", {**aggs, "doc_count": total})  # unsampled: every match
        scale = total / sample["doc_count"] if sample["doc_count"] else 1
        if scale != 1:
            approximate.append(name)
        prefix = f"{name}:"
        return {b["key"][len(prefix):]: _estimate(b["doc_count"], scale)
                for b in sample["values"]["buckets"] if b["key"].startswith(prefix)}

    def top(name: str) -> list[tuple[str, int]]:
        return sorted(counted(name).items(), key=lambda item: (-item[1], item[0]))[:FACET_SIZE]

    categories, brands = top("category"), top("brand")
    category_names = dict(Category.objects.filter(slug__in=[k for k, _n in categories])
                          .values_list("slug", "name")) if categories else {}
    brand_names = dict(Brand.objects.filter(slug__in=[k for k, _n in brands])
                       .values_list("slug", "name")) if brands else {}
    types, prices, stock = counted("type"), counted("price"), counted("in_stock")
    counts = {
        "type": {kind: types.get(kind, 0) for kind in KINDS},
        "category": [(slug, category_names.get(slug, slug), n) for slug, n in categories],
        "brand": [(slug, brand_names.get(slug, slug), n) for slug, n in brands],
        "price": [prices.get(f"r{i}", 0) for i in range(len(PRICE_RANGES))],
        "in_stock": [stock.get("true", 0), stock.get("false", 0)],
    }
    counts.update({name: other[name] for name, other in known.items()})
    return {**counts, "approximate": sorted(set(approximate))}


def _facets(counts: dict) -> dict[str, list[FacetValue]]:
    approximate = set(counts.get("approximate", ()))

    def marked(name: str, values: list[FacetValue]) -> list[FacetValue]:
        return [dataclasses.replace(v, approximate=True) for v in values] if name in approximate else values

    facets = {
        "type": [FacetValue("article", _("Articles"), counts["type"].get("article", 0)),
                 FacetValue("product", _("Products"), counts["type"].get("product", 0))],
        "category": sorted((FacetValue(*value) for value in counts["category"]), key=lambda v: (-v.count, v.label)),
        "brand": sorted((FacetValue(*value) for value in counts["brand"]), key=lambda v: (-v.count, v.label)),
        "price": price_facet(counts["price"]),
        "in_stock": [FacetValue("true", _("In stock"), counts["in_stock"][0]),
                     FacetValue("false", _("Sold out"), counts["in_stock"][1])],
    }
    return {name: marked(name, values) for name, values in facets.items()}


def _suggestion(client, q: str) -> str | None:
    """When nothing matches: the query with each misspelt word replaced by the nearest
    word of the closest title (fuzzy match), or that title itself when the words cannot
    be paired (Chinese); None when nothing comes near."""
    search = (
        Search(using=client, index=settings.HAOWU_SEARCH_INDEX)
        .query(EQ("multi_match", query=q, fields=["title^2", "title.chars", "brand", "category"],
                  fuzziness="AUTO"))
        .source(["title"])
        .extra(size=1, track_total_hits=False)
    )
    response = search.execute()
    if not response.hits:
        return None
    title = response.hits[0].title
    title_words = [w.lower() for w in WORD.findall(title)]
    words = WORD.findall(q)
    if words and all(w.isascii() for w in words):
        corrected = []
        for word in words:
            if word.lower() in title_words:
                corrected.append(word)
                continue
            near = difflib.get_close_matches(word.lower(), title_words, n=1, cutoff=0.6)
            corrected.append(near[0] if near else word)
        suggestion = " ".join(corrected)
        if suggestion.lower() != " ".join(words).lower():
            return suggestion
    return title if title.lower() != q.lower() else None


WORD = re.compile(r"\w+")
