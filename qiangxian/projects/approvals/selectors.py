"""Reads of approval items, scoped to the user: checklists, the items list, units' performance.

Units' performance counts an item's working days at the unit from acceptance (or submission)
to approval; the median and the 90th percentile are nearest-rank (a value some item actually
took). The signing-to-start breakdown charges each stretch between signing and start to the
approval whose completion ended it (the one completed last so far), so the parts add up to the
whole span and show which approvals the projects waited for.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict

from django.utils import timezone

from qiangxian.core.access import get_visible_or_404
from qiangxian.core.models import OrgUnit
from qiangxian.core.workdays import working_days_between

from ..choices import Stage
from ..models import ApprovalItem, ApprovalKind, ApprovalTemplate, Project, RegionalAssessment
from . import blocking

FACT_FIELDS = (
    "project_id",
    "kind__name",
    "unit__name",
    "kind__phase",
    "position",
    "statutory_days",
    "promised_days",
    "submitted_on",
    "accepted_on",
    "approved_on",
    "returned_on",
    "not_applicable",
    "inherited_from_id",
)


def _facts(row: dict) -> blocking.ItemFacts:
    return blocking.ItemFacts(
        name=row["kind__name"],
        unit=row["unit__name"] or "",
        phase=row["kind__phase"],
        position=row["position"],
        statutory_days=row["statutory_days"],
        promised_days=row["promised_days"],
        submitted_on=row["submitted_on"],
        accepted_on=row["accepted_on"],
        approved_on=row["approved_on"],
        returned_on=row["returned_on"],
        not_applicable=row["not_applicable"],
        inherited=row["inherited_from_id"] is not None,
    )


def item_facts_by_project(*, project_ids=None) -> dict[int, tuple[blocking.ItemFacts, ...]]:
    """The open items of every checklist as pure facts, in one query (unscoped: for the light
    refresh). Done items never block, are never late now and take no time in a forecast."""
    rows = ApprovalItem.objects.filter(
        approved_on__isnull=True, not_applicable=False, inherited_from__isnull=True
    ).order_by()
    if project_ids is not None:
        rows = rows.filter(project_id__in=project_ids)
    grouped: dict[int, list] = defaultdict(list)
    for row in rows.values(*FACT_FIELDS):
        grouped[row["project_id"]].append(_facts(row))
    return {pk: tuple(items) for pk, items in grouped.items()}


def facts_of(item: ApprovalItem) -> blocking.ItemFacts:
    """One loaded item as pure facts."""
    return blocking.ItemFacts(
        name=item.kind.name,
        unit=item.unit.name if item.unit_id else "",
        phase=item.kind.phase,
        position=item.position,
        statutory_days=item.statutory_days,
        promised_days=item.promised_days,
        submitted_on=item.submitted_on,
        accepted_on=item.accepted_on,
        approved_on=item.approved_on,
        returned_on=item.returned_on,
        not_applicable=item.not_applicable,
        inherited=item.inherited_from_id is not None,
    )


def annotate_item(item: ApprovalItem, today: dt.date) -> ApprovalItem:
    """Attach what pages show: status, working days held, due date, lateness."""
    facts = facts_of(item)
    item.status = blocking.status_of(facts)
    item.status_label = blocking.ApprovalStatus(item.status).label
    item.held_days = blocking.held_days(facts, today)
    item.due_on = blocking.due_on(facts)
    item.late = blocking.lateness(facts, today)
    return item


def checklist(project: Project, today: dt.date | None = None) -> list[ApprovalItem]:
    """A project's items in order, each with its status and days."""
    today = today or timezone.localdate()
    items = ApprovalItem.objects.filter(project=project).select_related(
        "kind", "unit", "inherited_from", "inherited_from__zone"
    )
    return [annotate_item(item, today) for item in items]


def checklist_summary(items: list[ApprovalItem], today: dt.date | None = None) -> dict:
    """Counts, the blocker and the forecast for a loaded checklist."""
    today = today or timezone.localdate()
    facts = [facts_of(i) for i in items]
    return {
        "total": len(items),
        "done": sum(1 for i in items if i.status in blocking.DONE_STATUSES),
        "blocker": blocking.blocker(facts, today),
        "forecast": blocking.forecast(facts, today),
    }


def item_list(*, user):
    """Items the user may see, with what the list shows joined in."""
    return ApprovalItem.objects.visible_to(user).select_related("project", "kind", "unit", "inherited_from")


def access_item_by_id(user, pk) -> ApprovalItem:
    """One item, or the same "not found" for missing and forbidden."""
    return get_visible_or_404(
        ApprovalItem.objects.select_related("project", "kind", "unit", "inherited_from"), user, pk
    )


def templates():
    """The checklist templates with their kinds in order."""
    return ApprovalTemplate.objects.prefetch_related("items__kind", "items__kind__default_unit")


def kinds():
    """Every kind of approval or connection, in phase order."""
    return ApprovalKind.objects.select_related("default_unit")


def regional_list(*, user):
    """The zones' regional assessments the user may see."""
    return RegionalAssessment.objects.visible_to(user).select_related("zone", "zone__parent", "kind")


# --- units' performance ---------------------------------------------------------------------


def nearest_rank(values: list[int], share: float) -> int | None:
    """The nearest-rank percentile: the smallest value with at least ``share`` of values at or below."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def unit_performance(*, user, today: dt.date | None = None, year: int | None = None) -> list[dict]:
    """Per approving unit: items handled (approved, in ``year`` when given), median and p90 working
    days against the median limits, share within the promised limit, open and overdue now.

    Handled items are read as integers (``days_taken``); only open items need today's count.
    """
    today = today or timezone.localdate()
    rows = item_list(user=user).filter(not_applicable=False, inherited_from__isnull=True).order_by()
    rows = rows.select_related(None)
    handled = rows.filter(approved_on__isnull=False, days_taken__isnull=False)
    if year is not None:
        handled = handled.filter(approved_on__year=year)
    stats: dict[int | None, dict] = defaultdict(
        lambda: {
            "days": [],
            "promised": [],
            "statutory": [],
            "on_time": 0,
            "open": 0,
            "overdue": 0,
            "over_law": 0,
        }
    )
    for unit_id, days, promised, statutory in handled.values_list(
        "unit_id", "days_taken", "promised_days", "statutory_days"
    ).iterator(chunk_size=5000):
        unit = stats[unit_id]
        unit["days"].append(days)
        unit["promised"].append(promised)
        unit["statutory"].append(statutory)
        unit["on_time"] += days <= promised
    waiting = rows.filter(approved_on__isnull=True, returned_on__isnull=True, submitted_on__isnull=False)
    for unit_id, submitted, accepted, promised, statutory in waiting.values_list(
        "unit_id", "submitted_on", "accepted_on", "promised_days", "statutory_days"
    ):
        unit = stats[unit_id]
        days = working_days_between(accepted or submitted, today)
        unit["open"] += 1
        unit["overdue"] += days > promised
        unit["over_law"] += days > statutory
    names = dict(OrgUnit.objects.filter(pk__in=[k for k in stats if k]).values_list("pk", "name"))
    result = []
    for unit_id, unit in stats.items():
        count = len(unit["days"])
        result.append(
            {
                "unit_id": unit_id,
                "unit": names.get(unit_id, "未定办理单位"),
                "handled": count,
                "median_days": nearest_rank(unit["days"], 0.5),
                "p90_days": nearest_rank(unit["days"], 0.9),
                "promised_days": nearest_rank(unit["promised"], 0.5),
                "statutory_days": nearest_rank(unit["statutory"], 0.5),
                "on_time_share": unit["on_time"] / count if count else None,
                "open": unit["open"],
                "overdue": unit["overdue"],
                "overdue_statutory": unit["over_law"],
            }
        )
    result.sort(key=lambda u: (-u["overdue"], -(u["p90_days"] or 0), u["unit"]))
    return result


def signing_to_start(*, user, year: int | None = None) -> dict:
    """Where the time from signing to start went, over the projects that started (in ``year``).

    Per project the span is cut at the approval dates in order; each stretch is charged to the
    item approved at its end, and what is left after the last approval to "手续办结后至开工".
    """
    projects = Project.objects.visible_to(user).filter(signed_on__isnull=False, started_on__isnull=False)
    if year is not None:
        projects = projects.filter(started_on__year=year)
    dates = {
        pk: (signed, started) for pk, signed, started in projects.values_list("pk", "signed_on", "started_on")
    }
    items: dict[int, list] = defaultdict(list)
    rows = ApprovalItem.objects.filter(
        project__in=projects.values("pk"), approved_on__isnull=False
    ).order_by()
    for project_id, approved_on, kind_id, unit_id in rows.values_list(
        "project_id", "approved_on", "kind_id", "unit_id"
    ):
        items[project_id].append((approved_on, kind_id, unit_id))
    kind_names = dict(ApprovalKind.objects.values_list("pk", "name"))
    unit_names = dict(
        OrgUnit.objects.filter(approval_items__isnull=False).distinct().values_list("pk", "name")
    )
    charged: dict[tuple[str, str], list[int]] = defaultdict(list)
    total_days = 0
    counted = 0
    for pk, (signed, started) in dates.items():
        if started < signed or pk not in items:
            continue
        counted += 1
        total_days += working_days_between(signed, started)
        frontier = signed
        for approved_on, kind_id, unit_id in sorted(items[pk]):
            end = min(approved_on, started)
            if end > frontier:
                key = (kind_names[kind_id], unit_names.get(unit_id, ""))
                charged[key].append(working_days_between(frontier, end))
                frontier = end
        if started > frontier:
            charged[("手续办结后至开工", "")].append(working_days_between(frontier, started))
    parts = [
        {
            "item": name,
            "unit": unit,
            "projects": len(days),
            "days": sum(days),
            "average": sum(days) / counted if counted else None,
            "share": sum(days) / total_days if total_days else None,
        }
        for (name, unit), days in charged.items()
    ]
    parts.sort(key=lambda p: -p["days"])
    return {
        "projects": counted,
        "total_days": total_days,
        "average_days": total_days / counted if counted else None,
        "parts": parts,
    }


def signed_projects_with_blockers(*, user):
    """Signed projects not started, for the 签约未开工 list."""
    return Project.objects.visible_to(user).filter(stage=Stage.SIGNED)
