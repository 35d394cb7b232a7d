"""Editors' picks (Wagtail's promoted search results) above the results, and the search
terms readers type (and those that found nothing), counted for the reports marketers and
editors read."""

import datetime

import pytest
from django.contrib.auth.models import Group, User
from wagtail.contrib.search_promotions.models import Query, SearchPromotion

from search.models import UnansweredSearch

pytestmark = pytest.mark.django_db


def _promote(query, page=None, **fields):
    return SearchPromotion.objects.create(query=Query.get(query), page=page, **fields)


def _member(group_name):
    user = User.objects.create_user(username=group_name.lower(), password="x")
    user.groups.add(Group.objects.get(name=group_name))
    return user


def test_editors_picks_stand_above_the_first_page_of_results(client, soup, article_factory, product_factory):
    guide = article_factory(title="Why we still love a good thermos")
    draft = article_factory(title="Thermos shoot-out (draft)")
    draft.unpublish()
    product_factory(title="Steel Thermos")
    _promote("Thermos", page=guide, description="Our long-term test.", sort_order=1)
    _promote("thermos", page=draft, sort_order=2)  # the same query, normalised
    _promote("THERMOS ", external_link_url="https://example.com/care", external_link_text="Care guide",
             sort_order=3)

    page = soup(client.get("/search/", {"q": "  Thermos "}))

    picks = page.select(".search-pick")
    assert [(p.select_one("a").get_text(strip=True), p.select_one("a")["href"]) for p in picks] == [
        ("Why we still love a good thermos", guide.url), ("Care guide", "https://example.com/care"),
    ]
    assert picks[0].select_one(".search-pick__description").get_text(strip=True) == "Our long-term test."
    # above the results, which still list everything found
    assert page.select_one(".search-picks").find_next("ol", class_="result-list") is not None
    assert "Steel Thermos" in [t.get_text().strip() for t in page.select(".result__title")]


def test_the_api_lists_the_picks_on_its_first_page_only(client, article_factory, product_factory):
    guide = article_factory(title="Kettle guide")
    for n in range(3):
        product_factory(title=f"Kettle {n}")
    _promote("kettle", page=guide, description="Start here.")

    first = client.get("/api/search", {"q": "kettle", "page_size": 2}).json()
    second = client.get("/api/search", {"q": "kettle", "page_size": 2, "page": 2}).json()

    assert first["promoted"] == [{"title": "Kettle guide", "url": guide.url, "description": "Start here."}]
    assert second["promoted"] == []
    assert client.get("/api/search", {"q": "mug"}).json()["promoted"] == []


def test_each_new_search_on_the_page_is_counted_once(client, product_factory):
    product_factory(title="Bento box")

    client.get("/search/", {"q": "Bento  Box"})
    client.get("/search/", {"q": "bento box", "sort": "price"})
    client.get("/search/", {"q": "bento box", "page": 2})  # paging on is not a new search
    client.get("/api/search", {"q": "bento box"})  # scripts do not count
    client.get("/search/", {"q": "", "category": "kitchen"})  # browsing is not a search

    assert list(Query.objects.values_list("query_string", flat=True)) == ["bento box"]
    assert Query.get("bento box").hits == 2


def test_marketers_and_editors_read_the_search_terms_and_editors_promote(client, soup):
    Query.get("保温杯").add_hit()
    Query.get("保温杯").add_hit()
    Query.get("kettle").add_hit(date=datetime.date.today() - datetime.timedelta(days=2))

    for role in ("Marketers", "Editors"):
        client.force_login(_member(role))
        response = client.get("/admin/search-terms/")
        assert response.status_code == 200, role
        assert _report_rows(soup(response)) == [("保温杯", "2"), ("kettle", "1")]
        # and a chart of the most searched terms, longest bar first
        bars = [(row.select("text")[0].get_text(), row.select("text")[1].get_text(), float(row.rect["width"]))
                for row in soup(response).select(".hw-terms-row")]
        assert [(term, hits) for term, hits, _width in bars] == [("保温杯", "2"), ("kettle", "1")]
        assert bars[0][2] == 2 * bars[1][2]
        menu = client.get("/admin/").content.decode()
        assert "/admin/search-terms/" in menu

    # editors manage promotions; marketers only read
    assert client.get("/admin/searchpicks/add/").status_code == 200
    client.force_login(_member("Operators"))
    assert client.get("/admin/search-terms/").status_code in (302, 403)
    client.force_login(User.objects.get(username="marketers"))
    assert client.get("/admin/searchpicks/add/").status_code in (302, 403)


def _report_rows(page):
    """(term, count) per row of a search report's table."""
    return [(r.select_one("td").get_text(strip=True), r.select("td")[-1].get_text(strip=True))
            for r in page.select("tbody tr")]


def test_searches_that_found_nothing_are_counted_and_listed_for_marketers(client, soup, product_factory,
                                                                          category_factory):
    category_factory(name="Kitchen", slug="kitchen")
    product_factory(title="Bento box")

    client.get("/search/", {"q": "yoga mat"})
    client.get("/search/", {"q": "Yoga  Mat", "sort": "newest"})
    client.get("/search/", {"q": "bento box"})  # found something
    client.get("/search/", {"q": "bento box", "category": "kitchen"})  # narrowed to nothing by a filter
    client.get("/api/search", {"q": "yoga mat"})  # scripts do not count

    assert list(UnansweredSearch.objects.values_list("query__query_string", "searches")) == [("yoga mat", 2)]

    # the report adds up the last 30 days only
    UnansweredSearch.objects.create(query=Query.get("yoga mat"),
                                    date=datetime.date.today() - datetime.timedelta(days=40), searches=9)
    UnansweredSearch.objects.create(query=Query.get("rice cooker"),
                                    date=datetime.date.today() - datetime.timedelta(days=3), searches=1)
    client.force_login(_member("Marketers"))
    response = client.get("/admin/search-terms/found-nothing/")
    assert response.status_code == 200
    assert _report_rows(soup(response)) == [("yoga mat", "2"), ("rice cooker", "1")]
    assert [row.select("text")[0].get_text() for row in soup(response).select(".hw-terms-row")] == [
        "yoga mat", "rice cooker"]
    assert "/admin/search-terms/found-nothing/" in client.get("/admin/").content.decode()
    client.force_login(_member("Operators"))
    assert client.get("/admin/search-terms/found-nothing/").status_code in (302, 403)


def test_search_term_exports_keep_a_readers_query_from_running_as_a_formula(client):
    # given readers who searched for spreadsheet formulas, one of which found nothing
    from tests.spreadsheets import csv_rows, xlsx_cells

    Query.get("@SUM(1+1)").add_hit()
    UnansweredSearch.objects.create(query=Query.get("=cmd|' /C calc'!A0"), date=datetime.date.today(), searches=3)
    client.force_login(_member("Marketers"))

    for url, term, hits in (("/admin/search-terms/", "@sum(1+1)", 1),
                            ("/admin/search-terms/found-nothing/", "=cmd|' /c calc'!a0", 3)):
        # when a marketer exports the report as CSV and as XLSX
        as_csv = csv_rows(client.get(url, {"export": "csv"}))
        as_xlsx = xlsx_cells(client.get(url, {"export": "xlsx"}))

        # then the CSV term starts with an apostrophe, the XLSX term is text as typed, counts are numbers
        assert as_csv[1:] == [["'" + term, str(hits)]], url
        assert as_xlsx[1:] == [[(term, "s"), (hits, "n")]], url
