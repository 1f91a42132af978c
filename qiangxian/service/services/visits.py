"""Visits: campaigns, visit records (with the demands raised and files), the "无事不扰" check."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from qiangxian.core.choices import Role
from qiangxian.enterprises.models import Enterprise

from ..models import Visit, VisitAttachment, VisitCampaign, VisitPlan

DEFAULT_QUIET_DAYS = 30
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
TOPIC_FIELDS = ("production", "orders", "labour", "finance", "land", "utilities", "approvals", "plans")


def campaign_create(*, actor, **fields) -> VisitCampaign:
    """A new visit campaign (office only): see :func:`campaign_save`."""
    from .campaigns import campaign_save

    return campaign_save(actor=actor, campaign=None, **fields)


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
    # The visit fulfils this unit's open plans for the enterprise.
    VisitPlan.objects.filter(enterprise=enterprise, unit=actor.org_unit, visit__isnull=True).update(
        visit=visit
    )
    for spec in demands:
        demand_create(actor=actor, enterprise=enterprise, visit=visit, channel="visit", **spec)
    return visit
