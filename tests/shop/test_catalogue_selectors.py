from decimal import Decimal

from shop.catalogue.models import Product, StockState
from shop.catalogue.selectors import articles_featuring, offers_for
from tests.factories import content as body


def test_lead_sku_is_the_cheapest_available_one(product_factory):
    # given a product whose cheapest SKU is sold out
    product = product_factory(skus=[
        {"code": "A", "price": "199.00", "stock": 9},
        {"code": "B", "price": "99.00", "stock": 0},
        {"code": "C", "price": "149.00", "stock": 2},
    ])
    # when its offer is loaded
    offer = offers_for(product_ids=[product.pk]).for_product(product.pk)
    # then the cheapest SKU a reader can buy leads
    assert offer.lead.code == "C"
    assert offer.price == Decimal("149.00")
    assert offer.state == StockState.LOW
    assert offer.stock == 2
    assert offer.available is True
    assert offer.price_varies is True
    assert [s.code for s in offer.skus] == ["A", "B", "C"]
    assert offer.url == f"/products/{product.slug}/?sku=C"


def test_editor_chosen_sku_leads_even_when_sold_out(product_factory):
    product = product_factory(skus=[
        {"code": "CHEAP", "price": "10.00", "stock": 50},
        {"code": "CHOSEN", "price": "30.00", "stock": 0},
    ])
    chosen = product.skus.get(code="CHOSEN")
    offers = offers_for(product_ids=[product.pk], sku_ids=[chosen.pk])

    offer = offers.for_product(product, chosen)

    assert offer.lead.code == "CHOSEN"
    assert offer.state == StockState.SOLD_OUT
    assert offer.available is False
    assert offers.for_sku(chosen).lead.code == "CHOSEN"
    assert offers.for_product(product).lead.code == "CHEAP"


def test_sku_alone_is_enough_to_load_its_product(product_factory):
    product = product_factory(skus=[{"code": "S-1"}, {"code": "S-2", "price": "5.00"}])
    sku = product.skus.get(code="S-1")

    offers = offers_for(sku_ids=[sku.pk])

    assert len(offers) == 1
    assert offers.for_sku(sku.pk).product == product
    assert offers.for_sku(sku.pk).lead.code == "S-1"


def test_single_sku_product_url_has_no_sku_parameter(product_factory):
    product = product_factory(slug="kettle")
    offer = offers_for(product_ids=[product.pk]).for_product(product.pk)
    assert offer.url == "/products/kettle/"


def test_withdrawn_product_is_unavailable_whatever_its_stock(product_factory):
    product = product_factory(active=False, skus=[{"code": "W", "stock": 100}])

    offer = offers_for(product_ids=[product.pk]).for_product(product.pk)

    assert offer.state == StockState.UNAVAILABLE
    assert offer.withdrawn is True
    assert offer.available is False
    assert offer.lead.state == StockState.UNAVAILABLE
    assert offer.schema_availability == "https://schema.org/Discontinued"


def test_product_with_only_inactive_skus_is_unavailable(product_factory):
    product = product_factory(skus=[{"code": "I", "active": False}])
    offer = offers_for(product_ids=[product.pk]).for_product(product.pk)
    assert offer.state == StockState.UNAVAILABLE
    assert offer.lead.code == "I"


def test_product_without_skus_is_unavailable(product_factory):
    product = product_factory(skus=[])
    offer = offers_for(product_ids=[product.pk]).for_product(product.pk)
    assert offer.lead is None
    assert offer.state == StockState.UNAVAILABLE
    assert offer.price is None


def test_deleted_product_has_no_offer(product_factory):
    product = product_factory()
    sku = product.skus.get()
    product_id, sku_id = product.pk, sku.pk
    Product.objects.filter(pk=product_id).delete()

    offers = offers_for(product_ids=[product_id], sku_ids=[sku_id])

    assert offers.for_product(product_id) is None
    assert offers.for_sku(sku_id) is None
    assert len(offers) == 0


def test_no_ids_means_no_query(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        offers = offers_for(product_ids=[None], sku_ids=[])
    assert len(offers) == 0


def test_offer_images_come_with_their_renditions(product_factory):
    product = product_factory(images=2)
    product.gallery.first().image.get_rendition("fill-720x720")

    offer = offers_for(product_ids=[product.pk]).for_product(product.pk)

    assert len(offer.images) == 2
    assert offer.image == product.gallery.order_by("sort_order").first().image
    assert [r.filter_spec for r in offer.image.prefetched_renditions] == ["fill-720x720"]


def test_query_count_is_the_same_for_one_and_thirty_products(product_factory, django_assert_num_queries):
    # given 30 products with two SKUs and a gallery image each
    products = [
        product_factory(images=1, skus=[{"price": "10.00"}, {"price": "20.00", "stock": 0}])
        for _ in range(30)
    ]
    first = products[0]
    first_sku = first.skus.first()
    # when one is loaded, then four queries (products, SKUs, gallery, renditions)
    with django_assert_num_queries(4):
        one = offers_for(product_ids=[first.pk], sku_ids=[first_sku.pk])
    # and thirty, through products and SKUs, cost the same four
    sku_ids = [p.skus.order_by("pk").last().pk for p in products[15:]]
    with django_assert_num_queries(4):
        thirty = offers_for(product_ids=[p.pk for p in products[:15]], sku_ids=sku_ids)
    assert len(one) == 1
    assert len(thirty) == 30
    # and reading every offer afterwards costs nothing
    with django_assert_num_queries(0):
        for offer in thirty:
            assert offer.image is not None
            assert offer.product.brand.name
            assert offer.url


def test_articles_featuring_finds_live_pages_through_product_or_sku(article_factory, product_factory):
    # given a product and articles that show it in different ways
    product = product_factory(skus=[{"code": "F-1"}, {"code": "F-2"}])
    other = product_factory()
    sku = product.skus.get(code="F-2")
    by_card = article_factory(title="By card", body=[body.product_card(product)])
    by_sku = article_factory(title="By SKU", body=[body.product_card(sku=sku)])
    by_grid = article_factory(title="By grid", body=[body.product_grid([other, product])])
    article_factory(title="Elsewhere", body=[body.product_card(other)])
    draft = article_factory(title="Draft", body=[body.product_card(product)])
    draft.unpublish()

    # when the product's articles are asked for
    found = articles_featuring(product=product)

    # then only live pages that reference it come back, as ArticlePages
    assert {page.title for page in found} == {by_card.title, by_sku.title, by_grid.title}
    assert all(type(page).__name__ == "ArticlePage" for page in found)


def test_articles_featuring_finds_shop_the_look_hotspots(article_factory, product_factory, image):
    product = product_factory(skus=[{"code": "L-1"}])
    look = article_factory(
        title="The look",
        body=[body.shop_the_look(image, [(product.skus.get(), "20", "30", "Lamp")])],
    )
    assert [p.pk for p in articles_featuring(product=product)] == [look.pk]


def test_articles_featuring_is_empty_for_an_unfeatured_product(article_factory, product_factory):
    article_factory(body=[body.paragraph()])
    assert articles_featuring(product=product_factory()) == []
