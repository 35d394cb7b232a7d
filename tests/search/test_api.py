"""GET /api/search and /api/suggest: public JSON reads, on Elasticsearch and on the database."""

import pytest

from search.indexing import documents_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def indexed(search_index, article_factory, product_factory, category_factory):
    kitchen = category_factory(name="Kitchen", slug="kitchen")
    flask = product_factory(title="真空保温杯 Flask", slug="flask", category=kitchen,
                            skus=[{"code": "FL-1", "price": "199.00", "stock": 0}])
    article = article_factory(title="保温杯横评", category=kitchen,
                              body=[{"type": "product_card", "value": {"product": flask.pk, "sku": None,
                                                                        "badge": "", "note": ""}}])
    documents_update(article_ids=[article.pk], product_ids=[flask.pk])
    return {"flask": flask, "article": article}


def test_search_answers_articles_products_and_facets(client, indexed):
    response = client.get("/api/search", {"q": "保温杯"})

    assert response.status_code == 200
    data = response.json()
    assert data["total"] == 2
    assert data["backend"] == "elasticsearch"
    assert data["notice"] is None
    assert data["suggestion"] is None
    [product] = data["products"]
    assert {k: product[k] for k in ("type", "title", "url", "sku", "price", "in_stock", "featured_count")} == {
        "type": "product", "title": "真空保温杯 Flask", "url": "/products/flask/?sku=FL-1", "sku": "FL-1",
        "price": "199.00", "in_stock": False, "featured_count": 1,
    }
    [article] = data["articles"]
    assert (article["type"], article["title"], article["url"]) == ("article", "保温杯横评", indexed["article"].url)
    assert {v["value"]: v["count"] for v in data["facets"]["category"]} == {"kitchen": 2}
    assert {v["value"]: v["count"] for v in data["facets"]["in_stock"]} == {"true": 0, "false": 1}
    assert set(data["facets"]) == {"type", "category", "brand", "price", "in_stock"}
    # two matches are counted exactly, and every value says so
    assert {v["approximate"] for values in data["facets"].values() for v in values} == {False}


def test_filters_and_page_size(client, indexed):
    data = client.get("/api/search", {"q": "保温杯", "type": "product", "in_stock": "false",
                                      "category": "kitchen", "page_size": 1}).json()

    assert (data["total"], data["page_size"], len(data["products"]), data["articles"]) == (1, 1, 1, [])


def test_suggest_answers_titles_and_urls(client, indexed):
    response = client.get("/api/suggest", {"q": "flas"})

    assert response.status_code == 200
    assert response.json() == [{"title": "真空保温杯 Flask", "url": "/products/flask/?sku=FL-1"}]


@pytest.mark.parametrize("params", [
    {"page": "0"}, {"sort": "cheapest"}, {"type": "poem"}, {"q": "x" * 201}, {"page_size": "101"},
    {"page_size": "0"}, {"page": "two"}, {"in_stock": "maybe"}, {"price_min": "-1"}, {"page": "9999"},
])
def test_bad_parameters_answer_a_message(client, db, params):
    response = client.get("/api/search", params)

    assert response.status_code in (400, 422)
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert isinstance(response.json()["message"], str)
    assert response.json()["message"]


def test_an_overlong_suggest_query_is_refused(client, db):
    response = client.get("/api/suggest", {"q": "x" * 201})

    assert response.status_code == 400
    assert response.json() == {"message": "Search for at most 200 characters."}


@pytest.mark.parametrize("q", ['"', "(", ")]", "\\", "*:*", "a:b", "OR", "~", "^2", "<script>", "'; --"])
def test_odd_queries_answer_200(client, indexed, q):
    response = client.get("/api/search", {"q": q})

    assert response.status_code == 200
    assert response.json()["backend"] == "elasticsearch"
    assert client.get("/api/suggest", {"q": q}).status_code == 200


def test_without_a_server_the_database_answers_the_same_shape(client, product_factory):
    product_factory(title="Rice cooker", slug="rice-cooker", skus=[{"code": "RC-1", "price": "459.90"}])

    data = client.get("/api/search", {"q": "rice"}).json()

    assert data["backend"] == "database"
    assert data["notice"] is None
    assert [(p["title"], p["sku"], p["price"], p["in_stock"], p["url"]) for p in data["products"]] == [
        ("Rice cooker", "RC-1", "459.90", True, "/products/rice-cooker/?sku=RC-1")]
    assert client.get("/api/suggest", {"q": "ric"}).json() == [{"title": "Rice cooker", "url": "/products/rice-cooker/"}]


@pytest.mark.parametrize("q", ["rice\x1e", "\x1e\u00eb1\x87\u00fe\t", "ri\x07ce"])
def test_control_characters_are_read_as_spaces_by_the_database_search(client, product_factory, q):
    # (NUL never gets this far: a URL holding one answers 400, tests/test_nul_requests.py)
    product_factory(title="Rice cooker", slug="rice-cooker", skus=[{"code": "RC-1", "price": "459.90"}])

    found, suggested = client.get("/api/search", {"q": q}), client.get("/api/suggest", {"q": q})

    assert (found.status_code, suggested.status_code) == (200, 200)
    if q == "rice\x1e":
        assert [p["sku"] for p in found.json()["products"]] == ["RC-1"]
        assert suggested.json() == [{"title": "Rice cooker", "url": "/products/rice-cooker/"}]


def test_an_unreachable_server_answers_from_the_database_with_a_notice(client, search_server_down, product_factory):
    product_factory(title="Rice cooker")

    data = client.get("/api/search", {"q": "rice"}).json()

    assert data["backend"] == "database"
    assert data["notice"].startswith("Search is running in reduced mode")
    assert [p["title"] for p in data["products"]] == ["Rice cooker"]


def test_search_is_public_and_needs_no_csrf_token(client, db):
    # no session, no csrftoken cookie: still a plain 200
    assert client.get("/api/search", {"q": "x"}).status_code == 200
    schema = client.get("/api/openapi.json").json()
    assert schema["paths"]["/api/search"]["get"].get("security") in (None, [])
