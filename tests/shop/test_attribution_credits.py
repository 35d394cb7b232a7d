"""credits_for_order, credits_reverse and credits_rebuild against the database: which
touches count, exact stored credits, reversals, and a rebuild that repeats itself."""

from datetime import datetime, timedelta
from decimal import Decimal
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection

from shop.attribution.models import AttributionCredit, Touch
from shop.attribution.services import credits_for_order, credits_rebuild, credits_reverse
from shop.catalogue.models import SKU, Brand, Product
from shop.checkout.services import CheckoutLine, ShippingAddress, checkout_complete
from shop.orders.models import Order
from shop.orders.services import order_cancel, order_mark_paid, order_refund
from tests.concurrency import run_in_threads

pytestmark = pytest.mark.django_db

ADDRESS = ShippingAddress(recipient="林小姐", phone="13800000000", city="杭州", address_line="西湖区文三路 1 号")
MODELS = ("last_touch", "first_touch", "linear", "time_decay", "position_based")
SHANGHAI = ZoneInfo("Asia/Shanghai")


def make_sku(code, price):
    brand, _ = Brand.objects.get_or_create(name="Northfield", slug="northfield")
    product = Product.objects.create(title=f"Kettle {code}", slug=code.lower(), brand=brand)
    return SKU.objects.create(product=product, code=code, price=Decimal(price), stock=50)


def place(lines, *, key, visitor_id="v:abc", user=None):
    return checkout_complete(
        # An address per order: one address may hold only a few unpaid orders.
        idempotency_key=key, lines=lines, email=f"lin+{key}@example.com", address=ADDRESS,
        shipping_method="standard", payment_method="offline", visitor_id=visitor_id, user=user,
    )


def touch(order, *, before, sku=None, visitor_id="v:abc", user=None, article=11, block="b1", **keys):
    return Touch.objects.create(
        visitor_id=visitor_id, user=user, created_at=order.placed_at - before, article_page_id=article,
        block_id=block, block_type="product", position=1, sku=sku, **keys,
    )


def credits(order, model):
    return [
        (row.touch_id, row.kind, row.revenue, row.direct_revenue, row.assisted_revenue)
        for row in AttributionCredit.objects.filter(order=order, model=model).order_by("pk")
    ]


def net(order, model):
    # Summed here: SQLite's SUM over decimals goes through floats.
    rows = AttributionCredit.objects.filter(order=order, model=model).values_list("revenue", flat=True)
    return sum(rows, Decimal("0.00"))


def net_by_touch(order, model):
    result = {}
    for row in AttributionCredit.objects.filter(order=order, model=model):
        revenue, direct, assisted = result.get(row.touch_id, (0, 0, 0))
        result[row.touch_id] = (revenue + row.revenue, direct + row.direct_revenue, assisted + row.assisted_revenue)
    return result


def dump():
    return list(
        AttributionCredit.objects.order_by("order_id", "pk").values_list(
            "order_id", "model", "kind", "touch_id", "article_page_id", "block_id", "block_type", "position",
            "sku_id", "utm_source", "utm_medium", "utm_campaign", "utm_content", "curator_code",
            "revenue", "direct_revenue", "assisted_revenue", "order_placed_at",
        )
    )


@pytest.fixture
def kettle(db):
    return make_sku("KET-1", "90.00")  # + ¥10 standard shipping = ¥100.00


@pytest.fixture
def mug(db):
    return make_sku("MUG-1", "30.00")


def test_three_touches_are_credited_under_every_model_with_their_keys(kettle):
    order = place([CheckoutLine("KET-1", 1)], key="k1")
    first = touch(order, before=timedelta(days=14), sku=kettle, utm_source="weibo", curator_code="LIN")
    middle = touch(order, before=timedelta(days=7), sku=kettle, article=12)
    last = touch(order, before=timedelta(0), sku=kettle, article=13, block="b9")

    credits_for_order(order_id=order.pk)

    assert order.total == Decimal("100.00")
    assert credits(order, "last_touch") == [(last.pk, "order", Decimal("100.00"), Decimal("100.00"), Decimal("0.00"))]
    assert credits(order, "first_touch") == [(first.pk, "order", Decimal("100.00"), Decimal("100.00"), Decimal("0.00"))]
    assert [row[2] for row in credits(order, "linear")] == [Decimal("33.34"), Decimal("33.33"), Decimal("33.33")]
    assert [row[2] for row in credits(order, "time_decay")] == [Decimal("14.29"), Decimal("28.57"), Decimal("57.14")]
    assert [row[2] for row in credits(order, "position_based")] == [Decimal("40.00"), Decimal("20.00"), Decimal("40.00")]
    assert [row[0] for row in credits(order, "linear")] == [first.pk, middle.pk, last.pk]
    stored = AttributionCredit.objects.get(order=order, model="first_touch")
    assert (stored.article_page_id, stored.block_id, stored.block_type, stored.position, stored.sku_id) == (
        11, "b1", "product", 1, kettle.pk,
    )
    assert (stored.utm_source, stored.curator_code, stored.order_placed_at) == ("weibo", "LIN", order.placed_at)


def test_direct_revenue_is_the_clicked_skus_lines_with_shipping_in_proportion(kettle, mug):
    # 90 + 30 = 120 ≥ 99: free shipping, total ¥120.00; kettle is 3/4 of it.
    order = place([CheckoutLine("KET-1", 1), CheckoutLine("MUG-1", 1)], key="k1")
    touch(order, before=timedelta(days=1), sku=mug)

    credits_for_order(order_id=order.pk)

    assert credits(order, "last_touch")[0][2:] == (Decimal("120.00"), Decimal("30.00"), Decimal("90.00"))


def test_lookback_edges(kettle):
    order = place([CheckoutLine("KET-1", 1)], key="k1")
    at_edge = touch(order, before=timedelta(days=30), sku=kettle)
    touch(order, before=timedelta(days=30, seconds=1), sku=kettle)
    at_order = touch(order, before=timedelta(0), sku=kettle)
    touch(order, before=timedelta(seconds=-1), sku=kettle)

    credits_for_order(order_id=order.pk)

    assert [row[0] for row in credits(order, "linear")] == [at_edge.pk, at_order.pk]


def test_lookback_is_configurable(kettle, settings):
    settings.HAOWU_ATTRIBUTION_LOOKBACK_DAYS = 7
    order = place([CheckoutLine("KET-1", 1)], key="k1")
    touch(order, before=timedelta(days=8), sku=kettle)

    credits_for_order(order_id=order.pk)

    assert credits(order, "linear") == [(None, "order", Decimal("100.00"), Decimal("0.00"), Decimal("100.00"))]


def test_touches_of_the_signed_in_user_on_another_device_count_but_strangers_do_not(kettle):
    user = get_user_model().objects.create_user(username="lin", password="x")
    order = place([CheckoutLine("KET-1", 1)], key="k1", visitor_id="v:laptop", user=user)
    phone = touch(order, before=timedelta(days=3), sku=kettle, visitor_id="v:phone", user=user)
    laptop = touch(order, before=timedelta(days=1), sku=kettle, visitor_id="v:laptop")
    touch(order, before=timedelta(days=2), sku=kettle, visitor_id="v:stranger")

    credits_for_order(order_id=order.pk)

    assert [row[0] for row in credits(order, "linear")] == [phone.pk, laptop.pk]


def test_an_order_without_visitor_or_user_is_unattributed(kettle):
    order = place([CheckoutLine("KET-1", 1)], key="k1", visitor_id="")
    touch(order, before=timedelta(days=1), sku=kettle, visitor_id="")

    credits_for_order(order_id=order.pk)

    for model in MODELS:
        assert credits(order, model) == [(None, "order", Decimal("100.00"), Decimal("0.00"), Decimal("100.00"))]
    row = AttributionCredit.objects.filter(order=order).first()
    assert (row.article_page_id, row.block_id, row.sku_id) == (None, "", None)


def test_recomputing_writes_nothing_when_nothing_changed(kettle):
    order = place([CheckoutLine("KET-1", 1)], key="k1")
    touch(order, before=timedelta(days=2), sku=kettle)
    touch(order, before=timedelta(days=1), sku=kettle)
    credits_for_order(order_id=order.pk)
    before = list(AttributionCredit.objects.order_by("pk").values_list("pk", flat=True))
    snapshot = dump()

    credits_for_order(order_id=order.pk)

    assert list(AttributionCredit.objects.order_by("pk").values_list("pk", flat=True)) == before
    assert dump() == snapshot
    assert AttributionCredit.objects.count() == 1 + 1 + 2 + 2 + 2


def test_recomputing_after_a_new_touch_was_linked_replaces_rows_and_keeps_the_reversed_amount(kettle):
    user = get_user_model().objects.create_user(username="lin", password="x")
    order = place([CheckoutLine("KET-1", 1)], key="k1", user=user)
    touch(order, before=timedelta(days=1), sku=kettle)
    credits_for_order(order_id=order.pk)
    credits_reverse(order_id=order.pk, amount=Decimal("30.00"), reason="refund")
    other_device = touch(order, before=timedelta(days=2), sku=kettle, visitor_id="v:phone", user=user)

    credits_for_order(order_id=order.pk)

    assert credits(order, "first_touch") == [
        (other_device.pk, "order", Decimal("100.00"), Decimal("100.00"), Decimal("0.00")),
        (other_device.pk, "reversal", Decimal("-30.00"), Decimal("-30.00"), Decimal("0.00")),
    ]
    for model in MODELS:
        assert net(order, model) == Decimal("70.00")


def test_a_full_cancel_reverses_every_model_to_exactly_zero(kettle, mug):
    order = place([CheckoutLine("KET-1", 1), CheckoutLine("MUG-1", 1)], key="k1")
    for days in (20, 9, 4, 1):
        touch(order, before=timedelta(days=days, hours=days), sku=kettle if days % 2 else mug)
    credits_for_order(order_id=order.pk)

    credits_reverse(order_id=order.pk, amount=order.total, reason="cancelled")

    for model in MODELS:
        assert net(order, model) == Decimal("0.00")
        assert set(net_by_touch(order, model).values()) == {(Decimal("0.00"), Decimal("0.00"), Decimal("0.00"))}


def test_a_30_percent_refund_leaves_exactly_70_percent(kettle):
    order = place([CheckoutLine("KET-1", 1)], key="k1")
    first, second, third = (touch(order, before=timedelta(days=d), sku=kettle) for d in (3, 2, 1))
    credits_for_order(order_id=order.pk)

    credits_reverse(order_id=order.pk, amount=Decimal("30.00"), reason="refund")

    for model in MODELS:
        assert net(order, model) == Decimal("70.00")
    assert credits(order, "linear")[3:] == [
        (first.pk, "reversal", Decimal("-10.00"), Decimal("-10.00"), Decimal("0.00")),
        (second.pk, "reversal", Decimal("-10.00"), Decimal("-10.00"), Decimal("0.00")),
        (third.pk, "reversal", Decimal("-10.00"), Decimal("-10.00"), Decimal("0.00")),
    ]


def test_partial_refunds_accumulate_and_a_later_cancel_takes_only_what_is_left(kettle, mug):
    order = place([CheckoutLine("KET-1", 1), CheckoutLine("MUG-1", 1)], key="k1")
    touch(order, before=timedelta(days=5), sku=mug)
    touch(order, before=timedelta(days=2), sku=kettle)
    touch(order, before=timedelta(days=1), sku=kettle)
    credits_for_order(order_id=order.pk)

    credits_reverse(order_id=order.pk, amount=Decimal("30.00"), reason="refund 1")
    credits_reverse(order_id=order.pk, amount=Decimal("20.01"), reason="refund 2")

    for model in MODELS:
        assert net(order, model) == Decimal("69.99")

    credits_reverse(order_id=order.pk, amount=order.total, reason="cancelled")

    for model in MODELS:
        assert net(order, model) == Decimal("0.00")
        assert set(net_by_touch(order, model).values()) == {(Decimal("0.00"), Decimal("0.00"), Decimal("0.00"))}


def status_groups(order):
    return set(AttributionCredit.objects.filter(order=order).values_list("status_group", flat=True))


def test_credits_carry_their_orders_status_group_through_payment_refund_and_cancel(kettle):
    # Reports filter credits by the group they carry: it must follow the order.
    paid = place([CheckoutLine("KET-1", 1)], key="k1")
    touch(paid, before=timedelta(days=1), sku=kettle)
    credits_for_order(order_id=paid.pk)
    assert status_groups(paid) == {"pending"}

    order_mark_paid(order_id=paid.pk)
    assert status_groups(paid) == {"paid"}
    order_refund(order_id=paid.pk, amount=Decimal("100.00"))  # fully refunded: still money received
    assert status_groups(paid) == {"paid"}

    unpaid = place([CheckoutLine("KET-1", 1)], key="k2")
    order_cancel(order_id=unpaid.pk)
    assert status_groups(unpaid) == {"cancelled"}  # the reversal rows too


def test_a_credit_saved_without_a_status_group_takes_its_orders(kettle):
    order = place([CheckoutLine("KET-1", 1)], key="k1")
    order_mark_paid(order_id=order.pk)

    row = AttributionCredit.objects.create(
        order=order, model="linear", revenue=Decimal("1.00"), direct_revenue=Decimal("1.00"),
        assisted_revenue=Decimal("0.00"), order_placed_at=order.placed_at,
    )

    assert row.status_group == "paid"


def test_rebuild_puts_back_a_status_group_that_fell_out_of_step(kettle):
    order = place([CheckoutLine("KET-1", 1)], key="k1")
    order_mark_paid(order_id=order.pk)
    AttributionCredit.objects.filter(order=order).update(status_group="pending")  # e.g. a raw SQL edit

    credits_rebuild(since=order.placed_at.date() - timedelta(days=1))

    assert status_groups(order) == {"paid"}


def test_reversing_an_order_without_credits_computes_them_first(kettle):
    order = place([CheckoutLine("KET-1", 1)], key="k1")

    credits_reverse(order_id=order.pk, amount=Decimal("25.00"), reason="refund")

    assert credits(order, "last_touch") == [
        (None, "order", Decimal("100.00"), Decimal("0.00"), Decimal("100.00")),
        (None, "reversal", Decimal("-25.00"), Decimal("0.00"), Decimal("-25.00")),
    ]


def test_a_negative_reversal_is_refused(kettle):
    order = place([CheckoutLine("KET-1", 1)], key="k1")

    with pytest.raises(ValueError):
        credits_reverse(order_id=order.pk, amount=Decimal("-1.00"), reason="oops")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL (set DATABASE_URL)")
def test_twelve_parallel_reversals_of_ten_never_take_back_more_than_the_order(kettle):
    order = place([CheckoutLine("KET-1", 1)], key="k1")
    for days in (3, 2, 1):
        touch(order, before=timedelta(days=days), sku=kettle)
    credits_for_order(order_id=order.pk)

    _, errors = run_in_threads(
        12, lambda i: credits_reverse(order_id=order.pk, amount=Decimal("10.00"), reason=f"refund {i}")
    )

    assert errors == []
    for model in MODELS:
        assert net(order, model) == Decimal("0.00")
        assert set(net_by_touch(order, model).values()) == {(Decimal("0.00"), Decimal("0.00"), Decimal("0.00"))}


def _shop_history(kettle, mug):
    """Four orders: fresh, partly refunded twice, cancelled, and one from last year."""
    fresh = place([CheckoutLine("KET-1", 1)], key="k1")
    touch(fresh, before=timedelta(days=3), sku=kettle)
    touch(fresh, before=timedelta(days=1), sku=mug)
    refunded = place([CheckoutLine("KET-1", 1), CheckoutLine("MUG-1", 2)], key="k2", visitor_id="v:def")
    for days in (6, 4, 2):
        touch(refunded, before=timedelta(days=days), sku=mug, visitor_id="v:def")
    cancelled = place([CheckoutLine("MUG-1", 1)], key="k3", visitor_id="v:ghi")
    touch(cancelled, before=timedelta(hours=5), sku=mug, visitor_id="v:ghi")
    old = place([CheckoutLine("MUG-1", 1)], key="k4", visitor_id="v:old")
    Order.objects.filter(pk=old.pk).update(placed_at=datetime(2025, 12, 31, 23, 59, tzinfo=SHANGHAI))
    for order in (fresh, refunded, cancelled, old):
        credits_for_order(order_id=order.pk)
    order_mark_paid(order_id=refunded.pk)
    order_refund(order_id=refunded.pk, amount=Decimal("33.33"))  # reverses its credits itself
    order_refund(order_id=refunded.pk, amount=Decimal("10.00"))
    order_cancel(order_id=cancelled.pk)
    return fresh, refunded, cancelled, old


def test_rebuild_keeps_every_net_and_is_identical_when_run_twice(kettle, mug):
    fresh, refunded, cancelled, old = _shop_history(kettle, mug)
    nets_before = {(o.pk, m): net(o, m) for o in (fresh, refunded, cancelled) for m in MODELS}
    old_rows = [row for row in dump() if row[0] == old.pk]
    AttributionCredit.objects.filter(order=fresh).delete()  # e.g. a crediting call that never ran
    seen = []

    count = credits_rebuild(since=datetime(2026, 1, 1).date(), progress=lambda done, total: seen.append((done, total)))
    first = dump()
    again = credits_rebuild(since=datetime(2026, 1, 1).date())

    assert count == again == 3
    assert seen == [(1, 3), (2, 3), (3, 3)]
    assert dump() == first
    assert {(o.pk, m): net(o, m) for o in (fresh, refunded, cancelled) for m in MODELS} == nets_before
    assert net(refunded, "linear") == Decimal("106.67")  # 150.00 − 33.33 − 10.00
    assert [row for row in first if row[0] == old.pk] == old_rows  # placed before --since: untouched


def test_rebuild_counts_orders_from_midnight_in_the_site_time_zone(kettle):
    order = place([CheckoutLine("KET-1", 1)], key="k1")
    Order.objects.filter(pk=order.pk).update(placed_at=datetime(2026, 1, 1, 0, 30, tzinfo=SHANGHAI))

    assert credits_rebuild(since=datetime(2026, 1, 1).date()) == 1
    assert credits_rebuild(since=datetime(2026, 1, 2).date()) == 0
    assert net(order, "last_touch") == Decimal("100.00")


def test_rebuild_command_draws_progress_and_reports_the_count(kettle, mug, capsys):
    _shop_history(kettle, mug)
    out = StringIO()

    call_command("attribution", "rebuild", "--since", "2026-01-01", stdout=out)

    assert out.getvalue().startswith("Rebuilt credits for 3 orders and the roll-ups of ")
    assert "3/3" in capsys.readouterr().err


def test_rebuild_command_refuses_a_bad_date():
    with pytest.raises(CommandError, match=r"^--since must be a date written YYYY-MM-DD, not '2026-13-01'\.$"):
        call_command("attribution", "rebuild", "--since", "2026-13-01", "--no-progress")
