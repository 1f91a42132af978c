"""Eligibility and benefit of clauses over a snapshot, vectorised (no database).

One clause version is compiled once (its eligibility condition and, for a rate or tiers, its
base), then evaluated over all enterprises of a snapshot at once. The result per enterprise is
three-valued (符合 / 不符合 / 待定), carries the gross amount, and for 不符合 whether the enterprise
is *near*: it fails exactly one top-level condition, a lower bound on a number, by at most
``NEAR_SHARE`` of the bound; the gap is then said in the user's terms ("研发费用还差 120万元").

Across clauses :func:`apply_limits` applies, in this order: each clause's cap per enterprise,
mutual exclusions (就高不就低 / 不重复享受) within an exclusion group, the policy's cap per
enterprise, and each clause's budget (pro rata when the amounts exceed it).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np

from qiangxian.rules.checking import compile_for
from qiangxian.rules.choices import ResultType
from qiangxian.rules.engine import Expression, Snapshot, format_value, period_label, to_text
from qiangxian.rules.engine.formatting import format_difference
from qiangxian.rules.engine.typed import TCompare, TConst, TLogic, TNode, TRef, walk
from qiangxian.rules.engine.units import BASE_DIMS, Unit
from qiangxian.rules.engine.vector import VectorEvaluator
from qiangxian.rules.evaluation import evaluate_on_snapshot

from .choices import BenefitKind, ExclusionRule

MET, NOT_MET, UNKNOWN = 1, 0, -1
NEAR_SHARE = 0.2
TOLERANCE = 1e-9


@dataclass
class BenefitSpec:
    """The money side of a clause version, as plain values (yuan; rate as a fraction)."""

    kind: str
    amount: float | None = None
    rate: float | None = None
    base: str = ""
    tiers: list[tuple[float, float]] = field(default_factory=list)
    cap: float | None = None

    @classmethod
    def of(cls, version) -> BenefitSpec:
        return cls(
            kind=version.benefit_kind,
            amount=_float(version.benefit_amount),
            rate=_float(version.benefit_rate),
            base=version.benefit_base or "",
            tiers=[(float(t), float(a)) for t, a in (version.benefit_tiers or [])],
            cap=_float(version.cap_per_enterprise_year),
        )


def _float(value) -> float | None:
    return None if value is None else float(value)


@dataclass
class CompiledClause:
    """A clause version ready to evaluate: its condition, base, and top-level conditions."""

    clause_id: int
    version_id: int
    policy_id: int
    title: str
    eligibility: Expression
    benefit: BenefitSpec
    base: Expression | None
    conjuncts: list[TNode]
    exclusion_group: str = ""
    exclusion_rule: str = ExclusionRule.STACK
    budget: float | None = None
    policy_cap: float | None = None

    def identifiers(self) -> set[str]:
        """Indicator identifiers the clause reads (to narrow the snapshot)."""
        out = set()
        for expr in (self.eligibility, self.base):
            if expr is not None:
                out.update(n.indicator.identifier for n in walk(expr.typed) if isinstance(n, TRef))
        return out


def conjuncts_of(node: TNode) -> list[TNode]:
    """The top-level 且 parts of a condition."""
    if isinstance(node, TLogic) and node.op == "and":
        return conjuncts_of(node.a) + conjuncts_of(node.b)
    return [node]


def compile_base(text: str) -> Expression:
    """The base of a rate or tiers: a money expression (raises RuleError)."""
    return compile_for(text, ResultType.MONEY)


def compile_clause(version, *, policy_cap: float | None = None) -> CompiledClause:
    """Compile a ClauseVersion (raises RuleError with a Chinese message)."""
    eligibility = compile_for(version.eligibility, ResultType.BOOL)
    spec = BenefitSpec.of(version)
    base = compile_base(spec.base) if spec.kind != BenefitKind.FIXED and spec.base.strip() else None
    clause = version.clause
    return CompiledClause(
        clause_id=clause.pk,
        version_id=version.pk,
        policy_id=clause.policy_id,
        title=str(clause),
        eligibility=eligibility,
        benefit=spec,
        base=base,
        conjuncts=conjuncts_of(eligibility.typed),
        exclusion_group=version.exclusion_group,
        exclusion_rule=version.exclusion_rule,
        budget=_float(version.budget),
        policy_cap=policy_cap,
    )


def benefit_amounts(spec: BenefitSpec, base: np.ndarray | None, n: int) -> np.ndarray:
    """Gross amount per enterprise before caps (NaN where the base is missing)."""
    if spec.kind == BenefitKind.FIXED:
        out = np.full(n, spec.amount or 0.0)
    elif base is None:
        out = np.full(n, np.nan)
    elif spec.kind == BenefitKind.RATE:
        out = base * (spec.rate or 0.0)
    else:
        out = np.where(np.isnan(base), np.nan, 0.0)
        for threshold, amount in sorted(spec.tiers):
            out = np.where(base >= threshold * (1 - TOLERANCE), amount, out)
    if spec.cap is not None:
        out = np.minimum(out, spec.cap)
    return out


def scalar_amount(spec: BenefitSpec, base: float | None) -> float | None:
    """The same computation for one declared base (a 快申快享 form)."""
    value = benefit_amounts(spec, None if base is None else np.array([base]), 1)[0]
    return None if np.isnan(value) else float(value)


@dataclass(frozen=True)
class GapPart:
    """A lower bound a near enterprise misses: what is measured, its unit, the bound."""

    label: str
    unit: Unit | None
    bound: float

    def as_json(self) -> list:
        unit = None if self.unit is None else [list(self.unit.dims), self.unit.percent, self.unit.label]
        return [self.label, unit, self.bound]

    @classmethod
    def from_json(cls, data: list) -> GapPart:
        label, unit, bound = data
        if unit is None:
            return cls(label, None, float(bound))
        # Stored before a base dimension was added (they are appended): the missing ones are 0.
        dims = (*unit[0], *(0,) * (len(BASE_DIMS) - len(unit[0])))
        return cls(label, Unit(dims, unit[1], unit[2]), float(bound))


def gap_text(part: GapPart, value: float) -> str:
    """ "研发费用（上年） 380万元，需达到 500万元，还差 120万元"."""
    unit = part.unit
    return (
        f"{part.label} {format_value(value, unit)}，需达到 {format_value(part.bound, unit)}，"
        f"还差 {format_difference(part.bound - value, unit)}"
    )


@dataclass
class ClauseResult:
    compiled: CompiledClause
    outcome: np.ndarray  # int8: 1 met, 0 not met, -1 unknown
    gross: np.ndarray  # float: amount after the clause's cap, NaN = not computable
    amount: np.ndarray  # float: after exclusions, policy cap and budget
    near: np.ndarray  # bool
    gap_part: np.ndarray  # int8: index into gap_parts of the one failed bound (near rows), else -1
    gap_value: np.ndarray  # float: the value that falls short (near rows), else NaN
    gap_parts: list[GapPart]
    missing: dict[str, np.ndarray]  # label -> mask
    notes: dict[int, str] = field(default_factory=dict)  # row -> why the amount differs

    @property
    def gaps(self) -> dict[int, str]:
        """Row -> gap text of the near rows (written on demand: a run stores the numbers)."""
        return {
            int(row): gap_text(self.gap_parts[int(self.gap_part[row])], float(self.gap_value[row]))
            for row in np.flatnonzero(self.gap_part >= 0)
        }

    def missing_text(self, row: int) -> str:
        return "、".join(label for label, mask in self.missing.items() if mask[row])

    def missing_texts(self, rows: np.ndarray) -> list[str]:
        """The missing-data text of many rows at once (rows sharing a pattern share the text)."""
        labels = list(self.missing)
        if not labels or not len(rows):
            return [""] * len(rows)
        bits = np.zeros(len(rows), dtype=np.int64)
        for k, label in enumerate(labels[:62]):
            bits |= self.missing[label][rows].astype(np.int64) << k
        texts = {
            int(b): "、".join(labels[k] for k in range(len(labels[:62])) if int(b) >> k & 1)
            for b in np.unique(bits)
        }
        return [texts[int(b)] for b in bits]


def _gap_parts(node: TNode):
    """(left side, bound) of a lower bound on a number (`x >= c`, `x > c`), else None."""
    if (
        isinstance(node, TCompare)
        and node.op in (">=", ">")
        and isinstance(node.b, TConst)
        and isinstance(node.b.value, float)
        and node.a.type.kind == "num"
        and not node.a.type.years
    ):
        return node.a, float(node.b.value)
    return None


def evaluate_clause(
    cc: CompiledClause, snapshot: Snapshot, evaluator: VectorEvaluator | None = None
) -> ClauseResult:
    """Evaluate one clause over the whole snapshot."""
    ev = evaluator or VectorEvaluator(snapshot)
    n = snapshot.size
    evaluation = evaluate_on_snapshot(
        cc.eligibility, snapshot, result_type=ResultType.BOOL, as_of=snapshot.as_of
    )
    outcome = evaluation.outcome.astype(np.int8)
    base = ev.number(cc.base.typed) if cc.base is not None else None
    gross = benefit_amounts(cc.benefit, base, n)
    near = np.zeros(n, dtype=bool)
    gap_part = np.full(n, -1, dtype=np.int8)
    gap_value = np.full(n, np.nan)
    gap_parts: list[GapPart] = []
    not_met = outcome == NOT_MET
    if not_met.any() and len(cc.conjuncts) >= 1:
        fails = np.zeros(n, dtype=np.int16)
        parts = []
        for node in cc.conjuncts:
            tri = ev.condition(node)
            failed = tri.known & ~tri.val
            fails += failed
            parts.append((node, failed))
        single = not_met & (fails == 1)
        for node, failed in parts:
            gp = _gap_parts(node)
            rows = single & failed
            if gp is None or not rows.any():
                continue
            lhs, bound = gp
            values = ev.number(lhs)
            gap = bound - values
            close = rows & ~np.isnan(values) & (gap <= abs(bound) * NEAR_SHARE)
            near |= close
            label = (
                f"{lhs.indicator.name}（{period_label(lhs.period)}）"
                if isinstance(lhs, TRef)
                else to_text(lhs.src)
            )
            gap_part[close] = len(gap_parts)
            gap_value[close] = values[close]
            gap_parts.append(GapPart(label, lhs.type.unit, bound))
    return ClauseResult(
        compiled=cc,
        outcome=outcome,
        gross=gross,
        amount=np.where(outcome == MET, gross, np.nan),
        near=near,
        gap_part=gap_part,
        gap_value=gap_value,
        gap_parts=gap_parts,
        missing=evaluation.missing,
    )


def _money(value: float) -> str:
    return f"{Decimal(str(round(value, 2))):,.2f}元"


def apply_limits(
    results: list[ClauseResult],
    *,
    enterprise_ids: np.ndarray,
    granted: dict[str, dict[int, int]] | None = None,
) -> None:
    """Exclusions, policy caps and budgets across clauses, in place on each result's ``amount``.

    ``granted`` maps an exclusion group to {enterprise id: clause id} of a benefit already
    decided this year: under 不重复享受 the enterprise keeps it and the other clauses give 0.
    """
    granted = granted or {}
    groups: dict[str, list[ClauseResult]] = defaultdict(list)
    for r in results:
        if r.compiled.exclusion_group and r.compiled.exclusion_rule != ExclusionRule.STACK:
            groups[r.compiled.exclusion_group].append(r)
    row_of = {int(e): i for i, e in enumerate(enterprise_ids)} if granted else {}
    for group, members in groups.items():
        if len(members) < 2 and group not in granted:
            continue
        stacked = np.vstack([np.where(np.isnan(r.amount), -1.0, r.amount) for r in members])
        winner = np.argmax(stacked, axis=0)  # ties: the first clause in order
        decided = np.full(len(enterprise_ids), -1)
        for ent, clause_id in granted.get(group, {}).items():
            row = row_of.get(int(ent))
            index = next((k for k, r in enumerate(members) if r.compiled.clause_id == clause_id), None)
            if (
                row is not None
                and index is not None
                and members[index].compiled.exclusion_rule == ExclusionRule.NO_REPEAT
            ):
                decided[row] = index
        winner = np.where(decided >= 0, decided, winner)
        for k, r in enumerate(members):
            losing = (winner != k) & (r.outcome == MET)
            if not losing.any():
                continue
            r.amount = np.where(losing, 0.0, r.amount)
            # One text per (winning clause, rule word): formatted once, not per enterprise.
            texts: dict[tuple[int, bool], str] = {}
            no_repeat = r.compiled.exclusion_rule == ExclusionRule.NO_REPEAT
            rows = np.flatnonzero(losing)
            for row, win, dec in zip(
                rows.tolist(), winner[rows].tolist(), (decided[rows] >= 0).tolist(), strict=True
            ):
                key = (win, dec or no_repeat)
                text = texts.get(key)
                if text is None:
                    word = "不重复享受" if key[1] else "就高不就低"
                    text = texts[key] = f"与“{members[win].compiled.title}”{word}，本条不再计算"
                r.notes[row] = text
    by_policy: dict[int, list[ClauseResult]] = defaultdict(list)
    for r in results:
        if r.compiled.policy_cap is not None:
            by_policy[r.compiled.policy_id].append(r)
    for members in by_policy.values():
        cap = members[0].compiled.policy_cap
        total = np.sum([np.nan_to_num(r.amount) for r in members], axis=0)
        over = total > cap * (1 + TOLERANCE)
        if over.any():
            factor = np.where(over, cap / np.where(total > 0, total, 1), 1.0)
            text = f"同一政策年度上限 {_money(cap)}，按比例核减"
            for r in members:
                r.amount = r.amount * factor
                _note_where(r.notes, np.flatnonzero(over & (r.outcome == MET)), text)
    for r in results:
        budget = r.compiled.budget
        if budget is None:
            continue
        total = float(np.nansum(r.amount))
        if total > budget * (1 + TOLERANCE) and total > 0:
            share = budget / total
            r.amount = r.amount * share
            text = f"条款预算 {_money(budget)} 不足，按 {share:.1%} 核减"
            _note_where(r.notes, np.flatnonzero(r.outcome == MET), text)


def _note_where(notes: dict[int, str], rows: np.ndarray, text: str) -> None:
    """``text`` as the note of ``rows`` that have none yet (in row order, as ``setdefault`` would)."""
    notes.update((row, text) for row in rows.tolist() if row not in notes)
