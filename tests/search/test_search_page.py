"""The reader's /search/ page on the database search (no ELASTICSEARCH_URL), and its
reduced mode when the configured server cannot be reached."""

from urllib.parse import parse_qs, urlparse

import pytest

pytestmark = pytest.mark.django_db


def _query(url):
    return {k: v[0] for k, v in parse_qs(urlparse(url).query).items()}


def test_the_page_lists_articles_and_products_with_price_stock_and_features(
    client, soup, article_factory, product_factory, category_factory,
):
    # given a product featured by one article, and that article
    kitchen = category_factory(name="Kitchen", slug="kitchen")
    kettle = product_factory(title="Sage Kettle", category=kitchen,
                             skus=[{"code": "KET-1", "price": "299.00", "stock": 0}])
    article_factory(title="Kettle shoot-out", intro="Five kettles, one winner.", category=kitchen,
                    body=[{"type": "product_card", "value": {"product": kettle.pk, "sku": None, "badge": "",
                                                              "note": "<p>Fast.</p>"}}])

    # when a reader searches
    response = client.get("/search/", {"q": "kettle"})
    page = soup(response)

    # then both kinds show, the product with its price, stock and articles
    assert response.status_code == 200
    assert page.select_one("meta[name=robots]")["content"] == "noindex"
    rows = page.select(".result")
    assert [r.select_one(".result__title").get_text().strip() for r in rows] == ["Kettle shoot-out", "Sage Kettle"]
    product = page.select_one(".result--product")
    assert product.select_one(".price").get_text(strip=True) == "¥299.00"
    assert product.select_one(".stock").get_text(strip=True) == "Sold out"
    assert product.select_one(".result__featured").get_text(strip=True) == "Featured in 1 article"
    assert product.select_one(".result__title a")["href"] == "/products/sage-kettle/?sku=KET-1"
    assert [m.get_text() for m in page.select(".result__title mark")] == ["Kettle", "Kettle"]
    assert page.select_one(".notice") is None


def test_a_products_skus_that_match_together_show_as_one_row_listing_each(client, soup, product_factory):
    product_factory(title="Linen Towel", slug="linen-towel", skus=[
        {"code": "LT-S", "price": "59.00", "stock": 3, "options": {"size": "S", "colour": "Sand"}},
        {"code": "LT-L", "price": "129.00", "stock": 0, "options": {"size": "L", "colour": "Sand"}},
    ])
    product_factory(title="Cotton Towel", slug="cotton-towel", skus=[{"code": "CT-1", "price": "89.00", "stock": 2}])

    # by relevance the two SKUs stand together: one row, the product once, each SKU listed
    page = soup(client.get("/search/", {"q": "towel"}))
    rows = {row.select_one(".result__title").get_text().strip(): row for row in page.select(".result--product")}
    assert sorted(rows) == ["Cotton Towel", "Linen Towel"]
    linen = rows["Linen Towel"]
    assert sorted((v.select_one("a").get_text(strip=True), v.select_one("a")["href"],
                   v.select_one(".price").get_text(strip=True), v.select_one(".stock").get_text(strip=True))
                  for v in linen.select(".result__variant")) == [
        ("Sand / L", "/products/linen-towel/?sku=LT-L", "¥129.00", "Sold out"),
        ("Sand / S", "/products/linen-towel/?sku=LT-S", "¥59.00", "In stock"),
    ]
    assert rows["Cotton Towel"].select(".result__variant") == []
    assert rows["Cotton Towel"].select_one(".result__buy .price").get_text(strip=True) == "¥89.00"

    # by price another towel stands between them: each SKU keeps its own row and place
    by_price = soup(client.get("/search/", {"q": "towel", "sort": "price"}))
    assert [(row.select_one(".result__title").get_text().strip(), row.select_one(".price").get_text(strip=True))
            for row in by_price.select(".result--product")] == [
        ("Linen Towel", "¥59.00"), ("Cotton Towel", "¥89.00"), ("Linen Towel", "¥129.00"),
    ]
    assert by_price.select(".result__variant") == []


def test_facet_links_add_and_remove_a_filter_and_keep_the_query(client, soup, product_factory, brand_factory):
    hay = brand_factory(name="Hay", slug="hay")
    product_factory(title="Lamp one", brand=hay)
    product_factory(title="Lamp two")

    page = soup(client.get("/search/", {"q": "lamp", "sort": "newest"}))
    brand_link = next(a for a in page.select(".facet__link") if "Hay" in a.get_text())
    assert _query(brand_link["href"]) == {"q": "lamp", "sort": "newest", "brand": "hay"}

    narrowed = soup(client.get("/search/" + brand_link["href"]))
    assert [a.get_text().strip() for a in narrowed.select(".result__title")] == ["Lamp one"]
    chosen = narrowed.select_one(".facet__link.is-active")
    assert chosen["aria-current"] == "true"
    assert _query(chosen["href"]) == {"q": "lamp", "sort": "newest"}


def test_pagination_keeps_the_filters(client, soup, product_factory):
    for n in range(23):
        product_factory(title=f"Bowl {n:02d}", skus=[{"price": f"{10 + n}.00"}])

    page = soup(client.get("/search/", {"q": "bowl", "sort": "price", "in_stock": "true"}))
    next_link = page.select_one("a[rel=next]")

    assert _query(next_link["href"]) == {"q": "bowl", "sort": "price", "in_stock": "true", "page": "2"}
    second = soup(client.get("/search/" + next_link["href"]))
    assert [a.get_text().strip() for a in second.select(".result__title")] == ["Bowl 20", "Bowl 21", "Bowl 22"]
    assert _query(second.select_one("a[rel=prev]")["href"]) == {"q": "bowl", "sort": "price", "in_stock": "true"}


def test_the_query_is_shown_escaped_and_an_overlong_one_is_refused(client, soup):
    response = client.get("/search/", {"q": "<script>alert(1)</script>"})
    assert response.status_code == 200
    assert b"<script>alert(1)</script>" not in response.content
    assert "“<script>alert(1)</script>”" in soup(response).select_one(".empty").get_text()

    too_long = client.get("/search/", {"q": "x" * 201})
    assert too_long.status_code == 400
    assert soup(too_long).select_one(".notice--error") is not None


def test_bad_filters_are_ignored(client, soup, product_factory):
    product_factory(title="Vase")

    response = client.get("/search/", {"q": "vase", "page": "0", "sort": "random", "type": "poem"})

    assert response.status_code == 200
    assert [a.get_text().strip() for a in soup(response).select(".result__title")] == ["Vase"]


def test_an_empty_box_invites_a_search(client, soup):
    page = soup(client.get("/search/"))
    assert page.select(".result") == []
    assert page.select_one(".search-page .empty") is not None


def test_the_header_box_is_an_accessible_combobox_that_works_without_script(client, soup):
    page = soup(client.get("/search/"))
    form = page.select_one(".site-header form[role=search]")
    box = form.select_one("input[name=q]")

    assert (form["action"], form["method"]) == ("/search/", "get")
    assert box["role"] == "combobox"
    assert box["aria-controls"] == "site-search-suggestions"
    assert page.select_one("#site-search-suggestions")["role"] == "listbox"
    assert page.select_one("script[src$='js/search.js']") is not None


def test_unreachable_server_gives_database_results_with_a_notice(
    client, soup, search_server_down, product_factory,
):
    # given a configured Elasticsearch that does not answer
    product_factory(title="Rice cooker")

    # when a reader searches
    response = client.get("/search/", {"q": "rice"})
    page = soup(response)

    # then the database answers and the page says search is reduced
    assert response.status_code == 200
    assert [a.get_text().strip() for a in page.select(".result__title")] == ["Rice cooker"]
    assert page.select_one(".notice").get_text(strip=True).startswith("Search is running in reduced mode")


def test_on_elasticsearch_matches_are_marked_and_a_miss_suggests_a_spelling(
    client, soup, search_index, product_factory,
):
    from search.indexing import documents_update

    mugs = product_factory(title="Stoneware <Mugs>", slug="mugs", skus=[{"code": "MUG-1", "price": "89.00"}])
    documents_update(product_ids=[mugs.pk])

    page = soup(client.get("/search/", {"q": "mugs"}))
    title = page.select_one(".result__title a")
    assert title.decode_contents() == "Stoneware &lt;<mark>Mugs</mark>&gt;"
    assert page.select_one(".notice") is None

    miss = soup(client.get("/search/", {"q": "stonewere"}))
    suggestion = miss.select_one(".search-suggestion a")
    assert suggestion.get_text() == "stoneware"
    assert _query(suggestion["href"]) == {"q": "stoneware"}
