"""A reader in a real browser: article → add to cart (no page reload) → cart → checkout
with the offline method → confirmation with the order number."""

import pytest

from shop.catalogue.models import SKU
from shop.orders.models import Order
from tests.factories import content as body


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_reader_buys_from_an_article_and_pays_offline(
    live_server, article_factory, product_factory, image, tmp_path, browser_page,
):
    # given a published article with a product card
    kettle = product_factory(title="Sage Kettle", images=1, skus=[{"code": "KET-1", "price": "299.00", "stock": 4}])
    article = article_factory(title="Morning kit", body=[body.product_card(kettle)])
    page = browser_page

    # when the reader adds the kettle from the article
    page.goto(live_server.url + article.url)
    page.evaluate("window.__notReloaded = true")
    page.locator(".offer form.buy-form button.buy").click()

    # then a toast confirms it and the header count updates, without leaving the article
    assert page.locator(".toast").first.inner_text() == "Added Sage Kettle to your cart."
    page.wait_for_function("() => document.querySelector('[data-cart-count]').textContent.trim() === '1'")
    assert page.evaluate("window.__notReloaded") is True
    assert page.url == live_server.url + article.url

    # when they open the cart and check out with bank transfer
    page.locator("[data-cart-link]").click()
    page.wait_for_url("**/cart/")
    assert page.locator("[data-subtotal]").inner_text() == "¥299.00"
    page.locator(".shop-summary a.buy").click()
    page.wait_for_url("**/checkout/")
    page.get_by_label("E-mail").fill("li.lei@example.com")
    page.get_by_label("Recipient").fill("Li Lei")
    page.get_by_label("Phone").fill("13800138000")
    page.get_by_label("City").fill("Shanghai")
    page.get_by_label("Address").fill("100 Tianyaoqiao Road")
    page.get_by_label("Express delivery (next day)").check()
    assert page.locator("[data-grand-total]").inner_text() == "¥319.00"
    page.get_by_label("Bank transfer").check()
    page.locator("[data-place-order]").click()

    # then the confirmation page shows the order number and how to pay
    page.wait_for_url("**/orders/HW*/")
    order = Order.objects.get()
    assert page.locator("[data-order-number]").inner_text() == order.number
    assert "Haowu Trading Co." in page.locator(".pay-box").inner_text()
    assert page.locator("[data-order-total]").inner_text() == "¥319.00"
    assert SKU.objects.get(code="KET-1").stock == 3
    screenshot = tmp_path / "confirmation.png"
    page.screenshot(path=str(screenshot), full_page=True)
    assert screenshot.stat().st_size > 10_000
