"""What holds a project up: pure functions over its approval items and a date.

An item's clock runs at the approving unit from acceptance (受理), or from submission while it
waits to be accepted, counted in official working days (``core.workdays``). It is late against
the county's promised limit, and worse, against the statutory one. Items of one phase may run in
parallel (并联审批); a later phase starts when the earlier ones are done. The forecast of when
the checklist is done assumes every open item takes its promised limit from now or from its
clock's start, whichever is later: an optimistic date, so a project flagged is really at risk.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from qiangxian.core.workdays import add_working_days, working_days_between

from ..choices import DONE_STATUSES, ApprovalStatus

PROMISED = "promised"
STATUTORY = "statutory"


@dataclass(frozen=True)
class ItemFacts:
    name: str
    unit: str
    phase: int
    position: int
    statutory_days: int
    promised_days: int
    submitted_on: dt.date | None = None
    accepted_on: dt.date | None = None
    approved_on: dt.date | None = None
    returned_on: dt.date | None = None
    not_applicable: bool = False
    inherited: bool = False


@dataclass(frozen=True)
class Blocker:
    """The open item a project waits for: who holds it and for how long."""

    name: str
    unit: str
    status: str
    days: int  # working days at the unit (or, when returned, since the return)
    promised_days: int
    statutory_days: int
    late: str | None  # None, PROMISED or STATUTORY
    open_count: int

    @property
    def holder(self) -> str:
        """Who must act: the unit, or the enterprise when the file was sent back."""
        if self.status == ApprovalStatus.RETURNED:
            return f"企业补正（{self.unit}退回）"
        if self.status == ApprovalStatus.WAITING:
            return f"企业待申报（{self.unit}）"
        return self.unit

    def text(self) -> str:
        """One line in Chinese, e.g. "环评（生态环境分局）已办理12个工作日，承诺10个、法定60个"."""
        if self.status == ApprovalStatus.WAITING:
            return f"{self.name}尚未申报（办理单位：{self.unit}，承诺时限{self.promised_days}个工作日）"
        if self.status == ApprovalStatus.RETURNED:
            return f"{self.name}被{self.unit}退回补正，已{self.days}个工作日未重新申报"
        verb = "待受理" if self.status == ApprovalStatus.SUBMITTED else "办理"
        return (
            f"{self.name}在{self.unit}{verb}已{self.days}个工作日"
            f"（承诺时限{self.promised_days}个、法定时限{self.statutory_days}个工作日）"
        )

    def as_json(self) -> dict:
        """The shape stored on the project for lists and cards."""
        return {
            "name": self.name,
            "unit": self.unit,
            "holder": self.holder,
            "status": self.status,
            "days": self.days,
            "promised_days": self.promised_days,
            "statutory_days": self.statutory_days,
            "late": self.late,
            "open_count": self.open_count,
            "text": self.text(),
        }


def status_of(item: ItemFacts) -> str:
    """The item's state from its dates."""
    if item.not_applicable:
        return ApprovalStatus.NOT_APPLICABLE
    if item.inherited:
        return ApprovalStatus.INHERITED
    if item.approved_on:
        return ApprovalStatus.APPROVED
    if item.returned_on:
        return ApprovalStatus.RETURNED
    if item.accepted_on:
        return ApprovalStatus.IN_PROGRESS
    if item.submitted_on:
        return ApprovalStatus.SUBMITTED
    return ApprovalStatus.WAITING


def clock_start(item: ItemFacts) -> dt.date | None:
    """When the unit's clock started: acceptance, else submission."""
    return item.accepted_on or item.submitted_on


def held_days(item: ItemFacts, today: dt.date) -> int | None:
    """Working days the item has been (or was) at the unit; None before submission."""
    start = clock_start(item)
    if start is None:
        return None
    end = item.approved_on or item.returned_on or today
    return working_days_between(start, end)


def due_on(item: ItemFacts) -> dt.date | None:
    """The date the promised limit runs out."""
    start = clock_start(item)
    return add_working_days(start, item.promised_days) if start else None


def lateness(item: ItemFacts, today: dt.date) -> str | None:
    """PROMISED or STATUTORY when the unit has held (or held) the item beyond that limit."""
    if status_of(item) not in (ApprovalStatus.SUBMITTED, ApprovalStatus.IN_PROGRESS, ApprovalStatus.APPROVED):
        return None
    days = held_days(item, today)
    if days is None:
        return None
    if days > item.statutory_days:
        return STATUTORY
    if days > item.promised_days:
        return PROMISED
    return None


def _order(item: ItemFacts) -> tuple[int, int]:
    return item.phase, item.position


def open_items(items) -> list[ItemFacts]:
    """Items not yet done (approved, covered by a regional assessment or not applicable)."""
    return sorted((i for i in items if status_of(i) not in DONE_STATUSES), key=_order)


def blocker(items, today: dt.date) -> Blocker | None:
    """The item the project waits for: in the earliest open phase, the one held longest.

    Items at a unit come before items sent back to the enterprise, which come before items not yet
    submitted; among equals the one held longest, then the checklist's order.
    """
    waiting = open_items(items)
    if not waiting:
        return None
    phase = waiting[0].phase
    rank = {
        ApprovalStatus.IN_PROGRESS: 0,
        ApprovalStatus.SUBMITTED: 0,
        ApprovalStatus.RETURNED: 1,
        ApprovalStatus.WAITING: 2,
    }

    def days_of(item: ItemFacts) -> int:
        if status_of(item) == ApprovalStatus.RETURNED:
            return working_days_between(item.returned_on, today)
        return held_days(item, today) or 0

    candidates = [i for i in waiting if i.phase == phase]
    chosen = min(candidates, key=lambda i: (rank[status_of(i)], -days_of(i), _order(i)))
    return Blocker(
        name=chosen.name,
        unit=chosen.unit or "未定办理单位",
        status=status_of(chosen),
        days=days_of(chosen),
        promised_days=chosen.promised_days,
        statutory_days=chosen.statutory_days,
        late=lateness(chosen, today),
        open_count=len(waiting),
    )


def forecast(items, today: dt.date) -> dt.date | None:
    """When every open item is expected done (None when nothing is open)."""
    waiting = open_items(items)
    if not waiting:
        return None
    tomorrow = add_working_days(today, 1)
    cursor = today
    for phase in sorted({i.phase for i in waiting}):
        phase_end = cursor
        for item in (i for i in waiting if i.phase == phase):
            status = status_of(item)
            if status in (ApprovalStatus.SUBMITTED, ApprovalStatus.IN_PROGRESS):
                end = max(due_on(item), tomorrow)
            else:
                end = add_working_days(cursor, item.promised_days)
            phase_end = max(phase_end, end)
        cursor = phase_end
    return cursor


def latest_late(items, today: dt.date) -> tuple[ItemFacts, int, str] | None:
    """The open item most over its limit (statutory before promised, then the longest held)."""
    worst = None
    for item in open_items(items):
        level = lateness(item, today)
        if level is None:
            continue
        key = (level == STATUTORY, held_days(item, today) or 0)
        if worst is None or key > worst[0]:
            worst = (key, item, level)
    if worst is None:
        return None
    return worst[1], worst[0][1], worst[2]
