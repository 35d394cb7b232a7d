"""Editors' synonyms: one group of words per row, in both languages, applied to the
reader's words when they search (Elasticsearch and the database alike), so a change
takes effect on the next search with no rebuild."""

import pytest
from django.contrib.auth.models import Group, User

from search.indexing import documents_update
from search.models import SearchSynonym
from search.selectors import search_run

pytestmark = pytest.mark.django_db


@pytest.fixture
def kitchen(product_factory):
    return {
        "kettle": product_factory(title="电水壶 1.5L", slug="kettle",
                                  skus=[{"code": "KT-15", "price": "159.00", "stock": 4}]),
        "flask": product_factory(title="真空保温杯", slug="flask",
                                 skus=[{"code": "FL-48", "price": "199.00", "stock": 2}]),
        "mug": product_factory(title="Stoneware Mug", slug="mug",
                               skus=[{"code": "MG-01", "price": "49.00", "stock": 9}]),
    }


def _titles(results):
    return [hit.title for hit in results.hits]


def test_an_english_word_finds_the_chinese_products_of_its_synonym_group_in_elasticsearch(search_index, kitchen):
    documents_update(product_ids=[p.pk for p in kitchen.values()])
    SearchSynonym.objects.create(words="kettle, 水壶, 电水壶")
    SearchSynonym.objects.create(words="thermos, vacuum flask, 保温杯")

    assert _titles(search_run(q="kettle")) == ["电水壶 1.5L"]
    assert _titles(search_run(q="Thermos")) == ["真空保温杯"]
    assert _titles(search_run(q="mug")) == ["Stoneware Mug"]


def test_a_chinese_word_finds_the_english_products_of_its_group_in_elasticsearch(search_index, kitchen):
    documents_update(product_ids=[p.pk for p in kitchen.values()])
    SearchSynonym.objects.create(words="马克杯，mug")  # a Chinese comma separates words too

    assert _titles(search_run(q="马克杯")) == ["Stoneware Mug"]


def test_a_new_synonym_group_applies_to_the_next_search_without_a_rebuild(search_index, kitchen):
    documents_update(product_ids=[p.pk for p in kitchen.values()])
    assert _titles(search_run(q="kettle")) == []

    group = SearchSynonym.objects.create(words="kettle, 水壶")
    assert _titles(search_run(q="kettle")) == ["电水壶 1.5L"]

    group.delete()
    assert _titles(search_run(q="kettle")) == []


def test_the_database_search_applies_the_same_synonyms(settings, kitchen):
    settings.ELASTICSEARCH_URL = ""
    SearchSynonym.objects.create(words="kettle, 水壶, 电水壶")
    SearchSynonym.objects.create(words="thermos, 保温杯")

    assert _titles(search_run(q="kettle")) == ["电水壶 1.5L"]
    assert _titles(search_run(q="THERMOS")) == ["真空保温杯"]
    # every word must still be found: a synonym stands in for its own word only
    assert _titles(search_run(q="kettle mug")) == []


def test_synonyms_are_a_snippet_editors_may_manage(client):
    editor = User.objects.create_user(username="editor", password="x", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)

    response = client.post("/admin/snippets/search/searchsynonym/add/", {"words": "kettle, 水壶, 电水壶"})

    assert response.status_code == 302
    assert list(SearchSynonym.objects.values_list("words", flat=True)) == ["kettle, 水壶, 电水壶"]
    assert client.get("/admin/snippets/search/searchsynonym/").status_code == 200


def test_a_synonym_group_needs_two_words(client, admin_user):
    client.force_login(admin_user)

    response = client.post("/admin/snippets/search/searchsynonym/add/", {"words": "kettle, "})

    assert response.status_code == 200
    assert SearchSynonym.objects.count() == 0
    assert "at least two words" in response.content.decode()
