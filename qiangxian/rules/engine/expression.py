"""A compiled expression: text -> checked tree, evaluated in batch or explained for one enterprise."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from .catalogue import Catalogue
from .checker import check
from .explain import CriterionTrace, Outcome, band_texts, check_traces, gaps, notes, values_used
from .nodes import Node
from .parser import parse
from .printer import to_text
from .scalar import Recording, ScalarEvaluator
from .snapshot import Snapshot
from .typed import BOOL, TBands, TIf, TMinMax, TNode, const_value
from .vector import Tri, VectorEvaluator


@dataclass
class Expression:
    """A parsed and checked expression. `kind` is "bool" (a condition) or "num"."""

    text: str
    tree: Node
    typed: TNode

    @property
    def kind(self) -> str:
        return self.typed.type.kind

    @property
    def canonical(self) -> str:
        """The expression re-printed in the canonical style."""
        return to_text(self.tree)

    def evaluate(self, snapshot: Snapshot, evaluator: VectorEvaluator | None = None) -> np.ndarray | Tri:
        """Vectorised: a Tri for a condition, a float array (NaN = missing) for a number."""
        ev = evaluator or VectorEvaluator(snapshot)
        return ev.condition(self.typed) if self.kind == BOOL else ev.number(self.typed)

    def evaluate_row(self, snapshot: Snapshot, row: int) -> tuple[Any, Recording]:
        """Per-enterprise (by row index): (True/False/None or float, what was used)."""
        rec = Recording()
        return ScalarEvaluator(snapshot, row, rec).eval(self.typed), rec

    def explain(self, snapshot: Snapshot, enterprise_id: int) -> CriterionTrace:
        """A trace for one enterprise, as if this expression were a criterion of its own."""
        row = snapshot.row_of(enterprise_id)
        value, rec = self.evaluate_row(snapshot, row)
        return build_trace(self, snapshot, row, value, rec, code="", title="", clause="", kind=self.kind)

    def points_range(self) -> tuple[float, float]:
        """Static bounds of a numeric expression (used when some points are missing)."""
        return static_range(self.typed)


def build_trace(
    expr: Expression,
    snapshot: Snapshot,
    row: int,
    value: Any,
    rec: Recording,
    *,
    code: str,
    title: str,
    clause: str,
    kind: str,
) -> CriterionTrace:
    """Assemble a CriterionTrace from one per-enterprise evaluation."""
    if expr.kind == BOOL:
        outcome, points = Outcome.of(value), None
    else:
        missing = math.isnan(value)
        outcome, points = (Outcome.UNKNOWN, None) if missing else (Outcome.MET, float(value))
    return CriterionTrace(
        code=code,
        title=title,
        clause=clause,
        kind=kind,
        expression=expr.canonical,
        outcome=outcome,
        points=points,
        values=values_used(rec, snapshot, row),
        checks=check_traces(rec),
        gaps=gaps(rec, snapshot, row, outcome=value if expr.kind == BOOL else None),
        notes=notes(rec),
        bands=band_texts(rec),
    )


def static_range(node: TNode) -> tuple[float, float]:
    """Lowest and highest value an expression can take, when that is evident from its form."""
    value = const_value(node)
    if value is not None:
        return value, value
    if isinstance(node, TBands):
        pts = (*node.points, node.default)
        return min(pts), max(pts)
    if isinstance(node, TIf):
        (a_lo, a_hi), (b_lo, b_hi) = static_range(node.a), static_range(node.b)
        return min(a_lo, b_lo), max(a_hi, b_hi)
    if isinstance(node, TMinMax):
        ranges = [static_range(a) for a in node.args]
        pick = min if node.op == "min" else max
        return pick(r[0] for r in ranges), pick(r[1] for r in ranges)
    return -math.inf, math.inf


def compile_expression(text: str, catalogue: Catalogue, *, expect: str | None = None) -> Expression:
    """Parse and check an expression. `expect`: "bool", "num" or None. Raises RuleError."""
    tree = parse(text)
    return Expression(text, tree, check(tree, catalogue, expect=expect))
