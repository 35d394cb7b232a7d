"""Placing, cancelling and refunding orders keep attributed revenue equal to net sales."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone

from shop.attribution.models import AttributionCredit, AttributionModel, Touch
from shop.checkout.services import CheckoutLine, ShippingAddress, checkout_complete
from shop.orders.services import order_cancel, order_mark_paid, order_refund

pytestmark = pytest.mark.django_db

ADDRESS = ShippingAddress(recipient="Lin", phone="13800000000", city="Hangzhou", address_line="1 Wensan Rd")


def net(order, model):
    return AttributionCredit.objects.filter(order=order, model=model).aggregate(s=Sum("revenue"))["s"]


def place(key, product, visitor="v:reader"):
    return checkout_complete(
        idempotency_key=key, lines=[CheckoutLine(product.skus.get().code, 1)], email="a@example.com",
        address=ADDRESS, shipping_method="standard", payment_method="offline", visitor_id=visitor,
    )


def test_an_order_is_credited_to_the_article_link_the_visitor_followed(product_factory):
    kettle = product_factory(skus=[{"price": "120.00"}])
    Touch.objects.create(visitor_id="v:reader", article_page_id=42, block_id="b1", block_type="product_card",
                         position=3, sku=kettle.skus.get(), created_at=timezone.now() - timedelta(hours=1))

    order = place("k1", kettle)

    for model in AttributionModel.values:
        credit = AttributionCredit.objects.get(order=order, model=model)
        assert (credit.article_page_id, credit.block_id, credit.position) == (42, "b1", 3)
        assert (credit.revenue, credit.direct_revenue) == (Decimal("120.00"), Decimal("120.00"))


def test_without_touches_the_sale_is_direct_and_totals_still_match(product_factory):
    order = place("k1", product_factory(skus=[{"price": "50.00"}]))  # + ¥10 shipping
    assert [(c.touch_id, c.revenue) for c in AttributionCredit.objects.filter(order=order, model="linear")] == [
        (None, Decimal("60.00"))
    ]


def test_cancel_and_refunds_reverse_the_credits(product_factory):
    product = product_factory(skus=[{"price": "100.00", "stock": 5}])
    cancelled, refunded = place("k1", product), place("k2", product)

    order_cancel(order_id=cancelled.pk)
    order_mark_paid(order_id=refunded.pk)
    order_refund(order_id=refunded.pk, amount=Decimal("30.00"))

    for model in AttributionModel.values:
        assert net(cancelled, model) == Decimal("0.00")
        assert net(refunded, model) == Decimal("70.00")
