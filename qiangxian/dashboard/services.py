"""The leaders' overview assembled once for the page, the API and the Excel export.

Everything comes from the stored rollups (``qiangxian.statistics``): the same
:class:`Dashboard` object feeds all three outputs, so a figure is the same number everywhere.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count

from qiangxian.enterprises.models import Enterprise
from qiangxian.statistics import indicators, targets
from qiangxian.statistics.models import MonitorWarning, OfficialFigure, Rollup, RollupRanking
from qiangxian.statistics.selectors import scope_label

HEADLINES = ["gross_output", "main_revenue", "profit", "tax_paid", "electricity_kwh", "rd_expense"]
BREAKDOWNS = ["park", "zone", "town", "cluster"]
BREAKDOWN_FIGURE = "gross_output"
RANK_LABELS = {
    "top_pull": "拉动最大",
    "bottom_pull": "拉动最小",
    "top_growth": "增速最快",
    "bottom_growth": "增速最慢",
}


@dataclass
class Headline:
    item: indicators.IndicatorValue
    name: str
    official: OfficialFigure | None = None
    target: targets.Progress | None = None


@dataclass
class Ranked:
    enterprise_id: int
    name: str
    value: Decimal
    base: Decimal
    growth: Decimal | None
    pull: Decimal | None


@dataclass
class Dashboard:
    month: dt.date
    scope: tuple[str, int]
    scope_label: str
    above_only: bool
    headlines: list[Headline] = field(default_factory=list)
    official_value_added: OfficialFigure | None = None
    trend: list[dict] = field(default_factory=list)
    breakdowns: dict[str, list[indicators.IndicatorValue]] = field(default_factory=dict)
    rankings: dict[str, list[Ranked]] = field(default_factory=dict)
    warnings: dict[str, int] = field(default_factory=dict)
    targets: list[targets.Progress] = field(default_factory=list)
    total: indicators.IndicatorValue | None = None


def _rankings(month, above_only, scope, total_base) -> dict[str, list[Ranked]]:
    ranking = RollupRanking.objects.filter(
        month=month, above_only=above_only, scope_kind=scope[0], scope_id=scope[1], figure=BREAKDOWN_FIGURE
    ).first()
    if ranking is None:
        return {}
    ids = {entry[0] for entries in ranking.data.values() for entry in entries}
    names = dict(Enterprise.objects.filter(pk__in=ids).values_list("pk", "name"))
    result = {}
    for key in RANK_LABELS:
        rows = []
        for pk, v_fen, b_fen in ranking.data.get(key, []):
            v, b = Decimal(v_fen).scaleb(-2), Decimal(b_fen).scaleb(-2)
            rows.append(
                Ranked(
                    pk,
                    names.get(pk, str(pk)),
                    v,
                    b,
                    indicators.calc.growth(v, b),
                    indicators.calc.pull(v, b, total_base),
                )
            )
        result[key] = rows
    return result


def build(*, month: dt.date, scope: tuple[str, int], above_only: bool = True) -> Dashboard:
    """The dashboard of one month and scope (the caller has checked the user may see the scope)."""
    board = Dashboard(month=month, scope=scope, scope_label=scope_label(scope), above_only=above_only)
    kinds = ["total", *[k for k in BREAKDOWNS if k != scope[0] and not (scope[0] == "zone" and k == "park")]]
    rows = indicators.fetch_rows(
        month=month, above_only=above_only, scope=scope, group_kinds=kinds, codes=HEADLINES
    )
    total_rows = [r for r in rows if r.group_kind == "total"]
    official = {
        (o.indicator): o
        for o in OfficialFigure.objects.filter(month=month, scope_kind=scope[0], scope_id=scope[1])
    }
    board.official_value_added = official.get("value_added")
    progress = {
        (p.target.indicator, p.target.above_only): p
        for p in targets.progress_for(year=month.year, month=month, scope=scope)
    }
    board.targets = list(progress.values())
    for code in HEADLINES:
        values = indicators.values_from_rows(code, total_rows)
        item = values[0] if values else indicators.IndicatorValue(code, None, None)
        # A target set for the other population (tax of all industry) still shows, with its own completion.
        target = progress.get((code, above_only)) or progress.get((code, not above_only))
        board.headlines.append(Headline(item, indicators.CATALOGUE[code].name, official.get(code), target))
    board.total = board.headlines[0].item
    for kind in kinds[1:]:
        _, items = indicators.breakdown(
            BREAKDOWN_FIGURE,
            month=month,
            above_only=above_only,
            scope=scope,
            group_kind=kind,
            rows=[r for r in rows if r.group_kind in ("total", kind)],
        )
        board.breakdowns[kind] = items
    trend_this = indicators.series(BREAKDOWN_FIGURE, year=month.year, above_only=above_only, scope=scope)
    board.trend = [row for row in trend_this if row["month"] <= month]
    for row in board.trend:
        row["month_value"] = None
    month_rows = {
        r.month: r
        for r in Rollup.objects.only("month", "gross_output_m", "gross_output_mb").filter(
            month__year=month.year,
            month__lte=month,
            above_only=above_only,
            scope_kind=scope[0],
            scope_id=scope[1],
            group_kind="total",
        )
    }
    for row in board.trend:
        r = month_rows.get(row["month"])
        row["month_value"] = r.gross_output_m if r else None
        row["month_base"] = r.gross_output_mb if r else None
    base = board.total.base if board.total else None
    board.rankings = _rankings(month, above_only, scope, base)
    from qiangxian.statistics.indicators import scope_q

    counts = MonitorWarning.objects.filter(scope_q(scope), month=month).values("kind").annotate(n=Count("pk"))
    board.warnings = {c["kind"]: c["n"] for c in counts}
    return board


def wan(value) -> Decimal | None:
    """Yuan → 万元 with two decimals: the unit of the Excel export and of the API's display fields."""
    return None if value is None else (Decimal(value) / 10000).quantize(Decimal("0.01"))


def ratio(value, digits: str = "0.0001") -> Decimal | None:
    return None if value is None else Decimal(value).quantize(Decimal(digits))


def export_sheets(board: Dashboard) -> list[tuple[str, list[str], list[list]]]:
    """The dashboard's tables as Excel sheets (values in 万元, ratios as percentages)."""

    def pct(v):
        return None if v is None else (Decimal(v) * 100).quantize(Decimal("0.1"))

    head = ["指标", "1-N月", "单位", "同比增速（%）", "目标", "完成率（%）", "序时进度（%）"]
    rows = []
    for h in board.headlines:
        unit = indicators.CATALOGUE[h.item.code].unit
        shown = wan(h.item.value) if unit in ("元", "千瓦时") else h.item.value
        shown_unit = {"元": "万元", "千瓦时": "万千瓦时"}.get(unit, unit)
        rows.append(
            [
                h.name,
                shown,
                shown_unit,
                pct(h.item.growth),
                wan(h.target.target.value) if h.target else None,
                pct(h.target.completion) if h.target else None,
                pct(h.target.elapsed) if h.target else None,
            ]
        )
    sheets = [("主要指标", head, rows)]
    group_head = [
        "名称",
        "工业总产值（万元）",
        "上年同期（万元）",
        "增速（%）",
        "占比（%）",
        "贡献率（%）",
        "拉动（百分点）",
        "排名",
    ]
    labels = {"park": "按园区", "zone": "按片区", "town": "按乡镇", "cluster": "按产业集群"}
    for kind, items in board.breakdowns.items():
        sheets.append(
            (
                labels[kind],
                group_head,
                [
                    [
                        i.label,
                        wan(i.value),
                        wan(i.base),
                        pct(i.growth),
                        pct(i.share),
                        pct(i.contribution),
                        pct(i.pull),
                        i.rank,
                    ]
                    for i in items
                ],
            )
        )
    for key, label in RANK_LABELS.items():
        sheets.append(
            (
                f"企业{label}",
                ["企业", "工业总产值（万元）", "上年同期（万元）", "增速（%）", "拉动（百分点）"],
                [
                    [r.name, wan(r.value), wan(r.base), pct(r.growth), pct(r.pull)]
                    for r in board.rankings.get(key, [])
                ],
            )
        )
    sheets.append(
        (
            "目标进度",
            ["指标", "目标", "完成", "完成率（%）", "序时进度（%）", "状态", "责任单位"],
            [
                [
                    p.name,
                    wan(p.target.value) if p.unit in ("元", "千瓦时") else p.target.value,
                    wan(p.actual) if p.unit in ("元", "千瓦时") else p.actual,
                    pct(p.completion),
                    pct(p.elapsed),
                    p.status_label,
                    str(p.target.responsible_unit or ""),
                ]
                for p in board.targets
            ],
        )
    )
    return sheets


def project_sheet(summary: dict) -> tuple[str, list[str], list[list]]:
    """The investment-project figures (``projects.selectors.dashboard_summary``) as an Excel sheet."""
    head = ["指标", summary["period_label"], "单位", "年度目标", "完成率（%）", "序时进度（%）"]
    elapsed = (Decimal(summary["elapsed_share"]) * 100).quantize(Decimal("0.1"))

    def row(name, block):
        completion = block["completion"]
        return [
            name,
            wan(block["actual"]),
            "万元",
            wan(block["target"]) if block["target"] else None,
            (completion * 100).quantize(Decimal("0.1")) if completion is not None else None,
            elapsed,
        ]

    big = summary["big_projects"]
    rows = [
        row("工业投资完成额", summary["investment"]),
        row("到位资金", summary["funds"]),
        [f"新签约{wan(big['threshold'])}万元以上项目", big["signed"], "个", big["target"], None, None],
    ]
    return ("招商项目", head, rows)
