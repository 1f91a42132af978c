"""Reads of org units, users and jobs, scoped to the asking user."""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404

from .access import get_visible_or_404, scope_of, within_counties
from .choices import OrgUnitKind
from .models import BackgroundJob, OrgUnit, User


def org_unit_list(*, user, kind: str | None = None, query: str = ""):
    """Org units the user may see, optionally of one kind or matching a name."""
    qs = OrgUnit.objects.visible_to(user).select_related("parent")
    if kind:
        qs = qs.filter(kind=kind)
    if query:
        qs = qs.filter(name__icontains=query)
    return qs


def access_org_unit_by_id(user, pk) -> OrgUnit:
    """One org unit, or "not found" for missing and forbidden alike."""
    return get_visible_or_404(OrgUnit.objects, user, pk)


def units_of_kind(kind: str):
    """Active units of one kind in display order (for choices in forms and filters)."""
    return OrgUnit.objects.filter(kind=kind, is_active=True).order_by("sort_order", "name")


def zones_of_park(park_id: int):
    """The zones of one park."""
    return OrgUnit.objects.filter(kind=OrgUnitKind.ZONE, parent_id=park_id).order_by("sort_order", "name")


def user_list(*, user, query: str = ""):
    """Users, for those who administer them; nobody else lists users."""
    if not user.can_administer:
        return User.objects.none()
    qs = within_counties(User.objects.select_related("org_unit"), scope_of(user))
    if query:
        qs = qs.filter(Q(username__icontains=query) | Q(display_name__icontains=query))
    return qs


def administered_users(user):
    """The accounts a security or audit administrator looks after: those of the counties of their
    jurisdiction, and, for a city or province administrator, of the units at their level (the
    city's office...). Everyone where there is no county boundary (a lone county)."""
    scope = scope_of(user)
    if scope.counties is None:
        return User.objects.all() if getattr(user, "is_authenticated", False) else User.objects.none()
    q = Q(org_unit__county__in=scope.counties)
    if scope.above_counties and scope.unit_id:
        q |= Q(org_unit_id=scope.unit_id) | Q(
            org_unit__parent_id=scope.unit_id, org_unit__county__isnull=True
        )
    return User.objects.filter(q)


def access_user_by_id(user, pk) -> User:
    """One user record for an administrator; "not found" otherwise."""
    try:
        return user_list(user=user).get(pk=pk)
    except (User.DoesNotExist, ValueError) as exc:
        raise Http404("未找到该用户。") from exc


def access_job_by_id(user, pk) -> BackgroundJob:
    """A background job is visible to the person who started it."""
    try:
        return BackgroundJob.objects.get(pk=pk, owner=user)
    except (BackgroundJob.DoesNotExist, ValueError) as exc:
        raise Http404("未找到该任务。") from exc
