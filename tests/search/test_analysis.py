"""The analysis, end to end against the server: Chinese bigrams with single characters,
English stemming, phrase order and title prefixes."""

import pytest

from search.client import search_client
from search.indexing import documents_update

pytestmark = pytest.mark.django_db


def TITLE(text):  # noqa: N802 - reads like the query it builds
    """How the search service queries a title: pairs and single characters together."""
    return {"multi_match": {"query": text, "fields": ["title", "title.chars"], "type": "most_fields"}}


def _titles(alias, query):
    hits = search_client().search(index=alias, query=query, size=20)["hits"]["hits"]
    return [hit["_source"]["title"] for hit in hits]


def _products(product_factory, *titles):
    products = [product_factory(title=title, slug=f"p-{n}") for n, title in enumerate(titles)]
    documents_update(product_ids=[p.pk for p in products])
    return products


@pytest.mark.parametrize("query", ["保温杯", "保温", "杯"])
def test_chinese_queries_find_the_vacuum_mug(search_index, product_factory, query):
    _products(product_factory, "不锈钢保温杯 500ml", "竹制砧板")

    assert _titles(search_index, TITLE(query)) == ["不锈钢保温杯 500ml"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [("mug", "Enamel Mugs"), ("mugs", "Enamel Mugs"), ("towel", "Linen Towels"),
     ("towels", "Linen Towels"), ("box", "Bento Boxes"), ("boxes", "Bento Boxes")],
)
def test_english_singular_and_plural_find_each_other(search_index, product_factory, query, expected):
    _products(product_factory, "Enamel Mugs", "Linen Towels", "Bento Boxes")

    assert _titles(search_index, {"match": {"title": query}}) == [expected]


def test_full_width_letters_match_ascii(search_index, product_factory):
    _products(product_factory, "ＭＵＧ 马克杯")

    assert _titles(search_index, {"match": {"title": "mug"}}) == ["ＭＵＧ 马克杯"]


def test_characters_in_order_rank_above_scattered_ones(search_index, product_factory):
    # given one title with 保温杯 in order and one holding the same characters apart
    _products(product_factory, "杯垫 保护套 温度计", "真空保温杯")

    # when a reader searches 保温杯 with a plain match
    titles = _titles(search_index, TITLE("保温杯"))

    # then the title with the characters in order comes first, and a phrase query
    # finds only that one
    assert titles == ["真空保温杯", "杯垫 保护套 温度计"]
    assert _titles(search_index, {"match_phrase": {"title": "保温杯"}}) == ["真空保温杯"]


@pytest.mark.parametrize(("typed", "expected"), [("保", "保温杯"), ("保温", "保温杯"), ("mu", "Mugs Set"), ("Mug", "Mugs Set")])
def test_title_prefix_completes_what_is_typed(search_index, product_factory, typed, expected):
    _products(product_factory, "保温杯", "Mugs Set", "Towel")

    query = {"match": {"title.prefix": {"query": typed, "operator": "and"}}}
    assert _titles(search_index, query) == [expected]
