"""Campaign pages (the office sets up a visit campaign) and planned visits (officials plan theirs)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from qiangxian.core.concurrency import is_stale
from qiangxian.core.forms import apply_validation_error
from qiangxian.core.history import timeline
from qiangxian.core.lists import Column, render_list

from .. import selectors, services
from ..forms import CampaignForm, VisitPlanForm
from ..models import VisitCampaign
from .visits import CRUMBS, quiet_context


def campaign_list(request):
    if request.user.role == "enterprise":
        raise PermissionDenied("走访活动仅供政府部门查看。")
    columns = [
        Column(
            "name", "活动名称", sort="name", link=lambda c: reverse("service:campaign_detail", args=[c.pk])
        ),
        Column("starts_on", "开始日期", sort="starts_on"),
        Column("ends_on", "结束日期", sort="ends_on"),
        Column("quiet_days", "无事不扰间隔（天）"),
    ]
    return render_list(
        request,
        queryset=VisitCampaign.objects.visible_to(request.user),
        columns=columns,
        template="service/campaign_list.html",
        title="走访活动",
        default_sort="-starts_on",
        export_name="走访活动",
        extra_context={"breadcrumbs": CRUMBS},
    )


def _campaign_form(request, campaign: VisitCampaign | None):
    if not request.user.can_manage:
        raise PermissionDenied("只有领导小组办公室可以设置走访活动。")
    initial = {}
    if campaign is not None:
        initial = {
            "name": campaign.name,
            "starts_on": campaign.starts_on,
            "ends_on": campaign.ends_on,
            "quiet_days": campaign.quiet_days,
            "description": campaign.description,
            "enterprises": list(campaign.enterprises.values_list("pk", flat=True)),
            "expected_updated_at": campaign.updated_at,
            **{f"target_{t.unit_id}": t.target for t in campaign.targets.all()},
        }
    form = CampaignForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.campaign_save(
                actor=request.user,
                campaign=campaign,
                name=data["name"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                enterprises=form.chosen_enterprises(request.user),
                targets=form.targets(),
                description=data["description"],
                quiet_days=data["quiet_days"],
                plan_from_liaisons=data["plan_from_liaisons"],
                expected_updated_at=data["expected_updated_at"],
            )
        except ValidationError as error:
            if is_stale(error):
                messages.error(request, error.messages[0])
            else:
                apply_validation_error(form, error)
        else:
            messages.success(request, f"走访活动已保存，共 {saved.enterprises.count()} 家企业。")
            return redirect("service:campaign_detail", pk=saved.pk)
    return render(
        request,
        "service/campaign_form.html",
        {
            "title": f"修改走访活动：{campaign.name}" if campaign else "发起走访活动",
            "breadcrumbs": [*CRUMBS, ("走访活动", reverse("service:campaigns"))],
            "form": form,
            "campaign": campaign,
            "history": timeline(campaign) if campaign else [],
        },
    )


def campaign_create(request):
    return _campaign_form(request, None)


def campaign_edit(request, pk):
    return _campaign_form(request, get_object_or_404(VisitCampaign.objects.visible_to(request.user), pk=pk))


def plan_create(request):
    """Plan a visit; the "无事不扰" list is shown and must be acknowledged before the plan is saved."""
    if request.user.role in ("enterprise", "leader") or request.user.org_unit_id is None:
        raise PermissionDenied("只有政府工作人员可以安排走访。")
    form = VisitPlanForm(request.POST or None, user=request.user, initial=request.GET.dict() or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.visit_plan_create(
                actor=request.user,
                enterprise=data["enterprise"],
                planned_on=data["planned_on"],
                purpose=data["purpose"],
                campaign=data["campaign"],
                acknowledged=data["acknowledged"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"已安排 {plan.planned_on:%Y-%m-%d} 走访{plan.enterprise}。")
            if plan.campaign_id:
                return redirect("service:campaign_detail", pk=plan.campaign_id)
            return redirect("service:plans")
    quiet = quiet_context(request.user, form.data if form.is_bound else request.GET)
    return render(
        request,
        "service/plan_form.html",
        {"title": "安排走访", "breadcrumbs": CRUMBS, "form": form, **quiet},
    )


def plan_list(request):
    if request.user.role == "enterprise":
        raise PermissionDenied("走访计划仅供政府部门查看。")
    columns = [
        Column("planned_on", "计划日期", sort="planned_on"),
        Column("enterprise", "企业", sort="enterprise__name", value=lambda p: p.enterprise.name),
        Column("town", "乡镇", value=lambda p: p.enterprise.town.name),
        Column("unit", "走访单位", sort="unit__name", value=lambda p: p.unit.name),
        Column("official", "走访人", value=lambda p: str(p.official or "")),
        Column("purpose", "事由"),
        Column("campaign", "走访活动", value=lambda p: p.campaign.name if p.campaign else ""),
        Column("done", "是否已走访", value=lambda p: "已走访" if p.visit_id else "未走访"),
    ]
    return render_list(
        request,
        queryset=selectors.visit_plan_list(user=request.user),
        columns=columns,
        template="service/plan_list.html",
        title="走访计划",
        default_sort="planned_on",
        export_name="走访计划",
        extra_context={"breadcrumbs": CRUMBS},
    )
