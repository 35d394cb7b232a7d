"""Daily roll-ups: a report that reads them gives exactly the figures of the raw touches
and credits, before and after orders of rolled-up days are paid, refunded or cancelled;
today stays live; rolling twice or concurrently changes nothing."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from shop.attribution.capture import Impression, engagement_record
from shop.attribution.models import (
    ActivityRollup,
    AttributionCredit,
    CreditRollup,
    RollupDirtyDay,
    RollupState,
    Touch,
)
from shop.attribution.rollups import last_closed_day, rollup_touches_written, rollups_advance, rollups_rebuild
from shop.attribution.selectors import DIMENSION_FIELDS, daily_figures, report_figures
from shop.attribution.services import credits_for_order
from shop.catalogue.models import SKU, Brand, Product
from shop.checkout.services import CheckoutLine, ShippingAddress, checkout_complete
from shop.orders.models import Order
from shop.orders.services import order_cancel, order_mark_paid, order_refund
from tests.concurrency import run_in_threads

pytestmark = pytest.mark.django_db

ADDRESS = ShippingAddress(recipient="林小姐", phone="13800000000", city="杭州", address_line="西湖区文三路 1 号")
STATUSES = ("paid", "placed", "all")


def days_ago(n: int, hour: int = 12) -> datetime.datetime:
    day = timezone.localdate() - datetime.timedelta(days=n)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def sku(code: str, price: str) -> SKU:
    brand, _ = Brand.objects.get_or_create(name="Northfield", slug="northfield")
    product = Product.objects.create(title=f"Kettle {code}", slug=code.lower(), brand=brand)
    return SKU.objects.create(product=product, code=code, price=Decimal(price), stock=100)


def click(visitor: str, when: datetime.datetime, *, article: int, block: str = "b1", position: int = 1,
          block_type: str = "product_card", item: SKU | None = None, **keys) -> Touch:
    return Touch.objects.create(
        visitor_id=visitor, created_at=when, article_page_id=article, block_id=block, block_type=block_type,
        position=position, sku=item, **keys,
    )


def order_on(placed: datetime.datetime, *, key: str, visitor: str, lines, paid: bool = True) -> Order:
    """An order placed at ``placed`` (in the past), credited from the visitor's touches."""
    order = checkout_complete(
        idempotency_key=key, lines=lines, email="lin@example.com", address=ADDRESS, shipping_method="standard",
        payment_method="offline", visitor_id=visitor,
    )
    Order.objects.filter(pk=order.pk).update(placed_at=placed)
    credits_for_order(order_id=order.pk)
    if paid:
        order_mark_paid(order_id=order.pk)
    return Order.objects.get(pk=order.pk)


@pytest.fixture
def history():
    """Nine days of clicks and orders over three articles, two campaigns and a curator;
    an order explained by no touch; an unpaid order; a click today."""
    kettle, mug = sku("KET-1", "90.00"), sku("MUG-1", "30.00")
    orders = {}
    for n, day in enumerate(range(9, 1, -1)):
        visitor = f"v:reader{n}"
        click(visitor, days_ago(day, 9), article=11, item=kettle, utm_campaign="618-picks")
        click(visitor, days_ago(day, 10), article=12, block="b2", position=2, block_type="product_grid", item=mug)
        if n % 3 == 0:
            click(visitor, days_ago(day, 11), article=13, block="b7", position=3, curator_code="LIN")
        orders[n] = order_on(
            days_ago(day, 15), key=f"k{n}", visitor=visitor, paid=n != 4,
            lines=[CheckoutLine("KET-1", 1), CheckoutLine("MUG-1", n % 2 + 1)],
        )
    for day in range(12, 0, -1):  # views start before the first click
        for article, blocks in ((11, ("b1",)), (12, ("b2", "b3")), (13, ("b7",))):
            engagement_record(
                article_page_id=article, view=True, day=timezone.localdate() - datetime.timedelta(days=day),
                impressions=[Impression(block, "product_grid", n + 1) for n, block in enumerate(blocks)],
            )
    orders["direct"] = order_on(days_ago(5, 16), key="direct", visitor="v:nobody", lines=[CheckoutLine("MUG-1", 1)])
    click("v:later", days_ago(0, 0), article=11, item=kettle)
    return orders


def canonical(figures):
    def row(f):
        return (f.clicks, f.views, f.impressions, dict(f.revenue), dict(f.direct_revenue), dict(f.assisted_revenue), dict(f.orders))

    return (
        {key: row(f) for key, f in figures.groups.items()}, row(figures.unattributed), row(figures.total),
    )


def everything():
    since, until = timezone.localdate() - datetime.timedelta(days=20), timezone.localdate()
    result = {}
    for dimension in DIMENSION_FIELDS:
        for status in STATUSES:
            result[dimension, status] = canonical(
                report_figures(dimension=dimension, since=since, until=until, status=status)
            )
    for dimension in ("article", "campaign"):
        result[dimension, "last"] = canonical(report_figures(
            dimension=dimension, since=since, until=until, models=["last_touch"],
        ))
    for model in ("linear", "time_decay"):
        result["daily", model] = [
            (day.date, day.clicks, day.views, day.revenue)
            for day in daily_figures(since=since, until=until, model=model, status="placed")
        ]
    return result


def raw_everything():
    """The same figures from raw rows only: as if nothing had been rolled up yet."""
    with transaction.atomic():
        RollupState.objects.all().delete()
        result = everything()
        transaction.set_rollback(True)
    return result


def test_rolled_up_reports_equal_the_raw_figures_and_read_no_touch(history):
    raw = raw_everything()

    rolled = rollups_advance()

    assert len(rolled) >= 9 and timezone.localdate() not in rolled
    assert ActivityRollup.objects.exists() and CreditRollup.objects.exists()
    assert everything() == raw
    closed = last_closed_day()  # yesterday, or the day before in the hour after midnight
    with CaptureQueriesContext(connection) as queries:
        report_figures(dimension="article", since=closed - datetime.timedelta(days=29), until=closed)
    raw_tables = (Touch._meta.db_table, AttributionCredit._meta.db_table)
    assert not [q["sql"] for q in queries if any(table in q["sql"] for table in raw_tables)]


def test_changes_to_old_orders_show_at_once_and_survive_the_next_roll(history):
    rollups_advance()

    order_refund(order_id=history[1].pk, amount=Decimal("25.00"))
    order_cancel(order_id=history[2].pk)
    order_mark_paid(order_id=history[4].pk)

    assert RollupDirtyDay.objects.count() >= 3
    assert everything() == raw_everything()
    rollups_advance()
    assert not RollupDirtyDay.objects.exists()
    assert everything() == raw_everything()


def test_todays_clicks_and_orders_count_before_any_roll(history):
    rollups_advance()
    kettle_clicks = report_figures(
        dimension="article", since=timezone.localdate(), until=timezone.localdate(),
    ).groups[(11,)].clicks

    click("v:later", timezone.now(), article=11)

    today = report_figures(dimension="article", since=timezone.localdate(), until=timezone.localdate())
    assert today.groups[(11,)].clicks == kettle_clicks + 1
    assert not RollupDirtyDay.objects.exists()  # a click today marks nothing


def test_a_new_order_today_marks_no_day():
    kettle = sku("KET-1", "90.00")
    click("v:today", timezone.now(), article=11, item=kettle)

    checkout_complete(
        idempotency_key="today", lines=[CheckoutLine("KET-1", 1)], email="lin@example.com", address=ADDRESS,
        shipping_method="standard", payment_method="offline", visitor_id="v:today",
    )

    assert not RollupDirtyDay.objects.exists()


def test_rolling_again_changes_nothing_and_rebuild_gives_the_same_rows(history):
    rollups_advance()
    rows = sorted(CreditRollup.objects.values_list(
        "date", "model", "status_group", "dimension", "unattributed", "article_page_id", "block_id",
        "utm_campaign", "curator_code", "revenue", "orders",
    ))

    assert rollups_advance() == []
    rollups_rebuild()

    assert sorted(CreditRollup.objects.values_list(
        "date", "model", "status_group", "dimension", "unattributed", "article_page_id", "block_id",
        "utm_campaign", "curator_code", "revenue", "orders",
    )) == rows


def test_reports_roll_only_a_few_new_days_themselves_and_stay_exact(history):
    raw = raw_everything()

    rolled = rollups_advance(max_new_days=3)

    assert len(rolled) == 3
    assert everything() == raw


def test_rollup_command_reports_the_days(history):
    out = StringIO()

    call_command("attribution", "rollup", stdout=out)
    call_command("attribution", "rollup", stdout=out)

    first, second = out.getvalue().splitlines()
    assert first.startswith("Rolled up ") and "days" in first
    assert second == "Rolled up 0 days."


@pytest.mark.parametrize("wait", [True, False], ids=["cron", "report requests"])
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_rolls_never_count_a_day_twice(history, wait):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (set DATABASE_URL)")
    raw = raw_everything()

    results, errors = run_in_threads(4, lambda _: rollups_advance(wait=wait))

    assert errors == []
    assert sorted(len(days) for days in results)[-1] >= 9
    assert sum(len(days) for days in results) == max(len(days) for days in results)
    assert everything() == raw


def test_views_counted_for_a_rolled_day_show_at_once(history):
    rollups_advance()
    three_days_ago = timezone.localdate() - datetime.timedelta(days=3)
    before = report_figures(dimension="article", since=three_days_ago, until=three_days_ago).groups[(12,)]

    engagement_record(article_page_id=12, view=True, day=three_days_ago,
                      impressions=[Impression("b2", "product_grid", 1)])

    after = report_figures(dimension="article", since=three_days_ago, until=three_days_ago).groups[(12,)]
    assert (after.views, after.impressions) == (before.views + 1, before.impressions + 1)
    assert everything() == raw_everything()


def test_todays_clicks_are_rolled_up_to_a_minute_ago_and_read_raw_after(history):
    today = timezone.localdate()
    kettle = SKU.objects.get(code="KET-1")
    midnight = days_ago(0, 0)
    so_far = timezone.now() - datetime.timedelta(minutes=2) - midnight  # stays today, before the margin
    for n in (1, 2, 3):
        click(f"v:early{n}", midnight + so_far * n / 4, article=11, item=kettle)

    rollups_advance()

    partial = ActivityRollup.objects.get(date=today, dimension="total")
    assert partial.clicks == 4 and partial.through is not None  # 00:00 and the three above
    with CaptureQueriesContext(connection) as queries:
        figures = report_figures(dimension="article", since=today, until=today)
    assert figures.groups[(11,)].clicks == 4
    touch_reads = [q["sql"] for q in queries if Touch._meta.db_table in q["sql"]]
    assert len(touch_reads) == 1  # only the clicks after the roll-up's moment

    click("v:now", timezone.now(), article=11, item=kettle)
    assert report_figures(dimension="article", since=today, until=today).groups[(11,)].clicks == 5
    assert everything() == raw_everything()


def test_a_click_written_with_an_earlier_time_today_marks_today(history):
    rollups_advance()
    earlier = days_ago(0, 0) + (timezone.now() - datetime.timedelta(minutes=2) - days_ago(0, 0)) / 2

    touch = click("v:import", earlier, article=12)
    rollup_touches_written(moments=[touch.created_at])

    assert RollupDirtyDay.objects.filter(date=timezone.localdate()).exists()
    assert everything() == raw_everything()
    rollups_advance()
    assert not RollupDirtyDay.objects.exists()
    assert everything() == raw_everything()
