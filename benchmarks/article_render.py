"""Render an article with 40 product blocks and an empty article in the same run, and
compare: queries for each (goal: equal) and the median time ratio (goal: ≤ 2.0).

    .venv/bin/python benchmarks/article_render.py [--repeat 30]

Runs against a throwaway test database and a temporary MEDIA_ROOT; it reports and
always exits 0.
"""

import argparse
import statistics
import sys
import time
from contextlib import contextmanager

import harness
from django.db import connection
from django.template.base import Template
from django.test import Client
from django.test.utils import (
    CaptureQueriesContext,
    _TestState,
    setup_test_environment,
    teardown_test_environment,
)

GOAL_RATIO = 2.0
BLOCKS = 40


def build_articles():
    """Thirty products with images and two SKUs each; one article with 40 product blocks
    (ten each of cards, grids, comparison tables and shop-the-look images), one with one
    block of each kind, and one with none."""
    from content.models import HomePage
    from tests.factories import (
        ArticleIndexPageFactory,
        ArticlePageFactory,
        ImageFactory,
        ProductFactory,
    )
    from tests.factories import content as body

    products = [
        ProductFactory(images=1, skus=[
            {"price": "129.00", "compare_at_price": "159.00", "stock": 3 if i % 4 == 0 else 40},
            {"price": "149.00", "stock": 0},
        ])
        for i in range(30)
    ]
    index = ArticleIndexPageFactory(parent=HomePage.objects.get())
    hero = ImageFactory()

    def one_of_each(i):
        first, second, third = (products[(i * 3 + k) % 30] for k in range(3))
        return [
            body.product_card(first, badge="Pick"),
            body.product_grid([first, second, third]),
            body.comparison_table([second, third], winner=1),
            body.shop_the_look(ImageFactory(), [(first.skus.first(), "20", "30", ""),
                                                (third.skus.first(), "70", "60", "")]),
        ]

    blocks = [block for i in range(BLOCKS // 4) for block in one_of_each(i)]
    full = ArticlePageFactory(parent=index, title="Forty products", hero_image=hero, body=blocks)
    four = ArticlePageFactory(parent=index, title="Four products", hero_image=hero, body=one_of_each(0))
    empty = ArticlePageFactory(parent=index, title="No products", hero_image=hero, body=[])
    return full, four, empty


@contextmanager
def production_template_rendering():
    """setup_test_environment() makes every template render send a signal that the test
    Client answers by copying the whole context: hundreds of includes per article turn
    that into most of the time measured. Time rendering as production does it."""
    instrumented = Template._render
    Template._render = _TestState.saved_data.template_render
    try:
        yield
    finally:
        Template._render = instrumented


def measure(client, page, repeat):
    with CaptureQueriesContext(connection) as context:
        response = client.get(page.url)
    assert response.status_code == 200, response.status_code
    # read now: every request starts by clearing the connection's query log
    queries = len(context.captured_queries)
    timings = []
    with production_template_rendering():
        for _ in range(repeat):
            start = time.perf_counter()
            response = client.get(page.url)
            timings.append((time.perf_counter() - start) * 1000)
    offers = response.content.decode().count('class="offer ')
    return queries, statistics.median(timings), offers


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30, help="renders per article (median taken)")
    args = parser.parse_args()

    setup_test_environment()
    try:
        with harness.throwaway_database():
            articles = build_articles()
            client = Client()
            for page in articles:  # warm: renditions, template caches
                assert client.get(page.url).status_code == 200
            rows = [(page, *measure(client, page, args.repeat)) for page in articles]
    finally:
        teardown_test_environment()

    (_, full_q, full_ms, _), (_, four_q, _, _), (_, empty_q, empty_ms, _) = rows
    ratio = full_ms / empty_ms
    passed = ratio <= GOAL_RATIO and full_q == empty_q
    print(f"Article render ({connection.vendor}, median of {args.repeat} renders after one warm-up)")
    print(f"{'article':<34}{'blocks':>7}{'offers':>8}{'queries':>9}{'median ms':>11}")
    labels = ("40 product blocks (full)", "4 product blocks (one of each)", "empty (no blocks)")
    for label, (page, queries, ms, offers) in zip(labels, rows, strict=True):
        print(f"{label:<34}{len(page.body):>7}{offers:>8}{queries:>9}{ms:>11.1f}")
    print(f"queries 40 vs 4 product blocks: {full_q} vs {four_q} "
          f"({'constant' if full_q == four_q else 'GROWS WITH BLOCKS'})")
    print(f"ratio full/empty: {ratio:.2f}   queries full/empty: {full_q}/{empty_q}   "
          f"goal: ratio ≤ {GOAL_RATIO}, queries equal   {'PASS' if passed else 'FAIL'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
