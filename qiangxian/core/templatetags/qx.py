"""Template filters for Chinese number display: 万元/亿元 with units, growth arrows, masking."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from qiangxian.core import formatting

register = template.Library()


@register.filter
def wan(value, digits: int = 2) -> str:
    """Yuan shown in 万元 with the unit."""
    return formatting.format_money(value, unit="wan", digits=digits)


@register.filter
def yi(value, digits: int = 2) -> str:
    """Yuan shown in 亿元 with the unit."""
    return formatting.format_money(value, unit="yi", digits=digits)


@register.filter
def money(value) -> str:
    """Yuan in the unit a reader expects: 亿元 from one hundred million up, else 万元."""
    return formatting.format_money(value, unit="auto")


@register.filter
def in_unit(value, unit: str = "wan") -> str:
    """An amount in its column's unit (``formatting.money_unit``), the unit shown in the header."""
    return formatting.format_in_unit(value, unit)


@register.filter
def unit_label(unit: str) -> str:
    """yi → 亿元, wan → 万元."""
    return formatting.MONEY_UNIT_LABELS.get(unit, unit)


@register.filter
def month(value) -> str:
    """A month stored as its first day: 2026年11月."""
    return formatting.format_month(value)


@register.filter
def yesno_cn(value) -> str:
    """True/False/None as 是/否/—: no raw booleans on a page."""
    if value is None or value == "":
        return "—"
    return "是" if value else "否"


@register.filter
def pct(value, digits: int = 1) -> str:
    """A ratio (0.193) shown as a percentage (19.3%)."""
    return formatting.format_percent(value, digits=digits)


UNKNOWN = mark_safe('<span class="text-muted">—</span>')


@register.filter
def growth(value, digits: int = 1):
    """A growth ratio as an arrow and a percentage; up is red and down green, as Chinese readers expect.

    The direction is read from the rounded figure, so a change that shows as 0.0% reads 持平.
    """
    shown = formatting.percent_number(value, digits)
    if shown is None:
        return UNKNOWN
    text = f"{abs(shown):,.{digits}f}%"
    if shown > 0:
        return format_html('<span class="qx-up" title="增长">▲ {}</span>', text)
    if shown < 0:
        return format_html('<span class="qx-down" title="下降">▼ {}</span>', text)
    return mark_safe('<span class="qx-flat">持平</span>')


@register.filter
def mask_id_number(value) -> str:
    """ID numbers are masked wherever the reader is not the person's own liaison."""
    return formatting.mask_id_number(value)


@register.filter
def mask_phone(value) -> str:
    """Personal phone numbers are masked in lists: 138****5678."""
    return formatting.mask_phone(value)


@register.filter
def get_item(mapping, key):
    """Dictionary lookup by a variable key."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def bs(bound_field):
    """Render a form field's widget with Bootstrap classes, marked invalid when it has errors."""
    select_types = ("select", "nullbooleanselect", "selectmultiple")
    css = "form-select" if bound_field.widget_type in select_types else "form-control"
    if bound_field.form.is_bound and bound_field.errors:
        css += " is-invalid"
    return bound_field.as_widget(attrs={"class": css})
