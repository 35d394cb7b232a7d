"""Attribution end to end in a real browser: a reader accepts cookies, follows an
article's product link, buys with the offline method; a marketer signs in to Wagtail and
finds the order's revenue on the article's row of the marketing report."""


import pytest
from django.contrib.auth.models import Group

from shop.attribution.models import AttributionCredit, DailyEngagement, Touch
from shop.orders.models import Order, OrderStatus
from tests.browser.helpers import READER_AGENT, wait_for
from tests.factories import content as body


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_article_click_that_ends_in_an_order_shows_in_the_marketers_report(
    live_server, article_factory, product_factory, django_user_model, tmp_path, browser_page,
):
    # given an article with a product card and a marketer's account
    kettle = product_factory(title="Sage Kettle", slug="sage-kettle", images=1,
                             skus=[{"code": "KET-1", "price": "299.00", "stock": 4}])
    article = article_factory(title="Morning kit", body=[body.paragraph(), body.product_card(kettle)])
    marketer = django_user_model.objects.create_user(username="mia", password="report-reader-1")
    marketer.groups.add(Group.objects.get(name="Marketers"))
    reader = browser_page.context.browser.new_page(user_agent=READER_AGENT, viewport={"width": 1280, "height": 900})
    reader.set_default_timeout(15_000)

    # when a reader opens the article, accepts cookies and follows the kettle's link
    reader.goto(live_server.url + article.url)
    reader.get_by_role("button", name="Accept").click()
    reader.get_by_role("region", name="May we remember this browser?").wait_for(state="detached")
    assert wait_for(lambda: DailyEngagement.objects.filter(article_page_id=article.pk, block_id="").exists())
    link = reader.locator(".offer").first.locator("a.buy-link")
    assert "/go/" in link.get_attribute("href")
    link.click()

    # then they land on the product page and the click is recorded
    reader.wait_for_url("**/products/sage-kettle/**")
    touch = Touch.objects.get()
    assert (touch.article_page_id, touch.block_id, touch.block_type, touch.position) == (
        article.pk, article.body[1].id, "product_card", 2,
    )

    # when they add it to the cart and check out with bank transfer
    reader.locator(".offer--buybox form.buy-form button.buy").click()
    reader.wait_for_function("() => document.querySelector('[data-cart-count]').textContent.trim() === '1'")
    reader.locator("[data-cart-link]").click()
    reader.wait_for_url("**/cart/")
    reader.locator(".shop-summary a.buy").click()
    reader.wait_for_url("**/checkout/")
    reader.get_by_label("E-mail").fill("li.lei@example.com")
    reader.get_by_label("Recipient").fill("Li Lei")
    reader.get_by_label("Phone").fill("13800138000")
    reader.get_by_label("City").fill("Shanghai")
    reader.get_by_label("Address").fill("100 Tianyaoqiao Road")
    reader.get_by_label("Bank transfer").check()
    reader.locator("[data-place-order]").click()
    reader.wait_for_url("**/orders/HW*/")

    # then the unpaid order is credited to the reader's click under the visitor cookie
    order = Order.objects.get()
    assert (order.status, order.total) == (OrderStatus.PENDING_PAYMENT, touch.sku.price)
    assert order.visitor_id == touch.visitor_id and touch.visitor_id.startswith("v:")
    credit = AttributionCredit.objects.get(order=order, model="last_touch")
    assert (credit.touch_id, credit.revenue) == (touch.pk, order.total)
    reader.close()

    # when the marketer signs in to the admin and opens the article table for placed orders
    admin = browser_page
    admin.goto(live_server.url + "/admin/login/")
    admin.locator("input[name=username]").fill("mia")
    admin.locator("input[name=password]").fill("report-reader-1")
    admin.locator("form button[type=submit]").first.click()
    admin.wait_for_url(lambda url: "/admin/login/" not in url)
    admin.goto(live_server.url + "/admin/marketing-reports/by/article/?status=placed")

    # then the article's row shows the order and its revenue
    row = admin.locator("table.hw-report-table tr", has_text="Morning kit")
    cells = [text.strip() for text in row.locator("th, td").all_inner_texts()]
    assert cells[0] == "Morning kit"
    assert cells[1] == "1"  # views
    assert cells[3] == "1"  # clicks
    assert cells[5] == "1"  # orders
    assert cells[6] == "299.00"  # revenue
    screenshot = tmp_path / "marketing-report.png"
    admin.screenshot(path=str(screenshot), full_page=True)
    assert screenshot.stat().st_size > 10_000
