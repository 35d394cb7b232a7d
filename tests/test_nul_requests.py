"""A NUL character anywhere in a URL answers 400, never a 500 (PostgreSQL refuses NUL in text)."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("params", [
    {"q": "rice\x00"}, {"category": "kitchen\x00"}, {"brand": "\x00"}, {"type": "product\x00"}, {"sort": "\x00"},
])
def test_api_search_refuses_nul_in_any_parameter(client, params):
    response = client.get("/api/search", params)

    assert response.status_code == 400
    assert response.json() == {"message": "The address contains a character that is not allowed.", "code": "invalid"}


@pytest.mark.parametrize("url", [
    "/api/products/KET%00-1", "/api/orders/HW%0020261206?email=a@example.com", "/products/kettle%00/",
    "/search/?q=a%00&category=x%00", "/orders/HW%00/",
])
def test_pages_and_api_refuse_nul_in_the_path_or_query(client, url):
    assert client.get(url).status_code == 400
