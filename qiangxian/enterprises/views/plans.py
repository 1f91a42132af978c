"""Cultivation plans: lists by status, overdue measures, the plan page and its Word export."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_datetime

from qiangxian.core.exports import attachment
from qiangxian.core.forms import form_page, run_service
from qiangxian.core.history import timeline
from qiangxian.core.lists import Column, render_list

from .. import selectors, services
from ..choices import PlanStatus
from ..filters import PlanFilter
from ..forms import MeasureForm, MilestoneForm, PlanForm, ReviewForm
from ..plan_docx import plan_document

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

PLAN_COLUMNS = [
    Column(
        "enterprise",
        "企业",
        sort="enterprise__name",
        link=lambda p: reverse("enterprises:plan_detail", args=[p.pk]),
    ),
    Column("town", "乡镇", value=lambda p: p.enterprise.town.name),
    Column("target_tier", "培育目标", sort="target_tier", value=lambda p: p.get_target_tier_display()),
    Column("target_year", "目标年度", sort="target_year", numeric=True),
    Column("status", "状态", sort="status", value=lambda p: p.get_status_display()),
    Column("measure_count", "措施数", sort="measure_count", numeric=True),
    Column("overdue_count", "逾期措施", sort="overdue_count", numeric=True),
]

MEASURE_COLUMNS = [
    Column(
        "enterprise",
        "企业",
        sort="plan__enterprise__name",
        value=lambda m: m.plan.enterprise.name,
        link=lambda m: reverse("enterprises:plan_detail", args=[m.plan_id]),
    ),
    Column("content", "措施内容"),
    Column("responsible_unit", "责任单位", sort="responsible_unit__name"),
    Column("deadline", "完成时限", sort="deadline"),
    Column("status", "状态", value=lambda m: m.get_status_display()),
    Column("progress_notes", "进展情况"),
]


def _crumbs(*extra):
    return [("培育计划", reverse("enterprises:plan_list")), *extra]


def plan_list(request):
    counts = {s: 0 for s in PlanStatus.values}
    for row in selectors.plan_list(user=request.user).order_by().values("status"):
        counts[row["status"]] += 1
    return render_list(
        request,
        queryset=selectors.plan_list(user=request.user),
        columns=PLAN_COLUMNS,
        template="enterprises/plan_list.html",
        title="一企一策培育计划",
        filterset_class=PlanFilter,
        default_sort="-target_year",
        export_name="培育计划",
        extra_context={"status_counts": [(PlanStatus(s).label, s, n) for s, n in counts.items()]},
    )


def overdue_measures(request):
    return render_list(
        request,
        queryset=selectors.overdue_measures(user=request.user),
        columns=MEASURE_COLUMNS,
        template="core/list_page.html",
        title="逾期培育措施",
        default_sort="deadline",
        extra_context={"breadcrumbs": _crumbs()},
    )


def plan_detail(request, pk):
    plan = selectors.access_plan_by_id(request.user, pk)
    return render(
        request,
        "enterprises/plan_detail.html",
        {
            "title": f"{plan.enterprise.name} · 一企一策",
            "plan": plan,
            "measures": list(plan.measures.select_related("responsible_unit")),
            "milestones": list(plan.milestones.all()),
            "reviews": list(plan.reviews.select_related("reviewer")),
            "history": timeline(plan),
            "can_edit": services.can_edit_plan(request.user, plan.enterprise),
            "breadcrumbs": _crumbs(),
        },
    )


def plan_edit(request, pk=None, enterprise_id=None):
    plan = selectors.access_plan_by_id(request.user, pk) if pk else None
    enterprise = plan.enterprise if plan else selectors.access_enterprise_by_id(request.user, enterprise_id)
    if not services.can_edit_plan(request.user, enterprise):
        raise PermissionDenied("您无权制定或修改该企业的培育计划。")
    initial = None
    if plan:
        initial = {f: getattr(plan, f) for f in PlanForm.base_fields if f != "version"}
        initial["version"] = plan.updated_at.isoformat()
    form = PlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = parse_datetime(data.pop("version") or "")

        def call():
            if plan:
                return services.plan_update(
                    actor=request.user, plan=plan, expected_updated_at=version, **data
                )
            return services.plan_create(actor=request.user, enterprise=enterprise, measures=[], **data)

        ok, saved = run_service(form, call)
        if ok:
            messages.success(request, "已保存培育计划。")
            return redirect("enterprises:plan_detail", pk=saved.pk)
    back = (
        reverse("enterprises:plan_detail", args=[plan.pk])
        if plan
        else reverse("enterprises:detail", args=[enterprise.pk])
    )
    return form_page(
        request,
        form=form,
        title=f"{'修改' if plan else '制定'}培育计划：{enterprise.name}",
        cancel_url=back,
        breadcrumbs=_crumbs(),
    )


def _plan_child(request, pk, form_class, title, save, initial=None):
    plan = selectors.access_plan_by_id(request.user, pk)
    if not services.can_edit_plan(request.user, plan.enterprise):
        raise PermissionDenied("您无权修改该培育计划。")
    form = form_class(request.POST or None, initial=initial)
    back = reverse("enterprises:plan_detail", args=[plan.pk])
    if request.method == "POST" and form.is_valid():
        ok, _ = run_service(form, lambda: save(plan, form.cleaned_data))
        if ok:
            messages.success(request, "已保存。")
            return redirect(back)
    return form_page(
        request,
        form=form,
        title=f"{title}：{plan.enterprise.name}",
        cancel_url=back,
        breadcrumbs=_crumbs((str(plan.enterprise), back)),
    )


def measure_add(request, pk):
    return _plan_child(
        request,
        pk,
        MeasureForm,
        "添加培育措施",
        lambda plan, data: services.measure_save(actor=request.user, plan=plan, **data),
    )


def measure_edit(request, measure_id):
    measure = selectors.access_measure_by_id(request.user, measure_id)
    initial = {f: getattr(measure, f) for f in MeasureForm.base_fields}
    return _plan_child(
        request,
        measure.plan_id,
        MeasureForm,
        "更新培育措施",
        lambda plan, data: services.measure_save(actor=request.user, plan=plan, measure=measure, **data),
        initial=initial,
    )


def milestone_add(request, pk):
    return _plan_child(
        request,
        pk,
        MilestoneForm,
        "添加关键节点",
        lambda plan, data: services.milestone_save(actor=request.user, plan=plan, **data),
    )


def review_add(request, pk):
    return _plan_child(
        request,
        pk,
        ReviewForm,
        "定期评估",
        lambda plan, data: services.review_create(actor=request.user, plan=plan, **data),
    )


def plan_docx(request, pk):
    plan = selectors.access_plan_by_id(request.user, pk)
    name = f"{plan.enterprise.name}-一企一策-{plan.target_year}.docx"
    return attachment(plan_document(plan), name, DOCX_MIME)
