"""Rule set versions, loading from TOML, structural errors and the other built-in rule sets."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qiangxian.rules.engine import (
    Criterion,
    Outcome,
    RuleError,
    RuleNameError,
    RuleSet,
    RuleSetError,
    Snapshot,
    builtin_catalogue,
    builtin_ruleset,
    builtin_rulesets,
    pick_version,
    ruleset_from_dict,
)

NAN = float("nan")


def _version(version: str, start: date, end: date | None) -> RuleSet:
    return RuleSet(
        code="srdi_sme",
        name="专精特新中小企业",
        version=version,
        source="test",
        effective_from=start,
        effective_to=end,
        criteria=(Criterion("c", "研发", "研发费用@上年 >= 100万"),),
    )


V2022 = _version("2022", date(2022, 8, 1), date(2026, 3, 31))
V2026 = _version("2026", date(2026, 4, 1), None)


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2022, 7, 31), None),
        (date(2022, 8, 1), "2022"),
        (date(2026, 3, 31), "2022"),
        (date(2026, 4, 1), "2026"),
        (date(2030, 1, 1), "2026"),
    ],
)
def test_pick_version_in_force(on: date, expected: str | None) -> None:
    found = pick_version([V2026, V2022], on)
    assert (found.version if found else None) == expected


def test_overlapping_versions_prefer_the_latest_start() -> None:
    open_ended_old = _version("2022", date(2022, 8, 1), None)
    assert pick_version([open_ended_old, V2026], date(2027, 1, 1)).version == "2026"  # type: ignore[union-attr]


def test_builtin_rule_sets_all_compile_against_the_builtin_catalogue() -> None:
    cat = builtin_catalogue()
    codes = {r.code for r in builtin_rulesets()}
    assert {"innovative_sme", "above_scale", "sme_size", "high_tech"} <= codes
    for rs in builtin_rulesets():
        rs.compile(cat)
        assert rs.source and rs.effective_from


def test_builtin_innovative_sme_still_applies_after_2026() -> None:
    # 工信部企业〔2026〕2号 第三十条 keeps the 2022 standard in use.
    assert builtin_ruleset("innovative_sme", date(2026, 6, 1)).version == "2022"
    with pytest.raises(KeyError):
        builtin_ruleset("innovative_sme", date(2020, 1, 1))


def _rs(**over: object) -> dict:
    data: dict = {
        "code": "x",
        "name": "测试",
        "version": "1",
        "effective_from": date(2024, 1, 1),
        "criteria": [{"code": "a", "title": "收入", "expression": "营业收入 >= 1万"}],
    }
    data.update(over)
    return data


def test_expression_errors_name_the_criterion() -> None:
    rs = ruleset_from_dict(_rs(criteria=[{"code": "rev", "title": "收入", "expression": "营业收入 >= 3%"}]))
    with pytest.raises(RuleError) as info:
        rs.compile(builtin_catalogue())
    assert info.value.criterion == "rev"
    assert str(info.value) == "条款“rev”第1行第9列：无法比较 金额 与 百分比"


@pytest.mark.parametrize(
    ("over", "message"),
    [
        (
            {"criteria": [{"code": "a", "title": "t", "expression": "营业收入 > 0", "kind": "bonus"}]},
            "条款类型",
        ),
        (
            {"criteria": [{"code": "a", "title": "t", "expression": "1", "kind": "points", "group": "g"}]},
            "未定义的分组",
        ),
        ({"pass_mark": 60}, "没有计分条款"),
        (
            {"criteria": [{"code": "a", "title": "t", "expression": "营业收入 > 0"}] * 2},
            "重复",
        ),
    ],
)
def test_structural_errors(over: dict, message: str) -> None:
    with pytest.raises(RuleSetError, match=message):
        ruleset_from_dict(_rs(**over)).compile(builtin_catalogue())


def test_missing_field_and_bad_date() -> None:
    with pytest.raises(RuleSetError, match="缺少字段 name"):
        ruleset_from_dict({k: v for k, v in _rs().items() if k != "name"})
    with pytest.raises(RuleSetError, match="不是有效日期"):
        ruleset_from_dict(_rs(effective_from="2024-13-01"))


def test_points_criterion_must_be_numeric() -> None:
    rs = ruleset_from_dict(
        _rs(criteria=[{"code": "p", "title": "t", "kind": "points", "expression": "营业收入 > 0"}])
    )
    with pytest.raises(RuleError, match="应得到数值"):
        rs.compile(builtin_catalogue())


# ---- 规上 and SME size (criteria.md §3) ----------------------------------------------------
def test_above_scale_threshold() -> None:
    compiled = builtin_ruleset("above_scale").compile(builtin_catalogue())
    snap = Snapshot(
        np.arange(4),
        columns={
            # The status reads the last completed year; this year's running total is not read.
            ("main_revenue", "last_year"): [2000e4, 1999.99e4, 5000e4, NAN],
            ("main_revenue", "current"): [NAN, 2500e4, NAN, 3000e4],
            ("is_industrial", "current"): [1.0, 1.0, 0.0, 1.0],
        },
    )
    result = compiled.evaluate(snap)
    assert result.outcome.tolist() == [Outcome.MET, Outcome.NOT_MET, Outcome.NOT_MET, Outcome.UNKNOWN]
    exp = compiled.explain(snap, 1)
    rev = next(t for t in exp.criteria if t.code == "main_revenue")
    assert rev.gaps == ["主营业务收入 1999.99万元，需达到 2000万元，还差 100元"]
    assert rev.checks[0].text == "上年主营业务收入不低于2000万元：1999.99万元 ≥ 2000万元 → 不满足"


@pytest.mark.parametrize(
    ("staff", "revenue_wan", "is_sme", "size"),
    [
        (1000, 40000, False, 4),
        (1000, 39999, True, 3),
        (999, 100000, True, 3),
        (300, 2000, True, 3),
        (299, 2000, True, 2),
        (20, 300, True, 2),
        (19, 300, True, 1),
        (500, 299, True, 1),
    ],
)
def test_sme_size_classes(staff: int, revenue_wan: int, is_sme: bool, size: int) -> None:
    compiled = builtin_ruleset("sme_size").compile(builtin_catalogue())
    snap = Snapshot(
        np.arange(1),
        columns={("employees", "last_year"): [float(staff)], ("revenue", "last_year"): [revenue_wan * 1e4]},
    )
    result = compiled.evaluate(snap)
    assert bool(result.conditions["sme"].val[0]) is is_sme
    assert result.criterion_points["size_class"][0] == size
    assert result.outcome[0] == (Outcome.MET if is_sme else Outcome.NOT_MET)


# ---- 高新技术企业 (criteria.md §7): the R&D band depends on last year's sales ------------------
@pytest.mark.parametrize(
    ("sales_wan", "rd_share", "met"),
    [
        (5000, 0.05, True),
        (5000, 0.0499, False),
        (5001, 0.04, True),
        (20000, 0.0399, False),
        (20001, 0.03, True),
        (20001, 0.0299, False),
    ],
)
def test_high_tech_rd_intensity_bands(sales_wan: float, rd_share: float, met: bool) -> None:
    compiled = builtin_ruleset("high_tech").compile(builtin_catalogue())
    sales = [sales_wan * 1e4] * 3
    cols = {}
    for i, period in enumerate(["year_minus_3", "year_minus_2", "last_year"]):
        cols[("sales_revenue", period)] = [sales[i]]
        cols[("rd_expense", period)] = [sales[i] * rd_share]
        cols[("domestic_rd_expense", period)] = [sales[i] * rd_share * 0.6]
    snap = Snapshot(np.arange(1), columns=cols)
    tri = compiled.evaluate(snap).conditions["rd_intensity"]
    assert bool(tri.known[0]) and bool(tri.val[0]) is met


def test_high_tech_registration_year_and_judgements() -> None:
    compiled = builtin_ruleset("high_tech").compile(builtin_catalogue())
    snap = Snapshot(
        np.arange(2),
        established=np.array(["2025-06-02", "2025-06-01"], dtype="datetime64[D]"),
        as_of=date(2026, 6, 1),
    )
    result = compiled.evaluate(snap)
    assert result.conditions["registered_one_year"].val.tolist() == [False, True]
    assert result.conditions["supported_field"].known.tolist() == [False, False]
    # Judgements pending and data missing: never "met", and "not met" only where data says so.
    assert result.outcome.tolist() == [Outcome.NOT_MET, Outcome.UNKNOWN]


def test_unknown_indicator_in_a_rule_set_is_a_name_error() -> None:
    rs = ruleset_from_dict(_rs(criteria=[{"code": "a", "title": "t", "expression": "主营收入占比 >= 70%"}]))
    with pytest.raises(RuleNameError, match="未知指标“主营收入占比”"):
        rs.compile(builtin_catalogue())


def test_result_counts_and_lookup() -> None:
    compiled = builtin_ruleset("above_scale").compile(builtin_catalogue())
    snap = Snapshot(
        np.array([7, 8, 9]),
        columns={
            ("main_revenue", "last_year"): [3e7, 1e7, NAN],
            ("is_industrial", "current"): [1.0, 1.0, 1.0],
        },
    )
    result = compiled.evaluate(snap)
    assert result.counts() == {Outcome.UNKNOWN: 1, Outcome.NOT_MET: 1, Outcome.MET: 1}
    assert result.outcome_of(8) is Outcome.NOT_MET
    assert result.points is None


@settings(max_examples=60, deadline=None)
@given(revenues=st.lists(st.floats(min_value=0, max_value=6e7, allow_nan=False), min_size=1, max_size=30))
def test_a_new_versions_threshold_changes_results_only_from_its_effective_date(revenues) -> None:
    # The office raises the above-scale line to 3000万 from 2027: a new version, the old one closed.
    from dataclasses import replace

    current = builtin_ruleset("above_scale")
    old = replace(current, effective_to=date(2026, 12, 31))
    raised = replace(
        current,
        version="2027",
        effective_from=date(2027, 1, 1),
        criteria=tuple(
            replace(c, expression="主营业务收入@上年 >= 3000万") if c.code == "main_revenue" else c
            for c in current.criteria
        ),
    )
    catalogue = builtin_catalogue()
    snap = Snapshot(
        np.arange(len(revenues)),
        columns={
            ("main_revenue", "last_year"): revenues,
            ("is_industrial", "current"): [1.0] * len(revenues),
        },
    )
    baseline = current.compile(catalogue).evaluate(snap).outcome.tolist()

    def on(day: date) -> list[int]:
        return pick_version([old, raised], day).compile(catalogue).evaluate(snap).outcome.tolist()

    # Every period before the change is judged exactly as before it.
    assert on(date(2026, 12, 31)) == baseline == on(date(2026, 1, 1))
    after = [Outcome.MET if r >= 3000e4 else Outcome.NOT_MET for r in revenues]
    assert on(date(2027, 1, 1)) == after
