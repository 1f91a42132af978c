"""政策沙盘: a clause's draft threshold, rate or cap against the published version, on the same data."""

from __future__ import annotations

import copy
from dataclasses import dataclass

import numpy as np
from django.utils import timezone

from qiangxian.enterprises.selectors import enterprise_list
from qiangxian.rules.engine.vector import VectorEvaluator

from .calc import MET, compile_clause, evaluate_clause
from .models import ClauseVersion
from .services.library import VERSION_FIELDS, validate_version
from .services.matching import snapshot_for

SHOWN = 200


@dataclass
class SandboxRow:
    enterprise_id: int
    name: str
    before: str
    after: str
    amount_before: float
    amount_after: float


@dataclass
class SandboxOutcome:
    met_before: int
    met_after: int
    cost_before: float
    cost_after: float
    gained: list[SandboxRow]
    lost: list[SandboxRow]
    changed_amount: int

    @property
    def cost_change(self) -> float:
        return self.cost_after - self.cost_before


def draft_version(version: ClauseVersion, changes: dict) -> ClauseVersion:
    """An unsaved copy of the version with the changed fields, validated like a real edit."""
    data = {f: getattr(version, f) for f in VERSION_FIELDS}
    for key in ("eligibility", "benefit_amount", "benefit_rate", "cap_per_enterprise_year"):
        if key in changes and changes[key] not in (None, ""):
            data[key] = changes[key]
    clean = validate_version(data)
    draft = copy.copy(version)
    for key, value in clean.items():
        setattr(draft, key, value)
    return draft


def compare(*, version: ClauseVersion, changes: dict, user) -> SandboxOutcome:
    """Who gains or loses eligibility, and the cost, published version vs. draft (nothing saved)."""
    draft = draft_version(version, changes)
    before_cc, after_cc = compile_clause(version), compile_clause(draft)
    enterprises = enterprise_list(user=user)
    snapshot = snapshot_for([before_cc, after_cc], as_of=timezone.localdate(), enterprises=enterprises)
    ev = VectorEvaluator(snapshot)
    before, after = evaluate_clause(before_cc, snapshot, ev), evaluate_clause(after_cc, snapshot, ev)
    was, now = before.outcome == MET, after.outcome == MET
    amount_before = np.where(was, np.nan_to_num(before.gross), 0.0)
    amount_after = np.where(now, np.nan_to_num(after.gross), 0.0)
    names = dict(
        enterprises.filter(
            pk__in=[int(x) for x in snapshot.enterprise_ids[was != now][: 2 * SHOWN]]
        ).values_list("pk", "name")
    )
    labels = {1: "符合", 0: "不符合", -1: "待定"}

    def rows(mask):
        out = []
        for row in np.flatnonzero(mask)[:SHOWN]:
            ent = int(snapshot.enterprise_ids[row])
            out.append(
                SandboxRow(
                    enterprise_id=ent,
                    name=names.get(ent, str(ent)),
                    before=labels[int(before.outcome[row])],
                    after=labels[int(after.outcome[row])],
                    amount_before=float(amount_before[row]),
                    amount_after=float(amount_after[row]),
                )
            )
        return out

    return SandboxOutcome(
        met_before=int(was.sum()),
        met_after=int(now.sum()),
        cost_before=float(amount_before.sum()),
        cost_after=float(amount_after.sum()),
        gained=rows(now & ~was),
        lost=rows(was & ~now),
        changed_amount=int(np.count_nonzero(was & now & (np.abs(amount_before - amount_after) > 0.005))),
    )
