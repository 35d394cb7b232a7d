from decimal import Decimal

import pytest
from django.db import IntegrityError

from shop.catalogue.models import SKU, StockState
from shop.money import discount_percent, money_format, money_quantize


@pytest.mark.parametrize(
    ("stock", "active", "state"),
    [
        (0, True, StockState.SOLD_OUT),
        (1, True, StockState.LOW),
        (5, True, StockState.LOW),
        (6, True, StockState.IN_STOCK),
        (500, True, StockState.IN_STOCK),
        (50, False, StockState.UNAVAILABLE),
        (0, False, StockState.UNAVAILABLE),
    ],
)
def test_sku_stock_state_follows_the_low_stock_threshold(stock, active, state):
    # given a SKU with this much stock
    sku = SKU(code="X", price=Decimal("10.00"), stock=stock, active=active)
    # then its state is derived from stock and the active flag
    assert sku.stock_state == state


def test_sku_low_stock_threshold_comes_from_settings(settings):
    settings.HAOWU_LOW_STOCK_THRESHOLD = 2
    assert SKU(code="X", price=Decimal("1.00"), stock=3).stock_state == StockState.IN_STOCK
    assert SKU(code="X", price=Decimal("1.00"), stock=2).stock_state == StockState.LOW


def test_option_label_joins_values_in_the_order_of_their_names_and_skips_empty_ones():
    # PostgreSQL's jsonb reorders keys, so the order written is not one every database keeps.
    sku = SKU(code="K-1", options={"颜色": "Sage", "Size": "M", "Engraving": ""})
    assert sku.option_label == "M / Sage"
    assert str(sku) == "K-1 · M / Sage"


def test_option_label_is_empty_without_options():
    sku = SKU(code="K-2", options={})
    assert sku.option_label == ""
    assert str(sku) == "K-2"


def test_stored_options_and_prices_round_trip_as_json_and_decimal(sku_factory):
    # given a SKU saved with Chinese option names and a string price
    sku = sku_factory(code="TEA-1", options={"颜色": "青瓷", "容量": "300ml"}, price="129.00",
                      compare_at_price="159.00")
    # when it is read back from the database
    stored = SKU.objects.get(pk=sku.pk)
    # then the options and money come back exactly
    assert stored.options == {"颜色": "青瓷", "容量": "300ml"}
    assert stored.price == Decimal("129.00")
    assert stored.compare_at_price == Decimal("159.00")
    assert stored.discount_percent == 19


def test_negative_stock_is_refused_by_the_database(sku_factory):
    sku = sku_factory(stock=1)
    with pytest.raises(IntegrityError):
        SKU.objects.filter(pk=sku.pk).update(stock=-1)


def test_negative_price_is_refused_by_the_database(sku_factory):
    sku = sku_factory()
    with pytest.raises(IntegrityError):
        SKU.objects.filter(pk=sku.pk).update(price=Decimal("-0.01"))


def test_sku_code_is_unique(sku_factory):
    sku_factory(code="DUP-1")
    with pytest.raises(IntegrityError):
        sku_factory(code="DUP-1")


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (Decimal("1299"), "¥1,299.00"),
        (Decimal("0.5"), "¥0.50"),
        (Decimal("0.005"), "¥0.01"),
        (Decimal("1234567.895"), "¥1,234,567.90"),
        ("9.9", "¥9.90"),
        (0, "¥0.00"),
        (Decimal("-3.20"), "-¥3.20"),
    ],
)
def test_money_format_rounds_half_up_to_cents_with_yuan_sign(amount, text):
    assert money_format(amount) == text


def test_money_format_of_none_is_empty():
    assert money_format(None) == ""


def test_money_format_uses_the_given_currency():
    assert money_format(Decimal("12"), "USD") == "$12.00"
    assert money_format(Decimal("12"), "JPY") == "JPY 12.00"


def test_money_quantize_rounds_half_up():
    assert money_quantize(Decimal("2.345")) == Decimal("2.35")
    assert money_quantize("2.344") == Decimal("2.34")
    assert money_quantize(7) == Decimal("7.00")


def test_money_refuses_floats():
    with pytest.raises(TypeError):
        money_quantize(9.9)
    with pytest.raises(TypeError):
        money_format(9.9)


@pytest.mark.parametrize(
    ("price", "compare_at", "percent"),
    [
        (Decimal("129.00"), Decimal("159.00"), 19),
        (Decimal("75.00"), Decimal("100.00"), 25),
        (Decimal("99.50"), Decimal("100.00"), 1),   # 0.5 % rounds half up
        (Decimal("100.00"), Decimal("100.00"), None),
        (Decimal("120.00"), Decimal("100.00"), None),
        (Decimal("100.00"), None, None),
        (Decimal("0.00"), Decimal("10.00"), 100),
    ],
)
def test_discount_percent(price, compare_at, percent):
    assert discount_percent(price, compare_at) == percent
