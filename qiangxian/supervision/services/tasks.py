"""Supervised tasks: create, change, report on, complete, close; overdue marks and 督办函."""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django_fsm import TransitionNotAllowed, can_proceed

from qiangxian.core.access import (
    may_change_issued,
    may_issue,
    own_level,
    require_own_level,
    scope_of,
    settings_county_id,
)
from qiangxian.core.choices import OrgUnitKind
from qiangxian.core.concurrency import STALE, same_version
from qiangxian.core.models import OrgUnit

from ..choices import SourceKind, TaskStatus
from ..models import Letter, Milestone, ProgressReport, SupervisionSettings, Task

STALE_MESSAGE = "该督办事项已被他人修改，请刷新页面后重新填写。"
EDITABLE = (
    "title",
    "detail",
    "source_kind",
    "meeting",
    "document",
    "quote",
    "leader",
    "lead_unit",
    "starts_on",
    "deadline",
    "metric",
    "metric_unit",
    "metric_target",
)
UNIT_KINDS = (OrgUnitKind.BUREAU, OrgUnitKind.TOWN, OrgUnitKind.PARK, OrgUnitKind.ZONE, OrgUnitKind.OFFICE)


def can_manage(user) -> bool:
    """The office (and administrators) assign, extend, close tasks and issue letters."""
    return bool(getattr(user, "can_manage", False))


def can_lead(user) -> bool:
    """Tasks (and their deadlines) are assigned by the office of any level: a county's to its
    units, a city's or province's to a unit of its own (``core.access.may_issue``)."""
    return may_issue(user)


def can_change(user, task: Task) -> bool:
    """Whether the user changes, extends, closes or writes letters on this task: the office of the
    level that leads it (a task led above is followed, never changed, below; a county's is read
    by its city)."""
    return may_change_issued(user, task.lead_unit_id)


def can_report(user, task: Task) -> bool:
    """The lead unit's own users report; the office of the task's level may report on a unit's
    behalf (not on a task its city or province leads: that one the county reads)."""
    if can_lead(user):
        return can_change(user, task)
    scope = scope_of(user)
    return scope.unit_id is not None and scope.unit_id == task.lead_unit_id


def _require_manage(actor, task: Task | None = None) -> None:
    if not can_lead(actor):
        raise PermissionDenied("只有领导小组办公室可以执行此操作。")
    if task is not None:
        # A task led by the city or province (and its deadline) is followed, not changed, below;
        # a county's is read, not changed, by its city.
        require_own_level(actor, task.lead_unit_id, "督办事项")


def _lock(task: Task, expected_updated_at) -> Task:
    current = Task.objects.select_for_update().get(pk=task.pk)
    if not same_version(current.updated_at, expected_updated_at):
        raise ValidationError(STALE_MESSAGE, code=STALE)
    return current


def _validate(task: Task, supporting_units, actor=None) -> None:
    errors: dict[str, str] = {}
    if not (task.title or "").strip():
        errors["title"] = "请填写督办事项。"
    if task.lead_unit_id is None:
        errors["lead_unit"] = "请选择牵头单位。"
    elif task.lead_unit.kind not in UNIT_KINDS:
        errors["lead_unit"] = "牵头单位应为部门、乡镇、园区或办公室。"
    elif actor is not None and not own_level(actor, task.lead_unit_id):
        # A city's task is led by a unit of the city; a county unit's tasks are the county's.
        errors["lead_unit"] = "牵头单位应为本级单位。"
    if task.deadline is None:
        errors["deadline"] = "请填写完成时限。"
    elif task.starts_on and task.deadline < task.starts_on:
        errors["deadline"] = "完成时限不能早于开始日期。"
    if supporting_units is not None and task.lead_unit_id in {u.pk for u in supporting_units}:
        errors["supporting_units"] = "牵头单位不必再列为配合单位。"
    if task.source_kind == SourceKind.MEETING and task.meeting_id is None and task.document_id is None:
        errors["meeting"] = "来源为会议时，请选择会议。"
    if task.metric_target is not None and task.metric_target <= 0:
        errors["metric_target"] = "目标值应大于0。"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def task_create(
    *,
    actor,
    title: str,
    lead_unit: OrgUnit,
    deadline: dt.date,
    supporting_units=(),
    detail: str = "",
    source_kind: str = SourceKind.MEETING,
    meeting=None,
    document=None,
    quote: str = "",
    leader: str = "",
    starts_on: dt.date | None = None,
    metric: str = "",
    metric_unit: str = "",
    metric_target: Decimal | None = None,
    milestones: list[tuple[str, dt.date]] = (),
) -> Task:
    """Assign a task to a lead unit (and supporting units) with a deadline and optional milestones."""
    _require_manage(actor)
    task = Task(
        title=(title or "").strip(),
        lead_unit=lead_unit,
        deadline=deadline,
        detail=detail,
        source_kind=source_kind,
        meeting=meeting,
        document=document,
        quote=quote,
        leader=leader,
        starts_on=starts_on or timezone.localdate(),
        metric=metric,
        metric_unit=metric_unit,
        metric_target=metric_target,
        created_by=actor,
    )
    supporting = list(supporting_units)
    _validate(task, supporting, actor)
    task._history_user = actor
    task.save()
    task.supporting_units.set(supporting)
    for name, due in milestones:
        if due > task.deadline:
            raise ValidationError({"milestones": f"节点“{name}”的时限晚于事项的完成时限。"})
        Milestone.objects.create(task=task, title=name, due_on=due)
    return task


@transaction.atomic
def task_update(*, actor, task: Task, expected_updated_at=None, supporting_units=None, **fields) -> Task:
    """Change a task's assignment; refuses to overwrite a change someone else saved meanwhile."""
    _require_manage(actor, task)
    current = _lock(task, expected_updated_at)
    for key, value in fields.items():
        if key in EDITABLE:
            setattr(current, key, value)
    _validate(current, supporting_units, actor)
    # A later deadline lifts the overdue mark; an earlier one is checked by the next sweep.
    if current.status == TaskStatus.OVERDUE and current.deadline >= timezone.localdate():
        current.extend()
    current._history_user = actor
    current.save()
    if supporting_units is not None:
        current.supporting_units.set(supporting_units)
    return current


def report_due_on(month: dt.date, report_day: int | None = None) -> dt.date:
    """The reporting day of a month (the office's setting, capped at the month's length)."""
    day = report_day or SupervisionSettings.current().report_day
    return dt.date(month.year, month.month, min(day, calendar.monthrange(month.year, month.month)[1]))


@transaction.atomic
def report_submit(
    *,
    actor,
    task: Task,
    month: dt.date,
    progress: str,
    problems: str = "",
    figure: Decimal | None = None,
    percent_done: int | None = None,
    attachment=None,
    now: dt.datetime | None = None,
    expected_updated_at=None,
) -> ProgressReport:
    """The lead unit's report for a month (a second report that month replaces the first)."""
    if not can_report(actor, task):
        raise PermissionDenied("只有牵头单位可以报送进展。")
    current = _lock(task, expected_updated_at)
    now = now or timezone.now()
    month = dt.date(month.year, month.month, 1)
    errors = {}
    if not (progress or "").strip():
        errors["progress"] = "请填写进展情况。"
    if current.status == TaskStatus.CLOSED:
        errors["__all__"] = "该事项已销号，不再报送进展。"
    if month < dt.date(current.starts_on.year, current.starts_on.month, 1):
        errors["month"] = "报送月份早于事项开始日期。"
    if month > dt.date(timezone.localtime(now).year, timezone.localtime(now).month, 1):
        errors["month"] = "不能报送未来月份的进展。"
    if percent_done is not None and not 0 <= percent_done <= 100:
        errors["percent_done"] = "完成进度应在0到100之间。"
    if figure is not None and figure < 0:
        errors["figure"] = "完成数不能为负数。"
    if errors:
        raise ValidationError(errors)
    report = ProgressReport.objects.filter(task=current, month=month).first() or ProgressReport(
        task=current, month=month
    )
    report.progress, report.problems = progress.strip(), problems
    report.figure, report.percent_done = figure, percent_done
    if attachment is not None:
        report.attachment = attachment
    if report.pk is None:
        report.submitted_at = now
    report.due_on = report_due_on(month)
    report.submitted_by = actor
    report._history_user = actor
    report.save()
    if can_proceed(current.start):
        current.start()
    current._history_user = actor
    current.save()
    return report


def _transition(actor, task: Task, method: str, expected_updated_at=None, **kwargs) -> Task:
    current = _lock(task, expected_updated_at)
    try:
        getattr(current, method)(**kwargs)
    except TransitionNotAllowed as exc:
        raise ValidationError(
            f"事项当前为“{current.get_status_display()}”，不能执行此操作。", code="invalid_transition"
        ) from exc
    current._history_user = actor
    current.save()
    return current


@transaction.atomic
def task_complete(*, actor, task: Task, on: dt.date | None = None, expected_updated_at=None) -> Task:
    """The lead unit (or the office) declares the task done on a date."""
    if not can_report(actor, task):
        raise PermissionDenied("只有牵头单位或领导小组办公室可以办结事项。")
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise ValidationError({"on": "完成日期不能晚于今天。"})
    if on < task.starts_on:
        raise ValidationError({"on": "完成日期不能早于开始日期。"})
    return _transition(actor, task, "complete", expected_updated_at, on=on)


@transaction.atomic
def task_close(*, actor, task: Task, expected_updated_at=None) -> Task:
    """The office closes (销号) a completed task."""
    _require_manage(actor, task)
    return _transition(actor, task, "close", expected_updated_at, on=timezone.localdate())


@transaction.atomic
def task_reopen(*, actor, task: Task, expected_updated_at=None) -> Task:
    """The office sends a completed task back: it is not done after all."""
    _require_manage(actor, task)
    return _transition(actor, task, "reopen", expected_updated_at)


@transaction.atomic
def task_extend(*, actor, task: Task, deadline: dt.date, expected_updated_at=None) -> Task:
    """The office grants an overdue task a new deadline."""
    _require_manage(actor, task)
    if deadline <= timezone.localdate():
        raise ValidationError({"deadline": "新的完成时限应晚于今天。"})
    current = _transition(actor, task, "extend", expected_updated_at)
    current.deadline = deadline
    current.save()
    return current


def overdue_sweep(*, today: dt.date | None = None) -> int:
    """Mark every open task past its deadline as overdue; returns how many were marked."""
    today = today or timezone.localdate()
    count = 0
    with transaction.atomic():
        stale = Task.objects.select_for_update().filter(
            status__in=(TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS), deadline__lt=today
        )
        for task in stale:
            task.mark_overdue()
            task.save(update_fields=["status", "updated_at"])
            count += 1
    return count


@transaction.atomic
def letter_issue(*, actor, task: Task, reply_days: int = 5, today: dt.date | None = None) -> Letter:
    """Issue a 督办函 for an overdue task; the number runs per year."""
    _require_manage(actor, task)
    today = today or timezone.localdate()
    if task.status != TaskStatus.OVERDUE:
        raise ValidationError("只有逾期的事项可以发督办函。")
    if not 1 <= reply_days <= 60:
        raise ValidationError({"reply_days": "回复时限应在1到60天之间。"})
    seq = Letter.objects.filter(issued_on__year=today.year).count() + 1
    letter = Letter(
        task=task,
        number=f"督办函〔{today.year}〕{seq}号",
        issued_on=today,
        reply_by=today + dt.timedelta(days=reply_days),
        issued_by=actor,
    )
    letter._history_user = actor
    letter.save()
    return letter


@transaction.atomic
def settings_update(*, actor, **fields) -> SupervisionSettings:
    """Change the reporting day, reminders and scoring method."""
    if not actor.can_issue:
        raise PermissionDenied("只有领导小组办公室可以执行此操作。")
    obj = SupervisionSettings.own(settings_county_id(actor))
    for key, value in fields.items():
        setattr(obj, key, value)
    if not 1 <= obj.report_day <= 28:
        raise ValidationError({"report_day": "报送日应在1到28日之间。"})
    if obj.remind_days > 27:
        raise ValidationError({"remind_days": "提前提醒天数不能超过27天。"})
    obj.full_clean()
    obj._history_user = actor
    obj.save()
    return obj


@transaction.atomic
def milestone_save(
    *, actor, task: Task, title: str, due_on: dt.date, milestone: Milestone | None = None
) -> Milestone:
    """Add a milestone to a task or change one; its date must fall within the task's span."""
    _require_manage(actor, task)
    if milestone is not None and milestone.task_id != task.pk:
        raise ValidationError("该节点不属于本督办事项。")
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": "请填写节点名称。"})
    if due_on < task.starts_on or due_on > task.deadline:
        raise ValidationError(
            {"due_on": f"节点时限应在{task.starts_on:%Y-%m-%d}至{task.deadline:%Y-%m-%d}之间。"}
        )
    milestone = milestone or Milestone(task=task)
    milestone.title = title[:200]
    milestone.due_on = due_on
    milestone._history_user = actor
    milestone.save()
    return milestone


@transaction.atomic
def milestone_done(*, actor, milestone: Milestone, on: dt.date | None = None) -> Milestone:
    """The lead unit (or the office) marks a milestone reached; marking again clears it."""
    if not can_report(actor, milestone.task):
        raise PermissionDenied("只有牵头单位或领导小组办公室可以标记节点完成。")
    on = on or timezone.localdate()
    if milestone.done_on is None and on > timezone.localdate():
        raise ValidationError({"on": "完成日期不能晚于今天。"})
    milestone.done_on = None if milestone.done_on else on
    milestone._history_user = actor
    milestone.save()
    return milestone
