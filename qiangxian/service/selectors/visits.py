"""Visit lists and a campaign's coverage by unit, town, tier and official."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from qiangxian.core.access import get_visible_or_404
from qiangxian.enterprises.models import Enterprise, EnterpriseLiaison

from ..models import Visit, VisitCampaign, VisitPlan


def visit_list(*, user):
    return Visit.objects.visible_to(user).select_related("enterprise", "enterprise__town", "unit", "campaign")


def access_visit_by_id(user, pk) -> Visit:
    return get_visible_or_404(
        Visit.objects.select_related("enterprise", "unit", "campaign", "created_by"), user, pk
    )


@dataclass
class CoverageLine:
    label: str
    planned: int
    visited: int
    scheduled: int = 0  # enterprises with a planned visit (走访计划) in the campaign

    @property
    def share(self) -> int | None:
        return round(self.visited * 100 / self.planned) if self.planned else None


@dataclass
class Coverage:
    by_unit: list[CoverageLine]
    by_town: list[CoverageLine]
    by_tier: list[CoverageLine]
    by_official: list[CoverageLine]
    never_visited: list[Enterprise]
    months: int


def campaign_coverage(
    *, campaign: VisitCampaign, user, months: int = 6, today: dt.date | None = None
) -> Coverage:
    """Who visited whom in the campaign, against the targets and the liaison assignments.

    Planned for an official: the campaign's enterprises the official is a liaison of; for a unit:
    the unit's target (or the enterprises its officials liaise with when no target is set).
    Counts are of distinct enterprises visited within the campaign's period; ``scheduled`` counts
    the distinct enterprises with a planned visit (made or not) in the campaign.
    """
    today = today or timezone.localdate()
    enterprises = Enterprise.objects.visible_to(user).filter(visit_campaigns=campaign)
    in_period = Q(visits__visited_on__gte=campaign.starts_on, visits__visited_on__lte=campaign.ends_on)
    visits = Visit.objects.filter(
        enterprise__in=enterprises, visited_on__gte=campaign.starts_on, visited_on__lte=campaign.ends_on
    )

    plans = list(
        VisitPlan.objects.filter(campaign=campaign, enterprise__in=enterprises).values_list(
            "unit__name", "official_id", "enterprise_id"
        )
    )
    scheduled = {e for _, _, e in plans}
    counts = {
        "planned": Count("pk", distinct=True),
        "visited": Count("pk", filter=in_period, distinct=True),
        "scheduled": Count("pk", filter=Q(pk__in=scheduled), distinct=True),
    }
    by_town = [
        CoverageLine(r["town__name"], r["planned"], r["visited"], r["scheduled"])
        for r in enterprises.values("town__name").annotate(**counts).order_by("town__name")
    ]
    tiers = enterprises.values("above_scale").annotate(**counts).order_by("-above_scale")
    by_tier = [
        CoverageLine(
            "规上企业" if r["above_scale"] else "规下企业", r["planned"], r["visited"], r["scheduled"]
        )
        for r in tiers
    ]
    scheduled_by_unit: dict[str, set[int]] = {}
    scheduled_by_official: dict[int, set[int]] = {}
    for unit_name, official_id, enterprise_id in plans:
        scheduled_by_unit.setdefault(unit_name, set()).add(enterprise_id)
        scheduled_by_official.setdefault(official_id, set()).add(enterprise_id)

    visited_by_unit = dict(
        visits.values("unit__name")
        .annotate(n=Count("enterprise", distinct=True))
        .values_list("unit__name", "n")
    )
    targets = {t.unit.name: t.target for t in campaign.targets.select_related("unit")}
    liaisons = EnterpriseLiaison.objects.filter(enterprise__in=enterprises).select_related(
        "user", "user__org_unit"
    )
    planned_by_unit: dict[str, set[int]] = {}
    planned_by_official: dict[int, tuple[str, set[int]]] = {}
    for link in liaisons:
        unit_name = link.user.org_unit.name if link.user.org_unit else "未分配单位"
        planned_by_unit.setdefault(unit_name, set()).add(link.enterprise_id)
        planned_by_official.setdefault(link.user_id, (f"{link.user}（{unit_name}）", set()))[1].add(
            link.enterprise_id
        )
    unit_names = sorted(set(targets) | set(planned_by_unit) | set(visited_by_unit) | set(scheduled_by_unit))
    by_unit = [
        CoverageLine(
            name,
            targets.get(name, len(planned_by_unit.get(name, ()))),
            visited_by_unit.get(name, 0),
            len(scheduled_by_unit.get(name, ())),
        )
        for name in unit_names
    ]
    visited_pairs = set(visits.values_list("visitors", "enterprise_id"))
    by_official = [
        CoverageLine(
            label,
            len(planned),
            sum(1 for e in planned if (user_id, e) in visited_pairs),
            len(scheduled_by_official.get(user_id, ())),
        )
        for user_id, (label, planned) in sorted(planned_by_official.items(), key=lambda kv: kv[1][0])
    ]
    since = today - dt.timedelta(days=30 * months)
    never = list(
        enterprises.exclude(visits__visited_on__gte=since)
        .select_related("town")
        .order_by("town__name", "name")[:200]
    )
    return Coverage(by_unit, by_town, by_tier, by_official, never, months)


def visit_plan_list(*, user):
    return VisitPlan.objects.visible_to(user).select_related(
        "enterprise", "enterprise__town", "unit", "official", "campaign", "visit"
    )
