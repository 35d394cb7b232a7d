"""Every product link in an article goes through a signed /go/ link that names the article,
the block, its type and position, and the SKU; the page tells the beacon what to count."""

import pytest

from content.blocks import ArticleBodyBlock
from shop.attribution.tokens import LinkPayload, token_read
from shop.cart.models import CartLine
from tests.factories import content as body

pytestmark = pytest.mark.django_db


def _token(href: str) -> LinkPayload:
    assert href.startswith("/go/") and href.endswith("/")
    payload = token_read(href[len("/go/"):-1])
    assert payload is not None
    return payload


@pytest.fixture
def article(article_factory, product_factory, image):
    kettle = product_factory(title="Kettle", slug="kettle", skus=[{"code": "KET-1", "price": "299.00"}])
    mug = product_factory(title="Mug", slug="mug", skus=[{"code": "MUG-1", "price": "39.00"}])
    lamp = product_factory(title="Lamp", slug="lamp", skus=[
        {"code": "LAMP-S", "price": "99.00", "options": {"Size": "S"}},
        {"code": "LAMP-L", "price": "199.00", "options": {"Size": "L"}},
    ])
    page = article_factory(body=[
        body.heading("Our picks"),
        body.product_card(kettle),
        body.paragraph(),
        body.product_grid([mug, lamp]),
        body.comparison_table([kettle, mug]),
        body.shop_the_look(image, [(lamp.skus.get(code="LAMP-L"), "50", "50", "")]),
    ])
    return page, {"kettle": kettle, "mug": mug, "lamp": lamp}


def test_each_offers_links_go_through_its_blocks_signed_link(client, soup, article):
    page, products = article
    blocks = {child.block_type: child.id for child in page.body}
    html = soup(client.get(page.url))

    offers = html.select(".prose .offer")
    seen = []
    for offer in offers:
        hrefs = {a["href"] for a in offer.select("a.offer__media, .offer__title a, a.buy-link")}
        assert len(hrefs) == 1  # picture, title and "Details": the same link
        href = hrefs.pop()
        for a in offer.select("a.offer__media, .offer__title a, a.buy-link"):
            assert "sponsored" in a["rel"]
        link = _token(href)
        # the add-to-cart form carries the same token
        assert offer.select_one("form.buy-form input[name=t]")["value"] == href[len("/go/"):-1]
        # and the offer tells the beacon which block it belongs to
        assert (offer["data-hw-block"], offer["data-hw-type"], offer["data-hw-position"]) == (
            link.block_id, link.block_type, str(link.position),
        )
        seen.append((link.article_page_id, link.block_id, link.block_type, link.position, link.sku_id, link.item))

    sku = {code: p.skus.get(code=code).pk for p in products.values() for code in p.skus.values_list("code", flat=True)}
    assert seen == [
        (page.pk, blocks["product_card"], "product_card", 2, sku["KET-1"], 1),
        (page.pk, blocks["product_grid"], "product_grid", 4, sku["MUG-1"], 1),
        (page.pk, blocks["product_grid"], "product_grid", 4, sku["LAMP-S"], 2),
        (page.pk, blocks["comparison_table"], "comparison_table", 5, sku["KET-1"], 1),
        (page.pk, blocks["comparison_table"], "comparison_table", 5, sku["MUG-1"], 2),
        (page.pk, blocks["shop_the_look"], "shop_the_look", 6, sku["LAMP-L"], 1),
    ]


def test_the_links_lead_to_the_offered_sku(client, soup, article):
    page, _ = article
    hrefs = [a["href"] for a in soup(client.get(page.url)).select(".prose a.buy-link")]
    targets = [client.get(href, headers={"User-Agent": "Mozilla/5.0 Firefox/125.0"})["Location"] for href in hrefs]
    assert targets == [
        "/products/kettle/?sku=KET-1", "/products/mug/?sku=MUG-1", "/products/lamp/?sku=LAMP-S",
        "/products/kettle/?sku=KET-1", "/products/mug/?sku=MUG-1", "/products/lamp/?sku=LAMP-L",
    ]


def test_the_links_are_the_same_on_every_render(client, soup, article):
    page, _ = article
    first = [a["href"] for a in soup(client.get(page.url)).select("a.buy-link")]
    second = [a["href"] for a in soup(client.get(page.url)).select("a.buy-link")]
    assert first == second and len(set(first)) == 6


def test_the_same_product_in_two_articles_gets_each_articles_link(client, soup, article_factory, product_factory):
    product = product_factory()
    one = article_factory(body=[body.product_card(product)])
    two = article_factory(body=[body.product_card(product)])
    links = [_token(soup(client.get(p.url)).select_one("a.buy-link")["href"]) for p in (one, two)]
    assert [link.article_page_id for link in links] == [one.pk, two.pk]


def test_the_article_page_loads_the_beacon_for_itself(client, soup, article, site_root):
    page, _ = article
    script = soup(client.get(page.url)).select_one("script[data-article]")
    assert (script["data-article"], script["data-endpoint"]) == (str(page.pk), "/a/beacon/")
    assert script["src"].endswith("js/beacon.js")
    assert soup(client.get("/")).select_one("script[data-article]") is None


def test_a_block_preview_without_a_page_links_straight_to_the_product(product_factory, soup):
    product = product_factory(slug="preview-kettle", skus=[{"code": "PK-1"}])
    block = ArticleBodyBlock().child_blocks["product_card"]
    value = block.to_python({"product": product.pk, "sku": None, "badge": "", "note": ""})

    html = soup(block.render(value, context={}))

    assert html.select_one("a.buy-link")["href"] == "/products/preview-kettle/"
    assert html.select_one("input[name=t]") is None
    assert not html.select_one(".offer").has_attr("data-hw-block")


def test_the_product_page_buy_form_has_no_article_token(client, soup, product_factory):
    product_factory(slug="plain", skus=[{"code": "PL-1"}])
    page = soup(client.get("/products/plain/"))
    assert page.select_one("form.buy-form") is not None
    assert page.select_one("form.buy-form input[name=t]") is None


def test_adding_from_an_article_is_a_post_with_the_csrf_token_and_the_links_token(client, soup, article):
    page, _ = article
    response = client.get(page.url)
    html = soup(response)

    forms = html.select(".prose .offer form.buy-form")
    assert len(forms) == 6
    for form in forms:
        assert (form["method"], form["action"]) == ("post", "/cart/add/")
        # the page is shared: the reader's token comes from /api/session (static/js/session.js)
        assert form.select_one("input[name=csrfmiddlewaretoken]") is None
        assert _token("/go/" + form.select_one("input[name=t]")["value"] + "/").article_page_id == page.pk
        assert form.select_one("button[type=submit]").get_text(strip=True) == "Add to cart"
    # and no link anywhere adds to the cart by a GET
    assert "add=1" not in response.content.decode()


def test_posting_an_articles_form_without_javascript_adds_the_attributed_line(client, soup, article):
    page, _ = article
    form = soup(client.get(page.url)).select_one(".prose .offer form.buy-form")
    fields = {field["name"]: field["value"] for field in form.select("input[type=hidden]")}

    response = client.post(form["action"], fields, headers={"Referer": "http://testserver" + page.url})

    assert (response.status_code, response["Location"]) == (302, "http://testserver" + page.url)
    line = CartLine.objects.get()
    assert (line.sku.code, line.quantity, line.article_page_id, line.block_type) == ("KET-1", 1, page.pk, "product_card")
