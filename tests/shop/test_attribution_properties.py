"""Properties of crediting for any order: every model conserves revenue to the cent,
every row splits exactly into direct and assisted, nothing is negative, and the result
depends only on the input, not on its order. Reversals conserve too."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from shop.attribution.crediting import OrderLineAmount, TouchPoint, credit_shares, reversal_shares

ORDER_TIME = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)
LOOKBACK = timedelta(days=30)
MODELS = ("last_touch", "first_touch", "linear", "time_decay", "position_based")

money = st.integers(min_value=0, max_value=10_000_000).map(lambda cents: Decimal(cents).scaleb(-2))
sku_ids = st.one_of(st.none(), st.integers(min_value=1, max_value=5))
lines = st.lists(st.builds(OrderLineAmount, sku_id=sku_ids, line_total=money), max_size=6)
ages = st.integers(min_value=0, max_value=int(LOOKBACK.total_seconds() * 1_000_000)).map(
    lambda us: timedelta(microseconds=us)
)


@st.composite
def touch_lists(draw):
    ids = draw(st.lists(st.integers(min_value=1, max_value=10_000), unique=True, max_size=20))
    # Many touches share a time, so the (created_at, id) tie-break is exercised.
    times = st.one_of(ages, st.sampled_from([timedelta(0), timedelta(days=1), LOOKBACK]))
    return [TouchPoint(id=i, created_at=ORDER_TIME - draw(times), sku_id=draw(sku_ids)) for i in ids]


half_lives = st.sampled_from([timedelta(days=7), timedelta(days=1), timedelta(hours=1), timedelta(days=90)])


def compute(revenue, order_lines, touches, half_life):
    return credit_shares(revenue=revenue, lines=order_lines, touches=touches, half_life=half_life)


@settings(max_examples=300, deadline=None, database=None)
@given(revenue=money, order_lines=lines, touches=touch_lists(), half_life=half_lives)
def test_every_model_conserves_revenue_and_splits_every_row_exactly(revenue, order_lines, touches, half_life):
    result = compute(revenue, order_lines, touches, half_life)

    assert set(result) == set(MODELS)
    for rows in result.values():
        assert sum(row.revenue for row in rows) == revenue
        assert len(rows) >= 1
        for row in rows:
            assert row.revenue == row.revenue.quantize(Decimal("0.01"))
            assert row.direct_revenue + row.assisted_revenue == row.revenue
            assert min(row.revenue, row.direct_revenue, row.assisted_revenue) >= 0
        if not touches:
            assert [row.touch for row in rows] == [None]


@settings(max_examples=200, deadline=None, database=None)
@given(
    revenue=money, order_lines=lines, touches=touch_lists(), half_life=half_lives, data=st.data(),
)
def test_same_input_in_any_order_gives_the_same_output(revenue, order_lines, touches, half_life, data):
    first = compute(revenue, order_lines, touches, half_life)
    again = compute(revenue, order_lines, touches, half_life)
    shuffled = compute(revenue, data.draw(st.permutations(order_lines)), data.draw(st.permutations(touches)), half_life)

    assert first == again == shuffled


@settings(max_examples=200, deadline=None, database=None)
@given(revenue=money, order_lines=lines, touches=touch_lists(), refunds=st.lists(money, max_size=4))
def test_reversals_never_overdraw_and_a_full_reversal_ends_at_zero(revenue, order_lines, touches, refunds):
    rows = compute(revenue, order_lines, touches, timedelta(days=7))["linear"]
    held = [[row.revenue, row.direct_revenue] for row in rows]

    taken = Decimal("0.00")
    for amount in [*refunds, revenue]:
        parts = reversal_shares(held=[tuple(h) for h in held], amount=amount)
        expected = min(amount, revenue - taken)
        assert -sum(part[0] for part in parts) == expected
        taken += expected
        for h, (part_revenue, part_direct, part_assisted) in zip(held, parts, strict=True):
            assert part_direct + part_assisted == part_revenue <= 0
            assert part_direct <= 0 and part_assisted <= 0
            h[0] += part_revenue
            h[1] += part_direct
            assert 0 <= h[1] <= h[0]

    assert all(h == [Decimal("0.00"), Decimal("0.00")] for h in held)
