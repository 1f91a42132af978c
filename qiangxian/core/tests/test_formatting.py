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
