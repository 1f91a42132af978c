"""The workbench's project items: lights, 签约未开工, and the problems overdue or routed to a unit."""

from __future__ import annotations

from qiangxian.core import workbench
from qiangxian.core.access import scope_of

from . import selectors, services
from .choices import Light, ProblemState, Stage
from .filters import ProblemFilter, ProjectFilter

ROLES = ("admin", "leader", "office", "bureau", "park", "town")
LIGHT_TONES = {Light.RED: "danger", Light.YELLOW: "warning", Light.GREEN: "success"}


def sections(user) -> list[workbench.Section]:
    scope = scope_of(user)
    if not (scope.everything or scope.kind in ("bureau", "town", "park", "zone")):
        return []
    services.lights_refresh_if_stale()
    projects = selectors.project_list(user=user)
    problems = selectors.problem_list(user=user)
    result: list[workbench.Section] = []
    if scope.kind != "bureau":
        items = [
            workbench.counted(
                f"{Light(light).label}项目",
                "projects:list",
                projects,
                filterset_class=ProjectFilter,
                params={"light": light},
                tone=tone,
                key=f"light-{light}",
            )
            for light, tone in LIGHT_TONES.items()
        ]
        items.append(
            workbench.counted(
                "签约未开工项目",
                "projects:signed_not_started",
                projects.filter(stage=Stage.SIGNED),
                alert_tone="warning",
                key="signed-not-started",
            )
        )
        items.append(
            workbench.counted(
                "超期未解决的项目问题",
                "projects:problems",
                problems,
                filterset_class=ProblemFilter,
                params={"state": ProblemState.OVERDUE},
                alert_tone="danger",
                key="problems-overdue",
            )
        )
        where = "全县" if scope.everything else "本辖区"
        result.append(
            workbench.Section(
                key="projects", title=f"{where}项目", icon="kanban", items=tuple(items), order=15
            )
        )
    if scope.everything and user.role != "leader":
        by_unit = selectors.overdue_by_unit(user=user)[:8]
        rows = tuple(
            workbench.counted(
                row["unit"] or "未指定责任单位",
                "projects:problems",
                problems,
                filterset_class=ProblemFilter,
                params={"state": ProblemState.OVERDUE, "owner_unit": row["unit_id"]},
                alert_tone="danger",
                key=f"problems-overdue-unit-{row['unit_id']}",
            )
            for row in by_unit
            if row["unit_id"]
        )
        if rows:
            result.append(
                workbench.Section(
                    key="problems_by_unit",
                    title="超期项目问题（按责任单位）",
                    icon="hourglass-bottom",
                    items=rows,
                    order=31,
                )
            )
    if user.org_unit_id and scope.kind in ("bureau", "town", "park"):
        mine = {"owner_unit": user.org_unit_id}
        result.append(
            workbench.Section(
                key="problems_mine",
                title="交给本单位的项目问题",
                icon="tools",
                items=(
                    workbench.counted(
                        "已超期",
                        "projects:problems",
                        problems,
                        filterset_class=ProblemFilter,
                        params={**mine, "state": ProblemState.OVERDUE},
                        alert_tone="danger",
                        key="problems-mine-overdue",
                    ),
                    workbench.counted(
                        "办理中（含超期）",
                        "projects:problems",
                        problems,
                        filterset_class=ProblemFilter,
                        params={**mine, "state": ProblemState.OPEN},
                        key="problems-mine-open",
                    ),
                ),
                order=6 if scope.kind == "bureau" else 34,
            )
        )
    return result
