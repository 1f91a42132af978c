"""Evaluating the tiers over a snapshot: met / near / cannot be judged / not met, and why.

**Near (接近)** is defined here, once, for the pool and the enterprise page. An enterprise is
near a tier when, on the data we hold,

1. the rule set's outcome is *not met* (an unknown criterion does not stop it from being near:
   it is listed as data to complete);
2. at most ``max_unmet`` items are not met (default 2). An item is a condition criterion, or
   the rule set's "direct condition or enough points" alternative taken as one item;
3. every unmet item is within ``max_gap`` (default 30%) of its threshold, measured as the
   relative shortfall: for ``x >= t`` it is (t - x) / t, for ``x <= t`` (x - t) / t; a window
   (每年) takes its worst year, ``且`` the larger, ``或`` the smaller of its parts; for points,
   the shortfall of the total (or a group's sub-total) from its minimum, taking missing points
   at their best. An unmet criterion that is not a numeric threshold (a title not held, a
   judgement recorded as not met) cannot be bridged by growth and is never near; nor is an
   enterprise outside the tier's scope (a criterion marked ``scope``: 属于中小企业 for the SME
   tiers, 属于工业法人单位 for 规上), however small the excess.

The bounds are Django settings ``QX_TIERS_NEAR_MAX_UNMET`` and ``QX_TIERS_NEAR_MAX_GAP``.
Enterprises already holding a tier's title are counted apart and not listed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import IntEnum

import numpy as np
from django.conf import settings

from qiangxian.rules.engine import CompiledRuleSet, RuleSet, RuleSetResult, Snapshot
from qiangxian.rules.engine.typed import TCompare, TEach, TLogic, TNode
from qiangxian.rules.engine.vector import Tri, VectorEvaluator

from . import tiers as tier_defs
from .tiers import TIERS, Tier

INF = np.inf


class Status(IntEnum):
    """Where an enterprise stands against one tier (int8 in the arrays)."""

    HELD = 2
    MET = 1
    NEAR = 3
    UNKNOWN = -1
    NOT_MET = 0

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS = {
    Status.HELD: "已获称号",
    Status.MET: "按现有数据符合公开标准",
    Status.NEAR: "接近标准",
    Status.UNKNOWN: "数据不足，暂无法判断",
    Status.NOT_MET: "暂不符合",
}
LIST_KEYS = {"met": Status.MET, "near": Status.NEAR, "unknown": Status.UNKNOWN}


@dataclass(frozen=True)
class NearRule:
    """How close counts as near (see the module docstring)."""

    max_unmet: int = 2
    max_gap: float = 0.30

    @classmethod
    def from_settings(cls) -> NearRule:
        return cls(
            max_unmet=int(getattr(settings, "QX_TIERS_NEAR_MAX_UNMET", cls.max_unmet)),
            max_gap=float(getattr(settings, "QX_TIERS_NEAR_MAX_GAP", cls.max_gap)),
        )

    @property
    def description(self) -> str:
        return (
            f"“接近”指：按现有数据不满足的条件不超过 {self.max_unmet} 项，且每项与门槛的差距不超过 "
            f"{self.max_gap * 100:.0f}%（如研发费用占比 2.4%、门槛 3%，差距为 20%）；"
            "缺少称号、人工判断为不符合、超出中小企业规模或不属于工业企业的，无法靠增长弥补，不计为“接近”。"
        )


@dataclass
class TierEvaluation:
    """One tier's vectorised result over a snapshot."""

    tier: Tier
    ruleset: RuleSet
    compiled: CompiledRuleSet
    result: RuleSetResult
    status: np.ndarray  # Status values, int8
    unmet: np.ndarray  # number of unmet items
    shortfall: np.ndarray  # the largest relative shortfall of the unmet items (0 if none)
    enterprise_ids: np.ndarray = field(repr=False, default_factory=lambda: np.zeros(0, dtype=np.int64))

    def counts(self) -> dict[str, int]:
        """Enterprises per status key (held, met, near, unknown, not_met)."""
        return {s.name.lower(): int(np.count_nonzero(self.status == s)) for s in Status}

    def ids(self, status: Status) -> list[int]:
        """Enterprise ids with a status; near ones closest first, then by id."""
        rows = np.flatnonzero(self.status == status)
        if status is Status.NEAR:
            rows = rows[np.lexsort((self.enterprise_ids[rows], self.shortfall[rows]))]
        return self.enterprise_ids[rows].tolist()

    def row_of(self, enterprise_id: int) -> int:
        """The enterprise's row in the per-enterprise arrays."""
        return int(np.flatnonzero(self.enterprise_ids == enterprise_id)[0])

    def status_of(self, enterprise_id: int) -> Status:
        return Status(int(self.status[self.row_of(enterprise_id)]))


def _broadcast(value, n: int) -> np.ndarray:
    arr = np.asarray(value, dtype=np.float64)
    return (
        arr if arr.ndim and arr.shape[0] == n else np.broadcast_to(arr, (n,) if arr.ndim == 0 else arr.shape)
    )


def shortfall(node: TNode, ev: VectorEvaluator, ceiling_gap: float | None = None) -> np.ndarray:
    """Relative shortfall of a condition per enterprise: 0 where met or unknown, inf if not bridgeable.

    With ``ceiling_gap``, an upper bound exceeded by more than that share (3214 employees against
    "不超过500人") counts as not bridgeable: an enterprise is not cultivated by shrinking it.
    """
    n = ev.n
    if isinstance(node, TLogic):
        a, b = shortfall(node.a, ev, ceiling_gap), shortfall(node.b, ev, ceiling_gap)
        a, b = _same_shape(a, b)
        return np.maximum(a, b) if node.op == "and" else np.minimum(a, b)
    if isinstance(node, TEach):
        inner = shortfall(node.x, ev, ceiling_gap)
        if inner.ndim == 1:
            return inner
        return inner.max(axis=1) if node.op == "all" else inner.min(axis=1)
    tri = ev.eval(node)
    assert isinstance(tri, Tri)
    failing = np.asarray(tri.known & ~tri.val)
    if isinstance(node, TCompare) and node.op in (">=", ">", "<=", "<"):
        a, b = ev.eval(node.a), ev.eval(node.b)
        a = np.asarray(a, dtype=np.float64)
        b = np.asarray(b, dtype=np.float64)
        a, b = np.broadcast_arrays(a, b)
        with np.errstate(all="ignore"):
            gap = (b - a) if node.op in (">=", ">") else (a - b)
            rel = np.where(np.abs(b) > 0, gap / np.abs(b), INF)
        rel = np.where(np.isnan(rel), 0.0, np.maximum(rel, 0.0))
        if ceiling_gap is not None and node.op in ("<=", "<"):
            rel = np.where(rel > ceiling_gap, INF, rel)
        failing = np.broadcast_to(failing, rel.shape)
        return np.where(failing, rel, 0.0)
    out = np.where(failing, INF, 0.0)
    return out if out.ndim else np.full(n, float(out))


def _same_shape(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    # A window condition combined with a single-year one: compare per year.
    if a.ndim == b.ndim:
        return a, b
    if a.ndim == 1:
        a = np.repeat(a[:, None], b.shape[1], axis=1)
    else:
        b = np.repeat(b[:, None], a.shape[1], axis=1)
    return a, b


def _reduce(values: np.ndarray) -> np.ndarray:
    return values if values.ndim == 1 else values.max(axis=1)


def _points_shortfall(compiled: CompiledRuleSet, result: RuleSetResult, n: int) -> np.ndarray | None:
    rs = compiled.ruleset
    if rs.pass_mark is None or result.points_high is None:
        return None
    worst = np.maximum(0.0, (rs.pass_mark - result.points_high) / rs.pass_mark)
    official = result.official_score
    given = None if official is None else ~np.isnan(official)
    for group in rs.groups:
        if not group.minimum:
            continue
        high = np.zeros(n)
        for c in rs.criteria:
            if c.kind == "points" and c.group == group.code:
                p = result.criterion_points[c.code]
                high = high + np.where(np.isnan(p), compiled.ranges[c.code][1], p)
        worst = np.maximum(worst, np.maximum(0.0, (group.minimum - high) / group.minimum))
    if given is not None and given.any():
        # An entered official score decides instead of the estimate (and its group minimums).
        with np.errstate(invalid="ignore"):
            short = np.maximum(0.0, (rs.pass_mark - official) / rs.pass_mark)
        worst = np.where(given, short, worst)
    return worst


def evaluate_tier(
    tier: Tier, snapshot: Snapshot, *, on: dt.date, near: NearRule | None = None
) -> TierEvaluation | None:
    """One tier for every enterprise of the snapshot (None when no version is in force on ``on``)."""
    compiled = tier_defs.compiled(tier.code, on)
    if compiled is None:
        return None
    near = near or NearRule.from_settings()
    n = snapshot.size
    result = compiled.evaluate(snapshot)
    ev = VectorEvaluator(snapshot)
    unmet = np.zeros(n, dtype=np.int64)
    worst = np.zeros(n)
    rs = compiled.ruleset
    for c in rs.criteria:
        if c.kind != "condition":
            continue
        failed = result.conditions[c.code].not_met
        unmet += failed
        if c.scope:
            # Outside the tier's scope (too large for an SME tier, not industrial): no gap to close.
            worst = np.where(failed, INF, worst)
            continue
        gap = _reduce(shortfall(compiled.expressions[c.code].typed, ev, near.max_gap))
        worst = np.where(failed, np.maximum(worst, gap), worst)
    alternatives: list[np.ndarray] = []
    alt_met = np.zeros(n, dtype=bool)
    for c in rs.criteria:
        if c.kind == "direct":
            alternatives.append(_reduce(shortfall(compiled.expressions[c.code].typed, ev, near.max_gap)))
            alt_met |= result.conditions[c.code].met
    points = _points_shortfall(compiled, result, n)
    if points is not None:
        alternatives.append(points)
        alt_met |= points <= 0
    if alternatives:
        best = np.minimum.reduce(alternatives)
        failed = ~alt_met & (best > 0)
        unmet += failed
        worst = np.where(failed, np.maximum(worst, best), worst)
    outcome = result.outcome
    status = np.full(n, Status.NOT_MET, dtype=np.int8)
    status[outcome == 1] = Status.MET
    status[outcome == -1] = Status.UNKNOWN
    is_near = (outcome == 0) & (unmet >= 1) & (unmet <= near.max_unmet) & (worst <= near.max_gap)
    status[is_near] = Status.NEAR
    held, _known = snapshot.designation(tier.designation)
    status[held] = Status.HELD
    return TierEvaluation(
        tier=tier,
        ruleset=rs,
        compiled=compiled,
        result=result,
        status=status,
        unmet=unmet,
        shortfall=worst,
        enterprise_ids=snapshot.enterprise_ids,
    )


def evaluate_all(
    snapshot: Snapshot, *, on: dt.date, near: NearRule | None = None, tiers: tuple[Tier, ...] = TIERS
) -> dict[str, TierEvaluation]:
    """Every tier in force on ``on`` over the snapshot, by tier code, in ladder order."""
    out: dict[str, TierEvaluation] = {}
    for tier in tiers:
        found = evaluate_tier(tier, snapshot, on=on, near=near)
        if found is not None:
            out[tier.code] = found
    return out
