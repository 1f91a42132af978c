"""Fulfilment pages: the list of items, one item with its steps, batch review, evidence download."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from qiangxian.core.concurrency import is_stale
from qiangxian.core.forms import apply_validation_error
from qiangxian.core.history import timeline
from qiangxian.core.lists import Column, render_list

from .. import selectors, services
from ..choices import ApplicationStatus
from ..filters import ApplicationFilter
from ..forms import ApproveForm, EvidenceForm, PaymentForm, QuickApplyForm, ReasonForm, WillingnessForm
from ..models import Evidence
from .library import CRUMBS


def _link(a):
    return reverse("policies:application", args=[a.pk])


def application_list(request):
    columns = [
        Column("enterprise", "企业", sort="enterprise__name", link=_link),
        Column("clause", "条款", sort="clause__title", value=lambda a: str(a.clause)),
        Column("policy", "政策", value=lambda a: a.clause.policy.title),
        Column("year", "年度", sort="year"),
        Column("mode", "兑现方式", sort="mode", value=lambda a: a.get_mode_display()),
        Column("status", "状态", sort="status", value=lambda a: a.get_status_display()),
        Column(
            "estimated_amount", "测算金额", sort="estimated_amount", money=True, export_label="测算金额（元）"
        ),
        Column(
            "approved_amount", "核定金额", sort="approved_amount", money=True, export_label="核定金额（元）"
        ),
        Column(
            "paid",
            "已拨付",
            value=lambda a: getattr(getattr(a, "payment", None), "amount", None),
            money=True,
            export_label="已拨付（元）",
        ),
        Column("review_deadline", "审核时限", sort="review_deadline"),
        Column("on_behalf", "代为确认", value=lambda a: a.on_behalf),
    ]
    return render_list(
        request,
        queryset=selectors.application_list(user=request.user),
        columns=columns,
        template="policies/applications.html",
        title="兑现办理",
        filterset_class=ApplicationFilter,
        default_sort="-created_at",
        export_name="兑现办理",
        extra_context={"breadcrumbs": CRUMBS, "can_manage": services.can_manage_policies(request.user)},
    )


def _refusal(request, exc: ValidationError, form=None):
    if is_stale(exc):
        messages.error(request, "；".join(exc.messages))
    elif form is not None:
        apply_validation_error(form, exc)
    else:
        messages.error(request, "；".join(exc.messages))


def application_detail(request, pk):
    app = selectors.access_application(request.user, pk)
    if request.method == "GET":
        services.application_mark_read(actor=request.user, application=app)
    action = request.POST.get("action") if request.method == "POST" else None
    forms = {
        "confirm": WillingnessForm(request.POST if action == "confirm" else None),
        "resubmit": QuickApplyForm(
            request.POST if action == "resubmit" else None,
            initial={
                "bank_name": app.bank_name,
                "bank_account": app.bank_account,
                "declared_base": app.declared_base,
            },
        ),
        "evidence": EvidenceForm(request.POST if action == "evidence" else None, request.FILES or None),
        "return": ReasonForm(request.POST if action == "return" else None, prefix="ret"),
        "exclude": ReasonForm(request.POST if action == "exclude" else None, prefix="exc"),
        "approve": ApproveForm(
            request.POST if action == "approve" else None, initial={"amount": app.estimated_amount}
        ),
        "pay": PaymentForm(
            request.POST if action == "pay" else None,
            initial={"amount": app.approved_amount, "paid_on": timezone.localdate()},
        ),
    }
    form = forms.get(action)
    if form is not None and form.is_valid():
        data = form.cleaned_data
        if action == "approve" and data.get("expected_status") and data["expected_status"] != app.status:
            messages.error(request, services.grants.CONCURRENT)
            return redirect(_link(app))
        try:
            if action == "confirm":
                services.willingness_confirm(
                    actor=request.user,
                    application=app,
                    bank_name=data["bank_name"],
                    bank_account=data["bank_account"],
                )
            elif action == "resubmit":
                services.quick_apply(
                    actor=request.user,
                    enterprise=app.enterprise,
                    clause=app.clause,
                    application=app,
                    bank_name=data["bank_name"],
                    bank_account=data["bank_account"],
                    declared_base=data.get("declared_base"),
                    form_data={"说明": data.get("description") or ""},
                )
            elif action == "evidence":
                services.evidence_add(
                    actor=request.user, application=app, kind=data["kind"], upload=data["file"]
                )
            elif action == "return":
                services.application_return(actor=request.user, application=app, reason=data["reason"])
            elif action == "exclude":
                services.application_exclude(actor=request.user, application=app, reason=data["reason"])
            elif action == "approve":
                services.application_approve(actor=request.user, application=app, amount=data.get("amount"))
            elif action == "pay":
                services.payment_record(
                    actor=request.user,
                    application=app,
                    amount=data["amount"],
                    paid_on=data["paid_on"],
                    voucher_number=data["voucher_number"],
                )
        except ValidationError as exc:
            _refusal(request, exc, form)
            if is_stale(exc):
                return redirect(_link(app))
        else:
            messages.success(request, "已办理。")
            return redirect(_link(app))
    own = selectors.own_enterprise(request.user) == app.enterprise
    may_act, _ = services.grants.can_act_for(request.user, app.enterprise)
    return render(
        request,
        "policies/application.html",
        {
            "title": f"{app.enterprise.name} · {app.clause}",
            "app": app,
            "forms": forms,
            "action": action,
            "own": own,
            "may_act": may_act,
            "can_review": services.can_review(request.user, app),
            "can_pay": services.can_pay(request.user, app),
            "payment": getattr(app, "payment", None) if app.status == ApplicationStatus.PAID else None,
            "evidence": list(app.evidence.all()),
            "history": timeline(app),
            "breadcrumbs": [*CRUMBS, ("兑现办理", reverse("policies:applications"))],
        },
    )


def quick_apply(request, clause_pk):
    """The short 快申快享 form, prefilled from what the platform holds."""
    clause = selectors.access_clause(request.user, clause_pk)
    enterprise = selectors.own_enterprise(request.user)
    if enterprise is None:
        raise PermissionDenied("请以企业账号申报，或由包联干部在企业页面代为办理。")
    version = clause.version_on(timezone.localdate())
    last = (
        selectors.application_list(user=request.user)
        .filter(enterprise=enterprise)
        .exclude(bank_account="")
        .first()
    )
    form = QuickApplyForm(
        request.POST or None,
        initial={
            "bank_name": getattr(last, "bank_name", ""),
            "bank_account": getattr(last, "bank_account", ""),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            app = services.quick_apply(
                actor=request.user,
                enterprise=enterprise,
                clause=clause,
                bank_name=data["bank_name"],
                bank_account=data["bank_account"],
                declared_base=data.get("declared_base"),
                form_data={"说明": data.get("description") or ""},
            )
        except ValidationError as exc:
            _refusal(request, exc, form)
        else:
            messages.success(request, "申报已提交，请上传所需材料。")
            return redirect(_link(app))
    return render(
        request,
        "policies/quick_apply.html",
        {
            "title": f"快申快享：{clause}",
            "clause": clause,
            "version": version,
            "enterprise": enterprise,
            "form": form,
            "breadcrumbs": CRUMBS,
        },
    )


def batch_review(request, clause_pk):
    """Review a clause's waiting items at once: approve all, exclude some with reasons."""
    clause = selectors.access_clause(request.user, clause_pk)
    waiting = list(
        selectors.application_list(user=request.user)
        .filter(clause=clause, status=ApplicationStatus.SUBMITTED)
        .order_by("enterprise__name")
    )
    if waiting and not services.can_review(request.user, waiting[0]):
        raise PermissionDenied("只有条款的审核单位或领导小组办公室可以审核。")
    if request.method == "POST":
        excluded = {}
        for app in waiting:
            if request.POST.get(f"exclude_{app.pk}"):
                excluded[app.pk] = request.POST.get(f"reason_{app.pk}", "")
        try:
            approved, dropped = services.approve_batch(
                actor=request.user, applications=waiting, excluded=excluded
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages) + "（本批未作任何修改）")
        else:
            messages.success(request, f"本批审核完成：通过 {approved} 家，排除 {dropped} 家。")
            return redirect("policies:clause", clause.pk)
    return render(
        request,
        "policies/batch_review.html",
        {"title": f"批量审核：{clause}", "clause": clause, "waiting": waiting, "breadcrumbs": CRUMBS},
    )


def evidence_download(request, pk):
    evidence = Evidence.objects.filter(pk=pk).select_related("application").first()
    if evidence is None:
        raise Http404("未找到该记录，或您无权查看。")
    selectors.access_application(request.user, evidence.application_id)
    return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.original_name)
