"""Consent and counting in a real browser: the banner's choice without leaving the page,
the beacon's page view and impressions, and a click recorded under the visitor cookie."""


import pytest

from shop.attribution.models import DailyEngagement, Touch
from tests.browser.helpers import READER_AGENT, wait_for
from tests.factories import content as body


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_reader_accepts_cookies_is_counted_and_clicks_a_product(
    live_server, article_factory, product_factory, browser_page,
):
    # given an article with a product card near the top and one far below
    kettle = product_factory(title="Sage Kettle", slug="sage-kettle", skus=[{"code": "KET-1", "price": "299.00"}])
    mug = product_factory(title="Stoneware Mug", skus=[{"code": "MUG-1", "price": "59.00"}])
    article = article_factory(title="Morning kit", body=[
        body.product_card(kettle),
        *[body.paragraph("<p>" + "Long reading. " * 80 + "</p>") for _ in range(12)],
        body.product_card(mug),
    ])
    page = browser_page.context.browser.new_page(user_agent=READER_AGENT, viewport={"width": 1280, "height": 900})

    # when a reader opens it, the consent banner asks
    page.goto(live_server.url + article.url)
    banner = page.get_by_role("region", name="May we remember this browser?")
    assert banner.is_visible()

    # and they accept: the banner goes away without leaving the page
    page.get_by_role("button", name="Accept").click()
    banner.wait_for(state="detached")
    assert page.url == live_server.url + article.url
    cookies = {c["name"]: c for c in page.context.cookies()}
    assert cookies["hw_consent"]["value"] == "1"
    assert cookies["hw_vid"]["httpOnly"] is True

    # then the beacon counts one page view and the block in sight, not the one below
    first_block = article.body[0].id
    assert wait_for(lambda: DailyEngagement.objects.filter(article_page_id=article.pk, block_id="").exists())
    assert wait_for(lambda: DailyEngagement.objects.filter(block_id=first_block).exists())
    assert DailyEngagement.objects.get(article_page_id=article.pk, block_id="").views == 1
    assert DailyEngagement.objects.get(block_id=first_block).impressions == 1
    assert not DailyEngagement.objects.filter(block_id=article.body[-1].id).exists()

    # and following the product link lands on the product page with the click recorded
    page.locator(".offer").first.locator("a.buy-link").click()
    page.wait_for_url("**/products/sage-kettle/**")
    touch = Touch.objects.get()
    assert (touch.article_page_id, touch.block_id, touch.position) == (article.pk, first_block, 1)
    assert touch.visitor_id == "v:" + cookies["hw_vid"]["value"]
    page.close()
