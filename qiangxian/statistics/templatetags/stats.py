"""Template filters for indicator values: the unit of each indicator, growth, pull in 个百分点."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from qiangxian.core import formatting
from qiangxian.core.templatetags.qx import growth as growth_filter
from qiangxian.statistics import indicators

register = template.Library()


def format_value(value, code: str) -> str:
    """An indicator value in its reader's unit: 万元/亿元, 万千瓦时, 人, %."""
    if value is None:
        return "—"
    indicator = indicators.CATALOGUE.get(code)
    unit = indicator.unit if indicator else "元"
    number = formatting.to_decimal(value)
    if unit == "元":
        return formatting.format_money(number)
    if unit == "千瓦时":
        return f"{formatting._fixed(number / 10000, 2)}万千瓦时"
    if unit == "人":
        return f"{formatting._fixed(number, 0)}人"
    if unit == "%":
        return f"{formatting._fixed(number, 1)}%"
    return f"{formatting._fixed(number, 2)}{unit}"


@dataclass(frozen=True)
class ColumnUnit:
    """One unit for a whole column of an indicator's values (never 亿元 in one row, 万元 in the next)."""

    divisor: Decimal
    label: str
    digits: int

    def number(self, value) -> Decimal | None:
        """The rounded number shown in the column (and written to the export)."""
        number = formatting.to_decimal(value)
        return None if number is None else formatting.round_half_up(number / self.divisor, self.digits)

    def text(self, value) -> str:
        number = self.number(value)
        return "—" if number is None else f"{number:,.{self.digits}f}"


def column_unit(code: str, values) -> ColumnUnit:
    """The unit of a column of ``code`` values: 亿元 or 万元 by the largest amount, 万千瓦时, 人, %..."""
    indicator = indicators.CATALOGUE.get(code)
    unit = indicator.unit if indicator else "元"
    if unit == "元":
        key = formatting.money_unit(values)
        return ColumnUnit(
            formatting.YI if key == "yi" else formatting.WAN, formatting.MONEY_UNIT_LABELS[key], 2
        )
    if unit == "千瓦时":
        return ColumnUnit(formatting.WAN, "万千瓦时", 2)
    return ColumnUnit(Decimal(1), unit, {"人": 0, "%": 1}.get(unit, 2))


@register.filter
def in_col(value, column: ColumnUnit) -> str:
    """``{{ i.value|in_col:col }}``: a value in its column's unit, written once in the header."""
    return column.text(value)


@register.filter
def ind_value(value, code: str) -> str:
    """``{{ v|ind_value:"gross_output" }}``."""
    return format_value(value, code)


@register.simple_tag
def ind_cell(value, code: str, money_unit: str = "") -> str:
    """``{% ind_cell value code money_unit %}``: like ``ind_value``, but amounts of money in the
    column's one unit (``formatting.money_unit``) when rows of different indicators share a column."""
    indicator = indicators.CATALOGUE.get(code)
    if money_unit and value is not None and (indicator is None or indicator.unit == "元"):
        return formatting.format_money(value, unit=money_unit)
    return format_value(value, code)


def money_column_unit(pairs) -> str:
    """The one money unit of a column holding (value, indicator code) pairs of several indicators."""
    return formatting.money_unit(
        v
        for v, code in pairs
        if (indicators.CATALOGUE.get(code) is None or indicators.CATALOGUE[code].unit == "元")
    )


@register.filter
def ind_growth(item, code: str = ""):
    """Growth of an IndicatorValue: a percentage, or for ratio indicators a change in points."""
    if item is None:
        return mark_safe('<span class="text-muted">—</span>')
    code = code or getattr(item, "code", "")
    g = item.growth if hasattr(item, "growth") else item
    indicator = indicators.CATALOGUE.get(code)
    if indicator is not None and indicator.is_ratio and indicator.unit == "%":
        if g is None:
            return mark_safe('<span class="text-muted">—</span>')
        if abs(g) < Decimal("0.05"):
            return mark_safe('<span class="qx-flat">持平</span>')
        css = "qx-up" if g > 0 else "qx-down" if g < 0 else "qx-flat"
        return format_html('<span class="{}">{}</span>', css, formatting.format_pp(g))
    return growth_filter(g)


@register.filter
def pp(value) -> str:
    """A ratio (0.179) as percentage points (17.9个百分点)."""
    return formatting.format_pp(formatting.percent_number(value))


def comparable_note(item, whole_base=None, count_label: str = "可比企业") -> str:
    """What a growth counts, in one sentence the page, the API and the export share:
    "可比企业 148/150户；新投产企业 2户，产值 1.23亿元，拉动 0.5个百分点（未计入增速）".

    ``whole_base`` is the base the new entrants' pull is measured against (default the item's own).
    """
    if item is None or not getattr(item, "n_reported", 0):
        return ""
    text = f"{count_label} {item.n_comparable}/{item.n_reported}户"
    if not item.n_new:
        return f"{text}；无新投产企业（均有上年同期数）"
    counted = "已计入增速" if item.basis == "all" else "未计入增速"
    text += f"；新投产企业 {item.n_new}户"
    if item.new_value is not None:
        text += f"，{indicators.CATALOGUE[item.code].name} {format_value(item.new_value, item.code)}"
        pull_ratio = item.new_pull(whole_base)
        if pull_ratio is not None:
            text += f"，拉动 {formatting.format_pp(formatting.percent_number(pull_ratio))}"
    return f"{text}（无上年同期数，{counted}）"


@register.filter
def comparable_line(item) -> str:
    """``{{ total|comparable_line }}``: see :func:`comparable_note`."""
    return comparable_note(item)


@register.filter
def basis_label(item) -> str:
    """The growth convention beside a growth figure: 可比口径 / 含新投产企业."""
    return getattr(item, "basis_label", "") or ""


@register.filter
def ratio_pct(value) -> str:
    """A ratio as a percentage with one decimal."""
    return formatting.format_percent(value)


@register.filter
def month_label(value) -> str:
    """2026-10-01 → 2026年10月."""
    return f"{value.year}年{value.month}月" if value else "—"


@register.filter
def period_label(value) -> str:
    """2026-10-01 → 2026年1-10月 (1月 alone for January)."""
    if not value:
        return "—"
    return f"{value.year}年{months_label(value)}"


@register.filter
def months_label(value) -> str:
    """2026-10-01 → 1-10月 (1月 for January): the header of a cumulative column, never "1-N月"."""
    if not value:
        return "累计"
    return "1月" if value.month == 1 else f"1-{value.month}月"
