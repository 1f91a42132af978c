"""API of visits, demands, their steps and the league table: the same selectors and services as the pages."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from ninja import Field, FilterSchema, Query, Router, Schema
from ninja.pagination import paginate

from qiangxian.core.access import get_visible_or_404
from qiangxian.core.filters import filtered_by
from qiangxian.core.models import OrgUnit
from qiangxian.core.params import Date, Id, MonthNumber, Pagination, Year, model_bounds
from qiangxian.enterprises.models import Enterprise

from .. import selectors, services
from ..choices import DemandCategory, Rating
from ..filters import DemandFilter, VisitFilter
from ..models import Demand, Visit
from . import bureaus

router = Router()


class DemandOut(Schema):
    id: int
    code: str
    enterprise_id: int
    enterprise_name: str = Field(alias="enterprise.name")
    title: str
    description: str
    category: DemandCategory
    category_display: str = Field(alias="get_category_display")
    sub_category: str
    tags: str
    channel: str
    visit_id: int | None
    state: str
    state_display: str = Field(alias="get_state_display")
    lead_unit_id: int | None
    accepted_at: dt.datetime
    assigned_at: dt.datetime | None
    sign_due: dt.date | None
    response_due: dt.date | None
    complete_due: dt.date | None
    signed_at: dt.datetime | None
    responded_at: dt.datetime | None
    answered_at: dt.datetime | None
    answer: str
    days_to_answer: int | None
    rating: str
    rating_comment: str
    rated_on_behalf: bool
    reopen_count: int
    updated_at: dt.datetime


class StepOut(Schema):
    id: int
    kind: str
    kind_display: str = Field(alias="get_kind_display")
    at: dt.datetime
    actor_id: int | None
    unit_id: int | None
    text: str
    from_state: str
    to_state: str
    working_days: int | None
    on_behalf: bool


@model_bounds(Demand)
class DemandIn(Schema):
    enterprise_id: Id
    category: DemandCategory
    title: str
    description: str = ""
    sub_category: str = ""
    tags: str = ""
    channel: str = "office"
    wanted_by: Date | None = None
    contact_name: str = ""
    contact_phone: str = ""


class DemandFilterIn(FilterSchema):
    q: str | None = Field(None, max_length=100)
    state: str | None = Field(None, max_length=20)
    category: str | None = Field(None, max_length=20)
    channel: str | None = Field(None, max_length=20)
    lead_unit: Id | None = None
    town: Id | None = None
    rating: str | None = Field(None, max_length=20)
    overdue: bool | None = None
    year: Year | None = None


class TextIn(Schema):
    text: str = Field(..., max_length=2000)
    interim: bool = False


class AnswerIn(Schema):
    answer: str = Field(..., max_length=5000)


class ReasonIn(Schema):
    reason: str = Field("", max_length=500)


class RouteIn(Schema):
    lead_unit_id: Id
    supporting_unit_ids: list[Id] = Field(default_factory=list, max_length=20)
    note: str = Field("", max_length=300)


class RateIn(Schema):
    rating: Rating
    comment: str = Field("", max_length=500)
    on_behalf: bool = False


class LeagueOut(Schema):
    unit_id: int | None
    unit: str
    received: int
    signed_on_time: int
    answered_on_time: int
    solved: int
    rated: int
    satisfied: int
    overdue_now: int
    average_days: Decimal | None
    response_rate: Decimal | None
    resolution_rate: Decimal | None
    satisfaction_rate: Decimal | None


class VisitOut(Schema):
    id: int
    enterprise_id: int
    visited_on: Date
    unit_id: int
    campaign_id: int | None
    purpose: str
    people_met: str
    by_phone: bool
    production: str
    orders: str
    labour: str
    finance: str
    land: str
    utilities: str
    approvals: str
    plans: str


@model_bounds(Visit)
class VisitIn(Schema):
    enterprise_id: Id
    visited_on: Date
    purpose: str = ""
    people_met: str = ""
    by_phone: bool = False
    production: str = ""
    orders: str = ""
    labour: str = ""
    finance: str = ""
    land: str = ""
    utilities: str = ""
    approvals: str = ""
    plans: str = ""


class VisitFilterIn(FilterSchema):
    q: str | None = Field(None, max_length=100)
    unit: Id | None = None
    town: Id | None = None
    by_phone: bool | None = None
    year: Year | None = None


def _enterprise(user, pk):
    return Enterprise.objects.visible_to(user).filter(pk=pk).first()


@router.get("/demands", response=list[DemandOut], summary="诉求列表（按权限范围）")
@paginate(Pagination)
def demand_list(request, filters: Query[DemandFilterIn]):
    return filtered_by(DemandFilter, filters, selectors.demand_list(user=request.user)).order_by(
        "-accepted_at", "-pk"
    )


@router.get("/demands/{demand_id}", response=DemandOut, summary="诉求详情")
def demand_detail(request, demand_id: Id):
    return selectors.access_demand_by_id(request.user, demand_id)


@router.get("/demands/{demand_id}/steps", response=list[StepOut], summary="诉求办理环节（按时间）")
def demand_steps(request, demand_id: Id):
    return list(selectors.access_demand_by_id(request.user, demand_id).steps.all())


@router.post("/demands", response={201: DemandOut}, summary="登记诉求（按分办规则自动交办）")
def demand_create(request, payload: DemandIn):
    data = payload.dict()
    enterprise = _enterprise(request.user, data.pop("enterprise_id"))
    return 201, services.demand_create(actor=request.user, enterprise=enterprise, **data)


@router.post("/demands/{demand_id}/route", response=DemandOut, summary="交办或重新交办（办公室）")
def demand_route(request, demand_id: Id, payload: RouteIn):
    demand = selectors.access_demand_by_id(request.user, demand_id)
    units = OrgUnit.objects.filter(pk__in=payload.supporting_unit_ids)
    lead = OrgUnit.objects.filter(pk=payload.lead_unit_id).first()
    return services.demand_route(
        actor=request.user, demand=demand, lead_unit=lead, supporting_units=list(units), note=payload.note
    )


@router.post("/demands/{demand_id}/sign", response=DemandOut, summary="签收（已被他人签收时返回 409）")
def demand_sign(request, demand_id: Id):
    return services.demand_sign(
        actor=request.user, demand=selectors.access_demand_by_id(request.user, demand_id)
    )


@router.post("/demands/{demand_id}/notes", response={201: StepOut}, summary="登记办理情况或阶段答复")
def demand_note(request, demand_id: Id, payload: TextIn):
    demand = selectors.access_demand_by_id(request.user, demand_id)
    return 201, services.demand_note(
        actor=request.user, demand=demand, text=payload.text, interim=payload.interim
    )


@router.post("/demands/{demand_id}/answer", response=DemandOut, summary="办结并答复企业")
def demand_answer(request, demand_id: Id, payload: AnswerIn):
    demand = selectors.access_demand_by_id(request.user, demand_id)
    return services.demand_answer(actor=request.user, demand=demand, answer=payload.answer)


@router.post("/demands/{demand_id}/return", response=DemandOut, summary="退回办公室")
def demand_return(request, demand_id: Id, payload: ReasonIn):
    demand = selectors.access_demand_by_id(request.user, demand_id)
    return services.demand_return(actor=request.user, demand=demand, reason=payload.reason)


@router.post("/demands/{demand_id}/rate", response=DemandOut, summary="评价（企业或代企业）")
def demand_rate(request, demand_id: Id, payload: RateIn):
    demand = selectors.access_demand_by_id(request.user, demand_id)
    return services.demand_rate(
        actor=request.user,
        demand=demand,
        rating=payload.rating,
        comment=payload.comment,
        on_behalf=payload.on_behalf,
    )


@router.post("/demands/{demand_id}/reopen", response=DemandOut, summary="重办")
def demand_reopen(request, demand_id: Id, payload: ReasonIn):
    demand = selectors.access_demand_by_id(request.user, demand_id)
    return services.demand_reopen(actor=request.user, demand=demand, reason=payload.reason)


@router.get("/league", response=list[LeagueOut], summary="诉求办理晾晒（按单位，含合计行）")
def league(request, year: Year, month: MonthNumber | None = None):
    if request.user.role == "enterprise":
        raise PermissionDenied("晾晒排名仅供政府部门查看。")
    first = dt.date(year, month or 1, 1)
    last = dt.date(year, month or 12, 1)
    return selectors.league_table(first_month=first, last_month=last)


@router.get("/visits", response=list[VisitOut], summary="走访记录列表")
@paginate(Pagination)
def visit_list(request, filters: Query[VisitFilterIn]):
    return filtered_by(VisitFilter, filters, selectors.visit_list(user=request.user)).order_by(
        "-visited_on", "-pk"
    )


@router.get("/visits/{visit_id}", response=VisitOut, summary="走访记录详情")
def visit_detail(request, visit_id: Id):
    return get_visible_or_404(Visit.objects, request.user, visit_id)


@router.post("/visits", response={201: VisitOut}, summary="登记走访")
def visit_create(request, payload: VisitIn):
    data = payload.dict()
    enterprise = _enterprise(request.user, data.pop("enterprise_id"))
    topics = {
        k: data.pop(k)
        for k in ("production", "orders", "labour", "finance", "land", "utilities", "approvals", "plans")
    }
    return 201, services.visit_create(actor=request.user, enterprise=enterprise, topics=topics, **data)


# Extensions, archiving, the bureaus' forms and the similar-demand groups, on the same paths.
router.add_router("", bureaus.router)
