"""The page cache (content/cache.py): anonymous pages come from the shared cache with
headers a CDN can use, carry nothing personal, and are never stale."""

from decimal import Decimal

import pytest
from django.test import Client
from wagtail.contrib.frontend_cache.backends.base import BaseBackend

from shop.catalogue.models import SKU
from tests.factories import content as body
from tests.shop.test_api import Shopper
from tests.shop.test_api_checkout import checkout_body
from tests.shop.test_catalogue_edit import edit_url, opened_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def kettle(product_factory):
    return product_factory(title="Sage Kettle", slug="sage-kettle",
                           skus=[{"code": "KET-1", "price": "299.00", "stock": 20}])


@pytest.fixture
def article(article_factory, kettle):
    return article_factory(title="Morning kit", body=[body.product_card(kettle)])


def test_a_second_anonymous_visit_is_answered_from_the_cache_with_public_headers(
    client, article, django_assert_max_num_queries,
):
    # given a reader who opened the article once
    first = client.get(article.url)
    assert first.status_code == 200

    # when another reader opens it
    with django_assert_max_num_queries(1):  # the catalogue check, nothing else
        second = Client().get(article.url)

    # then it is the same page, shareable by a CDN, varying only by language, setting no cookie
    assert second.status_code == 200
    assert second["Cache-Control"] == "public, max-age=0, s-maxage=300"
    assert second["Vary"] == "Accept-Language"
    assert second["ETag"] == first["ETag"]
    assert second["Last-Modified"] == first["Last-Modified"]
    assert not second.cookies and not first.cookies
    assert "Sage Kettle" in second.content.decode()


def test_a_conditional_get_answers_304(client, article):
    etag = client.get(article.url)["ETag"]

    response = Client().get(article.url, headers={"If-None-Match": etag})

    assert response.status_code == 304
    assert response.content == b""


def test_a_cached_page_carries_its_own_csp_nonce_in_header_and_body(client, article):
    first = client.get(article.url)
    second = Client().get(article.url)

    def nonce(response):
        policy = response["Content-Security-Policy"]
        return policy.split("'nonce-", 1)[1].split("'", 1)[0]

    # then each answer names a fresh nonce, and every script of its body carries that one
    assert nonce(first) != nonce(second)
    html = second.content.decode()
    assert html.count(f'nonce="{nonce(second)}"') == html.count("<script ") > 0
    assert nonce(first) not in html


def test_nothing_personal_is_in_a_page_even_for_a_reader_with_a_cart(article):
    # given a guest with a kettle in the cart, who opens the article first
    shopper = Shopper()
    shopper.add("KET-1", 2)
    mine = shopper.get(article.url)
    html = mine.content.decode()

    # then the page has no token, no count and no open consent banner of theirs
    assert "csrfmiddlewaretoken" not in html
    assert 'data-cart-count hidden>0<' in html
    assert "data-consent hidden" in html
    # and the next (cookieless) reader gets the same page (nonce aside) from the cache
    assert Client().get(article.url)["ETag"] == mine["ETag"]


def test_the_session_call_brings_the_personal_parts(article):
    shopper = Shopper()
    shopper.add("KET-1", 2)

    response = shopper.get("/api/session")

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    session = response.json()
    assert {k: session[k] for k in ("signed_in", "name", "cart_count", "consent_needed")} == {
        "signed_in": False, "name": "", "cart_count": 2, "consent_needed": True,
    }
    assert len(session["csrf_token"]) == 64
    assert response.cookies["csrftoken"].value


def test_a_signed_in_reader_bypasses_the_cache(client, article, django_user_model):
    Client().get(article.url)  # cached for anonymous readers
    client.force_login(django_user_model.objects.create_user("lin", "lin@example.com", "pw"))

    response = client.get(article.url)

    assert "public" not in response.get("Cache-Control", "")
    assert client.get("/api/session").json()["signed_in"] is True


def test_a_campaign_landing_is_rendered_so_the_session_keeps_the_campaign(client, article):
    Client().get(article.url)

    response = client.get(article.url + "?utm_source=weibo&utm_campaign=spring")

    assert "public" not in response.get("Cache-Control", "")
    assert client.session["hw_campaign"]["utm_source"] == "weibo"


def test_a_price_changed_by_update_shows_on_the_very_next_get(client, article, kettle):
    assert "¥299.00" in client.get(article.url).content.decode()

    SKU.objects.filter(product=kettle).update(price=Decimal("249.00"))

    html = Client().get(article.url).content.decode()
    assert "¥249.00" in html and "¥299.00" not in html


def test_a_price_changed_in_the_admin_shows_on_the_very_next_get(client, article, kettle, soup, django_user_model):
    assert "¥299.00" in Client().get(article.url).content.decode()
    client.force_login(django_user_model.objects.create_superuser("ops", "ops@example.com", "pw"))
    data = opened_form(client, kettle, soup)
    price_field = next(name for name in data if name.startswith("skus-") and name.endswith("-price"))
    data[price_field] = "199.00"

    assert client.post(edit_url(kettle), data).status_code == 302

    html = Client().get(article.url).content.decode()
    assert "¥199.00" in html and "¥299.00" not in html
    product_page = Client().get("/products/sage-kettle/").content.decode()
    assert "¥199.00" in product_page


def test_stock_sold_through_the_api_shows_on_the_very_next_get(product_factory, article_factory):
    mug = product_factory(title="Stoneware mug", skus=[{"code": "MUG-1", "price": "39.90", "stock": 3}])
    article = article_factory(body=[body.product_card(mug)])
    assert "Only 3 left" in Client().get(article.url).content.decode()
    buyer = Shopper()
    buyer.add("MUG-1", 3)

    assert buyer.send("post", "/api/checkout", checkout_body()).status_code == 201

    assert "Sold out" in Client().get(article.url).content.decode()


def test_publishing_and_unpublishing_change_the_pages_at_once(
    client, article_index, article_factory, django_capture_on_commit_callbacks,
):
    # given an index and an article, both cached
    first = article_factory(title="First look")
    assert "First look" in client.get(article_index.url).content.decode()
    assert "First look" in client.get(first.url).content.decode()

    # when an editor publishes an edit of the article, and then another article
    first.title = "First look, revised"
    with django_capture_on_commit_callbacks(execute=True):
        first.save_revision().publish()

    # then both pages show it on the next visit
    assert "First look, revised" in Client().get(first.url).content.decode()
    assert "First look, revised" in Client().get(article_index.url).content.decode()

    # and an unpublished article is gone at once
    with django_capture_on_commit_callbacks(execute=True):
        first.unpublish()
    assert Client().get(first.url).status_code == 404
    assert "First look" not in Client().get(article_index.url).content.decode()


def test_without_javascript_the_add_to_cart_form_asks_to_confirm_with_a_token(article):
    # given a reader without JavaScript, whose cached page's form carries no token
    client = Client(enforce_csrf_checks=True)
    client.get(article.url)

    # when they post it, they are asked to confirm, with a token
    response = client.post("/cart/add/", {"sku": "KET-1", "quantity": "1"})

    assert response.status_code == 403
    assert "Please confirm" in response.content.decode()
    assert response["Cache-Control"] == "private, no-store"
    assert 'name="csrfmiddlewaretoken"' in response.content.decode()
    # and confirming adds to the cart
    confirmed = client.post("/cart/add/", {
        "sku": "KET-1", "quantity": "1", "csrfmiddlewaretoken": response.cookies["csrftoken"].value,
    })
    assert confirmed.status_code == 302
    assert client.get("/api/session").json()["cart_count"] == 1


def test_a_product_page_and_the_sitemap_are_cached_and_follow_the_catalogue(client, kettle, product_factory):
    first = client.get("/products/sage-kettle/")
    assert first["Cache-Control"] == "public, max-age=0, s-maxage=300"
    assert client.get("/sitemap.xml")["Cache-Control"] == "public, max-age=0, s-maxage=300"

    SKU.objects.filter(code="KET-1").update(stock=2)
    product_factory(title="Stoneware mug", slug="stoneware-mug")

    assert "Only 2 left" in Client().get("/products/sage-kettle/").content.decode()
    assert "/products/stoneware-mug/" in Client().get("/sitemap.xml").content.decode()


PURGED = []


class RecordingCDN(BaseBackend):
    """A CDN as Wagtail's frontend cache sees one: it is told which URLs to drop."""

    def purge(self, url):
        PURGED.append(url)


def test_a_price_change_tells_the_cdn_which_pages_show_the_product(
    article, kettle, settings, django_capture_on_commit_callbacks,
):
    # given a CDN configured for Wagtail's frontend cache
    settings.WAGTAILFRONTENDCACHE = {"cdn": {"BACKEND": "tests.content.test_page_cache.RecordingCDN"}}
    PURGED.clear()

    # when the kettle's price changes through its SKU
    with django_capture_on_commit_callbacks(execute=True):
        sku = kettle.skus.get()
        sku.price = Decimal("249.00")
        sku.save()

    # then the article that shows it and the product's page are purged
    assert sorted(PURGED) == sorted([article.full_url, "http://127.0.0.1:8000/products/sage-kettle/"])
