"""Golden cases for the built-in rule sets (qiangxian/rules/tests/golden/*.toml).

Each golden file names a rule set code and lists cases. A case gives the inputs of one
enterprise and the expected result; expected values are computed by hand from
/work/shared/domain/criteria.md (see the comments in the files).

File format::

    ruleset = "srdi_sme"

    [profiles.typical]                       # optional base inputs shared by cases
    established = 2015-03-01
    [profiles.typical.values]
    "营业收入@上年" = "3000万"                 # indicator (Chinese name or identifier) @ period
    "研发费用@近2年" = ["150万", "200万"]       # a window: one value per year, oldest first
    [profiles.typical.holds]
    "高新技术企业" = true                       # designations; unlisted ones are known, not held
    [profiles.typical.judgements]
    "*" = true                               # by criterion code ("*" = every criterion)

    [[cases]]
    id = "..."
    description = "中文说明"
    profile = "typical"
    date = 2025-06-01                        # evaluation date: picks the version, 成立年限
    version = "2022"                         # expected version in force on that date
    expected = "满足"                         # 满足 / 不满足 / 待定
    points = 78                              # total points, or "待定" with points_range = [lo, hi]
    criteria = { rd_expense = "满足", ip = 8 }  # optional per-criterion outcomes / points
    groups = { innovation = 20 }             # optional group points
    texts_contain = ["…"]                    # optional: texts that must appear in the trace
    summary_contains = "…"                   # optional: text the summary must contain
    [cases.values]                           # overrides; "缺失" removes a value
    [cases.holds]                            # true / false / "未知"
    [cases.judgements]                       # true / false / "待定"
    # established = "" marks an unknown date of establishment.

Values are written like rule literals: "100万", "1.5亿", "3%", "120人", "4项", "5年", plain
numbers, or true/false for 0/1 indicators. Each case is explained on its own (per-enterprise
path) and all cases of a file with the same evaluation date are evaluated in one snapshot
(vectorised path); both must give the expected result.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections import defaultdict
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from qiangxian.rules.engine import (
    Catalogue,
    CompiledRuleSet,
    Outcome,
    Snapshot,
    builtin_catalogue,
    builtin_ruleset,
    builtin_rulesets,
    canonical_period,
)
from qiangxian.rules.engine.catalogue import window_years

GOLDEN_DIR = Path(__file__).resolve().parent / "golden"
GOLDEN_FILES = sorted(GOLDEN_DIR.glob("*.toml"))
LABELS = {"满足": Outcome.MET, "不满足": Outcome.NOT_MET, "待定": Outcome.UNKNOWN}
MISSING = "缺失"
SUFFIXES = {
    "": "1",
    "元": "1",
    "万": "1e4",
    "万元": "1e4",
    "亿": "1e8",
    "亿元": "1e8",
    "%": "0.01",
    "％": "0.01",
    "人": "1",
    "项": "1",
    "个": "1",
    "年": "1",
    "分": "1",
}
_NUMBER = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*(\S*)\s*$")
_JUDGEMENT = re.compile(r"(?:人工判断|judgement)\(\s*(?:\"([^\"]*)\"|“([^”]*)”|'([^']*)'|「([^」]*)」)\s*\)")


@cache
def catalogue() -> Catalogue:
    return builtin_catalogue()


@cache
def compiled(code: str, on: date) -> CompiledRuleSet:
    return builtin_ruleset(code, on=on).compile(catalogue())


def load(path: Path) -> dict[str, Any]:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def parse_value(raw: Any) -> float:
    """A golden-file value in stored units: yuan, fractions for percentages, counts."""
    if isinstance(raw, bool):
        return 1.0 if raw else 0.0
    if isinstance(raw, int | float):
        return float(raw)
    if raw == MISSING:
        return math.nan
    match = _NUMBER.match(str(raw))
    if not match or match.group(2) not in SUFFIXES:
        raise ValueError(f"无法识别的数值：{raw!r}")
    return float(Decimal(match.group(1)) * Decimal(SUFFIXES[match.group(2)]))


def resolve_key(key: str) -> tuple[str, str]:
    """'研发费用@上年' -> ('rd_expense', 'last_year'); without @ the indicator's default period."""
    name, _, period_text = key.partition("@")
    indicator = catalogue().lookup(name.strip())
    if indicator is None:
        raise KeyError(f"未知指标：{name}")
    period = canonical_period(period_text.strip()) if period_text else indicator.default_period
    if period is None:
        raise KeyError(f"未知期间：{period_text}")
    return indicator.identifier, period


def single_year_values(values: dict[str, Any]) -> dict[tuple[str, str], float]:
    """Expand windows to single years; later keys override earlier ones."""
    out: dict[tuple[str, str], float] = {}
    for key, raw in values.items():
        identifier, period = resolve_key(key)
        years = window_years(period)
        if years:
            if not isinstance(raw, list) or len(raw) != len(years):
                raise ValueError(f"{key} 需要 {len(years)} 个值（由远及近）")
            for year, item in zip(years, raw, strict=True):
                out[(identifier, year)] = parse_value(item)
        else:
            out[(identifier, period)] = parse_value(raw)
    return out


def merged_case(data: dict[str, Any], case: dict[str, Any]) -> dict[str, Any]:
    """A case with its profile's inputs applied underneath its own."""
    base = data.get("profiles", {}).get(case["profile"], {}) if "profile" in case else {}
    merged = dict(case)
    for part in ("values", "holds", "judgements"):
        merged[part] = {**base.get(part, {}), **case.get(part, {})}
    merged.setdefault("established", base.get("established"))
    return merged


def judgement_texts(comp: CompiledRuleSet) -> dict[str, list[str]]:
    """The texts of 人工判断("…") in each criterion, by criterion code."""
    return {c.code: ["".join(m) for m in _JUDGEMENT.findall(c.expression)] for c in comp.ruleset.criteria}


def build_snapshot(cases: list[dict[str, Any]], comp: CompiledRuleSet, on: date) -> Snapshot:
    """One row per case (enterprise ids 1..n), evaluated as of `on`."""
    n = len(cases)
    rows = [single_year_values(c["values"]) for c in cases]
    columns: dict[tuple[str, str], np.ndarray] = {}
    for key in {k for r in rows for k in r}:
        columns[key] = np.array([r.get(key, math.nan) for r in rows], dtype=float)

    designations = {}
    names = set(catalogue().designations) | {name for c in cases for name in c["holds"]}
    for name in names:
        held = np.zeros(n, dtype=bool)
        known = np.ones(n, dtype=bool)
        for i, c in enumerate(cases):
            value = c["holds"].get(name, False)
            if value == "未知":
                known[i] = False
            else:
                held[i] = bool(value)
        designations[name] = (held, known)

    judgements: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for code, texts in judgement_texts(comp).items():
        for text in texts:
            value = np.zeros(n, dtype=bool)
            known = np.zeros(n, dtype=bool)
            for i, c in enumerate(cases):
                given = c["judgements"].get(code, c["judgements"].get("*", "待定"))
                if given != "待定":
                    value[i], known[i] = bool(given), True
            judgements[text] = (value, known)

    established = np.array(
        [
            np.datetime64(c["established"], "D") if c.get("established") else np.datetime64("NaT")
            for c in cases
        ],
        dtype="datetime64[D]",
    )
    return Snapshot(
        np.arange(1, n + 1),
        columns=columns,
        designations=designations,
        judgements=judgements,
        established=established,
        as_of=on,
    )


def all_cases() -> list[tuple[str, str]]:
    return [(p.name, c["id"]) for p in GOLDEN_FILES for c in load(p)["cases"]]


def _close(a: float | None, b: float) -> bool:
    return a is not None and not math.isnan(a) and abs(a - b) < 1e-9


def check_points(expected: Any, got: float | None, where: str) -> None:
    if expected == "待定":
        assert got is None or math.isnan(got), f"{where}：应为待定，得到 {got}"
    else:
        assert _close(got, float(expected)), f"{where}：应为 {expected} 分，得到 {got}"


def differing_pair(data: dict[str, Any], eve: date, start: date) -> bool:
    """Whether the same inputs are judged on the eve and on the first day of a version, differently."""

    def inputs(c: dict[str, Any]) -> tuple[str, ...]:
        m = merged_case(data, c)
        parts = [repr(sorted(m[k].items())) for k in ("values", "holds", "judgements")]
        return (*parts, repr(m["established"]))

    before = {inputs(c): c["expected"] for c in data["cases"] if c["date"] == eve}
    after = {inputs(c): c["expected"] for c in data["cases"] if c["date"] == start}
    return any(key in after and after[key] != outcome for key, outcome in before.items())


# ---- the golden files themselves ------------------------------------------------------------
def test_every_builtin_rule_set_has_a_golden_file() -> None:
    codes = {r.code for r in builtin_rulesets()}
    assert {load(p)["ruleset"] for p in GOLDEN_FILES} == codes


@pytest.mark.parametrize("path", GOLDEN_FILES, ids=lambda p: p.name)
def test_golden_file_is_well_formed(path: Path) -> None:
    data = load(path)
    cases = data["cases"]
    ids = [c["id"] for c in cases]
    assert len(ids) == len(set(ids)), "用例编号重复"
    outcomes = {c["expected"] for c in cases}
    assert outcomes == set(LABELS), f"应覆盖满足、不满足、待定三种结果，实际：{outcomes}"
    for c in cases:
        assert re.search(r"[\u4e00-\u9fff]", c.get("description", "")), f"{c['id']} 缺少中文说明"
        assert "profile" not in c or c["profile"] in data.get("profiles", {}), c["id"]
    versions = {v.version for v in builtin_rulesets() if v.code == data["ruleset"]}
    if len(versions) > 1:
        # Every version is exercised, and so is the day each later version takes effect.
        assert {c.get("version") for c in cases} >= versions
        starts = {v.effective_from for v in builtin_rulesets() if v.code == data["ruleset"]}
        for start in sorted(starts)[1:]:
            eve = date.fromordinal(start.toordinal() - 1)
            assert differing_pair(data, eve, start), f"缺少 {eve} 与 {start} 结果不同的同一企业用例"


# ---- per enterprise: explain ------------------------------------------------------------------
@pytest.mark.parametrize(("filename", "case_id"), all_cases())
def test_golden_case_explained(filename: str, case_id: str) -> None:
    data = load(GOLDEN_DIR / filename)
    raw = next(c for c in data["cases"] if c["id"] == case_id)
    case = merged_case(data, raw)
    on: date = case["date"]
    comp = compiled(data["ruleset"], on)
    if "version" in case:
        assert comp.ruleset.version == case["version"]
    snap = build_snapshot([case], comp, on)
    exp = comp.explain(snap, 1)
    assert exp.outcome is LABELS[case["expected"]], f"{case_id}：{exp.summary}"
    if "points" in case:
        check_points(case["points"], exp.points, f"{case_id} 总分")
    if "points_range" in case:
        assert [exp.points_low, exp.points_high] == case["points_range"]
    traces = {t.code: t for t in exp.criteria}
    for code, expected in case.get("criteria", {}).items():
        trace = traces[code]
        if trace.kind == "points":
            check_points(expected, trace.points, f"{case_id} 条款 {code}")
        else:
            assert trace.outcome is LABELS[expected], f"{case_id} 条款 {code}：{trace.outcome.label}"
    for code, expected in case.get("groups", {}).items():
        check_points(expected, exp.group_points[code], f"{case_id} 分组 {code}")
    if "summary_contains" in case:
        assert case["summary_contains"] in exp.summary, f"{case_id}：{exp.summary}"
    shown = trace_texts(exp)
    for text in case.get("texts_contain", []):
        assert any(text in line for line in shown), f"{case_id}：缺少“{text}”；实际：{shown}"


def trace_texts(exp: Any) -> list[str]:
    """Every line a clerk reads in an explanation: summary, score and group lines, checks, gaps..."""
    out = [exp.summary, *exp.score_lines, *(g.text for g in exp.groups)]
    for t in exp.criteria:
        out.append(f"{t.title}：{t.outcome_label}")
        out += [f"{v.name} {v.period_label}：{v.text}" for v in t.values]
        out += [c.text for c in t.checks] + t.gaps + t.notes + t.bands
    return out


# ---- all cases of a file at once: vectorised --------------------------------------------------
@pytest.mark.parametrize("path", GOLDEN_FILES, ids=lambda p: p.name)
def test_golden_file_vectorised(path: Path) -> None:
    data = load(path)
    by_date: dict[date, list[dict[str, Any]]] = defaultdict(list)
    for raw in data["cases"]:
        by_date[raw["date"]].append(merged_case(data, raw))
    for on, cases in by_date.items():
        comp = compiled(data["ruleset"], on)
        snap = build_snapshot(cases, comp, on)
        result = comp.evaluate(snap)
        for row, case in enumerate(cases):
            cid = case["id"]
            got = Outcome(int(result.outcome[row]))
            assert got is LABELS[case["expected"]], f"{cid}：{got.label}"
            if "points" in case:
                assert result.points is not None
                check_points(case["points"], float(result.points[row]), f"{cid} 总分")
            if "points_range" in case:
                assert result.points_low is not None and result.points_high is not None
                assert [result.points_low[row], result.points_high[row]] == case["points_range"]
            for code, expected in case.get("criteria", {}).items():
                if code in result.criterion_points:
                    check_points(expected, float(result.criterion_points[code][row]), f"{cid} 条款 {code}")
                else:
                    tri = result.conditions[code]
                    vec = (
                        Outcome.MET
                        if tri.val[row]
                        else (Outcome.NOT_MET if tri.known[row] else Outcome.UNKNOWN)
                    )
                    assert vec is LABELS[expected], f"{cid} 条款 {code}：{vec.label}"
            for code, expected in case.get("groups", {}).items():
                check_points(expected, float(result.group_points[code][row]), f"{cid} 分组 {code}")


def test_version_switch_on_2026_04_01() -> None:
    for code in ("srdi_sme", "little_giant"):
        assert builtin_ruleset(code, on=date(2026, 3, 31)).version == "2022"
        assert builtin_ruleset(code, on=date(2026, 4, 1)).version == "2026"
