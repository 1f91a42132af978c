"""The indicator engine: a catalogue of named computations, read from the stored rollups.

Other modules call :func:`value`, :func:`breakdown` and :func:`series` (aggregates) and
:func:`enterprise_values` (the enterprises behind an aggregate, from the facts). Every screen
that shows an indicator goes through these functions, so two screens never disagree.

Periods: ``period="ytd"`` is 1-N月 up to ``month``; ``"month"`` the single month; a year is
``"ytd"`` at December. Growth is on the comparable basis (criteria.md §6, docs/indicators.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from . import calc
from .figures import MONTHLY_FIGURES
from .models import MonitorSettings, MonthlyFact, Rollup

COUNTY = ("county", 0)
TOTAL = ("total", "")
# The cluster group of the enterprises that belong to no cluster (rollup.NO_CLUSTER).
NO_CLUSTER_KEY = "0"
NO_CLUSTER_LABEL = "不属于任何产业集群"


def current_basis() -> str:
    """The county's growth convention (``MonitorSettings.growth_basis``): comparable or all."""
    return MonitorSettings.current().growth_basis


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    unit: str
    definition: str
    formula: str
    figures: tuple[str, ...]
    numerator: str = ""
    denominator: str = ""  # set for ratio indicators
    scale: Decimal = Decimal(1)  # ratio × scale is shown (100 for %)

    @property
    def is_ratio(self) -> bool:
        return bool(self.denominator)


def _sum(code: str, definition: str) -> Indicator:
    figure = MONTHLY_FIGURES[code]
    return Indicator(
        code, figure.name, figure.unit, definition, f"Σ 企业{figure.name}", (code,), numerator=code
    )


CATALOGUE: dict[str, Indicator] = {
    i.code: i
    for i in [
        _sum(
            "gross_output", "以货币表现的工业企业在报告期内生产的工业最终产品或提供工业性劳务活动的总价值量。"
        ),
        _sum("sales_output", "报告期内销售的本企业生产的工业产品或提供工业性劳务价值的总价值量。"),
        _sum("export_delivery", "报告期内交给外贸部门或自营出口的产品价值。"),
        _sum("revenue", "企业经营主要业务和其他业务所确认的收入总额。"),
        _sum("main_revenue", "企业经营主要业务所取得的收入，规上标准以此为准（年主营业务收入2000万元）。"),
        _sum("profit", "企业在报告期内实现的盈亏总额。"),
        _sum("tax_paid", "报告期内企业实际缴纳的各项税金（税务局数据）。"),
        _sum("electricity_kwh", "报告期内企业的工业用电量（供电公司数据）。"),
        _sum("employees", "报告期内平均拥有的从业人员数（累计期为自1月起的月平均数，按企业加总）。"),
        _sum("rd_expense", "报告期内企业研究与试验发展经费支出。"),
        Indicator(
            "sales_rate",
            "产品销售率",
            "%",
            "工业销售产值占工业总产值的比重。",
            "工业销售产值 ÷ 工业总产值 × 100%",
            ("sales_output", "gross_output"),
            "sales_output",
            "gross_output",
            Decimal(100),
        ),
        Indicator(
            "profit_margin",
            "营业收入利润率",
            "%",
            "利润总额占营业收入的比重。",
            "利润总额 ÷ 营业收入 × 100%",
            ("profit", "revenue"),
            "profit",
            "revenue",
            Decimal(100),
        ),
        Indicator(
            "rd_intensity",
            "研发投入强度",
            "%",
            "研发费用占营业收入的比重。",
            "研发费用 ÷ 营业收入 × 100%",
            ("rd_expense", "revenue"),
            "rd_expense",
            "revenue",
            Decimal(100),
        ),
        Indicator(
            "export_share",
            "出口交货值占比",
            "%",
            "出口交货值占工业销售产值的比重。",
            "出口交货值 ÷ 工业销售产值 × 100%",
            ("export_delivery", "sales_output"),
            "export_delivery",
            "sales_output",
            Decimal(100),
        ),
        Indicator(
            "output_per_kwh",
            "单位电量产值",
            "元/千瓦时",
            "每千瓦时用电对应的工业总产值。",
            "工业总产值 ÷ 用电量",
            ("gross_output", "electricity_kwh"),
            "gross_output",
            "electricity_kwh",
        ),
    ]
}

# Published by the statistics bureau only; the platform never computes them.
OFFICIAL_ONLY = {"value_added": "规上工业增加值"}

GROUP_LABELS = {
    "total": "合计",
    "town": "乡镇（街道）",
    "park": "园区",
    "zone": "片区",
    "cluster": "产业集群",
    "division": "行业大类",
}


@dataclass
class IndicatorValue:
    """An indicator for one group and period: value, comparable base and the derived ratios.

    ``value`` counts every enterprise that reported (the total, the share); ``comparable_value``
    only those with a prior-year value too, whose prior-year values make ``base``. Growth,
    contribution and pull follow ``basis``: ``comparable`` (default) leaves the new entrants
    out, ``all`` counts them with a prior-year value of 0 (see docs/indicators.md).
    """

    code: str
    value: Decimal | None
    base: Decimal | None
    n: int = 0
    group_kind: str = "total"
    group_key: str = ""
    label: str = ""
    share: Decimal | None = None
    contribution: Decimal | None = None
    pull: Decimal | None = None
    rank: int | None = None
    extra: dict = field(default_factory=dict)
    comparable_value: Decimal | None = None
    n_reported: int | None = None
    n_comparable: int | None = None
    basis: str = calc.COMPARABLE

    def __post_init__(self) -> None:
        if self.comparable_value is None:
            self.comparable_value = self.value
        if self.n_reported is None:
            self.n_reported = self.n
        if self.n_comparable is None:
            self.n_comparable = self.n_reported

    @property
    def growth_value(self) -> Decimal | None:
        """The value the growth compares with ``base``: the comparable set's, or everyone's."""
        return self.value if self.basis == calc.ALL else self.comparable_value

    @property
    def growth(self) -> Decimal | None:
        """Growth on the county's basis; for % ratio indicators the change in points (value − base)."""
        indicator = CATALOGUE.get(self.code)
        current = self.growth_value
        if indicator is not None and indicator.is_ratio and indicator.unit == "%":
            return None if current is None or self.base is None else current - self.base
        return calc.growth(current, self.base)

    @property
    def basis_label(self) -> str:
        return calc.BASIS_LABELS.get(self.basis, "")

    @property
    def delta(self) -> Decimal | None:
        current = self.growth_value
        return None if current is None or self.base is None else current - self.base

    @property
    def n_new(self) -> int:
        """Enterprises that reported this period but have no prior-year value (新投产/新入统)."""
        return (self.n_reported or 0) - (self.n_comparable or 0)

    @property
    def new_value(self) -> Decimal | None:
        """The new entrants' value (summable indicators only)."""
        indicator = CATALOGUE.get(self.code)
        if self.value is None or indicator is None or indicator.is_ratio:
            return None
        return self.value - (self.comparable_value or Decimal(0))

    def new_pull(self, whole_base=None) -> Decimal | None:
        """Points the new entrants add to growth if counted with a base of 0 (against ``whole_base``,
        default this group's own base): the gap between the two conventions."""
        return calc.pull(self.new_value, 0, self.base if whole_base is None else whole_base)


def _cols(period: str) -> tuple[str, str]:
    return ("m", "mb") if period == "month" else ("v", "b")


def _from_row(indicator: Indicator, row: Rollup | None, period: str) -> dict:
    """Value, base, comparable value and counts of one indicator in one rollup row."""
    if row is None:
        return {"value": None, "base": None}
    cv, cb = _cols(period)
    cc, cn, cnc = ("mc", "mn", "mnc") if period == "month" else ("vc", "n", "nc")
    num = indicator.numerator
    counts = {"n_reported": getattr(row, f"{num}_{cn}"), "n_comparable": getattr(row, f"{num}_{cnc}")}
    if not indicator.is_ratio:
        return {
            "value": getattr(row, f"{num}_{cv}"),
            "base": getattr(row, f"{num}_{cb}"),
            "comparable_value": getattr(row, f"{num}_{cc}"),
            **counts,
        }
    den = indicator.denominator

    def ratio(suffix):
        r = calc.share(getattr(row, f"{num}_{suffix}"), getattr(row, f"{den}_{suffix}"))
        return None if r is None else r * indicator.scale

    return {"value": ratio(cv), "base": ratio(cb), "comparable_value": ratio(cc), **counts}


def growth_of(code: str, row: Rollup, basis: str, period: str = "ytd") -> Decimal | None:
    """One indicator's growth in an already-fetched rollup row, on ``basis``."""
    return IndicatorValue(code, basis=basis, **_from_row(CATALOGUE[code], row, period)).growth


def get(code: str) -> Indicator:
    """The catalogue entry (KeyError for unknown codes)."""
    return CATALOGUE[code]


BASE_FIELDS = ("month", "above_only", "scope_kind", "scope_id", "group_kind", "group_key", "n")


def rollup_fields(codes) -> list[str]:
    """The rollup columns the given indicators read (selecting fewer columns keeps pages fast)."""
    figures = []
    for code in codes:
        indicator = CATALOGUE[code]
        figures += [indicator.numerator] + ([indicator.denominator] if indicator.is_ratio else [])
    suffixes = ("v", "b", "m", "mb", "vc", "mc", "n", "nc", "mn", "mnc")
    return [*BASE_FIELDS, *(f"{f}_{s}" for f in dict.fromkeys(figures) for s in suffixes)]


def _rollups(month: dt.date, above_only: bool, scope, group_kind: str):
    return Rollup.objects.filter(
        month=month, above_only=above_only, scope_kind=scope[0], scope_id=scope[1], group_kind=group_kind
    )


def value(
    code: str,
    *,
    month: dt.date,
    period: str = "ytd",
    above_only: bool = True,
    scope=COUNTY,
    group=TOTAL,
    basis: str | None = None,
) -> IndicatorValue | None:
    """One indicator for one group (default: the scope's total); None when nothing is reported."""
    indicator = CATALOGUE[code]
    row = (
        _rollups(month, above_only, scope, group[0])
        .filter(group_key=group[1])
        .only(*rollup_fields([code]))
        .first()
    )
    if row is None:
        return None
    return IndicatorValue(
        code,
        n=row.n,
        group_kind=group[0],
        group_key=group[1],
        basis=basis or current_basis(),
        **_from_row(indicator, row, period),
    )


def values_from_rows(code: str, rows, period: str = "ytd", basis: str | None = None) -> list[IndicatorValue]:
    """Indicator values for already-fetched rollup rows (one query serves many indicators)."""
    indicator = CATALOGUE[code]
    basis = basis or current_basis()
    return [
        IndicatorValue(
            code,
            n=row.n,
            group_kind=row.group_kind,
            group_key=row.group_key,
            basis=basis,
            **_from_row(indicator, row, period),
        )
        for row in rows
    ]


def fetch_rows(
    *, month: dt.date, above_only: bool, scope, group_kinds=("total",), codes=None
) -> list[Rollup]:
    """The rollup rows of one scope and month for several group kinds, in one query.

    ``codes`` limits the columns read to those indicators'.
    """
    qs = Rollup.objects.only(*rollup_fields(codes)) if codes else Rollup.objects
    return list(
        qs.filter(
            month=month,
            above_only=above_only,
            scope_kind=scope[0],
            scope_id=scope[1],
            group_kind__in=group_kinds,
        )
    )


def with_shares(items: list[IndicatorValue], total: IndicatorValue | None) -> list[IndicatorValue]:
    """Fill share, contribution, pull and rank (by value) against the scope's total.

    The share counts every enterprise; contribution and pull count what the growth counts
    (the comparable enterprises, or everyone under the other convention). The group of
    enterprises in no cluster is shown but not ranked.
    """
    if total is not None and not (CATALOGUE.get(total.code) and CATALOGUE[total.code].is_ratio):
        for item in items:
            item.share = calc.share(item.value, total.value)
            item.contribution = calc.contribution(
                item.growth_value, item.base, total.growth_value, total.base
            )
            item.pull = calc.pull(item.growth_value, item.base, total.base)
    ranked = sorted(
        (i for i in items if i.value is not None and not _residual(i)), key=lambda i: (-i.value, i.group_key)
    )
    for position, item in enumerate(ranked, start=1):
        item.rank = position
    return sorted(items, key=lambda i: (i.rank is None, _residual(i), i.rank or 0))


def _residual(item: IndicatorValue) -> bool:
    return item.group_kind == "cluster" and item.group_key == NO_CLUSTER_KEY


def group_labels(group_kind: str, keys) -> dict[str, str]:
    """Display names of group keys (org units, clusters, industry divisions)."""
    keys = [k for k in keys if k]
    if group_kind in ("town", "park", "zone"):
        from qiangxian.core.models import OrgUnit

        return {str(pk): name for pk, name in OrgUnit.objects.filter(pk__in=keys).values_list("pk", "name")}
    if group_kind == "cluster":
        from qiangxian.enterprises.models import Cluster

        real = [k for k in keys if k != NO_CLUSTER_KEY]
        names = {str(pk): name for pk, name in Cluster.objects.filter(pk__in=real).values_list("pk", "name")}
        return {**names, NO_CLUSTER_KEY: NO_CLUSTER_LABEL}
    if group_kind == "division":
        from qiangxian.enterprises.industry import get_industry

        result = {}
        for key in keys:
            node = get_industry(key)
            result[key] = f"{key} {node.name}" if node else key
        return result
    return {"": "合计"}


def breakdown(
    code: str,
    *,
    month: dt.date,
    period: str = "ytd",
    above_only: bool = True,
    scope=COUNTY,
    group_kind: str = "town",
    rows: list[Rollup] | None = None,
    basis: str | None = None,
) -> tuple[IndicatorValue | None, list[IndicatorValue]]:
    """The scope's total and one item per group of ``group_kind``, with share, contribution, pull, rank."""
    if rows is None:
        rows = fetch_rows(
            month=month, above_only=above_only, scope=scope, group_kinds=("total", group_kind), codes=[code]
        )
    basis = basis or current_basis()
    totals = values_from_rows(code, [r for r in rows if r.group_kind == "total"], period, basis)
    total = totals[0] if totals else None
    items = values_from_rows(code, [r for r in rows if r.group_kind == group_kind], period, basis)
    labels = group_labels(group_kind, [i.group_key for i in items])
    for item in items:
        item.label = labels.get(item.group_key, item.group_key or "—")
    return total, with_shares(items, total)


def series(
    code: str,
    *,
    year: int,
    period: str = "ytd",
    above_only: bool = True,
    scope=COUNTY,
    group=TOTAL,
    basis: str | None = None,
) -> list[dict]:
    """Month by month for ``year``: value, base (last year, comparable) and growth."""
    indicator = CATALOGUE[code]
    basis = basis or current_basis()
    rows = {
        r.month: r
        for r in Rollup.objects.only(*rollup_fields([code])).filter(
            month__year=year,
            above_only=above_only,
            scope_kind=scope[0],
            scope_id=scope[1],
            group_kind=group[0],
            group_key=group[1],
        )
    }
    result = []
    for m in range(1, 13):
        month = dt.date(year, m, 1)
        item = IndicatorValue(code, basis=basis, **_from_row(indicator, rows.get(month), period))
        result.append({"month": month, "value": item.value, "base": item.base, "growth": item.growth})
    return result


def group_q(group, prefix: str = "enterprise__") -> Q:
    """Enterprises of a group, as a filter on a model that points at Enterprise through ``prefix``."""
    kind, key = group
    if kind == "total":
        return Q()
    if kind == "division":
        return Q(**{f"{prefix}industry_code__startswith": key})
    if kind == "cluster":
        if key == NO_CLUSTER_KEY:
            return Q(**{f"{prefix}cluster_memberships__isnull": True})
        return Q(**{f"{prefix}cluster_memberships__cluster_id": int(key)})
    return Q(**{f"{prefix}{kind}_id": int(key)})


def scope_q(scope, prefix: str = "enterprise__") -> Q:
    """Enterprises of a scope (a lone county, id 0: all; a county under a city: its own)."""
    kind, unit_id = scope
    if kind == "county":
        return Q(**{f"{prefix}town__county_id": unit_id}) if unit_id else Q()
    return Q(**{f"{prefix}{kind}_id": unit_id})


def enterprise_values(
    code: str,
    *,
    month: dt.date,
    period: str = "ytd",
    above_only: bool = True,
    scope=COUNTY,
    group=TOTAL,
    basis: str | None = None,
) -> list[IndicatorValue]:
    """The enterprises behind an aggregate, with the same comparable bases the rollup used.

    Reads the facts of one group and month (a drill-down, not a page-wide scan); their sum
    equals :func:`value` for the same arguments. A new entrant (no prior-year value) has a
    base of 0, ``n_comparable`` 0 and ``extra["new_entrant"]``.
    """
    indicator = CATALOGUE[code]
    basis = basis or current_basis()
    figures = [indicator.numerator] + ([indicator.denominator] if indicator.is_ratio else [])
    part_cur, part_ly = ("month", "month_ly") if period == "month" else ("ytd", "ytd_ly")
    per_figure: dict[str, dict[int, tuple]] = {}
    last = dt.date(month.year - 1, month.month, 1)
    stats_above: set[int] | None = None
    if above_only:
        stats_above = set(
            MonthlyFact.objects.filter(month=month, above_scale=True)
            .values_list("enterprise_id", flat=True)
            .distinct()
        )
        # The population follows the statistics bureau's row when there is one.
        stats_rows = dict(
            MonthlyFact.objects.filter(month=month, source="stats").values_list(
                "enterprise_id", "above_scale"
            )
        )
        stats_above = {e for e in stats_above if stats_rows.get(e, True)}
    names = {}
    for fig in figures:
        source = MONTHLY_FIGURES[fig].source
        qs = MonthlyFact.objects.filter(
            scope_q(scope), group_q(group), month=month, source=source, **{f"{fig}_{part_cur}__isnull": False}
        )
        rows = list(
            qs.values_list("enterprise_id", "enterprise__name", f"{fig}_{part_cur}", f"{fig}_{part_ly}")
        )
        own = dict(
            MonthlyFact.objects.filter(
                enterprise_id__in=[r[0] for r in rows], month=last, source=source
            ).values_list("enterprise_id", f"{fig}_{part_cur}")
        )
        per_figure[fig] = {}
        for pk, name, cur, ly in rows:
            if stats_above is not None and pk not in stats_above:
                continue
            names[pk] = name
            per_figure[fig][pk] = (cur, calc.prior_value(ly, own.get(pk)))
    result = []
    for pk, (v, prior) in per_figure[indicator.numerator].items():
        comparable = prior is not None
        b = prior if comparable else Decimal(0)
        if indicator.is_ratio:
            dv, dprior = per_figure[indicator.denominator].get(pk, (None, None))
            comparable = comparable and dprior is not None
            rv, rb = calc.share(v, dv), calc.share(b, dprior)
            v = None if rv is None else rv * indicator.scale
            b = None if rb is None or not comparable else rb * indicator.scale
        item = IndicatorValue(
            code,
            v,
            b,
            1,
            "enterprise",
            str(pk),
            names[pk],
            comparable_value=v if comparable or indicator.is_ratio else Decimal(0),
            n_reported=1,
            n_comparable=int(comparable),
            basis=basis,
        )
        item.extra["enterprise_id"] = pk
        item.extra["new_entrant"] = not comparable
        result.append(item)
    return result
