"""``GET /api/search`` and ``GET /api/suggest``: public reads, no session or CSRF needed.

Both answer from Elasticsearch, or from the database when it is not configured or not
reachable (``backend`` and ``notice`` say so). Parameters outside the rules answer 400
with ``{"message": "<sentence>"}``; values of the wrong type answer 422 (the API's
validation handler).
"""

from decimal import Decimal

from ninja import Query, Router, Schema, Status

from search.results import DEFAULT_PAGE_SIZE, InvalidSearch
from search.selectors import search_run, search_suggest

router = Router()


class Message(Schema):
    message: str


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


class ProductOut(Schema):
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
    products: list[ProductOut]
    #: type, category, brand, price, in_stock: each value with the count it would give.
    facets: dict[str, list[FacetValueOut]]
    #: Pages and links editors promoted for this query (first page only), in their order.
    promoted: list[PromotedOut]
    #: A query to try instead when nothing matched, else null.
    suggestion: str | None
    #: Set when search runs in reduced mode (the database instead of the search server).
    notice: str | None
    backend: str


class SearchParams(Schema):
    q: str = ""
    type: str | None = None
    category: str | None = None
    brand: str | None = None
    in_stock: bool | None = None
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    sort: str = "relevance"
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE


class Suggestion(Schema):
    title: str
    url: str


@router.get("search", auth=None, response={200: SearchOut, 400: Message},
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


@router.get("suggest", auth=None, response={200: list[Suggestion], 400: Message},
            summary="Titles for autocomplete")
def suggest(request, q: str = ""):
    """Up to 8 article and product titles whose words start with what was typed."""
    try:
        return Status(200, search_suggest(q=q))
    except InvalidSearch as error:
        return Status(400, {"message": str(error)})
