"""Visits: campaigns, visit records (with the demands raised and files), the "无事不扰" check."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from qiangxian.core.choices import Role
from qiangxian.enterprises.models import Enterprise

from ..models import CampaignTarget, Visit, VisitAttachment, VisitCampaign

DEFAULT_QUIET_DAYS = 30
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
TOPIC_FIELDS = ("production", "orders", "labour", "finance", "land", "utilities", "approvals", "plans")


@transaction.atomic
def campaign_create(
    *,
    actor,
    name: str,
    starts_on: dt.date | None,
    ends_on: dt.date | None,
    enterprises: Iterable[Enterprise] = (),
    targets: dict | None = None,
    description: str = "",
    quiet_days: int = DEFAULT_QUIET_DAYS,
) -> VisitCampaign:
    """A visit campaign over a set of enterprises with a coverage target per unit (office only)."""
    if not actor.can_manage:
        raise PermissionDenied("只有领导小组办公室可以发起走访活动。")
    errors: dict[str, list[str]] = {}
    if not (name or "").strip():
        errors["name"] = ["请填写活动名称。"]
    elif VisitCampaign.objects.filter(name=name.strip()).exists():
        errors["name"] = ["已有同名的走访活动。"]
    if starts_on is None or ends_on is None:
        errors["ends_on"] = ["请填写起止日期。"]
    elif ends_on < starts_on:
        errors["ends_on"] = ["结束日期不能早于开始日期。"]
    if errors:
        raise ValidationError(errors)
    campaign = VisitCampaign(
        name=name.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        description=description,
        quiet_days=quiet_days,
        created_by=actor,
    )
    campaign._history_user = actor
    campaign.save()
    campaign.enterprises.set(list(enterprises))
    CampaignTarget.objects.bulk_create(
        CampaignTarget(campaign=campaign, unit=unit, target=count) for unit, count in (targets or {}).items()
    )
    return campaign


def visits_recent(*, enterprise: Enterprise, on: dt.date, days: int, unit=None) -> list[Visit]:
    """Visits to the enterprise by other units within ``days`` before ``on`` ("无事不扰")."""
    since = on - dt.timedelta(days=days)
    queryset = Visit.objects.filter(enterprise=enterprise, visited_on__gte=since, visited_on__lte=on)
    if unit is not None:
        queryset = queryset.exclude(unit=unit)
    return list(
        queryset.select_related("unit", "created_by").prefetch_related("visitors").order_by("-visited_on")
    )


@transaction.atomic
def visit_create(
    *,
    actor,
    enterprise: Enterprise | None,
    visited_on: dt.date | None,
    campaign: VisitCampaign | None = None,
    visitors: Iterable = (),
    visitor_names: str = "",
    people_met: str = "",
    purpose: str = "",
    by_phone: bool = False,
    topics: dict[str, str] | None = None,
    files: Iterable = (),
    demands: Iterable[dict] = (),
) -> Visit:
    """Record a visit, with the demands raised in it (each routed like any demand) and its files."""
    from .demands import demand_create

    if actor.role == Role.ENTERPRISE or actor.org_unit_id is None:
        raise PermissionDenied("只有政府工作人员可以登记走访。")
    errors: dict[str, list[str]] = {}
    if enterprise is None:
        errors["enterprise"] = ["请选择走访的企业。"]
    elif not Enterprise.objects.visible_to(actor).filter(pk=enterprise.pk).exists():
        errors["enterprise"] = ["您无权为该企业登记走访。"]
    today = timezone.localdate()
    if visited_on is None:
        errors["visited_on"] = ["请填写走访日期。"]
    elif visited_on > today:
        errors["visited_on"] = ["走访日期不能晚于今天（计划中的走访请到达后再登记）。"]
    files = list(files)
    for f in files:
        if f.size > MAX_ATTACHMENT_BYTES:
            errors.setdefault("files", []).append(f"文件“{f.name}”超过 20MB。")
    if errors:
        raise ValidationError(errors)
    visit = Visit(
        campaign=campaign,
        enterprise=enterprise,
        visited_on=visited_on,
        unit=actor.org_unit,
        visitor_names=visitor_names.strip()[:200],
        people_met=people_met.strip()[:200],
        purpose=purpose.strip()[:200],
        by_phone=by_phone,
        created_by=actor,
        **{k: (v or "").strip() for k, v in (topics or {}).items() if k in TOPIC_FIELDS},
    )
    visit._history_user = actor
    visit.save()
    visit.visitors.set([actor, *[v for v in visitors if v is not None]])
    for f in files:
        attachment = VisitAttachment(visit=visit, name=f.name[:200], uploaded_by=actor)
        attachment.file.save(f.name, f, save=False)
        attachment._history_user = actor
        attachment.save()
    for spec in demands:
        demand_create(actor=actor, enterprise=enterprise, visit=visit, channel="visit", **spec)
    return visit
