"""API of extension requests, archiving, the bureaus' structured forms (用工/融资/用地) and the
similar-demand groups (举一反三): the same selectors and services as the pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from qiangxian.core.models import OrgUnit
from qiangxian.core.params import Date, Id, model_bounds

from .. import selectors, services
from ..choices import AreaUnit, FinanceKind
from ..models import Demand, DemandGroup, ExtensionRequest, FinanceNeed, LabourNeed, LandNeed

router = Router()

MAX_GROUP_DEMANDS = 500


class ExtensionOut(Schema):
    id: int
    demand_id: int
    unit_id: int
    requested_by_id: int | None
    requested_at: dt.datetime
    new_due: dt.date
    reason: str
    status: str
    status_display: str = Field(alias="get_status_display")
    decided_by_id: int | None
    decided_at: dt.datetime | None


@model_bounds(ExtensionRequest)
class ExtensionIn(Schema):
    new_due: Date
    reason: str


class DecisionIn(Schema):
    approve: bool


class ArchivedOut(Schema):
    id: int
    code: str
    state: str
    state_display: str = Field(alias="get_state_display")


@router.get("/demands/{demand_id}/extensions", response=list[ExtensionOut], summary="延期申请（按时间倒序）")
def extension_list(request, demand_id: Id):
    return list(selectors.access_demand_by_id(request.user, demand_id).extensions.all())


@router.post("/demands/{demand_id}/extensions", response={201: ExtensionOut}, summary="申请延期（牵头单位）")
def extension_request(request, demand_id: Id, payload: ExtensionIn):
    demand = selectors.access_demand_by_id(request.user, demand_id)
    return 201, services.demand_request_extension(
        actor=request.user, demand=demand, new_due=payload.new_due, reason=payload.reason
    )


@router.post(
    "/extensions/{extension_id}/decision",
    response=ExtensionOut,
    summary="审批延期申请（办公室；已审批时返回 409）",
)
def extension_decide(request, extension_id: Id, payload: DecisionIn):
    visible = selectors.demand_list(user=request.user)
    extension = get_object_or_404(ExtensionRequest.objects.filter(demand__in=visible), pk=extension_id)
    return services.demand_decide_extension(actor=request.user, extension=extension, approve=payload.approve)


@router.post("/demands/{demand_id}/archive", response=ArchivedOut, summary="归档（办公室）")
def demand_archive(request, demand_id: Id):
    demand = selectors.access_demand_by_id(request.user, demand_id)
    return services.demand_archive(actor=request.user, demand=demand)


# --- the bureaus' structured forms -----------------------------------------------------------


class LabourOut(Schema):
    demand_id: int
    positions: str
    headcount: int
    skills: str
    wage: str
    needed_by: dt.date | None
    filled: int
    updated_at: dt.datetime


@model_bounds(LabourNeed)
class LabourIn(Schema):
    positions: str | None = None
    headcount: int | None = None
    skills: str | None = None
    wage: str | None = None
    needed_by: Date | None = None
    filled: int | None = None


class FinanceOut(Schema):
    demand_id: int
    amount: Decimal
    purpose: str
    kind: FinanceKind
    kind_display: str = Field(alias="get_kind_display")
    bank: str
    arranged: Decimal
    updated_at: dt.datetime


@model_bounds(FinanceNeed)
class FinanceIn(Schema):
    """Amounts in yuan (元)."""

    amount: Decimal | None = None
    purpose: str | None = None
    kind: str | None = None
    bank: str | None = None
    arranged: Decimal | None = None


class LandOut(Schema):
    demand_id: int
    area: Decimal
    area_unit: AreaUnit
    area_unit_display: str = Field(alias="get_area_unit_display")
    location: str
    use: str
    needed_by: dt.date | None
    offered: str
    offered_parcel_id: int | None
    offered_building_id: int | None
    updated_at: dt.datetime


@model_bounds(LandNeed)
class LandIn(Schema):
    area: Decimal | None = None
    area_unit: str | None = None
    location: str | None = None
    use: str | None = None
    needed_by: Date | None = None
    offered: str | None = None
    offered_parcel_id: Id | None = None
    offered_building_id: Id | None = None


NEEDS = {
    "labour": (LabourNeed, "labour_need"),
    "finance": (FinanceNeed, "finance_need"),
    "land": (LandNeed, "land_need"),
}


def _need(user, demand_id: int, kind: str):
    demand = selectors.access_demand_by_id(user, demand_id)
    model, _ = NEEDS[kind]
    return get_object_or_404(model, demand=demand)


def _save_need(request, demand_id: int, kind: str, payload: Schema):
    demand = selectors.access_demand_by_id(request.user, demand_id)
    if demand.category != kind:
        # need_save picks the form by the demand's category; a body meant for another form is refused
        raise ValidationError(f"该诉求为“{demand.get_category_display()}”类，不能填写此需求表。")
    return services.need_save(actor=request.user, demand=demand, **payload.dict(exclude_unset=True))


@router.get("/demands/{demand_id}/labour", response=LabourOut, summary="用工需求表")
def labour_get(request, demand_id: Id):
    return _need(request.user, demand_id, "labour")


@router.put(
    "/demands/{demand_id}/labour", response=LabourOut, summary="填写用工需求（已招到人数由牵头单位填写）"
)
def labour_put(request, demand_id: Id, payload: LabourIn):
    return _save_need(request, demand_id, "labour", payload)


@router.get("/demands/{demand_id}/finance", response=FinanceOut, summary="融资需求表（金额：元）")
def finance_get(request, demand_id: Id):
    return _need(request.user, demand_id, "finance")


@router.put(
    "/demands/{demand_id}/finance", response=FinanceOut, summary="填写融资需求（已落实金额由牵头单位填写）"
)
def finance_put(request, demand_id: Id, payload: FinanceIn):
    return _save_need(request, demand_id, "finance", payload)


@router.get("/demands/{demand_id}/land", response=LandOut, summary="用地需求表")
def land_get(request, demand_id: Id):
    return _need(request.user, demand_id, "land")


@router.put("/demands/{demand_id}/land", response=LandOut, summary="填写用地需求（已提供地块由牵头单位填写）")
def land_put(request, demand_id: Id, payload: LandIn):
    return _save_need(request, demand_id, "land", payload)


# --- 举一反三 ----------------------------------------------------------------------------------


class SimilarGroupOut(Schema):
    title: str
    count: int
    units: list[str]
    enterprises: list[str]
    ids: list[int]


class DemandGroupOut(Schema):
    id: int
    title: str
    kind: str
    kind_display: str = Field(alias="get_kind_display")
    lead_unit_id: int | None
    description: str
    created_at: dt.datetime
    demand_ids: list[int]

    @staticmethod
    def resolve_demand_ids(obj) -> list[int]:
        return list(Demand.objects.filter(task_group=obj).order_by("pk").values_list("pk", flat=True))


@model_bounds(DemandGroup)
class DemandGroupIn(Schema):
    demand_ids: list[Id] = Field(..., min_length=2, max_length=MAX_GROUP_DEMANDS)
    title: str
    kind: Literal["task", "proposal"]
    lead_unit_id: Id
    description: str = Field("", max_length=5000)


def _office_only(user) -> None:
    if not user.can_manage and user.role != "leader":
        raise PermissionDenied("举一反三仅供领导小组办公室和县领导查看。")


@router.get("/similar", response=list[SimilarGroupOut], summary="相似诉求分组（未转化的）")
def similar_list(request, since: Date | None = None):
    _office_only(request.user)
    return selectors.similar_groups(user=request.user, since=since)


@router.get("/groups", response=list[DemandGroupOut], summary="举一反三事项")
def group_list(request):
    _office_only(request.user)
    return list(DemandGroup.objects.all()[:500])


@router.post(
    "/groups", response={201: DemandGroupOut}, summary="将相似诉求转化为督办任务或政策建议（办公室）"
)
def group_create(request, payload: DemandGroupIn):
    demands = list(selectors.demand_list(user=request.user).filter(pk__in=set(payload.demand_ids)))
    if len(demands) != len(set(payload.demand_ids)):
        raise Http404("未找到诉求，或您无权查看。")
    return 201, services.demand_group_create(
        actor=request.user,
        demands=demands,
        title=payload.title,
        kind=payload.kind,
        lead_unit=OrgUnit.objects.filter(pk=payload.lead_unit_id).first(),
        description=payload.description,
    )
