"""What search engines read on a product page: a Product with an Offer for every SKU and
the breadcrumb trail, all at the one canonical address."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from shop.catalogue.models import SKU

ORIGIN = "https://haowu.example"


@pytest.fixture(autouse=True)
def language_restored():
    """A request in Chinese leaves Chinese active in this thread: the next test starts in English."""
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def public_origin(settings):
    settings.WAGTAILADMIN_BASE_URL = ORIGIN + "/"


def _graph(soup, response) -> dict:
    (script,) = soup(response).select('script[type="application/ld+json"]')
    data = json.loads(script.string)
    assert data["@context"] == "https://schema.org"
    return {node["@type"]: node for node in data["@graph"]}


def test_product_page_describes_the_product_and_every_sku(client, soup, product_factory, brand_factory):
    # given a product with three SKUs: in stock (with a barcode), sold out, and off sale
    product = product_factory(
        title="Sage kettle", slug="sage-kettle", summary="Boils in four minutes.",
        brand=brand_factory(name="Fellow"), images=2,
        skus=[{"code": "K-1", "price": "129", "stock": 50, "gtin": "4006381333931"},
              {"code": "K-2", "price": "139.50", "stock": 0},
              {"code": "K-3", "price": "99.00", "stock": 9, "active": False}],
    )

    # when a reader (or a crawler) opens its page under the server's own host name
    response = client.get(f"/products/{product.slug}/", HTTP_HOST="app-1.internal:8000")

    # then the Product carries what Google's product results require
    node = _graph(soup, response)["Product"]
    assert node["name"] == "Sage kettle"
    assert node["description"] == "Boils in four minutes."
    assert node["brand"] == {"@type": "Brand", "name": "Fellow"}
    assert node["url"] == f"{ORIGIN}/products/sage-kettle/"
    assert len(node["image"]) == 2
    assert all(url.startswith(ORIGIN + "/") and ".fill-1200x1200" in url for url in node["image"])
    assert node["offers"] == [
        {"@type": "Offer", "sku": "K-1", "gtin": "4006381333931", "price": "129.00", "priceCurrency": "CNY",
         "availability": "https://schema.org/InStock", "itemCondition": "https://schema.org/NewCondition",
         "url": f"{ORIGIN}/products/sage-kettle/?sku=K-1"},
        {"@type": "Offer", "sku": "K-2", "price": "139.50", "priceCurrency": "CNY",
         "availability": "https://schema.org/OutOfStock", "itemCondition": "https://schema.org/NewCondition",
         "url": f"{ORIGIN}/products/sage-kettle/?sku=K-2"},
        {"@type": "Offer", "sku": "K-3", "price": "99.00", "priceCurrency": "CNY",
         "availability": "https://schema.org/Discontinued", "itemCondition": "https://schema.org/NewCondition",
         "url": f"{ORIGIN}/products/sage-kettle/?sku=K-3"},
    ]
    # and the page's canonical link says the same address, not the host that served it
    assert soup(response).select_one('link[rel="canonical"]')["href"] == f"{ORIGIN}/products/sage-kettle/"


def test_a_single_sku_product_names_its_sku_and_gtin_on_the_product(client, soup, product_factory):
    product = product_factory(slug="mug", skus=[{"code": "M-1", "price": "39.90", "gtin": "96385074"}])

    node = _graph(soup, client.get(f"/products/{product.slug}/"))["Product"]

    assert (node["sku"], node["gtin"]) == ("M-1", "96385074")
    assert [(o["price"], o["availability"]) for o in node["offers"]] == [("39.90", "https://schema.org/InStock")]
    assert "image" not in node


def test_withdrawn_product_offers_are_discontinued(client, soup, product_factory):
    product = product_factory(slug="lamp", active=False, skus=[{"code": "L-1", "price": "299.00", "stock": 5}])

    node = _graph(soup, client.get(f"/products/{product.slug}/"))["Product"]

    assert [o["availability"] for o in node["offers"]] == ["https://schema.org/Discontinued"]


def test_product_breadcrumbs_lead_home_then_to_its_category(client, soup, product_factory, category_factory):
    # given a product in the category Kitchen
    product = product_factory(title="Sage kettle", slug="sage-kettle", category=category_factory(name="Kitchen", slug="kitchen"))

    # when its page is read
    trail = _graph(soup, client.get(f"/products/{product.slug}/"))["BreadcrumbList"]

    # then the trail is Home › Kitchen (the catalogue narrowed to it) › the product
    assert trail["itemListElement"] == [
        {"@type": "ListItem", "position": 1, "name": "Home", "item": f"{ORIGIN}/"},
        {"@type": "ListItem", "position": 2, "name": "Kitchen", "item": f"{ORIGIN}/search/?category=kitchen"},
        {"@type": "ListItem", "position": 3, "name": "Sage kettle", "item": f"{ORIGIN}/products/sage-kettle/"},
    ]


def test_product_page_json_ld_cannot_be_closed_by_a_title(client, product_factory):
    product = product_factory(title="</script><script>alert(1)</script>", slug="evil")

    html = client.get(f"/products/{product.slug}/").content.decode()

    assert "</script><script>alert(1)" not in html
    start = html.index('<script type="application/ld+json"')
    start = html.index(">", start) + 1
    payload = json.loads(html[start:html.index("</script>", start)])
    assert payload["@graph"][0]["name"] == "</script><script>alert(1)</script>"


def test_product_page_has_sharing_tags(client, soup, product_factory):
    product = product_factory(title="Sage kettle", slug="sage-kettle", summary="Boils fast.", images=1)

    head = soup(client.get(f"/products/{product.slug}/", HTTP_ACCEPT_LANGUAGE="zh-hans")).head

    def meta(prop):
        return [tag["content"] for tag in head.select(f'meta[property="{prop}"], meta[name="{prop}"]')]

    assert meta("og:type") == ["product"]
    assert meta("og:title") == ["Sage kettle"]
    assert meta("og:description") == ["Boils fast."]
    assert meta("og:url") == [f"{ORIGIN}/products/sage-kettle/"]
    assert meta("og:site_name") == ["Haowu 好物"]
    assert meta("og:image")[0].startswith(f"{ORIGIN}/") and ".fill-1200x1200" in meta("og:image")[0]
    assert meta("og:image:alt") == ["Sage kettle"]
    assert meta("og:locale") == ["zh_CN"]
    assert meta("og:locale:alternate") == ["en_US"]
    assert meta("twitter:card") == ["summary_large_image"]


@pytest.mark.parametrize("gtin", ["4006381333932", "12345", "40063813339A1"])
def test_a_wrong_gtin_is_refused(db, product_factory, gtin):
    sku = product_factory(skus=[{"code": "G-1"}]).skus.get()
    sku.gtin = gtin

    with pytest.raises(ValidationError) as error:
        sku.full_clean()

    assert list(error.value.message_dict) == ["gtin"]


def test_a_right_gtin_is_kept(db, product_factory):
    sku = product_factory(skus=[{"code": "G-1"}]).skus.get()
    sku.gtin = "4006381333931"
    sku.full_clean()
    sku.save()
    assert SKU.objects.get(code="G-1").gtin == "4006381333931"
