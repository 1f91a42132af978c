"""Pages of the reports module: generate, the archive, one report with what changed, templates."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from qiangxian.core import exports
from qiangxian.core.access import settings_note
from qiangxian.core.forms import run_service
from qiangxian.statistics import selectors as stats_selectors

from . import selectors, services
from .documents import DOCX_MIME
from .forms import GenerateForm, NoteForm
from .models import ReportKind, ReportSettings


def _scope_from(value: str, user):
    kind, _, unit = (value or "").partition(":")
    return services.resolve_scope(user, kind or None, unit or None)


def _generate_form(request, data=None):
    return GenerateForm(
        data,
        months=stats_selectors.available_months()[:24],
        scopes=stats_selectors.scope_options(request.user),
    )


def index(request):
    stats_selectors.require_aggregate_scope(request.user)
    form = _generate_form(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        kind = form.cleaned_data["kind"]

        def call():
            scope = _scope_from(form.cleaned_data["scope"], request.user)
            generate = services.generate_meeting if kind == ReportKind.MEETING else services.generate_monthly
            return generate(actor=request.user, month=form.cleaned_data["month"], scope=scope)

        try:
            ok, report = run_service(form, call)
        except Http404:
            form.add_error("scope", "该范围不存在，或您无权查看。")
            ok = False
        if ok:
            messages.success(request, f"已生成：{report.title}（第{report.version}版）。")
            return redirect("reports:detail", report.pk)
    reports = selectors.report_list(user=request.user)[:100]
    settings_row = ReportSettings.current() if request.user.can_issue else None
    return render(
        request,
        "reports/index.html",
        {
            "title": "报告",
            "form": form,
            "reports": reports,
            "can_generate": _can_generate(request.user),
            "settings_row": settings_row,
            "settings_note": settings_note(settings_row, request.user, "报告参数") if settings_row else "",
            "templates_count": selectors.template_list(user=request.user).count(),
        },
    )


def _can_generate(user) -> bool:
    try:
        services.require_author(user)
    except PermissionDenied:
        return False
    return True


def detail(request, pk):
    report = selectors.access_report_by_id(request.user, pk)
    scope = (report.scope_kind, report.scope_id)
    note = selectors.note_for(user=request.user, month=report.month, scope=scope)
    note_form = None
    if report.kind == ReportKind.MONTHLY and _can_generate(request.user):
        note_form = NoteForm(
            request.POST or None,
            initial={"text": note.text if note else "", "version": note.version if note else None},
        )
        if request.method == "POST" and note_form.is_valid():
            ok, _ = run_service(
                note_form,
                lambda: services.note_save(
                    actor=request.user,
                    month=report.month,
                    scope=scope,
                    text=note_form.cleaned_data["text"],
                    version=note_form.cleaned_data["version"],
                ),
            )
            if ok:
                messages.success(request, "下一步工作已保存，重新生成后写入报告。")
                return redirect("reports:detail", report.pk)
    figures = report.figures
    lines = services.figure_lines(figures)
    return render(
        request,
        "reports/detail.html",
        {
            "title": report.title,
            "report": report,
            "changes": services.changes(report),
            "headline": services.headline_text(report),
            "lines": list(lines.values())[:60],
            "note_form": note_form,
            "can_generate": _can_generate(request.user),
            "breadcrumbs": [("报告", reverse("reports:index"))],
        },
    )


@require_POST
def regenerate(request, pk):
    report = selectors.access_report_by_id(request.user, pk)
    scope = (report.scope_kind, report.scope_id)
    try:
        if report.kind == ReportKind.UPWARD:
            new = services.fill_template(actor=request.user, template=report.template, month=report.month)
        else:
            generate = (
                services.generate_meeting if report.kind == ReportKind.MEETING else services.generate_monthly
            )
            new = generate(actor=request.user, month=report.month, scope=scope)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, "；".join(getattr(error, "messages", [str(error)])))
        return redirect("reports:detail", report.pk)
    changed = len(services.changes(new))
    messages.success(request, f"已重新生成第{new.version}版，与上一版相比有{changed}项数据变化。")
    return redirect("reports:detail", new.pk)


def download(request, pk, which: str = "file"):
    report = selectors.access_report_by_id(request.user, pk)
    field = report.extra_file if which == "extra" else report.file
    if not field:
        raise Http404("文件不存在。")
    with field.open("rb") as handle:
        content = handle.read()
    name = field.name.rsplit(".", 1)[-1]
    mime = DOCX_MIME if name == "docx" else exports.XLSX_MIME
    return exports.attachment(content, f"{report.title}-第{report.version}版.{name}", mime)


@require_POST
def settings_toggle(request):
    if not request.user.can_issue:
        raise PermissionDenied("只有办公室可以修改报告参数。")
    services.settings_save(actor=request.user, auto_monthly=request.POST.get("auto_monthly") == "1")
    messages.success(request, "报告参数已保存。")
    return redirect("reports:index")
