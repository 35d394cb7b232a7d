"""``GET /api/search`` and ``GET /api/suggest``: public reads, no session or CSRF needed.

Both answer from Elasticsearch, or from the database when it is not configured or not
reachable (``backend`` and ``notice`` say so). A parameter of the wrong type or outside
what the document declares (an unknown ``type`` or ``sort``, a negative price, ``page_size``
over 100) answers 422 (the API's validation handler); combinations outside the rules (a
query over 200 characters, the lowest price above the highest, paging past the first
10,000 results) answer 400 with ``{"message": "<sentence>"}``.
"""

from decimal import Decimal
from typing import Annotated, Literal

from ninja import Query, Router, Schema, Status
from pydantic import Field, WithJsonSchema

from search.results import DEFAULT_PAGE_SIZE, KINDS, MAX_PAGE_SIZE, MAX_QUERY_LENGTH, SORTS, InvalidSearch
from search.selectors import search_run, search_suggest
from shop.api_schemas import Error, InvalidInput

router = Router()


class ArticleOut(Schema):
    type: str
    id: int
    title: str
    url: str
    intro: str
    image: str
    date: str | None
    category: str
    author: str
    highlight: dict[str, list[str]]


class SearchProductOut(Schema):
    """A SKU as search finds it (the catalogue's ``ProductOut`` is the product page's answer)."""


    type: str
    id: int
    product_id: int
    sku: str
    title: str
    url: str
    #: Exact, two decimals ("129.00"), in the site's currency.
    price: str
    in_stock: bool
    #: How many live articles feature the product.
    featured_count: int
    brand: str
    category: str
    options: str
    image: str
    highlight: dict[str, list[str]]


class FacetValueOut(Schema):
    value: str
    label: str
    count: int
    # True: an estimate from the best matches of a broad search, not an exact count.
    approximate: bool = False
    min: str | None = None
    max: str | None = None


class PromotedOut(Schema):
    title: str
    url: str
    description: str


class SearchOut(Schema):
    total: int
    page: int
    page_size: int
    articles: list[ArticleOut]
    products: list[SearchProductOut]
    #: type, category, brand, price, in_stock: each value with the count it would give.
    facets: dict[str, list[FacetValueOut]]
    #: Pages and links editors promoted for this query (first page only), in their order.
    promoted: list[PromotedOut]
    #: A query to try instead when nothing matched, else null.
    suggestion: str | None
    #: Set when search runs in reduced mode (the database instead of the search server).
    notice: str | None
    backend: str


#: What the reader typed. The document states the limit; the selectors check it and answer
#: 400 with a sentence ("Search for at most 200 characters.").
SearchText = Annotated[str, Field(json_schema_extra={"maxLength": MAX_QUERY_LENGTH})]
#: A price bound in yuan, not negative: a number in the query string (pydantic would also
#: document "any string", which is not what is accepted).
PriceBound = Annotated[Decimal, Field(ge=0), WithJsonSchema({"type": "number", "minimum": 0})]


class SearchParams(Schema):
    """Typed as strictly as ``search_run`` checks them (search/selectors.py: KINDS, SORTS,
    MAX_PAGE_SIZE), so the document says what is accepted; a value outside answers 422."""

    q: SearchText = ""
    type: Literal[KINDS] | None = None
    category: str | None = None
    brand: str | None = None
    in_stock: bool | None = None
    price_min: PriceBound | None = None
    price_max: PriceBound | None = None
    sort: Literal[SORTS] = "relevance"
    page: Annotated[int, Field(ge=1)] = 1
    page_size: Annotated[int, Field(ge=1, le=MAX_PAGE_SIZE)] = DEFAULT_PAGE_SIZE


class Suggestion(Schema):
    title: str
    url: str


@router.get("search", auth=None, response={200: SearchOut, 400: Error, 422: InvalidInput},
            summary="Search articles and products")
def search(request, params: Query[SearchParams]):
    """Articles and products together, 20 a page by default (``page_size`` ≤ 100).
    ``type`` is ``article`` or ``product``; ``sort`` is ``relevance``, ``newest``,
    ``price`` or ``price_desc``; ``in_stock`` is ``true`` or ``false``; prices in yuan."""
    try:
        results = search_run(**params.dict())
    except InvalidSearch as error:
        return Status(400, {"message": str(error)})
    return Status(200, results.as_json())


@router.get("suggest", auth=None, response={200: list[Suggestion], 400: Error},
            summary="Titles for autocomplete")
def suggest(request, q: SearchText = ""):
    """Up to 8 article and product titles whose words start with what was typed."""
    try:
        return Status(200, search_suggest(q=q))
    except InvalidSearch as error:
        return Status(400, {"message": str(error)})
