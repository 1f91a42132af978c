"""Pages of the project pipeline: thin, they call selectors and services."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from qiangxian.core import fragments
from qiangxian.core.access import settings_note
from qiangxian.core.exports import attachment
from qiangxian.core.forms import apply_validation_error
from qiangxian.core.history import timeline
from qiangxian.core.lists import Column, render_list
from qiangxian.core.models import OrgUnit
from qiangxian.core.params import parse_year
from qiangxian.enterprises.models import Cluster

from . import importers, selectors, services
from .approvals import importer as approval_importer
from .approvals import views as approval_views
from .choices import LEAD_STAGES, BatchStatus, ImportKind, ProblemStatus, Stage
from .filters import ProblemFilter, ProgressFilter, ProjectFilter
from .forms import (
    AssessForm,
    ImportForm,
    NoteForm,
    OwnerForm,
    ProblemForm,
    ProgressForm,
    ProjectForm,
    RecomputeForm,
    SettingsForm,
    SolveForm,
    TargetForm,
    TransitionForm,
)
from .models import ProgressImportBatch, ProjectTarget

CRUMBS = [("项目", "/projects/")]


def evaluation_month(request) -> tuple[int, int]:
    """The month pages report on: ?month=YYYY-MM, else the office's evaluation month, else last month."""
    value = request.GET.get("month", "")
    try:
        year, month = (int(p) for p in value.split("-")[:2])
        if 2000 <= year <= 2100 and 1 <= month <= 12:
            return year, month
    except ValueError:
        pass
    settings = services.project_settings()
    if settings.lights_month:
        return settings.lights_month.year, settings.lights_month.month
    return services.default_evaluation_month()


def _link(p):
    return reverse("projects:detail", args=[p.pk])


def _light_col():
    return Column(
        "light",
        "灯号",
        sort="light",
        value=lambda p: p.get_light_display(),
        display=lambda p: format_html(
            '<span class="qx-light qx-light-{}" data-light="{}"></span> {}',
            p.light,
            p.light,
            p.get_light_display(),
        ),
    )


def _date_col(key, label, sort=None):
    return Column(
        key,
        label,
        sort=sort,
        display=lambda o: getattr(o, key).strftime("%Y-%m-%d") if getattr(o, key, None) else "—",
    )


def _money_col(key, label, attr=None, sort=None):
    attr = attr or key
    # The page shows 万元/亿元; the export keeps exact yuan and says so in its header.
    return Column(
        key,
        label.replace("（元）", ""),
        export_label=label,
        sort=sort,
        numeric=True,
        value=lambda o: getattr(o, attr),
        money=True,
    )


# --- overview, board and lists -------------------------------------------------------------


def overview(request):
    """The projects summary: the same figures the dashboard embeds."""
    services.lights_refresh_if_stale()
    year, month = evaluation_month(request)
    summary = selectors.dashboard_summary(user=request.user, year=year, month=month)
    return render(
        request,
        "projects/overview.html",
        {
            "title": "项目",
            "summary": summary,
            "month_value": f"{year}-{month:02d}",
            "overdue_problems": selectors.overdue_problems(user=request.user).count(),
            "overdue_leads": len(selectors.overdue_leads(user=request.user)),
            "can_create": services.can_edit_project(request.user),
            "can_manage": services.can_manage_settings(request.user),
        },
    )


def pipeline(request):
    """The board: one column per stage with counts and the most urgent cards."""
    services.lights_refresh_if_stale()
    # The same for every reader of a scope (a bureau's also holds the projects at its desk):
    # kept until a project, its progress, problems, approvals or the lights change.
    key = fragments.fragment_key(
        "projects-pipeline",
        request,
        # Besides the projects: unit and cluster names (the cards and the filter's choices).
        version=selectors.dashboard_summary_version(OrgUnit, Cluster),
        extra=[services.can_manage_settings(request.user), services.can_edit_project(request.user)],
    )
    content = fragments.cached(key, lambda: _pipeline_body(request), request)
    return render(
        request, "projects/pipeline.html", {"title": "项目看板", "breadcrumbs": CRUMBS, "content": content}
    )


def _pipeline_body(request) -> str:
    queryset = selectors.project_list(user=request.user)
    filterset = ProjectFilter(request.GET or None, queryset=queryset, request=request)
    if filterset.is_bound and filterset.is_valid():
        queryset = filterset.qs
    settings = services.project_settings()
    return fragments.render(
        "projects/_pipeline.html",
        {
            "title": "项目看板",
            "breadcrumbs": CRUMBS,
            "filter": filterset,
            "columns": selectors.pipeline_board(queryset=queryset),
            "settings": settings,
            "recompute_form": RecomputeForm(
                initial={"month": f"{settings.lights_month:%Y-%m}"} if settings.lights_month else None
            ),
            "can_manage": services.can_manage_settings(request.user),
            "can_create": services.can_edit_project(request.user),
        },
        request,
    )


def _blocker_cols():
    def blocker(p):
        return p.approval_blocker or {}

    return [
        Column(
            "blocker",
            "卡点手续",
            value=lambda p: blocker(p).get("name", ""),
            display=lambda p: format_html(
                '<span data-testid="blocker">{}</span>{}',
                blocker(p).get("name") or "—",
                mark_safe(' <span class="badge text-bg-danger">超时</span>')
                if blocker(p).get("late")
                else "",
            ),
        ),
        Column("blocker_unit", "卡在", value=lambda p: blocker(p).get("holder", "")),
        Column(
            "blocker_days",
            "已办理（工作日）",
            numeric=True,
            value=lambda p: (
                blocker(p).get("days") if blocker(p).get("status") not in (None, "waiting") else None
            ),
        ),
        Column(
            "blocker_limit",
            "承诺时限（工作日）",
            numeric=True,
            value=lambda p: blocker(p).get("promised_days"),
        ),
        Column(
            "approvals_done",
            "预计手续办结",
            value=lambda p: blocker(p).get("forecast") or "",
        ),
    ]


def project_list(request):
    services.lights_refresh_if_stale()
    year, month = evaluation_month(request)
    month = services.data_month(year, month)
    queryset = selectors.annotate_investment(
        selectors.project_list(user=request.user), year=year, month=month
    )
    columns = [
        Column("code", "项目编号", sort="code"),
        Column("name", "项目名称", sort="name", link=_link),
        Column("investor", "投资方", value=lambda p: p.investor_display),
        Column("stage", "阶段", sort="stage", value=lambda p: p.get_stage_display()),
        _light_col(),
        Column(
            "light_reasons",
            "灯号原因",
            value=lambda p: "；".join(p.light_texts),
            export=True,
            display=lambda p: "；".join(p.light_texts) or "—",
        ),
        Column("cluster", "产业集群", sort="cluster__name"),
        Column("park", "园区", sort="park__name"),
        Column("responsible_unit", "责任单位", sort="responsible_unit__name"),
        Column("size_class", "规模", sort="size_class", value=lambda p: p.get_size_class_display()),
        _money_col("total_investment", "总投资（元）", sort="total_investment"),
        _money_col("ytd_completed", f"{year}年1-{month}月完成投资（元）", sort="ytd_completed"),
        _money_col("ytd_funds", f"{year}年1-{month}月到位资金（元）", sort="ytd_funds"),
        _date_col("signed_on", "签约日期", sort="signed_on"),
        _date_col("started_on", "开工日期", sort="started_on"),
    ]
    return render_list(
        request,
        queryset=queryset,
        columns=columns,
        template="projects/list.html",
        title="项目列表",
        filterset_class=ProjectFilter,
        default_sort="-total_investment",
        export_name="项目列表",
        extra_context={
            "breadcrumbs": CRUMBS,
            "can_create": services.can_edit_project(request.user),
            "period": f"{year}年1-{month}月",
        },
    )


def signed_not_started(request):
    services.lights_refresh_if_stale()
    today = timezone.localdate()
    columns = [
        Column("code", "项目编号", sort="code"),
        Column("name", "项目名称", sort="name", link=_link),
        Column("investor", "投资方", value=lambda p: p.investor_display),
        _money_col("total_investment", "总投资（元）", sort="total_investment"),
        _date_col("signed_on", "签约日期", sort="signed_on"),
        Column(
            "days",
            "签约至今（天）",
            numeric=True,
            value=lambda p: (today - p.signed_on).days if p.signed_on else None,
        ),
        _date_col("start_deadline", "约定开工日期", sort="start_deadline"),
        _light_col(),
        *_blocker_cols(),
        Column("light_reasons", "原因", value=lambda p: "；".join(p.light_texts)),
        Column("responsible_unit", "责任单位", sort="responsible_unit__name"),
        Column("liaison_leader", "包联领导"),
    ]
    return render_list(
        request,
        queryset=selectors.project_list(user=request.user).filter(stage=Stage.SIGNED),
        columns=columns,
        template="projects/list.html",
        title="签约未开工项目",
        filterset_class=ProjectFilter,
        default_sort="signed_on",
        export_name="签约未开工项目",
        extra_context={"breadcrumbs": CRUMBS},
    )


def progress_list(request):
    columns = [
        Column("project__code", "项目编号", sort="project__code"),
        Column("project", "项目名称", sort="project__name", link=lambda r: _link(r.project)),
        Column("month", "月份", sort="month", value=lambda r: r.month.strftime("%Y-%m")),
        _money_col("completed_investment", "本月完成投资（元）", sort="completed_investment"),
        _money_col("completed_to_date", "累计完成投资（元）", sort="completed_to_date"),
        _money_col("funds_in_place", "本月到位资金（元）", sort="funds_in_place"),
        Column("in_statistics", "已入库", sort="in_statistics"),
        Column("notes", "进展情况"),
    ]
    return render_list(
        request,
        queryset=selectors.ProjectProgress.objects.visible_to(request.user).select_related("project"),
        columns=columns,
        template="projects/list.html",
        title="月度进度",
        filterset_class=ProgressFilter,
        default_sort="-month",
        export_name="项目月度进度",
        extra_context={"breadcrumbs": CRUMBS},
    )


# --- one project ---------------------------------------------------------------------------


def _version(form):
    return parse_datetime(form.cleaned_data.get("version") or "")


def project_detail(request, pk):
    """The project page; its small forms post back here so their errors show in place."""
    services.lights_refresh_if_stale()
    project = selectors.access_project_by_id(request.user, pk)
    can_edit = services.can_edit_project(request.user, project)
    action = request.POST.get("action") if request.method == "POST" else None
    # Item dates may also be recorded by the approving unit's own staff (checked by the service).
    if action and action != "item" and not can_edit:
        raise PermissionDenied("您无权修改该项目。")
    done, approvals = approval_views.detail_section(request, project, action, can_edit)
    if done is not None:
        return done
    choices = services.next_stages(project)
    forms = {
        "transition": TransitionForm(
            request.POST if action == "transition" else None,
            choices=choices,
            initial={"version": project.updated_at.isoformat()},
        ),
        "progress": ProgressForm(request.POST if action == "progress" else None),
        "problem": ProblemForm(request.POST if action == "problem" else None),
        "owner": OwnerForm(request.POST if action == "owner" else None),
        "assess": AssessForm(request.POST if action == "assess" else None),
    }
    if action in forms and forms[action].is_valid():
        form = forms[action]
        data = form.cleaned_data
        try:
            if action == "transition":
                services.project_transition(
                    actor=request.user,
                    project=project,
                    target=data["target"],
                    on=data["on"],
                    reason=data["reason"],
                    expected_updated_at=_version(form),
                )
                message = f"已变更为“{Stage(data['target']).label}”。"
            elif action == "progress":
                services.progress_record(actor=request.user, project=project, **form.service_data())
                message = f"已保存 {data['month']:%Y-%m} 的进度。"
            elif action == "problem":
                services.problem_create(actor=request.user, project=project, **data)
                message = f"已提出问题，交{data['owner_unit']}办理。"
            elif action == "owner":
                services.lead_assign_owner(actor=request.user, project=project, owner=data["owner"])
                message = "已落实线索责任人。"
            else:
                services.lead_assess(actor=request.user, project=project, assessment=data["assessment"])
                message = "已登记研判意见。"
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, message)
            return redirect("projects:detail", pk=project.pk)
    year, month = evaluation_month(request)
    settings = services.project_settings()
    owner_due, assess_due = selectors.lead_deadlines(project, settings)
    return render(
        request,
        "projects/detail.html",
        {
            "title": project.name,
            "breadcrumbs": CRUMBS,
            "project": project,
            "can_edit": can_edit,
            "forms": forms,
            "active_form": action or ("item" if request.GET.get("tab") == "approvals" else None),
            "investment": selectors.project_investment(project, year=year, month=month),
            "stage_changes": selectors.stage_changes(project),
            "progress": list(selectors.progress_rows(project).order_by("-month")),
            "chart": selectors.progress_chart(project),
            "problems": project.problems.select_related("owner_unit").order_by("status", "deadline"),
            "today": timezone.localdate(),
            "history": timeline(project),
            "is_lead": project.stage in LEAD_STAGES,
            "owner_due": owner_due,
            "assess_due": assess_due,
            **approvals,
        },
    )


def project_edit(request, pk=None):
    project = selectors.access_project_by_id(request.user, pk) if pk else None
    if not services.can_edit_project(request.user, project):
        raise PermissionDenied("您无权登记或修改该项目。")
    form = ProjectForm(request.POST or None, project=project)
    if request.method == "POST" and form.is_valid():
        try:
            if project:
                project = services.project_update(
                    actor=request.user,
                    project=project,
                    expected_updated_at=_version(form),
                    **form.service_data(),
                )
            else:
                project = services.project_create(actor=request.user, **form.service_data())
        except ValidationError as error:
            apply_validation_error(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"已保存项目“{project.name}”。")
            return redirect("projects:detail", pk=project.pk)
    return render(
        request,
        "core/form_page.html",
        {
            "title": f"编辑：{project.name}" if project else "登记项目线索",
            "form": form,
            "cancel_url": reverse("projects:detail", args=[project.pk])
            if project
            else reverse("projects:list"),
            "breadcrumbs": CRUMBS,
        },
    )


# --- problems and leads --------------------------------------------------------------------


def problem_list(request):
    today = timezone.localdate()
    columns = [
        Column("title", "问题", sort="title", link=lambda p: reverse("projects:problem_detail", args=[p.pk])),
        Column("project", "项目", sort="project__name", link=lambda p: _link(p.project)),
        Column("category", "类别", sort="category", value=lambda p: p.get_category_display()),
        Column("owner_unit", "责任单位", sort="owner_unit__name"),
        _date_col("raised_on", "提出日期", sort="raised_on"),
        _date_col("deadline", "办结时限", sort="deadline"),
        Column(
            "status",
            "状态",
            sort="status",
            value=lambda p: (
                "已超期" if p.status == ProblemStatus.OPEN and p.deadline < today else p.get_status_display()
            ),
        ),
        _date_col("solved_on", "解决日期", sort="solved_on"),
        Column("solution", "解决方式"),
    ]
    return render_list(
        request,
        queryset=selectors.problem_list(user=request.user),
        columns=columns,
        template="projects/problem_list.html",
        title="项目问题（把脉问诊）",
        filterset_class=ProblemFilter,
        default_sort="deadline",
        export_name="项目问题",
        extra_context={"breadcrumbs": CRUMBS, "by_unit": selectors.overdue_by_unit(user=request.user)},
    )


def problem_detail(request, pk):
    problem = selectors.access_problem_by_id(request.user, pk)
    can_handle = services.can_handle_problem(request.user, problem)
    action = request.POST.get("action") if request.method == "POST" else None
    if action and not can_handle:
        raise PermissionDenied("您无权办理该问题。")
    note_form = NoteForm(request.POST if action == "note" else None)
    solve_form = SolveForm(request.POST if action == "solve" else None)
    form = {"note": note_form, "solve": solve_form}.get(action)
    if form is not None and form.is_valid():
        try:
            if action == "note":
                services.problem_add_note(actor=request.user, problem=problem, text=form.cleaned_data["text"])
            else:
                services.problem_solve(
                    actor=request.user, problem=problem, solution=form.cleaned_data["solution"]
                )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "已登记办理进展。" if action == "note" else "问题已办结。")
            return redirect("projects:problem_detail", pk=problem.pk)
    return render(
        request,
        "projects/problem_detail.html",
        {
            "title": problem.title,
            "breadcrumbs": [*CRUMBS, ("项目问题", reverse("projects:problems"))],
            "problem": problem,
            "notes": problem.notes.select_related("author"),
            "can_handle": can_handle,
            "note_form": note_form,
            "solve_form": solve_form,
            "history": timeline(problem),
            "overdue": problem.status == ProblemStatus.OPEN and problem.deadline < timezone.localdate(),
        },
    )


def leads_overdue(request):
    return render(
        request,
        "projects/leads_overdue.html",
        {
            "title": "超期线索",
            "breadcrumbs": CRUMBS,
            "leads": selectors.overdue_leads(user=request.user),
            "settings": services.project_settings(),
        },
    )


# --- imports -------------------------------------------------------------------------------


def import_page(request):
    if not services.can_edit_project(request.user):
        raise PermissionDenied("您无权导入项目进度。")
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        batch = importers.stage_file(user=request.user, file_name=upload.name, content=upload.read())
        return redirect("projects:batch", pk=batch.pk)
    batches = ProgressImportBatch.objects.filter(kind=ImportKind.PROGRESS).select_related("uploaded_by")
    if not services.can_manage_settings(request.user):
        batches = batches.filter(uploaded_by=request.user)
    return render(
        request,
        "projects/import.html",
        {
            "title": "导入月度进度",
            "breadcrumbs": CRUMBS,
            "form": form,
            "batches": batches[:30],
        },
    )


def _batch_for(request, pk):
    queryset = ProgressImportBatch.objects.select_related("uploaded_by")
    if not services.can_manage_settings(request.user):
        queryset = queryset.filter(uploaded_by=request.user)
    return get_object_or_404(queryset, pk=pk)


def _importer_of(batch):
    return approval_importer if batch.kind == ImportKind.APPROVALS else importers


def batch_detail(request, pk):
    batch = _batch_for(request, pk)
    back = ("导入审批办件", reverse("projects:approvals_import"))
    if batch.kind != ImportKind.APPROVALS:
        back = ("导入月度进度", reverse("projects:import"))
    return render(
        request,
        "projects/batch.html",
        {
            "title": f"导入批次：{batch.file_name}",
            "breadcrumbs": [*CRUMBS, back],
            "batch": batch,
            "rows": batch.rows[:500],
            "errors": batch.errors,
            "statuses": BatchStatus,
        },
    )


@require_POST
def batch_apply(request, pk):
    batch = _batch_for(request, pk)
    try:
        batch = _importer_of(batch).apply_batch(user=request.user, batch=batch)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(
            request,
            f"已导入：新增 {batch.created_count} 条，更新 {batch.updated_count} 条。"
            if batch.created_count or batch.updated_count
            else "导入完成：数据与系统中一致，未作更改。",
        )
    return redirect("projects:batch", pk=batch.pk)


@require_POST
def batch_rollback(request, pk):
    batch = _batch_for(request, pk)
    try:
        _importer_of(batch).rollback_batch(user=request.user, batch=batch)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, "已撤销该批次，数据恢复为导入前。")
    return redirect("projects:batch", pk=batch.pk)


def import_template(request):
    year, month = evaluation_month(request)
    content = importers.template_xlsx(user=request.user, month=dt.date(year, month, 1))
    return attachment(content, "项目月度进度模板.xlsx")


# --- settings ------------------------------------------------------------------------------


def settings_page(request):
    # The thresholds are issued by any level's office (a city's apply to its counties without
    # their own); the year's targets are a county's.
    if not request.user.can_issue:
        raise PermissionDenied("只有领导小组办公室可以修改项目参数。")
    can_target = services.can_manage_settings(request.user)
    settings = services.project_settings()
    action = request.POST.get("action") if request.method == "POST" else None
    settings_form = SettingsForm(request.POST if action == "settings" else None, instance=settings)
    year = parse_year(request.POST.get("year") or request.GET.get("year"), timezone.localdate().year)
    target = ProjectTarget.objects.visible_to(request.user).filter(year=year).first()
    target_form = TargetForm(
        request.POST if action == "target" else None,
        instance=target,
        initial=None if target else {"year": year},
    )
    form = {"settings": settings_form, "target": target_form if can_target else None}.get(action)
    if form is not None and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items()}
        try:
            if action == "settings":
                services.settings_update(actor=request.user, **data)
            else:
                services.target_save(actor=request.user, **data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "已保存。")
            return redirect(reverse("projects:settings") + f"?year={year}")
    return render(
        request,
        "projects/settings.html",
        {
            "title": "项目参数与目标",
            "breadcrumbs": CRUMBS,
            "settings_form": settings_form,
            "settings_note": settings_note(settings, request.user, "项目参数"),
            "target_form": target_form if can_target else None,
            "targets": ProjectTarget.objects.visible_to(request.user),
        },
    )


@require_POST
def lights_recompute(request):
    if not services.can_manage_settings(request.user):
        raise PermissionDenied("只有领导小组办公室可以重算灯号。")
    form = RecomputeForm(request.POST)
    if form.is_valid():
        month = form.cleaned_data["month"]
        changed = services.lights_recompute_month(actor=request.user, year=month.year, month=month.month)
        messages.success(request, f"已按 {month:%Y-%m} 重算灯号，{changed} 个项目灯号有变化。")
    else:
        messages.error(request, "月份格式应为 2026-05。")
    return redirect(request.POST.get("next") or "projects:pipeline")
