"""The leaders' overview assembled once for the page, the API and the Excel export.

Everything comes from the stored rollups (``qiangxian.statistics``): the same
:class:`Dashboard` object feeds all three outputs, so a figure is the same number everywhere.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count

from qiangxian.core.formatting import percent_number, round_half_up
from qiangxian.enterprises.models import Enterprise
from qiangxian.statistics import calc, indicators, targets
from qiangxian.statistics.models import (
    HeadlineRevenue,
    MonitorSettings,
    MonitorWarning,
    OfficialFigure,
    Rollup,
    RollupRanking,
    Target,
)
from qiangxian.statistics.selectors import scope_label
from qiangxian.statistics.templatetags.stats import comparable_note

REVENUE = "main_revenue"  # the headline slot of revenue; see :func:`revenue_code`
HEADLINES = ["gross_output", REVENUE, "profit", "tax_paid", "electricity_kwh", "rd_expense"]
BREAKDOWNS = ["park", "zone", "town", "cluster"]
# How each breakdown is named on the page, in its table headers and in the written reports.
BREAKDOWN_LABELS = {"park": "园区", "zone": "片区", "town": "乡镇（街道）", "cluster": "产业集群"}
BREAKDOWN_FIGURE = "gross_output"
RANK_LABELS = {
    "top_pull": "拉动最大",
    "bottom_pull": "拉动最小",
    "top_growth": "增速最快",
    "bottom_growth": "增速最慢",
}
NEW_ENTRANTS_LABEL = "新投产企业（无上年同期数）"


@dataclass
class Headline:
    item: indicators.IndicatorValue
    name: str
    official: OfficialFigure | None = None
    target: targets.Progress | None = None
    note: str = ""  # e.g. which revenue figure is shown and why

    @property
    def comparable(self) -> str:
        """可比企业 x/y户 and the new entrants' line (the page, the API and the export share it)."""
        return comparable_note(self.item)


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
    basis: str = calc.COMPARABLE
    new_entrants: list[Ranked] = field(default_factory=list)

    @property
    def basis_label(self) -> str:
        return calc.BASIS_LABELS[self.basis]

    @property
    def total_note(self) -> str:
        return comparable_note(self.total)


def revenue_code(setting: str, total_rows) -> tuple[str, str]:
    """The revenue figure the headline shows, and a note saying which and why.

    A county set to 营业收入, or one whose month has no 主营业务收入 at all (set to 自动), sees
    营业收入 so revenue is never missing from the overview.
    """
    if setting == HeadlineRevenue.REVENUE:
        return "revenue", "按本县设置显示营业收入"
    if setting == HeadlineRevenue.MAIN_REVENUE:
        return "main_revenue", ""
    has_main = any(getattr(r, "main_revenue_v", None) is not None for r in total_rows)
    has_revenue = any(getattr(r, "revenue_v", None) is not None for r in total_rows)
    if not has_main and has_revenue:
        return "revenue", "本月未收到主营业务收入，显示营业收入"
    return "main_revenue", ""


def _rankings(month, above_only, scope, total_base, basis) -> dict[str, list[Ranked]]:
    """The stored rankings; under the 含新投产企业 convention the pull lists include new entrants."""
    ranking = RollupRanking.objects.filter(
        month=month, above_only=above_only, scope_kind=scope[0], scope_id=scope[1], figure=BREAKDOWN_FIGURE
    ).first()
    if ranking is None:
        return {}
    ids = {entry[0] for entries in ranking.data.values() for entry in entries}
    names = dict(Enterprise.objects.filter(pk__in=ids).values_list("pk", "name"))
    result = {}
    for key in [*RANK_LABELS, "new_entrants"]:
        stored = f"{key}_all" if basis == calc.ALL and key.endswith("_pull") else key
        rows = []
        for pk, v_fen, b_fen in ranking.data.get(stored, []):
            v, b = Decimal(v_fen).scaleb(-2), Decimal(b_fen).scaleb(-2)
            rows.append(
                Ranked(
                    pk,
                    names.get(pk, str(pk)),
                    v,
                    b,
                    calc.growth(v, b),
                    calc.pull(v, b, total_base),
                )
            )
        result[key] = rows
    return result


def build(*, month: dt.date, scope: tuple[str, int], above_only: bool = True) -> Dashboard:
    """The dashboard of one month and scope (the caller has checked the user may see the scope)."""
    settings = MonitorSettings.current()
    basis = settings.growth_basis
    board = Dashboard(
        month=month, scope=scope, scope_label=scope_label(scope), above_only=above_only, basis=basis
    )
    kinds = ["total", *[k for k in BREAKDOWNS if k != scope[0] and not (scope[0] == "zone" and k == "park")]]
    rows = indicators.fetch_rows(
        month=month, above_only=above_only, scope=scope, group_kinds=kinds, codes=[*HEADLINES, "revenue"]
    )
    total_rows = [r for r in rows if r.group_kind == "total"]
    revenue, revenue_note = revenue_code(settings.headline_revenue, total_rows)
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
    for slot in HEADLINES:
        code = revenue if slot == REVENUE else slot
        values = indicators.values_from_rows(code, total_rows, basis=basis)
        item = values[0] if values else indicators.IndicatorValue(code, None, None, basis=basis)
        # A target set for the other population (tax of all industry) still shows, with its own completion.
        target = progress.get((code, above_only)) or progress.get((code, not above_only))
        note = revenue_note if slot == REVENUE else ""
        board.headlines.append(
            Headline(item, indicators.CATALOGUE[code].name, official.get(code), target, note)
        )
    board.total = board.headlines[0].item
    for kind in kinds[1:]:
        _, items = indicators.breakdown(
            BREAKDOWN_FIGURE,
            month=month,
            above_only=above_only,
            scope=scope,
            group_kind=kind,
            rows=[r for r in rows if r.group_kind in ("total", kind)],
            basis=basis,
        )
        board.breakdowns[kind] = items
    trend_this = indicators.series(
        BREAKDOWN_FIGURE, year=month.year, above_only=above_only, scope=scope, basis=basis
    )
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
    board.rankings = _rankings(month, above_only, scope, base, basis)
    board.new_entrants = board.rankings.pop("new_entrants", [])
    from qiangxian.statistics.indicators import scope_q

    counts = MonitorWarning.objects.filter(scope_q(scope), month=month).values("kind").annotate(n=Count("pk"))
    board.warnings = {c["kind"]: c["n"] for c in counts}
    return board


def wan(value) -> Decimal | None:
    """Yuan → 万元 with two decimals: the unit of the Excel export and of the API's display fields."""
    return None if value is None else round_half_up(Decimal(value) / 10000, 2)


def _shown(value, code: str):
    """A headline value in the export's unit (万元, 万千瓦时, or its own)."""
    unit = indicators.CATALOGUE[code].unit
    return wan(value) if unit in ("元", "千瓦时") else value


def export_sheets(board: Dashboard) -> list[tuple[str, list[str], list[list]]]:
    """The dashboard's tables as Excel sheets: amounts in 万元, ratios as rounded percentages with
    the unit in the header, each breakdown with its 合计 row, the same rounding as the page."""
    pct = percent_number
    months = "1月" if board.month.month == 1 else f"1-{board.month.month}月"
    basis = board.basis_label
    head = [
        "指标",
        months,
        "单位",
        f"同比增速（%，{basis}）",
        "可比企业（户）",
        "报送企业（户）",
        "目标",
        "完成率（%）",
        "序时进度（%）",
        "说明",
    ]
    rows = []
    for h in board.headlines:
        unit = indicators.CATALOGUE[h.item.code].unit
        rows.append(
            [
                h.name,
                _shown(h.item.value, h.item.code),
                {"元": "万元", "千瓦时": "万千瓦时"}.get(unit, unit),
                pct(h.item.growth),
                h.item.n_comparable,
                h.item.n_reported,
                _shown(h.target.target.value, h.item.code) if h.target else None,
                pct(h.target.completion) if h.target else None,
                pct(h.target.elapsed) if h.target else None,
                "；".join(t for t in (h.note, h.comparable) if t),
            ]
        )
    sheets = [("主要指标", head, rows)]
    group_head = [
        "名称",
        f"{months}工业总产值（万元）",
        "上年同期（万元）",
        f"增速（%，{basis}）",
        "占比（%）",
        "贡献率（%）",
        "拉动（个百分点）",
        "排名",
        "可比企业（户）",
        "报送企业（户）",
    ]
    labels = {"park": "按园区", "zone": "按片区", "town": "按乡镇", "cluster": "按产业集群"}

    def group_row(label, i, total=False):
        return [
            label,
            wan(i.value),
            wan(i.base),
            pct(i.growth),
            Decimal(100) if total else pct(i.share),
            Decimal(100) if total and i.delta else pct(i.contribution),
            pct(i.growth) if total else pct(i.pull),
            None if total else i.rank,
            i.n_comparable,
            i.n_reported,
        ]

    for kind, items in board.breakdowns.items():
        body = [group_row(i.label, i) for i in items]
        if board.total is not None and board.total.value is not None:
            body.insert(0, group_row(f"合计（{board.scope_label}）", board.total, total=True))
        sheets.append((labels[kind], group_head, body))
    for key, label in RANK_LABELS.items():
        sheets.append(
            (
                f"企业{label}",
                ["企业", f"{months}工业总产值（万元）", "上年同期（万元）", "增速（%）", "拉动（个百分点）"],
                [
                    [r.name, wan(r.value), wan(r.base), pct(r.growth), pct(r.pull)]
                    for r in board.rankings.get(key, [])
                ],
            )
        )
    sheets.append(
        (
            "新投产企业",
            ["企业", f"{months}工业总产值（万元）", "若按上年同期为0计的拉动（个百分点）"],
            [[r.name, wan(r.value), pct(r.pull)] for r in board.new_entrants],
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
    elapsed = percent_number(summary["elapsed_share"])

    def row(name, block):
        completion = block["completion"]
        return [
            name,
            wan(block["actual"]),
            "万元",
            wan(block["target"]) if block["target"] else None,
            percent_number(completion),
            elapsed,
        ]

    big = summary["big_projects"]
    rows = [
        row("工业投资完成额", summary["investment"]),
        row("到位资金", summary["funds"]),
        [f"新签约{wan(big['threshold'])}万元以上项目", big["signed"], "个", big["target"], None, None],
    ]
    return ("招商项目", head, rows)


# --- cache -----------------------------------------------------------------------------------
# Every reader of a scope sees the same board for a month: it is built once and kept, under a
# key holding the version of everything it is computed from (the rollups' fill times, the
# monitoring settings, targets, published figures, enterprise and unit names). Any change to
# them gives a new key, so a cached board is never stale; the old entries just age out.

CACHE_SECONDS = 6 * 60 * 60


def data_version() -> str:
    """A short fingerprint of the inputs of every board; cheap: a few aggregate queries."""
    from django.db.models import Max

    from qiangxian.core.models import OrgUnit
    from qiangxian.core.versions import history_fingerprint
    from qiangxian.statistics.models import RollupFillState

    filled = RollupFillState.objects.aggregate(at=Max("filled_at"), n=Count("pk"))
    return history_fingerprint(MonitorSettings, Target, OfficialFigure, Enterprise, OrgUnit, extra=[filled])


def build_cached(*, month: dt.date, scope: tuple[str, int], above_only: bool = True) -> Dashboard:
    """:func:`build`, kept in the cache per month, scope and population until its inputs change."""
    from django.core.cache import cache

    key = f"qx:dashboard:{data_version()}:{month:%Y-%m}:{scope[0]}:{scope[1]}:{int(above_only)}"
    board = cache.get(key)
    if board is None:
        board = build(month=month, scope=scope, above_only=above_only)
        cache.set(key, board, CACHE_SECONDS)
    return board
