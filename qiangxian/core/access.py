"""The single access gate: what a user's role and unit let them see.

Every app's querysets implement ``visible_to(user)`` with :class:`ScopedQuerySet`, declaring how
a row reaches a town, a park, a zone, an enterprise or a bureau. Selectors call it; nothing else
filters by jurisdiction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.http import Http404

from .choices import OrgUnitKind, Role


@dataclass(frozen=True)
class Scope:
    """What a user may see, reduced to the few shapes the county's jurisdictions take."""

    everything: bool = False
    kind: str = ""  # one of "town", "park", "zone", "enterprise", "bureau" when not everything
    unit_id: int | None = None


NOTHING = Scope()


def scope_of(user) -> Scope:
    """The user's scope from role and unit; anonymous or unplaced users see nothing."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NOTHING
    if user.is_superuser or user.role in (Role.ADMIN, Role.LEADER, Role.OFFICE):
        return Scope(everything=True)
    unit = user.org_unit
    if unit is None:
        return NOTHING
    if user.role == Role.TOWN and unit.kind == OrgUnitKind.TOWN:
        return Scope(kind="town", unit_id=unit.pk)
    if user.role == Role.PARK and unit.kind == OrgUnitKind.PARK:
        return Scope(kind="park", unit_id=unit.pk)
    if user.role == Role.PARK and unit.kind == OrgUnitKind.ZONE:
        return Scope(kind="zone", unit_id=unit.pk)
    if user.role == Role.ENTERPRISE and unit.kind == OrgUnitKind.ENTERPRISE:
        return Scope(kind="enterprise", unit_id=unit.pk)
    if user.role == Role.BUREAU and unit.kind == OrgUnitKind.BUREAU:
        return Scope(kind="bureau", unit_id=unit.pk)
    return NOTHING


class ScopedQuerySet(models.QuerySet):
    """A queryset that knows how its rows belong to jurisdictions.

    ``scope_paths`` maps a scope kind to the lookup (relative to this model) of the org unit that
    owns the row in that jurisdiction; a kind that is missing sees none of these rows. A bureau
    either sees the rows routed to it (path under "bureau") or, where ``bureau_reads_all`` is set,
    the whole table (the registry is the county's common directory).
    """

    scope_paths: ClassVar[dict[str, str]] = {}
    bureau_reads_all: ClassVar[bool] = False

    def visible_to(self, user):
        """Only the rows the user may see."""
        return self.filter(scope_filter(scope_of(user), self.scope_paths, self.bureau_reads_all))


def scope_filter(scope: Scope, paths: dict[str, str], bureau_reads_all: bool = False) -> Q:
    """The Q object for a scope; a Q that matches nothing when the scope has no path here."""
    if scope.everything or (scope.kind == "bureau" and bureau_reads_all):
        return Q()
    path = paths.get(scope.kind)
    if scope.unit_id is None or path is None:
        return Q(pk__in=[])
    return Q(**{path: scope.unit_id})


def get_visible_or_404(queryset, user, pk):
    """The object if the user may see it; the same "not found" for missing and forbidden."""
    try:
        return queryset.visible_to(user).get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("未找到该记录，或您无权查看。") from exc
