"""Where a /go/ link leads: its target is cached, and every change made through the ORM
(a renamed product, a changed SKU code, a deleted SKU) takes effect on the very next
click. A change made around the ORM is followed too: the product page sends a stale
slug on to the SKU's product, and a deleted SKU records nothing."""

import itertools

import pytest
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.test import Client

from shop.attribution.capture import _target_key
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


_ADDRESSES = itertools.count(1)


def _click(url, headers=BROWSER):
    # a new reader from a new address each time, so the repeat and rate-limit rules never answer first
    return Client(REMOTE_ADDR=f"198.51.100.{next(_ADDRESSES) % 250 + 1}").get(url, headers=headers)


def test_a_product_renamed_in_the_admin_is_followed_at_once(kettle):
    url = _go(kettle)
    assert _click(url)["Location"] == "/products/sage-kettle/?sku=KET-1"

    product = kettle.product
    product.slug = "sage-kettle-pro"
    product.save()

    assert _click(url)["Location"] == "/products/sage-kettle-pro/?sku=KET-1"
    assert _click(url, BOT)["Location"] == "/products/sage-kettle-pro/?sku=KET-1"
    assert Touch.objects.filter(sku=kettle).count() == 2


def test_a_rename_around_the_orm_still_lands_on_the_product_even_when_another_takes_its_slug(
    kettle, product_factory,
):
    url = _go(kettle)
    _click(url)  # the target is cached now

    # renamed with no signal (a bulk update), and another product takes the old slug
    Product.objects.filter(pk=kettle.product_id).update(slug="sage-kettle-pro")
    product_factory(title="Another Kettle", slug="sage-kettle", skus=[{"code": "OTHER-1"}])

    # the cached link still names the old slug; the product page sends the reader on
    response = Client().get(url, headers=BROWSER, follow=True)
    assert response.redirect_chain[-1] == ("/products/sage-kettle-pro/?sku=KET-1", 302)
    assert response.status_code == 200
    assert response.context["product"].pk == kettle.product_id
    assert Touch.objects.filter(sku=kettle).count() == 2


def test_a_changed_sku_code_is_followed_at_once(kettle):
    url = _go(kettle)
    _click(url)
    kettle.code = "KET-1B"
    kettle.save()
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


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_sku_deleted_while_another_process_keeps_its_target_records_nothing(kettle):
    url = _go(kettle)
    _click(url)
    target = cache.get(_target_key(kettle.pk))
    SKU.objects.filter(pk=kettle.pk).delete()
    cache.set(_target_key(kettle.pk), target)  # as another server process still has it

    response = _click(url)

    # the touch's foreign key refuses the click: the reader hears the product is gone
    assert (response.status_code, response["Location"]) == (302, "/")
    assert list(Touch.objects.values_list("sku_id", flat=True)) == [None]
    assert cache.get(_target_key(kettle.pk)) is None  # and the stale target is dropped


def test_a_product_page_under_a_slug_no_product_holds_sends_the_sku_on(client, kettle):
    Product.objects.filter(pk=kettle.product_id).update(slug="sage-kettle-2")

    response = client.get("/products/sage-kettle/?sku=KET-1")

    assert (response.status_code, response["Location"]) == (302, "/products/sage-kettle-2/?sku=KET-1")
    assert client.get("/products/sage-kettle/").status_code == 404  # no SKU named: nothing to follow


def test_an_unknown_sku_under_an_unknown_slug_is_not_found(client):
    assert client.get("/products/nothing-here/?sku=NOPE").status_code == 404


def test_a_sku_taken_off_sale_still_leads_to_its_product_page(kettle):
    SKU.objects.filter(pk=kettle.pk).update(active=False)
    Product.objects.filter(pk=kettle.product_id).update(active=False)

    response = _click(_go(kettle))

    # the product page says it is no longer available; the click still counts
    assert response["Location"] == "/products/sage-kettle/?sku=KET-1"
    assert Touch.objects.get().sku_id == kettle.pk


def test_a_recorded_click_of_a_known_link_is_one_insert(kettle, django_assert_num_queries):
    first = Client()
    first.cookies.load({"hw_consent": "1", "hw_vid": "c" * 24})
    # the link's first click reads its target, then records the touch
    with django_assert_num_queries(2):
        response = first.get(_go(kettle), headers=BROWSER)
    # another reader's click (from another address): the INSERT alone
    second = Client(REMOTE_ADDR="198.51.100.77")
    second.cookies.load({"hw_consent": "1", "hw_vid": "d" * 24})
    with django_assert_num_queries(1):
        second.get(_go(kettle), headers=BROWSER)
    # a repeat within 30 seconds: no query at all
    with django_assert_num_queries(0):
        first.get(_go(kettle), headers=BROWSER)

    assert response["Location"] == "/products/sage-kettle/?sku=KET-1"
    touch = Touch.objects.order_by("pk").first()
    assert (touch.visitor_id, touch.article_page_id, touch.block_id, touch.position, touch.sku_id, touch.device) == (
        "v:" + "c" * 24, 77, "b1", 2, kettle.pk, "desktop",
    )
