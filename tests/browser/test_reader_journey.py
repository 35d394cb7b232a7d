"""A reader in a real browser: home page → article → live product cards."""

import os

import pytest

from tests.factories import content as body


# serialized_rollback: the home page and site come from a data migration; keep them for
# whichever transactional test runs next.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_reader_opens_an_article_from_the_home_page_and_sees_prices(
    live_server, article_factory, product_factory, image, tmp_path, browser_page,
):
    # given a published article with product cards, one of them low on stock
    kettle = product_factory(title="Sage Kettle", images=1, skus=[{"code": "KET-1", "price": "299.00", "stock": 40}])
    mug = product_factory(title="Stoneware Mug", images=1,
                          skus=[{"code": "MUG-1", "price": "59.00", "compare_at_price": "79.00", "stock": 2}])
    article = article_factory(
        title="Morning kit", intro="What we reach for before coffee.", hero_image=image,
        body=[body.paragraph("<p>Two things we use daily.</p>"),
              body.product_card(kettle), body.product_card(mug, badge="Best value")],
    )

    # when a reader opens the home page and follows the article
    browser_page.goto(live_server.url + "/")
    browser_page.get_by_role("link", name="Morning kit").first.click()
    browser_page.wait_for_url(f"**{article.url}")

    # then the article's product cards show live prices and stock
    offers = browser_page.locator(".offer")
    assert offers.count() == 2
    assert offers.locator(".price").all_inner_texts() == ["¥299.00", "¥59.00"]
    assert offers.nth(1).locator(".stock").inner_text() == "Only 2 left"
    assert offers.nth(0).locator("a.buy-link").get_attribute("rel") == "sponsored"
    assert offers.nth(0).locator("form.buy-form button.buy").inner_text() == "Add to cart"
    assert browser_page.locator("h1").inner_text() == "Morning kit"
    # and the product photos are served
    sources = offers.locator("img").evaluate_all("imgs => imgs.map(img => img.src)")
    assert len(sources) == 2
    assert [browser_page.request.get(src).status for src in sources] == [200, 200]
    browser_page.mouse.wheel(0, 600)
    screenshot = tmp_path / "article.png"
    browser_page.screenshot(path=str(screenshot), full_page=True)
    assert screenshot.stat().st_size > 10_000
    assert os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] == "true"

