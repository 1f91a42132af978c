"""Chinese display of values with units: 万元/亿元, %, 人, 年, 亩."""

from __future__ import annotations

import math

from .units import Unit


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


def format_value(value: float | bool | None, unit: Unit | None = None, digits: int = 2) -> str:
    """Format one value for a trace or a page; missing values read "无数据"."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "无数据"
    if isinstance(value, bool):
        return "是" if value else "否"
    if unit is None:
        return _trim(float(value), digits)
    if unit.dims == (1, 0, 0, 0, 0, 0):
        return format_money(float(value), digits)
    if unit.dimensionless:
        return format_percent(float(value)) if unit.percent else _trim(float(value), digits)
    if unit.label in {"元/亩"}:
        return f"{_trim(float(value) / 1e4, digits)}万元/亩"
    if unit.label.startswith("元/") and abs(float(value)) >= 1e4:
        # Per person, per item...: 181400 元/人 reads 18.14万元/人.
        return f"{_trim(float(value) / 1e4, digits)}万{unit.label}"
    if unit.label == "千瓦时" and abs(float(value)) >= 1e4:
        return f"{_trim(float(value) / 1e4, digits)}万千瓦时"
    return f"{_trim(float(value), digits)}{unit.label}"


def format_difference(diff: float, unit: Unit | None) -> str:
    """Format a gap; differences of percentages read as 个百分点, not as a percentage."""
    if unit is not None and unit.dimensionless and unit.percent:
        return f"{_trim(diff * 100, 1)}个百分点"
    return format_value(diff, unit)
