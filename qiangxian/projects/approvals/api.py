"""API of approval items, templates, regional assessments and units' figures."""

import datetime as dt

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, FilterSchema, Query, Router, Schema
from ninja.pagination import paginate

from qiangxian.core.models import OrgUnit
from qiangxian.core.params import Date, Id, Pagination, Year, model_bounds

from .. import selectors as project_selectors
from . import selectors, services
from .filters import ApprovalItemFilter
from .models import ApprovalItem, ApprovalKind, RegionalAssessment

router = Router()


class ItemOut(Schema):
    id: int
    project_id: int
    kind_id: int
    kind_name: str = Field(alias="kind.name")
    category: str = Field(alias="kind.category")
    unit_id: int | None
    unit_name: str | None = Field(None, alias="unit.name")
    statutory_days: int
    promised_days: int
    submitted_on: dt.date | None
    accepted_on: dt.date | None
    approved_on: dt.date | None
    returned_on: dt.date | None
    return_reason: str
    not_applicable: bool
    na_reason: str
    inherited_from_id: int | None
    documents: str
    status: str
    status_display: str = Field(alias="status_label")
    held_days: int | None = Field(None, description="在办理单位的工作日数（法定节假日已扣除）")
    due_on: dt.date | None = Field(None, description="承诺时限到期日")
    late: str | None = Field(None, description="promised：超承诺时限；statutory：超法定时限")
    updated_at: dt.datetime


@model_bounds(ApprovalItem)
class ItemUpdateIn(Schema):
    unit_id: int | None = None
    statutory_days: int | None = None
    promised_days: int | None = None
    submitted_on: Date | None = None
    accepted_on: Date | None = None
    approved_on: Date | None = None
    returned_on: Date | None = None
    return_reason: str | None = None
    not_applicable: bool | None = None
    na_reason: str | None = None
    documents: str | None = None


class ItemFilterIn(FilterSchema):
    project: Id | None = None
    q: str | None = None
    kind: Id | None = None
    category: str | None = None
    unit: Id | None = None
    stage: str | None = None
    state: str | None = None


class ChecklistIn(Schema):
    project_kind: str | None = None


class KindOut(Schema):
    id: int
    code: str
    name: str
    category: str
    default_unit_id: int | None
    statutory_days: int
    promised_days: int
    phase: int
    regional: bool


class TemplateOut(Schema):
    project_kind: str
    kind_ids: list[Id]


class TemplateIn(Schema):
    kind_ids: list[Id]


class RegionalOut(Schema):
    id: int
    zone_id: int
    kind_id: int
    approved_on: dt.date
    document: str
    valid_until: dt.date | None


@model_bounds(RegionalAssessment)
class RegionalIn(Schema):
    zone_id: int
    kind_id: int
    approved_on: Date
    document: str = ""
    valid_until: Date | None = None


def _annotated(item):
    return selectors.annotate_item(item, timezone.localdate())


@router.get("/items", response=list[ItemOut], summary="审批事项列表（按权限范围）")
@paginate(Pagination)
def item_list(request, filters: Query[ItemFilterIn]):
    queryset = selectors.item_list(user=request.user)
    if filters.project is not None:
        queryset = queryset.filter(project_id=filters.project)
    params = {k: v for k, v in filters.dict().items() if v is not None and k != "project"}
    filterset = ApprovalItemFilter(params, queryset=queryset)
    queryset = filterset.qs if filterset.is_valid() else queryset.none()
    return [_annotated(i) for i in queryset.order_by("project_id", "kind__phase", "position", "pk")]


@router.get("/items/{item_id}", response=ItemOut, summary="审批事项详情")
def item_detail(request, item_id: int):
    return _annotated(selectors.access_item_by_id(request.user, item_id))


@router.put("/items/{item_id}", response=ItemOut, summary="登记审批事项的办理情况")
def item_update(request, item_id: int, payload: ItemUpdateIn):
    item = selectors.access_item_by_id(request.user, item_id)
    data = payload.dict(exclude_unset=True)
    # null for a column that cannot hold it (a yes/no, a text) means "not given"; dates may be cleared.
    for name in [n for n, value in data.items() if value is None and n != "unit_id"]:
        if not ApprovalItem._meta.get_field(name).null:
            data.pop(name)
    if "unit_id" in data:
        unit_id = data.pop("unit_id")
        data["unit"] = get_object_or_404(OrgUnit, pk=unit_id) if unit_id is not None else None
    services.item_update(actor=request.user, item=item, **data)
    return _annotated(selectors.access_item_by_id(request.user, item_id))


@router.post("/projects/{project_id}/checklist", response={201: list[ItemOut]}, summary="按模板生成手续清单")
def checklist_create(request, project_id: int, payload: ChecklistIn):
    project = project_selectors.access_project_by_id(request.user, project_id)
    services.checklist_create(actor=request.user, project=project, project_kind=payload.project_kind)
    return 201, selectors.checklist(project)


@router.get("/kinds", response=list[KindOut], summary="审批事项类型与时限")
def kind_list(request):
    services.ensure_catalogue()
    return list(selectors.kinds())


@model_bounds(ApprovalKind)
class KindIn(Schema):
    statutory_days: int
    promised_days: int
    default_unit_id: int | None = None


@router.put("/kinds/{kind_id}", response=KindOut, summary="修改事项的法定/承诺时限和默认办理单位")
def kind_update(request, kind_id: int, payload: KindIn):
    kind = get_object_or_404(ApprovalKind, pk=kind_id)
    unit = get_object_or_404(OrgUnit, pk=payload.default_unit_id) if payload.default_unit_id else None
    return services.kind_update(
        actor=request.user,
        kind=kind,
        statutory_days=payload.statutory_days,
        promised_days=payload.promised_days,
        default_unit=unit,
    )


@router.get("/templates", response=list[TemplateOut], summary="手续清单模板")
def template_list(request):
    services.ensure_catalogue()
    return [
        {"project_kind": t.project_kind, "kind_ids": [i.kind_id for i in t.items.all()]}
        for t in selectors.templates()
    ]


@router.put("/templates/{project_kind}", response=TemplateOut, summary="设置手续清单模板")
def template_save(request, project_kind: str, payload: TemplateIn):
    template = services.template_save(
        actor=request.user, project_kind=project_kind, kind_ids=payload.kind_ids
    )
    return {"project_kind": template.project_kind, "kind_ids": [i.kind_id for i in template.items.all()]}


@router.get("/regional", response=list[RegionalOut], summary="区域评估")
def regional_list(request):
    return list(selectors.regional_list(user=request.user))


@router.post("/regional", response={201: RegionalOut}, summary="登记区域评估（区内项目继承）")
def regional_create(request, payload: RegionalIn):
    assessment = services.regional_save(
        actor=request.user,
        zone=get_object_or_404(OrgUnit, pk=payload.zone_id),
        kind=get_object_or_404(ApprovalKind, pk=payload.kind_id),
        approved_on=payload.approved_on,
        document=payload.document,
        valid_until=payload.valid_until,
    )
    return 201, assessment


@router.get("/units", summary="办理单位效能与签约至开工分解")
def unit_figures(request, year: Year | None = None):
    def plain(value):
        return round(value, 4) if isinstance(value, float) else value

    units = selectors.unit_performance(user=request.user, year=year)
    breakdown = selectors.signing_to_start(user=request.user, year=year)
    return {
        "year": year,
        "units": [{k: plain(v) for k, v in u.items()} for u in units],
        "signing_to_start": {
            **{k: plain(v) for k, v in breakdown.items() if k != "parts"},
            "parts": [{k: plain(v) for k, v in p.items()} for p in breakdown["parts"]],
        },
    }
