"""Per-enterprise evaluation in plain Python, recording what it used for the explanation.

This is a second, independent implementation of the semantics in vector.py: numbers are
floats (NaN = missing), conditions are True / False / None (unknown), windows are tuples.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .snapshot import Snapshot
from .typed import (
    TAgg,
    TArith,
    TBands,
    TCompare,
    TConst,
    TCount,
    TEach,
    THolds,
    TIf,
    TJudge,
    TLogic,
    TMinMax,
    TNeg,
    TNode,
    TNot,
    TRef,
    TYears,
)

NAN = float("nan")


def k_and(a: bool | None, b: bool | None) -> bool | None:
    """Kleene AND on True/False/None."""
    if a is False or b is False:
        return False
    if a is None or b is None:
        return None
    return True


def k_or(a: bool | None, b: bool | None) -> bool | None:
    """Kleene OR on True/False/None."""
    if a is True or b is True:
        return True
    if a is None or b is None:
        return None
    return False


def k_not(a: bool | None) -> bool | None:
    """Kleene NOT on True/False/None."""
    return None if a is None else not a


def _isnan(x: float) -> bool:
    return math.isnan(x)


@dataclass
class Recording:
    """What one evaluation looked at: leaf values, comparisons and bands, in order."""

    leaves: list[tuple[TNode, Any]] = field(default_factory=list)
    checks: list[tuple[TCompare, Any, Any, Any]] = field(default_factory=list)
    bands: list[tuple[TBands, float, float]] = field(default_factory=list)


def _zip_map(func: Callable[[Any, Any], Any], a: Any, b: Any) -> Any:
    # Elementwise over windows; a single value is repeated across the years.
    if isinstance(a, tuple) or isinstance(b, tuple):
        n = len(a) if isinstance(a, tuple) else len(b)
        aa = a if isinstance(a, tuple) else (a,) * n
        bb = b if isinstance(b, tuple) else (b,) * n
        return tuple(func(x, y) for x, y in zip(aa, bb, strict=True))
    return func(a, b)


def _arith(op: str, a: float, b: float) -> float:
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if b == 0:
        return NAN
    return a / b


REL_TOL = 1e-9  # same tolerance as vector.REL_TOL


def _close(a: float, b: float) -> bool:
    if a == b:
        return True
    diff = abs(a - b)
    return diff <= REL_TOL * max(abs(a), abs(b))


def _cmp(op: str, a: float, b: float) -> bool | None:
    if _isnan(a) or _isnan(b):
        return None
    if op == ">=":
        return a >= b or _close(a, b)
    if op == "<=":
        return a <= b or _close(a, b)
    if op == ">":
        return a > b and not _close(a, b)
    if op == "<":
        return a < b and not _close(a, b)
    if op == "=":
        return _close(a, b)
    return not _close(a, b)


class ScalarEvaluator:
    """Evaluates typed trees for one row of a snapshot."""

    def __init__(self, snapshot: Snapshot, row: int, recording: Recording | None = None) -> None:
        self.snapshot = snapshot
        self.row = row
        self.rec = recording if recording is not None else Recording()

    def eval(self, node: TNode) -> Any:
        return _DISPATCH[type(node)](self, node)

    def _const(self, node: TConst) -> Any:
        return node.value

    def _ref(self, node: TRef) -> Any:
        value: Any = self.snapshot.value_at(node.indicator.identifier, node.period, self.row)
        if node.indicator.is_bool:
            conv = lambda v: None if _isnan(v) else v != 0  # noqa: E731
            value = tuple(conv(v) for v in value) if isinstance(value, tuple) else conv(value)
        self.rec.leaves.append((node, value))
        return value

    def _years(self, node: TYears) -> Any:
        value = self.snapshot.years_established_at(self.row)
        self.rec.leaves.append((node, value))
        return value

    def _holds(self, node: THolds) -> Any:
        value = self.snapshot.designation_at(node.name, self.row)
        self.rec.leaves.append((node, value))
        return value

    def _judge(self, node: TJudge) -> Any:
        value = self.snapshot.judgement_at(node.text, self.row)
        self.rec.leaves.append((node, value))
        return value

    def _neg(self, node: TNeg) -> Any:
        x = self.eval(node.x)
        return tuple(-v for v in x) if isinstance(x, tuple) else -x

    def _arith(self, node: TArith) -> Any:
        return _zip_map(lambda a, b: _arith(node.op, a, b), self.eval(node.a), self.eval(node.b))

    def _compare(self, node: TCompare) -> Any:
        a, b = self.eval(node.a), self.eval(node.b)
        out = _zip_map(lambda x, y: _cmp(node.op, x, y), a, b)
        self.rec.checks.append((node, a, b, out))
        return out

    def _logic(self, node: TLogic) -> Any:
        func = k_and if node.op == "and" else k_or
        return _zip_map(func, self.eval(node.a), self.eval(node.b))

    def _not(self, node: TNot) -> Any:
        x = self.eval(node.x)
        return tuple(k_not(v) for v in x) if isinstance(x, tuple) else k_not(x)

    def _if(self, node: TIf) -> Any:
        c = self.eval(node.cond)
        a, b = self.eval(node.a), self.eval(node.b)
        if c is True:
            return a
        if c is False:
            return b
        if isinstance(a, float):
            return a if a == b else NAN
        return a if (a is not None and a == b) else None

    def _minmax(self, node: TMinMax) -> Any:
        values = [self.eval(a) for a in node.args]
        if any(_isnan(v) for v in values):
            return NAN
        return min(values) if node.op == "min" else max(values)

    def _agg(self, node: TAgg) -> Any:
        s: tuple[float, ...] = self.eval(node.x)
        if node.op in ("sum", "avg"):
            total = s[0]
            for v in s[1:]:
                total = total + v
            return total if node.op == "sum" else total / len(s)
        if node.op in ("min", "max"):
            if any(_isnan(v) for v in s):
                return NAN
            return min(s) if node.op == "min" else max(s)
        first, last = s[0], s[-1]
        if _isnan(first) or _isnan(last) or not first > 0:
            return NAN
        ratio = last / first
        if len(s) == 2:
            return ratio - 1.0
        if not ratio >= 0:
            return NAN
        if len(s) == 3:
            return math.sqrt(ratio) - 1.0
        return float(np.power(ratio, 1.0 / (len(s) - 1))) - 1.0

    def _each(self, node: TEach) -> Any:
        x = self.eval(node.x)
        values = x if isinstance(x, tuple) else (x,) * node.x.type.years
        out: bool | None = values[0]
        for v in values[1:]:
            out = k_and(out, v) if node.op == "all" else k_or(out, v)
        return out

    def _count(self, node: TCount) -> Any:
        values = [self.eval(a) for a in node.args]
        if any(v is None for v in values):
            return NAN
        return float(sum(1 for v in values if v))

    def _bands(self, node: TBands) -> Any:
        x = self.eval(node.x)
        if _isnan(x):
            points = NAN
        else:
            points = node.default
            pairs = list(zip(node.thresholds, node.points, strict=True))
            if node.upward:
                for t, p in pairs:
                    if _cmp(">=", x, t):
                        points = p
            else:
                for t, p in reversed(pairs):
                    if _cmp("<=", x, t):
                        points = p
        self.rec.bands.append((node, x, points))
        return points


_DISPATCH: dict[type, Callable[[ScalarEvaluator, Any], Any]] = {
    TConst: ScalarEvaluator._const,
    TRef: ScalarEvaluator._ref,
    TYears: ScalarEvaluator._years,
    THolds: ScalarEvaluator._holds,
    TJudge: ScalarEvaluator._judge,
    TNeg: ScalarEvaluator._neg,
    TArith: ScalarEvaluator._arith,
    TCompare: ScalarEvaluator._compare,
    TLogic: ScalarEvaluator._logic,
    TNot: ScalarEvaluator._not,
    TIf: ScalarEvaluator._if,
    TMinMax: ScalarEvaluator._minmax,
    TAgg: ScalarEvaluator._agg,
    TEach: ScalarEvaluator._each,
    TCount: ScalarEvaluator._count,
    TBands: ScalarEvaluator._bands,
}
