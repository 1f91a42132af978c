"""Template filters for indicator values: the unit of each indicator, growth, pull in 个百分点."""

from __future__ import annotations

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


@register.filter
def ind_value(value, code: str) -> str:
    """``{{ v|ind_value:"gross_output" }}``."""
    return format_value(value, code)


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
    if value is None:
        return "—"
    points = (Decimal(value) * 100).quantize(Decimal("0.1"))
    return formatting.format_pp(points if points else Decimal(0))


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
    return f"{value.year}年1月" if value.month == 1 else f"{value.year}年1-{value.month}月"
