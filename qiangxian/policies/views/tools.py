"""Figures (兑现统计), drafting from pasted text, and the sandbox (政策沙盘)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone

from qiangxian.core.exports import xlsx_response
from qiangxian.core.params import parse_year

from .. import drafting, sandbox, selectors, services
from ..forms import DraftForm, SandboxForm
from .library import CRUMBS


def figures(request):
    year = parse_year(request.GET.get("year"), timezone.localdate().year)
    rows = selectors.clause_figures(user=request.user, year=year)
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            filename=f"{year}年政策兑现统计.xlsx",
            title="政策兑现统计",
            headers=[
                "政策",
                "条款",
                "符合（家）",
                "接近（家）",
                "已通知",
                "已确认/申报",
                "已审核通过",
                "已拨付（家）",
                "已拨付金额（元）",
                "预算（元）",
                "应享尽享率",
                "中位天数",
                "90%分位天数",
            ],
            rows=(
                [
                    r.clause.policy.title,
                    str(r.clause),
                    r.eligible,
                    r.near,
                    r.notified,
                    r.confirmed,
                    r.approved,
                    r.paid,
                    r.paid_amount,
                    r.budget,
                    r.uptake,
                    r.median_days,
                    r.p90_days,
                ]
                for r in rows
            ),
        )
    totals = {
        "eligible": sum(r.eligible for r in rows),
        "paid": sum(r.paid for r in rows),
        "paid_amount": sum(r.paid_amount for r in rows),
    }
    totals["uptake"] = totals["paid"] / totals["eligible"] if totals["eligible"] else None
    slowest = sorted((r for r in rows if r.median_days is not None), key=lambda r: -r.median_days)[:5]
    return render(
        request,
        "policies/figures.html",
        {
            "title": f"{year}年政策兑现统计",
            "rows": rows,
            "year": year,
            "totals": totals,
            "slowest": slowest,
            "breadcrumbs": CRUMBS,
        },
    )


def draft(request):
    """Paste a policy's text, see the proposed clauses, save them as a draft policy to correct."""
    if not services.can_keep_library(request.user):
        raise PermissionDenied("只有领导小组办公室可以起草政策。")
    form = DraftForm(request.POST or None)
    proposals = []
    if request.method == "POST" and form.is_valid():
        proposals = drafting.propose(form.cleaned_data["text"])
        if request.POST.get("save") and proposals:
            try:
                policy = drafting.save_draft(
                    actor=request.user,
                    title=form.cleaned_data.get("title") or "",
                    text=form.cleaned_data["text"],
                )
            except ValidationError as exc:
                messages.error(request, "；".join(exc.messages))
            else:
                messages.success(request, "已保存为草稿政策：请逐条核对、修改条件和金额后发布。")
                return redirect("policies:detail", policy.pk)
    return render(
        request,
        "policies/draft.html",
        {"title": "从政策原文起草条款", "form": form, "proposals": proposals, "breadcrumbs": CRUMBS},
    )


def sandbox_page(request):
    """Try a clause's changed threshold, rate or cap on the latest data before publishing."""
    if not (services.can_manage_policies(request.user) or request.user.role == "leader"):
        raise PermissionDenied("政策沙盘仅供领导小组办公室和县领导使用。")
    clauses = list(
        selectors.clause_list(user=request.user).filter(is_published=True).order_by("policy_id", "sort_order")
    )
    chosen = None
    raw = request.POST.get("clause") or request.GET.get("clause")
    if raw and raw.isdigit():
        chosen = next((c for c in clauses if c.pk == int(raw)), None)
    current = chosen.version_on(timezone.localdate()) if chosen else None
    initial = {}
    if current is not None:
        initial = {
            "clause": chosen.pk,
            "eligibility": current.eligibility,
            "benefit_amount": current.benefit_amount,
            "benefit_rate": current.benefit_rate,
            "cap_per_enterprise_year": current.cap_per_enterprise_year,
        }
    form = SandboxForm(request.POST or None, initial=initial)
    outcome = None
    if request.method == "POST" and current is not None and form.is_valid():
        try:
            outcome = sandbox.compare(version=current, changes=form.cleaned_data, user=request.user)
        except ValidationError as exc:
            for field, errs in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errs)
    return render(
        request,
        "policies/sandbox.html",
        {
            "title": "政策沙盘",
            "clauses": clauses,
            "chosen": chosen,
            "current": current,
            "form": form,
            "outcome": outcome,
            "breadcrumbs": CRUMBS,
        },
    )
