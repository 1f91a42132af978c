"""API of the project pipeline: the same selectors and services as the pages, scoped the same way."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from ninja import Field, FilterSchema, Query, Router, Schema
from ninja.pagination import paginate

from qiangxian.core.filters import filtered_by
from qiangxian.core.models import OrgUnit, User
from qiangxian.core.params import Date, Id, MonthNumber, Pagination, Year, YearMonth, model_bounds
from qiangxian.enterprises.models import Cluster, Enterprise

from . import selectors, services
from .approvals.api import router as approvals_router
from .choices import Stage
from .filters import ProblemFilter, ProgressFilter, ProjectFilter
from .models import Problem, Project, ProjectProgress

router = Router()
router.add_router("/approvals", approvals_router)


# --- schemas -------------------------------------------------------------------------------


class ProjectOut(Schema):
    id: int
    code: str
    name: str
    industrial: bool
    investor_id: int | None
    investor_name: str
    investor_uscc: str
    lead_source: str
    referrer: str
    cluster_id: int | None
    industry_code: str
    park_id: int | None
    zone_id: int | None
    town_id: int | None
    location: str
    total_investment: Decimal
    fixed_asset_investment: Decimal
    plan_year: int | None
    planned_investment: Decimal
    size_class: str
    stage: str
    stage_display: str = Field(alias="get_stage_display")
    stage_on: dt.date | None
    signed_on: dt.date | None
    started_on: dt.date | None
    completed_on: dt.date | None
    producing_on: dt.date | None
    at_capacity_on: dt.date | None
    terminated_on: dt.date | None
    termination_reason: str
    responsible_unit_id: int | None
    liaison_leader_id: int | None
    start_deadline: dt.date | None
    production_deadline: dt.date | None
    committed_intensity: Decimal | None
    committed_output: Decimal | None
    committed_tax: Decimal | None
    committed_jobs: int | None
    land_need_mu: Decimal | None
    building_need_sqm: Decimal | None
    light: str
    light_reasons: list[dict]
    light_month: dt.date | None
    updated_at: dt.datetime


@model_bounds(Project)
class ProjectIn(Schema):
    name: str
    industrial: bool = True
    investor_id: int | None = None
    investor_name: str = ""
    investor_uscc: str = ""
    lead_source: str = "other"
    referrer: str = ""
    cluster_id: int | None = None
    industry_code: str = ""
    park_id: int | None = None
    zone_id: int | None = None
    town_id: int | None = None
    location: str = ""
    total_investment: Decimal = Decimal(0)
    fixed_asset_investment: Decimal = Decimal(0)
    plan_year: Year | None = None
    planned_investment: Decimal = Decimal(0)
    responsible_unit_id: int | None = None
    liaison_leader_id: int | None = None
    start_deadline: dt.date | None = None
    production_deadline: dt.date | None = None
    committed_intensity: Decimal | None = None
    committed_output: Decimal | None = None
    committed_tax: Decimal | None = None
    committed_jobs: int | None = None
    land_need_mu: Decimal | None = None
    building_need_sqm: Decimal | None = None
    description: str = ""
    expected_updated_at: dt.datetime | None = Field(
        None, description="修改时传入读取时的 updated_at，防止覆盖他人修改"
    )


class TransitionIn(Schema):
    target: Stage
    on: Date
    reason: str = ""
    expected_updated_at: dt.datetime | None = None


class ProjectFilterIn(FilterSchema):
    q: str | None = None
    stage: str | None = None
    light: str | None = None
    cluster: int | None = None
    park: int | None = None
    responsible_unit: int | None = None
    size_class: str | None = None
    year: Year | None = None


class ProgressOut(Schema):
    id: int
    project_id: int
    month: dt.date
    completed_investment: Decimal
    completed_to_date: Decimal
    funds_in_place: Decimal
    in_statistics: bool
    notes: str
    batch_id: int | None
    updated_at: dt.datetime


@model_bounds(ProjectProgress)
class ProgressIn(Schema):
    project_id: int
    month: dt.date
    completed_investment: Decimal
    completed_to_date: Decimal | None = None
    funds_in_place: Decimal = Decimal(0)
    in_statistics: bool = False
    notes: str = ""


class ProgressFilterIn(FilterSchema):
    project: Id | None = None
    q: str | None = None
    month: YearMonth | None = None
    year: Year | None = None
    in_statistics: bool | None = None


class ProblemOut(Schema):
    id: int
    project_id: int
    title: str
    description: str
    category: str
    owner_unit_id: int
    raised_on: dt.date
    deadline: dt.date
    status: str
    solved_on: dt.date | None
    solution: str
    updated_at: dt.datetime


@model_bounds(Problem)
class ProblemIn(Schema):
    project_id: int
    title: str
    category: str = "other"
    owner_unit_id: int
    deadline: dt.date
    description: str = ""


@model_bounds(Problem)
class ProblemUpdateIn(Schema):
    title: str | None = None
    category: str | None = None
    owner_unit_id: int | None = None
    deadline: dt.date | None = None
    description: str | None = None
    note: str | None = Field(None, description="追加一条办理进展")
    solution: str | None = Field(None, description="填写即办结")


class ProblemFilterIn(FilterSchema):
    state: str | None = None
    category: str | None = None
    owner_unit: int | None = None
    q: str | None = None


# --- helpers -------------------------------------------------------------------------------


def _resolve(payload: dict) -> dict:
    """Ids from the payload as objects, so the services validate kinds and places."""
    relations = {
        "investor_id": ("investor", Enterprise),
        "cluster_id": ("cluster", Cluster),
        "park_id": ("park", OrgUnit),
        "zone_id": ("zone", OrgUnit),
        "town_id": ("town", OrgUnit),
        "responsible_unit_id": ("responsible_unit", OrgUnit),
        "liaison_leader_id": ("liaison_leader", User),
        "owner_unit_id": ("owner_unit", OrgUnit),
    }
    data = {}
    for key, value in payload.items():
        if key in relations:
            name, model = relations[key]
            data[name] = get_object_or_404(model, pk=value) if value is not None else None
        else:
            data[key] = value
    return data


# --- summary, progress and problems (before /{project_id} so the paths stay distinct) -------


@router.get("/summary", summary="项目总览（与驾驶舱同一口径）")
def summary(request, year: Year, month: MonthNumber):
    data = selectors.dashboard_summary(user=request.user, year=year, month=month)
    return _jsonable(data)


def _jsonable(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


@router.get("/progress", response=list[ProgressOut], summary="月度进度列表")
@paginate(Pagination)
def progress_list(request, filters: Query[ProgressFilterIn]):
    queryset = ProjectProgress.objects.visible_to(request.user)
    if filters.project is not None:
        queryset = queryset.filter(project_id=filters.project)
    filters.project = None
    return filtered_by(ProgressFilter, filters, queryset).order_by("-month", "project_id", "pk")


@router.get("/progress/{progress_id}", response=ProgressOut, summary="月度进度详情")
def progress_detail(request, progress_id: int):
    from qiangxian.core.access import get_visible_or_404

    return get_visible_or_404(ProjectProgress.objects, request.user, progress_id)


@router.post("/progress", response={201: ProgressOut}, summary="填报月度进度")
def progress_create(request, payload: ProgressIn):
    data = payload.dict()
    project = selectors.access_project_by_id(request.user, data.pop("project_id"))
    return 201, services.progress_record(actor=request.user, project=project, **data)


@router.put("/progress/{progress_id}", response=ProgressOut, summary="修改月度进度")
def progress_update(request, progress_id: int, payload: ProgressIn):
    from qiangxian.core.access import get_visible_or_404

    row = get_visible_or_404(ProjectProgress.objects, request.user, progress_id)
    data = payload.dict()
    project = selectors.access_project_by_id(request.user, data.pop("project_id"))
    if project.pk != row.project_id or data["month"].replace(day=1) != row.month:
        raise PermissionDenied("不能修改进度所属的项目或月份。")
    return services.progress_record(actor=request.user, project=project, **data)


@router.get("/problems", response=list[ProblemOut], summary="项目问题列表")
@paginate(Pagination)
def problem_list(request, filters: Query[ProblemFilterIn]):
    return filtered_by(ProblemFilter, filters, selectors.problem_list(user=request.user)).order_by(
        "deadline", "pk"
    )


@router.get("/problems/{problem_id}", response=ProblemOut, summary="项目问题详情")
def problem_detail(request, problem_id: int):
    return selectors.access_problem_by_id(request.user, problem_id)


@router.post("/problems", response={201: ProblemOut}, summary="提出问题并交办")
def problem_create(request, payload: ProblemIn):
    data = _resolve(payload.dict())
    project = selectors.access_project_by_id(request.user, data.pop("project_id"))
    return 201, services.problem_create(actor=request.user, project=project, **data)


@router.put("/problems/{problem_id}", response=ProblemOut, summary="修改、登记进展或办结问题")
def problem_update(request, problem_id: int, payload: ProblemUpdateIn):
    problem = selectors.access_problem_by_id(request.user, problem_id)
    data = _resolve({k: v for k, v in payload.dict().items() if v is not None})
    note, solution = data.pop("note", None), data.pop("solution", None)
    if data:
        problem = services.problem_update(actor=request.user, problem=problem, **data)
    if note:
        services.problem_add_note(actor=request.user, problem=problem, text=note)
    if solution:
        problem = services.problem_solve(actor=request.user, problem=problem, solution=solution)
    if not (data or note or solution):
        raise ValidationError("请至少填写一项修改内容、办理进展或解决方式。")
    return selectors.access_problem_by_id(request.user, problem_id)


# --- projects ------------------------------------------------------------------------------


@router.get("/", response=list[ProjectOut], summary="项目列表（按权限范围）")
@paginate(Pagination)
def project_list(request, filters: Query[ProjectFilterIn]):
    return filtered_by(ProjectFilter, filters, selectors.project_list(user=request.user)).order_by(
        "code", "pk"
    )


@router.get("/{project_id}", response=ProjectOut, summary="项目详情")
def project_detail(request, project_id: int):
    return selectors.access_project_by_id(request.user, project_id)


@router.post("/", response={201: ProjectOut}, summary="登记项目线索")
def project_create(request, payload: ProjectIn):
    data = _resolve(payload.dict())
    data.pop("expected_updated_at", None)
    return 201, services.project_create(actor=request.user, **data)


@router.put("/{project_id}", response=ProjectOut, summary="修改项目")
def project_update(request, project_id: int, payload: ProjectIn):
    project = selectors.access_project_by_id(request.user, project_id)
    data = _resolve(payload.dict())
    version = data.pop("expected_updated_at", None)
    return services.project_update(actor=request.user, project=project, expected_updated_at=version, **data)


@router.post("/{project_id}/transition", response=ProjectOut, summary="变更项目阶段")
def project_transition(request, project_id: int, payload: TransitionIn):
    project = selectors.access_project_by_id(request.user, project_id)
    return services.project_transition(
        actor=request.user,
        project=project,
        target=payload.target,
        on=payload.on,
        reason=payload.reason,
        expected_updated_at=payload.expected_updated_at,
    )
