"""Reads of the registry, always through the models' ``visible_to(user)``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, Q

from qiangxian.core.access import get_visible_or_404, scope_of

from .choices import OPEN_MEASURE_STATUSES, DesignationKind
from .models import (
    Cluster,
    ClusterMembership,
    CultivationPlan,
    Designation,
    Enterprise,
    EnterpriseContact,
    EnterpriseLiaison,
    ImportBatch,
    PlanMeasure,
    TaskForce,
)

EXPIRY_WINDOW_DAYS = 90


def enterprise_list(*, user, query: str = ""):
    """Enterprises the user may see, with their places and first contacts loaded for display."""
    qs = (
        Enterprise.objects.visible_to(user)
        .select_related("town", "park", "zone")
        .prefetch_related(
            Prefetch("contacts", queryset=EnterpriseContact.objects.order_by("sort_order", "pk"))
        )
    )
    if query:
        qs = qs.filter(enterprise_search_q(query))
    return qs


def registry_version() -> str:
    """Fingerprint of what the registry list shows and filters on: the enterprises, their
    contacts, liaisons, titles and clusters, the units, the liaison users' names (read as they
    are: every login writes a user history row) and the day (a title's validity is judged on it)."""
    from django.utils import timezone

    from qiangxian.core.models import OrgUnit
    from qiangxian.core.versions import history_fingerprint

    names = list(liaison_users().values_list("pk", "display_name", "username"))

    return history_fingerprint(
        Enterprise,
        EnterpriseContact,
        EnterpriseLiaison,
        Designation,
        Cluster,
        ClusterMembership,
        OrgUnit,
        extra=[timezone.localdate(), names],
    )


def enterprise_search_q(query: str) -> Q:
    """Match by name, former name, short name, code or pinyin initials (e.g. "qsxy" for 青山鞋业)."""
    query = query.strip()
    q = (
        Q(name__icontains=query)
        | Q(short_name__icontains=query)
        | Q(former_names__icontains=query)
        | Q(uscc__icontains=query.upper())
    )
    if query.isascii() and query.isalpha():
        q |= Q(pinyin_initials__icontains=query.lower())
    if query.isdigit() and len(query) >= 6:
        q |= Q(registration_number__startswith=query)
    return q


def jurisdiction_q(user) -> Q | None:
    """Enterprises inside the jurisdiction of a town, park or zone user (None for other users).

    Such a user also sees the enterprises it looks after as a liaison (包联) wherever they lie;
    lists label those outside the jurisdiction instead of mixing them in without a word.
    """
    scope = scope_of(user)
    if scope.everything or scope.kind not in ("town", "park", "zone") or user is None:
        return None
    return Enterprise.objects.scope_q(scope)


def liaison_outside(*, user):
    """The enterprises a town, park or zone user sees only as their liaison: outside its jurisdiction."""
    inside = jurisdiction_q(user)
    if inside is None:
        return Enterprise.objects.none()
    return Enterprise.objects.visible_to(user).exclude(inside)


def access_enterprise_by_id(user, pk) -> Enterprise:
    """One enterprise, or the same "not found" for missing and forbidden."""
    return get_visible_or_404(
        Enterprise.objects.select_related("town", "park", "zone", "task_force"), user, pk
    )


# --- designations --------------------------------------------------------------------------------


def designation_list(*, user):
    """Titles of the enterprises the user may see."""
    return Designation.objects.visible_to(user).select_related("enterprise", "enterprise__town")


def access_designation_by_id(user, pk) -> Designation:
    return get_visible_or_404(Designation.objects.select_related("enterprise"), user, pk)


def designations_expiring(*, user, today: dt.date | None = None, days: int = EXPIRY_WINDOW_DAYS):
    """Titles whose term ends within the next ``days`` days."""
    today = today or dt.date.today()
    return (
        designation_list(user=user)
        .filter(valid_to__gte=today, valid_to__lte=today + dt.timedelta(days=days), exit_month__isnull=True)
        .exclude(kind=DesignationKind.ABOVE_SCALE)
        .order_by("valid_to", "pk")
    )


def designations_awaiting_review(*, user, today: dt.date | None = None):
    """Expired titles with no later record of the same title: they await re-review (复核)."""
    today = today or dt.date.today()
    renewed = Designation.objects.filter(
        enterprise_id=OuterRef("enterprise_id"), kind=OuterRef("kind"), valid_from__gt=OuterRef("valid_from")
    )
    return (
        designation_list(user=user)
        .filter(valid_to__lt=today, exit_month__isnull=True)
        .exclude(kind=DesignationKind.ABOVE_SCALE)
        .exclude(Exists(renewed))
        .order_by("valid_to", "pk")
    )


# --- plans -------------------------------------------------------------------------------------


def plan_list(*, user):
    """Cultivation plans of the enterprises the user may see, with counts of open and overdue measures."""
    today = dt.date.today()
    return (
        CultivationPlan.objects.visible_to(user)
        .select_related("enterprise", "enterprise__town")
        .annotate(
            measure_count=Count("measures", distinct=True),
            overdue_count=Count(
                "measures",
                filter=Q(measures__deadline__lt=today, measures__status__in=OPEN_MEASURE_STATUSES),
                distinct=True,
            ),
        )
    )


def access_plan_by_id(user, pk) -> CultivationPlan:
    return get_visible_or_404(CultivationPlan.objects.select_related("enterprise", "created_by"), user, pk)


def access_measure_by_id(user, pk) -> PlanMeasure:
    return get_visible_or_404(PlanMeasure.objects.select_related("plan", "plan__enterprise"), user, pk)


def overdue_measures(*, user, today: dt.date | None = None):
    """Open measures past their deadline."""
    today = today or dt.date.today()
    return (
        PlanMeasure.objects.visible_to(user)
        .filter(deadline__lt=today, status__in=OPEN_MEASURE_STATUSES)
        .select_related("plan", "plan__enterprise", "responsible_unit")
        .order_by("deadline", "pk")
    )


# --- liaisons ----------------------------------------------------------------------------------


@dataclass
class LiaisonEnterprise:
    enterprise: Enterprise
    roles: list[str]
    expiring: list[Designation] = field(default_factory=list)
    expired: list[Designation] = field(default_factory=list)
    overdue: list[PlanMeasure] = field(default_factory=list)

    @property
    def attention(self) -> int:
        return len(self.expiring) + len(self.expired) + len(self.overdue)


def my_enterprises(*, user, today: dt.date | None = None) -> list[LiaisonEnterprise]:
    """The enterprises a user looks after (as liaison or task-force leader) with what needs attention."""
    today = today or dt.date.today()
    assignments = EnterpriseLiaison.objects.filter(user=user).select_related("enterprise", "enterprise__town")
    result: dict[int, LiaisonEnterprise] = {}
    for a in assignments:
        result.setdefault(a.enterprise_id, LiaisonEnterprise(a.enterprise, [])).roles.append(
            a.get_role_display()
        )
    for e in Enterprise.objects.filter(task_force__leader=user).select_related("town", "task_force"):
        result.setdefault(e.pk, LiaisonEnterprise(e, [])).roles.append(f"专班负责人（{e.task_force}）")
    ids = list(result)
    for d in designations_expiring(user=user, today=today).filter(enterprise_id__in=ids):
        result[d.enterprise_id].expiring.append(d)
    for d in designations_awaiting_review(user=user, today=today).filter(enterprise_id__in=ids):
        result[d.enterprise_id].expired.append(d)
    for m in overdue_measures(user=user, today=today).filter(plan__enterprise_id__in=ids):
        result[m.plan.enterprise_id].overdue.append(m)
    return sorted(result.values(), key=lambda x: (-x.attention, x.enterprise.name))


def liaison_users():
    """Users who look after at least one enterprise, for the list filter."""
    from qiangxian.core.models import User

    return (
        User.objects.filter(liaison_assignments__isnull=False).distinct().order_by("display_name", "username")
    )


def cluster_list(user):
    """The clusters that apply to the user's counties, counting only the members they may see."""
    mine = Q(memberships__enterprise__in=Enterprise.objects.visible_to(user).values("pk"))
    return Cluster.objects.visible_to(user).annotate(
        member_count=Count("memberships", filter=mine),
        manual_count=Count("memberships", filter=mine & Q(memberships__manual=True)),
    )


def task_force_list(user):
    """The task forces of the user's county (or set up above it)."""
    mine = Q(enterprises__in=Enterprise.objects.visible_to(user).values("pk"))
    return (
        TaskForce.objects.visible_to(user)
        .select_related("lead_unit", "leader")
        .annotate(enterprise_count=Count("enterprises", filter=mine))
    )


def import_batches():
    return ImportBatch.objects.select_related("created_by", "undone_by")
