"""Pages of the upward tables: upload a template with its mapping, fill it for a month."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse

from qiangxian.core.forms import run_service
from qiangxian.statistics import selectors as stats_selectors

from . import fill, selectors, services
from .forms import FillForm, TemplateUploadForm


def _require_office(user) -> None:
    if not user.can_manage:
        raise PermissionDenied("只有办公室可以管理上报报表。")


def mapping_text(entries: list[dict]) -> str:
    return "\n".join(fill._entry_line(e) for e in entries)


def template_list(request):
    _require_office(request.user)
    form = TemplateUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        ok, template = run_service(
            form,
            lambda: services.template_save(
                actor=request.user,
                name=form.cleaned_data["name"],
                upload=form.cleaned_data["file"],
                mapping_text=form.cleaned_data["mapping"],
            ),
        )
        if ok:
            messages.success(request, f"模板“{template.name}”已保存。")
            return redirect("reports:template_detail", template.pk)
    return render(
        request,
        "reports/templates.html",
        {
            "title": "上报报表模板",
            "form": form,
            "templates": selectors.template_list(user=request.user),
            "breadcrumbs": [("报告", reverse("reports:index"))],
        },
    )


def template_detail(request, pk):
    _require_office(request.user)
    template = selectors.access_template_by_id(request.user, pk)
    months = stats_selectors.available_months()[:24]
    fill_form = FillForm(request.POST if request.POST.get("action") == "fill" else None, months=months)
    edit_form = TemplateUploadForm(
        request.POST if request.POST.get("action") == "mapping" else None,
        request.FILES or None,
        initial={"name": template.name, "mapping": mapping_text(template.mapping)},
    )
    edit_form.fields["file"].required = False
    if request.method == "POST" and request.POST.get("action") == "fill" and fill_form.is_valid():
        ok, report = run_service(
            fill_form,
            lambda: services.fill_template(
                actor=request.user, template=template, month=fill_form.cleaned_data["month"]
            ),
        )
        if ok:
            messages.success(
                request,
                f"已填写 {len(report.figures['cells'])} 个单元格，{len(report.unfilled)} 个未能填写。",
            )
            return redirect("reports:detail", report.pk)
    if request.method == "POST" and request.POST.get("action") == "mapping" and edit_form.is_valid():
        ok, _ = run_service(
            edit_form,
            lambda: services.template_save(
                actor=request.user,
                name=edit_form.cleaned_data["name"],
                upload=edit_form.cleaned_data.get("file"),
                mapping_text=edit_form.cleaned_data["mapping"],
                template=template,
            ),
        )
        if ok:
            messages.success(request, "填写规则已保存。")
            return redirect("reports:template_detail", template.pk)
    return render(
        request,
        "reports/template_detail.html",
        {
            "title": template.name,
            "template": template,
            "fill_form": fill_form,
            "edit_form": edit_form,
            "reports": selectors.report_list(user=request.user).filter(template=template)[:20],
            "breadcrumbs": [
                ("报告", reverse("reports:index")),
                ("上报报表模板", reverse("reports:templates")),
            ],
        },
    )
