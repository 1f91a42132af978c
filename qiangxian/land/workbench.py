"""The workbench's land items: idle space to dispose of, and objections to the per-mu results to rule on."""

from __future__ import annotations

from django.db.models import Count

from qiangxian.core import workbench
from qiangxian.core.access import scope_of

from . import selectors
from .choices import IdleState, ObjectionState
from .filters import IdleFilter
from .services.common import can_manage_evaluation

ROLES = ("admin", "leader", "office", "park", "town")


def sections(user) -> list[workbench.Section]:
    scope = scope_of(user)
    if not (scope.everything or scope.kind in ("town", "park", "zone")):
        return []
    idle = selectors.idle_items(user=user)
    items = [
        workbench.counted(
            f"闲置资源（{IdleState(state).label}）",
            "land:idle",
            idle,
            filterset_class=IdleFilter,
            params={"state": state},
            alert_tone=tone,
            key=f"idle-{state}",
        )
        for state, tone in ((IdleState.OPEN, "warning"), (IdleState.DISPOSING, "success"))
    ]
    if can_manage_evaluation(user):
        pending = (
            selectors.objections(user=user)
            .filter(state=ObjectionState.FILED)
            .values("run_id", "run__year")
            .annotate(n=Count("pk"))
            .order_by("-run__year", "run_id")
        )
        items += [
            workbench.Item(
                label=f"{row['run__year']}年亩均评价待裁定的异议",
                count=row["n"],
                url=workbench.link("land:run", args=[row["run_id"]]),
                tone="danger",
                key=f"objections-{row['run_id']}",
            )
            for row in pending
        ]
    return [
        workbench.Section(
            key="land", title="园区空间与亩均评价", icon="geo-alt", items=tuple(items), order=36
        )
    ]
