"""The wording rules, for any figure: the word follows the sign of the rounded number, no minus
sign is ever written after a word, the number is the platform's rounding."""

from __future__ import annotations

import re
from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from qiangxian.core.formatting import percent_number
from qiangxian.reports import wording

ratios = st.decimals(min_value=D("-5"), max_value=D("50"), allow_nan=False, allow_infinity=False, places=6)


@given(ratios)
def test_growth_word_and_number_agree(ratio):
    text = wording.growth(ratio)
    shown = percent_number(ratio)
    assert "-" not in text and "增长-" not in text
    if shown == 0:
        assert text == "与上年同期持平"
    elif shown > 0:
        assert text == f"增长{shown}%"
    else:
        assert text == f"下降{-shown}%"


@given(ratios, ratios)
def test_change_in_points_is_the_difference_of_what_the_reader_sees(now, before):
    text = wording.change_pp(now, before)
    gap = percent_number(now) - percent_number(before)
    assert "-" not in text
    if gap == 0:
        assert text == "持平"
    else:
        word = "提高" if gap > 0 else "回落"
        assert text == f"{word}{abs(gap)}个百分点"


@given(st.decimals(min_value=D(0), max_value=D(3), places=6), st.integers(min_value=1, max_value=12))
def test_pace_against_the_year(completion, month):
    elapsed = D(month) / 12
    text = wording.pace(completion, elapsed)
    gap = percent_number(completion) - percent_number(elapsed)
    assert "-" not in text
    if gap > 0:
        assert text.startswith("快于序时进度")
    elif gap < 0:
        assert text.startswith("慢于序时进度")
    else:
        assert text == "与序时进度持平"
    if gap:
        assert re.search(r"(\d+\.\d)个百分点$", text).group(1) == str(abs(gap))


@given(st.decimals(min_value=D("-1"), max_value=D("1"), places=6))
def test_pull_never_says_a_negative_pull(ratio):
    text = wording.pull(ratio)
    shown = percent_number(ratio)
    assert "-" not in text
    assert text.startswith("拉动" if shown > 0 else "下拉" if shown < 0 else "对增长基本无拉动")


def test_unknown_figures_are_said_so():
    assert wording.growth(None) == "无上年同期可比数"
    assert wording.change_pp(None, D("0.1")) == ""
    assert wording.pace(None, D("0.5")) == ""
    assert wording.percent(None) == "—"


@given(ratios, ratios)
def test_comparing_two_growths(a, b):
    text = wording.compare(a, b, a_name="用电量", b_name="产值")
    assert "-" not in text
    gap = percent_number(a) - percent_number(b)
    assert ("快于" in text) == (gap > 0) and ("慢于" in text) == (gap < 0)
