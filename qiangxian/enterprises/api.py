"""API of the registry: enterprises, designations and cultivation plans, scoped like the pages."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from ninja import Field, FilterSchema, Query, Router, Schema, Status
from ninja.pagination import paginate

from qiangxian.core.filters import filtered_by
from qiangxian.core.models import OrgUnit
from qiangxian.core.params import Pagination, Year, model_bounds

from . import selectors, services
from .filters import DesignationFilter, EnterpriseFilter, PlanFilter
from .models import CultivationPlan, Designation, Enterprise, PlanMeasure

router = Router()


# --- enterprises -------------------------------------------------------------------------------


class EnterpriseOut(Schema):
    id: int
    uscc: str
    name: str
    short_name: str
    former_names: str
    registration_number: str
    town_id: int
    town_name: str = Field(alias="town.name")
    park_id: int | None
    zone_id: int | None
    industry_code: str
    industry_label: str
    status: str
    above_scale: bool
    established_on: dt.date | None
    land_area_mu: Decimal | None
    land_tenure: str
    tags: str
    task_force_id: int | None
    updated_at: dt.datetime


@model_bounds(Enterprise)
class EnterpriseIn(Schema):
    uscc: str
    name: str
    short_name: str = ""
    former_names: str = ""
    registration_number: str = ""
    town_id: int
    park_id: int | None = None
    zone_id: int | None = None
    industry_code: str
    status: str = "operating"
    established_on: dt.date | None = None
    legal_representative: str = ""
    registered_address: str = ""
    production_address: str = ""
    land_area_mu: Decimal | None = None
    land_tenure: str = "none"
    tags: str = ""


class EnterpriseFilterIn(FilterSchema):
    q: str | None = None
    town: int | None = None
    park: int | None = None
    zone: int | None = None
    cluster: int | None = None
    division: str | None = None
    above_scale: bool | None = None
    designation: str | None = None
    status: str | None = None
    liaison: int | None = None


def _units_exist(payload: EnterpriseIn) -> None:
    # An unknown unit id is a validation problem, not a server error.
    from django.core.exceptions import ValidationError

    for key in ("town_id", "park_id", "zone_id"):
        value = getattr(payload, key)
        if value is not None and not OrgUnit.objects.filter(pk=value).exists():
            raise ValidationError({key.removesuffix("_id"): f"单位 {value} 不存在。"})


@router.get("/", response=list[EnterpriseOut], summary="企业列表（按权限范围）")
@paginate(Pagination)
def enterprise_list(request, filters: Query[EnterpriseFilterIn]):
    qs = filtered_by(EnterpriseFilter, filters.dict(), selectors.enterprise_list(user=request.user))
    return qs.order_by("name", "pk")


# --- designations (declared before "/{enterprise_id}" so the paths never collide) ------------------


class DesignationOut(Schema):
    id: int
    enterprise_id: int
    enterprise_name: str = Field(alias="enterprise.name")
    kind: str
    label: str
    champion_type: str
    product_name: str
    level: str
    batch: str
    year: int | None
    document_no: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    entry_month: dt.date | None
    exit_month: dt.date | None
    note: str


@model_bounds(Designation)
class DesignationIn(Schema):
    enterprise_id: int
    kind: str
    champion_type: str = ""
    product_name: str = ""
    level: str = ""
    batch: str = ""
    year: Year | None = None
    document_no: str = ""
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    note: str = ""


class DesignationFilterIn(FilterSchema):
    q: str | None = None
    kind: str | None = None
    level: str | None = None
    year: Year | None = None
    state: str | None = None


@router.get("/designations/", response=list[DesignationOut], summary="企业称号列表")
@paginate(Pagination)
def designation_list(request, filters: Query[DesignationFilterIn]):
    qs = filtered_by(DesignationFilter, filters.dict(), selectors.designation_list(user=request.user))
    return qs.order_by("enterprise__name", "kind", "pk")


@router.get("/designations/{designation_id}", response=DesignationOut, summary="称号详情")
def designation_detail(request, designation_id: int):
    return selectors.access_designation_by_id(request.user, designation_id)


@router.post("/designations/", response={201: DesignationOut}, summary="登记称号")
def designation_create(request, payload: DesignationIn):
    enterprise = selectors.access_enterprise_by_id(request.user, payload.enterprise_id)
    data = payload.dict(exclude={"enterprise_id"})
    return Status(201, services.designation_save(actor=request.user, enterprise=enterprise, **data))


@router.put("/designations/{designation_id}", response=DesignationOut, summary="修改称号")
def designation_update(request, designation_id: int, payload: DesignationIn):
    designation = selectors.access_designation_by_id(request.user, designation_id)
    data = payload.dict(exclude={"enterprise_id"})
    return services.designation_save(
        actor=request.user, enterprise=designation.enterprise, designation=designation, **data
    )


# --- plans -------------------------------------------------------------------------------------


class MeasureOut(Schema):
    id: int
    content: str
    responsible_unit_id: int | None
    deadline: dt.date | None
    status: str
    progress_notes: str
    completed_on: dt.date | None
    is_overdue: bool


@model_bounds(PlanMeasure)
class MeasureIn(Schema):
    content: str
    responsible_unit_id: int | None = None
    deadline: dt.date | None = None
    status: str = "pending"
    progress_notes: str = ""


class PlanOut(Schema):
    id: int
    enterprise_id: int
    enterprise_name: str = Field(alias="enterprise.name")
    target_tier: str
    target_year: Year
    status: str
    summary: str
    baseline_year: int | None
    baseline_revenue: Decimal | None
    baseline_rd_expense: Decimal | None
    baseline_employees: int | None
    baseline_ip_count: int | None
    measures: list[MeasureOut]
    updated_at: dt.datetime

    @staticmethod
    def resolve_measures(obj):
        return list(obj.measures.all())


@model_bounds(CultivationPlan)
class PlanIn(Schema):
    enterprise_id: int
    target_tier: str
    target_year: Year
    status: str = "active"
    summary: str = ""
    baseline_year: Year | None = None
    baseline_revenue: Decimal | None = None
    baseline_rd_expense: Decimal | None = None
    baseline_employees: int | None = None
    baseline_ip_count: int | None = None
    measures: list[MeasureIn] = []


@model_bounds(CultivationPlan)
class PlanUpdateIn(Schema):
    target_tier: str
    target_year: Year
    status: str = "active"
    summary: str = ""
    baseline_year: Year | None = None
    baseline_revenue: Decimal | None = None
    baseline_rd_expense: Decimal | None = None
    baseline_employees: int | None = None
    baseline_ip_count: int | None = None
    expected_updated_at: dt.datetime | None = Field(
        None, description="读取时的 updated_at；计划已被他人修改时返回 409"
    )


class PlanFilterIn(FilterSchema):
    q: str | None = None
    status: str | None = None
    target_tier: str | None = None
    target_year: Year | None = None
    town: int | None = None


@router.get("/plans/", response=list[PlanOut], summary="培育计划列表")
@paginate(Pagination)
def plan_list(request, filters: Query[PlanFilterIn]):
    qs = filtered_by(PlanFilter, filters.dict(), selectors.plan_list(user=request.user))
    return qs.prefetch_related("measures").order_by("-target_year", "enterprise__name", "pk")


@router.get("/plans/{plan_id}", response=PlanOut, summary="培育计划详情")
def plan_detail(request, plan_id: int):
    return selectors.access_plan_by_id(request.user, plan_id)


@router.post("/plans/", response={201: PlanOut}, summary="制定培育计划（可附带措施）")
def plan_create(request, payload: PlanIn):
    enterprise = selectors.access_enterprise_by_id(request.user, payload.enterprise_id)
    data = payload.dict(exclude={"enterprise_id", "measures"})
    measures = [m.dict() for m in payload.measures]
    for m in measures:
        m["responsible_unit"] = m.pop("responsible_unit_id")
    return Status(
        201, services.plan_create(actor=request.user, enterprise=enterprise, measures=measures, **data)
    )


@router.put("/plans/{plan_id}", response=PlanOut, summary="修改培育计划")
def plan_update(request, plan_id: int, payload: PlanUpdateIn):
    plan = selectors.access_plan_by_id(request.user, plan_id)
    return services.plan_update(actor=request.user, plan=plan, **payload.dict())


# --- one enterprise --------------------------------------------------------------------------------


@router.get("/{enterprise_id}", response=EnterpriseOut, summary="企业详情")
def enterprise_detail(request, enterprise_id: int):
    return selectors.access_enterprise_by_id(request.user, enterprise_id)


@router.post("/", response={201: EnterpriseOut}, summary="登记企业")
def enterprise_create(request, payload: EnterpriseIn):
    _units_exist(payload)
    return Status(201, services.enterprise_create(actor=request.user, **payload.dict()))


class EnterpriseUpdateIn(EnterpriseIn):
    expected_updated_at: dt.datetime | None = Field(
        None, description="读取时的 updated_at；企业信息已被他人修改时返回 409"
    )


@router.put("/{enterprise_id}", response=EnterpriseOut, summary="修改企业")
def enterprise_update(request, enterprise_id: int, payload: EnterpriseUpdateIn):
    enterprise = selectors.access_enterprise_by_id(request.user, enterprise_id)
    if not services.can_edit_enterprise(request.user, enterprise):
        raise PermissionDenied("您无权修改该企业。")
    _units_exist(payload)
    return services.enterprise_update(actor=request.user, enterprise=enterprise, **payload.dict())
