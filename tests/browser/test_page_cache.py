"""A page answered from the page cache, in a real browser: its scripts run under the
response's own nonce, and the personal parts and add-to-cart work from /api/session."""

import pytest

from tests.browser.test_content_security_policy import REPORT_VIOLATIONS
from tests.factories import content as body


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_cached_article_runs_its_scripts_and_adds_to_the_cart(live_server, article_factory, product_factory,
                                                                 browser_page):
    kettle = product_factory(title="Sage Kettle", slug="sage-kettle",
                             skus=[{"code": "KET-1", "price": "299.00", "stock": 4}])
    article = article_factory(title="Morning kit", body=[body.product_card(kettle)])
    page = browser_page
    page.add_init_script(REPORT_VIOLATIONS)
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    page.on("pageerror", lambda error: messages.append(f"page error: {error}"))

    # given the article in the page cache (another reader opened it)
    page.request.get(live_server.url + article.url)

    # when a reader opens it, it comes from the cache
    response = page.goto(live_server.url + article.url)
    assert response.headers["cache-control"] == "public, max-age=0, s-maxage=300"

    # then the consent banner appears (from /api/session) and answers in place
    page.get_by_role("button", name="Accept").click()
    page.get_by_role("region", name="May we remember this browser?").wait_for(state="detached")
    # and add to cart works without leaving the page, the header counting the item
    page.locator(".offer form.buy-form button.buy").first.click()
    assert page.locator(".toast").first.inner_text() == "Added Sage Kettle to your cart."
    page.wait_for_function("() => document.querySelector('[data-cart-count]').textContent.trim() === '1'")
    # and a reload (from the cache again) shows the count from the session call
    page.reload()
    page.wait_for_function("() => document.querySelector('[data-cart-count]').textContent.trim() === '1'")
    assert [text for text in messages if "CSP" in text or "Content Security Policy" in text
            or text.startswith("page error")] == []
