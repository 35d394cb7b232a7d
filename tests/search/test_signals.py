"""The index follows the site: publish, unpublish, move and delete of articles; saves,
price and stock changes of products, each applied after commit. With Elasticsearch
down, publishing and checkout still succeed."""

import logging
from decimal import Decimal

import pytest

from search.client import search_client
from search.models import PendingUpdate
from shop.catalogue.models import SKU
from shop.catalogue.services import stock_adjust
from shop.checkout.services import CheckoutLine, ShippingAddress, checkout_complete
from tests.factories.content import product_card

pytestmark = pytest.mark.django_db

ADDRESS = ShippingAddress(recipient="林小姐", phone="13800000000", city="杭州", address_line="西湖区文三路 1 号")


def _doc(alias, doc_id):
    response = search_client().options(ignore_status=404).get(index=alias, id=doc_id)
    return response["_source"] if response["found"] else None


def _buy(sku, quantity):
    return checkout_complete(
        idempotency_key=f"key-{sku.pk}-{quantity}", lines=[CheckoutLine(sku_code=sku.code, quantity=quantity)],
        email="lin@example.com", address=ADDRESS, shipping_method="standard", payment_method="offline",
    )


def test_publish_unpublish_and_delete_follow_the_article(
    search_index, article_factory, django_capture_on_commit_callbacks,
):
    page = article_factory(title="Tea towels")
    page.unpublish()
    assert _doc(search_index, f"article-{page.pk}") is None

    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    assert _doc(search_index, f"article-{page.pk}")["title"] == "Tea towels"

    page.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish()
    assert _doc(search_index, f"article-{page.pk}") is None

    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    assert _doc(search_index, f"article-{page.pk}") is not None
    with django_capture_on_commit_callbacks(execute=True):
        page.delete()
    assert _doc(search_index, f"article-{page.pk}") is None


def test_moving_an_article_updates_its_url(
    search_index, article_factory, site_root, django_capture_on_commit_callbacks,
):
    from tests.factories import ArticleIndexPageFactory

    other = ArticleIndexPageFactory(parent=site_root, title="Guides", slug="guides")
    page = article_factory(slug="kettles")
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
        page.move(other, pos="last-child")

    assert _doc(search_index, f"article-{page.pk}")["url"] == "/guides/kettles/"


def test_publishing_an_article_counts_it_on_the_products_it_features(
    search_index, article_factory, product_factory, django_capture_on_commit_callbacks,
):
    product = product_factory(title="Enamel mug")
    sku = product.skus.get()
    page = article_factory(title="Mugs we love", body=[product_card(product)])
    page.unpublish()

    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    assert _doc(search_index, f"sku-{sku.pk}")["featured_count"] == 1

    page.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish()
    assert _doc(search_index, f"sku-{sku.pk}")["featured_count"] == 0


def test_price_edit_and_stock_changes_reach_the_sku_document(
    search_index, product_factory, django_capture_on_commit_callbacks, admin_user,
):
    with django_capture_on_commit_callbacks(execute=True):
        product = product_factory(title="Kettle", skus=[{"price": "129.00", "stock": 2}])
    sku = product.skus.get()
    doc_id = f"sku-{sku.pk}"
    assert (_doc(search_index, doc_id)["price"], _doc(search_index, doc_id)["in_stock"]) == ("129.00", True)

    # an editor changes the price
    with django_capture_on_commit_callbacks(execute=True):
        sku.price = Decimal("99.50")
        sku.save()
    assert _doc(search_index, doc_id)["price_cents"] == 9950

    # a reader buys the last two (stock changes with an F() update and no model signal)
    with django_capture_on_commit_callbacks(execute=True):
        _buy(sku, 2)
    assert SKU.objects.get(pk=sku.pk).stock == 0
    assert _doc(search_index, doc_id)["in_stock"] is False

    # an operator restocks
    with django_capture_on_commit_callbacks(execute=True):
        stock_adjust(sku_id=sku.pk, delta=5, reason_note="Delivery", actor=admin_user)
    assert _doc(search_index, doc_id)["in_stock"] is True

    # the product is deleted
    with django_capture_on_commit_callbacks(execute=True):
        product.delete()
    assert _doc(search_index, doc_id) is None


def test_one_commit_is_one_task_for_everything_it_touched(
    search_index, product_factory, django_capture_on_commit_callbacks,
):
    from django_tasks.signals import task_enqueued

    from search.tasks import search_documents_update

    enqueued = []

    def record(sender, task_result, **kwargs):
        if task_result.task.func is search_documents_update.func:
            enqueued.append(task_result.kwargs)

    task_enqueued.connect(record)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            product = product_factory(skus=[{}, {}, {}])
    finally:
        task_enqueued.disconnect(record)

    sku_ids = sorted(product.skus.values_list("pk", flat=True))
    assert enqueued == [{"article_ids": [], "sku_ids": sku_ids, "product_ids": [product.pk]}]


def test_with_elasticsearch_down_publishing_and_checkout_still_work(
    search_server_down, article_factory, product_factory, django_capture_on_commit_callbacks, caplog,
):
    product = product_factory(skus=[{"stock": 3}])
    sku = product.skus.get()
    page = article_factory(title="Offline", body=[product_card(product)])
    page.unpublish()

    with caplog.at_level(logging.WARNING, logger="search.tasks"):
        with django_capture_on_commit_callbacks(execute=True):
            page.save_revision().publish()
        with django_capture_on_commit_callbacks(execute=True):
            order = _buy(sku, 1)

    page.refresh_from_db()
    assert page.live
    assert order.number
    assert SKU.objects.get(pk=sku.pk).stock == 2
    assert "Kept to retry when Elasticsearch answers again" in caplog.text
    # and what the index missed waits in the database for it
    assert set(PendingUpdate.objects.values_list("kind", "object_id")) >= {("article", page.pk), ("sku", sku.pk)}


def test_without_elasticsearch_url_nothing_is_queued(
    settings, product_factory, django_capture_on_commit_callbacks,
):
    settings.ELASTICSEARCH_URL = ""
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        product_factory()
    assert callbacks == []


def test_renaming_a_brand_category_or_author_refreshes_the_documents_showing_it(
    search_index, product_factory, article_factory, author_factory, category_factory,
    django_capture_on_commit_callbacks,
):
    kitchen = category_factory(name="Kitchen")
    with django_capture_on_commit_callbacks(execute=True):
        product = product_factory(title="Kettle", category=kitchen, skus=[{"price": "129.00", "stock": 2}])
        article = article_factory(title="Kettles", author=author_factory(name="Ann"), category=kitchen)
    sku_doc, article_doc = f"sku-{product.skus.get().pk}", f"article-{article.pk}"

    with django_capture_on_commit_callbacks(execute=True):
        product.brand.name = "Northfield 北原"
        product.brand.save()
        product.category.name = "Kitchen 厨房"
        product.category.save()
        article.author.name = "Ann Lin"
        article.author.save()

    assert (_doc(search_index, sku_doc)["brand_name"], _doc(search_index, sku_doc)["category_name"]) == (
        "Northfield 北原", "Kitchen 厨房",
    )
    assert (_doc(search_index, article_doc)["author"], _doc(search_index, article_doc)["category_name"]) == (
        "Ann Lin", "Kitchen 厨房",
    )

    # a deleted brand leaves its products' documents without it
    with django_capture_on_commit_callbacks(execute=True):
        product.brand.delete()
    assert _doc(search_index, sku_doc) is None or _doc(search_index, sku_doc)["brand_name"] == ""


def test_taking_a_product_out_of_an_article_stops_counting_it(
    search_index, article_factory, product_factory, django_capture_on_commit_callbacks,
):
    mug, kettle = product_factory(title="Enamel mug"), product_factory(title="Kettle")
    with django_capture_on_commit_callbacks(execute=True):
        page = article_factory(title="Mugs we love", body=[product_card(mug)])
        page.save_revision().publish()
    mug_doc = f"sku-{mug.skus.get().pk}"
    assert _doc(search_index, mug_doc)["featured_count"] == 1

    # an editor swaps the mug for the kettle and publishes
    page.refresh_from_db()
    page.body = [("product_card", page.body[0].block.to_python({"product": kettle.pk}))]
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()

    assert _doc(search_index, mug_doc)["featured_count"] == 0
    assert _doc(search_index, f"sku-{kettle.skus.get().pk}")["featured_count"] == 1
