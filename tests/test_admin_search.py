"""The search box of every admin listing answers, and finds what an operator types."""

import pytest
from django.urls import NoReverseMatch, reverse
from wagtail.admin.viewsets import viewsets
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.viewsets.pages import PageViewSet

from shop.checkout.services import CheckoutLine, ShippingAddress, checkout_complete

pytestmark = pytest.mark.django_db


def _registered(kind):
    reverse("wagtailadmin_home")  # loading the admin's URLs registers its viewsets
    return [vs for vs in viewsets.viewsets if isinstance(vs, kind)]


def _urls(registered, *names):
    urls = set()
    for viewset in registered:
        for url_name in names:
            try:
                urls.add(reverse(viewset.get_url_name(url_name)))
            except NoReverseMatch:  # snippets call their listing "list", other viewsets "index"
                continue
    return sorted(urls)


def _listing_urls():
    """Every model listing (snippets, orders, Wagtail's own) and every chooser's listing."""
    urls = _urls([vs for vs in _registered(ModelViewSet) if not isinstance(vs, PageViewSet)], "index", "list")
    urls += _urls(_registered(ChooserViewSet), "choose")
    return [*urls, "/admin/redirects/", "/admin/searchpicks/", "/admin/pages/search/", "/admin/images/",
            "/admin/documents/"]


@pytest.fixture
def admin_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("boss", "boss@example.com", "pw"))
    return client


@pytest.fixture
def catalogue(product_factory, brand_factory, category_factory, author_factory):
    product = product_factory(
        title="Sage Kettle", brand=brand_factory(name="Northfield"), category=category_factory(name="Kitchen"),
        skus=[{"code": "KET-BLK-15"}, {"code": "KET-WHT-15"}],
    )
    author_factory(name="Lin Wei")
    checkout_complete(
        idempotency_key="k", lines=[CheckoutLine("KET-BLK-15", 1)], email="kettle@example.com",
        address=ShippingAddress(recipient="Lin", phone="13800000000", city="Hangzhou", address_line="1 Rd"),
        shipping_method="standard", payment_method="offline",
    )
    return product


def test_the_listings_under_test_include_the_shop_and_content_ones():
    urls = _listing_urls()
    for expected in ("/admin/snippets/catalogue/product/", "/admin/snippets/catalogue/brand/",
                     "/admin/snippets/catalogue/category/", "/admin/snippets/content/author/", "/admin/orders/",
                     "/admin/users/", "/admin/snippets/choose/catalogue/product/"):
        assert expected in urls


@pytest.mark.parametrize("query", ["kettle", "KET-BLK", "林"])
def test_every_admin_listing_search_answers(admin_client, catalogue, query):
    for url in _listing_urls():
        # when an admin types a query into the listing's search box
        response = admin_client.get(url, {"q": query})
        # then the listing answers (no 500 from a field the search cannot use)
        assert response.status_code == 200, url


def test_product_search_by_sku_code_finds_the_product_once(admin_client, catalogue, soup):
    response = admin_client.get("/admin/snippets/catalogue/product/", {"q": "KET-BLK"})
    rows = soup(response).select("table.listing > tbody > tr")
    assert [row.select_one("td.title .title-wrapper a").get_text(strip=True) for row in rows] == ["Sage Kettle"]
    # and the row's stock total counts each SKU once (a search join must not double it)
    assert "39" in rows[0].get_text(" ", strip=True)


def test_product_search_by_partial_title_finds_the_product(admin_client, catalogue, soup):
    response = admin_client.get("/admin/snippets/catalogue/product/", {"q": "kett"})
    assert [a.get_text(strip=True) for a in soup(response).select("table.listing > tbody > tr > td.title .title-wrapper a")] == ["Sage Kettle"]


def test_product_search_results_view_by_sku_code(admin_client, catalogue):
    response = admin_client.get("/admin/snippets/catalogue/product/results/", {"q": "KET-WHT-15"})
    assert response.status_code == 200
    assert "Sage Kettle" in response.content.decode()


def test_order_search_by_email_and_number(admin_client, catalogue, soup):
    from shop.orders.models import Order

    order = Order.objects.get()
    for query in ("kettle@example", order.number):
        response = admin_client.get("/admin/orders/", {"q": query})
        assert response.status_code == 200
        assert order.number in response.content.decode()
