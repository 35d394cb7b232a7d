"""What a search answers, whichever engine found it: Elasticsearch (``search.selectors``)
or the database (``search.fallback``). The page, the API and the tests read only these."""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

KINDS = ("article", "product")
SORTS = ("relevance", "newest", "price", "price_desc")
MAX_QUERY_LENGTH = 200
MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20

# The price facet's buckets, in cents: [from, to). Labels are for readers.
PRICE_RANGES = (
    (None, 10000, _("Under ¥100")),
    (10000, 30000, _("¥100 – ¥300")),
    (30000, 100000, _("¥300 – ¥1,000")),
    (100000, None, _("¥1,000 and over")),
)


def cents(amount: Decimal | None) -> int | None:
    """Yuan → whole cents, exactly (prices have two decimals)."""
    return None if amount is None else int((Decimal(amount) * 100).to_integral_value())


@dataclass(frozen=True)
class SearchFilters:
    """The reader's narrowing choices; ``None`` means "any"."""

    type: str | None = None
    category: str | None = None
    brand: str | None = None
    in_stock: bool | None = None
    price_min: Decimal | None = None
    price_max: Decimal | None = None

    @property
    def price_min_cents(self) -> int | None:
        return cents(self.price_min)

    @property
    def price_max_cents(self) -> int | None:
        return cents(self.price_max)

    def without(self, name: str) -> SearchFilters:
        """These filters minus one facet's own, so that facet counts its alternatives."""
        if name == "price":
            return SearchFilters(self.type, self.category, self.brand, self.in_stock)
        values = {
            "type": self.type, "category": self.category, "brand": self.brand, "in_stock": self.in_stock,
            "price_min": self.price_min, "price_max": self.price_max,
        }
        values[name] = None
        return SearchFilters(**values)


@dataclass(frozen=True)
class ArticleHit:
    id: int
    title: str
    url: str
    intro: str = ""
    image: str = ""
    date: datetime.date | None = None
    category: str = ""
    author: str = ""
    # Safe HTML fragments per field: the text escaped, matches wrapped in <mark>.
    highlight: dict[str, list[str]] = field(default_factory=dict)

    kind = "article"

    def as_json(self) -> dict:
        return {
            "type": self.kind, "id": self.id, "title": self.title, "url": self.url, "intro": self.intro,
            "image": self.image, "date": self.date.isoformat() if self.date else None,
            "category": self.category, "author": self.author, "highlight": self.highlight,
        }


@dataclass(frozen=True)
class ProductHit:
    id: int  # the SKU's primary key: each SKU is its own result
    product_id: int
    sku: str
    title: str
    url: str
    price: Decimal
    in_stock: bool
    featured_count: int = 0
    brand: str = ""
    category: str = ""
    options: str = ""
    image: str = ""
    date: datetime.date | None = None
    highlight: dict[str, list[str]] = field(default_factory=dict)

    kind = "product"

    def as_json(self) -> dict:
        return {
            "type": self.kind, "id": self.id, "product_id": self.product_id, "sku": self.sku,
            "title": self.title, "url": self.url, "price": f"{self.price:.2f}", "in_stock": self.in_stock,
            "featured_count": self.featured_count, "brand": self.brand, "category": self.category,
            "options": self.options, "image": self.image, "highlight": self.highlight,
        }


@dataclass(frozen=True)
class PromotedHit:
    """A page or link editors pinned to a query (Wagtail's promoted search results)."""

    title: str
    url: str
    description: str = ""

    def as_json(self) -> dict:
        return {"title": self.title, "url": self.url, "description": self.description}


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    # Price buckets name their bounds in yuan ("100.00"); other facets leave them empty.
    min: str = ""
    max: str = ""
    # An estimate from the best matches of a broad search, not an exact count.
    approximate: bool = False

    def as_json(self) -> dict:
        data = {"value": self.value, "label": str(self.label), "count": self.count, "approximate": self.approximate}
        if self.min or self.max:
            data.update(min=self.min or None, max=self.max or None)
        return data


def price_facet(counts: list[int]) -> list[FacetValue]:
    """The price buckets in ``PRICE_RANGES`` order, with their counts."""
    values = []
    for (low, high, label), count in zip(PRICE_RANGES, counts, strict=True):
        low_text = f"{Decimal(low) / 100:.2f}" if low is not None else ""
        high_text = f"{Decimal(high) / 100:.2f}" if high is not None else ""
        values.append(FacetValue(f"{low_text}-{high_text}", label, count, low_text, high_text))
    return values


@dataclass
class SearchResults:
    """One page of results. ``hits`` keeps the engine's order across both kinds;
    ``articles`` and ``products`` are the same hits split by kind."""

    total: int
    hits: list[ArticleHit | ProductHit]
    facets: dict[str, list[FacetValue]]
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE
    suggestion: str | None = None
    backend: str = "database"
    notice: str | None = None
    # Editors' picks for the query, shown above the first page's results.
    promoted: list[PromotedHit] = field(default_factory=list)

    @property
    def articles(self) -> list[ArticleHit]:
        return [hit for hit in self.hits if hit.kind == "article"]

    @property
    def products(self) -> list[ProductHit]:
        return [hit for hit in self.hits if hit.kind == "product"]

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(self.total / self.page_size))

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    def as_json(self) -> dict:
        return {
            "total": self.total,
            "page": self.page,
            "page_size": self.page_size,
            "articles": [hit.as_json() for hit in self.articles],
            "products": [hit.as_json() for hit in self.products],
            "facets": {name: [v.as_json() for v in values] for name, values in self.facets.items()},
            "promoted": [hit.as_json() for hit in self.promoted],
            "suggestion": self.suggestion,
            "notice": str(self.notice) if self.notice else None,
            "backend": self.backend,
        }


class InvalidSearch(ValueError):
    """A parameter outside what search accepts; the message is a sentence for people."""
