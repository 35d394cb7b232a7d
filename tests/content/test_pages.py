"""The magazine's page tree: home, article index with filters and pages, and tree rules."""

import datetime

import pytest

from content.models import ArticleIndexPage, ArticlePage, HomePage
from tests.factories import ArticleIndexPageFactory


def test_home_page_lists_live_articles_newest_first(client, soup, site_root, article_factory):
    # given three published articles and a draft
    for day in (1, 2, 3):
        article_factory(title=f"Day {day}", date=datetime.date(2025, 3, day))
    article_factory(title="Draft", date=datetime.date(2025, 3, 9)).unpublish()

    # when a reader opens the home page
    response = client.get("/")

    # then the newest is the cover story and the others follow
    assert response.status_code == 200
    page = soup(response)
    assert page.select_one(".cover__title").get_text(strip=True) == "Day 3"
    assert [a.get_text(strip=True) for a in page.select(".card__title")] == ["Day 2", "Day 1"]
    assert "Draft" not in page.get_text()
    assert [a.get_text(strip=True) for a in page.select(".section-list__name")] == ["Articles"]


def test_home_page_featured_article_is_the_cover(client, soup, site_root, article_factory):
    older = article_factory(title="Chosen", date=datetime.date(2024, 1, 1))
    article_factory(title="Newest", date=datetime.date(2025, 1, 1))
    site_root.featured_article = older
    site_root.save()

    page = soup(client.get("/"))

    assert page.select_one(".cover__title").get_text(strip=True) == "Chosen"
    assert [a.get_text(strip=True) for a in page.select(".card__title")] == ["Newest"]


def test_empty_home_page_renders(client, soup, site_root):
    response = client.get("/")
    assert response.status_code == 200
    assert soup(response).select(".card") == []


def test_article_index_filters_by_category(client, soup, article_index, article_factory, category_factory):
    kitchen, outdoors = category_factory(name="Kitchen", slug="kitchen"), category_factory(name="Outdoors", slug="outdoors")
    article_factory(title="Pans", category=kitchen)
    article_factory(title="Tents", category=outdoors)

    page = soup(client.get(article_index.url, {"category": "kitchen"}))

    assert [a.get_text(strip=True) for a in page.select(".card__title")] == ["Pans"]
    assert page.select_one('.chip[aria-current="true"]').get_text(strip=True) == "Kitchen"


def test_article_index_filters_by_tag(client, soup, article_index, article_factory):
    pans = article_factory(title="Pans")
    pans.tags.add("cast-iron")
    pans.save()
    tents = article_factory(title="Tents")
    tents.tags.add("camping")
    tents.save()

    page = soup(client.get(article_index.url, {"tag": "cast-iron"}))

    assert [a.get_text(strip=True) for a in page.select(".card__title")] == ["Pans"]


def test_article_index_ignores_unknown_filters(client, soup, article_index, article_factory):
    article_factory(title="Pans")
    page = soup(client.get(article_index.url, {"category": "nope", "tag": "nope"}))
    assert [a.get_text(strip=True) for a in page.select(".card__title")] == ["Pans"]


def test_article_index_paginates_twelve_per_page_keeping_the_filter(
    client, soup, article_index, article_factory, category_factory,
):
    # given 14 kitchen articles and one outdoors article
    kitchen, outdoors = category_factory(slug="kitchen"), category_factory(slug="outdoors")
    for day in range(1, 15):
        article_factory(title=f"Kitchen {day:02d}", category=kitchen, date=datetime.date(2025, 1, day))
    article_factory(title="Outdoors", category=outdoors)

    # when the first page of the kitchen filter is opened
    first = soup(client.get(article_index.url, {"category": "kitchen"}))

    # then it holds twelve articles and links to the next page with the filter kept
    titles = [a.get_text(strip=True) for a in first.select(".card__title")]
    assert titles == [f"Kitchen {day:02d}" for day in range(14, 2, -1)]
    assert first.select_one('a[rel="next"]')["href"] == "?category=kitchen&page=2"
    # and the second page holds the remaining two
    second = soup(client.get(article_index.url, {"category": "kitchen", "page": "2"}))
    assert [a.get_text(strip=True) for a in second.select(".card__title")] == ["Kitchen 02", "Kitchen 01"]
    assert second.select_one('a[rel="prev"]')["href"] == "?category=kitchen&page=1"
    assert second.select_one('a[rel="next"]') is None


@pytest.mark.parametrize("page_number", ["99", "abc"])
def test_article_index_out_of_range_page_falls_back(client, soup, article_index, article_factory, page_number):
    article_factory(title="Only")
    response = client.get(article_index.url, {"page": page_number})
    assert response.status_code == 200
    assert [a.get_text(strip=True) for a in soup(response).select(".card__title")] == ["Only"]


def test_article_page_renders_its_header(client, soup, article_factory, author_factory, category_factory):
    page = article_factory(
        title="Best kettles", intro="We boiled 200 litres.",
        author=author_factory(name="Lin", role="Kitchen editor"),
        category=category_factory(name="Kitchen"), date=datetime.date(2025, 3, 1),
    )

    html = soup(client.get(page.url))

    assert html.select_one("h1").get_text(strip=True) == "Best kettles"
    assert html.select_one(".standfirst").get_text(strip=True) == "We boiled 200 litres."
    assert html.select_one(".byline__name").get_text(strip=True) == "Lin"
    assert html.select_one(".byline__date")["datetime"] == "2025-03-01"
    assert html.select_one(".kicker").get_text(strip=True) == "Kitchen"


def test_page_tree_rules(site_root, article_index):
    assert ArticlePage.can_create_at(site_root) is False
    assert ArticlePage.can_create_at(article_index) is True
    assert ArticleIndexPage.can_create_at(site_root) is True
    assert ArticleIndexPage.can_create_at(article_index) is False
    # only one home page per installation
    assert HomePage.can_create_at(site_root.get_parent()) is False
    assert ArticlePage.allowed_subpage_models() == []


def test_draft_article_is_not_served(client, article_factory):
    page = article_factory(slug="secret")
    page.unpublish()
    assert client.get("/articles/secret/").status_code == 404


def test_article_index_shows_only_its_own_articles(client, soup, site_root, article_factory):
    other_index = ArticleIndexPageFactory(parent=site_root, title="Guides", slug="guides")
    article_factory(title="In articles")
    article_factory(title="In guides", parent=other_index)

    page = soup(client.get("/guides/"))

    assert [a.get_text(strip=True) for a in page.select(".card__title")] == ["In guides"]
