"""The workbench's demand items: what is overdue (by unit for the office), what is routed to my
unit by deadline, and my unit's place in the league table."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.utils import timezone

from qiangxian.core import workbench
from qiangxian.core.access import scope_of
from qiangxian.core.formatting import round_half_up

from . import selectors
from .filters import DemandFilter

ROLES = ("admin", "leader", "office", "bureau", "park", "town")
LEADING_KINDS = ("bureau", "town", "park")  # the unit kinds the lead-unit filter offers

OVERDUE = {"overdue": "true"}


def sections(user) -> list[workbench.Section]:
    scope = scope_of(user)
    if not (scope.everything or scope.kind in ("bureau", "town", "park", "zone")):
        return []
    demands = selectors.demand_list(user=user)
    result: list[workbench.Section] = []
    if scope.everything or scope.kind in ("town", "park", "zone"):
        where = "全县" if scope.everything else "辖区企业"
        items = [
            workbench.counted(
                f"{where}超期诉求",
                "service:demands",
                demands,
                filterset_class=DemandFilter,
                params=OVERDUE,
                alert_tone="danger",
                key="demands-overdue",
            )
        ]
        if scope.everything and user.role != "leader":
            by_unit = (
                demands.filter(selectors.overdue_condition(timezone.localdate()), lead_unit__isnull=False)
                .filter(lead_unit__kind__in=LEADING_KINDS)
                .values("lead_unit_id", "lead_unit__name")
                .annotate(n=Count("pk"))
                .order_by("-n", "lead_unit__name")[:8]
            )
            items += [
                workbench.counted(
                    f"其中 {row['lead_unit__name']}",
                    "service:demands",
                    demands,
                    filterset_class=DemandFilter,
                    params={**OVERDUE, "lead_unit": row["lead_unit_id"]},
                    alert_tone="danger",
                    key=f"demands-overdue-unit-{row['lead_unit_id']}",
                )
                for row in by_unit
            ]
        result.append(
            workbench.Section(
                key="demands_overdue",
                title="企业诉求超期（按牵头单位）" if len(items) > 1 else "企业诉求",
                icon="chat-square-text",
                items=tuple(items),
                order=30,
            )
        )
    unit = user.org_unit
    if unit is not None and unit.kind in LEADING_KINDS and not scope.everything:
        mine = {"lead_unit": unit.pk}
        result.append(
            workbench.Section(
                key="demands_mine",
                title="交给本单位牵头办理的诉求",
                note="超期的排在最前",
                icon="inbox",
                items=(
                    workbench.counted(
                        "已超期",
                        "service:demands",
                        demands,
                        filterset_class=DemandFilter,
                        params={**mine, **OVERDUE},
                        alert_tone="danger",
                        key="demands-mine-overdue",
                    ),
                    workbench.counted(
                        "待办诉求（按时限排序）",
                        "service:my_work",
                        selectors.my_work(user=user),
                        key="demands-mine-open",
                    ),
                ),
                order=5 if unit.kind == "bureau" else 32,
            )
        )
        standing = _standing(unit.pk)
        if standing is not None:
            result.append(standing)
    return result


def _standing(unit_id: int) -> workbench.Section | None:
    """My unit's place in this year's league table (by resolution rate, as the table sorts)."""
    today = timezone.localdate()
    rows = selectors.league_table(
        first_month=dt.date(today.year, 1, 1), last_month=dt.date(today.year, 12, 1)
    )
    ranked = [r for r in rows if r.unit_id is not None]
    place = next((i for i, r in enumerate(ranked, start=1) if r.unit_id == unit_id), None)
    if place is None:
        return None
    row = ranked[place - 1]

    def pct(v):
        return "—" if v is None else f"{round_half_up(v, 1)}%"

    return workbench.Section(
        key="league",
        title=f"本单位晾晒排名（{today.year}年）",
        icon="trophy",
        items=(
            workbench.Item(
                label="诉求办理排名",
                value=f"第 {place} 名 / 共 {len(ranked)} 个单位",
                note=f"响应率 {pct(row.response_rate)} · 解决率 {pct(row.resolution_rate)} · "
                f"满意率 {pct(row.satisfaction_rate)}",
                tone="success" if place <= max(1, len(ranked) // 3) else "",
                url=workbench.link("service:league", {"year": today.year}),
                key="league-place",
            ),
        ),
        order=7,
    )
