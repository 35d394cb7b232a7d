"""A reader in a real browser: home page → article → live product cards."""

import importlib
import os
from pathlib import Path

import pytest
from django.urls import clear_url_caches

from tests.factories import content as body

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed at /usr/bin/chromium"),
]


@pytest.fixture(autouse=True)
def _served_media(_media_root, settings):
    """Development URLs serve /media/ from the MEDIA_ROOT read when the URLconf was first
    imported; load it again so the live server serves this test's own media folder."""
    urls = importlib.import_module(settings.ROOT_URLCONF)
    importlib.reload(urls)
    clear_url_caches()
    yield
    clear_url_caches()


@pytest.fixture
def browser_page(monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the live server's ORM calls
    # happen in its own thread, but test set-up code after launch would otherwise refuse.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="en-GB")
            page.set_default_timeout(15_000)
            yield page
        finally:
            browser.close()


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

