"""An article's query count does not grow with its number of product blocks."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import content as body


def _shoppable_blocks(products, look_image):
    first, second, third = products
    return [
        body.product_card(first, note="<p>Why.</p>"),
        body.product_grid([first, second, third]),
        body.comparison_table([second, third], winner=1),
        body.shop_the_look(look_image, [(first.skus.first(), "10", "10", ""), (third.skus.first(), "60", "40", "")]),
    ]


def _queries(client, page) -> list[str]:
    with CaptureQueriesContext(connection) as context:
        response = client.get(page.url)
    assert response.status_code == 200
    return [q["sql"] for q in context.captured_queries]


def test_forty_product_blocks_cost_the_same_queries_as_four(
    client, article_factory, product_factory, image_factory, image,
):
    # given products with images and SKUs in every state
    products = [
        product_factory(images=1, skus=[{"price": "99.00", "stock": 3}, {"price": "129.00", "stock": 0}])
        for _ in range(30)
    ]
    products[4].active = False
    products[4].save()
    hero = image_factory()
    # and article A with one block of each shoppable type
    small = article_factory(hero_image=hero, body=_shoppable_blocks(products[:3], image))
    # and article B with ten of each (40 product blocks over 30 products and 10 images)
    blocks = []
    for i in range(10):
        trio = products[(i * 3) % 30:(i * 3) % 30 + 3]
        blocks += _shoppable_blocks(trio, image_factory())
    large = article_factory(hero_image=hero, body=blocks)
    assert len(large.body) == 40
    # warmed once, so every rendition exists
    _queries(client, small)
    _queries(client, large)

    # when each is rendered again
    small_queries = _queries(client, small)
    large_queries = _queries(client, large)

    # then both cost the same number of queries
    assert len(large_queries) == len(small_queries), "\n".join(large_queries)


def test_an_article_renders_in_a_pinned_number_of_queries(
    client, article_factory, product_factory, image, django_assert_num_queries, settings,
):
    settings.HAOWU_PAGE_CACHE_SECONDS = 0  # the rendering itself, not the page cache
    products = [product_factory(images=1) for _ in range(3)]
    page = article_factory(hero_image=image, body=_shoppable_blocks(products, image))
    _queries(client, page)

    # Site and page routing, author, the stream's choosers, images, offers (4), tags and the
    # ancestors named by the breadcrumb trail (JSON-LD).
    # When this number changes, find the query that came or went and say why in the commit.
    with django_assert_num_queries(23):
        response = client.get(page.url)
    assert response.status_code == 200
