"""Rule sets: criteria with clause references, how they combine, versions by effective date.

Combination (documented in docs/rules-language.md):
    outcome = all(conditions) 且 (any(direct conditions) 或 points_ok)
where points_ok = total >= pass_mark 且 every group's points >= its minimum. A rule set may name an
official score (the evaluating authority's published score, entered as data): where it is known
it replaces the points estimate in that test (score >= pass_mark). When there is no
pass mark the points only inform; when there are neither direct conditions nor a pass mark,
the conditions alone decide. Missing points are bounded by each criterion's possible range,
so a total that clears the bar even at the lowest possible score is met, not unknown.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from .catalogue import Catalogue
from .errors import RuleError, RuleSetError
from .explain import CriterionTrace, Outcome
from .expression import Expression, build_trace, compile_expression
from .formatting import format_value
from .scalar import k_and, k_or
from .snapshot import Snapshot
from .vector import Tri, VectorEvaluator, close, tri_and, tri_or

KINDS = {"condition": "bool", "direct": "bool", "points": "num"}
DISCLAIMER = "依据现有数据对照公开标准测算，不代表官方认定。"


@dataclass(frozen=True)
class Criterion:
    """One criterion: a condition (required), a direct condition (qualifies alone) or points."""

    code: str
    title: str
    expression: str
    kind: str = "condition"
    clause: str = ""
    group: str | None = None
    min_points: float | None = None
    max_points: float | None = None
    note: str = ""
    # An eligibility scope (属于中小企业): failing it is not a gap to close, and a trace says so first.
    scope: bool = False
    # Names of point values for a classification (企业规模: 2 -> 小型).
    labels: tuple[tuple[float, str], ...] = ()


@dataclass(frozen=True)
class Group:
    """A group of points criteria with an optional minimum (创新能力 ≥ 20...)."""

    code: str
    title: str
    minimum: float | None = None


@dataclass(frozen=True)
class RuleSet:
    """A versioned rule set; `effective_to` is inclusive, None = still in force."""

    code: str
    name: str
    version: str
    source: str
    effective_from: date
    criteria: tuple[Criterion, ...]
    effective_to: date | None = None
    groups: tuple[Group, ...] = ()
    pass_mark: float | None = None
    notes: str = ""
    # Expression of the official evaluation score (an input), used instead of the estimate when known.
    official_score: str | None = None

    def in_force(self, on: date) -> bool:
        """Whether this version applies on a date."""
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)

    def compile(self, catalogue: Catalogue) -> CompiledRuleSet:
        """Check every criterion against a catalogue; raises RuleError naming the criterion."""
        return CompiledRuleSet(self, catalogue)


def pick_version(versions: Iterable[RuleSet], on: date) -> RuleSet | None:
    """The version in force on a date (the latest start wins if versions overlap), or None."""
    candidates = [v for v in versions if v.in_force(on)]
    return max(candidates, key=lambda v: v.effective_from) if candidates else None


@dataclass
class RuleSetResult:
    """Vectorised result over a snapshot; outcome holds Outcome values as int8."""

    ruleset: RuleSet
    enterprise_ids: np.ndarray
    outcome: np.ndarray
    points: np.ndarray | None
    points_low: np.ndarray | None
    points_high: np.ndarray | None
    group_points: dict[str, np.ndarray] = field(default_factory=dict)
    conditions: dict[str, Tri] = field(default_factory=dict)
    criterion_points: dict[str, np.ndarray] = field(default_factory=dict)
    official_score: np.ndarray | None = None

    def counts(self) -> dict[Outcome, int]:
        """How many enterprises are met / not met / unknown."""
        return {o: int(np.count_nonzero(self.outcome == o)) for o in Outcome}

    def outcome_of(self, enterprise_id: int) -> Outcome:
        """The outcome of one enterprise."""
        row = int(np.flatnonzero(self.enterprise_ids == enterprise_id)[0])
        return Outcome(int(self.outcome[row]))


@dataclass
class Explanation:
    """Why one enterprise does or does not meet a rule set, criterion by criterion."""

    enterprise_id: int
    ruleset: RuleSet
    outcome: Outcome
    points: float | None
    points_low: float | None
    points_high: float | None
    group_points: dict[str, float | None]
    criteria: list[CriterionTrace]
    summary: str
    disclaimer: str = DISCLAIMER
    groups: list[GroupLine] = field(default_factory=list)
    official_score: float | None = None
    score_lines: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        """JSON-friendly form for the API and templates."""
        rs = self.ruleset
        return {
            "enterprise_id": self.enterprise_id,
            "ruleset": {"code": rs.code, "name": rs.name, "version": rs.version, "source": rs.source},
            "outcome": int(self.outcome),
            "outcome_label": self.outcome.label,
            "points": self.points,
            "points_low": self.points_low,
            "points_high": self.points_high,
            "group_points": dict(self.group_points),
            "summary": self.summary,
            "disclaimer": self.disclaimer,
            "criteria": [t.as_dict() for t in self.criteria],
            "groups": [g.as_dict() for g in self.groups],
            "official_score": self.official_score,
            "score_lines": list(self.score_lines),
        }


@dataclass
class GroupLine:
    """One group's points against its minimum (创新能力 15分，需不低于20分)."""

    code: str
    title: str
    points: float | None
    low: float
    high: float
    minimum: float | None

    @property
    def outcome(self) -> Outcome:
        if self.minimum is None or self.low >= self.minimum:
            return Outcome.MET
        return Outcome.NOT_MET if self.high < self.minimum else Outcome.UNKNOWN

    @property
    def text(self) -> str:
        shown = (
            f"{format_value(self.points)}分"
            if self.points is not None
            else f"{format_value(self.low)}～{format_value(self.high)}分（部分数据缺失）"
        )
        if self.minimum is None:
            return f"{self.title} {shown}"
        return f"{self.title} {shown}，最低 {format_value(self.minimum)}分 → {self.outcome.label}"

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "title": self.title,
            "points": self.points,
            "minimum": self.minimum,
            "outcome": int(self.outcome),
            "outcome_label": self.outcome.label,
            "text": self.text,
        }


def _close(a: float, b: float) -> bool:
    # The comparisons' tolerance (vector.REL_TOL), for the official score against the pass mark.
    return bool(abs(a - b) <= 1e-9 * max(abs(a), abs(b)))


def _to_outcome(t: Tri) -> np.ndarray:
    out = np.full(t.val.shape, Outcome.UNKNOWN, dtype=np.int8)
    out[t.val] = Outcome.MET
    out[t.known & ~t.val] = Outcome.NOT_MET
    return out


class CompiledRuleSet:
    """A rule set whose expressions are checked; evaluate in batch or explain one enterprise."""

    def __init__(self, ruleset: RuleSet, catalogue: Catalogue) -> None:
        self.ruleset = ruleset
        self.expressions: dict[str, Expression] = {}
        self.ranges: dict[str, tuple[float, float]] = {}
        groups = {g.code for g in ruleset.groups}
        seen: set[str] = set()
        for c in ruleset.criteria:
            if c.code in seen:
                raise RuleSetError(f"条款编号“{c.code}”重复")
            seen.add(c.code)
            if c.kind not in KINDS:
                raise RuleSetError(f"条款类型“{c.kind}”无效，应为 condition/direct/points", criterion=c.code)
            if c.group is not None and c.group not in groups:
                raise RuleSetError(f"未定义的分组“{c.group}”", criterion=c.code)
            try:
                expr = compile_expression(c.expression, catalogue, expect=KINDS[c.kind])
            except RuleError as exc:
                raise exc.with_criterion(c.code) from None
            self.expressions[c.code] = expr
            if c.kind == "points":
                lo, hi = expr.points_range()
                self.ranges[c.code] = (
                    lo if c.min_points is None else c.min_points,
                    hi if c.max_points is None else c.max_points,
                )
        if ruleset.pass_mark is not None and not self._of("points"):
            raise RuleSetError("设置了及格分，但没有计分条款")
        self.official: Expression | None = None
        if ruleset.official_score:
            if ruleset.pass_mark is None:
                raise RuleSetError("设置了官方评价得分，但没有及格分")
            try:
                self.official = compile_expression(ruleset.official_score, catalogue, expect="num")
            except RuleError as exc:
                raise exc.with_criterion("official_score") from None

    @property
    def _scope(self) -> set[str]:
        return {c.code for c in self.ruleset.criteria if c.scope}

    def _of(self, kind: str) -> list[Criterion]:
        return [c for c in self.ruleset.criteria if c.kind == kind]

    # -- vectorised ---------------------------------------------------------------------
    def evaluate(self, snapshot: Snapshot) -> RuleSetResult:
        """Evaluate every criterion for every enterprise and combine them."""
        ev = VectorEvaluator(snapshot)
        n = snapshot.size
        true = Tri(np.ones(n, dtype=bool), np.ones(n, dtype=bool))
        false = Tri(np.zeros(n, dtype=bool), np.ones(n, dtype=bool))
        conditions: dict[str, Tri] = {}
        cpoints: dict[str, np.ndarray] = {}
        for c in self.ruleset.criteria:
            value = self.expressions[c.code].evaluate(snapshot, ev)
            if c.kind == "points":
                assert isinstance(value, np.ndarray)
                cpoints[c.code] = value
            else:
                assert isinstance(value, Tri)
                conditions[c.code] = value
        required = true
        for c in self._of("condition"):
            required = tri_and(required, conditions[c.code])
        alternatives = [conditions[c.code] for c in self._of("direct")]
        total = low = high = official = None
        groups: dict[str, np.ndarray] = {}
        if cpoints:
            total, low, high = np.zeros(n), np.zeros(n), np.zeros(n)
            g_tot = {g.code: (np.zeros(n), np.zeros(n), np.zeros(n)) for g in self.ruleset.groups}
            for c in self._of("points"):
                p = cpoints[c.code]
                lo, hi = self.ranges[c.code]
                missing = np.isnan(p)
                p_lo, p_hi = np.where(missing, lo, p), np.where(missing, hi, p)
                total, low, high = total + p, low + p_lo, high + p_hi
                if c.group is not None:
                    gt, gl, gh = g_tot[c.group]
                    g_tot[c.group] = (gt + p, gl + p_lo, gh + p_hi)
            groups = {code: v[0] for code, v in g_tot.items()}
            if self.ruleset.pass_mark is not None:
                ok = low >= self.ruleset.pass_mark
                fail = high < self.ruleset.pass_mark
                for g in self.ruleset.groups:
                    if g.minimum is not None:
                        _, gl, gh = g_tot[g.code]
                        ok &= gl >= g.minimum
                        fail |= gh < g.minimum
                if self.official is not None:
                    official = np.broadcast_to(
                        np.asarray(self.official.evaluate(snapshot, ev), dtype=np.float64), (n,)
                    )
                    given = ~np.isnan(official)
                    passed = given & (
                        (official >= self.ruleset.pass_mark) | close(official, self.ruleset.pass_mark)
                    )
                    ok = np.where(given, passed, ok)
                    fail = np.where(given, ~passed, fail)
                alternatives.append(Tri(ok, ok | fail))
        if alternatives:
            either = false
            for alt in alternatives:
                either = tri_or(either, alt)
            required = tri_and(required, either)
        return RuleSetResult(
            ruleset=self.ruleset,
            enterprise_ids=snapshot.enterprise_ids,
            outcome=_to_outcome(required),
            points=total,
            points_low=low,
            points_high=high,
            group_points=groups,
            conditions=conditions,
            criterion_points=cpoints,
            official_score=official,
        )

    # -- one enterprise ------------------------------------------------------------------
    def explain(self, snapshot: Snapshot, enterprise_id: int) -> Explanation:
        """Evaluate one enterprise with a full trace (independent of the vectorised path)."""
        row = snapshot.row_of(enterprise_id)
        traces: list[CriterionTrace] = []
        values: dict[str, object] = {}
        for c in self.ruleset.criteria:
            expr = self.expressions[c.code]
            value, rec = expr.evaluate_row(snapshot, row)
            values[c.code] = value
            trace = build_trace(
                expr, snapshot, row, value, rec, code=c.code, title=c.title, clause=c.clause, kind=c.kind
            )
            traces.append(trace)
        required: bool | None = True
        for c in self._of("condition"):
            required = k_and(required, values[c.code])  # type: ignore[arg-type]
        alternatives: list[bool | None] = [values[c.code] for c in self._of("direct")]  # type: ignore[misc]
        total = low = high = None
        group_points: dict[str, float | None] = {}
        group_lines: list[GroupLine] = []
        official: float | None = None
        if self._of("points"):
            total, low, high = 0.0, 0.0, 0.0
            g_tot = {g.code: [0.0, 0.0, 0.0] for g in self.ruleset.groups}
            for c in self._of("points"):
                p = float(values[c.code])  # type: ignore[arg-type]
                lo, hi = self.ranges[c.code]
                p_lo, p_hi = (lo, hi) if math.isnan(p) else (p, p)
                total, low, high = total + p, low + p_lo, high + p_hi
                if c.group is not None:
                    acc = g_tot[c.group]
                    acc[0], acc[1], acc[2] = acc[0] + p, acc[1] + p_lo, acc[2] + p_hi
            group_points = {k: (None if math.isnan(v[0]) else v[0]) for k, v in g_tot.items()}
            group_lines = [
                GroupLine(
                    g.code, g.title, group_points[g.code], g_tot[g.code][1], g_tot[g.code][2], g.minimum
                )
                for g in self.ruleset.groups
            ]
            if self.ruleset.pass_mark is not None:
                ok = low >= self.ruleset.pass_mark
                fail = high < self.ruleset.pass_mark
                for g in self.ruleset.groups:
                    if g.minimum is not None:
                        ok = ok and g_tot[g.code][1] >= g.minimum
                        fail = fail or g_tot[g.code][2] < g.minimum
                if self.official is not None:
                    raw, _rec = self.official.evaluate_row(snapshot, row)
                    if not math.isnan(float(raw)):
                        official = float(raw)
                        ok = official >= self.ruleset.pass_mark or bool(
                            _close(official, self.ruleset.pass_mark)
                        )
                        fail = not ok
                alternatives.append(True if ok else (False if fail else None))
        if alternatives:
            either: bool | None = False
            for alt in alternatives:
                either = k_or(either, alt)
            required = k_and(required, either)
        outcome = Outcome.of(required)
        points = None if total is None or math.isnan(total) else total
        for trace in traces:
            labels = self._labels.get(trace.code)
            if labels:
                trace.labels = labels
        score_lines = self._score_lines(official, points, low, high)
        return Explanation(
            enterprise_id=int(enterprise_id),
            ruleset=self.ruleset,
            outcome=outcome,
            points=points,
            points_low=low,
            points_high=high,
            group_points=group_points,
            criteria=traces,
            summary=self._summary(outcome, points, low, high, traces, group_lines, official),
            groups=group_lines,
            official_score=official,
            score_lines=score_lines,
        )

    def _score_lines(
        self, official: float | None, points: float | None, low: float | None, high: float | None
    ) -> list[str]:
        """The official score beside the platform's own estimate, each labelled as what it is."""
        if self.official is None or self.ruleset.pass_mark is None:
            return []
        mark = format_value(self.ruleset.pass_mark)
        name = self.official.canonical
        if points is not None:
            estimate = f"{format_value(points)}分"
        elif low is not None and high is not None:
            estimate = f"{format_value(low)}～{format_value(high)}分"
        else:
            estimate = "无法测算"
        if official is None:
            return [
                f"官方评价得分（{name}）：未录入，按平台估算判断",
                f"平台估算得分：{estimate}（由各分项指标测算，仅供参考；需达到 {mark}分）",
            ]
        verdict = (
            "满足"
            if official >= self.ruleset.pass_mark or _close(official, self.ruleset.pass_mark)
            else "不满足"
        )
        return [
            f"官方评价得分（{name}）：{format_value(official)}分，需达到 {mark}分 → {verdict}（以此为准）",
            f"平台估算得分：{estimate}（由各分项指标测算，仅供参考）",
        ]

    @property
    def _labels(self) -> dict[str, dict[float, str]]:
        return {c.code: dict(c.labels) for c in self.ruleset.criteria if c.labels}

    def _summary(
        self,
        outcome: Outcome,
        points: float | None,
        low: float | None,
        high: float | None,
        traces: list[CriterionTrace],
        groups: list[GroupLine] | None = None,
        official: float | None = None,
    ) -> str:
        rs = self.ruleset
        scope = [t.title for t in traces if t.code in self._scope and t.outcome is Outcome.NOT_MET]
        head = ""
        if scope:
            head = f"不在适用范围：{'、'.join(scope)}——不满足，这不是靠增长能弥补的差距。"
        head += f"按现有数据测算，对照《{rs.name}》（{rs.version}版）：{outcome.label}"
        classes = [t.outcome_label for t in traces if t.code in self._labels and t.points is not None]
        if classes:
            head += f"，{'、'.join(classes)}"
        elif official is not None:
            head += f"，官方评价得分 {format_value(official)} 分"
        elif points is not None:
            head += f"，总分 {format_value(points)} 分"
        elif low is not None and high is not None:
            head += f"，总分在 {format_value(low)}～{format_value(high)} 分之间（部分数据缺失）"
        if official is None and rs.pass_mark is not None and points is not None and points < rs.pass_mark:
            head += f"（低于 {format_value(rs.pass_mark)} 分）"
        low_groups = [g for g in groups or [] if g.outcome is Outcome.NOT_MET]
        if low_groups and official is None:
            head += "；分组得分未达最低分：" + "、".join(
                f"{g.title} {format_value(g.high if g.points is None else g.points)}分"
                f"（需 {format_value(g.minimum)}分）"
                for g in low_groups
                if g.minimum is not None
            )
        direct = [t.title for t in traces if t.kind == "direct" and t.outcome is Outcome.MET]
        if direct:
            head += f"；符合直通条件：{'、'.join(direct)}"
        failed = [t.title for t in traces if t.kind == "condition" and t.outcome is Outcome.NOT_MET]
        if failed:
            head += f"；不满足：{'、'.join(failed)}"
        pending = [t.title for t in traces if t.kind != "points" and t.outcome is Outcome.UNKNOWN]
        if pending:
            head += f"；待定：{'、'.join(pending)}"
        return head + "。"
