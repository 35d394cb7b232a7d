"""Where a /go/ link leads is read with the click itself, never cached: a renamed product,
a changed SKU code or a deleted SKU take effect on the very next click."""

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client

from shop.attribution.models import Touch
from shop.attribution.tokens import LinkPayload, token_sign
from shop.catalogue.models import SKU, Product

pytestmark = pytest.mark.django_db

BROWSER = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0"}
BOT = {"User-Agent": "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"}


@pytest.fixture
def kettle(product_factory):
    return product_factory(title="Sage Kettle", slug="sage-kettle", skus=[
        {"code": "KET-1", "price": "299.00", "stock": 5},
    ]).skus.get()


def _go(sku, position=2) -> str:
    return f"/go/{token_sign(LinkPayload(77, 'b1', 'product_card', position, sku.pk))}/"


def _click(url, headers=BROWSER):
    # a new reader each time, so the repeat and rate-limit rules never answer first
    return Client().get(url, headers=headers)


def test_a_renamed_product_is_followed_at_once_and_its_old_slug_goes_to_whoever_takes_it(kettle, product_factory):
    url = _go(kettle)
    assert _click(url)["Location"] == "/products/sage-kettle/?sku=KET-1"

    # when the product is renamed and another product takes its old slug
    Product.objects.filter(pk=kettle.product_id).update(slug="sage-kettle-pro")
    product_factory(title="Another Kettle", slug="sage-kettle", skus=[{"code": "OTHER-1"}])

    # then the next click goes to the renamed product, never to the newcomer
    assert _click(url)["Location"] == "/products/sage-kettle-pro/?sku=KET-1"
    assert _click(url, BOT)["Location"] == "/products/sage-kettle-pro/?sku=KET-1"
    assert Touch.objects.filter(sku=kettle).count() == 2


def test_a_changed_sku_code_is_followed_at_once(kettle):
    url = _go(kettle)
    _click(url)
    SKU.objects.filter(pk=kettle.pk).update(code="KET-1B")
    assert _click(url)["Location"] == "/products/sage-kettle/?sku=KET-1B"


@pytest.mark.parametrize("headers", [BROWSER, BOT])
def test_a_sku_deleted_after_a_click_sends_the_next_reader_home_and_records_nothing(kettle, headers):
    url = _go(kettle)
    _click(url)
    SKU.objects.filter(pk=kettle.pk).delete()

    response = _click(url, headers)

    assert (response.status_code, response["Location"]) == (302, "/")
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["That product is no longer in our catalogue."]
    assert list(Touch.objects.values_list("sku_id", flat=True)) == [None]  # the first click's, SKU gone


def test_a_sku_taken_off_sale_still_leads_to_its_product_page(kettle):
    SKU.objects.filter(pk=kettle.pk).update(active=False)
    Product.objects.filter(pk=kettle.product_id).update(active=False)

    response = _click(_go(kettle))

    # the product page says it is no longer available; the click still counts
    assert response["Location"] == "/products/sage-kettle/?sku=KET-1"
    assert Touch.objects.get().sku_id == kettle.pk


def test_a_recorded_click_is_one_statement_on_postgresql(kettle, django_assert_num_queries):
    client = Client()
    client.cookies.load({"hw_consent": "1", "hw_vid": "c" * 24})
    with django_assert_num_queries(1 if connection.vendor == "postgresql" else 2):
        response = client.get(_go(kettle), headers=BROWSER)
    # a repeat within 30 seconds reads the target alone
    with django_assert_num_queries(1):
        client.get(_go(kettle), headers=BROWSER)

    assert response["Location"] == "/products/sage-kettle/?sku=KET-1"
    touch = Touch.objects.get()
    assert (touch.visitor_id, touch.article_page_id, touch.block_id, touch.position, touch.sku_id, touch.device) == (
        "v:" + "c" * 24, 77, "b1", 2, kettle.pk, "desktop",
    )
