"""Visit campaigns and planned visits: the office sets a campaign up, officials plan their visits.

"无事不扰": before a visit is planned, the visits and plans of other units to the same enterprise
within the campaign's quiet interval are shown; the plan is saved only once the official has seen them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from qiangxian.core.access import home_county_id
from qiangxian.core.choices import Role
from qiangxian.core.concurrency import STALE, same_version
from qiangxian.enterprises.models import Enterprise, EnterpriseLiaison

from ..models import CampaignTarget, Visit, VisitCampaign, VisitPlan

DEFAULT_QUIET_DAYS = 30
MAX_QUIET_DAYS = 365
MAX_TARGET = 100_000


@dataclass
class QuietConflict:
    """Another unit's visit (made or planned) to the same enterprise within the quiet interval."""

    on: dt.date
    unit: str
    who: str
    why: str
    planned: bool

    @property
    def kind(self) -> str:
        return "计划走访" if self.planned else "已走访"


def quiet_conflicts(*, enterprise: Enterprise, on: dt.date, days: int, unit=None) -> list[QuietConflict]:
    """Visits and not-yet-made plans of other units to ``enterprise`` within ``days`` of ``on``."""
    since, until = on - dt.timedelta(days=days), on + dt.timedelta(days=days)
    visits = Visit.objects.filter(enterprise=enterprise, visited_on__gte=since, visited_on__lte=on)
    plans = VisitPlan.objects.filter(
        enterprise=enterprise, visit__isnull=True, planned_on__gte=since, planned_on__lte=until
    )
    if unit is not None:
        visits, plans = visits.exclude(unit=unit), plans.exclude(unit=unit)
    found = [
        QuietConflict(
            v.visited_on, v.unit.name, "、".join(str(p) for p in v.visitors.all()), v.purpose, False
        )
        for v in visits.select_related("unit").prefetch_related("visitors")
    ]
    found += [
        QuietConflict(p.planned_on, p.unit.name, str(p.official or ""), p.purpose, True)
        for p in plans.select_related("unit", "official")
    ]
    return sorted(found, key=lambda c: c.on, reverse=True)


def _require_office(actor) -> None:
    if not actor.can_manage:
        raise PermissionDenied("只有领导小组办公室可以设置走访活动。")


@transaction.atomic
def campaign_save(
    *,
    actor,
    campaign: VisitCampaign | None = None,
    name: str,
    starts_on: dt.date | None,
    ends_on: dt.date | None,
    enterprises: Iterable[Enterprise] = (),
    targets: dict | None = None,
    description: str = "",
    quiet_days: int | None = DEFAULT_QUIET_DAYS,
    plan_from_liaisons: bool = False,
    expected_updated_at: dt.datetime | None = None,
) -> VisitCampaign:
    """Create or edit a campaign: its period, enterprises and each unit's coverage target.

    With ``plan_from_liaisons``, every liaison official of an enterprise in the campaign gets a
    planned visit to it (on the start date) unless one is already planned in the campaign.
    """
    _require_office(actor)
    enterprises = list(enterprises)
    errors: dict[str, list[str]] = {}
    name = (name or "").strip()
    county_id = campaign.county_id if campaign is not None else home_county_id(actor)
    same_name = VisitCampaign.objects.filter(county=county_id, name=name)
    if campaign is not None:
        campaign = VisitCampaign.objects.select_for_update().get(pk=campaign.pk)
        if not same_version(campaign.updated_at, expected_updated_at):
            raise ValidationError("该走访活动已被他人修改，请刷新后再保存。", code=STALE)
        same_name = same_name.exclude(pk=campaign.pk)
    if not name:
        errors["name"] = ["请填写活动名称。"]
    elif same_name.exists():
        errors["name"] = ["已有同名的走访活动。"]
    if starts_on is None or ends_on is None:
        errors["ends_on"] = ["请填写起止日期。"]
    elif ends_on < starts_on:
        errors["ends_on"] = ["结束日期不能早于开始日期。"]
    if quiet_days is None or not 1 <= quiet_days <= MAX_QUIET_DAYS:
        errors["quiet_days"] = [f"无事不扰间隔应在 1 至 {MAX_QUIET_DAYS} 天之间。"]
    if not enterprises:
        errors["enterprises"] = ["请至少选择一家走访企业（规上企业、培育库、乡镇或名单）。"]
    for unit, count in (targets or {}).items():
        if count is not None and not 0 <= count <= MAX_TARGET:
            errors.setdefault("targets", []).append(f"{unit}的走访目标应在 0 至 {MAX_TARGET} 家之间。")
    if errors:
        raise ValidationError(errors)
    campaign = campaign or VisitCampaign(created_by=actor, county_id=county_id)
    campaign.name, campaign.starts_on, campaign.ends_on = name, starts_on, ends_on
    campaign.description, campaign.quiet_days = description.strip(), quiet_days
    campaign._history_user = actor
    campaign.save()
    campaign.enterprises.set(enterprises)
    for unit, count in (targets or {}).items():
        if count:
            target, _ = CampaignTarget.objects.get_or_create(
                campaign=campaign, unit=unit, defaults={"target": count}
            )
            if target.target != count:
                target.target = count
                target._history_user = actor
                target.save()
        else:
            CampaignTarget.objects.filter(campaign=campaign, unit=unit).delete()
    if plan_from_liaisons:
        _plan_from_liaisons(campaign, enterprises, actor)
    return campaign


def _plan_from_liaisons(campaign: VisitCampaign, enterprises: list[Enterprise], actor) -> int:
    """Who visits whom: one plan per liaison official and enterprise not yet planned in the campaign."""
    planned = set(campaign.plans.values_list("official_id", "enterprise_id"))
    links = EnterpriseLiaison.objects.filter(
        enterprise__in=enterprises, user__org_unit__isnull=False
    ).select_related("user")
    new = [
        VisitPlan(
            campaign=campaign,
            enterprise_id=link.enterprise_id,
            unit_id=link.user.org_unit_id,
            official=link.user,
            planned_on=campaign.starts_on,
            purpose=f"{campaign.name}（包联走访）",
            created_by=actor,
        )
        for link in links
        if (link.user_id, link.enterprise_id) not in planned
    ]
    VisitPlan.objects.bulk_create(new)
    return len(new)


@transaction.atomic
def visit_plan_create(
    *,
    actor,
    enterprise: Enterprise | None,
    planned_on: dt.date | None,
    purpose: str = "",
    campaign: VisitCampaign | None = None,
    acknowledged: bool = False,
) -> VisitPlan:
    """An official plans a visit. Refused until ``acknowledged`` when another unit visited or plans to
    visit the enterprise within the quiet interval ("无事不扰")."""
    if actor.role in (Role.ENTERPRISE, Role.LEADER) or actor.org_unit_id is None:
        raise PermissionDenied("只有政府工作人员可以安排走访。")
    errors: dict[str, list[str]] = {}
    if enterprise is None:
        errors["enterprise"] = ["请选择走访的企业。"]
    elif not Enterprise.objects.visible_to(actor).filter(pk=enterprise.pk).exists():
        errors["enterprise"] = ["您无权安排走访该企业。"]
    if planned_on is None:
        errors["planned_on"] = ["请填写计划日期。"]
    elif planned_on < timezone.localdate():
        errors["planned_on"] = ["计划日期不能早于今天（已走访的请直接登记走访）。"]
    elif campaign is not None and not campaign.starts_on <= planned_on <= campaign.ends_on:
        errors["planned_on"] = [
            f"计划日期应在走访活动期间（{campaign.starts_on:%Y-%m-%d} 至 {campaign.ends_on:%Y-%m-%d}）。"
        ]
    if not (purpose or "").strip():
        errors["purpose"] = ["请填写走访事由。"]
    if errors:
        raise ValidationError(errors)
    days = campaign.quiet_days if campaign else DEFAULT_QUIET_DAYS
    conflicts = quiet_conflicts(enterprise=enterprise, on=planned_on, days=days, unit=actor.org_unit)
    if conflicts and not acknowledged:
        raise ValidationError(
            {
                "acknowledged": [
                    f"无事不扰：近 {days} 天内已有 {len(conflicts)} 次其他单位的走访或计划，请确认后再保存。"
                ]
            },
            code="quiet",
        )
    plan = VisitPlan(
        campaign=campaign,
        enterprise=enterprise,
        unit=actor.org_unit,
        official=actor,
        planned_on=planned_on,
        purpose=purpose.strip()[:200],
        created_by=actor,
    )
    plan._history_user = actor
    plan.save()
    return plan
