"""Pages of supervision: thin, they call selectors and services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.html import format_html

from qiangxian.core.access import (
    issued_by,
    require_own_level,
    scope_of,
    settings_note,
    within_counties,
)
from qiangxian.core.exports import XLSX_MIME, attachment, write_xlsx
from qiangxian.core.forms import apply_validation_error
from qiangxian.core.history import timeline
from qiangxian.core.lists import Column, issued_column, render_list
from qiangxian.core.params import parse_year
from qiangxian.statistics import targets as statistics_targets

from . import documents, selectors, services
from .choices import Comparator, DocumentKind, TargetKind, TaskStatus
from .drafting import draft
from .filters import TaskFilter, units
from .forms import (
    CompleteForm,
    DraftForm,
    ExtendForm,
    LetterForm,
    MeetingForm,
    MilestoneForm,
    ReportForm,
    SettingsForm,
    TaskForm,
)
from .models import Letter

CRUMBS = [("督办", "/supervision/")]
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _version(form) -> dt.datetime | None:
    return parse_datetime(form.cleaned_data.get("version") or "")


def _status_badge(task) -> str:
    return format_html(
        '<span class="badge qx-task-{}" data-status="{}">{}</span>',
        task.status,
        task.status,
        task.get_status_display(),
    )


def _date(value) -> str:
    return value.strftime("%Y-%m-%d") if value else "—"


# --- tasks ------------------------------------------------------------------------------------


def task_list(request):
    services.overdue_sweep()
    today = timezone.localdate()
    columns = [
        Column(
            "title", "督办事项", sort="title", link=lambda t: reverse("supervision:task_detail", args=[t.pk])
        ),
        Column("lead_unit", "牵头单位", sort="lead_unit__name"),
        Column("supporting", "配合单位", value=lambda t: "、".join(u.name for u in t.supporting_units.all())),
        Column("leader", "责任领导", sort="leader"),
        Column("deadline", "完成时限", sort="deadline", display=lambda t: _date(t.deadline)),
        Column(
            "status", "状态", sort="status", value=lambda t: t.get_status_display(), display=_status_badge
        ),
        Column("source", "来源", value=lambda t: str(t.meeting or t.document or t.get_source_kind_display())),
        Column("completed_on", "完成日期", sort="completed_on", display=lambda t: _date(t.completed_on)),
        # A county's task is the county's (whichever bureau leads it); a city's, its leading office's.
        *issued_column(request.user, "督办事项", issuer=lambda t: t.lead_unit.county_id or t.lead_unit_id),
    ]
    return render_list(
        request,
        queryset=selectors.task_list(user=request.user),
        columns=columns,
        template="supervision/task_list.html",
        title="督办事项",
        filterset_class=TaskFilter,
        default_sort="deadline",
        export_name="督办事项",
        extra_context={
            "breadcrumbs": CRUMBS,
            "can_manage": services.can_manage(request.user),
            "can_lead": services.can_lead(request.user),
            "reminders": selectors.reminders(user=request.user, today=today),
        },
    )


def _action_forms(task, request_post=None, which=""):
    version = task.updated_at.isoformat()
    today = timezone.localdate()
    return {
        "report_form": ReportForm(
            request_post if which == "report" else None,
            initial={"version": version, "month": dt.date(today.year, today.month, 1)},
        ),
        "complete_form": CompleteForm(
            request_post if which == "complete" else None, initial={"version": version, "on": today}
        ),
        "extend_form": ExtendForm(request_post if which == "extend" else None, initial={"version": version}),
        "letter_form": LetterForm(request_post if which == "letter" else None),
        "milestone_form": MilestoneForm(request_post if which == "milestone" else None),
    }


def task_detail(request, pk):
    """The task: assignment, milestones, the month-by-month reports, letters and history.

    Its small forms post back here (``action=...``) so their errors show in place.
    """
    services.overdue_sweep()
    task = selectors.access_task_by_id(request.user, pk)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    forms = _action_forms(task, request.POST if action else None, action)
    if action:
        response = _handle_action(request, task, action, forms)
        if response is not None:
            return response
    today = timezone.localdate()
    return render(
        request,
        "supervision/task_detail.html",
        {
            "title": task.title,
            "breadcrumbs": [*CRUMBS, ("督办事项", reverse("supervision:task_list"))],
            "task": task,
            "supporting": list(task.supporting_units.all()),
            "milestones": list(task.milestones.all()),
            "calendar": selectors.report_calendar(task, today=today),
            "reports": list(task.reports.select_related("submitted_by").order_by("-month")),
            "letters": list(task.letters.all()),
            "history": timeline(task),
            "issued_by": issued_by(request.user, task.lead_unit_id, "督办事项"),
            # A task led at another level is followed here, never changed: no button that would
            # lead to 403.
            "can_manage": services.can_change(request.user, task),
            "can_report": services.can_report(request.user, task) and task.status != TaskStatus.CLOSED,
            "today": today,
            **forms,
        },
    )


def _int(raw) -> int:
    """A posted id; anything else matches nothing (404)."""
    try:
        value = int(raw or 0)
    except (TypeError, ValueError):
        return 0
    return value if 0 < value < 2**31 else 0


def _handle_action(request, task, action, forms):
    handlers = {
        "report": (
            "report_form",
            lambda d: services.report_submit(
                actor=request.user,
                task=task,
                month=d["month"],
                progress=d["progress"],
                problems=d["problems"],
                figure=d["figure"],
                percent_done=d["percent_done"],
                attachment=d["attachment"],
                expected_updated_at=parse_datetime(d.get("version") or ""),
            ),
            "已报送本月进展。",
        ),
        "complete": (
            "complete_form",
            lambda d: services.task_complete(
                actor=request.user,
                task=task,
                on=d["on"],
                expected_updated_at=parse_datetime(d.get("version") or ""),
            ),
            "已办结。",
        ),
        "extend": (
            "extend_form",
            lambda d: services.task_extend(
                actor=request.user,
                task=task,
                deadline=d["deadline"],
                expected_updated_at=parse_datetime(d.get("version") or ""),
            ),
            "已调整完成时限。",
        ),
        "letter": (
            "letter_form",
            lambda d: services.letter_issue(actor=request.user, task=task, reply_days=d["reply_days"]),
            "已生成督办函。",
        ),
        "milestone": (
            "milestone_form",
            lambda d: services.milestone_save(
                actor=request.user,
                task=task,
                title=d["title"],
                due_on=d["due_on"],
                milestone=task.milestones.filter(pk=d["milestone"]).first() if d["milestone"] else None,
            ),
            "已保存节点。",
        ),
    }
    simple = {
        "close": (services.task_close, "已销号。"),
        "reopen": (services.task_reopen, "已退回重办。"),
    }
    try:
        if action == "milestone_done":
            milestone = get_object_or_404(task.milestones, pk=_int(request.POST.get("milestone")))
            services.milestone_done(actor=request.user, milestone=milestone)
            messages.success(request, "已更新节点完成情况。")
            return redirect("supervision:task_detail", pk=task.pk)
        if action in simple:
            function, message = simple[action]
            function(
                actor=request.user,
                task=task,
                expected_updated_at=parse_datetime(request.POST.get("version", "")),
            )
            messages.success(request, message)
            return redirect("supervision:task_detail", pk=task.pk)
        if action not in handlers:
            return None
        form_key, call, message = handlers[action]
        form = forms[form_key]
        if action == "report":
            form = ReportForm(request.POST, request.FILES)
            forms["report_form"] = form
        if not form.is_valid():
            return None
        try:
            call(form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
            return None
        messages.success(request, message)
        return redirect("supervision:task_detail", pk=task.pk)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    except PermissionDenied as error:
        messages.error(request, str(error))
    return None


def task_edit(request, pk=None):
    if not services.can_lead(request.user):
        raise PermissionDenied("只有领导小组办公室可以登记督办事项。")
    task = selectors.access_task_by_id(request.user, pk) if pk else None
    if task is not None:
        require_own_level(request.user, task.lead_unit_id, "督办事项")
    initial = {"starts_on": timezone.localdate()}
    if task:
        initial = {
            "version": task.updated_at.isoformat(),
            **{
                f: getattr(task, f)
                for f in (
                    "title",
                    "detail",
                    "lead_unit",
                    "leader",
                    "starts_on",
                    "deadline",
                    "source_kind",
                    "meeting",
                    "document",
                    "quote",
                    "metric",
                    "metric_unit",
                    "metric_target",
                )
            },
            "supporting_units": list(task.supporting_units.all()),
        }
    form = TaskForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.service_data()
        try:
            if task:
                task = services.task_update(
                    actor=request.user, task=task, expected_updated_at=_version(form), **data
                )
            else:
                task = services.task_create(actor=request.user, **data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"已保存督办事项“{task.title}”。")
            return redirect("supervision:task_detail", pk=task.pk)
    return render(
        request,
        "core/form_page.html",
        {
            "title": f"编辑：{task.title}" if task else "登记督办事项",
            "form": form,
            "cancel_url": reverse("supervision:task_detail", args=[task.pk])
            if task
            else reverse("supervision:task_list"),
            "breadcrumbs": CRUMBS,
        },
    )


def letter_download(request, pk):
    letter = get_object_or_404(Letter.objects.select_related("task"), pk=pk)
    selectors.access_task_by_id(request.user, letter.task_id)
    content = documents.letter_document(letter)
    return attachment(content, f"{letter.number}.docx", DOCX_MIME)


def report_attachment(request, pk, report_pk):
    task = selectors.access_task_by_id(request.user, pk)
    report = get_object_or_404(task.reports, pk=report_pk)
    if not report.attachment:
        raise PermissionDenied("该报送没有附件。")
    name = report.attachment.name.rsplit("/", 1)[-1]
    with report.attachment.open("rb") as handle:
        return attachment(handle.read(), name, "application/octet-stream")


# --- meetings ---------------------------------------------------------------------------------


def meeting_list(request):
    columns = [
        Column("held_on", "会议日期", sort="held_on", display=lambda m: _date(m.held_on)),
        Column(
            "title",
            "会议名称",
            sort="title",
            link=lambda m: reverse("supervision:meeting_detail", args=[m.pk]),
        ),
        Column("attendees", "参会人员"),
    ]
    return render_list(
        request,
        queryset=selectors.meeting_list(user=request.user),
        columns=columns,
        template="supervision/meeting_list.html",
        title="会议",
        default_sort="-held_on",
        export_name="会议",
        extra_context={"breadcrumbs": CRUMBS, "can_manage": services.can_manage(request.user)},
    )


def _meeting_rows(meeting, user, month):
    tasks = list(selectors.meeting_tasks(meeting, user=user))
    task_rows = []
    for i, task in enumerate(tasks, start=1):
        report = selectors.latest_report(task)
        task_rows.append(
            [
                str(i),
                task.title,
                task.lead_unit.name,
                "、".join(u.name for u in task.supporting_units.all()),
                _date(task.deadline),
                task.get_status_display(),
                f"{report.month:%Y年%m月}：{report.progress}" if report else "未报送",
                task.quote,
            ]
        )
    targets = selectors.meeting_targets(meeting, month=month)
    target_rows = [
        [
            str(i),
            t.wording,
            t.responsible,
            selectors.amount(t.actual, t.unit),
            "—" if t.completion is None else f"{t.completion * 100:.1f}%",
            t.status,
            t.quote,
        ]
        for i, t in enumerate(targets, start=1)
    ]
    return tasks, targets, task_rows, target_rows


def meeting_detail(request, pk):
    meeting = selectors.access_meeting_by_id(request.user, pk)
    today = timezone.localdate()
    month = dt.date(today.year, today.month, 1)
    tasks, targets, task_rows, target_rows = _meeting_rows(meeting, request.user, month)
    export = request.GET.get("export")
    if export == "xlsx":
        import io

        buffer = io.BytesIO()
        write_xlsx(
            buffer,
            sheets=[
                ("目标任务", documents.TARGET_HEADERS, target_rows),
                ("督办事项", documents.PROGRESS_HEADERS, task_rows),
            ],
        )
        return attachment(buffer.getvalue(), f"{meeting.title}议定事项推进情况.xlsx", XLSX_MIME)
    if export == "docx":
        content = documents.meeting_document(meeting, task_rows=task_rows, target_rows=target_rows)
        return attachment(content, f"{meeting.title}议定事项推进情况.docx", DOCX_MIME)
    return render(
        request,
        "supervision/meeting_detail.html",
        {
            "title": meeting.title,
            "breadcrumbs": [*CRUMBS, ("会议", reverse("supervision:meeting_list"))],
            "meeting": meeting,
            "tasks": tasks,
            "targets": targets,
            "documents": list(meeting.documents.all()),
            "history": timeline(meeting),
            "can_manage": services.can_manage(request.user),
        },
    )


def meeting_edit(request, pk=None):
    if not services.can_manage(request.user):
        raise PermissionDenied("只有领导小组办公室可以登记会议。")
    meeting = selectors.access_meeting_by_id(request.user, pk) if pk else None
    initial = {f: getattr(meeting, f) for f in ("title", "held_on", "attendees", "note")} if meeting else {}
    form = MeetingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_save(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"已保存会议“{meeting.title}”。")
            return redirect("supervision:meeting_detail", pk=meeting.pk)
    return render(
        request,
        "core/form_page.html",
        {
            "title": "登记会议" if meeting is None else f"编辑：{meeting.title}",
            "form": form,
            "cancel_url": reverse("supervision:meeting_list"),
            "breadcrumbs": CRUMBS,
        },
    )


# --- drafting ---------------------------------------------------------------------------------


def draft_start(request):
    """Paste or upload a document; it is kept and its proposals shown for review."""
    if not services.can_manage(request.user):
        raise PermissionDenied("只有领导小组办公室可以从文件起草目标和任务。")
    form = DraftForm(
        request.POST or None,
        request.FILES or None,
        initial={"doc_date": timezone.localdate(), "kind": DocumentKind.SPEECH},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            text = data["text"]
            if data.get("file"):
                text = services.drafts.read_upload(data["file"].name, data["file"].read())
            document = services.document_create(
                actor=request.user,
                title=data["title"],
                kind=data["kind"],
                doc_date=data["doc_date"],
                text=text,
                meeting=data.get("meeting"),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            return redirect("supervision:draft_review", pk=document.pk)
    return render(
        request,
        "supervision/draft.html",
        {"title": "从文件起草目标和任务", "form": form, "breadcrumbs": CRUMBS},
    )


def _decimal(raw: str) -> Decimal | None:
    try:
        value = Decimal((raw or "").strip())
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _unit_by_name(name: str, unit_list):
    """The org unit a drafted name refers to ("县经信局" → 经信局)."""
    name = (name or "").strip()
    for prefix in ("县", "XX州", "XX县", "××"):
        if name.startswith(prefix) and len(name) > len(prefix) + 1:
            name = name[len(prefix) :]
    for unit in unit_list:
        if unit.name == name or unit.name.endswith(name) or name.endswith(unit.name):
            return unit
    return None


def draft_review(request, pk):
    """Each proposal with its sentence: the officer confirms, edits or drops it."""
    if not services.can_manage(request.user):
        raise PermissionDenied("只有领导小组办公室可以确认起草结果。")
    document = get_object_or_404(selectors.document_list(user=request.user), pk=pk)
    proposals = draft(document.text, document.doc_date)
    unit_list = list(within_counties(units(), scope_of(request.user)))  # the county's own units
    errors: list[str] = []
    if request.method == "POST":
        created = 0
        for i, item in enumerate(proposals.targets):
            if request.POST.get(f"t{i}-confirm") != "on":
                continue
            try:
                services.draft_confirm_target(
                    actor=request.user,
                    document=document,
                    quote=item.quote,
                    metric=request.POST.get(f"t{i}-metric", item.metric).strip()[:100],
                    value=_decimal(request.POST.get(f"t{i}-value", "")),
                    unit=request.POST.get(f"t{i}-unit", item.unit).strip()[:20],
                    comparator=request.POST.get(f"t{i}-comparator", item.comparator),
                    kind=request.POST.get(f"t{i}-kind", item.kind),
                    indicator=request.POST.get(f"t{i}-indicator") or None,
                    strength=item.strength,
                    year=int(item.period[:4]),
                    deadline=parse_date(item.deadline or ""),
                    responsible_unit=next(
                        (u for u in unit_list if str(u.pk) == request.POST.get(f"t{i}-unit_id")), None
                    ),
                    leader=item.leader,
                    above_only=item.above_only,
                )
                created += 1
            except ValidationError as error:
                errors.append(f"目标“{item.metric}”：{'；'.join(error.messages)}")
        for i, item in enumerate(proposals.tasks):
            if request.POST.get(f"k{i}-confirm") != "on":
                continue
            try:
                services.draft_confirm_task(
                    actor=request.user,
                    document=document,
                    quote=item.quote,
                    action=request.POST.get(f"k{i}-action", item.action).strip()[:300],
                    lead_unit=next(
                        (u for u in unit_list if str(u.pk) == request.POST.get(f"k{i}-unit_id")), None
                    ),
                    deadline=parse_date(request.POST.get(f"k{i}-deadline", ""))
                    or dt.date(document.doc_date.year, 12, 31),
                    leader=item.leader,
                )
                created += 1
            except ValidationError as error:
                errors.append(f"任务“{item.action[:20]}”：{'；'.join(error.messages)}")
        if not errors:
            messages.success(request, f"已确认 {created} 项目标和任务。")
            if document.meeting_id:
                return redirect("supervision:meeting_detail", pk=document.meeting_id)
            return redirect("supervision:task_list")
    rows_t = [
        {
            "i": i,
            "item": t,
            "unit": _unit_by_name((t.lead_units or [""])[0], unit_list),
            "indicator_known": bool(t.indicator and statistics_targets.known_indicator(t.indicator)),
        }
        for i, t in enumerate(proposals.targets)
    ]
    rows_k = [
        {"i": i, "item": t, "unit": _unit_by_name((t.lead_units or [""])[0], unit_list)}
        for i, t in enumerate(proposals.tasks)
    ]
    return render(
        request,
        "supervision/draft_review.html",
        {
            "title": f"确认起草结果：{document.title}",
            "breadcrumbs": CRUMBS,
            "document": document,
            "targets": rows_t,
            "tasks": rows_k,
            "units": unit_list,
            "errors": errors,
            "comparators": Comparator.choices,
            "kinds": TargetKind.choices,
            "indicators": statistics_targets.target_choices(),
        },
    )


# --- units and settings -----------------------------------------------------------------------


def unit_record(request):
    today = timezone.localdate()
    year = parse_year(request.GET.get("year"), today.year)
    records = selectors.unit_records(user=request.user, year=year, today=today)
    headers = [
        "单位",
        "事项数",
        "按期完成",
        "逾期完成",
        "逾期未完成",
        "推进中",
        "应报次数",
        "按时报送",
        "按时报送率（%）",
        "得分",
    ]
    rows = [
        [
            r.unit.name,
            r.total,
            r.on_time,
            r.late,
            r.overdue,
            r.open,
            r.reports_due,
            r.reports_on_time,
            r.report_rate,
            r.score,
        ]
        for r in records
    ]
    if request.GET.get("export") == "xlsx":
        import io

        buffer = io.BytesIO()
        write_xlsx(
            buffer,
            sheets=[(f"{year}年督办考核", headers, rows)],
            notes=[
                "得分 = 基础分 + 按期完成加分 − 逾期完成扣分 − 逾期未完成扣分 − 缺报/迟报扣分，"
                "参数见“督办参数”。"
            ],
        )
        return attachment(buffer.getvalue(), f"{year}年督办考核.xlsx", XLSX_MIME)
    return render(
        request,
        "supervision/units.html",
        {
            "title": "单位督办考核",
            "breadcrumbs": CRUMBS,
            "records": records,
            "year": year,
            "years": list(range(today.year - 3, today.year + 2)),
        },
    )


def settings_page(request):
    if not request.user.can_issue:
        raise PermissionDenied("只有领导小组办公室可以修改督办参数。")
    from .models import SupervisionSettings

    row = SupervisionSettings.current()
    form = SettingsForm(request.POST or None, instance=row)
    if request.method == "POST" and form.is_valid():
        try:
            services.settings_update(
                actor=request.user, **{f: form.cleaned_data[f] for f in form.Meta.fields}
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "已保存督办参数。")
            return redirect("supervision:settings")
    return render(
        request,
        "core/form_page.html",
        {
            "title": "督办参数",
            "intro": settings_note(row, request.user, "督办参数"),
            "form": form,
            "cancel_url": reverse("supervision:task_list"),
            "breadcrumbs": CRUMBS,
        },
    )
