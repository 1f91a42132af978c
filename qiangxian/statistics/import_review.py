"""What the review of an import says beyond row errors: plausibility, unit suspects, dropped columns.

A value that is absurd for one county enterprise (an R&D expense of 1.23e9 万元, a plot of
66,666 亩) is a unit or typing error, not a value: the review flags it. A column whose figure is
counted from another source (用电量 comes from the power company) is stored but feeds no
indicator: the builder and the review say so per column instead of dropping it in silence.
"""

from __future__ import annotations

from decimal import Decimal

from .figures import ANNUAL_FIGURES, MONTHLY_FIGURES, Source

# The largest value one county enterprise plausibly reports, in the storage unit (元, 千瓦时,
# 人, 亩...). Beyond it the value is flagged as a suspected unit error (the file still imports:
# the clerk decides). Money: 5000亿元 of output or revenue is beyond any county's firm.
PLAUSIBLE_MAX: dict[str, Decimal] = {
    "gross_output": Decimal("5e11"),
    "sales_output": Decimal("5e11"),
    "export_delivery": Decimal("5e11"),
    "revenue": Decimal("5e11"),
    "main_revenue": Decimal("5e11"),
    "profit": Decimal("1e11"),
    "tax_paid": Decimal("1e11"),
    "rd_expense": Decimal("5e10"),
    "electricity_kwh": Decimal("2e10"),
    "employees": Decimal("200000"),
    "land_mu": Decimal("10000"),
    "energy_tce": Decimal("1e7"),
    "cod_t": Decimal("1e5"),
    "ammonia_t": Decimal("1e5"),
    "so2_t": Decimal("1e5"),
    "nox_t": Decimal("1e5"),
    "rd_staff": Decimal("50000"),
    "ip_class1": Decimal("10000"),
    "ip_class2": Decimal("100000"),
    "total_assets": Decimal("1e12"),
    "total_liabilities": Decimal("1e12"),
    "main_business_share": Decimal("100"),
}

# Ratios of a value to the same enterprise's own earlier value that mean a wrong unit.
UNIT_BANDS = (
    (Decimal(5), Decimal(20), "10倍"),
    (Decimal(500), Decimal(2000), "1000倍"),
    (Decimal("0.05"), Decimal("0.2"), "1/10"),
    (Decimal("0.0005"), Decimal("0.002"), "1/1000"),
)

# The principal figures checked against history: enough to catch a wrong unit or a misplaced
# decimal point, cheap enough for a province's file.
CHECKED = ("gross_output", "main_revenue", "revenue", "electricity_kwh", "tax_paid")


def unit_band(ratio: Decimal) -> str | None:
    """ "10倍", "1/1000"... when ``ratio`` of a value to its own history looks like a unit slip."""
    for low, high, label in UNIT_BANDS:
        if low <= ratio <= high:
            return label
    return None


def implausible(figure: str, value: Decimal) -> str | None:
    """The reason a value is beyond what one enterprise reports, or None."""
    limit = PLAUSIBLE_MAX.get(figure)
    if limit is None or abs(value) <= limit:
        return None
    catalogue = {**MONTHLY_FIGURES, **ANNUAL_FIGURES}
    figure_def = catalogue[figure]
    return (
        f"超出单个企业的合理范围（{figure_def.name}一般不超过{_plain(limit, figure_def.unit)}），疑似单位错误"
    )


def _plain(limit: Decimal, unit: str) -> str:
    if unit == "元":
        return f"{limit / Decimal(100_000_000):f}亿元".replace(".0亿", "亿")
    if unit == "千瓦时":
        return f"{limit / Decimal(100_000_000):f}亿千瓦时"
    return f"{limit:f}{unit}"


def column_notes(columns: list[dict], source: str, kind: str) -> list[dict]:
    """Per mapped column, whether it feeds the indicators and, when not, why.

    A monthly figure is counted from its authoritative source only (docs/indicators.md, "来源的
    优先顺序"); the same figure under another source's profile is kept for reconciliation.
    """
    notes = []
    source_labels = dict(Source.choices)
    for col in columns:
        figure = (ANNUAL_FIGURES if kind == "annual" else MONTHLY_FIGURES).get(col.get("figure", ""))
        if figure is None:
            continue
        counted = kind == "annual" or figure.source == source
        reason = ""
        if not counted:
            reason = (
                f"此列不会计入任何指标，因为{figure.name}以{source_labels[figure.source]}的数据为准；"
                f"本列按“{source_labels.get(source, source)}”来源保存，仅在企业页面供对照核实。"
            )
        notes.append(
            {"header": col.get("header", ""), "figure": figure.name, "counted": counted, "reason": reason}
        )
    return notes
