"""Articles, the home page and the index as search engines and social networks read them:
the properties Google's Article and Breadcrumb rich results require, sharing tags on
every reader page, and one canonical origin for every absolute address."""

import json
import xml.etree.ElementTree as ET

import pytest
from django.core import mail
from django.utils import translation

ORIGIN = "https://haowu.example"
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture(autouse=True)
def language_restored():
    """A request in Chinese leaves Chinese active in this thread: the next test starts in English."""
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def public_origin(settings):
    settings.WAGTAILADMIN_BASE_URL = ORIGIN


def _graph(soup, response) -> dict:
    (script,) = soup(response).select('script[type="application/ld+json"]')
    data = json.loads(script.string)
    return {node["@type"]: node for node in data["@graph"]}


def _meta(head, name) -> list[str]:
    return [tag["content"] for tag in head.select(f'meta[property="{name}"], meta[name="{name}"]')]


def test_article_json_ld_has_what_article_rich_results_require(client, soup, article_factory, author_factory, image):
    # given an article by Lin with a hero image
    page = article_factory(title="Kitchen picks", slug="kitchen-picks", author=author_factory(name="Lin", slug="lin"),
                           hero_image=image)

    # when it is read
    article = _graph(soup, client.get(page.url))["Article"]

    # then headline, image, date, author (name and page) and publisher (name and logo) are there
    assert article["headline"] == "Kitchen picks"
    assert article["image"].startswith(f"{ORIGIN}/") and ".fill-1600x900" in article["image"]
    assert article["datePublished"] == "2025-03-01"
    assert article["author"] == {"@type": "Person", "name": "Lin", "url": f"{ORIGIN}/articles/?author=lin"}
    assert article["publisher"] == {
        "@type": "Organization", "name": "Haowu 好物", "url": f"{ORIGIN}/",
        "logo": {"@type": "ImageObject", "url": f"{ORIGIN}/static/img/logo.png", "width": 512, "height": 512},
    }


def test_the_publisher_logo_and_share_card_are_served(client):
    # the addresses named above are real PNG files of the sizes they claim
    from django.contrib.staticfiles import finders
    from PIL import Image

    with Image.open(finders.find("img/logo.png")) as logo, Image.open(finders.find("img/share.png")) as card:
        assert (logo.format, logo.size) == ("PNG", (512, 512))
        assert (card.format, card.size) == ("PNG", (1200, 630))


def test_the_author_url_lists_that_authors_articles(client, soup, article_factory, author_factory):
    # given two articles by Lin and one by Wang
    lin, wang = author_factory(name="Lin", slug="lin"), author_factory(name="Wang", slug="wang")
    article_factory(title="Pans", author=lin)
    article_factory(title="Knives", author=wang)
    article_factory(title="Kettles", author=lin)

    # when a reader (or a crawler) follows Lin's author URL
    page = soup(client.get("/articles/?author=lin"))

    # then it lists Lin's articles only and says whose they are
    titles = sorted(a.get_text(strip=True) for a in page.select(".card__title a, h2 a, h3 a"))
    assert titles == ["Kettles", "Pans"]
    assert "Articles by Lin" in page.get_text()


def test_article_breadcrumbs_run_home_index_article(client, soup, article_factory, article_index, site_root):
    page = article_factory(title="Kitchen picks", slug="kitchen-picks")

    trail = _graph(soup, client.get(page.url))["BreadcrumbList"]

    assert trail["itemListElement"] == [
        {"@type": "ListItem", "position": 1, "name": site_root.title, "item": f"{ORIGIN}/"},
        {"@type": "ListItem", "position": 2, "name": article_index.title, "item": f"{ORIGIN}/articles/"},
        {"@type": "ListItem", "position": 3, "name": "Kitchen picks", "item": f"{ORIGIN}/articles/kitchen-picks/"},
    ]


def test_every_address_a_page_hands_out_uses_the_one_canonical_origin(
    client, soup, article_factory, product_factory,
):
    # given an article featuring a product, served through an internal host name
    from tests.factories import content as body

    kettle = product_factory(title="Kettle", slug="kettle")
    page = article_factory(slug="kitchen-picks", body=[body.product_card(kettle)])

    # when the page and the sitemap are read under that host
    response = client.get(page.url, HTTP_HOST="app-1.internal:8000")
    head = soup(response).head
    graph = _graph(soup, response)
    sitemap = client.get("/sitemap.xml", HTTP_HOST="app-1.internal:8000")

    # then the canonical link, og:url, JSON-LD url and mainEntityOfPage agree on the origin
    url = f"{ORIGIN}/articles/kitchen-picks/"
    assert head.select_one('link[rel="canonical"]')["href"] == url
    assert _meta(head, "og:url") == [url]
    assert (graph["Article"]["url"], graph["Article"]["mainEntityOfPage"]) == (url, url)
    assert graph["Product"]["url"] == f"{ORIGIN}/products/kettle/"
    assert graph["Product"]["offers"]["url"] == f"{ORIGIN}/products/kettle/"
    # and so does the sitemap, for pages (Wagtail's Site row says localhost) and products
    locations = {loc.text for loc in ET.fromstring(sitemap.content).findall("s:url/s:loc", SITEMAP_NS)}
    assert locations == {f"{ORIGIN}/", f"{ORIGIN}/articles/", url, f"{ORIGIN}/products/kettle/"}


def test_email_links_use_the_canonical_origin(db, client, product_factory, django_capture_on_commit_callbacks):
    from shop.customers.services import customer_sign_up_start

    with django_capture_on_commit_callbacks(execute=True):
        customer_sign_up_start(email="li.lei@example.com")

    (message,) = mail.outbox
    assert f"{ORIGIN}/account/" in message.body


@pytest.mark.parametrize("language,locale,alternate", [("zh-hans", "zh_CN", "en_US"), ("en", "en_US", "zh_CN")])
def test_home_and_index_have_sharing_tags_in_the_readers_language(
    client, soup, article_index, language, locale, alternate,
):
    for path in ("/", "/articles/"):
        head = soup(client.get(path, HTTP_ACCEPT_LANGUAGE=language)).head

        assert _meta(head, "og:site_name") == ["Haowu 好物"]
        assert _meta(head, "og:type") == ["website"]
        assert _meta(head, "og:url") == [f"{ORIGIN}{path}"]
        assert _meta(head, "og:image") == [f"{ORIGIN}/static/img/share.png"]
        assert _meta(head, "og:image:alt") == ["Haowu 好物"]
        assert _meta(head, "og:locale") == [locale]
        assert _meta(head, "og:locale:alternate") == [alternate]
        assert _meta(head, "twitter:card") == ["summary_large_image"]
        assert head.select_one('link[rel="canonical"]')["href"] == f"{ORIGIN}{path}"
        # One address serves both languages (by Accept-Language): x-default says so.
        assert [(link["hreflang"], link["href"]) for link in head.select('link[rel="alternate"][hreflang]')] == [
            ("x-default", f"{ORIGIN}{path}"),
        ]


def test_an_article_shares_its_hero_in_its_own_language_only(client, soup, article_factory, image):
    page = article_factory(title="Best pans", language="zh-hans", hero_image=image)

    head = soup(client.get(page.url, HTTP_ACCEPT_LANGUAGE="en")).head

    assert _meta(head, "og:type") == ["article"]
    assert _meta(head, "og:site_name") == ["Haowu 好物"]
    assert _meta(head, "og:locale") == ["zh_CN"]
    assert _meta(head, "og:locale:alternate") == []
    assert _meta(head, "og:image:alt") == ["Best pans"]
    assert ".fill-1600x900" in _meta(head, "og:image")[0]
    assert _meta(head, "twitter:card") == ["summary_large_image"]
    assert head.select('link[rel="alternate"][hreflang]') == []


def test_json_ld_carries_the_responses_csp_nonce(client, soup, article_factory):
    page = article_factory()

    response = client.get(page.url)

    (script,) = soup(response).select('script[type="application/ld+json"]')
    assert script["nonce"] and f"'nonce-{script['nonce']}'" in response["Content-Security-Policy"]


def test_a_preview_of_an_unsaved_article_renders(article_index, author_factory):
    # given an editor's new article, not saved yet (Wagtail previews it like this)
    from content.models import ArticlePage

    page = ArticlePage(title="Draft picks", slug="draft-picks", intro="Soon.", author=author_factory())
    page.set_url_path(article_index)

    # when it is previewed
    response = page.make_preview_request()

    # then it renders, with its would-be canonical address
    assert response.status_code == 200
    assert f'<link rel="canonical" href="{ORIGIN}/articles/draft-picks/">' in response.content.decode()
