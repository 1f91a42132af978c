"""The figures the county receives, defined once in code (names from the glossary).

A *figure* is a reported quantity (工业总产值 as the statistics bureau sends it); an *indicator*
(``indicators.py``) is a named computation over figures. Each monthly figure has one
authoritative source: the indicator engine reads it from that source's rows, other sources'
values for the same figure are kept for reconciliation and shown on the enterprise's page.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import models


class Source(models.TextChoices):
    STATS = "stats", "统计局"
    POWER = "power", "供电公司"
    TAX = "tax", "税务局"
    OTHER = "other", "其他"


@dataclass(frozen=True)
class Figure:
    code: str
    name: str
    unit: str  # the storage unit: 元, 千瓦时, 人, 吨, 吨标准煤, 亩, 件, %
    source: str = Source.STATS
    # A flow is summed over months (cumulative = Jan..N); a stock is an average or level
    # (average employees) and is never derived from differences.
    flow: bool = True
    money: bool = False


MONTHLY_FIGURES: dict[str, Figure] = {
    f.code: f
    for f in [
        Figure("gross_output", "工业总产值", "元", money=True),
        Figure("sales_output", "工业销售产值", "元", money=True),
        Figure("export_delivery", "出口交货值", "元", money=True),
        Figure("revenue", "营业收入", "元", money=True),
        Figure("main_revenue", "主营业务收入", "元", money=True),
        Figure("profit", "利润总额", "元", money=True),
        Figure("tax_paid", "实缴税金", "元", source=Source.TAX, money=True),
        Figure("electricity_kwh", "用电量", "千瓦时", source=Source.POWER),
        Figure("employees", "从业人员平均人数", "人", flow=False),
        Figure("rd_expense", "研发费用", "元", money=True),
    ]
}

ANNUAL_FIGURES: dict[str, Figure] = {
    f.code: f
    for f in [
        Figure("land_mu", "用地面积", "亩", flow=False),
        Figure("energy_tce", "综合能耗", "吨标准煤"),
        Figure("cod_t", "化学需氧量排放", "吨"),
        Figure("ammonia_t", "氨氮排放", "吨"),
        Figure("so2_t", "二氧化硫排放", "吨"),
        Figure("nox_t", "氮氧化物排放", "吨"),
        Figure("rd_staff", "研发人员", "人", flow=False),
        Figure("ip_class1", "Ⅰ类知识产权", "件", flow=False),
        Figure("ip_class2", "Ⅱ类知识产权", "件", flow=False),
        Figure("total_assets", "资产总计", "元", flow=False, money=True),
        Figure("total_liabilities", "负债合计", "元", flow=False, money=True),
        Figure("main_business_share", "主营业务收入占比", "%", flow=False),
    ]
}

# The columns of a monthly fact row for one figure: reported cumulative and single-month
# values, and the same-period-last-year values as reported (上年同期).
MONTHLY_PARTS = ("ytd", "month", "ytd_ly", "month_ly")

# Figures kept in the stored rollups (everything monthly).
ROLLUP_FIGURES = list(MONTHLY_FIGURES)


def monthly_columns() -> list[str]:
    """All value columns of :class:`MonthlyFact`, in a fixed order."""
    return [f"{code}_{part}" for code in MONTHLY_FIGURES for part in MONTHLY_PARTS]


# Units an import column may declare, with the factor to the storage unit.
UNITS: dict[str, tuple[str, Decimal]] = {
    "yuan": ("元", Decimal(1)),
    "qian": ("千元", Decimal(1000)),
    "wan": ("万元", Decimal(10_000)),
    "yi": ("亿元", Decimal(100_000_000)),
    "kwh": ("千瓦时", Decimal(1)),
    "wan_kwh": ("万千瓦时", Decimal(10_000)),
    "person": ("人", Decimal(1)),
    "ton": ("吨", Decimal(1)),
    "tce": ("吨标准煤", Decimal(1)),
    "mu": ("亩", Decimal(1)),
    "item": ("件", Decimal(1)),
    "percent": ("%", Decimal(1)),
}
MONEY_UNITS = ("yuan", "qian", "wan", "yi")
UNITS_FOR = {"元": MONEY_UNITS, "千瓦时": ("kwh", "wan_kwh")}


def units_for(figure: Figure) -> tuple[str, ...]:
    """The units a column of this figure may be declared in."""
    if figure.unit in UNITS_FOR:
        return UNITS_FOR[figure.unit]
    return tuple(k for k, (label, _) in UNITS.items() if label == figure.unit) or ("yuan",)


def figure_label(code: str) -> str:
    """The Chinese name of a monthly or annual figure."""
    figure = MONTHLY_FIGURES.get(code) or ANNUAL_FIGURES.get(code)
    return figure.name if figure else code
