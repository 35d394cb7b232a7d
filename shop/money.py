"""Money in one place: every amount is a ``Decimal`` with two places, rounded half-up."""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings

CENT = Decimal("0.01")
#: Keyword arguments of every money column: ``models.DecimalField(**MONEY)``.
MONEY = {"max_digits": 12, "decimal_places": 2}
CURRENCY_SYMBOLS = {"CNY": "¥", "USD": "$", "EUR": "€", "HKD": "HK$"}


def money_quantize(amount: Decimal | int | str) -> Decimal:
    """Round ``amount`` to cents. Floats are refused: they cannot hold cents exactly."""
    if isinstance(amount, float):
        raise TypeError("Money must not be a float; pass a Decimal or a string.")
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


def money_format(amount: Decimal | None, currency: str | None = None) -> str:
    """``Decimal("1299")`` → ``"¥1,299.00"``; ``None`` → ``""``."""
    if amount is None:
        return ""
    currency = currency or settings.HAOWU_CURRENCY
    symbol = CURRENCY_SYMBOLS.get(currency, currency + " ")
    value = money_quantize(amount)
    sign = "-" if value < 0 else ""
    return f"{sign}{symbol}{abs(value):,.2f}"


def discount_percent(price: Decimal, compare_at_price: Decimal | None) -> int | None:
    """Whole percent saved against the compare-at price, or ``None`` if there is no saving."""
    if not compare_at_price or compare_at_price <= price:
        return None
    saved = (compare_at_price - price) / compare_at_price * 100
    return int(saved.quantize(Decimal("1"), rounding=ROUND_HALF_UP))
