"""Counties side by side (各县对比): the city or province leaders' view of the counties below them.

Each county's headline figures come from its own rollups (keyed ("county", id)); the city's total
is their sum, so a county's pull on the city's growth is its increment over the city's base and
the pulls add up to the city's growth. Projects and new above-scale enterprises are counted
through the access gate, so a user sees only the counties below them. Policy money, demands and
per-mu results are read from those apps' own selectors, grouped by county.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q

from qiangxian.core.access import scope_of
from qiangxian.core.models import OrgUnit
from qiangxian.enterprises.models import Designation
from qiangxian.projects.models import Project
from qiangxian.statistics import calc, indicators, targets
from qiangxian.statistics.models import MonitorSettings, Target

BIG_PROJECT = Decimal(500_000_000)  # 5亿元


@dataclass
class CountyRow:
    county: OrgUnit
    value: Decimal | None = None
    base: Decimal | None = None
    comparable: Decimal | None = None
    growth: Decimal | None = None
    pull: Decimal | None = None
    target_completion: Decimal | None = None
    target_pace: str = "unknown"
    big_projects: int = 0
    new_above_scale: int = 0
    rank: int | None = None
    payments: object | None = None  # policies.selectors.CountyPayments
    demands: object | None = None  # service league row (合计) of the county's lead units
    per_mu: dict | None = None  # land.selectors.county_per_mu

    @property
    def pace_label(self) -> str:
        return calc.PACE_LABELS[self.target_pace]


@dataclass
class CityBoard:
    month: dt.date
    label: str
    rows: list[CountyRow] = field(default_factory=list)
    value: Decimal | None = None
    base: Decimal | None = None
    growth: Decimal | None = None
    elapsed: Decimal | None = None


def counties_of(user) -> list[OrgUnit]:
    """The counties a city or province user looks at (none for everyone else)."""
    scope = scope_of(user)
    if not scope.above_counties or not scope.counties:
        return []
    return list(OrgUnit.objects.filter(pk__in=scope.counties).order_by("sort_order", "pk"))


def build(*, user, month: dt.date, code: str = "gross_output") -> CityBoard:
    """Each county's figures for 1-N月 of ``month``, ranked by growth (highest first)."""
    counties = counties_of(user)
    above = OrgUnit.objects.filter(pk=scope_of(user).unit_id).values_list("name", flat=True).first()
    board = CityBoard(month=month, label=above or "全市", elapsed=calc.elapsed_share(month.month))
    settings = MonitorSettings.current()
    ids = [c.pk for c in counties]
    big = dict(
        Project.objects.visible_to(user)
        .filter(county__in=ids, total_investment__gte=BIG_PROJECT)
        .exclude(stage="terminated")
        .values_list("county")
        .annotate(n=Count("pk"))
        .order_by()
    )
    new_above = dict(
        Designation.objects.visible_to(user)
        .filter(Q(kind="above_scale"), entry_month__year=month.year, entry_month__lte=month)
        .values_list("enterprise__town__county")
        .annotate(n=Count("pk"))
        .order_by()
    )
    county_targets = {
        t.scope_id: t
        for t in Target.objects.visible_to(user).filter(
            year=month.year, indicator=code, scope_kind="county", scope_id__in=ids, above_only=True
        )
    }
    from qiangxian.land.selectors import county_per_mu
    from qiangxian.policies.selectors import county_payments
    from qiangxian.service.selectors.league import county_totals

    payments = county_payments(user=user, year=month.year)
    demands = county_totals(counties=ids, first_month=dt.date(month.year, 1, 1), last_month=month)
    per_mu = county_per_mu(user=user, counties=ids)
    for county in counties:
        result = indicators.value(code, month=month, above_only=True, scope=("county", county.pk))
        row = CountyRow(
            county=county,
            big_projects=big.get(county.pk, 0),
            new_above_scale=new_above.get(county.pk, 0),
            payments=payments.get(county.pk),
            demands=demands.get(county.pk),
            per_mu=per_mu.get(county.pk),
        )
        if result is not None:
            row.value, row.growth = result.value, result.growth
            row.base = result.base
            row.comparable = result.comparable_value
        target = county_targets.get(county.pk)
        if target is not None:
            progress = targets.progress(target, month=month, settings=settings)
            row.target_completion, row.target_pace = progress.completion, progress.status
        board.rows.append(row)
    values = [r.value for r in board.rows if r.value is not None]
    bases = [r.base for r in board.rows if r.base is not None]
    board.value = sum(values, Decimal(0)) if values else None
    board.base = sum(bases, Decimal(0)) if bases else None
    grown = [r.comparable for r in board.rows]
    if board.base:
        comparable = sum((g for g in grown if g is not None), Decimal(0))
        board.growth = comparable / board.base - 1
        for row in board.rows:
            row.pull = calc.pull(row.comparable, row.base, board.base) if row.comparable is not None else None
    ranked = sorted(
        board.rows, key=lambda r: (r.growth is None, -(r.growth or Decimal(0)), r.county.sort_order)
    )
    for index, row in enumerate(ranked, start=1):
        row.rank = index if row.growth is not None else None
    board.rows = ranked
    return board
