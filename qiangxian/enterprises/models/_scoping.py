"""Scoping of the registry's models: the jurisdiction gate plus the enterprises a liaison looks after."""

from __future__ import annotations

from typing import ClassVar

from django.db.models import Q

from qiangxian.core.access import ScopedQuerySet, scope_of


class RegistryQuerySet(ScopedQuerySet):
    """Rows of the registry: visible by jurisdiction, and to the liaison officials of their enterprise.

    A liaison (包联领导/干部) or a task force's leader may be a bureau or town official outside the
    enterprise's jurisdiction; the county assigns them to that enterprise, so they must see it.
    ``enterprise_path`` is the lookup from this model to the enterprise id ("pk" for the enterprise).
    """

    enterprise_path: ClassVar[str] = "enterprise_id"

    def visible_to(self, user):
        scope = scope_of(user)
        q = self.scope_q(scope)
        if scope.everything or (scope.kind == "bureau" and self.bureau_reads_all):
            return self.filter(q)
        if user is None or not user.is_authenticated:
            return self.none()
        from .registry import Enterprise, EnterpriseLiaison

        liaised = EnterpriseLiaison.objects.filter(user=user).values("enterprise_id")
        led = Enterprise.objects.filter(task_force__leader=user).values("pk")
        path = f"{self.enterprise_path}__in"
        return self.filter(q | Q(**{path: liaised}) | Q(**{path: led}))
