"""Structural checks of every built-in rule set file (qiangxian/rules/builtin/*.toml)."""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import date, timedelta
from itertools import pairwise
from pathlib import Path

import pytest

from qiangxian.rules.engine import RuleSet, builtin_catalogue, builtin_ruleset, load_ruleset

BUILTIN_DIR = Path(__file__).resolve().parents[1] / "builtin"
FILES = sorted(p for p in BUILTIN_DIR.glob("*.toml") if p.name != "indicators.toml")


def _by_code() -> dict[str, list[RuleSet]]:
    out: dict[str, list[RuleSet]] = defaultdict(list)
    for path in FILES:
        rs = load_ruleset(path)
        out[rs.code].append(rs)
    return out


def test_expected_rule_sets_are_shipped() -> None:
    versions = {(rs.code, rs.version) for path in FILES for rs in [load_ruleset(path)]}
    assert versions >= {
        ("innovative_sme", "2022"),
        ("srdi_sme", "2022"),
        ("srdi_sme", "2026"),
        ("little_giant", "2022"),
        ("little_giant", "2026"),
        ("single_champion", "2023"),
        ("tech_sme", "2017"),
        ("above_scale", "2011"),
        ("sme_size", "2011"),
        ("high_tech", "2016"),
    }


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_rule_set_file_compiles_against_the_builtin_catalogue(path: Path) -> None:
    rs = load_ruleset(path)
    compiled = rs.compile(builtin_catalogue())
    assert path.stem == f"{rs.code}_{rs.version}"
    assert rs.name and rs.source and rs.effective_from
    assert rs.effective_to is None or rs.effective_to >= rs.effective_from
    # Points that may be missing need finite bounds, or the pass mark can never be decided.
    for code, (low, high) in compiled.ranges.items():
        assert math.isfinite(low) and math.isfinite(high) and low <= high, code


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_criterion_cites_its_clause(path: Path) -> None:
    rs = load_ruleset(path)
    assert "〔" in rs.source, "来源应注明文号"
    for c in rs.criteria:
        assert c.clause.strip(), f"{c.code} 缺少条款出处"
        assert c.title.strip(), f"{c.code} 缺少标题"


def test_new_rule_sets_name_the_document_in_every_clause() -> None:
    for code in ("srdi_sme", "little_giant", "single_champion", "tech_sme"):
        for rs in _by_code()[code]:
            for c in rs.criteria:
                assert "〔" in c.clause and "号" in c.clause, f"{rs.code} {rs.version} {c.code}"


def test_versions_of_one_code_do_not_overlap() -> None:
    for code, versions in _by_code().items():
        assert len({v.version for v in versions}) == len(versions), f"{code} 版本号重复"
        ordered = sorted(versions, key=lambda v: v.effective_from)
        for older, newer in pairwise(ordered):
            assert older.effective_to is not None, f"{code} {older.version} 未设截止日期"
            assert older.effective_to < newer.effective_from, (
                f"{code} {older.version} 与 {newer.version} 重叠"
            )


def test_successive_versions_leave_no_gap() -> None:
    for code, versions in _by_code().items():
        ordered = sorted(versions, key=lambda v: v.effective_from)
        for older, newer in pairwise(ordered):
            assert older.effective_to + timedelta(days=1) == newer.effective_from, code  # type: ignore[operator]


@pytest.mark.parametrize("code", ["srdi_sme", "little_giant"])
def test_2026_measures_take_over_on_2026_04_01(code: str) -> None:
    assert builtin_ruleset(code, on=date(2022, 8, 1)).version == "2022"
    assert builtin_ruleset(code, on=date(2026, 3, 31)).version == "2022"
    assert builtin_ruleset(code, on=date(2026, 4, 1)).version == "2026"
    assert builtin_ruleset(code).version == "2026"
    with pytest.raises(KeyError):
        builtin_ruleset(code, on=date(2022, 7, 31))


def test_single_champion_not_in_force_before_2023_measures() -> None:
    assert builtin_ruleset("single_champion", on=date(2025, 6, 1)).version == "2023"
    with pytest.raises(KeyError):
        builtin_ruleset("single_champion", on=date(2023, 1, 1))


def test_tech_sme_stays_in_force_after_2026_04_01() -> None:
    assert builtin_ruleset("tech_sme", on=date(2026, 6, 1)).version == "2017"
