"""Assessment data: one enterprise's page (values, qualifications, judgements) and the bulk import."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from qiangxian.core.exports import xlsx_attachment
from qiangxian.core.forms import run_service
from qiangxian.enterprises.views._common import registry_breadcrumbs

from . import selectors, services
from .forms import (
    AssessmentDesignationForm,
    AssessmentImportForm,
    AssessmentValueForm,
    AwardForm,
    JudgementForm,
    input_unit,
    read_years_table,
)
from .importers import IMPORT_ROLES, import_assessment_values, write_template
from .models import AssessmentAward, AssessmentDesignation, AssessmentJudgement, AssessmentValue
from .tiers import AWARDS_COMPLETE, catalogue, indicator_name, year_warning

FORMS = {
    "value": AssessmentValueForm,
    "designation": AssessmentDesignationForm,
    "award": AwardForm,
    "judgement": JudgementForm,
}
MODELS = {
    "value": AssessmentValue,
    "designation": AssessmentDesignation,
    "award": AssessmentAward,
    "judgement": AssessmentJudgement,
}


def _save(kind: str, form, actor, enterprise):
    data = form.cleaned_data
    if kind == "value":
        return services.assessment_value_save(
            actor=actor,
            enterprise=enterprise,
            indicator=data["indicator"],
            year=data["year"],
            value=form.engine_value(),
            source_note=data["source_note"],
        )
    if kind == "designation":
        return services.assessment_designation_save(actor=actor, enterprise=enterprise, **data)
    if kind == "award":
        return services.assessment_award_save(actor=actor, enterprise=enterprise, **data)
    return services.judgement_save(actor=actor, enterprise=enterprise, **data)


def _display_value(record: AssessmentValue) -> str:
    indicator = catalogue().indicators.get(record.indicator)
    if indicator is None:
        return str(record.value)
    label, factor = input_unit(indicator)
    if indicator.is_bool:
        return "是" if record.value else "否"
    number = record.value / factor
    if label == "万元":
        # Money is read in 万元 to the cent of a 万元, as everywhere else on the platform.
        return f"{number:,.2f} 万元"
    return f"{number.normalize():f} {label}"


def assessment(request, pk):
    """Show and record an enterprise's assessment data (POST ``form`` = value/designation/judgement)."""
    enterprise = selectors.access_enterprise(request.user, pk)
    can_assess = services.can_assess(request.user, enterprise)
    bound = request.POST.get("form") if request.method == "POST" else None
    forms_by_kind = {
        kind: cls(request.POST if bound == kind else None, prefix=kind) for kind, cls in FORMS.items()
    }
    if bound in FORMS:
        if not can_assess:
            raise PermissionDenied("您无权录入该企业的评价数据。")
        form = forms_by_kind[bound]
        if form.is_valid():
            ok, _ = run_service(form, lambda: _save(bound, form, request.user, enterprise))
            if ok:
                messages.success(request, "已保存评价数据，梯度评价已按新数据更新。")
                if bound == "value":
                    warning = year_warning(
                        form.cleaned_data["indicator"], form.cleaned_data["year"], selectors.evaluation_date()
                    )
                    if warning:
                        messages.warning(request, warning)
                return redirect("tiers:assessment", pk=enterprise.pk)
    records = selectors.assessment_records(user=request.user, enterprise=enterprise)
    values = [
        {"record": r, "name": indicator_name(r.indicator), "shown": _display_value(r)}
        for r in records["values"]
    ]
    return render(
        request,
        "tiers/assessment.html",
        {
            "title": f"评价数据：{enterprise.name}",
            "enterprise": enterprise,
            "forms": forms_by_kind,
            "values": values,
            "designations": records["designations"],
            "awards": records["awards"],
            "awards_complete": AWARDS_COMPLETE,
            "judgements": records["judgements"],
            "read_years": read_years_table(selectors.evaluation_date().year),
            "evaluation_year": selectors.evaluation_date().year,
            "can_assess": can_assess,
            "history": selectors.assessment_history(enterprise=enterprise),
            "breadcrumbs": [
                *registry_breadcrumbs(),
                (enterprise.name, reverse("enterprises:detail", args=[enterprise.pk])),
            ],
        },
    )


@require_POST
def assessment_delete(request, pk, kind, record_id):
    enterprise = selectors.access_enterprise(request.user, pk)
    model = MODELS.get(kind)
    if model is None:
        raise Http404("未找到该记录，或您无权查看。")
    record = model.objects.visible_to(request.user).filter(enterprise=enterprise, pk=record_id).first()
    if record is None:
        raise Http404("未找到该记录，或您无权查看。")
    services.assessment_delete(actor=request.user, record=record)
    messages.success(request, "已删除该条评价数据。")
    return redirect("tiers:assessment", pk=enterprise.pk)


def _may_import(user) -> bool:
    # Rows are checked one by one against the enterprise (its town or park); the page itself is for
    # those who record assessment data at all.
    return user.role in IMPORT_ROLES


def assessment_template(request):
    """The .xlsx template of the assessment-data import."""
    if not _may_import(request.user):
        raise PermissionDenied("您无权导入评价数据。")
    return xlsx_attachment("评价数据导入模板.xlsx", write_template)


def assessment_import(request):
    """Upload assessment values for many enterprises: all rows valid, or nothing changes."""
    if not _may_import(request.user):
        raise PermissionDenied("您无权导入评价数据。")
    form = AssessmentImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = import_assessment_values(actor=request.user, content=upload.read(), file_name=upload.name)
        if result.ok:
            messages.success(
                request,
                f"导入成功：新增 {result.created} 条，更正 {result.updated} 条，"
                f"未变化 {result.unchanged} 条；梯度评价已按新数据更新。",
            )
            for warning in result.warnings:
                messages.warning(request, f"第{warning.row}行：{warning.reason}")
            return redirect("tiers:assessment_import")
    return render(
        request,
        "tiers/assessment_import.html",
        {
            "title": "评价数据导入",
            "form": form,
            "result": result,
            "breadcrumbs": [("梯度培育库", reverse("tiers:pool"))],
        },
    )
