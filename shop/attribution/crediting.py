"""How one order's revenue is shared among the touches that led to it, under each
attribution model. Pure functions: no database, no clock, no settings.

The rules (docs/decisions/0005-attribution-models.md):

- Touches are taken oldest first, by ``(created_at, id)``, whatever order they come in.
- Amounts are whole cents shared by largest remainder: every share is rounded down,
  then the cents left over go one each to the largest fractional remainders; equal
  remainders go to the earlier touch. So every model's shares sum exactly to the
  revenue, and the same input always gives the same output.
- A share is direct for the part the order's lines of the touch's SKU make of all
  lines (shipping and discounts spread over the lines in proportion), rounded half up
  to the cent; the rest of the share is assisted. ``direct + assisted == revenue``.
- No touch: one row without a touch ("direct / unattributed") holding all revenue,
  none of it direct (no link was clicked), all of it in ``assisted_revenue``.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Context, Decimal
from fractions import Fraction
from typing import Any, Protocol

from shop.attribution.models import AttributionModel
from shop.money import money_quantize

#: Time-decay weights are floats; they are cut to this many significant digits before
#: they become exact fractions, so a last-bit difference in ``pow`` cannot move a cent.
WEIGHT_DIGITS = 15
_WEIGHT_CONTEXT = Context(prec=WEIGHT_DIGITS)
_EXPONENT_CONTEXT = Context(prec=WEIGHT_DIGITS + 10)

POSITION_ENDS = Fraction(2, 5)  # first and last touch each; the middle shares the rest


class CandidateTouch(Protocol):
    """What crediting needs from a touch; ``shop.attribution.models.Touch`` fits."""

    id: int
    created_at: datetime
    sku_id: int | None


@dataclass(frozen=True)
class TouchPoint:
    """A touch without a database row (tests, benchmarks)."""

    id: int
    created_at: datetime
    sku_id: int | None = None


@dataclass(frozen=True)
class OrderLineAmount:
    sku_id: int | None
    line_total: Decimal


@dataclass(frozen=True)
class Share:
    """One credit row: ``touch`` is the candidate touch, or ``None`` for an order no
    touch explains."""

    touch: Any
    revenue: Decimal
    direct_revenue: Decimal
    assisted_revenue: Decimal


def credit_shares(
    *,
    revenue: Decimal,
    lines: Sequence[OrderLineAmount],
    touches: Sequence[CandidateTouch],
    half_life: timedelta,
) -> dict[str, list[Share]]:
    """Each model's shares of ``revenue``, keyed by ``AttributionModel`` value.

    A model lists only the touches it credits (last touch: one row; linear: one per
    touch), oldest first; a share may be ``0.00`` (a zero-revenue order, or fewer cents
    than touches). Raises ``ValueError`` for negative revenue or a non-positive
    half-life."""
    cents = _cents(revenue)
    if cents < 0:
        raise ValueError("Revenue must not be negative.")
    if half_life <= timedelta(0):
        raise ValueError("The half-life must be positive.")
    ordered = sorted(touches, key=lambda t: (t.created_at, t.id))
    lines_cents = sum(_cents(line.line_total) for line in lines)
    sku_cents: dict[int, int] = {}
    for line in lines:
        if line.sku_id is not None:
            sku_cents[line.sku_id] = sku_cents.get(line.sku_id, 0) + _cents(line.line_total)

    result: dict[str, list[Share]] = {}
    for model in AttributionModel.values:
        if not ordered:
            result[model] = [Share(None, _money(cents), _money(0), _money(cents))]
            continue
        credited = _credited(model, ordered, half_life)
        amounts = allocate_cents(cents, [weight for _, weight in credited])
        result[model] = [
            _share(touch, amount, sku_cents.get(touch.sku_id, 0) if touch.sku_id is not None else 0, lines_cents)
            for (touch, _), amount in zip(credited, amounts, strict=True)
        ]
    return result


def reversal_shares(*, held: Sequence[tuple[Decimal, Decimal]], amount: Decimal) -> list[tuple[Decimal, Decimal, Decimal]]:
    """Take ``amount`` back from credits that still hold ``held`` = ``[(revenue,
    direct_revenue), …]`` (net of earlier reversals), in proportion to what each holds.

    Returns ``(revenue, direct_revenue, assisted_revenue)`` per credit, each ``<= 0``,
    summing to ``-min(amount, total held)``: never more than is left, so taking back
    everything leaves every credit at exactly zero. Same largest-remainder rule, ties
    to the earlier credit; the direct part is the credit's direct proportion, rounded
    half up, so no credit's direct or assisted revenue goes below zero."""
    held_cents = [(_cents(revenue), _cents(direct)) for revenue, direct in held]
    if any(revenue < 0 or not 0 <= direct <= revenue for revenue, direct in held_cents):
        raise ValueError("Held credits must be non-negative with direct revenue within revenue.")
    total = sum(revenue for revenue, _ in held_cents)
    take = min(max(_cents(amount), 0), total)
    if take == 0:
        return [(_money(0), _money(0), _money(0)) for _ in held_cents]
    amounts = allocate_cents(take, [Fraction(revenue) for revenue, _ in held_cents])
    rows = []
    for (revenue, direct), part in zip(held_cents, amounts, strict=True):
        direct_part = _round_half_up(Fraction(part * direct, revenue)) if part else 0
        rows.append((_money(-part), _money(-direct_part), _money(-(part - direct_part))))
    return rows


def allocate_cents(total: int, weights: Sequence[Fraction]) -> list[int]:
    """Split ``total`` (cents, ``>= 0``) in proportion to ``weights`` (``>= 0``, not all
    zero) by largest remainder; equal remainders favour the earlier weight."""
    if total < 0 or any(w < 0 for w in weights):
        raise ValueError("Cannot allocate a negative amount or by a negative weight.")
    weight_sum = sum(weights, Fraction(0))
    if weight_sum == 0:
        if total:
            raise ValueError("Cannot allocate an amount when every weight is zero.")
        return [0] * len(weights)
    exact = [total * w / weight_sum for w in weights]
    floors = [q.numerator // q.denominator for q in exact]
    leftover = total - sum(floors)
    by_remainder = sorted(range(len(exact)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in by_remainder[:leftover]:
        floors[i] += 1
    return floors


def time_decay_weight(age: timedelta, half_life: timedelta) -> Fraction:
    """``2 ** -(age / half_life)``, cut to ``WEIGHT_DIGITS`` significant digits, as an
    exact fraction. A negative age counts as zero."""
    microsecond = timedelta(microseconds=1)
    # Decimal throughout (no float): the same digits on every machine.
    exponent = _EXPONENT_CONTEXT.divide(
        Decimal(max(age, timedelta(0)) // microsecond), Decimal(half_life // microsecond)
    )
    return Fraction(_WEIGHT_CONTEXT.power(Decimal(2), -exponent))


def _credited(model: str, ordered: list, half_life: timedelta) -> list[tuple[Any, Fraction]]:
    if model == AttributionModel.LAST_TOUCH:
        return [(ordered[-1], Fraction(1))]
    if model == AttributionModel.FIRST_TOUCH:
        return [(ordered[0], Fraction(1))]
    if model == AttributionModel.LINEAR:
        return [(touch, Fraction(1)) for touch in ordered]
    if model == AttributionModel.TIME_DECAY:
        # Measured from the newest touch rather than the order: the order's own time
        # cancels out when weights are normalised, and the newest weight is exactly 1,
        # so the sum can never underflow to zero.
        newest = ordered[-1].created_at
        return [(touch, time_decay_weight(newest - touch.created_at, half_life)) for touch in ordered]
    if model == AttributionModel.POSITION_BASED:
        count = len(ordered)
        if count <= 2:
            return [(touch, Fraction(1, count)) for touch in ordered]
        middle = (1 - 2 * POSITION_ENDS) / (count - 2)
        return [
            (touch, POSITION_ENDS if i in (0, count - 1) else middle) for i, touch in enumerate(ordered)
        ]
    raise ValueError(f"Unknown attribution model {model!r}.")


def _share(touch, amount: int, direct_lines: int, lines_cents: int) -> Share:
    direct = _round_half_up(Fraction(amount * direct_lines, lines_cents)) if lines_cents else 0
    return Share(touch, _money(amount), _money(direct), _money(amount - direct))


def _round_half_up(value: Fraction) -> int:
    """Non-negative fractions only (every caller's)."""
    return (2 * value.numerator + value.denominator) // (2 * value.denominator)


def _cents(amount: Decimal) -> int:
    return int(money_quantize(amount).scaleb(2))


def _money(cents: int) -> Decimal:
    return money_quantize(Decimal(cents).scaleb(-2))
