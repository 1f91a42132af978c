"""Pages of the per-mu evaluation: results and traces, runs, objections, schemes, sandbox."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from qiangxian.core.access import home_county_id
from qiangxian.core.forms import apply_validation_error
from qiangxian.core.history import timeline
from qiangxian.core.lists import Column, render_list
from qiangxian.core.params import parse_year

from .. import grading, selectors
from ..choices import ObjectionState, RunKind, RunState, SchemeStatus
from ..filters import ResultFilter
from ..forms import AdjustmentForm, AdjustmentRecordForm, ObjectionForm, RulingForm, SandboxForm
from ..models import EvaluationRun
from ..services import evaluation as services
from ..services.common import can_manage_evaluation
from .common import CRUMBS


def _score(r):
    return None if r.score is None else round(r.score, 2)


def result_list(request):
    year = parse_year(request.GET.get("year"), 0) or None
    run = selectors.current_run(year, user=request.user)
    if run is None:
        return render(
            request,
            "land/no_run.html",
            {
                "title": "亩均评价",
                "breadcrumbs": CRUMBS,
                "can_manage": can_manage_evaluation(request.user),
                "schemes": selectors.schemes(request.user).filter(status=SchemeStatus.ADOPTED),
            },
        )
    columns = [
        Column(
            "enterprise", "企业", sort="enterprise__name", link=lambda r: reverse("land:result", args=[r.pk])
        ),
        Column("category", "企业类别", sort="category", value=lambda r: r.get_category_display()),
        Column("park", "园区", sort="park__name"),
        Column(
            "land_mu",
            "计算用地（亩）",
            sort="land_mu",
            numeric=True,
            value=lambda r: None if r.land_mu is None else round(r.land_mu, 2),
        ),
        Column("score", "得分", sort="score", numeric=True, value=_score),
        Column("rank", "类内排名", sort="rank", numeric=True),
        Column("grade", "类别", sort="grade", value=lambda r: r.grade or ("免评" if r.exempt else "—")),
        Column("previous_grade", "上年类别", value=lambda r: r.previous_grade or "—"),
        Column("vetoed", "否决事项", value=lambda r: r.vetoed or "—"),
    ]
    return render_list(
        request,
        queryset=selectors.results(user=request.user, run=run),
        columns=columns,
        template="land/result_list.html",
        title=f"{run.year}年亩均效益评价结果",
        filterset_class=ResultFilter,
        default_sort="rank",
        extra_context={
            "breadcrumbs": CRUMBS,
            "run": run,
            "counts": selectors.grade_counts(user=request.user, run=run),
            "aggregates": [
                (by, label, selectors.aggregates(user=request.user, run=run, by=by))
                for by, label in (
                    ("park", "分园区"),
                    ("zone", "分片区"),
                    ("town", "分乡镇"),
                    ("cluster", "分产业集群"),
                )
            ],
            "years": sorted(
                {r.year for r in selectors.runs(official_only=True, user=request.user)}, reverse=True
            ),
        },
    )


def result_detail(request, pk):
    res = selectors.result(user=request.user, pk=pk)
    run = res.run
    action = request.POST.get("action") if request.method == "POST" else None
    may_object = run.state == RunState.NOTICE and services.can_object(request.user, res.enterprise)
    form = ObjectionForm(request.POST if action == "object" else None)
    if action == "object":
        if not may_object:
            raise PermissionDenied("只有企业本身或领导小组办公室（代企业）可以在公示期内提出异议。")
        if form.is_valid():
            try:
                services.objection_file(
                    actor=request.user, run=run, enterprise=res.enterprise, **form.cleaned_data
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, "已提交异议，等待领导小组办公室裁定。")
                return redirect("land:result", pk=res.pk)
    recorded = selectors.full_trace(res)["inputs"]
    inputs = [(grading.INPUTS[k], v) for k, v in recorded.items() if k in grading.INPUTS]
    return render(
        request,
        "land/result_detail.html",
        {
            "title": f"{res.enterprise.name} · {run.year}年亩均效益评价",
            "res": res,
            "run": run,
            "rows": selectors.trace_rows(res),
            "inputs": inputs,
            "bonus": res.trace.get("bonus"),
            "form": form,
            "may_object": may_object,
            "objections": selectors.objections(user=request.user, run=run).filter(enterprise=res.enterprise),
            "measures": _measures(run, res.grade),
            "breadcrumbs": [*CRUMBS, ("亩均评价", reverse("land:results"))],
        },
    )


def _measures(run: EvaluationRun, grade: str) -> list[str]:
    band = run.scheme.bands.filter(grade=grade).first() if grade else None
    return [line for line in (band.measures.splitlines() if band else []) if line.strip()]


@require_http_methods(["GET", "POST"])
def run_detail(request, pk):
    """A run: its state, class counts, objections to rule on, and the office's actions."""
    if not can_manage_evaluation(request.user) and request.user.role not in ("leader",):
        raise Http404("未找到该记录，或您无权查看。")
    run = get_object_or_404(selectors.runs(user=request.user), pk=pk)
    action = request.POST.get("action") if request.method == "POST" else None
    ruling = RulingForm(request.POST if action == "rule" else None)
    if action:
        if not can_manage_evaluation(request.user):
            raise PermissionDenied("只有领导小组办公室可以进行此操作。")
        try:
            if action == "publish":
                services.run_publish(actor=request.user, run=run)
                messages.success(request, "评价结果已公示。")
            elif action == "finalize":
                services.run_finalize(actor=request.user, run=run)
                messages.success(request, "评价结果已定档。")
            elif action == "recompute":
                services.run_recompute(actor=request.user, run=run)
                messages.success(request, "已重新测算。")
            elif action == "rule" and ruling.is_valid():
                objection = get_object_or_404(run.objections, pk=ruling.cleaned_data["objection"])
                data = ruling.cleaned_data
                done = services.objection_rule(
                    actor=request.user,
                    objection=objection,
                    uphold=data["uphold"],
                    ruling=data["ruling"],
                    value=data["value"],
                )
                messages.success(
                    request,
                    f"已裁定：{done.get_state_display()}"
                    f"（类别 {done.grade_before or '—'} → {done.grade_after or '—'}）。",
                )
            else:
                raise ValidationError("请检查裁定内容。")
            return redirect("land:run", pk=run.pk)
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
    return render(
        request,
        "land/run_detail.html",
        {
            "title": str(run),
            "run": run,
            "counts": selectors.grade_counts(user=request.user, run=run),
            "objections": selectors.objections(user=request.user, run=run),
            "pending_objections": selectors.objections(user=request.user, run=run)
            .filter(state=ObjectionState.FILED)
            .count(),
            "ruling": ruling,
            "input_labels": grading.INPUTS,
            "can_manage": can_manage_evaluation(request.user),
            "history": timeline(run),
            "breadcrumbs": [*CRUMBS, ("亩均评价", reverse("land:results"))],
        },
    )


def _office_only(request):
    user = request.user
    if not (can_manage_evaluation(user) or getattr(user, "can_issue", False) or user.role == "leader"):
        raise Http404("未找到该记录，或您无权查看。")


def scheme_list(request):
    """The schemes of the user's level and those issued above it, which one applies each year,
    and (office) a new draft of the user's level or an official run of the county."""
    _office_only(request)
    user = request.user
    if request.method == "POST" and request.POST.get("action") == "create":
        try:
            scheme = services.scheme_create(actor=user, year=parse_year(request.POST.get("year"), 0))
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(request, f"已新建{scheme.year}年方案草稿（第{scheme.version}版）。")
            return redirect("land:scheme", pk=scheme.pk)
    elif request.method == "POST":
        if not can_manage_evaluation(user):
            raise PermissionDenied("只有领导小组办公室可以进行此操作。")
        scheme = get_object_or_404(selectors.own_level_schemes(user), pk=request.POST.get("scheme"))
        try:
            run = services.run_create(actor=user, scheme=scheme)
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(request, f"已完成 {run.year} 年评价测算，共 {run.results.count()} 家企业。")
            return redirect("land:run", pk=run.pk)
    items = list(selectors.own_level_schemes(user).prefetch_related("runs__county"))
    county = home_county_id(user)
    applicable = (
        {s.pk for s in (services.applicable_scheme(county, y) for y in {i.year for i in items}) if s}
        if county
        else set()
    )
    visible_runs = set(selectors.runs(user=user).values_list("pk", flat=True))
    return render(
        request,
        "land/scheme_list.html",
        {
            "title": "评价方案",
            "rows": [
                (s, s.pk in applicable, [r for r in s.runs.all() if r.pk in visible_runs]) for s in items
            ],
            "can_manage": can_manage_evaluation(user),
            "can_issue": getattr(user, "can_issue", False),
            "next_year": timezone.localdate().year,
            "breadcrumbs": CRUMBS,
        },
    )


def scheme_detail(request, pk):
    _office_only(request)
    scheme = get_object_or_404(selectors.schemes(request.user), pk=pk)
    if request.method == "POST":
        if not request.user.can_issue:
            raise PermissionDenied("只有领导小组办公室可以进行此操作。")
        try:
            if request.POST.get("action") == "copy":
                copy = services.scheme_copy(
                    actor=request.user, scheme=scheme, name=f"{scheme.name}（调整稿）"
                )
                messages.success(request, f"已复制为本级第{copy.version}版草稿。")
                return redirect("land:sandbox", pk=copy.pk)
            if request.POST.get("action") == "adopt":
                services.scheme_adopt(actor=request.user, scheme=scheme)
                messages.success(request, "方案已启用。")
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        return redirect("land:scheme", pk=scheme.pk)
    return render(
        request,
        "land/scheme_detail.html",
        {
            "title": str(scheme),
            "scheme": scheme,
            "indicators": [(i, grading.INDICATORS[i.code]) for i in scheme.indicators.all()],
            "bands": scheme.bands.all(),
            "adjustments": scheme.adjustments.all(),
            "problems": services.scheme_problems(scheme),
            "can_edit": services.can_edit_scheme(request.user, scheme),
            "can_copy": request.user.can_issue,
            "history": timeline(scheme),
            "breadcrumbs": [*CRUMBS, ("评价方案", reverse("land:schemes"))],
        },
    )


def sandbox(request, pk):
    """A draft scheme's graded beside the published result: who changes class and why."""
    _office_only(request)
    scheme = get_object_or_404(selectors.schemes(request.user), pk=pk)
    base = selectors.current_run(scheme.year, user=request.user)
    if base is not None and base.kind != RunKind.OFFICIAL:
        base = None
    form = SandboxForm(request.POST or None, scheme=scheme)
    run = EvaluationRun.objects.filter(scheme=scheme, kind=RunKind.SANDBOX).order_by("-created_at").first()
    can_edit = services.can_edit_scheme(request.user, scheme)
    # A city's or province's office adjusts its draft without a run of its own to compare with.
    weights_only = can_edit and not can_manage_evaluation(request.user)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied("只有发布该方案的单位的办公室可以调整方案。")
        if scheme.status != SchemeStatus.DRAFT:
            messages.error(request, "已启用的方案不能调整，请先复制为草稿。")
        elif base is None and not weights_only:
            messages.error(request, f"{scheme.year}年尚无正式评价，无法对照。")
        elif form.is_valid():
            try:
                services.scheme_save_weights(actor=request.user, scheme=scheme, **form.service_data())
                if not weights_only:
                    run = services.sandbox_run(actor=request.user, scheme=scheme, compared_to=base)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(
                    request, "已保存方案调整。" if weights_only else "已按调整后的方案模拟测算。"
                )
                return redirect("land:sandbox", pk=scheme.pk)
    changes = (
        selectors.class_changes(user=request.user, run=run, base=run.compared_to)
        if run and run.compared_to
        else []
    )
    return render(
        request,
        "land/sandbox.html",
        {
            "title": f"模拟测算：{scheme}",
            "scheme": scheme,
            "form": form,
            "can_edit": can_edit,
            "weights_only": weights_only,
            "base": base,
            "run": run,
            "changes": changes,
            "counts_base": selectors.grade_counts(user=request.user, run=run.compared_to)
            if run and run.compared_to
            else None,
            "counts_new": selectors.grade_counts(user=request.user, run=run) if run else None,
            "breadcrumbs": [*CRUMBS, ("评价方案", reverse("land:schemes"))],
        },
    )


def scheme_adjustments(request, pk):
    """A scheme's bonus and veto items (加分/否决项) and the enterprises they apply to in its year."""
    from ..models import AdjustmentRecord

    _office_only(request)
    scheme = get_object_or_404(selectors.schemes(request.user), pk=pk)
    items = list(scheme.adjustments.all())
    names = [a.name for a in items]
    action = request.POST.get("action") if request.method == "POST" else None
    item_form = AdjustmentForm(request.POST if action == "item" else None)
    record_form = AdjustmentRecordForm(request.POST if action == "record" else None, names=names)
    records = AdjustmentRecord.objects.visible_to(request.user).filter(year=scheme.year, name__in=names)
    if action:
        # Items belong to the scheme's issuer; which enterprise they apply to is the county's record.
        allowed = (
            services.can_edit_scheme(request.user, scheme)
            if action == "item"
            else can_manage_evaluation(request.user)
        )
        if not allowed:
            raise PermissionDenied("只有领导小组办公室可以进行此操作。")
        try:
            if action == "item" and item_form.is_valid():
                services.adjustment_add(actor=request.user, scheme=scheme, **item_form.cleaned_data)
                messages.success(request, "已添加。")
                return redirect("land:scheme_adjustments", pk=scheme.pk)
            if action == "record" and record_form.is_valid():
                services.adjustment_record(actor=request.user, scheme=scheme, **record_form.cleaned_data)
                messages.success(request, "已记录。")
                return redirect("land:scheme_adjustments", pk=scheme.pk)
            if action == "delete":
                record = get_object_or_404(records, pk=request.POST.get("record"))
                services.adjustment_record_delete(actor=request.user, record=record)
                messages.success(request, "已删除。")
                return redirect("land:scheme_adjustments", pk=scheme.pk)
        except ValidationError as error:
            apply_validation_error(item_form if action == "item" else record_form, error)
            if action == "delete":
                messages.error(request, "；".join(error.messages))
    counts = {}
    for name in records.values_list("name", flat=True):
        counts[name] = counts.get(name, 0) + 1
    return render(
        request,
        "land/scheme_adjustments.html",
        {
            "title": f"加分与否决项：{scheme}",
            "scheme": scheme,
            "items": [(a, counts.get(a.name, 0)) for a in items],
            "records": records.select_related("enterprise").order_by("name", "enterprise__name"),
            "item_form": item_form,
            "record_form": record_form,
            "active": action,
            "can_manage": can_manage_evaluation(request.user),
            "can_edit": services.can_edit_scheme(request.user, scheme),
            "breadcrumbs": [
                *CRUMBS,
                ("评价方案", reverse("land:schemes")),
                (str(scheme), reverse("land:scheme", args=[scheme.pk])),
            ],
        },
    )
