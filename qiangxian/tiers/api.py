"""API of the cultivation pool: the pool per tier and one enterprise's evaluation with its trace."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404
from ninja import Field, Query, Router, Schema

from qiangxian.core.params import Limit, Offset

from . import selectors
from .evaluation import LIST_KEYS
from .filters import PoolFilter
from .tiers import TIER_BY_CODE

router = Router()
NOTICE = "按现有数据测算是否符合公开标准，不代表官方认定。"


class TierCount(Schema):
    code: str
    label: str
    version: str
    held: int
    met: int
    near: int
    unknown: int
    not_met: int


class PoolRow(Schema):
    enterprise_id: int
    name: str
    town: str
    park: str | None
    status: str
    status_label: str
    unmet: list[str]
    gaps: list[str]
    missing: list[str]
    confirm: list[str]
    points: str


class PoolOut(Schema):
    as_of: dt.date
    tier: str
    ruleset: str
    version: str
    list: str
    count: int
    notice: str
    rows: list[PoolRow]


class PoolParams(Schema):
    on: dt.date | None = Field(None, description="评价日期（YYYY-MM-DD），默认今天；按当日有效的标准版本测算")
    town: int | None = None
    park: int | None = None
    cluster: int | None = None
    q: str | None = None


def _pool(request, params: PoolParams):
    query = {k: v for k, v in params.dict().items() if v not in (None, "") and k != "on"}
    scoped = selectors.visible_enterprises(user=request.user)
    narrowed = None
    if query:
        filterset = PoolFilter(query, queryset=scoped)
        narrowed = filterset.qs if filterset.is_valid() else scoped.none()
    return selectors.pool_data(user=request.user, enterprises=narrowed, as_of=params.on)


@router.get("/pool/", response=list[TierCount], summary="梯度培育库：各梯度企业数")
def pool_counts(request, params: Query[PoolParams]):
    data = _pool(request, params)
    return [
        {"code": ev.tier.code, "label": ev.tier.label, "version": ev.ruleset.version, **ev.counts()}
        for ev in data.evaluations.values()
    ]


@router.get("/pool/{tier}/", response=PoolOut, summary="梯度培育库：某一梯度的符合 / 接近 / 无法判断名单")
def pool_list(
    request, tier: str, params: Query[PoolParams], list: str = "near", limit: Limit = 50, offset: Offset = 0
):
    if tier not in TIER_BY_CODE or list not in LIST_KEYS:
        raise Http404("未找到该梯度。")
    data = _pool(request, params)
    evaluation = data.evaluations.get(tier)
    if evaluation is None:
        raise Http404("未找到该梯度。")
    ids = selectors.pool_rows(data, tier, list)
    page = ids[offset : offset + limit]
    firms = selectors.enterprises_by_id(page)
    rows = []
    for eid in page:
        detail = selectors.row_detail(evaluation, data.snapshot, eid)
        firm = firms[eid]
        rows.append(
            {
                "enterprise_id": eid,
                "name": firm.name,
                "town": str(firm.town),
                "park": str(firm.park) if firm.park else None,
                "status": detail.status.name.lower(),
                "status_label": detail.status_label,
                "unmet": detail.unmet,
                "gaps": detail.gaps,
                "missing": detail.missing,
                "confirm": detail.confirm,
                "points": detail.points,
            }
        )
    return {
        "as_of": data.as_of,
        "tier": tier,
        "ruleset": evaluation.ruleset.name,
        "version": evaluation.ruleset.version,
        "list": list,
        "count": len(ids),
        "notice": NOTICE,
        "rows": rows,
    }


class TierCheckOut(Schema):
    tier: str
    label: str
    version: str
    status: str
    status_label: str
    gaps: list[str]
    missing: list[str]
    confirm: list[str]
    explanation: dict[str, Any]


class EvaluationOut(Schema):
    enterprise_id: int
    name: str
    as_of: dt.date
    notice: str
    met: list[str]
    next_tier: str | None
    tiers: list[TierCheckOut]


@router.get("/enterprises/{pk}/", response=EvaluationOut, summary="一家企业的梯度评价（逐条依据）")
def enterprise_evaluation(request, pk: int, on: dt.date | None = None):
    """``on``: the evaluation date (default today); each tier is judged by the version in force that day."""
    result = selectors.enterprise_evaluation(user=request.user, pk=pk, as_of=on)
    return {
        "enterprise_id": result.enterprise.pk,
        "name": result.enterprise.name,
        "as_of": result.as_of,
        "notice": NOTICE,
        "met": [c.tier.code for c in result.checks if c.status.name == "MET"],
        "next_tier": result.next_tier.tier.code if result.next_tier else None,
        "tiers": [
            {
                "tier": c.tier.code,
                "label": c.tier.label,
                "version": c.version,
                "status": c.status.name.lower(),
                "status_label": c.status.label,
                "gaps": c.detail.gaps,
                "missing": c.detail.missing,
                "confirm": c.detail.confirm,
                "explanation": c.explanation.as_dict(),
            }
            for c in result.checks
        ],
    }
