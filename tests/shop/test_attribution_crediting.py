"""crediting.py by hand: each model's exact shares, the cent rule, the direct / assisted
split and reversals. No database."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest

from shop.attribution.crediting import (
    OrderLineAmount,
    Share,
    TouchPoint,
    allocate_cents,
    credit_shares,
    reversal_shares,
    time_decay_weight,
)

ORDER_TIME = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)
WEEK = timedelta(days=7)
KETTLE, MUG = 1, 2


def touches_days_before(*days, sku_id=KETTLE):
    return [TouchPoint(id=i + 1, created_at=ORDER_TIME - timedelta(days=d), sku_id=sku_id) for i, d in enumerate(days)]


def shares(revenue, touches, lines=None, half_life=WEEK):
    lines = lines if lines is not None else [OrderLineAmount(KETTLE, Decimal(revenue))]
    return credit_shares(revenue=Decimal(revenue), lines=lines, touches=touches, half_life=half_life)


def revenues(rows):
    return [(row.touch.id, row.revenue) for row in rows]


def test_last_and_first_touch_take_everything():
    touches = touches_days_before(3, 2, 1)

    result = shares("100.00", touches)

    assert revenues(result["last_touch"]) == [(3, Decimal("100.00"))]
    assert revenues(result["first_touch"]) == [(1, Decimal("100.00"))]


def test_linear_gives_the_odd_cent_to_the_earliest_touch():
    result = shares("100.00", touches_days_before(3, 2, 1))

    assert revenues(result["linear"]) == [(1, Decimal("33.34")), (2, Decimal("33.33")), (3, Decimal("33.33"))]


def test_linear_two_leftover_cents_go_to_the_two_earliest():
    result = shares("0.05", touches_days_before(3, 2, 1))

    assert revenues(result["linear"]) == [(1, Decimal("0.02")), (2, Decimal("0.02")), (3, Decimal("0.01"))]


def test_time_decay_halves_every_week():
    # weights 0.25, 0.5, 1: exact 14.2857…, 28.5714…, 57.1428…; the cent goes to .57
    result = shares("100.00", touches_days_before(14, 7, 0))

    assert revenues(result["time_decay"]) == [(1, Decimal("14.29")), (2, Decimal("28.57")), (3, Decimal("57.14"))]


def test_time_decay_half_life_is_configurable():
    result = shares("100.00", touches_days_before(1, 0), half_life=timedelta(days=1))

    assert revenues(result["time_decay"]) == [(1, Decimal("33.33")), (2, Decimal("66.67"))]


def test_time_decay_weight_is_exact_for_whole_half_lives():
    assert time_decay_weight(timedelta(0), WEEK) == 1
    assert time_decay_weight(WEEK, WEEK) == Fraction(1, 2)
    assert time_decay_weight(3 * WEEK, WEEK) == Fraction(1, 8)
    assert time_decay_weight(-WEEK, WEEK) == 1


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        ((1,), ["100.00"]),
        ((2, 1), ["50.00", "50.00"]),
        ((3, 2, 1), ["40.00", "20.00", "40.00"]),
        ((4, 3, 2, 1), ["40.00", "10.00", "10.00", "40.00"]),
        ((5, 4, 3, 2, 1), ["40.00", "6.67", "6.67", "6.66", "40.00"]),
    ],
)
def test_position_based_40_20_40(days, expected):
    result = shares("100.00", touches_days_before(*days))

    assert [row.revenue for row in result["position_based"]] == [Decimal(x) for x in expected]


def test_touches_are_ordered_by_time_then_id_whatever_the_input_order():
    same_time = ORDER_TIME - timedelta(days=1)
    touches = [TouchPoint(9, same_time, KETTLE), TouchPoint(4, same_time, KETTLE), TouchPoint(7, ORDER_TIME, KETTLE)]

    result = shares("1.00", touches)

    assert revenues(result["first_touch"]) == [(4, Decimal("1.00"))]
    assert revenues(result["linear"]) == [(4, Decimal("0.34")), (9, Decimal("0.33")), (7, Decimal("0.33"))]


def test_no_touch_is_one_unattributed_row_per_model():
    result = shares("88.00", [])

    for model in ("last_touch", "first_touch", "linear", "time_decay", "position_based"):
        assert result[model] == [Share(None, Decimal("88.00"), Decimal("0.00"), Decimal("88.00"))]


def test_zero_revenue_keeps_every_credited_touch_with_zero():
    result = shares("0.00", touches_days_before(2, 1), lines=[OrderLineAmount(KETTLE, Decimal("0.00"))])

    assert [(r.revenue, r.direct_revenue, r.assisted_revenue) for r in result["linear"]] == [
        (Decimal("0.00"), Decimal("0.00"), Decimal("0.00")),
    ] * 2
    assert len(result["last_touch"]) == 1


def test_direct_is_the_clicked_skus_part_of_the_lines_with_shipping_spread_over_them():
    # Lines ¥60 kettle + ¥30 mug, shipping ¥10 → total ¥100; the kettle is 2/3 of the lines.
    lines = [OrderLineAmount(KETTLE, Decimal("60.00")), OrderLineAmount(MUG, Decimal("30.00"))]
    touches = [
        TouchPoint(1, ORDER_TIME - timedelta(days=2), KETTLE),
        TouchPoint(2, ORDER_TIME - timedelta(days=1), MUG),
    ]

    result = shares("100.00", touches, lines=lines)

    assert [(r.touch.id, r.revenue, r.direct_revenue, r.assisted_revenue) for r in result["linear"]] == [
        (1, Decimal("50.00"), Decimal("33.33"), Decimal("16.67")),
        (2, Decimal("50.00"), Decimal("16.67"), Decimal("33.33")),
    ]
    assert [(r.direct_revenue, r.assisted_revenue) for r in result["last_touch"]] == [
        (Decimal("33.33"), Decimal("66.67")),
    ]
    assert [(r.direct_revenue, r.assisted_revenue) for r in result["first_touch"]] == [
        (Decimal("66.67"), Decimal("33.33")),
    ]


def test_a_touch_of_a_sku_not_bought_assists_only():
    result = shares("50.00", touches_days_before(1, sku_id=99))

    assert result["last_touch"] == [Share(result["last_touch"][0].touch, Decimal("50.00"), Decimal("0.00"), Decimal("50.00"))]


def test_negative_revenue_is_refused():
    with pytest.raises(ValueError):
        shares("-1.00", [])


def test_allocate_cents_hands_leftovers_to_the_largest_remainders():
    assert allocate_cents(10, [Fraction(1), Fraction(1), Fraction(1)]) == [4, 3, 3]
    assert allocate_cents(100, [Fraction(1, 8), Fraction(7, 8)]) == [13, 87]
    assert allocate_cents(0, [Fraction(0), Fraction(0)]) == [0, 0]


def test_reversal_takes_back_in_proportion_to_what_each_credit_holds():
    held = [(Decimal("33.34"), Decimal("33.34")), (Decimal("33.33"), Decimal("0.00")), (Decimal("33.33"), Decimal("11.11"))]

    parts = reversal_shares(held=held, amount=Decimal("30.00"))

    assert parts == [
        (Decimal("-10.00"), Decimal("-10.00"), Decimal("0.00")),
        (Decimal("-10.00"), Decimal("0.00"), Decimal("-10.00")),
        (Decimal("-10.00"), Decimal("-3.33"), Decimal("-6.67")),
    ]


def test_reversal_of_everything_leaves_each_credit_at_zero_and_is_clamped():
    held = [(Decimal("14.29"), Decimal("4.76")), (Decimal("28.57"), Decimal("0.00")), (Decimal("57.14"), Decimal("57.14"))]

    parts = reversal_shares(held=held, amount=Decimal("500.00"))

    assert parts == [
        (Decimal("-14.29"), Decimal("-4.76"), Decimal("-9.53")),
        (Decimal("-28.57"), Decimal("0.00"), Decimal("-28.57")),
        (Decimal("-57.14"), Decimal("-57.14"), Decimal("0.00")),
    ]


def test_reversal_of_nothing_is_zero():
    assert reversal_shares(held=[(Decimal("0.00"), Decimal("0.00"))], amount=Decimal("5.00")) == [
        (Decimal("0.00"), Decimal("0.00"), Decimal("0.00")),
    ]
