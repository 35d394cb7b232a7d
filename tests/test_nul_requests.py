"""A NUL character never reaches PostgreSQL (which refuses it in text) as a 500: pages
answer 400, the API answers as its document says."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", [
    "/products/kettle%00/", "/search/?q=a%00&category=x%00", "/orders/HW%00/", "/guides/?x=%00",
])
def test_pages_refuse_nul_in_the_path_or_query(client, url):
    response = client.get(url)

    assert response.status_code == 400
    assert response.content.decode() == "The address contains a character that is not allowed."


@pytest.mark.parametrize("url", ["/api/products/KET%00-1", "/api/orders/HW%0020261206?email=a@example.com"])
def test_an_api_path_holding_nul_names_nothing(client, url):
    response = client.get(url)

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize("params", [{"category": "kitchen\x00"}, {"brand": "\x00"}])
def test_api_search_refuses_a_filter_holding_nul(client, params):
    response = client.get("/api/search", params)

    assert response.status_code == 400
    assert response.json() == {"message": "There is no category or brand with that name."}


def test_api_search_reads_a_nul_in_the_query_as_a_space(client):
    assert client.get("/api/search", {"q": "rice\x00"}).status_code == 200
    assert client.get("/api/suggest", {"q": "rice\x00"}).status_code == 200
