"""Evaluation semantics: Kleene logic, missing data, bands, windows, and vector == per-enterprise."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qiangxian.rules.engine import Catalogue, Snapshot, Tri, compile_expression

NAN = float("nan")
T, F, U = True, False, None


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    c = Catalogue()
    c.add_indicator("revenue", "营业收入", "money")
    c.add_indicator("rd_expense", "研发费用", "money")
    c.add_indicator("employees", "从业人员", "persons")
    c.add_indicator("ratio", "资产负债率", "ratio")
    c.add_indicator("flag", "战新产品", "bool")
    c.add_designation("A")
    c.add_designation("B")
    return c


def _bool_col(values: list[bool | None]) -> tuple[np.ndarray, np.ndarray]:
    return np.array([v is True for v in values]), np.array([v is not None for v in values])


def _as_kleene(tri: Tri) -> list[bool | None]:
    return [bool(v) if k else None for v, k in zip(tri.val, tri.known, strict=True)]


def _both_paths(expr_text: str, cat: Catalogue, snap: Snapshot) -> tuple[list, list]:
    expr = compile_expression(expr_text, cat)
    vec = expr.evaluate(snap)
    per_row = [expr.evaluate_row(snap, i)[0] for i in range(snap.size)]
    vec_list = _as_kleene(vec) if isinstance(vec, Tri) else [float(x) for x in vec]
    return vec_list, per_row


# ---- truth tables (docs/rules-language.md §真值表) ----------------------------------------
PAIRS = [(a, b) for a in (T, F, U) for b in (T, F, U)]
AND_TABLE = {
    (T, T): T,
    (T, F): F,
    (T, U): U,
    (F, T): F,
    (F, F): F,
    (F, U): F,
    (U, T): U,
    (U, F): F,
    (U, U): U,
}
OR_TABLE = {(T, T): T, (T, F): T, (T, U): T, (F, T): T, (F, F): F, (F, U): U, (U, T): T, (U, F): U, (U, U): U}


@pytest.fixture(scope="module")
def pair_snapshot() -> Snapshot:
    return Snapshot(
        np.arange(9),
        designations={"A": _bool_col([a for a, _ in PAIRS]), "B": _bool_col([b for _, b in PAIRS])},
    )


@pytest.mark.parametrize(
    ("op", "table"), [("且", AND_TABLE), ("或", OR_TABLE), ("and", AND_TABLE), ("or", OR_TABLE)]
)
def test_kleene_truth_tables(cat: Catalogue, pair_snapshot: Snapshot, op: str, table: dict) -> None:
    vec, rows = _both_paths(f'持有("A") {op} 持有("B")', cat, pair_snapshot)
    expected = [table[p] for p in PAIRS]
    assert vec == expected
    assert rows == expected


def test_not_keeps_unknown(cat: Catalogue, pair_snapshot: Snapshot) -> None:
    vec, rows = _both_paths('非 持有("A")', cat, pair_snapshot)
    expected = [{T: F, F: T, U: U}[a] for a, _ in PAIRS]
    assert vec == rows == expected


def test_missing_designation_column_is_unknown_not_false(cat: Catalogue) -> None:
    snap = Snapshot(np.arange(2), designations={"A": _bool_col([True, False])})
    vec, rows = _both_paths('持有("B")', cat, snap)
    assert vec == rows == [None, None]


def test_comparison_and_arithmetic_with_missing(cat: Catalogue) -> None:
    snap = Snapshot(
        np.arange(3),
        columns={("revenue", "current"): [3e7, NAN, 1e7], ("rd_expense", "current"): [1e6, 1e6, NAN]},
    )
    vec, rows = _both_paths("营业收入 >= 2000万", cat, snap)
    assert vec == rows == [True, None, False]
    vec, rows = _both_paths("营业收入 + 研发费用", cat, snap)
    assert vec[0] == rows[0] == 3.1e7
    assert all(math.isnan(x) for x in vec[1:] + rows[1:])
    # Unknown 且 false is false: the missing revenue does not matter when R&D fails.
    vec, rows = _both_paths("营业收入 >= 2000万 且 研发费用 >= 500万", cat, snap)
    assert vec == rows == [False, False, False]


def test_division_by_zero_is_missing(cat: Catalogue) -> None:
    snap = Snapshot(
        np.arange(2), columns={("revenue", "current"): [0.0, 1e6], ("rd_expense", "current"): [1e4, 3e4]}
    )
    vec, rows = _both_paths("研发费用 / 营业收入 >= 3%", cat, snap)
    assert vec == rows == [None, True]


def test_if_with_unknown_condition_is_known_only_when_branches_agree(cat: Catalogue) -> None:
    snap = Snapshot(np.arange(1), designations={"A": _bool_col([None])})
    assert _both_paths('如果(持有("A"), 5, 5)', cat, snap) == ([5.0], [5.0])
    vec, rows = _both_paths('如果(持有("A"), 5, 0)', cat, snap)
    assert math.isnan(vec[0]) and math.isnan(rows[0])


def test_bool_indicator_column(cat: Catalogue) -> None:
    snap = Snapshot(np.arange(3), columns={("flag", "current"): [1.0, 0.0, NAN]})
    assert _both_paths("战新产品", cat, snap) == ([True, False, None], [True, False, None])


def test_judgement_unknown_until_recorded(cat: Catalogue) -> None:
    text = "市场占有率较高"
    snap = Snapshot(np.arange(3))
    assert _both_paths(f'人工判断("{text}")', cat, snap)[0] == [None, None, None]
    snap.judgements[text] = (np.array([True, False, False]), np.array([True, True, False]))
    assert _both_paths(f'人工判断("{text}")', cat, snap) == ([True, False, None], [True, False, None])


def test_count_of_conditions(cat: Catalogue) -> None:
    snap = Snapshot(np.arange(3), designations={"A": _bool_col([T, T, U]), "B": _bool_col([T, F, T])})
    vec, rows = _both_paths('计数(持有("A"), 持有("B"))', cat, snap)
    assert vec[:2] == rows[:2] == [2.0, 1.0]
    assert math.isnan(vec[2]) and math.isnan(rows[2])


# ---- windows ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def window_snapshot() -> Snapshot:
    return Snapshot(
        np.arange(3),
        columns={
            ("revenue", "year_minus_3"): [100.0, 200.0, 100.0],
            ("revenue", "year_minus_2"): [110.0, 100.0, NAN],
            ("revenue", "last_year"): [121.0, 300.0, 50.0],
        },
    )


def test_growth_is_compound_annual_over_the_window(cat: Catalogue, window_snapshot: Snapshot) -> None:
    vec, rows = _both_paths("增长率(营业收入@近3年)", cat, window_snapshot)
    assert vec == rows
    assert vec[0] == pytest.approx(0.10)
    assert vec[1] == pytest.approx(math.sqrt(1.5) - 1)
    assert vec[2] == pytest.approx(math.sqrt(0.5) - 1)  # the middle year is not needed
    vec, _ = _both_paths("增长率(营业收入@近2年)", cat, window_snapshot)
    assert vec[0] == pytest.approx(0.10)
    assert vec[1] == pytest.approx(2.0)
    assert math.isnan(vec[2])


def test_sum_and_average_propagate_missing(cat: Catalogue, window_snapshot: Snapshot) -> None:
    vec, rows = _both_paths("求和(营业收入@近3年)", cat, window_snapshot)
    assert vec[:2] == rows[:2] == [331.0, 600.0]
    assert math.isnan(vec[2])
    vec, _ = _both_paths("平均(营业收入@近2年)", cat, window_snapshot)
    assert vec[:2] == [115.5, 200.0]
    vec, _ = _both_paths("最小(营业收入@近3年)", cat, window_snapshot)
    assert vec[:2] == [100.0, 100.0]


def test_each_year_and_any_year(cat: Catalogue, window_snapshot: Snapshot) -> None:
    # Row 2: 100, missing, 50 -> "every year >= 80" is false (one year fails) whatever is missing.
    assert _both_paths("每年(营业收入@近3年 >= 80元)", cat, window_snapshot) == ([True, True, False],) * 2
    assert _both_paths("每年(营业收入@近3年 >= 40元)", cat, window_snapshot) == ([True, True, None],) * 2
    assert _both_paths("任一年(营业收入@近3年 >= 150元)", cat, window_snapshot) == ([False, True, None],) * 2


# ---- bands -----------------------------------------------------------------------------
def test_band_boundaries_include_the_threshold(cat: Catalogue) -> None:
    # R&D over revenue exactly at 1%, 2%, 3%, 5% and just below each.
    rd = [9_999.0, 10_000.0, 19_999.0, 20_000.0, 29_999.0, 30_000.0, 49_999.0, 50_000.0, 0.0, NAN]
    snap = Snapshot(
        np.arange(len(rd)), columns={("revenue", "current"): [1e6] * len(rd), ("rd_expense", "current"): rd}
    )
    vec, rows = _both_paths("分档(研发费用 / 营业收入, 1%:5, 2%:10, 3%:15, 5%:20)", cat, snap)
    assert vec[:9] == rows[:9] == [0.0, 5.0, 5.0, 10.0, 10.0, 15.0, 15.0, 20.0, 0.0]
    assert math.isnan(vec[9]) and math.isnan(rows[9])


def test_downward_bands_include_the_threshold(cat: Catalogue) -> None:
    ratios = [0.50, 0.55, 0.5501, 0.75, 0.7501]
    snap = Snapshot(np.arange(5), columns={("ratio", "current"): ratios})
    vec, rows = _both_paths("分档(资产负债率, ≤55%:10, ≤75%:5)", cat, snap)
    assert vec == rows == [10.0, 10.0, 5.0, 5.0, 0.0]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(0, 1000), min_size=1, max_size=5, unique=True).map(sorted),
    st.lists(st.integers(0, 40), min_size=5, max_size=5),
    st.lists(st.integers(-10, 1100), min_size=1, max_size=20),
    st.integers(0, 3),
)
def test_bands_match_reference_definition(
    thresholds: list[int], points: list[int], xs: list[int], default: int
) -> None:
    cat = Catalogue()
    cat.add_indicator("x", "人数", "persons")
    bands = ", ".join(f"{t}人:{p}" for t, p in zip(thresholds, points, strict=False))
    snap = Snapshot(np.arange(len(xs)), columns={("x", "current"): [float(x) for x in xs]})
    vec, rows = _both_paths(f"分档(人数, {bands}, {default})", cat, snap)
    for x, v, r in zip(xs, vec, rows, strict=True):
        reached = [p for t, p in zip(thresholds, points, strict=False) if x >= t]
        expected = float(reached[-1]) if reached else float(default)
        assert v == r == expected


# ---- 成立年限 ----------------------------------------------------------------------------
def test_years_established_counts_whole_years_to_the_evaluation_date(cat: Catalogue) -> None:
    est = np.array(["2020-06-01", "2020-06-02", "2021-02-28", "NaT", "2025-06-01"], dtype="datetime64[D]")
    snap = Snapshot(np.arange(5), established=est, as_of=date(2026, 6, 1))
    vec, rows = _both_paths("成立年限", cat, snap)
    assert vec[:3] == rows[:3] == [6.0, 5.0, 5.0]
    assert math.isnan(vec[3]) and math.isnan(rows[3])
    assert _both_paths("成立年限 >= 1年", cat, snap)[0] == [True, True, True, None, True]


# ---- vectorised == per enterprise (property) ---------------------------------------------
def _money() -> st.SearchStrategy[str]:
    leaf = st.sampled_from(
        ["营业收入@上年", "研发费用@上年", "营业收入@本年", "求和(营业收入@近2年)", "平均(研发费用@近3年)"]
    )
    lit = st.integers(0, 5000).map(lambda n: f"{n}万")
    return st.recursive(
        leaf | lit,
        lambda m: (
            st.tuples(m, st.sampled_from(["+", "-"]), m).map(lambda t: f"({t[0]} {t[1]} {t[2]})")
            | st.tuples(m, m).map(lambda t: f"最大({t[0]}, {t[1]})")
            | st.tuples(st.deferred(_cond), m, m).map(lambda t: f"如果({t[0]}, {t[1]}, {t[2]})")
            | st.tuples(m, st.integers(1, 200)).map(lambda t: f"({t[0]} * {t[1]}%)")
        ),
        max_leaves=4,
    )


def _ratio() -> st.SearchStrategy[str]:
    return st.one_of(
        st.tuples(_money(), _money()).map(lambda t: f"({t[0]} / {t[1]})"),
        st.sampled_from(["资产负债率@上年", "增长率(营业收入@近2年)", "增长率(研发费用@近3年)"]),
        st.integers(-50, 150).map(lambda n: f"{n}%"),
    )


def _points() -> st.SearchStrategy[str]:
    return st.one_of(
        _ratio().map(lambda r: f"分档({r}, 1%:5, 2%:10, 3%:15, 5%:20)"),
        _ratio().map(lambda r: f"分档({r}, ≤55%:10, ≤75%:5, 1)"),
        st.tuples(st.deferred(_cond), st.integers(0, 20), st.integers(0, 20)).map(
            lambda t: f"如果({t[0]}, {t[1]}, {t[2]})"
        ),
        st.lists(st.deferred(_cond), min_size=1, max_size=3).map(lambda cs: f"计数({', '.join(cs)}) * 1"),
    )


def _cond() -> st.SearchStrategy[str]:
    ops = st.sampled_from([">=", "<=", ">", "<", "=", "!="])
    leaf = st.one_of(
        st.tuples(_money(), ops, _money()).map(lambda t: f"{t[0]} {t[1]} {t[2]}"),
        st.tuples(_ratio(), ops, _ratio()).map(lambda t: f"{t[0]} {t[1]} {t[2]}"),
        st.sampled_from(['持有("A")', '持有("B")', "战新产品", '人工判断("x")', "从业人员@上年 < 1000人"]),
        st.integers(0, 3000).map(lambda n: f"每年(营业收入@近2年 >= {n}万)"),
        st.integers(0, 3000).map(lambda n: f"任一年(研发费用@近3年 / 营业收入@近3年 >= {n % 10}%)"),
    )
    return st.recursive(
        leaf,
        lambda c: (
            st.tuples(c, st.sampled_from(["且", "或"]), c).map(lambda t: f"({t[0]} {t[1]} {t[2]})")
            | c.map(lambda x: f"非 ({x})")
        ),
        max_leaves=4,
    )


_maybe = st.one_of(st.just(NAN), st.sampled_from([0.0, 1e6, 2e7]), st.floats(-1e8, 1e9, allow_nan=False))
_tri = st.sampled_from([True, False, None])


@st.composite
def snapshots(draw: st.DrawFn) -> Snapshot:
    n = draw(st.integers(1, 6))
    cols = {}
    for ident in ("revenue", "rd_expense"):
        for period in ("current", "last_year", "year_minus_2", "year_minus_3"):
            cols[(ident, period)] = draw(st.lists(_maybe, min_size=n, max_size=n))
    cols[("ratio", "last_year")] = draw(st.lists(st.just(NAN) | st.floats(0, 1.5), min_size=n, max_size=n))
    cols[("employees", "last_year")] = draw(
        st.lists(st.just(NAN) | st.sampled_from([10.0, 999.0, 1000.0]), min_size=n, max_size=n)
    )
    cols[("flag", "current")] = draw(st.lists(st.sampled_from([0.0, 1.0, NAN]), min_size=n, max_size=n))
    snap = Snapshot(np.arange(n) + 100, columns=cols)
    snap.designations["A"] = _bool_col(draw(st.lists(_tri, min_size=n, max_size=n)))
    snap.designations["B"] = _bool_col(draw(st.lists(_tri, min_size=n, max_size=n)))
    snap.judgements["x"] = _bool_col(draw(st.lists(_tri, min_size=n, max_size=n)))
    return snap


def _same(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return (math.isnan(a) and math.isnan(b)) or a == b
    return a == b


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(_cond(), _points(), _money()), snapshots())
def test_vectorised_equals_per_enterprise(cat: Catalogue, text: str, snap: Snapshot) -> None:
    vec, rows = _both_paths(text, cat, snap)
    assert len(vec) == snap.size
    for v, r in zip(vec, rows, strict=True):
        assert _same(v, r), (text, vec, rows)


def test_snapshot_checks_row_counts_and_subsets_evaluate_the_same(cat: Catalogue) -> None:
    with pytest.raises(ValueError, match="行数"):
        Snapshot(np.arange(3), columns={("revenue", "current"): [1.0, 2.0]})
    snap = Snapshot(
        np.array([10, 20, 30, 40]),
        columns={("revenue", "current"): [3e7, NAN, 1e7, 5e7]},
        designations={"A": _bool_col([T, U, F, T])},
    )
    expr = compile_expression('营业收入 >= 2000万 且 持有("A")', cat)
    full = _as_kleene(expr.evaluate(snap))  # type: ignore[arg-type]
    part = snap.take([3, 1])
    assert part.enterprise_ids.tolist() == [40, 20]
    assert _as_kleene(expr.evaluate(part)) == [full[3], full[1]] == [True, None]  # type: ignore[arg-type]
