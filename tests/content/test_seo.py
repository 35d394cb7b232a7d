"""What search engines and social networks read: sitemap, JSON-LD and OpenGraph."""

import json
import xml.etree.ElementTree as ET

from tests.factories import content as body

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def _json_ld(page_soup) -> dict:
    (script,) = page_soup.select('script[type="application/ld+json"]')
    return json.loads(script.string)


def test_sitemap_lists_live_articles_and_products_only(client, article_factory, product_factory):
    # given live and draft articles, and products on sale and withdrawn
    article_factory(slug="live-one")
    draft = article_factory(slug="draft-one")
    draft.unpublish()
    on_sale = product_factory(slug="on-sale")
    product_factory(slug="withdrawn", active=False)

    # when the sitemap is fetched
    response = client.get("/sitemap.xml")

    # then it lists exactly the live pages and the products on sale
    assert response.status_code == 200
    locations = {loc.text for loc in ET.fromstring(response.content).findall("s:url/s:loc", SITEMAP_NS)}
    paths = {loc.removeprefix("http://127.0.0.1:8000") for loc in locations}
    assert "/articles/live-one/" in paths
    assert f"/products/{on_sale.slug}/" in paths
    assert "/articles/draft-one/" not in paths
    assert "/products/withdrawn/" not in paths
    assert paths == {"/", "/articles/", "/articles/live-one/", "/products/on-sale/"}


def test_article_json_ld_describes_the_article_and_each_product(
    client, soup, article_factory, author_factory, product_factory, image,
):
    # given an article by Lin featuring products in stock, sold out and withdrawn
    in_stock = product_factory(title="Kettle", images=1, skus=[{"code": "K-1", "price": "129.00", "stock": 50}])
    sold_out = product_factory(title="Mug", skus=[{"code": "M-1", "price": "39.90", "stock": 0}])
    withdrawn = product_factory(title="Lamp", active=False, skus=[{"code": "L-1", "price": "299.00"}])
    page = article_factory(
        title="Kitchen picks", intro="Three things.", author=author_factory(name="Lin"),
        hero_image=image,
        body=[body.product_card(in_stock), body.product_grid([sold_out, withdrawn]),
              body.product_card(in_stock)],
    )

    # when the page is read
    data = _json_ld(soup(client.get(page.url)))

    # then the graph holds the Article and one Product per featured product
    article, *others = data["@graph"]
    products = [node for node in others if node["@type"] == "Product"]
    assert data["@context"] == "https://schema.org"
    assert article["@type"] == "Article"
    assert article["headline"] == "Kitchen picks"
    assert article["author"] == {"@type": "Person", "name": "Lin", "url": "http://127.0.0.1:8000/articles/?author=lin"}
    assert article["datePublished"] == "2025-03-01"
    assert article["inLanguage"] == "en"
    assert article["image"].startswith("http://")
    assert article["url"].endswith(page.url)
    offers = {p["name"]: (p["@type"], p["sku"], p["offers"]) for p in products}
    assert sorted(offers) == ["Kettle", "Lamp", "Mug"]
    assert {name: (kind, sku, o["@type"], o["price"], o["priceCurrency"], o["availability"])
            for name, (kind, sku, o) in offers.items()} == {
        "Kettle": ("Product", "K-1", "Offer", "129.00", "CNY", "https://schema.org/InStock"),
        "Mug": ("Product", "M-1", "Offer", "39.90", "CNY", "https://schema.org/OutOfStock"),
        "Lamp": ("Product", "L-1", "Offer", "299.00", "CNY", "https://schema.org/Discontinued"),
    }
    kettle = next(p for p in products if p["name"] == "Kettle")
    assert kettle["url"].endswith(f"/products/{in_stock.slug}/")
    assert kettle["image"].startswith("http://")


def test_json_ld_cannot_be_closed_by_a_title(client, article_factory):
    page = article_factory(title="</script><script>alert(1)</script>")

    html = client.get(page.url).content.decode()

    assert "</script><script>alert(1)" not in html
    start = html.index(">", html.index('<script type="application/ld+json"')) + 1
    payload = html[start:html.index("</script>", start)]
    assert json.loads(payload)["@graph"][0]["headline"] == "</script><script>alert(1)</script>"


def test_article_has_opengraph_and_canonical_tags(client, soup, article_factory, image):
    page = article_factory(title="Best pans", intro="Cast iron or steel?", hero_image=image, language="zh-hans")

    head = soup(client.get(page.url)).head

    def meta(prop):
        tag = head.select_one(f'meta[property="{prop}"]')
        return tag["content"] if tag else None

    assert head.title.get_text().startswith("Best pans")
    assert head.select_one('meta[name="description"]')["content"] == "Cast iron or steel?"
    assert head.select_one('link[rel="canonical"]')["href"].endswith(page.url)
    assert meta("og:type") == "article"
    assert meta("og:title") == "Best pans"
    assert meta("og:description") == "Cast iron or steel?"
    assert meta("og:url").endswith(page.url)
    assert meta("og:locale") == "zh_CN"
    assert meta("og:image").startswith("http://")
    assert ".fill-1600x900" in meta("og:image")


def test_article_without_hero_image_shares_the_brand_card(client, soup, article_factory):
    page = article_factory(hero_image=None)
    head = soup(client.get(page.url)).head
    assert head.select_one('meta[property="og:image"]')["content"] == "http://127.0.0.1:8000/static/img/share.png"
    assert head.select_one('meta[property="og:type"]')["content"] == "article"
