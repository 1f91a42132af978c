"""API of 运行监测: indicator values and breakdowns, enterprise figures, import batches, targets.

Scoped like the pages: a town, park or zone user reads its own jurisdiction; asking for another
answers 404. Money is in yuan (strings of Decimals, exact); ratios are fractions (0.179 = 17.9%).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import Http404
from ninja import Field, Router, Schema

from qiangxian.core.access import issued_by
from qiangxian.core.params import Limit, Year, YearMonth

from . import indicators, selectors, targets
from .figures import MONTHLY_FIGURES

router = Router()


class IndicatorOut(Schema):
    code: str
    name: str
    unit: str
    definition: str
    formula: str
    figures: list[str]


class ValueOut(Schema):
    indicator: str
    month: dt.date
    period: str
    above_only: bool
    scope_kind: str
    scope_id: int
    group_kind: str
    group_key: str
    label: str = ""
    value: Decimal | None
    base: Decimal | None
    growth: Decimal | None
    share: Decimal | None = None
    contribution: Decimal | None = None
    pull: Decimal | None = None
    rank: int | None = None
    enterprises: int
    growth_basis: str = "comparable"
    comparable_value: Decimal | None = None
    reported_enterprises: int = 0
    comparable_enterprises: int = 0
    new_entrants: int = 0
    new_value: Decimal | None = None


class BreakdownOut(Schema):
    total: ValueOut | None
    items: list[ValueOut]


class FactOut(Schema):
    month: dt.date
    source: str
    batch_id: int | None
    above_scale: bool
    figures: dict[str, dict[str, Decimal | None]]


class BatchOut(Schema):
    id: int
    file_name: str
    profile: str
    source: str
    month: dt.date | None
    status: str
    status_display: str
    row_count: int
    error_count: int
    inserted: int
    updated: int
    created_at: dt.datetime
    committed_at: dt.datetime | None


class TargetOut(Schema):
    id: int
    indicator: str
    name: str
    year: int
    scope_kind: str
    scope_id: int
    value: Decimal
    actual: Decimal | None
    completion: Decimal | None
    elapsed_share: Decimal
    status: str
    status_display: str
    responsible_unit: str | None
    # Empty for the reader's own level's targets.
    issued_by: str = Field("", description="上级下达的目标注明发布层级，如“市级目标（测试市发布）”")


def _context(request, month: YearMonth | None, scope_kind: str | None, scope_id: int | None):
    scope = selectors.requested_scope(request.user, scope_kind, scope_id)
    months = selectors.available_months()
    chosen = selectors.parse_month(month, months[0] if months else None)
    if chosen is None or chosen not in months:
        raise Http404("该月份暂无数据。")
    return scope, chosen


def _out(item: indicators.IndicatorValue, *, month, period, above_only, scope) -> dict:
    return {
        "indicator": item.code,
        "month": month,
        "period": period,
        "above_only": above_only,
        "scope_kind": scope[0],
        "scope_id": scope[1],
        "group_kind": item.group_kind,
        "group_key": item.group_key,
        "label": item.label,
        "value": item.value,
        "base": item.base,
        "growth": item.growth,
        "share": item.share,
        "contribution": item.contribution,
        "pull": item.pull,
        "rank": item.rank,
        "enterprises": item.n,
        "growth_basis": item.basis,
        "comparable_value": item.comparable_value,
        "reported_enterprises": item.n_reported or 0,
        "comparable_enterprises": item.n_comparable or 0,
        "new_entrants": item.n_new,
        "new_value": item.new_value,
    }


def _indicator(code: str) -> indicators.Indicator:
    try:
        return indicators.get(code)
    except KeyError as exc:
        raise Http404("未找到该指标。") from exc


@router.get("/indicators", response=list[IndicatorOut], summary="指标目录")
def indicator_catalogue(request):
    selectors.require_aggregate_scope(request.user)
    return [
        {
            "code": i.code,
            "name": i.name,
            "unit": i.unit,
            "definition": i.definition,
            "formula": i.formula,
            "figures": list(i.figures),
        }
        for i in indicators.CATALOGUE.values()
    ]


@router.get("/indicators/{code}", response=ValueOut, summary="指标值（任一分组、期别）")
def indicator_value(
    request,
    code: str,
    month: YearMonth | None = None,
    period: str = "ytd",
    above_only: bool = True,
    scope_kind: str | None = None,
    scope_id: int | None = None,
    group_kind: str = "total",
    group_key: str = "",
):
    indicator = _indicator(code)
    scope, chosen = _context(request, month, scope_kind, scope_id)
    period = "month" if period == "month" else "ytd"
    item = indicators.value(
        indicator.code,
        month=chosen,
        period=period,
        above_only=above_only,
        scope=scope,
        group=(group_kind, group_key),
    )
    if item is None:
        raise Http404("未找到该分组的数据。")
    return _out(item, month=chosen, period=period, above_only=above_only, scope=scope)


@router.get(
    "/indicators/{code}/breakdown", response=BreakdownOut, summary="指标分组（占比、贡献率、拉动、排名）"
)
def indicator_breakdown(
    request,
    code: str,
    group_kind: str = "town",
    month: YearMonth | None = None,
    period: str = "ytd",
    above_only: bool = True,
    scope_kind: str | None = None,
    scope_id: int | None = None,
):
    indicator = _indicator(code)
    if group_kind not in ("town", "park", "zone", "cluster", "division"):
        raise Http404("未找到该分组。")
    scope, chosen = _context(request, month, scope_kind, scope_id)
    period = "month" if period == "month" else "ytd"
    total, items = indicators.breakdown(
        indicator.code, month=chosen, period=period, above_only=above_only, scope=scope, group_kind=group_kind
    )
    kw = {"month": chosen, "period": period, "above_only": above_only, "scope": scope}
    return {"total": _out(total, **kw) if total else None, "items": [_out(i, **kw) for i in items]}


@router.get("/enterprises/{enterprise_id}/figures", response=list[FactOut], summary="企业月度数据")
def enterprise_figures(request, enterprise_id: int, year: Year | None = None):
    firm = selectors.access_enterprise(request.user, enterprise_id)
    rows = selectors.enterprise_facts(user=request.user, enterprise_id=firm.pk, year=year)
    result = []
    for fact in rows:
        figures = {}
        for code in MONTHLY_FIGURES:
            values = {p: getattr(fact, f"{code}_{p}") for p in ("ytd", "month", "ytd_ly", "month_ly")}
            if any(v is not None for v in values.values()):
                figures[code] = values
        result.append(
            {
                "month": fact.month,
                "source": fact.source,
                "batch_id": fact.batch_id,
                "above_scale": fact.above_scale,
                "figures": figures,
            }
        )
    return result


@router.get("/imports", response=list[BatchOut], summary="导入批次")
def import_batches(request, limit: Limit = 100):
    qs = selectors.batch_list(user=request.user)[:limit]
    return [_batch(b) for b in qs]


@router.get("/imports/{batch_id}", response=BatchOut, summary="导入批次详情")
def import_batch(request, batch_id: int):
    return _batch(selectors.access_batch_by_id(request.user, batch_id))


def _batch(b) -> dict:
    return {
        "id": b.pk,
        "file_name": b.file_name,
        "profile": b.profile.name,
        "source": b.source,
        "month": b.month,
        "status": b.status,
        "status_display": b.get_status_display(),
        "row_count": b.row_count,
        "error_count": b.error_count,
        "inserted": b.inserted,
        "updated": b.updated,
        "created_at": b.created_at,
        "committed_at": b.committed_at,
    }


@router.get("/targets", response=list[TargetOut], summary="年度目标完成情况")
def target_progress(request, month: YearMonth | None = None):
    own = selectors.require_aggregate_scope(request.user)
    chosen = selectors.parse_month(month, selectors.latest_month())
    if chosen is None:
        return []
    items = targets.progress_for(
        year=chosen.year, month=chosen, scope=None if own[0] == "county" else own, user=request.user
    )
    return [
        {
            "id": p.target.pk,
            "indicator": p.target.indicator,
            "name": p.name,
            "year": p.target.year,
            "scope_kind": p.target.scope_kind,
            "scope_id": p.target.scope_id,
            "value": p.target.value,
            "actual": p.actual,
            "completion": p.completion,
            "elapsed_share": p.elapsed,
            "status": p.status,
            "status_display": p.status_label,
            "responsible_unit": str(p.target.responsible_unit) if p.target.responsible_unit else None,
            "issued_by": issued_by(request.user, p.target.issuer_id, "目标"),
        }
        for p in items
    ]
