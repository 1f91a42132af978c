"""Reads of the supervision app, always through ``Task.objects.visible_to(user)``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, Q

from qiangxian.core.access import get_visible_or_404
from qiangxian.core.formatting import format_money, round_half_up
from qiangxian.core.models import OrgUnit
from qiangxian.statistics import targets as statistics_targets

from .choices import ReportState, TaskStatus
from .models import Meeting, ProgressReport, SourceDocument, SupervisionSettings, Task
from .services.tasks import report_due_on


def task_list(*, user):
    """The tasks the user may see, with their units, for lists and exports."""
    return (
        Task.objects.visible_to(user)
        .select_related("lead_unit", "meeting", "document")
        .prefetch_related("supporting_units")
    )


def access_task_by_id(user, pk) -> Task:
    """The task if the user may see it; the same "not found" for missing and forbidden."""
    return get_visible_or_404(Task.objects.select_related("lead_unit", "meeting", "document"), user, pk)


def meeting_list(*, user):
    """Meetings are the county's common record; every government user of the county reads them."""
    if not getattr(user, "is_authenticated", False) or getattr(user, "role", "") == "enterprise":
        return Meeting.objects.none()
    return Meeting.objects.visible_to(user)


def document_list(*, user):
    """The source documents of the user's county (government users only, like meetings)."""
    if not getattr(user, "is_authenticated", False) or getattr(user, "role", "") == "enterprise":
        return SourceDocument.objects.none()
    return SourceDocument.objects.visible_to(user)


def access_meeting_by_id(user, pk) -> Meeting:
    from django.http import Http404

    meeting = meeting_list(user=user).filter(pk=pk).first() if str(pk).isdigit() else None
    if meeting is None:
        raise Http404("未找到该记录，或您无权查看。")
    return meeting


def _months(start: dt.date, end: dt.date) -> list[dt.date]:
    months, month = [], dt.date(start.year, start.month, 1)
    while month <= end:
        months.append(month)
        month = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return months


@dataclass
class MonthState:
    month: dt.date
    due_on: dt.date
    state: str
    report: ProgressReport | None

    @property
    def label(self) -> str:
        return ReportState(self.state).label


def report_calendar(
    task: Task, *, today: dt.date, settings: SupervisionSettings | None = None
) -> list[MonthState]:
    """Each month from the task's start to now (or its completion): reported on time, late, missing, due."""
    settings = settings or SupervisionSettings.current()
    end = min(today, task.completed_on or today)
    reports = {r.month: r for r in task.reports.all()}
    result = []
    for month in _months(task.starts_on, end):
        due = report_due_on(month, settings.report_day)
        report = reports.get(month)
        if report is not None:
            state = ReportState.ON_TIME if report.on_time else ReportState.LATE
        elif today > due:
            state = ReportState.MISSING
        elif (due - today).days <= settings.remind_days:
            state = ReportState.DUE_SOON
        else:
            state = ReportState.PENDING
        result.append(MonthState(month, due, state, report))
    return result


def reminders(*, user, today: dt.date) -> list[tuple[Task, dt.date]]:
    """Open tasks whose report for this month is due within the reminder days and not yet in."""
    settings = SupervisionSettings.current()
    month = dt.date(today.year, today.month, 1)
    due = report_due_on(month, settings.report_day)
    if not 0 <= (due - today).days <= settings.remind_days:
        return []
    tasks = (
        task_list(user=user)
        .filter(status__in=(TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS, TaskStatus.OVERDUE))
        .exclude(reports__month=month)
    )
    return [(task, due) for task in tasks]


@dataclass
class UnitRecord:
    unit: OrgUnit
    total: int = 0
    on_time: int = 0
    late: int = 0
    overdue: int = 0
    open: int = 0
    reports_due: int = 0
    reports_on_time: int = 0
    score: Decimal = Decimal(0)
    details: list[str] = field(default_factory=list)

    @property
    def report_rate(self) -> Decimal | None:
        if not self.reports_due:
            return None
        return round_half_up(Decimal(self.reports_on_time) * 100 / self.reports_due, 1)


def unit_records(*, user, year: int, today: dt.date) -> list[UnitRecord]:
    """Per lead unit, for tasks due in ``year``: on time, late, overdue, reports on time and the score.

    The score follows the office's method (``SupervisionSettings``): a base, plus a bonus per task
    completed on time, minus a penalty per task completed late, per task overdue and per monthly
    report missing or late.
    """
    settings = SupervisionSettings.current()
    tasks = (
        task_list(user=user)
        .filter(deadline__year=year)
        .prefetch_related(Prefetch("reports", queryset=ProgressReport.objects.order_by("month")))
    )
    records: dict[int, UnitRecord] = {}
    for task in tasks:
        record = records.setdefault(task.lead_unit_id, UnitRecord(task.lead_unit))
        record.total += 1
        if task.completed_on is not None:
            if task.finished_late:
                record.late += 1
            else:
                record.on_time += 1
        elif task.status == TaskStatus.OVERDUE or task.deadline < today:
            record.overdue += 1
        else:
            record.open += 1
        for month in report_calendar(task, today=today, settings=settings):
            if month.state in (ReportState.ON_TIME, ReportState.LATE, ReportState.MISSING):
                record.reports_due += 1
                record.reports_on_time += month.state == ReportState.ON_TIME
    for record in records.values():
        missed = record.reports_due - record.reports_on_time
        record.score = max(
            Decimal(0),
            settings.score_base
            + settings.on_time_bonus * record.on_time
            - settings.late_penalty * record.late
            - settings.overdue_penalty * record.overdue
            - settings.missed_report_penalty * missed,
        )
    return sorted(records.values(), key=lambda r: (-r.score, r.unit.name))


@dataclass
class TargetLine:
    metric: str
    wording: str
    quote: str
    responsible: str
    actual: Decimal | None
    completion: Decimal | None
    status: str
    unit: str

    @property
    def actual_text(self) -> str:
        return amount(self.actual, self.unit)


def amount(value: Decimal | None, unit: str) -> str:
    """A target or an actual as the meeting material writes it: yuan in 亿元/万元, else with its unit."""
    if value is None:
        return "—"
    if unit == "元":
        return format_money(value)
    return f"{value.normalize():f}{unit}"


def meeting_targets(meeting: Meeting, *, month: dt.date) -> list[TargetLine]:
    """The statistics targets confirmed from the meeting's documents, with their progress from the data."""
    lines = []
    sources = meeting.targets.select_related("target", "target__responsible_unit").order_by("pk")
    for source in sources:
        progress = statistics_targets.progress(source.target, month=month)
        lines.append(
            TargetLine(
                metric=source.metric,
                wording=f"{source.strength}{source.metric}{source.comparator}"
                f"{amount(source.target.value, progress.unit)}",
                quote=source.quote,
                responsible=str(source.target.responsible_unit or "—"),
                actual=progress.actual,
                completion=progress.completion,
                status=progress.status_label,
                unit=progress.unit,
            )
        )
    return lines


def meeting_tasks(meeting: Meeting, *, user):
    """Tasks the meeting decided (directly or through its documents) that the user may see."""
    return task_list(user=user).filter(Q(meeting=meeting) | Q(document__meeting=meeting)).distinct()


def latest_report(task: Task) -> ProgressReport | None:
    reports = list(task.reports.all())
    return max(reports, key=lambda r: r.month) if reports else None
