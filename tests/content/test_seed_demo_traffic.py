"""The demo's reader traffic: views, clicks with the links' own payloads, and orders
whose credits add up to net sales under every model; a second run adds nothing."""

from decimal import Decimal

import pytest
from django.db.models import Sum

from content.demo.traffic import TrafficPlan, demo_traffic_ensure
from shop.attribution.models import AttributionCredit, AttributionModel, DailyEngagement, Touch
from shop.catalogue.models import SKU
from shop.orders.models import Order, OrderStatus, StockMovement
from tests.factories import content as body

PLAN = TrafficPlan(days=10, orders=24, direct_orders=3, views_per_day=150)


@pytest.fixture
def shop_articles(article_factory, product_factory, image):
    kettle = product_factory(title="Kettle", skus=[{"code": "KET-1", "price": "299.00", "stock": 30}])
    mug = product_factory(title="Mug", skus=[{"code": "MUG-1", "price": "59.00", "stock": 40},
                                             {"code": "MUG-2", "price": "69.00", "stock": 5}])
    pan = product_factory(title="Pan", skus=[{"code": "PAN-1", "price": "459.00", "stock": 12}])
    lamp = product_factory(title="Lamp", skus=[{"code": "LAMP-1", "price": "189.00", "stock": 8}])
    return [
        article_factory(title="Morning kit", body=[
            body.paragraph(), body.product_card(kettle), body.paragraph(), body.product_grid([mug, pan]),
        ]),
        article_factory(title="Cook and read", body=[
            body.heading(), body.comparison_table([pan, kettle]),
            body.shop_the_look(image, [(lamp.skus.get(), "20", "30", "Lamp"), (SKU.objects.get(code="MUG-2"), "60", "40", "Mug")]),
        ]),
    ]


def _counts():
    return (Touch.objects.count(), Order.objects.count(), DailyEngagement.objects.count(),
            AttributionCredit.objects.count(), StockMovement.objects.count())


@pytest.mark.django_db
def test_demo_traffic_credits_every_model_exactly_net_sales_and_a_rerun_adds_nothing(shop_articles):
    # given two published articles with every kind of product block
    stock_before = dict(SKU.objects.values_list("code", "stock"))

    # when the demo draws ten days of traffic
    summary = demo_traffic_ensure(articles=shop_articles, plan=PLAN)

    # then every planned order was placed through checkout, with a demo key and visitor
    orders = Order.objects.all()
    assert summary.orders == orders.count() == 27
    assert all(o.checkout_key.startswith("demo-") and o.visitor_id.startswith("v:demo-") for o in orders)
    assert orders.filter(status__in=[OrderStatus.PAID, OrderStatus.SHIPPED, OrderStatus.DELIVERED]).exists()

    # and under every model the credits add up to net sales (cancelled and refunded money netted out)
    net_sales = sum((o.total - o.refunded_total for o in orders.exclude(status=OrderStatus.CANCELLED)), Decimal("0"))
    assert net_sales > 0
    for model in AttributionModel.values:
        credited = AttributionCredit.objects.filter(model=model).aggregate(total=Sum("revenue"))["total"]
        assert credited == net_sales, model

    # and credits were computed at the order's moved time: no touch after the order counts
    for credit in AttributionCredit.objects.filter(touch__isnull=False).select_related("touch", "order"):
        assert credit.touch.created_at <= credit.order.placed_at

    # and every touch carries a link the articles render: page, block id and type, 1-based position
    links = {
        (page.pk, child.id, child.block_type, i)
        for page in shop_articles for i, child in enumerate(page.body, start=1)
    }
    touches = set(Touch.objects.values_list("article_page_id", "block_id", "block_type", "position"))
    assert touches and touches <= links
    assert not Touch.objects.filter(sku__isnull=True).exists()

    # and impressions never pass the day's views; about 2–8 % of them were clicked
    views = {(e.date, e.article_page_id): e.views for e in DailyEngagement.objects.filter(block_id="")}
    blocks = DailyEngagement.objects.exclude(block_id="")
    assert all(e.impressions <= views[(e.date, e.article_page_id)] for e in blocks)
    impressions = blocks.aggregate(total=Sum("impressions"))["total"]
    assert 0.02 <= Touch.objects.count() / impressions <= 0.08

    # and the stock the orders took is back
    assert dict(SKU.objects.values_list("code", "stock")) == stock_before

    # when it runs again
    counts = _counts()
    again = demo_traffic_ensure(articles=shop_articles, plan=PLAN)

    # then it writes nothing
    assert again.skipped is True
    assert _counts() == counts
