"""The database search: what `make run` uses, and what readers get when Elasticsearch is down."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from wagtail.search.models import IndexEntry

from content.models import ArticlePage
from search.fallback import database_suggest, featured_counts, mark
from search.selectors import search_run
from shop.catalogue.models import Product
from tests.factories import content as body

pytestmark = pytest.mark.django_db


def _titles(results):
    return [hit.title for hit in results.hits]


def test_chinese_words_find_titles_bodies_and_options(article_factory, product_factory):
    # given a product and an article about vacuum flasks, and one about towels
    product_factory(title="真空保温杯 500ml", skus=[{"code": "CUP-1", "options": {"颜色": "雾蓝"}}])
    article_factory(title="通勤好物", intro="每天带着走。",
                    body=[body.paragraph("<p>我们测试了十款保温杯，只推荐两款。</p>")])
    product_factory(title="纯棉毛巾", skus=[{"code": "TOW-1"}])

    # when readers search in Chinese
    by_title = search_run(q="保温杯")
    by_option = search_run(q="雾蓝")

    # then the title and the article body's text both match
    assert sorted(_titles(by_title)) == ["真空保温杯 500ml", "通勤好物"]
    assert by_title.total == 2
    assert by_title.backend == "database"
    assert by_title.notice is None
    assert _titles(by_option) == ["真空保温杯 500ml"]


def test_the_body_is_matched_by_its_text_not_its_json(article_factory, product_factory, author_factory):
    # given an article whose stored body names its blocks "heading", "paragraph" and
    # "product_card", gives each a "type", a "value" and an id, and chooses a product by id
    flask = product_factory(title="Trail Flask")
    article = article_factory(title="通勤好物", intro="每天带着走。", author=author_factory(name="Chen Jing"), body=[
        body.heading("Our picks"),
        body.paragraph("<p>我们测试了十款保温杯，只推荐两款。Both keep tea hot.</p>"),
        body.product_card(flask, badge="最值", note="<p>Light enough to carry.</p>"),
    ])
    block_id = ArticlePage.objects.get(pk=article.pk).body.raw_data[1]["id"]

    # when readers search the JSON's words, a block id, the product's id and the
    # heading's level label
    json_words = {q: search_run(q=q, type="article").total
                  for q in ["paragraph", "type", "value", "product_card", "badge", block_id[:8], str(flask.pk),
                            "Section", "H2"]}

    # then nothing is found; the text readers see is, in Chinese and English
    assert json_words == {q: 0 for q in json_words}
    assert _titles(search_run(q="保温杯", type="article")) == ["通勤好物"]
    assert _titles(search_run(q="tea HOT", type="article")) == ["通勤好物"]
    assert _titles(search_run(q="最值 carry", type="article")) == ["通勤好物"]
    assert _titles(search_run(q="Our picks", type="article")) == ["通勤好物"]


def test_rich_text_is_found_by_its_words_not_its_tags(article_factory):
    # given an article with markup in a paragraph and one without
    article_factory(title="Towel test", body=[
        body.paragraph('<p>The <strong>waffle</strong> weave <a href="https://example.com/w">dries</a> fastest.</p>'),
    ])
    article_factory(title="Mug test", body=[body.paragraph("<p>Stoneware keeps heat.</p>")])

    # when readers search a marked-up word, a tag name and an attribute
    # then only the words find the article
    assert _titles(search_run(q="waffle dries")) == ["Towel test"]
    assert search_run(q="strong").total == 0
    assert search_run(q="href").total == 0
    assert search_run(q="example.com").total == 0


def test_articles_are_found_by_the_products_they_feature(article_factory, product_factory):
    # given a flask featured by a card, a SKU chosen alone, and a product nobody features
    flask = product_factory(title="Trail Flask", skus=[{"code": "FL-1"}])
    kettle = product_factory(title="Gooseneck Kettle", skus=[{"code": "KE-1"}])
    product_factory(title="Flask brush")
    article_factory(title="Hiking list", body=[body.product_card(flask)])
    article_factory(title="Pour-over kit", body=[body.product_card(sku=kettle.skus.get())])
    article_factory(title="Unrelated", body=[body.paragraph("<p>Nothing to buy.</p>")])

    # when readers search the products' titles
    # then the articles that show them are found too, each beside its product
    assert _titles(search_run(q="trail flask", type="article")) == ["Hiking list"]
    assert _titles(search_run(q="gooseneck", type="article")) == ["Pour-over kit"]
    assert sorted(_titles(search_run(q="flask"))) == ["Flask brush", "Hiking list", "Trail Flask"]


def test_the_body_found_is_the_published_one(article_factory):
    # given a published article, then a draft of new words saved on it
    article = article_factory(title="Kettle review", body=[body.paragraph("<p>Copper spout.</p>")])
    draft = ArticlePage.objects.get(pk=article.pk)
    draft.body = [("paragraph", "<p>Enamel spout.</p>")]
    draft.save_revision()

    # when readers search, then only the published text is found
    assert _titles(search_run(q="copper")) == ["Kettle review"]
    assert search_run(q="enamel").total == 0

    # and once the draft is published its words replace the old ones
    draft.get_latest_revision().publish()
    assert _titles(search_run(q="enamel")) == ["Kettle review"]
    assert search_run(q="copper").total == 0


def test_an_article_missing_its_index_entry_is_still_found_by_its_own_fields(article_factory, author_factory):
    # given an article whose search index entry is gone (never built, or its task still queued)
    article = article_factory(title="Linen guide", intro="Crisp in summer.", author=author_factory(name="Lin Wei"),
                              body=[body.paragraph("<p>Stonewashed linen softens.</p>")])
    IndexEntry.objects.filter(content_type=ContentType.objects.get_for_model(ArticlePage),
                              object_id=str(article.pk)).delete()

    # when readers search, then its title, intro and author still find it; its body text does not
    assert _titles(search_run(q="linen")) == ["Linen guide"]
    assert _titles(search_run(q="crisp")) == ["Linen guide"]
    assert _titles(search_run(q="wei")) == ["Linen guide"]
    assert search_run(q="stonewashed").total == 0


def test_every_word_must_match_and_the_title_ranks_first(article_factory, product_factory):
    # given a mug whose title names it, and an article that only mentions mugs in its intro
    product_factory(title="Stoneware Mug", summary="Glazed by hand.")
    article_factory(title="Morning kit", intro="A stoneware mug and a kettle.")
    product_factory(title="Steel Kettle")

    # when a reader searches two words
    results = search_run(q="stoneware MUG")

    # then both results hold both words, the title match first
    assert _titles(results) == ["Stoneware Mug", "Morning kit"]
    assert [hit.kind for hit in results.hits] == ["product", "article"]


def test_drafts_withdrawn_products_and_inactive_skus_are_not_found(article_factory, product_factory):
    # given live and hidden things sharing a word
    article_factory(title="Kettle review")
    draft = article_factory(title="Kettle draft")
    draft.unpublish()
    product_factory(title="Kettle on sale")
    product_factory(title="Kettle withdrawn", active=False)
    product_factory(title="Kettle variant off", skus=[{"code": "K-OFF", "active": False}])

    # when a reader searches
    results = search_run(q="kettle")

    # then only what readers may see is found
    assert sorted(_titles(results)) == ["Kettle on sale", "Kettle review"]


def test_products_carry_price_stock_sku_url_and_featured_count(article_factory, product_factory):
    # given a product in two SKUs, one sold out, featured by two live articles and one draft
    flask = product_factory(title="Trail Flask", slug="trail-flask", skus=[
        {"code": "FL-500", "price": "129.00", "stock": 3, "options": {"size": "500ml"}},
        {"code": "FL-750", "price": "159.50", "stock": 0, "options": {"size": "750ml"}},
    ])
    article_factory(title="Hiking list", body=[body.product_card(flask)])
    article_factory(title="Gift guide", body=[body.product_grid([flask])])
    draft = article_factory(title="Unfinished", body=[body.product_card(flask)])
    draft.unpublish()

    # when a reader searches by price
    results = search_run(q="flask", sort="price")

    # then each SKU is a result with its own price, stock and link
    assert [(h.sku, h.price, h.in_stock, h.url, h.options, h.featured_count) for h in results.products] == [
        ("FL-500", Decimal("129.00"), True, "/products/trail-flask/?sku=FL-500", "500ml", 2),
        ("FL-750", Decimal("159.50"), False, "/products/trail-flask/?sku=FL-750", "750ml", 2),
    ]
    assert featured_counts({flask.pk}) == {flask.pk: 2}


def test_filters_narrow_and_facets_count_the_alternatives(
    article_factory, product_factory, category_factory, brand_factory,
):
    # given a kitchen and a bath category, two brands and an article
    kitchen = category_factory(name="Kitchen", slug="kitchen")
    bath = category_factory(name="Bath", slug="bath")
    muji = brand_factory(name="Muji", slug="muji")
    hay = brand_factory(name="Hay", slug="hay")
    product_factory(title="Tea cup", category=kitchen, brand=muji, skus=[{"price": "39.00", "stock": 5}])
    product_factory(title="Tea pot", category=kitchen, brand=hay, skus=[{"price": "399.00", "stock": 0}])
    product_factory(title="Tea towel", category=bath, brand=hay, skus=[{"price": "129.00", "stock": 9}])
    article_factory(title="Tea time", category=kitchen)

    # when a reader picks the kitchen and in-stock filters
    results = search_run(q="tea", category="kitchen", in_stock=True)

    # then only the in-stock kitchen product remains
    assert _titles(results) == ["Tea cup"]
    facets = {name: {v.value: v.count for v in values} for name, values in results.facets.items()}
    # each facet counts under the other filters: categories see every in-stock tea thing,
    # stock sees everything in the kitchen, brands see in-stock kitchen products
    assert facets["category"] == {"kitchen": 1, "bath": 1}
    assert facets["in_stock"] == {"true": 1, "false": 1}
    assert facets["brand"] == {"muji": 1}
    assert facets["type"] == {"article": 0, "product": 1}
    assert facets["price"] == {"-100.00": 1, "100.00-300.00": 0, "300.00-1000.00": 0, "1000.00-": 0}
    # and without filters the article counts in its category and type
    everything = search_run(q="tea")
    facets = {name: {v.value: v.count for v in values} for name, values in everything.facets.items()}
    assert facets["category"] == {"kitchen": 3, "bath": 1}
    assert facets["type"] == {"article": 1, "product": 3}
    assert facets["brand"] == {"hay": 2, "muji": 1}
    assert [v.label for v in everything.facets["brand"]] == ["Hay", "Muji"]


def test_price_range_brand_and_type_filters(article_factory, product_factory, brand_factory):
    hay = brand_factory(name="Hay", slug="hay")
    product_factory(title="Lamp small", brand=hay, skus=[{"price": "99.99"}])
    product_factory(title="Lamp large", brand=hay, skus=[{"price": "100.00"}])
    product_factory(title="Lamp other", skus=[{"price": "250.00"}])
    article_factory(title="Lamp guide")

    assert _titles(search_run(q="lamp", price_min=Decimal("100"), price_max=Decimal("300"), sort="price")) == [
        "Lamp large", "Lamp other"]
    assert sorted(_titles(search_run(q="lamp", brand="hay"))) == ["Lamp large", "Lamp small"]
    assert _titles(search_run(q="lamp", type="article")) == ["Lamp guide"]


def test_sorts_newest_and_price_both_ways(article_factory, product_factory):
    old = product_factory(title="Cup old", skus=[{"price": "50.00"}])
    Product.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=30))
    product_factory(title="Cup new", skus=[{"price": "80.00"}])
    article_factory(title="Cup stories", date=datetime.date.today() - datetime.timedelta(days=10))

    assert _titles(search_run(q="cup", sort="newest")) == ["Cup new", "Cup stories", "Cup old"]
    # articles have no price: they follow the products
    assert _titles(search_run(q="cup", sort="price")) == ["Cup old", "Cup new", "Cup stories"]
    assert _titles(search_run(q="cup", sort="price_desc")) == ["Cup new", "Cup old", "Cup stories"]


def test_pages_split_the_merged_results(article_factory, product_factory):
    for n in range(5):
        product_factory(title=f"Bowl {n}", skus=[{"price": f"{10 + n}.00"}])
        article_factory(title=f"Bowl story {n}", date=datetime.date(2025, 1, 1 + n))

    first = search_run(q="bowl", sort="price", page=1, page_size=4)
    third = search_run(q="bowl", sort="price", page=3, page_size=4)

    assert first.total == 10
    assert first.num_pages == 3
    assert _titles(first) == ["Bowl 0", "Bowl 1", "Bowl 2", "Bowl 3"]
    assert _titles(third) == ["Bowl story 1", "Bowl story 0"]
    assert third.has_next is False


def test_a_page_costs_the_same_queries_for_few_and_many_results(
    article_factory, product_factory, django_assert_max_num_queries, django_assert_num_queries,
):
    for n in range(3):
        product_factory(title=f"Plate {n}", images=1)
        article_factory(title=f"Plate story {n}")
    search_run(q="plate")  # warm Wagtail's site-root cache and the renditions
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        search_run(q="plate")
    for n in range(3, 20):
        product_factory(title=f"Plate {n}", images=1)
        article_factory(title=f"Plate story {n}")
    search_run(q="plate", page_size=40)
    with CaptureQueriesContext(connection) as many:
        results = search_run(q="plate", page_size=40)

    assert (len(results.articles), len(results.products)) == (20, 20)
    assert [q["sql"][:60] for q in many.captured_queries] == [q["sql"][:60] for q in few.captured_queries]


def test_odd_queries_are_text(product_factory):
    product_factory(title='Box "A" (large) \\ *:*')
    product_factory(title="Box B")

    for query in ['"A"', "(large)", "\\", "*:*", "%", "_", "'; DROP TABLE"]:
        results = search_run(q=query)
        assert results.backend == "database"
    assert _titles(search_run(q="*:*")) == ['Box "A" (large) \\ *:*']
    assert _titles(search_run(q="%")) == []


def test_highlight_escapes_the_text_and_marks_the_words():
    assert mark("<b>Mug</b> & mugs", ["mug"]) == "&lt;b&gt;<mark>Mug</mark>&lt;/b&gt; &amp; <mark>mug</mark>s"
    assert mark("保温杯", ["保温"]) == "<mark>保温</mark>杯"


def test_results_highlight_titles_and_intros(article_factory):
    article_factory(title="<i>Towel</i> test", intro="Which towel dries fastest?")

    hit = search_run(q="towel").articles[0]

    assert hit.highlight == {
        "title": ["&lt;i&gt;<mark>Towel</mark>&lt;/i&gt; test"],
        "intro": ["Which <mark>towel</mark> dries fastest?"],
    }


def test_suggest_titles_starting_with_the_text_first(article_factory, product_factory):
    product_factory(title="Mug rack", slug="mug-rack")
    product_factory(title="Big mug", slug="big-mug")
    article = article_factory(title="Mugs we love")
    product_factory(title="Mug hidden", active=False)

    assert database_suggest(q="mug") == [
        {"title": "Mug rack", "url": "/products/mug-rack/"},
        {"title": "Mugs we love", "url": article.url},
        {"title": "Big mug", "url": "/products/big-mug/"},
    ]
    assert database_suggest(q="  ") == []


def test_a_miss_suggests_the_nearest_spelling_of_a_title_word(product_factory, article_factory):
    product_factory(title="Stoneware Mugs")
    article_factory(title="Linen towels compared")

    assert search_run(q="stonewere").suggestion == "stoneware"
    assert search_run(q="linnen towles").suggestion == "linen towels"
    assert search_run(q="mugs").suggestion is None
    assert search_run(q="qqqqzz").suggestion is None
    assert search_run(q="保温怀").suggestion is None
