"""The number of results is the number of rows a reader can page through: a product with
several matching SKUs is one result (one row listing its SKUs), in Elasticsearch and in
the database alike."""

import pytest

from search.indexing import documents_update
from search.selectors import search_run

pytestmark = pytest.mark.django_db


@pytest.fixture
def towels(product_factory, article_factory):
    sizes = [{"code": f"TW-{size}", "price": price, "stock": 3, "options": {"size": size}}
             for size, price in (("S", "59.00"), ("M", "79.00"), ("L", "99.00"))]
    return {
        "towel": product_factory(title="Cotton Towel", slug="towel", skus=sizes),
        "robe": product_factory(title="Towel Robe", slug="robe",
                                skus=[{"code": "RB-1", "price": "299.00", "stock": 1}]),
        "guide": article_factory(title="The towels we dry with"),
    }


def _rows(results):
    """(title, SKU codes) per result, as the page shows them."""
    rows = []
    for hit in results.hits:
        if hit.kind == "product" and rows and rows[-1][2] == hit.product_id:
            rows[-1][1].append(hit.sku)
        else:
            rows.append((hit.title, [hit.sku] if hit.kind == "product" else [], getattr(hit, "product_id", None)))
    return [(title, skus) for title, skus, _product in rows]


def _count_and_paging(q):
    pages = [search_run(q=q, sort="price", page=n, page_size=2) for n in (1, 2)]
    return pages[0].total, pages[0].num_pages, [_rows(page) for page in pages]


def test_elasticsearch_counts_and_pages_products_not_skus(search_index, towels):
    documents_update(article_ids=[towels["guide"].pk], product_ids=[towels["towel"].pk, towels["robe"].pk])

    total, num_pages, pages = _count_and_paging("towel")

    assert total == 3
    assert num_pages == 2
    assert pages == [
        [("Cotton Towel", ["TW-S", "TW-M", "TW-L"]), ("Towel Robe", ["RB-1"])],
        [("The towels we dry with", [])],
    ]


def test_the_database_counts_and_pages_products_not_skus(settings, towels):
    settings.ELASTICSEARCH_URL = ""

    total, num_pages, pages = _count_and_paging("towel")

    assert total == 3
    assert num_pages == 2
    assert pages == [
        [("Cotton Towel", ["TW-S", "TW-M", "TW-L"]), ("Towel Robe", ["RB-1"])],
        [("The towels we dry with", [])],
    ]


def test_the_page_says_as_many_results_as_it_shows_rows(client, soup, settings, towels):
    settings.ELASTICSEARCH_URL = ""

    page = soup(client.get("/search/", {"q": "towel"}))

    assert page.select_one("#search-summary").get_text(" ", strip=True) == "3 results for “towel”"
    assert len(page.select(".result-list > .result")) == 3


def test_the_api_total_counts_products_and_lists_each_products_skus(client, search_index, towels):
    documents_update(article_ids=[towels["guide"].pk], product_ids=[towels["towel"].pk, towels["robe"].pk])

    answer = client.get("/api/search", {"q": "towel", "type": "product", "sort": "price", "page_size": 1}).json()

    assert answer["total"] == 2
    assert [(p["product_id"], p["sku"]) for p in answer["products"]] == [
        (towels["towel"].pk, "TW-S"), (towels["towel"].pk, "TW-M"), (towels["towel"].pk, "TW-L"),
    ]


def _facet_counts(results):
    return {name: {value.value: value.count for value in values if value.count}
            for name, values in results.facets.items() if name in ("type", "price", "in_stock")}


PRODUCT_FACETS = {
    "type": {"article": 1, "product": 2},
    "price": {"-100.00": 1, "100.00-300.00": 1},
    "in_stock": {"true": 2},
}


def test_elasticsearch_facets_count_products_as_the_results_do(search_index, towels):
    documents_update(article_ids=[towels["guide"].pk], product_ids=[towels["towel"].pk, towels["robe"].pk])

    assert _facet_counts(search_run(q="towel")) == PRODUCT_FACETS


def test_database_facets_count_products_as_the_results_do(settings, towels):
    settings.ELASTICSEARCH_URL = ""

    assert _facet_counts(search_run(q="towel")) == PRODUCT_FACETS
