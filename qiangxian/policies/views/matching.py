"""Matching pages: runs, per clause (who qualifies, who is near, cost), per enterprise, exposure, notices."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from qiangxian.core.exports import xlsx_response
from qiangxian.core.history import timeline
from qiangxian.enterprises.models import Enterprise
from qiangxian.enterprises.selectors import access_enterprise_by_id

from .. import selectors, services
from ..calc import MET, UNKNOWN
from .library import CRUMBS


def run_list(request):
    runs = selectors.run_list(user=request.user)[:50]
    return render(
        request,
        "policies/runs.html",
        {
            "title": "政策找人",
            "runs": runs,
            "can_manage": services.can_manage_policies(request.user),
            "today": timezone.localdate(),
            "breadcrumbs": CRUMBS,
        },
    )


@require_POST
def run_start(request):
    if not services.can_manage_policies(request.user):
        raise PermissionDenied("只有领导小组办公室可以发起政策匹配。")
    raw = request.POST.get("as_of") or ""
    try:
        as_of = dt.date.fromisoformat(raw) if raw else timezone.localdate()
    except ValueError:
        as_of = timezone.localdate()
    run = services.run_matching(actor=request.user, as_of=as_of)
    messages.success(request, f"匹配完成：{run.clause_count} 条条款 × {run.enterprise_count} 家企业。")
    return redirect("policies:run", run.pk)


def _clause_rows(run, user):
    return selectors.clause_summaries(user=user, run=run)


def run_detail(request, pk):
    run = selectors.access_run(request.user, pk)
    rows = _clause_rows(run, request.user)
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            filename="政策匹配汇总.xlsx",
            title="政策匹配汇总",
            headers=["政策", "条款", "符合（家）", "接近（家）", "待定（家）", "测算金额（元）"],
            rows=(
                [r["clause__policy__title"], r["clause__title"], r["met"], r["near"], r["unknown"], r["cost"]]
                for r in rows
            ),
        )
    return render(
        request,
        "policies/run_detail.html",
        {
            "title": f"政策匹配（数据截至 {run.as_of:%Y-%m-%d}）",
            "run": run,
            "rows": rows,
            "can_manage": services.can_manage_policies(request.user),
            "history": timeline(run),
            "breadcrumbs": [*CRUMBS, ("政策找人", reverse("policies:runs"))],
        },
    )


@require_POST
def run_notify(request, pk):
    run = selectors.access_run(request.user, pk)
    count = services.notify_run(actor=request.user, run=run)
    messages.success(request, f"已向 {count} 家次企业推送免申即享通知（平台内消息）。")
    return redirect("policies:run", run.pk)


def notices_export(request, pk):
    run = selectors.access_run(request.user, pk)
    notices = services.match_notices(user=request.user, run=run, only_unconfirmed=False)
    return xlsx_response(
        filename="政策推送消息.xlsx",
        title="政策推送消息",
        headers=[
            "企业",
            "联系人",
            "联系电话",
            "包联干部",
            "条款",
            "预计金额（元）",
            "消息内容",
            "已读",
            "已确认",
        ],
        rows=(
            [n.enterprise, n.recipient, n.phone, n.liaison, n.clause, n.amount, n.text, n.read, n.confirmed]
            for n in notices
        ),
    )


def clause_detail(request, pk):
    """One clause: its versions, who qualifies, who is near and what it will cost (latest run)."""
    clause = selectors.access_clause(request.user, pk)
    run = selectors.latest_run(user=request.user)
    matches = selectors.match_list(user=request.user, run=run, clause_ids=[clause.pk]) if run else None
    show = request.GET.get("show", "met")
    listing = []
    if matches is not None:
        wanted = {
            "met": {"outcome": MET},
            "near": {"near": True},
            "unknown": {"outcome": UNKNOWN},
        }
        listing = matches.where(**wanted.get(show, wanted["met"])).by_amount()
        if request.GET.get("export") == "xlsx":
            return xlsx_response(
                filename=f"{clause.title[:20]}匹配企业.xlsx",
                title="匹配企业",
                headers=[
                    "企业",
                    "统一社会信用代码",
                    "结果",
                    "接近",
                    "预计可享（元）",
                    "说明",
                    "差距",
                    "缺少的数据",
                ],
                rows=(
                    [
                        m.enterprise.name,
                        m.enterprise.uscc,
                        m.get_outcome_display(),
                        m.near,
                        m.amount,
                        m.note,
                        m.gap,
                        m.missing,
                    ]
                    for m in listing
                ),
            )
    summary = matches.summary() if matches is not None else None
    versions = list(
        clause.versions.select_related("review_unit", "paying_unit").order_by("-effective_from", "-pk")
    )
    today = timezone.localdate()
    current = clause.version_on(today)
    own = selectors.own_enterprise(request.user)
    return render(
        request,
        "policies/clause_detail.html",
        {
            "title": str(clause),
            "clause": clause,
            "versions": versions,
            "current": current,
            "run": run,
            "summary": summary,
            "listing": listing[:200] if listing else [],
            "show": show,
            "can_manage": services.can_manage_policies(request.user),
            "can_apply": own is not None
            and current is not None
            and current.mode == "quick_application"
            and current.window_open(today),
            "history": timeline(clause),
            "breadcrumbs": [
                *CRUMBS,
                (clause.policy.title, reverse("policies:detail", args=[clause.policy_id])),
            ],
        },
    )


def enterprise_page(request, pk):
    """What an enterprise can get, what it is close to, and what it received."""
    enterprise = access_enterprise_by_id(request.user, pk)
    benefits = selectors.enterprise_benefits(user=request.user, enterprise=enterprise)
    return render(
        request,
        "policies/enterprise.html",
        {
            "title": f"{enterprise.name} · 可享政策",
            "b": benefits,
            "own": selectors.own_enterprise(request.user) == enterprise,
            "breadcrumbs": CRUMBS,
        },
    )


def mine(request):
    enterprise = selectors.own_enterprise(request.user)
    if enterprise is None:
        # An official (of a county, a city or a province) has no enterprise of its own: the
        # page that says what the enterprises can get is the exposure.
        if services.can_manage_policies(request.user) or request.user.role != "enterprise":
            return redirect("policies:exposure")
        raise Http404("该页面仅供企业用户使用。")
    return enterprise_page(request, enterprise.pk)


def exposure(request):
    """The county's total exposure: what every open clause would cost on the latest run."""
    run = selectors.latest_run(user=request.user)
    rows = _clause_rows(run, request.user) if run else []
    total = sum((r["cost"] or 0) for r in rows)
    by_enterprise = []
    if run:
        by_enterprise = selectors.exposure_by_enterprise(user=request.user, run=run)
    return render(
        request,
        "policies/exposure.html",
        {
            "title": "兑现测算（全县资金需求）",
            "run": run,
            "rows": rows,
            "total": total,
            "by_enterprise": by_enterprise,
            "breadcrumbs": CRUMBS,
        },
    )


def enterprise_lookup(request):
    """Jump from a name to an enterprise's benefit page."""
    q = (request.GET.get("q") or "").strip()
    found = (
        Enterprise.objects.visible_to(request.user).filter(name__icontains=q).order_by("name").first()
        if q
        else None
    )
    if found is None:
        messages.error(request, "未找到该企业，或您无权查看。")
        return redirect("policies:exposure")
    return redirect("policies:enterprise", found.pk)
