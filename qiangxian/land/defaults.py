"""The county's starting scheme: Zhejiang's six 规上 indicators (criteria.md §4), graded by rank.

亩均增加值 is not among the figures the county holds, so 亩均产值 (gross output per mu) stands
in for it, and output for value added in 单位能耗/单位排放 too. Weights are Huangyan's (30 / 20 /
20 / 10 / 10 / 10); as there, a 规上 firm without emission data gets the average score for that
item (its weight). Class cut-offs follow Changle's ranks (A top 20%, B 20–75%, C 75–95%, D bottom
5%); the office adjusts all of it per year.
"""

from __future__ import annotations

from decimal import Decimal

from .choices import AdjustmentKind, Category, MissingRule, SchemeStatus
from .models import GradeBand, Scheme, SchemeAdjustment, SchemeIndicator

INDICATORS = {
    Category.ABOVE: [
        ("tax_per_mu", 30),
        ("output_per_mu", 20),
        ("output_per_energy", 20),
        ("output_per_emission", 10, MissingRule.AVERAGE),
        ("labour_productivity", 10),
        ("rd_ratio", 10),
    ],
    Category.BELOW_LARGE: [("tax_per_mu", 50), ("tax_per_kwh", 30), ("revenue_per_mu", 20)],
    Category.BELOW_SMALL: [("tax_per_mu", 60), ("tax_per_kwh", 40)],
    Category.TENANT: [("tax_per_mu", 70), ("revenue_per_mu", 30)],
}
BANDS = {
    "A": (0, 20, "优先保障新增用地、用能指标\n优先推荐各类奖励与评优"),
    "B": (20, 75, "正常享受各项政策"),
    "C": (75, 95, "差别化电价 +0.10 元/千瓦时\n差别化水价上浮 15%\n列入帮扶转型名单"),
    "D": (95, 100, "差别化电价 +0.15 元/千瓦时\n差别化水价、污水处理费上浮 30%\n暂停新增用地、用能审批"),
}
ADJUSTMENTS = [
    (AdjustmentKind.BONUS, "获评省级及以上专精特新企业", Decimal(5), ""),
    (AdjustmentKind.BONUS, "当年完成技术改造投资 500 万元以上", Decimal(3), ""),
    (AdjustmentKind.VETO, "发生较大及以上安全生产事故", Decimal(0), "C"),
    (AdjustmentKind.VETO, "发生重大环境污染事件", Decimal(0), "D"),
]


def create_default_scheme(
    *, year: int, status: str = SchemeStatus.ADOPTED, name: str | None = None, county=None, actor=None
) -> Scheme:
    """Create the starting scheme of a county for a year (used by the demo and the benchmark).

    ``actor`` is the user who created it: every row written here records them in its history
    (none for the demo and the benchmark, which write as the system)."""
    if county is None:
        from qiangxian.core.models import OrgUnit

        county = OrgUnit.objects.filter(kind="county").order_by("pk").first()
    version = (
        Scheme.objects.filter(county=county, year=year)
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
        or 0
    ) + 1

    def save(row):
        # simple_history reads the author from the instance (``_history_user``) when no request
        # is in hand; ``objects.create`` would leave the history without one.
        row._history_user = actor
        row.save()
        return row

    scheme = save(
        Scheme(
            county=county,
            year=year,
            version=version,
            name=name or f"{year}年度工业企业亩均效益综合评价办法",
            status=status,
            cutoff_mode="rank",
        )
    )
    for category, items in INDICATORS.items():
        for order, (code, weight, *missing) in enumerate(items):
            save(
                SchemeIndicator(
                    scheme=scheme,
                    category=category,
                    code=code,
                    weight=Decimal(weight),
                    missing=missing[0] if missing else MissingRule.ZERO,
                    sort_order=order,
                )
            )
    for grade, (lower, upper, measures) in BANDS.items():
        save(GradeBand(scheme=scheme, grade=grade, lower=lower, upper=upper, measures=measures))
    for kind, label, points, cap in ADJUSTMENTS:
        save(SchemeAdjustment(scheme=scheme, kind=kind, name=label, points=points, grade_cap=cap))
    return scheme
