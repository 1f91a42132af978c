"""The arithmetic of the per-mu evaluation, on numpy arrays (no Django, no database).

An enterprise's score is the sum over its category's indicators of the indicator's points plus
its bonus points. An indicator's value is a ratio of two inputs (亩均税收 = 税收 ÷ 用地). Points:

- ``ratio``: min(value ÷ benchmark, cap) × weight, never below 0;
- ``minmax``: weight × (20 + 80 × (value − min) ÷ (max − min)) ÷ 100 over the category's graded
  enterprises (all equal: full weight).

A missing value (an input not reported, or a denominator ≤ 0) scores 0, or, where the scheme
says so for the indicator (``missing="average"``, Huangyan's rule for a 规上 firm without
emission data), the points of an enterprise at the benchmark: the indicator's weight.

The benchmark is the county average of the category's graded enterprises (Σ numerator ÷ Σ
denominator, the way 全县平均亩均税收 is published), the average of the enterprise's park, or a
fixed value. Classes: by score bands (lower ≤ score < upper) or by rank percentile within the
category ((rank − 1) ÷ n × 100 in [lower, upper)); a veto holds the class at or below its cap.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np

GRADES = ("A", "B", "C", "D")


@dataclass(frozen=True)
class IndicatorDef:
    label: str
    unit: str
    numerator: str
    denominator: str
    factor: float  # applied to numerator ÷ denominator to give the display unit
    help: str = ""
    missing_note: str = "无数据"  # what a missing value means, as the trace says it


# Inputs are yuan, 亩, tce, persons and kWh, as the statistics hold them.
INDICATORS: dict[str, IndicatorDef] = {
    "tax_per_mu": IndicatorDef("亩均税收", "万元/亩", "tax", "land", 1e-4),
    "output_per_mu": IndicatorDef("亩均产值", "万元/亩", "output", "land", 1e-4),
    "revenue_per_mu": IndicatorDef("亩均营业收入", "万元/亩", "revenue", "land", 1e-4),
    "output_per_energy": IndicatorDef("单位能耗产值", "万元/吨标准煤", "output", "energy", 1e-4),
    "labour_productivity": IndicatorDef("全员劳动生产率", "万元/人", "output", "employees", 1e-4),
    "rd_ratio": IndicatorDef("R&D经费占营业收入比重", "%", "rd", "revenue", 100.0),
    "tax_per_kwh": IndicatorDef("单位电耗税收", "元/千瓦时", "tax", "kwh", 1.0),
    "output_per_emission": IndicatorDef(
        "单位排放产值",
        "万元/吨",
        "output",
        "emissions",
        1e-4,
        help="工业总产值 ÷ 主要污染物排放量（化学需氧量、氨氮、二氧化硫、氮氧化物合计）；"
        "评价办法所称单位排放增加值，本平台以工业总产值计算，与其他亩均指标口径一致。",
        missing_note="无排放数据",
    ),
}

INPUTS: dict[str, str] = {
    "tax": "税收（元）",
    "revenue": "营业收入（元）",
    "output": "工业总产值（元）",
    "energy": "综合能耗（吨标准煤）",
    "employees": "从业人员（人）",
    "rd": "R&D经费支出（元）",
    "kwh": "用电量（千瓦时）",
    "emissions": "主要污染物排放量（吨）",
    "land": "计算用地（亩）",
}
MISSING_RULES = ("zero", "average")


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    weight: float
    method: str = "ratio"  # "ratio" | "minmax"
    cap: float = 1.5
    benchmark: str = "county"  # "county" | "park" | "fixed"
    fixed: float | None = None
    missing: str = "zero"  # "zero" | "average": the points of a missing value


@dataclass(frozen=True)
class Layout:
    """What to grade with: indicators per category, class bands and the cut-off mode."""

    categories: dict[str, list[IndicatorSpec]]
    bands: dict[str, tuple[float, float]]  # grade -> (lower, upper)
    mode: str = "rank"  # "rank" | "score"


@dataclass
class Graded:
    """Per enterprise: score, rank within category, class index (0=A … 3=D, -1 not graded) and trace."""

    score: np.ndarray
    rank: np.ndarray
    grade: np.ndarray
    values: dict[str, np.ndarray] = field(default_factory=dict)  # category -> (n, J)
    benchmarks: dict[str, np.ndarray] = field(default_factory=dict)
    points: dict[str, np.ndarray] = field(default_factory=dict)


def indicator_values(code: str, inputs: dict[str, np.ndarray]) -> np.ndarray:
    """The indicator for every enterprise; NaN where an input is missing or the denominator ≤ 0."""
    spec = INDICATORS[code]
    num = inputs[spec.numerator]
    den = inputs[spec.denominator]
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(den > 0, num / den * spec.factor, np.nan)
    return value


def _group_average(num, den, mask, groups):
    """Σnum ÷ Σden per group over mask (finite pairs only), broadcast back to each row."""
    ok = mask & np.isfinite(num) & np.isfinite(den) & (den > 0)
    size = int(groups.max()) + 1 if len(groups) else 1
    s_num = np.bincount(groups[ok], weights=num[ok], minlength=size)
    s_den = np.bincount(groups[ok], weights=den[ok], minlength=size)
    with np.errstate(divide="ignore", invalid="ignore"):
        avg = np.where(s_den > 0, s_num / s_den, np.nan)
    return avg[groups]


def ranks_desc(score: np.ndarray) -> np.ndarray:
    """1-based competition ranks by descending score (ties share the better rank)."""
    neg = -score
    return np.searchsorted(np.sort(neg), neg, side="left") + 1


def grade(
    layout: Layout,
    *,
    category: np.ndarray,
    graded: np.ndarray,
    inputs: dict[str, np.ndarray],
    park: np.ndarray,
    bonus: np.ndarray,
    cap: np.ndarray,
) -> Graded:
    """Grade every enterprise (``graded`` False: exempt, no class). ``cap``: class index or 4 (none)."""
    n = len(category)
    score = np.full(n, np.nan)
    rank = np.zeros(n, dtype=np.int64)
    grade_idx = np.full(n, -1, dtype=np.int64)
    out = Graded(score=score, rank=rank, grade=grade_idx)
    for cat, specs in layout.categories.items():
        rows = (category == cat) & graded
        count = int(rows.sum())
        j = len(specs)
        values = np.full((n, j), np.nan)
        benches = np.full((n, j), np.nan)
        points = np.zeros((n, j))
        for k, spec in enumerate(specs):
            d = INDICATORS[spec.code]
            v = indicator_values(spec.code, inputs)
            values[:, k] = v
            if spec.method == "minmax":
                finite = rows & np.isfinite(v)
                if finite.any():
                    low, high = float(v[finite].min()), float(v[finite].max())
                    benches[:, k] = high
                    with np.errstate(divide="ignore", invalid="ignore"):
                        share = (v - low) / (high - low) if high > low else np.ones(n)
                    points[:, k] = np.where(finite, spec.weight * (20 + 80 * share) / 100, 0.0)
                if spec.missing == "average":
                    points[:, k] = np.where(np.isfinite(v), points[:, k], spec.weight)
                continue
            if spec.benchmark == "fixed":
                b = np.full(n, float(spec.fixed) if spec.fixed is not None else np.nan)
            else:
                groups = park if spec.benchmark == "park" else np.zeros(n, dtype=np.int64)
                num, den = inputs[d.numerator], inputs[d.denominator]
                b = _group_average(num, den, rows, groups) * d.factor
            benches[:, k] = b
            with np.errstate(divide="ignore", invalid="ignore"):
                ratio = np.where((b > 0) & np.isfinite(v), v / b, 0.0)
            points[:, k] = np.clip(ratio, 0.0, spec.cap) * spec.weight
            if spec.missing == "average":
                points[:, k] = np.where(np.isfinite(v), points[:, k], spec.weight)
        total = points.sum(axis=1) + bonus
        score[rows] = total[rows]
        if count:
            rank[rows] = ranks_desc(total[rows])
            measure = score[rows] if layout.mode == "score" else (rank[rows] - 1) / count * 100.0
            idx = _classify(measure, layout)
            grade_idx[rows] = np.maximum(idx, np.where(cap[rows] < 4, cap[rows], -1))
        out.values[cat], out.benchmarks[cat], out.points[cat] = values, benches, points
    return out


def _classify(measure: np.ndarray, layout: Layout) -> np.ndarray:
    idx = np.full(len(measure), 3, dtype=np.int64)
    for g, name in enumerate(GRADES):
        lower, upper = layout.bands[name]
        inside = (measure >= lower) & (measure < upper)
        # The top score band and the last percentile band include their upper end.
        if (layout.mode == "score" and g == 0) or (layout.mode == "rank" and g == 3):
            inside |= measure == upper
        idx = np.where(inside, g, idx)
    return idx


def band_problems(bands: dict[str, tuple[float, float]], mode: str) -> list[str]:
    """Why a set of class bands is not usable (overlaps, gaps, wrong order), in Chinese; [] if fine."""
    problems = []
    missing = [g for g in GRADES if g not in bands]
    if missing:
        return [f"缺少{'、'.join(missing)}类的分类标准。"]
    for g in GRADES:
        lower, upper = bands[g]
        if lower >= upper:
            problems.append(f"{g}类的下限应小于上限。")
    if problems:
        return problems
    # Rank: A holds the lowest percentiles; score: A holds the highest scores.
    order = GRADES if mode == "rank" else tuple(reversed(GRADES))
    for first, second in itertools.pairwise(order):
        if bands[first][1] > bands[second][0]:
            problems.append(f"{first}类与{second}类的区间重叠。")
        elif bands[first][1] < bands[second][0]:
            problems.append(f"{first}类与{second}类之间有空档。")
    if mode == "rank" and (bands["A"][0] != 0 or bands["D"][1] != 100):
        problems.append("按排名百分位分类时，区间应从 0 覆盖到 100。")
    return problems
