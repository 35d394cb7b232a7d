"""Each block type as a reader sees it on an article page, and the editor's validation."""

import pytest
from django.test import Client
from django.utils import translation
from wagtail.blocks.list_block import ListBlockValidationError
from wagtail.blocks.struct_block import StructBlockValidationError

from content.blocks import ArticleBodyBlock
from shop.catalogue.models import Product
from tests.factories import content as body

STREAM = ArticleBodyBlock()


@pytest.fixture
def render(client, soup, article_factory):
    """Publish an article with these blocks and return its parsed page."""

    def build(*blocks, **kwargs):
        page = article_factory(body=list(blocks), **kwargs)
        response = client.get(page.url)
        assert response.status_code == 200
        return soup(response)

    return build


def _follow(href: str) -> str:
    """Where a buy link sends the reader (a fresh client: no cookies, no recorded state)."""
    response = Client().get(href)
    assert response.status_code == 302
    return response["Location"]


def test_product_card_shows_price_compare_at_price_stock_and_buy_link(render, product_factory):
    # given a discounted product with plenty of stock
    product = product_factory(title="Sage Kettle", images=1, skus=[
        {"code": "KET-1", "price": "1299.00", "compare_at_price": "1599.00", "stock": 40},
    ])
    # when an article shows it in a card with a badge and a note
    page = render(body.product_card(product, badge="Editor’s pick", note="<p>Boils <b>fast</b>.</p>"))
    # then the card carries the contract's data and figures
    (offer,) = page.select(".shop-block--card .offer")
    assert (offer["data-product"], offer["data-sku"], offer["data-state"]) == (str(product.pk), "KET-1", "in_stock")
    assert offer.select_one(".price").get_text(strip=True) == "¥1,299.00"
    assert offer.select_one("s.price-was").get_text(strip=True) == "¥1,599.00"
    assert offer.select_one(".stock").get_text(strip=True) == "In stock"
    # and its add-to-cart form posts this SKU to the cart, with a sponsored product link
    form = offer.select_one("form.buy-form")
    assert (form["method"], form["action"]) == ("post", "/cart/add/")
    assert form.select_one("input[name=sku]")["value"] == "KET-1"
    # no CSRF token in the shared markup: static/js/session.js adds the reader's
    assert form.select_one("input[name=csrfmiddlewaretoken]") is None
    assert form.select_one("button.buy[type=submit]").get_text(strip=True) == "Add to cart"
    link = offer.select_one("a.buy-link")
    assert link["href"].startswith("/go/")
    assert link["rel"] == ["sponsored"]
    # and the link leads to the product page (through the click-recording /go/ link)
    assert _follow(link["href"]) == f"/products/{product.slug}/?sku=KET-1"
    assert "Editor’s pick" in offer.get_text()
    assert "<b>fast</b>" in str(offer.select_one(".offer__note"))
    # and the product image is a lazy responsive rendition
    img = offer.select_one("img")
    assert img["loading"] == "lazy"
    assert "srcset" in img.attrs


def test_product_card_without_discount_has_no_struck_price(render, product_factory):
    product = product_factory(skus=[{"price": "88.00", "compare_at_price": "80.00"}])
    offer = render(body.product_card(product)).select_one(".offer")
    assert offer.select_one(".price").get_text(strip=True) == "¥88.00"
    assert offer.select_one(".price-was") is None


def test_product_card_says_only_three_left(render, product_factory):
    product = product_factory(skus=[{"code": "LOW", "stock": 3}])
    offer = render(body.product_card(product)).select_one(".offer")
    assert offer["data-state"] == "low"
    assert offer.select_one(".stock").get_text(strip=True) == "Only 3 left"
    assert offer.select_one("form.buy-form button.buy") is not None


def test_sold_out_card_has_no_buy_link(render, product_factory):
    product = product_factory(skus=[{"code": "OUT", "stock": 0}])
    offer = render(body.product_card(product)).select_one(".offer")
    assert offer["data-state"] == "sold_out"
    assert offer.select_one(".stock").get_text(strip=True) == "Sold out"
    assert offer.select("form.buy-form") == []
    assert offer.select_one(".buy.buy--disabled") is not None


def test_card_with_a_chosen_sku_shows_that_sku(render, product_factory):
    product = product_factory(skus=[
        {"code": "S", "options": {"Size": "S"}, "price": "10.00"},
        {"code": "L", "options": {"Size": "L"}, "price": "30.00"},
    ])
    offer = render(body.product_card(product, sku=product.skus.get(code="L"))).select_one(".offer")
    assert offer["data-sku"] == "L"
    assert offer.select_one(".price").get_text(strip=True) == "¥30.00"
    assert offer.select_one("form.buy-form input[name=sku]")["value"] == "L"
    assert _follow(offer.select_one("a.buy-link")["href"]) == f"/products/{product.slug}/?sku=L"


def test_withdrawn_product_card_says_no_longer_available(render, product_factory):
    product = product_factory(active=False, skus=[{"code": "GONE", "stock": 50}])
    page = render(body.product_card(product))
    (offer,) = page.select(".offer")
    assert "offer--gone" in offer["class"]
    assert offer["data-state"] == "unavailable"
    assert offer.select_one(".stock").get_text(strip=True) == "No longer available"
    assert page.select("form.buy-form") == []


def test_deleted_product_still_renders_no_longer_available(client, soup, article_factory, product_factory):
    # given an article whose card, grid and hotspot point at a product that is later deleted
    gone, kept = product_factory(skus=[{"code": "DEL"}]), product_factory()
    sku = gone.skus.get()
    img_article = article_factory(body=[
        body.product_card(gone),
        body.product_card(sku=sku),
        body.product_grid([gone, kept]),
    ])
    Product.objects.filter(pk=gone.pk).delete()

    # when a reader opens it
    response = client.get(img_article.url)

    # then the page renders and each missing product says so
    assert response.status_code == 200
    gone_offers = soup(response).select(".offer--gone")
    assert len(gone_offers) == 3
    assert {o.select_one(".stock").get_text(strip=True) for o in gone_offers} == {"No longer available"}
    assert len(soup(response).select(".offer:not(.offer--gone)")) == 1


def test_product_grid_renders_one_offer_per_product(render, product_factory):
    products = [product_factory() for _ in range(5)]
    page = render(body.product_grid(products, heading="Desk upgrades", columns="4"))
    grid = page.select_one(".shop-block--grid")
    assert grid.select_one("h2").get_text(strip=True) == "Desk upgrades"
    assert [o["data-product"] for o in grid.select(".offer")] == [str(p.pk) for p in products]
    assert "offer-grid--4" in grid.select_one("ul")["class"]


def test_comparison_table_has_columns_rows_and_winner(render, product_factory):
    first = product_factory(title="Kettle A", skus=[{"price": "199.00"}])
    second = product_factory(title="Kettle B", skus=[{"price": "259.00"}])
    third = product_factory(title="Kettle C", skus=[{"price": "99.00", "stock": 0}])

    page = render(body.comparison_table(
        [first, second, third], winner=2, heading="Which kettle?",
        rows=[("Capacity", ("1.0 l", "1.2 l", "0.8 l")), ("Warranty", ("1 year",))],
        verdict="<p>Buy <b>B</b>.</p>",
    ))

    table = page.select_one(".shop-block--compare table")
    columns = table.select("thead th")
    assert [c.select_one(".offer")["data-product"] for c in columns] == [str(first.pk), str(second.pk), str(third.pk)]
    assert [c.select_one(".price").get_text(strip=True) for c in columns] == ["¥199.00", "¥259.00", "¥99.00"]
    assert ["is-winner" in c["class"] for c in columns] == [False, True, False]
    rows = [[cell.get_text(strip=True) for cell in tr.select("th, td")] for tr in table.select("tbody tr")]
    assert rows == [["Capacity", "1.0 l", "1.2 l", "0.8 l"], ["Warranty", "1 year", "—", "—"]]
    assert "<b>B</b>" in str(page.select_one(".compare__verdict"))


def test_shop_the_look_places_hotspots_by_percent(render, product_factory, image):
    lamp = product_factory(title="Lamp", skus=[{"code": "LAMP-1", "price": "399.00"}])
    chair = product_factory(title="Chair", skus=[{"code": "CHAIR-1", "price": "1200.00", "stock": 2}])

    page = render(body.shop_the_look(image, [
        (lamp.skus.get(), "12.5", "30", "Lamp"),
        (chair.skus.get(), "80", "75.5", ""),
    ], alt="A living room", caption="Our editor’s corner"))

    look = page.select_one(".shop-the-look")
    spots = look.select(".hotspot")
    assert [s["style"].replace(" ", "") for s in spots] == ["left:12.5%;top:30%", "left:80%;top:75.5%"]
    assert [s.get_text(strip=True) for s in spots] == ["1", "2"]
    offers = look.select(".offer")
    assert [(o["data-sku"], o["data-state"]) for o in offers] == [("LAMP-1", "in_stock"), ("CHAIR-1", "low")]
    assert [o.select_one(".price").get_text(strip=True) for o in offers] == ["¥399.00", "¥1,200.00"]
    assert look.select_one("img")["alt"] == "A living room"
    assert look.select_one("figcaption").get_text(strip=True) == "Our editor’s corner"


def test_every_buy_link_on_an_article_is_sponsored(render, product_factory, image):
    products = [product_factory() for _ in range(3)]
    page = render(
        body.product_card(products[0]),
        body.product_grid(products),
        body.comparison_table(products[:2]),
        body.shop_the_look(image, [(products[2].skus.get(), "50", "50", "")]),
    )
    assert len(page.select("form.buy-form button.buy")) == 1 + 3 + 2 + 1
    links = page.select("a.buy-link")
    assert len(links) == 1 + 3 + 2 + 1
    assert {tuple(a["rel"]) for a in links} == {("sponsored",)}


def test_text_blocks_render(render, image):
    page = render(
        body.heading("Why these", "h2"),
        body.heading("Small print", "h3"),
        body.paragraph('<p>Read <a href="https://example.com/">this</a>.</p>'),
        body.quote("Best kettle I own.\nReally.", attribution="Lin"),
        body.image(image, alt="Kettle on a stove", caption="Morning", width="wide"),
    )
    prose = page.select_one(".prose")
    assert prose.select_one("h2").get_text(strip=True) == "Why these"
    assert prose.select_one("h3").get_text(strip=True) == "Small print"
    assert prose.select_one(".rich-text a")["href"] == "https://example.com/"
    assert prose.select_one("blockquote").get_text(" ", strip=True) == "Best kettle I own. Really."
    figure = prose.select_one("figure.figure--wide")
    assert figure.select_one("img")["alt"] == "Kettle on a stove"
    assert figure.select_one("img")["loading"] == "lazy"
    assert figure.select_one("figcaption").get_text(strip=True) == "Morning"


# ---- validation -------------------------------------------------------------------------


def _clean(block_type, raw):
    block = STREAM.child_blocks[block_type]
    return block.clean(block.to_python(raw))


def test_product_card_needs_a_product_or_a_sku(db):
    with pytest.raises(StructBlockValidationError) as error:
        _clean("product_card", {"product": None, "sku": None, "badge": "", "note": ""})
    assert list(error.value.block_errors) == ["product"]


def test_product_card_accepts_a_sku_alone(product_factory):
    sku = product_factory().skus.get()
    value = _clean("product_card", {"product": None, "sku": sku.pk, "badge": "", "note": ""})
    assert value["sku"] == sku


def test_product_card_refuses_a_sku_of_another_product(product_factory):
    kettle, mug = product_factory(title="Kettle"), product_factory(title="Mug")
    with pytest.raises(StructBlockValidationError) as error:
        _clean("product_card", {"product": kettle.pk, "sku": mug.skus.get().pk, "badge": "", "note": ""})
    assert list(error.value.block_errors) == ["sku"]
    assert "Mug" in error.value.block_errors["sku"].messages[0]


def test_product_grid_needs_at_least_two_products(product_factory):
    with pytest.raises(StructBlockValidationError) as error:
        _clean("product_grid", {"heading": "", "products": [product_factory().pk], "columns": "3"})
    assert isinstance(error.value.block_errors["products"], ListBlockValidationError)


def test_product_grid_with_two_products_is_valid(product_factory):
    first, second = product_factory(), product_factory()
    value = _clean("product_grid", {"heading": "", "products": [first.pk, second.pk], "columns": "2"})
    assert list(value["products"]) == [first, second]


def test_shop_the_look_hotspot_must_stay_inside_the_image(product_factory, image):
    sku = product_factory().skus.get()
    with pytest.raises(StructBlockValidationError) as error:
        _clean("shop_the_look", {"image": image.pk, "alt": "", "caption": "",
                                 "hotspots": [{"sku": sku.pk, "x": "101", "y": "50", "label": ""}]})
    assert list(error.value.block_errors) == ["hotspots"]


def test_stock_text_is_translated_for_chinese_readers(client, soup, article_factory, product_factory):
    low = product_factory(skus=[{"stock": 3}])
    out = product_factory(skus=[{"stock": 0}])
    gone = product_factory(active=False)
    fine = product_factory(skus=[{"stock": 30}])
    page = article_factory(language="zh-hans", body=[
        body.product_card(low), body.product_card(out), body.product_card(gone), body.product_card(fine),
    ])

    html = soup(client.get(page.url, headers={"accept-language": "zh-hans"}))

    assert [s.get_text(strip=True) for s in html.select(".offer .stock")] == ["仅剩 3 件", "已售罄", "已下架", "有货"]
    with translation.override("zh-hans"):
        add_to_cart = translation.gettext("Add to cart")
    assert html.select_one("button.buy").get_text(strip=True) == add_to_cart


def _gone(product, change):
    """Withdraw or delete a product or its only SKU, as an operator would after publishing."""
    sku = product.skus.get()
    if change == "product deleted":
        Product.objects.filter(pk=product.pk).delete()
    elif change == "product withdrawn":
        Product.objects.filter(pk=product.pk).update(active=False)
    elif change == "sku deleted":
        sku.delete()
    elif change == "sku withdrawn":
        type(sku).objects.filter(pk=sku.pk).update(active=False)


def _every_block_showing(gone, kept, image):
    sku = gone.skus.get()
    return {
        "card by product": body.product_card(gone),
        "card by sku": body.product_card(sku=sku),
        "card by product and sku": body.product_card(gone, sku=sku),
        "grid": body.product_grid([gone, kept]),
        "comparison": body.comparison_table([gone, kept], winner=1),
        "shop the look": body.shop_the_look(image, [(sku, "20", "30", ""), (kept.skus.get(), "60", "40", "Lamp")]),
    }


BLOCK_KINDS = ["card by product", "card by sku", "card by product and sku", "grid", "comparison", "shop the look"]
CHANGES = ["product deleted", "product withdrawn", "sku deleted", "sku withdrawn"]


@pytest.mark.parametrize("change", CHANGES)
@pytest.mark.parametrize("kind", BLOCK_KINDS)
def test_every_block_keeps_rendering_when_its_product_or_sku_goes(
    client, soup, article_factory, product_factory, image, kind, change,
):
    # given a published article whose block shows a product (and one that stays on sale)
    gone = product_factory(title="Old kettle", skus=[{"code": "OLD-1", "stock": 9}])
    kept = product_factory(title="Lamp", skus=[{"code": "LAMP-1", "stock": 30}])
    page = article_factory(body=[_every_block_showing(gone, kept, image)[kind]])

    # when the product or its SKU is withdrawn or deleted, and a reader opens the article
    _gone(gone, change)
    response = client.get(page.url)

    # then the article answers, the item says it is no longer available, and cannot be bought
    assert response.status_code == 200
    html = soup(response)
    gone_offers = html.select(".offer--gone")
    assert len(gone_offers) == 1
    assert gone_offers[0].select_one(".stock").get_text(strip=True) == "No longer available"
    assert [f.select_one("input[name=sku]")["value"] for f in html.select("form.buy-form")] == (
        [] if kind.startswith("card") else ["LAMP-1"]
    )
