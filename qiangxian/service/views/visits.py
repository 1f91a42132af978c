"""Visit pages: list, record (full and quick phone entry), the "无事不扰" warning, campaign coverage."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date

from qiangxian.core.forms import apply_validation_error
from qiangxian.core.history import timeline
from qiangxian.core.lists import Column, render_list
from qiangxian.core.params import date_in_range
from qiangxian.enterprises.models import Enterprise

from .. import selectors, services
from ..choices import VisitTopic
from ..filters import VisitFilter
from ..forms import VisitForm
from ..models import VisitCampaign
from ..services.visits import DEFAULT_QUIET_DAYS

CRUMBS = [("服务企业", "/service/"), ("企业走访", "/service/visits/")]


def visit_list(request):
    columns = [
        Column(
            "visited_on",
            "走访日期",
            sort="visited_on",
            link=lambda v: reverse("service:visit_detail", args=[v.pk]),
        ),
        Column("enterprise", "企业", sort="enterprise__name", value=lambda v: v.enterprise.name),
        Column("town", "乡镇", value=lambda v: v.enterprise.town.name),
        Column("unit", "走访单位", sort="unit__name", value=lambda v: v.unit.name),
        Column("purpose", "事由"),
        Column("by_phone", "电话走访"),
        Column("campaign", "走访活动", value=lambda v: v.campaign.name if v.campaign else ""),
    ]
    campaigns = VisitCampaign.objects.visible_to(request.user)[:10]
    return render_list(
        request,
        queryset=selectors.visit_list(user=request.user),
        columns=columns,
        template="service/visit_list.html",
        title="企业走访",
        filterset_class=VisitFilter,
        default_sort="-visited_on",
        export_name="企业走访",
        extra_context={"breadcrumbs": CRUMBS[:1], "campaigns": campaigns},
    )


def _id(raw) -> int | None:
    raw = str(raw or "")
    return int(raw) if raw.isdigit() and len(raw) < 12 else None


def quiet_context(user, params) -> dict:
    """The "无事不扰" list for the enterprise (and day, campaign) in ``params``: another unit's
    visits and plans within the campaign's quiet interval (the latest campaign's by default)."""
    enterprise = None
    if (pk := _id(params.get("enterprise"))) is not None:
        enterprise = Enterprise.objects.visible_to(user).filter(pk=pk).first()
    campaign = None
    if (pk := _id(params.get("campaign"))) is not None:
        campaign = VisitCampaign.objects.visible_to(user).filter(pk=pk).first()
    campaign = campaign or VisitCampaign.objects.visible_to(user).order_by("-starts_on").first()
    days = campaign.quiet_days if campaign else DEFAULT_QUIET_DAYS
    try:
        on = date_in_range(parse_date(str(params.get("planned_on") or "")))
    except ValueError:  # a well-formed but impossible date, such as 2026-02-30
        on = None
    recent = []
    if enterprise is not None:
        recent = services.quiet_conflicts(
            enterprise=enterprise, on=on or timezone.localdate(), days=days, unit=user.org_unit
        )
    return {"recent": recent, "days": days}


def visit_warning(request):
    """The "无事不扰" warning for the chosen enterprise (an htmx fragment)."""
    return render(request, "service/_visit_warning.html", quiet_context(request.user, request.GET))


def visit_create(request):
    if request.user.role in ("enterprise", "leader"):
        raise PermissionDenied("只有政府工作人员可以登记走访。")
    quick = request.GET.get("quick") == "1"
    form = VisitForm(request.POST or None, request.FILES or None, user=request.user, quick=quick)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        demands = []
        if data["demand_category"] or data["demand_title"]:
            demands.append({"category": data["demand_category"], "title": data["demand_title"]})
        try:
            visit = services.visit_create(
                actor=request.user,
                enterprise=data["enterprise"],
                visited_on=data["visited_on"],
                campaign=data["campaign"],
                purpose=data["purpose"],
                people_met=data["people_met"],
                visitor_names=data["visitor_names"],
                by_phone=data["by_phone"] or quick,
                topics={t.value: data.get(t.value, "") for t in VisitTopic},
                files=request.FILES.getlist("files"),
                demands=demands,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
            if hasattr(error, "error_dict") and (
                "category" in error.error_dict or "title" in error.error_dict
            ):
                form.add_error("demand_category", "诉求须同时选择类别并填写内容。")
        else:
            count = visit.demands.count()
            messages.success(request, "走访已登记" + (f"，{count} 条诉求已受理并交办。" if count else "。"))
            return redirect("service:visit_detail", pk=visit.pk)
    quiet = quiet_context(request.user, form.data) if form.is_bound else {"recent": [], "days": 0}
    return render(
        request,
        "service/visit_form.html",
        {
            "title": "电话走访快速登记" if quick else "登记走访",
            "breadcrumbs": CRUMBS,
            "form": form,
            "quick": quick,
            **quiet,
        },
    )


def visit_detail(request, pk):
    visit = selectors.access_visit_by_id(request.user, pk)
    topics = [(t.label, getattr(visit, t.value)) for t in VisitTopic if getattr(visit, t.value)]
    return render(
        request,
        "service/visit_detail.html",
        {
            "title": f"走访：{visit.enterprise}",
            "breadcrumbs": CRUMBS,
            "visit": visit,
            "topics": topics,
            "visitors": list(visit.visitors.all()),
            "attachments": list(visit.attachments.all()),
            "demands": selectors.demand_list(user=request.user).filter(visit=visit),
            "history": timeline(visit),
        },
    )


def campaign_detail(request, pk):
    if request.user.role == "enterprise":
        raise PermissionDenied("走访活动仅供政府部门查看。")
    campaign = get_object_or_404(VisitCampaign.objects.visible_to(request.user), pk=pk)
    months = request.GET.get("months", "6")
    months = int(months) if months.isdigit() and 1 <= int(months) <= 36 else 6
    coverage = selectors.campaign_coverage(campaign=campaign, user=request.user, months=months)
    return render(
        request,
        "service/campaign_detail.html",
        {"title": campaign.name, "breadcrumbs": CRUMBS, "campaign": campaign, "coverage": coverage},
    )
