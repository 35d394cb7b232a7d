"""The Content-Security-Policy in a real browser: the reader's pages load without a single
violation, and their scripts (consent banner, add to cart, autocomplete) still work."""

import pytest

from tests.factories import content as body

# Runs in every document before the page's own scripts; CDP-injected, so the policy does
# not apply to it. Each violation is written to the console, which the test collects.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error("CSP violation: " + event.violatedDirective + " " + event.blockedURI);
});
"""


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_reader_pages_load_without_csp_violations_and_their_scripts_work(
    live_server, article_factory, product_factory, image, browser_page,
):
    # given an article with a product card and a grid, and the products' pages
    kettle = product_factory(title="Sage Kettle", slug="sage-kettle", images=1,
                             skus=[{"code": "KET-1", "price": "299.00", "stock": 4}])
    mug = product_factory(title="Stoneware Mug", slug="stoneware-mug", images=1,
                          skus=[{"code": "MUG-1", "price": "59.00", "stock": 9}])
    article = article_factory(title="Morning kit", hero_image=image, body=[
        body.paragraph("<p>Two things we use daily.</p>"),
        body.product_card(kettle), body.product_grid([kettle, mug]),
    ])
    page = browser_page
    page.add_init_script(REPORT_VIOLATIONS)
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    page.on("pageerror", lambda error: messages.append(f"page error: {error}"))

    def violations():
        return [text for text in messages if "Content Security Policy" in text or "CSP violation" in text
                or text.startswith("page error")]

    # when a reader opens the home page, the consent banner's script sends the choice in place
    page.goto(live_server.url + "/")
    page.evaluate("window.__notReloaded = true")
    page.get_by_role("button", name="Accept").click()
    page.get_by_role("region", name="May we remember this browser?").wait_for(state="detached")
    assert page.evaluate("window.__notReloaded") is True

    # and the header's autocomplete still asks the API as they type
    box = page.locator(".site-header input[name=q]")
    box.click()
    box.press_sequentially("sage", delay=40)
    page.locator("#site-search-suggestions").wait_for(state="visible")
    assert "Sage Kettle" in page.locator("#site-search-suggestions").get_by_role("option").all_inner_texts()

    # and on the article, add to cart works without leaving the page
    page.goto(live_server.url + article.url)
    page.evaluate("window.__notReloaded = true")
    page.locator(".offer form.buy-form button.buy").first.click()
    assert page.locator(".toast").first.inner_text() == "Added Sage Kettle to your cart."
    page.wait_for_function("() => document.querySelector('[data-cart-count]').textContent.trim() === '1'")
    assert page.evaluate("window.__notReloaded") is True

    # and the product page, search results, cart and checkout load
    for path, heading in [
        ("/products/sage-kettle/", "Sage Kettle"), ("/search/?q=kettle", None),
        ("/cart/", None), ("/checkout/", None),
    ]:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert "'nonce-" in response.headers["content-security-policy"], path
        if heading:
            assert page.locator("h1").first.inner_text() == heading

    # then no page reported a single violation or script error
    assert violations() == []

    # and the watch works: an inline event handler injected now is refused and reported
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<img src=\"/nope.png\" onerror=\"window.__ran = 1\">')")
    page.wait_for_function("() => document.querySelector('img[src=\"/nope.png\"]').complete")
    page.wait_for_timeout(300)
    assert page.evaluate("window.__ran") is None
    assert any("script-src" in text for text in violations())
