from tests.factories import content as body


def test_product_page_shows_price_options_stock_and_articles(client, soup, product_factory, article_factory):
    # given a product with two SKUs, one low on stock, featured in a live article
    product = product_factory(
        title="Sage Kettle", slug="sage-kettle", images=1,
        skus=[
            {"code": "KET-SAGE", "options": {"Colour": "Sage"}, "price": "299.00",
             "compare_at_price": "399.00", "stock": 3},
            {"code": "KET-INK", "options": {"Colour": "Ink"}, "price": "329.00", "stock": 40},
        ],
    )
    article = article_factory(title="Best kettles 2025", body=[body.product_card(product)])

    # when a reader opens the product page
    response = client.get("/products/sage-kettle/")

    # then the cheapest available SKU leads the buy box
    assert response.status_code == 200
    page = soup(response)
    box = page.select_one(".offer--buybox")
    assert box["data-product"] == str(product.pk)
    assert box["data-sku"] == "KET-SAGE"
    assert box["data-state"] == "low"
    assert box.select_one(".price").get_text(strip=True) == "¥299.00"
    assert box.select_one(".price-was").get_text(strip=True) == "¥399.00"
    assert box.select_one(".stock").get_text(strip=True) == "Only 3 left"
    form = box.select_one("form.buy-form")
    assert form["action"] == "/cart/add/"
    assert form.select_one("input[name=sku]")["value"] == "KET-SAGE"
    assert form.select_one("input[name=quantity]")["max"] == "3"
    assert form.select_one("button.buy").get_text(strip=True) == "Add to cart"
    # and both options are listed
    labels = [a.select_one(".sku-option__label").get_text(strip=True) for a in page.select(".sku-option")]
    assert labels == ["Sage", "Ink"]
    # and the article that features it is linked
    links = page.select(".featured-in a")
    assert [(a.get_text(" ", strip=True).startswith("Best kettles 2025"), a["href"]) for a in links] == [
        (True, article.url)
    ]


def test_sku_parameter_selects_that_sku(client, soup, product_factory):
    product_factory(slug="mug", skus=[
        {"code": "MUG-S", "options": {"Size": "S"}, "price": "49.00", "stock": 10},
        {"code": "MUG-L", "options": {"Size": "L"}, "price": "69.00", "stock": 0},
    ])

    response = client.get("/products/mug/?sku=MUG-L")

    box = soup(response).select_one(".offer--buybox")
    assert box["data-sku"] == "MUG-L"
    assert box["data-state"] == "sold_out"
    assert box.select_one(".price").get_text(strip=True) == "¥69.00"
    assert box.select_one(".stock").get_text(strip=True) == "Sold out"
    assert box.select_one("form.buy-form") is None
    assert box.select_one(".buy--disabled") is not None


def test_unknown_sku_parameter_keeps_the_default_lead(client, soup, product_factory):
    product_factory(slug="pan", skus=[{"code": "PAN-1", "price": "88.00"}])
    response = client.get("/products/pan/?sku=NOPE")
    assert soup(response).select_one(".offer--buybox")["data-sku"] == "PAN-1"


def test_withdrawn_product_page_says_no_longer_available(client, soup, product_factory):
    product_factory(slug="old-lamp", active=False, skus=[{"code": "LAMP", "stock": 10}])

    response = client.get("/products/old-lamp/")

    assert response.status_code == 200
    page = soup(response)
    box = page.select_one(".offer--gone")
    assert box["data-state"] == "unavailable"
    assert "No longer available" in box.get_text()
    assert page.select("form.buy-form") == []


def test_unknown_product_slug_is_404(client, db):
    assert client.get("/products/does-not-exist/").status_code == 404


def test_product_description_html_is_rendered_sanitised(client, product_factory):
    product_factory(slug="desc", description='<p>Good <b>steel</b><script>alert(1)</script></p>')
    html = client.get("/products/desc/").content.decode()
    assert "<p>Good <b>steel</b>alert(1)</p>" in html
    assert "<script>alert" not in html
