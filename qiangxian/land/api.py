"""API of parks, land, buildings and the per-mu evaluation: the same selectors and services as the pages."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from ninja import Field, FilterSchema, Query, Router, Schema
from ninja.pagination import paginate

from qiangxian.core.access import get_visible_or_404
from qiangxian.core.filters import filtered_by
from qiangxian.core.models import OrgUnit
from qiangxian.core.params import Date, Id, Pagination, Year, model_bounds
from qiangxian.enterprises.models import Enterprise
from qiangxian.projects.models import Project

from . import selectors
from .filters import BuildingFilter, ParcelFilter, ResultFilter
from .models import Building, Lease, Objection, Parcel, Scheme, SpaceProfile
from .services import evaluation as evaluation_services
from .services import space as space_services

router = Router()


class LandProfileOut(Schema):
    id: int
    unit_id: int
    park_id: int
    area_mu: Decimal | None
    planned_industrial_mu: Decimal | None
    built_mu: Decimal | None
    utilities: str
    platforms: str
    leading_industries: str
    negative_list: str
    output_target_per_mu: Decimal | None
    tax_target_per_mu: Decimal | None


class LandParcelOut(Schema):
    id: int
    code: str
    name: str
    park_id: int
    zone_id: int | None
    area_mu: Decimal
    land_use: str
    status: str
    status_display: str = Field(alias="get_status_display")
    status_since: dt.date | None
    holder_id: int | None
    project_id: int | None
    boundary: dict | None
    notes: str
    updated_at: dt.datetime


@model_bounds(Parcel)
class LandParcelIn(Schema):
    code: str
    name: str = ""
    park_id: Id
    zone_id: Id | None = None
    area_mu: Decimal
    land_use: str = "industrial"
    status: str = "in_use"
    holder_id: Id | None = None
    project_id: Id | None = None
    boundary: dict | None = None
    notes: str = ""
    expected_updated_at: dt.datetime | None = Field(None, description="修改时传入读取时的 updated_at")


class LandParcelFilterIn(FilterSchema):
    q: str | None = Field(None, max_length=100)
    park: Id | None = None
    zone: Id | None = None
    status: str | None = Field(None, max_length=20)
    land_use: str | None = Field(None, max_length=20)


class LandBuildingOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    park_id: int
    zone_id: int | None
    parcel_id: int | None
    floors: int
    floor_area_sqm: Decimal
    leased_sqm: Decimal
    floor_load_kn: Decimal | None
    crane_tonnage: Decimal | None
    power_kva: int | None
    owner_id: int | None
    owner_name: str
    updated_at: dt.datetime


@model_bounds(Building)
class LandBuildingIn(Schema):
    code: str
    name: str
    kind: str = "standard"
    park_id: Id
    zone_id: Id | None = None
    floors: int = 1
    floor_area_sqm: Decimal
    floor_load_kn: Decimal | None = None
    crane_tonnage: Decimal | None = None
    power_kva: int | None = None
    owner_id: Id | None = None
    owner_name: str = ""


class LandBuildingFilterIn(FilterSchema):
    q: str | None = Field(None, max_length=100)
    park: Id | None = None
    zone: Id | None = None
    kind: str | None = Field(None, max_length=20)


class LandLeaseOut(Schema):
    id: int
    building_id: int
    floor: int
    unit: str
    area_sqm: Decimal
    tenant_id: int | None
    tenant_name: str
    rent_per_sqm_month: Decimal | None
    start_on: dt.date
    end_on: dt.date


@model_bounds(Lease)
class LandLeaseIn(Schema):
    floor: int
    unit: str = ""
    area_sqm: Decimal
    tenant_id: Id | None = None
    tenant_name: str = ""
    rent_per_sqm_month: Decimal | None = None
    start_on: Date
    end_on: Date


class LandSchemeOut(Schema):
    id: int
    year: int
    version: int
    name: str
    status: str
    cutoff_mode: str
    layout: dict


class LandRunOut(Schema):
    id: int
    scheme_id: int
    year: int
    kind: str
    state: str
    notice_from: dt.date | None
    notice_until: dt.date | None
    finalized_at: dt.datetime | None


class LandResultOut(Schema):
    id: int
    run_id: int
    enterprise_id: int
    category: str
    exempt: bool
    land_mu: float | None
    score: float | None
    rank: int | None
    grade: str
    previous_grade: str
    vetoed: str
    trace: dict

    @staticmethod
    def resolve_trace(obj) -> dict:
        return selectors.full_trace(obj)


class LandResultFilterIn(FilterSchema):
    run: Id | None = None
    q: str | None = Field(None, max_length=100)
    park: Id | None = None
    town: Id | None = None
    category: str | None = Field(None, max_length=12)
    grade: str | None = Field(None, max_length=1)


class LandObjectionOut(Schema):
    id: int
    run_id: int
    enterprise_id: int
    input_code: str
    recorded_value: float | None
    claimed_value: float
    reason: str
    evidence: str
    on_behalf: bool
    filed_on: dt.date
    state: str
    ruling: str
    ruled_on: dt.date | None
    grade_before: str
    grade_after: str


@model_bounds(Objection)
class LandObjectionIn(Schema):
    run_id: Id
    enterprise_id: Id
    input_code: str
    claimed_value: float = Field(..., ge=0, le=1e15)
    reason: str
    evidence: str


@model_bounds(Objection)
class LandRulingIn(Schema):
    uphold: bool
    ruling: str
    value: float | None = Field(None, ge=0, le=1e15)


def _resolve(data: dict) -> dict:
    relations = {
        "park_id": ("park", OrgUnit),
        "zone_id": ("zone", OrgUnit),
        "holder_id": ("holder", Enterprise),
        "project_id": ("project", Project),
        "owner_id": ("owner", Enterprise),
        "tenant_id": ("tenant", Enterprise),
    }
    out = {}
    for key, value in data.items():
        if key in relations:
            name, model = relations[key]
            out[name] = get_object_or_404(model, pk=value) if value is not None else None
        else:
            out[key] = value
    return out


# --- parks and space ----------------------------------------------------------------------


@router.get("/profiles", response=list[LandProfileOut], summary="园区/片区概况")
@paginate(Pagination)
def profile_list(request):
    return SpaceProfile.objects.visible_to(request.user).order_by("pk")


@router.get("/parcels", response=list[LandParcelOut], summary="地块台账（按权限范围）")
@paginate(Pagination)
def parcel_list(request, filters: Query[LandParcelFilterIn]):
    return filtered_by(ParcelFilter, filters, selectors.parcels(user=request.user)).order_by("code", "pk")


@router.get("/parcels/{parcel_id}", response=LandParcelOut, summary="地块详情")
def parcel_detail(request, parcel_id: Id):
    return selectors.parcel(user=request.user, pk=parcel_id)


@router.post("/parcels", response={201: LandParcelOut}, summary="登记地块")
def parcel_create(request, payload: LandParcelIn):
    data = _resolve(payload.dict())
    data.pop("expected_updated_at", None)
    return 201, space_services.parcel_create(actor=request.user, **data)


@router.put("/parcels/{parcel_id}", response=LandParcelOut, summary="修改地块")
def parcel_update(request, parcel_id: Id, payload: LandParcelIn):
    parcel = selectors.parcel(user=request.user, pk=parcel_id)
    data = _resolve(payload.dict())
    version = data.pop("expected_updated_at", None)
    return space_services.parcel_update(
        actor=request.user, parcel=parcel, expected_updated_at=version, **data
    )


@router.get("/buildings", response=list[LandBuildingOut], summary="厂房楼栋（按权限范围）")
@paginate(Pagination)
def building_list(request, filters: Query[LandBuildingFilterIn]):
    return filtered_by(BuildingFilter, filters, selectors.buildings(user=request.user)).order_by("code", "pk")


@router.get("/buildings/{building_id}", response=LandBuildingOut, summary="楼栋详情")
def building_detail(request, building_id: Id):
    return selectors.building(user=request.user, pk=building_id)


@router.post("/buildings", response={201: LandBuildingOut}, summary="登记楼栋")
def building_create(request, payload: LandBuildingIn):
    building = space_services.building_create(actor=request.user, **_resolve(payload.dict()))
    return 201, selectors.building(user=request.user, pk=building.pk)


@router.get("/buildings/{building_id}/leases", response=list[LandLeaseOut], summary="楼栋租户")
def lease_list(request, building_id: Id):
    return list(selectors.leases_of(selectors.building(user=request.user, pk=building_id)))


@router.post("/buildings/{building_id}/leases", response={201: LandLeaseOut}, summary="登记租户")
def lease_create(request, building_id: Id, payload: LandLeaseIn):
    building = selectors.building(user=request.user, pk=building_id)
    return 201, space_services.lease_save(actor=request.user, building=building, **_resolve(payload.dict()))


# --- evaluation ---------------------------------------------------------------------------


@router.get("/schemes", response=list[LandSchemeOut], summary="亩均评价方案")
@paginate(Pagination)
def scheme_list(request, year: Year | None = None):
    evaluation_services.require_office_or_leader(request.user)
    schemes = selectors.schemes(request.user)
    schemes = schemes if year is None else schemes.filter(year=year)
    return [_scheme_out(s) for s in schemes.order_by("-year", "-version")]


def _scheme_out(scheme: Scheme) -> dict:
    return {
        "id": scheme.pk,
        "year": scheme.year,
        "version": scheme.version,
        "name": scheme.name,
        "status": scheme.status,
        "cutoff_mode": scheme.cutoff_mode,
        "layout": evaluation_services.layout_of(scheme),
    }


@router.get("/schemes/{scheme_id}", response=LandSchemeOut, summary="评价方案详情")
def scheme_detail(request, scheme_id: Id):
    evaluation_services.require_office_or_leader(request.user)
    return _scheme_out(get_object_or_404(selectors.schemes(request.user), pk=scheme_id))


class LandSchemeIndicatorIn(Schema):
    id: int
    weight: Decimal | None = None
    missing: str | None = Field(None, description="缺少数据时：zero 计 0 分；average 按平均分计")


class LandSchemeIndicatorsIn(Schema):
    indicators: list[LandSchemeIndicatorIn]


@router.put(
    "/schemes/{scheme_id}/indicators", response=LandSchemeOut, summary="调整草稿方案的指标权重与缺数据计分"
)
def scheme_indicators_update(request, scheme_id: Id, payload: LandSchemeIndicatorsIn):
    if not request.user.can_issue:  # the scheme's issuing office (county, city or province)
        raise PermissionDenied("只有领导小组办公室可以进行此操作。")
    scheme = get_object_or_404(selectors.schemes(request.user), pk=scheme_id)
    known = set(scheme.indicators.values_list("pk", flat=True))
    unknown = [str(item.id) for item in payload.indicators if item.id not in known]
    if unknown:
        raise ValidationError({"indicators": [f"方案中没有编号为 {'、'.join(unknown)} 的指标。"]})
    evaluation_services.scheme_save_weights(
        actor=request.user,
        scheme=scheme,
        weights={i.id: i.weight for i in payload.indicators if i.weight is not None},
        missing={i.id: i.missing for i in payload.indicators if i.missing is not None},
        bands={},
    )
    return _scheme_out(scheme)


@router.get("/runs", response=list[LandRunOut], summary="评价批次")
@paginate(Pagination)
def run_list(request, year: Year | None = None):
    runs = (
        selectors.published_runs(request.user)
        if not evaluation_services.can_manage_evaluation(request.user)
        else selectors.runs(user=request.user)
    )
    return (runs if year is None else runs.filter(year=year)).order_by("-year", "-created_at")


@router.get("/results", response=list[LandResultOut], summary="评价结果（按权限范围）")
@paginate(Pagination)
def result_list(request, filters: Query[LandResultFilterIn]):
    runs = selectors.runs(user=request.user)
    run = get_object_or_404(runs, pk=filters.run) if filters.run else selectors.current_run(user=request.user)
    if run is None:
        return []
    filters.run = None
    return filtered_by(ResultFilter, filters, selectors.results(user=request.user, run=run)).order_by(
        "rank", "pk"
    )


@router.get("/results/{result_id}", response=LandResultOut, summary="评价结果与计算过程")
def result_detail(request, result_id: Id):
    return selectors.result(user=request.user, pk=result_id)


@router.get("/objections", response=list[LandObjectionOut], summary="异议（按权限范围）")
@paginate(Pagination)
def objection_list(request, run: Id | None = None):
    queryset = selectors.objections(user=request.user)
    return (queryset if run is None else queryset.filter(run_id=run)).order_by("-filed_on", "pk")


@router.post("/objections", response={201: LandObjectionOut}, summary="提出异议（企业本身或办公室代企业）")
def objection_create(request, payload: LandObjectionIn):
    run = get_object_or_404(selectors.runs(user=request.user), pk=payload.run_id)
    enterprise = get_visible_or_404(Enterprise.objects, request.user, payload.enterprise_id)
    data = payload.dict()
    for key in ("run_id", "enterprise_id"):
        data.pop(key)
    return 201, evaluation_services.objection_file(actor=request.user, run=run, enterprise=enterprise, **data)


@router.post("/objections/{objection_id}/ruling", response=LandObjectionOut, summary="裁定异议")
def objection_rule(request, objection_id: Id, payload: LandRulingIn):
    objection = get_visible_or_404(Objection.objects, request.user, objection_id)
    if not payload.ruling.strip():
        raise ValidationError({"ruling": ["请填写裁定意见。"]})
    return evaluation_services.objection_rule(actor=request.user, objection=objection, **payload.dict())
