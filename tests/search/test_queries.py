"""The reader's search against a real Elasticsearch-compatible server (osmem-server,
or ELASTICSEARCH_URL): Chinese and English, facets, highlight, sort, pages, suggestions."""

import datetime

import pytest

from search.indexing import documents_update
from search.selectors import search_run, search_suggest
from shop.catalogue.models import SKU, Product
from tests.factories import content as body

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(search_index, article_factory, product_factory, category_factory, brand_factory):
    """A small bilingual catalogue and two articles, indexed."""
    kitchen = category_factory(name="厨房 Kitchen", slug="kitchen")
    bath = category_factory(name="浴室 Bath", slug="bath")
    zojirushi = brand_factory(name="象印 Zojirushi", slug="zojirushi")
    muji = brand_factory(name="无印良品 Muji", slug="muji")
    things = {
        "flask": product_factory(title="真空保温杯", slug="flask", category=kitchen, brand=zojirushi,
                                 summary="保温十二小时。",
                                 skus=[{"code": "ZO-480", "price": "199.00", "stock": 8,
                                        "options": {"颜色": "雾蓝", "容量": "480ml"}}]),
        "scattered": product_factory(title="保冷的杯垫和温度计", slug="coaster", category=kitchen, brand=muji,
                                     skus=[{"code": "MU-CO", "price": "29.00", "stock": 0}]),
        "mugs": product_factory(title="Stoneware Mugs", slug="mugs", category=kitchen, brand=muji,
                                summary="Set of two.",
                                skus=[{"code": "MU-MUG", "price": "89.00", "stock": 12}]),
        "towel": product_factory(title="Cotton Bath Towel", slug="towel", category=bath, brand=muji,
                                 skus=[{"code": "MU-TW-S", "price": "59.00", "stock": 3, "options": {"size": "S"}},
                                       {"code": "MU-TW-L", "price": "129.00", "stock": 0,
                                        "options": {"size": "L"}}]),
        "boxes": product_factory(title="Storage Box", slug="box", category=bath, brand=muji,
                                 skus=[{"code": "MU-BOX", "price": "1299.00", "stock": 1}]),
    }
    articles = {
        "commute": article_factory(
            title="通勤保温杯横评", intro="十款保温杯，我们只推荐两款。", category=kitchen,
            date=datetime.date(2025, 5, 1),
            body=[body.paragraph("<p>真空层决定了<b>保温</b>时间。</p>"), body.product_card(things["flask"])],
        ),
        "towels": article_factory(
            title="The towels we dry with", intro="Six towels, washed fifty times.", category=bath,
            date=datetime.date(2025, 6, 1),
            body=[body.paragraph("<p>A towel should dry fast &amp; stay soft.</p>"),
                  body.product_grid([things["towel"], things["mugs"]])],
        ),
    }
    documents_update(article_ids=[a.pk for a in articles.values()],
                     product_ids=[p.pk for p in things.values()])
    return {**things, **articles}


def _titles(results):
    return [hit.title for hit in results.hits]


def test_chinese_words_single_characters_and_characters_in_order(catalogue):
    # a title holding 保温杯 in order outranks one where 保, 温 and 杯 are scattered
    results = search_run(q="保温杯", type="product")
    assert results.backend == "elasticsearch"
    assert _titles(results)[0] == "真空保温杯"
    # two characters and a single character find it too
    assert "真空保温杯" in _titles(search_run(q="保温"))
    assert "真空保温杯" in _titles(search_run(q="杯", type="product"))
    # the article is found by its title and body, options by their values
    assert "通勤保温杯横评" in _titles(search_run(q="保温杯", type="article"))
    assert _titles(search_run(q="雾蓝")) == ["真空保温杯"]


def test_english_plurals_and_singulars_find_each_other(catalogue):
    assert "Stoneware Mugs" in _titles(search_run(q="mug"))
    assert "Cotton Bath Towel" in _titles(search_run(q="towels"))
    assert "The towels we dry with" in _titles(search_run(q="towel"))
    assert _titles(search_run(q="boxes")) == ["Storage Box"]


def test_the_articles_featuring_a_product_raise_it_but_never_find_it_alone(catalogue, article_factory,
                                                                           product_factory):
    # "The towels we dry with" features the mugs: "dry" finds the article, not the mugs
    assert _titles(search_run(q="dry")) == ["The towels we dry with"]
    assert set(_titles(search_run(q="towels", type="product"))) == {"Cotton Bath Towel"}
    # of two napkins that match alike, the one an article about napkins features comes first
    plain = product_factory(title="Linen Napkin Blue", slug="napkin-blue", skus=[{"code": "NP-B"}])
    featured = product_factory(title="Linen Napkin Red", slug="napkin-red", skus=[{"code": "NP-R"}])
    article = article_factory(title="Napkins for a long table", body=[body.product_card(featured)])
    documents_update(article_ids=[article.pk], product_ids=[plain.pk, featured.pk])
    assert _titles(search_run(q="napkin", type="product")) == ["Linen Napkin Red", "Linen Napkin Blue"]
    # and the same for Chinese, whose characters are matched one by one as well
    assert "真空保温杯" not in _titles(search_run(q="通勤"))


def test_products_carry_what_the_reader_needs(catalogue):
    results = search_run(q="towel", type="product", category="bath", sort="price")

    assert [(h.sku, str(h.price), h.in_stock, h.url, h.featured_count) for h in results.products] == [
        ("MU-TW-S", "59.00", True, "/products/towel/?sku=MU-TW-S", 1),
        ("MU-TW-L", "129.00", False, "/products/towel/?sku=MU-TW-L", 1),
    ]
    assert results.articles == []


def test_facets_count_each_choice_under_the_other_filters(catalogue):
    results = search_run(q="", category="bath", in_stock=True)

    assert sorted(_titles(results)) == ["Cotton Bath Towel", "Storage Box"]
    facets = {name: {v.value: v.count for v in values} for name, values in results.facets.items()}
    assert facets["category"] == {"kitchen": 2, "bath": 2}
    assert facets["brand"] == {"muji": 2}
    assert facets["in_stock"] == {"true": 2, "false": 1}
    assert facets["type"] == {"article": 0, "product": 2}
    assert facets["price"] == {"-100.00": 1, "100.00-300.00": 0, "300.00-1000.00": 0, "1000.00-": 1}
    assert {v.value: v.label for v in results.facets["category"]} == {"kitchen": "厨房 Kitchen", "bath": "浴室 Bath"}


def test_a_narrowed_price_and_type_still_count_their_alternatives(catalogue):
    def counts(results, name):
        return {v.value: v.count for v in results.facets[name]}

    everything = search_run(q="")
    narrowed = search_run(q="", price_min="100", price_max="300", type="product")

    assert counts(narrowed, "price") == counts(search_run(q="", type="product"), "price")
    assert counts(narrowed, "type") == counts(search_run(q="", price_min="100", price_max="300"), "type")
    assert counts(narrowed, "type")["product"] == narrowed.total > 0
    # articles have no price: a price range leaves none to count
    assert counts(everything, "type")["article"] > 0 and counts(narrowed, "type")["article"] == 0


def test_a_broad_search_estimates_its_facets_from_its_best_matches_and_says_so(catalogue, monkeypatch, client, soup):
    exact = search_run(q="muji")
    assert exact.total > 2
    assert not any(v.approximate for values in exact.facets.values() for v in values)

    # when the search matches more than the sample holds, the counts are estimates
    monkeypatch.setattr("search.selectors.FACET_SAMPLE", 2)
    from django.core.cache import cache
    cache.clear()
    broad = search_run(q="muji")

    assert broad.total == exact.total  # the number of results stays exact
    assert all(v.approximate for values in broad.facets.values() for v in values)
    types = {v.value: v.count for v in broad.facets["type"]}
    assert all(type(v.count) is int for values in broad.facets.values() for v in values)
    assert abs(sum(types.values()) - broad.total) <= 1  # the sample scaled to the whole
    counts = soup(client.get("/search/", {"q": "muji"})).select(".facet__count")
    assert counts and all(c.get_text().startswith("≈") and c["title"] for c in counts)
    # browsing with an empty box counts every document exactly, whatever the sample
    browsing = search_run(q="", category="bath")
    assert not any(v.approximate for values in browsing.facets.values() for v in values)
    assert {v.value: v.count for v in browsing.facets["brand"]} == {"muji": 3}


def test_a_facet_narrowed_from_a_search_reuses_its_counts_and_they_match_counting_afresh(catalogue):
    from django.core.cache import cache

    def facets(results):
        return {name: {v.value: v.count for v in values} for name, values in results.facets.items()}

    counted_afresh = facets(search_run(q="muji", in_stock=True, category="bath"))
    cache.clear()
    search_run(q="muji", category="bath")  # the search the reader narrowed from
    search_run(q="muji", in_stock=True)
    reused = facets(search_run(q="muji", in_stock=True, category="bath"))

    assert reused == counted_afresh
    assert reused["in_stock"] == {"true": 2, "false": 1}  # bath: towel S, box; sold out: towel L
    assert reused["category"] == {"kitchen": 1, "bath": 2}  # Muji in stock: mugs; towel S, box


def test_filters_by_type_brand_and_price(catalogue):
    assert sorted(_titles(search_run(type="article"))) == ["The towels we dry with", "通勤保温杯横评"]
    assert _titles(search_run(brand="zojirushi")) == ["真空保温杯"]
    assert _titles(search_run(price_min="100", price_max="300", sort="price")) == ["Cotton Bath Towel", "真空保温杯"]


def test_highlight_marks_the_words_and_escapes_everything_else(catalogue, product_factory):
    odd = product_factory(title="<img src=x onerror=alert(1)> Towel rail", slug="rail",
                          skus=[{"code": "RAIL-1"}])
    documents_update(product_ids=[odd.pk])

    results = search_run(q="towel rail", type="product")

    hit = next(h for h in results.products if h.sku == "RAIL-1")
    title = hit.highlight["title"][0]
    assert "<mark>" in title
    assert "<img" not in title
    assert "&lt;img" in title
    article = search_run(q="保温", type="article").articles[0]
    assert any("<mark>" in fragment for fragments in article.highlight.values() for fragment in fragments)


def test_sorts_newest_and_price(catalogue):
    assert _titles(search_run(type="article", sort="newest")) == ["The towels we dry with", "通勤保温杯横评"]
    prices = [str(h.price) for h in search_run(type="product", sort="price").products]
    assert prices == ["29.00", "59.00", "89.00", "129.00", "199.00", "1299.00"]
    prices = [str(h.price) for h in search_run(type="product", sort="price_desc").products]
    assert prices == ["1299.00", "199.00", "129.00", "89.00", "59.00", "29.00"]
    # articles, having no price, come after the products
    assert [h.kind for h in search_run(sort="price").hits][-2:] == ["article", "article"]


def test_pages(catalogue):
    first = search_run(sort="price", page=1, page_size=3)
    third = search_run(sort="price", page=3, page_size=3)

    assert first.total == 8
    assert first.num_pages == 3
    assert [str(h.price) for h in first.products] == ["29.00", "59.00", "89.00"]
    assert [h.kind for h in third.hits] == ["article", "article"]


def test_a_suggestion_when_nothing_matches(catalogue):
    results = search_run(q="stonewere")

    assert results.total == 0
    assert results.suggestion == "stoneware"
    assert search_run(q="mug").suggestion is None


def test_odd_queries_are_searched_as_text(catalogue):
    for query in ['"mugs', "(towel]", "\\", "*:*", "towel AND NOT", "title:mugs", "{}", "/", "~1^2"]:
        results = search_run(q=query)
        assert results.backend == "elasticsearch", query
        assert results.notice is None, query
    assert search_run(q="*:*").total == 0


def test_autocomplete_completes_the_last_word(catalogue):
    assert search_suggest(q="stonew") == [{"title": "Stoneware Mugs", "url": "/products/mugs/?sku=MU-MUG"}]
    assert search_suggest(q="保温")[0]["title"] in {"真空保温杯", "通勤保温杯横评"}
    towel = search_suggest(q="cotton")
    assert [s["title"] for s in towel] == ["Cotton Bath Towel"]  # one entry for its two SKUs
    assert search_suggest(q="") == []


def test_unreachable_server_falls_back_to_the_database_with_a_notice(search_server_down, product_factory):
    product_factory(title="Rice cooker")

    results = search_run(q="rice")

    assert results.backend == "database"
    assert results.notice.startswith("Search is running in reduced mode")
    assert _titles(results) == ["Rice cooker"]
    assert search_suggest(q="rice") == [{"title": "Rice cooker", "url": "/products/rice-cooker/"}]


def test_a_missing_index_falls_back_too(search_server, product_factory):
    # given a server with no index yet (nothing published since it started)
    product_factory(title="Rice cooker")

    results = search_run(q="rice")

    assert results.backend == "database"
    assert results.notice is not None


def test_stock_changes_reach_the_results(catalogue):
    SKU.objects.filter(code="MU-MUG").update(stock=0)
    documents_update(sku_ids=SKU.objects.filter(code="MU-MUG").values_list("pk", flat=True))

    assert [h.in_stock for h in search_run(q="mugs", type="product").products] == [False]
    Product.objects.filter(slug="mugs").update(active=False)
    documents_update(product_ids=Product.objects.filter(slug="mugs").values_list("pk", flat=True))
    assert search_run(q="mugs", type="product").products == []
