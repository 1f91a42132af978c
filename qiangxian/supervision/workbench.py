"""The workbench's supervised tasks (督办): overdue across the county, or those involving my unit."""

from __future__ import annotations

from qiangxian.core import workbench
from qiangxian.core.access import scope_of

from . import selectors, services
from .choices import TaskStatus
from .filters import UNIT_KINDS, TaskFilter

ROLES = ("admin", "leader", "office", "bureau", "park", "town")


def sections(user) -> list[workbench.Section]:
    scope = scope_of(user)
    unit = user.org_unit
    own = not scope.everything and unit is not None and unit.kind in UNIT_KINDS
    if not (scope.everything or own):
        return []
    services.overdue_sweep()  # as the task list does when opened, so both count the same
    tasks = selectors.task_list(user=user)
    mine = {"unit": unit.pk} if own else {}
    items = [
        workbench.counted(
            "逾期的督办事项",
            "supervision:task_list",
            tasks,
            filterset_class=TaskFilter,
            params={**mine, "status": TaskStatus.OVERDUE},
            alert_tone="danger",
            key="tasks-overdue",
        ),
        workbench.counted(
            "推进中的督办事项",
            "supervision:task_list",
            tasks,
            filterset_class=TaskFilter,
            params={**mine, "status": TaskStatus.IN_PROGRESS},
            key="tasks-in-progress",
        ),
    ]
    title = "本单位牵头或配合的督办事项" if own else "督办事项"
    return [
        workbench.Section(
            key="supervision", title=title, icon="clipboard-check", items=tuple(items), order=38
        )
    ]
