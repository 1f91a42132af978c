"""The two-valued fast path (columns without missing values) gives the three-valued path's results."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qiangxian.rules.engine import Snapshot, Tri, compile_expression
from qiangxian.rules.engine.vector import _COMPARE, VectorEvaluator, _fast_compare, boundary, tolerant_const

from .test_engine_eval import _as_kleene, _bool_col, _cond, _money, _points, _same, cat  # noqa: F401

OPS = [">=", "<=", ">", "<", "=", "!="]
_finite = st.floats(-1e12, 1e12, allow_nan=False, allow_infinity=False)


@st.composite
def near(draw: st.DrawFn) -> tuple[float, list[float]]:
    """A constant and values around it: exactly on it, a few ulps off, at the tolerance's edge."""
    b = draw(st.one_of(st.sampled_from([0.0, 0.03, 0.15, 2e7, -5.0, 1.0]), _finite))
    xs = [b, b * (1 - 1e-9), b * (1 + 1e-9), b * (1 - 2e-9), b * (1 + 2e-9), -b]
    edge = boundary(">=", b)
    xs += [edge, float(np.nextafter(edge, -np.inf)), float(np.nextafter(b, np.inf))]
    xs += draw(st.lists(_finite, max_size=5))
    return b, xs


@settings(max_examples=300, deadline=None)
@given(near(), st.sampled_from(OPS))
def test_fast_comparison_against_a_constant_is_the_tolerant_comparison(case, op) -> None:
    b, xs = case
    a = np.array(xs, dtype=np.float64)
    assert _fast_compare(op, a, b).tolist() == np.asarray(_COMPARE[op](a, b)).tolist()


@settings(max_examples=200, deadline=None)
@given(near(), st.sampled_from(OPS))
def test_tolerant_comparison_with_missing_and_infinite_values(case, op) -> None:
    # The three-valued path and the bands use it on columns with holes (and, rarely, infinities).
    b, xs = case
    a = np.array([*xs, math.nan, math.inf, -math.inf], dtype=np.float64)
    with np.errstate(invalid="ignore", over="ignore"):
        expected = np.asarray(_COMPARE[op](a, b)).tolist()
    assert tolerant_const(op, a, b).tolist() == expected


@st.composite
def complete_snapshots(draw: st.DrawFn) -> Snapshot:
    """Snapshots where every column is known: the fast path is taken for every comparison."""
    n = draw(st.integers(1, 6))
    value = st.one_of(st.sampled_from([0.0, 1e6, 2e7, 1000.0, 999.0]), st.floats(-1e8, 1e9, allow_nan=False))
    cols = {}
    for ident in ("revenue", "rd_expense"):
        for period in ("current", "last_year", "year_minus_2", "year_minus_3"):
            cols[(ident, period)] = draw(st.lists(value, min_size=n, max_size=n))
    cols[("ratio", "last_year")] = draw(st.lists(st.floats(0, 1.5), min_size=n, max_size=n))
    cols[("employees", "last_year")] = draw(
        st.lists(st.sampled_from([10.0, 999.0, 1000.0]), min_size=n, max_size=n)
    )
    cols[("flag", "current")] = draw(st.lists(st.sampled_from([0.0, 1.0]), min_size=n, max_size=n))
    snap = Snapshot(np.arange(n) + 100, columns=cols)
    known = st.sampled_from([True, False])
    snap.designations["A"] = _bool_col(draw(st.lists(known, min_size=n, max_size=n)))
    snap.designations["B"] = _bool_col(draw(st.lists(known, min_size=n, max_size=n)))
    snap.judgements["x"] = _bool_col(draw(st.lists(known, min_size=n, max_size=n)))
    return snap


def _vector(expr, snap: Snapshot, fast: bool) -> list:
    out = expr.evaluate(snap, VectorEvaluator(snap, fast=fast))
    return _as_kleene(out) if isinstance(out, Tri) else [float(x) for x in out]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(_cond(), _points(), _money()), complete_snapshots())
def test_fast_path_equals_per_enterprise_on_complete_data(cat, text: str, snap: Snapshot) -> None:  # noqa: F811
    expr = compile_expression(text, cat)
    fast = _vector(expr, snap, True)
    rows = [expr.evaluate_row(snap, i)[0] for i in range(snap.size)]
    assert all(_same(v, r) for v, r in zip(fast, rows, strict=True)), (text, fast, rows)
    assert all(_same(v, r) for v, r in zip(fast, _vector(expr, snap, False), strict=True))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(_cond(), _points()), complete_snapshots(), st.data())
def test_fast_and_three_valued_paths_agree_when_some_values_go_missing(cat, text, snap, data) -> None:  # noqa: F811
    # Punch holes in some columns: complete columns take the fast path, the others do not.
    for key in list(snap.columns):
        if data.draw(st.booleans()):
            col = snap.columns[key].copy()
            col[data.draw(st.integers(0, snap.size - 1))] = math.nan
            snap.columns[key] = col
    expr = compile_expression(text, cat)
    fast, slow = _vector(expr, snap, True), _vector(expr, snap, False)
    rows = [expr.evaluate_row(snap, i)[0] for i in range(snap.size)]
    assert all(_same(f, s) and _same(f, r) for f, s, r in zip(fast, slow, rows, strict=True)), text


def test_fast_path_is_taken_on_complete_columns(cat) -> None:  # noqa: F811
    snap = Snapshot(np.arange(3), columns={("revenue", "last_year"): [2e7, 1.99999999e7, 1e7]})
    expr = compile_expression("营业收入@上年 >= 2000万 且 营业收入@上年 < 1亿", cat)
    out = expr.evaluate(snap)
    assert isinstance(out, Tri) and out.all_known
    assert _as_kleene(out) == [True, False, False]
    snap.columns[("revenue", "last_year")] = np.array([2e7, math.nan, 1e7])
    out = expr.evaluate(snap)
    assert not out.all_known and _as_kleene(out) == [True, None, False]
