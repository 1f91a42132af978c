"""Vectorised evaluation over all enterprises at once (numpy).

Numbers are float64 arrays with NaN for missing; conditions are `Tri` pairs of boolean
arrays (value, known) implementing Kleene three-valued logic. Windows are (n, years) arrays.
The per-enterprise evaluator in scalar.py implements the same semantics independently;
tests check that both agree.

**Two-valued fast path.** Most columns of a real snapshot have no missing value. Where both
sides of a comparison are complete (no NaN), the "known" mask is all true and is not computed:
the Tri carries ``all_known`` and a shared read-only mask, and 且/或/非 of such Tris are plain
boolean operations. Against a constant, the comparison tolerance is applied once, by turning the
constant into the exact float boundary of the tolerant comparison (``_boundary``), so each
element costs one comparison. Results are identical to the three-valued path (property-tested).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
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


@dataclass
class Tri:
    """A three-valued condition: `val` is True only where `known` is True.

    ``all_known`` marks a Tri whose mask is true everywhere (the two-valued fast path).
    """

    val: np.ndarray
    known: np.ndarray
    all_known: bool = False

    @property
    def met(self) -> np.ndarray:
        return self.val

    @property
    def not_met(self) -> np.ndarray:
        return self.known & ~self.val

    @property
    def unknown(self) -> np.ndarray:
        return ~self.known


Value = np.ndarray | Tri


def _align(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    # A per-enterprise value meets a window: repeat it across the years.
    if np.ndim(a) == 1 and np.ndim(b) == 2:
        return a[:, None], b
    if np.ndim(a) == 2 and np.ndim(b) == 1:
        return a, b[:, None]
    return a, b


def tri_and(a: Tri, b: Tri) -> Tri:
    """Kleene AND: false wins over unknown."""
    if a.all_known and b.all_known:
        val = np.logical_and(*_align(a.val, b.val))
        return Tri(val, _everywhere(val.shape), True)
    av, bv = _align(a.val, b.val)
    ak, bk = _align(a.known, b.known)
    known = (ak & bk) | (ak & ~av) | (bk & ~bv)
    return Tri(av & bv, known)


def tri_or(a: Tri, b: Tri) -> Tri:
    """Kleene OR: true wins over unknown."""
    if a.all_known and b.all_known:
        val = np.logical_or(*_align(a.val, b.val))
        return Tri(val, _everywhere(val.shape), True)
    av, bv = _align(a.val, b.val)
    ak, bk = _align(a.known, b.known)
    known = (ak & bk) | av | bv
    return Tri(av | bv, known)


def tri_not(a: Tri) -> Tri:
    """Kleene NOT: unknown stays unknown."""
    if a.all_known:
        return Tri(np.logical_not(a.val), a.known, True)
    return Tri(~a.val & a.known, a.known)


_TRUE = np.ones((), dtype=bool)


def _everywhere(shape: tuple[int, ...]) -> np.ndarray:
    """A read-only all-true mask of a shape, without allocating it."""
    return np.broadcast_to(_TRUE, shape)


def _complete(x: Any) -> bool:
    """Whether a number or array is all finite (no NaN = missing, no infinity).

    One pass: a NaN or an infinity makes the sum non-finite (an overflowing sum only sends a
    complete column down the three-valued path, which gives the same result).
    """
    if isinstance(x, np.ndarray) and x.ndim:
        with np.errstate(all="ignore"):
            return bool(np.isfinite(np.add.reduce(x, axis=None)))
    return bool(np.isfinite(x))


# Relative tolerance of comparisons: 1150万/1000万 − 1 is 0.1499999… in binary floating point
# and must still reach a 15% threshold. The per-enterprise path uses the same formula.
REL_TOL = 1e-9


def close(a: Any, b: Any) -> Any:
    """Equal, or within REL_TOL of each other (relative to the larger magnitude)."""
    with np.errstate(invalid="ignore", over="ignore"):
        return np.equal(a, b) | (np.abs(np.subtract(a, b)) <= REL_TOL * np.maximum(np.abs(a), np.abs(b)))


_COMPARE: dict[str, Callable[[Any, Any], Any]] = {
    ">=": lambda a, b: np.greater_equal(a, b) | close(a, b),
    "<=": lambda a, b: np.less_equal(a, b) | close(a, b),
    ">": lambda a, b: np.greater(a, b) & ~close(a, b),
    "<": lambda a, b: np.less(a, b) & ~close(a, b),
    "=": close,
    "!=": lambda a, b: ~close(a, b),
}


def _boundary(op: str, b: float) -> float:
    """The float t such that the tolerant comparison ``x op b`` is exactly ``x >= t`` (">=", ">")
    or ``x <= t`` ("<=", "<"), for every float x.

    Each of these comparisons is monotone in x, so its set of true values is a half-line: start
    from the analytic edge b ∓ REL_TOL·|b| and walk ulp by ulp to the first (last) float for which
    the three-valued path's own formula holds.
    """
    test = _COMPARE[op]
    upward = op in (">=", ">")
    step = np.inf if upward else -np.inf
    edge = np.float64(b) - np.float64(REL_TOL) * abs(np.float64(b)) * (1 if op == ">=" or op == "<" else -1)
    x = np.float64(edge)
    # Move back until the comparison fails, then forward to the first float where it holds.
    for _ in range(64):
        if not bool(test(x, b)):
            break
        x = np.nextafter(x, -step)
    for _ in range(128):
        if bool(test(x, b)):
            return float(x)
        x = np.nextafter(x, step)
    raise ArithmeticError(f"no boundary for {op} {b}")  # not reached for finite b


_BOUNDARIES: dict[tuple[str, float], float] = {}


def boundary(op: str, b: float) -> float:
    """Cached :func:`_boundary`."""
    key = (op, float(b))
    found = _BOUNDARIES.get(key)
    if found is None:
        found = _BOUNDARIES[key] = _boundary(op, b)
    return found


def _fast_compare(op: str, a: np.ndarray, b: float) -> np.ndarray:
    """A tolerant comparison against a constant with one comparison per element."""
    if op in (">=", ">"):
        return np.greater_equal(a, boundary(op, b))
    if op in ("<=", "<"):
        return np.less_equal(a, boundary(op, b))
    inside = np.greater_equal(a, boundary(">=", b)) & np.less_equal(a, boundary("<=", b))
    return inside if op == "=" else np.logical_not(inside)


def tolerant_const(op: str, a: np.ndarray, b: float) -> np.ndarray:
    """``_COMPARE[op](a, b)`` for a finite constant b, with one comparison per finite element.

    The tolerant formula treats infinities in its own way (|inf − b| ≤ tol·inf holds), so those
    few elements, if any, are taken from the formula itself.
    """
    out = _fast_compare(op, a, b)
    infinite = np.isinf(a)
    if infinite.any():
        with np.errstate(invalid="ignore", over="ignore"):
            out = np.where(infinite, _COMPARE[op](a, b), out)
    return out


class VectorEvaluator:
    """Evaluates typed trees against one snapshot; column look-ups are cached per instance.

    ``fast=False`` switches the two-valued fast path off (the tests compare both).
    """

    def __init__(self, snapshot: Snapshot, *, fast: bool = True) -> None:
        self.snapshot = snapshot
        self.n = snapshot.size
        self.fast = fast
        self._cache: dict[Any, Any] = {}

    def number(self, node: TNode) -> np.ndarray:
        """Evaluate a numeric node to a float array of length n."""
        out = self.eval(node)
        assert not isinstance(out, Tri)
        return np.broadcast_to(np.asarray(out, dtype=np.float64), (self.n,))

    def condition(self, node: TNode) -> Tri:
        """Evaluate a condition to a Tri of length-n arrays."""
        out = self.eval(node)
        assert isinstance(out, Tri)
        return Tri(np.broadcast_to(out.val, (self.n,)), np.broadcast_to(out.known, (self.n,)), out.all_known)

    def eval(self, node: TNode) -> Any:
        return _DISPATCH[type(node)](self, node)

    def _const(self, node: TConst) -> Any:
        if isinstance(node.value, bool):
            return Tri(np.bool_(node.value), np.bool_(True), True)
        return node.value

    def _is_complete(self, node: TNode, value: Any) -> bool:
        # A column's completeness is worked out once per snapshot; other values each time.
        if isinstance(node, TRef) and isinstance(value, np.ndarray) and value.ndim == 1:
            return self.snapshot.complete(node.indicator.identifier, node.period, value)
        return _complete(value)

    def _ref(self, node: TRef) -> Any:
        key = (node.indicator.identifier, node.period)
        col = self._cache.get(key)
        if col is None:
            col = self.snapshot.column(*key)
            self._cache[key] = col
        if node.indicator.is_bool:
            known = ~np.isnan(col)
            return Tri((col != 0) & known, known)
        return col

    def _years(self, node: TYears) -> Any:
        key = ("__years_established__",)
        if key not in self._cache:
            self._cache[key] = self.snapshot.years_since_established()
        return self._cache[key]

    def _holds(self, node: THolds) -> Any:
        return Tri(*self.snapshot.designation(node.name))

    def _judge(self, node: TJudge) -> Any:
        return Tri(*self.snapshot.judgement(node.text))

    def _neg(self, node: TNeg) -> Any:
        return -self.eval(node.x)

    def _arith(self, node: TArith) -> Any:
        a, b = _align(self.eval(node.a), self.eval(node.b))
        with np.errstate(all="ignore"):
            if node.op == "+":
                return np.add(a, b)
            if node.op == "-":
                return np.subtract(a, b)
            if node.op == "*":
                return np.multiply(a, b)
            # Division by zero is "no value", not infinity: a share of a zero revenue is unknown.
            return np.where(np.equal(b, 0), np.nan, np.divide(a, b))

    def _compare(self, node: TCompare) -> Any:
        raw_a, raw_b = self.eval(node.a), self.eval(node.b)
        a, b = _align(raw_a, raw_b)
        if self.fast and self._is_complete(node.a, raw_a) and self._is_complete(node.b, raw_b):
            if isinstance(node.b, TConst) and np.ndim(b) == 0 and np.isfinite(b):
                val = _fast_compare(node.op, np.asarray(a), float(b))
            else:
                with np.errstate(invalid="ignore", over="ignore"):
                    val = np.asarray(_COMPARE[node.op](a, b))
            return Tri(val, _everywhere(val.shape), True)
        known = ~(np.isnan(a) | np.isnan(b))
        if self.fast and isinstance(node.b, TConst) and np.ndim(b) == 0 and np.isfinite(b):
            return Tri(tolerant_const(node.op, np.asarray(a), float(b)) & known, known)
        return Tri(_COMPARE[node.op](a, b) & known, known)

    def _logic(self, node: TLogic) -> Any:
        a, b = self.eval(node.a), self.eval(node.b)
        return tri_and(a, b) if node.op == "and" else tri_or(a, b)

    def _not(self, node: TNot) -> Any:
        return tri_not(self.eval(node.x))

    def _if(self, node: TIf) -> Any:
        c: Tri = self.eval(node.cond)
        a, b = self.eval(node.a), self.eval(node.b)
        if isinstance(a, Tri):
            # Unknown condition: the result is known only if both branches agree.
            same = a.known & b.known & (a.val == b.val)
            val = np.where(c.known, np.where(c.val, a.val, b.val), same & a.val)
            known = np.where(c.known, np.where(c.val, a.known, b.known), same)
            return Tri(val & known, known)
        a = np.asarray(a, dtype=np.float64)
        b = np.asarray(b, dtype=np.float64)
        chosen = np.where(c.val, a, b)
        undecided = np.where(np.equal(a, b), a, np.nan)
        return np.where(c.known, chosen, undecided)

    def _minmax(self, node: TMinMax) -> Any:
        func = np.minimum if node.op == "min" else np.maximum
        out = self.eval(node.args[0])
        for arg in node.args[1:]:
            out = func(out, self.eval(arg))
        return out

    def _agg(self, node: TAgg) -> Any:
        s = self.eval(node.x)
        k = s.shape[1]
        with np.errstate(all="ignore"):
            if node.op in ("sum", "avg"):
                # Add year by year so the per-enterprise path gives bit-identical sums.
                total = s[:, 0].copy()
                for j in range(1, k):
                    total = total + s[:, j]
                return total if node.op == "sum" else total / k
            if node.op in ("min", "max"):
                out = s[:, 0]
                func = np.minimum if node.op == "min" else np.maximum
                for j in range(1, k):
                    out = func(out, s[:, j])
                return out
            first, last = s[:, 0], s[:, -1]
            ratio = np.where(first > 0, last / np.where(first > 0, first, 1.0), np.nan)
            if k == 2:
                return ratio - 1.0
            ratio = np.where(ratio >= 0, ratio, np.nan)
            if k == 3:
                return np.sqrt(ratio) - 1.0
            return np.power(ratio, 1.0 / (k - 1)) - 1.0

    def _each(self, node: TEach) -> Any:
        x: Tri = self.eval(node.x)
        val = np.broadcast_to(x.val, (self.n, node.x.type.years))
        known = np.broadcast_to(x.known, val.shape)
        if node.op == "all":
            return Tri(val.all(axis=1) & known.all(axis=1), known.all(axis=1) | (known & ~val).any(axis=1))
        return Tri(val.any(axis=1), known.all(axis=1) | val.any(axis=1))

    def _count(self, node: TCount) -> Any:
        total = np.zeros(self.n)
        all_known = np.ones(self.n, dtype=bool)
        for arg in node.args:
            t = self.condition(arg)
            total = total + t.val
            all_known &= t.known
        return np.where(all_known, total, np.nan)

    def _bands(self, node: TBands) -> Any:
        x = self.number(node.x)
        out = np.full(self.n, node.default)
        pairs = list(zip(node.thresholds, node.points, strict=True))
        if self.fast:
            test = tolerant_const
        else:

            def test(op: str, a: np.ndarray, b: float) -> np.ndarray:
                return _COMPARE[op](a, b)

        if node.upward:
            for t, p in pairs:
                out = np.where(test(">=", x, t), p, out)
        else:
            for t, p in reversed(pairs):
                out = np.where(test("<=", x, t), p, out)
        return np.where(np.isnan(x), np.nan, out)


_DISPATCH: dict[type, Callable[[VectorEvaluator, Any], Any]] = {
    TConst: VectorEvaluator._const,
    TRef: VectorEvaluator._ref,
    TYears: VectorEvaluator._years,
    THolds: VectorEvaluator._holds,
    TJudge: VectorEvaluator._judge,
    TNeg: VectorEvaluator._neg,
    TArith: VectorEvaluator._arith,
    TCompare: VectorEvaluator._compare,
    TLogic: VectorEvaluator._logic,
    TNot: VectorEvaluator._not,
    TIf: VectorEvaluator._if,
    TMinMax: VectorEvaluator._minmax,
    TAgg: VectorEvaluator._agg,
    TEach: VectorEvaluator._each,
    TCount: VectorEvaluator._count,
    TBands: VectorEvaluator._bands,
}
