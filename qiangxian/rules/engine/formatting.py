"""Chinese display of values with units: 万元/亿元, %, 人, 年, 亩."""

from __future__ import annotations

import math
import re
from collections.abc import Callable

from .units import MONEY, Unit


def _trim(number: float, digits: int) -> str:
    text = f"{number:,.{digits}f}" if abs(number) >= 1e4 else f"{number:.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in {"-0", ""} else text


def format_money(yuan: float, digits: int = 2) -> str:
    """Format an amount in yuan as 元 / 万元 / 亿元, e.g. 380000 -> "38万元"."""
    if abs(yuan) >= 1e8:
        return f"{_trim(yuan / 1e8, digits)}亿元"
    if abs(yuan) >= 1e4:
        return f"{_trim(yuan / 1e4, digits)}万元"
    return f"{_trim(yuan, digits)}元"


def format_percent(ratio: float, digits: int = 1) -> str:
    """Format a ratio as a percentage with a fixed number of decimals: 0.024 -> "2.4%"."""
    return f"{ratio * 100:.{digits}f}%"


def format_value(value: float | bool | None, unit: Unit | None = None, digits: int | None = None) -> str:
    """Format one value for a trace or a page; missing values read "无数据".

    ``digits`` is the number of decimals (trailing zeros dropped, except for percentages, which
    keep a fixed number); by default 1 for percentages and 2 otherwise.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "无数据"
    if isinstance(value, bool):
        return "是" if value else "否"
    percent = unit is not None and unit.dimensionless and unit.percent
    if digits is None:
        digits = 1 if percent else 2
    if unit is None:
        return _trim(float(value), digits)
    if unit.dims == MONEY.dims:
        return format_money(float(value), digits)
    if unit.dimensionless:
        return format_percent(float(value), digits) if percent else _trim(float(value), digits)
    if unit.label in {"元/亩"}:
        return f"{_trim(float(value) / 1e4, digits)}万元/亩"
    if unit.label.startswith("元/") and abs(float(value)) >= 1e4:
        # Per person, per item...: 181400 元/人 reads 18.14万元/人.
        return f"{_trim(float(value) / 1e4, digits)}万{unit.label}"
    if unit.label == "千瓦时" and abs(float(value)) >= 1e4:
        return f"{_trim(float(value) / 1e4, digits)}万千瓦时"
    return f"{_trim(float(value), digits)}{unit.label}"


def _default_digits(unit: Unit | None) -> int:
    return 1 if unit is not None and unit.dimensionless and unit.percent else 2


# The most decimals a trace adds to make a boundary readable (values closer than this are
# equal within the comparison tolerance anyway).
MAX_EXTRA_DIGITS = 6
_SHOWN = re.compile(r"^(-?[\d,]+(?:\.\d+)?)(.*)$")


def shown_number(text: str) -> tuple[float, str] | None:
    """The number a formatted value shows and its unit text ("1,999.99万元" -> (1999.99, "万元"))."""
    match = _SHOWN.match(text)
    if match is None:
        return None
    return float(match.group(1).replace(",", "")), match.group(2)


_EXACT: dict[str, Callable[[float, float], bool]] = {
    ">=": lambda a, b: a >= b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    "<": lambda a, b: a < b,
    "=": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
}


def format_pair(a: float, b: float, unit: Unit | None, op: str, verdict: bool | None) -> tuple[str, str]:
    """Both sides of a comparison with as many decimals as it takes for them to agree with the verdict.

    "2.99% ≥ 3%" is 不满足: shown with one decimal it would read "3.0% ≥ 3.0%", which
    contradicts the verdict, so a second decimal is added. Unknown verdicts use the defaults.
    """
    base = _default_digits(unit)
    sa, sb = format_value(a, unit), format_value(b, unit)
    if verdict is None or op not in _EXACT:
        return sa, sb
    for extra in range(MAX_EXTRA_DIGITS + 1):
        sa, sb = format_value(a, unit, base + extra), format_value(b, unit, base + extra)
        na, nb = shown_number(sa), shown_number(sb)
        if na is None or nb is None or na[1] != nb[1] or _EXACT[op](na[0], nb[0]) == verdict:
            break
    return sa, sb


def format_full(value: float | bool | None, unit: Unit | None = None) -> str:
    """A recorded value with every decimal it has (up to the limit): 1999.9999万元, not 2000万元."""
    if value is None or isinstance(value, bool) or math.isnan(float(value)):
        return format_value(value, unit)
    base = _default_digits(unit)
    finest = shown_number(format_value(value, unit, base + MAX_EXTRA_DIGITS))
    for extra in range(MAX_EXTRA_DIGITS + 1):
        text = format_value(value, unit, base + extra)
        if finest is None or shown_number(text) == finest:
            break
    return text


def format_difference(diff: float, unit: Unit | None) -> str:
    """Format a gap; differences of percentages read as 个百分点. A gap that exists never reads 0."""
    percent = unit is not None and unit.dimensionless and unit.percent
    digits = _default_digits(unit)
    for extra in range(MAX_EXTRA_DIGITS + 1):
        text = (
            _trim(diff * 100, digits + extra) + "个百分点"
            if percent
            else format_value(diff, unit, digits + extra)
        )
        shown = shown_number(text)
        if diff == 0 or shown is None or shown[0] != 0:
            break
    return text
