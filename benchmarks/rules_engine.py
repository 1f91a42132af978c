"""Benchmark: the rule engine vs plain numpy on the 创新型中小企业 2022 scoring, 100,000 enterprises.

Run: python benchmarks/rules_engine.py   (no Django needed)
Prints:
    BENCH rules.engine_100k <seconds> s
    BENCH rules.vs_numpy <ratio> ratio
    BENCH rules.known_vs_numpy <ratio> ratio

rules.known_vs_numpy: a simple rule whose inputs are all known (five comparisons joined by 且)
over 1,000,000 enterprises, engine (with the two-valued fast path) over plain numpy comparisons.
Each run evaluates on the snapshot afresh (a new evaluator: the columns' completeness is
checked every time, nothing is cached between runs).
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from qiangxian.rules.engine import Snapshot, builtin_catalogue, builtin_ruleset

N = 100_000
SEED = 20220801
RUNS = 9
JUDGEMENT = "产品不属于国家禁止、限制或淘汰类，近三年未发生重大安全、质量、环境污染等事故"
REL_TOL = 1e-9


def build_snapshot(n: int = N, seed: int = SEED) -> Snapshot:
    """A synthetic county: lognormal money figures, ~5% missing values, some unknown designations."""
    rng = np.random.default_rng(seed)

    def holes(a: np.ndarray, rate: float = 0.05) -> np.ndarray:
        a = a.astype(np.float64)
        a[rng.random(len(a)) < rate] = np.nan
        return a

    revenue = np.round(rng.lognormal(np.log(3e7), 1.0, n), -4)
    cols = {
        ("employees", "last_year"): holes(np.round(rng.lognormal(np.log(120), 0.9, n))),
        ("revenue", "last_year"): holes(revenue),
        ("rd_expense", "last_year"): holes(np.round(revenue * rng.uniform(0, 0.07, n), -4)),
        ("main_revenue", "last_year"): holes(np.round(revenue * rng.uniform(0.4, 1.0, n), -4)),
        ("main_revenue", "year_minus_2"): holes(
            np.round(revenue * rng.uniform(0.4, 1.0, n) / rng.uniform(0.8, 1.3, n), -4)
        ),
        ("asset_liability_ratio", "last_year"): holes(np.round(rng.uniform(0.2, 0.95, n), 2)),
        ("strategic_emerging_product", "current"): holes((rng.random(n) < 0.3).astype(float)),
        ("ip_class1_high_value", "current"): holes((rng.random(n) < 0.05).astype(float)),
        ("ip_class1_self_developed", "current"): holes(rng.poisson(0.4, n)),
        ("ip_class1", "current"): holes(rng.poisson(0.8, n)),
        ("ip_class2", "current"): holes(rng.poisson(2.0, n)),
    }
    for period in ("year_minus_3", "year_minus_2", "last_year"):
        cols[("equity_financing", period)] = holes(
            np.where(rng.random(n) < 0.05, np.round(rng.uniform(0, 4e6, n), -4), 0.0)
        )
    designations = {}
    for name in builtin_catalogue().designations:
        designations[name] = (rng.random(n) < 0.03, rng.random(n) >= 0.02)
    judgements = {JUDGEMENT: (rng.random(n) < 0.97, rng.random(n) < 0.9)}
    return Snapshot(
        np.arange(1, n + 1),
        columns=cols,
        designations=designations,
        judgements=judgements,
        as_of=date(2026, 6, 1),
    )


# ---- the same scoring written by hand in numpy ---------------------------------------------
def _close(a: np.ndarray, b: float) -> np.ndarray:
    return (a == b) | (np.abs(a - b) <= REL_TOL * np.maximum(np.abs(a), abs(b)))


def _ge(a: np.ndarray, b: float) -> tuple[np.ndarray, np.ndarray]:
    known = ~np.isnan(a)
    return ((a >= b) | _close(a, b)) & known, known


def _lt(a: np.ndarray, b: float) -> tuple[np.ndarray, np.ndarray]:
    known = ~np.isnan(a)
    return (a < b) & ~_close(a, b) & known, known


def _and(*xs: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    val = np.logical_and.reduce([v for v, _ in xs])
    all_known = np.logical_and.reduce([k for _, k in xs])
    any_false = np.logical_or.reduce([k & ~v for v, k in xs])
    return val, all_known | any_false


def _or(*xs: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    val = np.logical_or.reduce([v for v, _ in xs])
    return val, np.logical_and.reduce([k for _, k in xs]) | val


def _not(x: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    return ~x[0] & x[1], x[1]


def _if(c: tuple[np.ndarray, np.ndarray], a: np.ndarray | float, b: np.ndarray | float) -> np.ndarray:
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return np.where(c[1], np.where(c[0], a, b), np.where(a == b, a, np.nan))


def _bands_up(x: np.ndarray, bands: list[tuple[float, float]]) -> np.ndarray:
    out = np.zeros(len(x))
    for t, p in bands:
        out[(x >= t) | _close(x, t)] = p
    out[np.isnan(x)] = np.nan
    return out


def hand_numpy(s: Snapshot) -> tuple[np.ndarray, np.ndarray]:
    """(outcome int8, total points) computed directly."""
    c = s.columns

    def held(name: str) -> tuple[np.ndarray, np.ndarray]:
        v, k = s.designations[name]
        return v & k, k

    with np.errstate(all="ignore"):
        rev, main = c[("revenue", "last_year")], c[("main_revenue", "last_year")]
        sme = _or(_lt(c[("employees", "last_year")], 1000), _lt(rev, 4e8))
        standing = _and(_not(held("经营异常名录")), _not(held("严重失信主体名单")))
        jv, jk = s.judgements[JUDGEMENT]
        required = _and(sme, standing, (jv & jk, jk))
        equity = c[("equity_financing", "year_minus_3")] + c[("equity_financing", "year_minus_2")]
        equity = equity + c[("equity_financing", "last_year")]
        direct = _or(
            held("近三年省级以上科技奖励"),
            held("高新技术企业"),
            held("国家级技术创新示范企业"),
            held("知识产权优势企业"),
            held("知识产权示范企业"),
            held("省部级以上研发机构"),
            _ge(equity, 5e6),
        )
        ip = _if(_ge(c[("ip_class2", "current")], 1), 5, 0)
        ip = _if(_ge(c[("ip_class1", "current")], 1), 10, ip)
        ip = _if(_ge(c[("ip_class1_self_developed", "current")], 1), 15, ip)
        ip = _if(_ge(c[("ip_class1_high_value", "current")], 1), 20, ip)
        rd_share = np.where(rev == 0, np.nan, c[("rd_expense", "last_year")] / rev)
        rd = _bands_up(rd_share, [(0.01, 5), (0.02, 10), (0.03, 15), (0.05, 20)])
        prev = c[("main_revenue", "year_minus_2")]
        growth = np.where(prev > 0, main / np.where(prev > 0, prev, 1.0), np.nan) - 1.0
        gr = _bands_up(growth, [(0.0, 5), (0.05, 10), (0.10, 15), (0.15, 20)])
        debt_x = c[("asset_liability_ratio", "last_year")]
        debt = np.where(
            np.isnan(debt_x),
            np.nan,
            np.where(
                (debt_x <= 0.55) | _close(debt_x, 0.55),
                10.0,
                np.where((debt_x <= 0.75) | _close(debt_x, 0.75), 5.0, 0.0),
            ),
        )
        em = c[("strategic_emerging_product", "current")]
        field = np.where(np.isnan(em), np.nan, np.where(em != 0, 10.0, 5.0))
        share = _bands_up(
            np.where(rev == 0, np.nan, main / rev), [(0.5, 5), (0.55, 10), (0.6, 15), (0.7, 20)]
        )

        def lo_hi(p: np.ndarray, lo: float, hi: float) -> tuple[np.ndarray, np.ndarray]:
            m = np.isnan(p)
            return np.where(m, lo, p), np.where(m, hi, p)

        parts = {"ip": lo_hi(ip, 0, 20), "rd": lo_hi(rd, 0, 20), "gr": lo_hi(gr, 0, 20)}
        parts |= {"debt": lo_hi(debt, 0, 10), "field": lo_hi(field, 5, 10), "share": lo_hi(share, 0, 20)}
        total = ip + rd + gr + debt + field + share
        low = sum(v[0] for v in parts.values())
        high = sum(v[1] for v in parts.values())
        ok = (low >= 60) & (parts["ip"][0] + parts["rd"][0] >= 20) & (parts["gr"][0] + parts["debt"][0] >= 15)
        ok &= parts["field"][0] + parts["share"][0] >= 15
        fail = (high < 60) | (parts["ip"][1] + parts["rd"][1] < 20) | (parts["gr"][1] + parts["debt"][1] < 15)
        fail |= parts["field"][1] + parts["share"][1] < 15
        val, known = _and(required, _or(direct, (ok, ok | fail)))
    outcome = np.where(known, val.astype(np.int8), np.int8(-1)).astype(np.int8)
    return outcome, total


def _median_time(func, runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        func()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    snapshot = build_snapshot()
    compiled = builtin_ruleset("innovative_sme", date(2026, 6, 1)).compile(builtin_catalogue())
    result = compiled.evaluate(snapshot)
    outcome, total = hand_numpy(snapshot)
    if not np.array_equal(result.outcome, outcome):
        raise SystemExit(f"engine and numpy disagree on {int((result.outcome != outcome).sum())} outcomes")
    if not np.array_equal(result.points, total, equal_nan=True):
        raise SystemExit("engine and numpy disagree on points")
    engine = _median_time(lambda: compiled.evaluate(snapshot))
    plain = _median_time(lambda: hand_numpy(snapshot))
    print(f"BENCH rules.engine_100k {engine:.4f} s")
    print(f"BENCH rules.vs_numpy {engine / plain:.2f} ratio")


KNOWN_N = 1_000_000
KNOWN_RULE = (
    "营业收入@上年 >= 2000万 且 研发费用@上年 >= 100万 且 从业人员@上年 < 1000人"
    " 且 资产负债率@上年 <= 70% 且 主营业务收入@上年 >= 1000万"
)


def known_snapshot(n: int = KNOWN_N, seed: int = SEED) -> Snapshot:
    """Five complete columns (no missing value)."""
    rng = np.random.default_rng(seed)
    revenue = np.round(rng.lognormal(np.log(3e7), 1.0, n), -4)
    cols = {
        ("revenue", "last_year"): revenue,
        ("rd_expense", "last_year"): np.round(revenue * rng.uniform(0, 0.07, n), -4),
        ("employees", "last_year"): np.round(rng.lognormal(np.log(120), 0.9, n)),
        ("asset_liability_ratio", "last_year"): np.round(rng.uniform(0.2, 0.95, n), 2),
        ("main_revenue", "last_year"): np.round(revenue * rng.uniform(0.4, 1.0, n), -4),
    }
    return Snapshot(np.arange(1, n + 1), columns=cols, as_of=date(2026, 6, 1))


def known_numpy(s: Snapshot) -> np.ndarray:
    """The same rule as plain numpy comparisons (no tolerance, no missing-value handling)."""
    c = s.columns
    return (
        (c[("revenue", "last_year")] >= 2e7)
        & (c[("rd_expense", "last_year")] >= 1e6)
        & (c[("employees", "last_year")] < 1000)
        & (c[("asset_liability_ratio", "last_year")] <= 0.7)
        & (c[("main_revenue", "last_year")] >= 1e7)
    )


def known_main() -> None:
    from qiangxian.rules.engine import compile_expression

    snapshot = known_snapshot()
    expr = compile_expression(KNOWN_RULE, builtin_catalogue(), expect="bool")
    tri = expr.evaluate(snapshot)
    if not tri.known.all() or not np.array_equal(tri.val, known_numpy(snapshot)):
        raise SystemExit("engine and numpy disagree on the all-known rule")
    engine = _median_time(lambda: expr.evaluate(snapshot), runs=15)
    plain = _median_time(lambda: known_numpy(snapshot), runs=15)
    print(f"BENCH rules.known_1m {engine * 1000:.1f} ms")
    print(f"BENCH rules.known_vs_numpy {engine / plain:.2f} ratio")


if __name__ == "__main__":
    main()
    known_main()
