"""Documents built from the database in bulk, written through the alias, and compared
with the database by `index_check`."""

from decimal import Decimal

import pytest

from content.models import ArticlePage
from search.client import search_client
from search.documents import article_documents, sku_documents
from search.indexing import documents_update, index_check, index_ensure
from shop.catalogue.models import SKU
from tests.factories.content import heading, paragraph, product_card, product_grid, quote, shop_the_look

pytestmark = pytest.mark.django_db


def _source(alias, doc_id):
    return search_client().get(index=alias, id=doc_id)["_source"]


def _ids(alias):
    hits = search_client().search(index=alias, query={"match_all": {}}, size=100)["hits"]["hits"]
    return sorted(hit["_id"] for hit in hits)


def test_index_ensure_creates_a_versioned_index_behind_the_alias(search_server, settings):
    alias = settings.HAOWU_SEARCH_INDEX
    client = search_client()

    name = index_ensure()

    assert name.startswith(f"{alias}-")
    assert list(client.indices.get_alias(name=alias).body) == [name]
    assert index_ensure() == name


def test_an_update_before_any_rebuild_creates_the_versioned_index_and_alias(search_server, settings, product_factory):
    # given a server with no index at all
    alias = settings.HAOWU_SEARCH_INDEX
    product = product_factory(title="Enamel mug")

    # when the first update arrives
    documents_update(product_ids=[product.pk])

    # then it went into <alias>-<timestamp> behind the alias, never into an index named like the alias
    client = search_client()
    (name,) = client.indices.get_alias(name=alias).body
    assert name.startswith(f"{alias}-")
    assert list(client.indices.get(index=alias).body) == [name]
    assert _ids(alias) == [f"sku-{product.skus.get().pk}"]


def test_article_document_holds_the_plain_text_of_the_body_and_the_products_it_features(
    search_index, article_factory, product_factory, category_factory, image,
):
    kettle = product_factory(title="Gooseneck kettle")
    mug = product_factory(title="保温杯")
    tray = product_factory(title="Bamboo tray")
    category = category_factory(name="Kitchen", slug="kitchen")
    page = article_factory(
        title="Morning tea 早茶", intro="What we pour with.", category=category,
        body=[
            heading("Why these"), paragraph("<p>A kettle that <b>pours</b> &amp; stops.</p>"),
            quote("Every morning.", "Lin"), product_card(kettle), product_grid([mug]),
            shop_the_look(image, [(tray.skus.get(), "10", "20", "Tray")]),
        ],
    )
    page.tags.add("tea")
    page.save_revision().publish()

    documents_update(article_ids=[page.pk])

    doc = _source(search_index, f"article-{page.pk}")
    assert doc["kind"] == "article"
    assert doc["title"] == "Morning tea 早茶"
    assert doc["url"] == page.url
    assert doc["body"] == "Why these\nA kettle that pours & stops.\nEvery morning.\nLin"
    assert doc["author"] == page.author.name
    assert (doc["category"], doc["category_slug"]) == ("Kitchen", "kitchen")
    assert doc["tags"] == ["tea"]
    assert doc["products"] == "Bamboo tray\nGooseneck kettle\n保温杯"
    assert doc["product_count"] == 3
    assert doc["date"] == "2025-03-01"


def test_sku_document_holds_price_stock_and_the_articles_featuring_it(
    search_index, article_factory, product_factory, brand_factory,
):
    brand = brand_factory(name="Northfield", slug="northfield")
    product = product_factory(
        title="Vacuum mug", brand=brand, summary="Keeps tea hot.", description="<p>Steel <i>walls</i>.</p>",
        skus=[{"code": "MUG-BLUE", "price": "129.90", "stock": 0, "options": {"colour": "蓝色", "size": "500ml"}}],
    )
    article_factory(title="Best mugs", body=[product_card(product)])
    article_factory(title="Draft mugs", body=[product_card(product)]).unpublish()

    documents_update(product_ids=[product.pk])

    sku = product.skus.get()
    doc = _source(search_index, f"sku-{sku.pk}")
    assert doc["kind"] == "product"
    assert doc["sku"] == "MUG-BLUE"
    assert doc["url"] == f"{product.get_absolute_url()}?sku=MUG-BLUE"
    assert (doc["brand"], doc["brand_slug"]) == ("Northfield", "northfield")
    assert doc["options"] == "蓝色 / 500ml"  # as the product page labels the SKU
    assert doc["description"] == "Keeps tea hot.\nSteel walls."
    assert (doc["price"], doc["price_cents"], doc["in_stock"]) == ("129.90", 12990, False)
    assert (doc["featured_count"], doc["featured_titles"]) == (1, "Best mugs")


def test_builders_run_a_fixed_number_of_queries(
    article_factory, product_factory, django_assert_max_num_queries, image,
):
    products = [product_factory(title=f"P{n}", skus=[{}, {}]) for n in range(6)]
    pages = [
        article_factory(body=[product_card(p), product_grid(products[:3]),
                              shop_the_look(image, [(p.skus.first(), "1", "1", "x")])])
        for p in products
    ]
    pages[0].tags.add("a", "b")
    pages[0].save()

    with django_assert_max_num_queries(8):
        assert len(article_documents(ArticlePage.objects.all())) == 6
    with django_assert_max_num_queries(8):
        assert len(sku_documents(SKU.objects.all())) == 12


def test_withdrawn_products_and_unpublished_articles_leave_the_index(
    search_index, article_factory, product_factory,
):
    product = product_factory(skus=[{}, {"active": False}])
    page = article_factory()
    documents_update(product_ids=[product.pk], article_ids=[page.pk])
    on_sale = product.skus.get(active=True)
    assert _ids(search_index) == sorted([f"article-{page.pk}", f"sku-{on_sale.pk}"])

    product.active = False
    product.save()
    page.unpublish()
    documents_update(product_ids=[product.pk], article_ids=[page.pk])

    assert _ids(search_index) == []


def test_check_reports_missing_extra_and_stale_documents(search_index, product_factory, article_factory):
    # given an index in sync, then changes the index did not hear about
    kept, changed, missing = (product_factory(title=t) for t in ("Kept", "Changed", "Missing"))
    page = article_factory(title="Gone")
    documents_update(product_ids=[kept.pk, changed.pk], article_ids=[page.pk])
    SKU.objects.filter(product=changed).update(price=Decimal("1.00"))
    page.unpublish()  # inside the test's transaction: nothing reaches the index

    # when the index is checked
    result = index_check()

    # then each difference is named
    assert result.missing == [f"sku-{missing.skus.get().pk}"]
    assert result.extra == [f"article-{page.pk}"]
    assert result.stale == [f"sku-{changed.skus.get().pk}"]
    assert not result.in_sync
