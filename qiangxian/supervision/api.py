"""API of supervision: tasks, reports, meetings and drafting, scoped like the pages."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from qiangxian.core.access import issued_by
from qiangxian.core.params import Date, Id, Pagination, model_bounds

from . import selectors, services
from .drafting import draft
from .filters import TaskFilter
from .models import ProgressReport

router = Router()
MAX_DRAFT_TEXT = 200_000


class TaskOut(Schema):
    id: int
    title: str
    detail: str
    source_kind: str
    meeting_id: int | None
    document_id: int | None
    quote: str
    leader: str
    lead_unit_id: int
    lead_unit_name: str = Field(alias="lead_unit.name")
    supporting_unit_ids: list[int]
    starts_on: dt.date
    deadline: dt.date
    status: str
    status_display: str = Field(alias="get_status_display")
    completed_on: dt.date | None
    closed_on: dt.date | None
    updated_at: dt.datetime
    # Empty for the reader's own level's tasks.
    issued_by: str = Field("", description="上级牵头的督办事项注明层级，如“市级督办事项（测试市发布）”")

    @staticmethod
    def resolve_supporting_unit_ids(obj) -> list[int]:
        return [u.pk for u in obj.supporting_units.all()]

    @staticmethod
    def resolve_issued_by(obj, context) -> str:
        return issued_by(context["request"].user, obj.lead_unit_id, "督办事项")


class TaskFilterIn(Schema):
    q: str | None = Field(None, max_length=100)
    status: str | None = Field(None, max_length=20)
    lead_unit: Id | None = None


class ReportOut(Schema):
    id: int
    month: dt.date
    progress: str
    problems: str
    figure: Decimal | None
    percent_done: int | None
    due_on: dt.date
    submitted_at: dt.datetime
    on_time: bool


@model_bounds(ProgressReport)
class ReportIn(Schema):
    month: Date
    progress: str = Field(..., max_length=5000)
    problems: str = Field("", max_length=5000)
    figure: Decimal | None = None
    percent_done: int | None = Field(None, ge=0, le=100)
    expected_updated_at: dt.datetime | None = None


class CompleteIn(Schema):
    on: Date | None = None
    expected_updated_at: dt.datetime | None = None


class VersionIn(Schema):
    expected_updated_at: dt.datetime | None = None


class MeetingOut(Schema):
    id: int
    title: str
    held_on: dt.date
    attendees: str


class DraftIn(Schema):
    text: str = Field(..., max_length=MAX_DRAFT_TEXT)
    date: Date


class TargetDraftOut(Schema):
    metric: str
    indicator: str | None
    value: str
    upper_value: str | None
    unit: str
    comparator: str
    kind: str
    period: str
    deadline: str | None
    strength: str
    lead_units: list[str]
    supporting_units: list[str]
    leader: str
    scope: str
    above_only: bool
    quote: str


class TaskDraftOut(Schema):
    action: str
    lead_units: list[str]
    supporting_units: list[str]
    leader: str
    deadline: str | None
    quote: str


class DraftOut(Schema):
    targets: list[TargetDraftOut]
    tasks: list[TaskDraftOut]


@router.get("/tasks", response=list[TaskOut], summary="督办事项列表")
@paginate(Pagination)
def list_tasks(request, filters: Query[TaskFilterIn]):
    services.overdue_sweep()
    params = {k: v for k, v in filters.dict().items() if v is not None}
    return TaskFilter(params or None, queryset=selectors.task_list(user=request.user)).qs


@router.get("/tasks/{task_id}", response=TaskOut, summary="督办事项详情")
def get_task(request, task_id: Id):
    return selectors.access_task_by_id(request.user, task_id)


@router.get("/tasks/{task_id}/reports", response=list[ReportOut], summary="月度进展")
def list_reports(request, task_id: Id):
    task = selectors.access_task_by_id(request.user, task_id)
    return list(task.reports.order_by("-month"))


@router.post("/tasks/{task_id}/reports", response={201: ReportOut}, summary="报送月度进展")
def submit_report(request, task_id: Id, payload: ReportIn):
    task = selectors.access_task_by_id(request.user, task_id)
    data = payload.dict()
    report = services.report_submit(actor=request.user, task=task, **data)
    return 201, report


@router.post("/tasks/{task_id}/complete", response=TaskOut, summary="办结")
def complete_task(request, task_id: Id, payload: CompleteIn):
    task = selectors.access_task_by_id(request.user, task_id)
    return services.task_complete(
        actor=request.user,
        task=task,
        on=payload.on or timezone.localdate(),
        expected_updated_at=payload.expected_updated_at,
    )


@router.post("/tasks/{task_id}/close", response=TaskOut, summary="销号")
def close_task(request, task_id: Id, payload: VersionIn):
    task = selectors.access_task_by_id(request.user, task_id)
    return services.task_close(actor=request.user, task=task, expected_updated_at=payload.expected_updated_at)


@router.get("/meetings", response=list[MeetingOut], summary="会议列表")
@paginate(Pagination)
def list_meetings(request):
    return selectors.meeting_list(user=request.user)


@router.post("/draft", response=DraftOut, summary="从文件起草目标和任务（不保存）")
def draft_document(request, payload: DraftIn):
    """Targets and tasks proposed from a document's text, each with its exact quote; nothing is saved."""
    return draft(payload.text, payload.date).as_dict()
