"""API of the dashboard: the same figures as the page and its Excel export."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import Http404
from ninja import Router, Schema

from qiangxian.core.params import YearMonth
from qiangxian.statistics import selectors

from . import services

router = Router()


class HeadlineOut(Schema):
    indicator: str
    name: str
    note: str
    value: Decimal | None
    base: Decimal | None
    growth: Decimal | None
    n_reported: int
    n_comparable: int
    new_entrants: int
    new_value: Decimal | None
    new_pull: Decimal | None
    comparable_note: str
    official_growth: Decimal | None
    target: Decimal | None
    completion: Decimal | None
    elapsed_share: Decimal | None
    status: str | None


class GroupOut(Schema):
    group_kind: str
    group_key: str
    label: str
    value: Decimal | None
    base: Decimal | None
    growth: Decimal | None
    share: Decimal | None
    contribution: Decimal | None
    pull: Decimal | None
    rank: int | None
    n_reported: int
    n_comparable: int


class RankedOut(Schema):
    enterprise_id: int
    name: str
    value: Decimal
    base: Decimal
    growth: Decimal | None
    pull: Decimal | None


class DashboardOut(Schema):
    month: dt.date
    scope_kind: str
    scope_id: int
    scope_label: str
    above_only: bool
    growth_basis: str
    growth_basis_label: str
    headlines: list[HeadlineOut]
    official_value_added_growth: Decimal | None
    breakdowns: dict[str, list[GroupOut]]
    rankings: dict[str, list[RankedOut]]
    new_entrants: list[RankedOut]
    warnings: dict[str, int]


@router.get(
    "/summary",
    response=DashboardOut,
    summary="驾驶舱数据",
    description="增速、贡献率、拉动按 growth_basis 口径计算（comparable：只计有上年同期数的企业；"
    "all：无上年同期数按0计）；value 与 share 计入全部报送企业。各指标的 n_comparable/n_reported "
    "为可比企业数/报送企业数，new_* 为新投产企业（无上年同期数）的户数、数值与拉动（比率）。",
)
def summary(
    request,
    month: YearMonth | None = None,
    scope_kind: str | None = None,
    scope_id: int | None = None,
    above_only: bool = True,
):
    scope = selectors.requested_scope(request.user, scope_kind, scope_id)
    months = selectors.available_months()
    chosen = selectors.parse_month(month, months[0] if months else None)
    if chosen is None or chosen not in months:
        raise Http404("该月份暂无数据。")
    board = services.build_cached(month=chosen, scope=scope, above_only=above_only)
    return {
        "month": chosen,
        "scope_kind": scope[0],
        "scope_id": scope[1],
        "scope_label": board.scope_label,
        "above_only": above_only,
        "growth_basis": board.basis,
        "growth_basis_label": board.basis_label,
        "headlines": [
            {
                "indicator": h.item.code,
                "name": h.name,
                "note": h.note,
                "value": h.item.value,
                "base": h.item.base,
                "growth": h.item.growth,
                "n_reported": h.item.n_reported or 0,
                "n_comparable": h.item.n_comparable or 0,
                "new_entrants": h.item.n_new,
                "new_value": h.item.new_value,
                "new_pull": h.item.new_pull(),
                "comparable_note": h.comparable,
                "official_growth": h.official.growth if h.official else None,
                "target": h.target.target.value if h.target else None,
                "completion": h.target.completion if h.target else None,
                "elapsed_share": h.target.elapsed if h.target else None,
                "status": h.target.status if h.target else None,
            }
            for h in board.headlines
        ],
        "official_value_added_growth": board.official_value_added.growth
        if board.official_value_added
        else None,
        "breakdowns": {
            kind: [
                {
                    "group_kind": i.group_kind,
                    "group_key": i.group_key,
                    "label": i.label,
                    "value": i.value,
                    "base": i.base,
                    "growth": i.growth,
                    "share": i.share,
                    "contribution": i.contribution,
                    "pull": i.pull,
                    "rank": i.rank,
                    "n_reported": i.n_reported or 0,
                    "n_comparable": i.n_comparable or 0,
                }
                for i in items
            ]
            for kind, items in board.breakdowns.items()
        },
        "rankings": {key: [r.__dict__ for r in rows] for key, rows in board.rankings.items()},
        "new_entrants": [r.__dict__ for r in board.new_entrants],
        "warnings": board.warnings,
    }
