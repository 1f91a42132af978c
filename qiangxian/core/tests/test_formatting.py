"""Number display in 万元/亿元 and percentages."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from qiangxian.core import formatting


def test_money_units():
    assert formatting.format_money(Decimal("2505000000"), unit="yi") == "25.05亿元"
    assert formatting.format_money(Decimal("123456"), unit="wan") == "12.35万元"
    assert formatting.format_money(Decimal("16160000000")) == "161.60亿元"
    assert formatting.format_money(Decimal("99999999")) == "10,000.00万元"
    assert formatting.format_money(None) == "—"


def test_percent_rounds_half_up():
    assert formatting.format_percent(Decimal("0.193")) == "19.3%"
    assert formatting.format_percent(Decimal("0.00125"), digits=2) == "0.13%"
    assert formatting.format_percent("abc") == "—"


def test_mask_phone():
    assert formatting.mask_phone("13812345678") == "138****5678"
    assert formatting.mask_phone("12345") == "*****"


@given(st.decimals(min_value=-(10**12), max_value=10**12, places=2, allow_nan=False))
def test_wan_round_trips_within_rounding(value):
    text = formatting.format_money(value, unit="wan")
    shown = Decimal(text.removesuffix("万元").replace(",", ""))
    assert abs(shown * 10000 - value) <= Decimal("50")


def test_one_rounding_half_up_without_negative_zero():
    assert formatting.round_half_up(Decimal("12.25")) == Decimal("12.3")
    assert formatting.round_half_up(Decimal("-12.25")) == Decimal("-12.3")
    assert formatting.percent_number(Decimal("0.1225")) == Decimal("12.3")
    tiny = formatting.percent_number(Decimal("-0.0000004"))
    assert tiny == 0 and str(tiny) == "0.0"
    assert formatting.format_pp(Decimal("-0.04")) == "0.0个百分点"
    assert formatting.percent_number(None) is None


@given(st.decimals(min_value=-(10**6), max_value=10**6, places=4, allow_nan=False))
def test_pages_and_exports_round_alike(value):
    """The page's text and the export's number come from the same rounding."""
    text = formatting.format_percent(value)
    number = formatting.percent_number(value)
    assert text == f"{number:,.1f}%"
    assert not text.startswith("-0.0")


def test_id_numbers_keep_only_their_ends():
    from qiangxian.core.formatting import mask_id_number

    assert mask_id_number("36012319800101123X") == "3601**********123X"
    assert mask_id_number("1234") == "****"
    assert mask_id_number(None) == ""
