"""The reference page never shows an example the engine refuses, and stays in step with the docs."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from qiangxian.rules import reference
from qiangxian.rules.checking import check_text
from qiangxian.rules.engine import builtin_rulesets, canonical_period, format_value
from qiangxian.rules.engine.checker import FUNCTIONS
from qiangxian.rules.engine.units import AREA, COUNT, ITEMS, MONEY, PERSONS

DOC = Path(__file__).resolve().parents[3] / "docs" / "rules-language.md"


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.parametrize("example", reference.all_examples(), ids=lambda e: e.text[:30])
def test_every_example_compiles_for_its_result_type(example):
    result = check_text(example.text, example.result_type)
    assert result.ok, f"{example.text}: {result.error}"


def test_no_example_is_dropped_when_the_page_is_built():
    shown = sum(len(s.examples) for s in reference.sections())
    assert shown == len(reference.all_examples()) >= 20


def test_every_rule_block_of_the_docs_is_on_the_page():
    blocks = re.findall(r"```rule\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    on_page = {_squash(e.text) for e in reference.all_examples()}
    assert blocks and [b for b in blocks if _squash(b) not in on_page] == []


def test_every_error_example_is_an_error_and_the_docs_table_is_covered():
    shown = reference.error_examples()
    assert len(shown) == len(reference.ERROR_EXAMPLES)
    assert ("营业收入 >= 3%", "第1行第9列：无法比较 金额 与 百分比") in shown
    doc_rows = re.findall(r"^\| `([^`]+)` \| `([^`]+)`", DOC.read_text(encoding="utf-8"), re.M)
    documented = {expr for expr, _ in doc_rows if "…" not in expr}
    assert documented <= set(reference.ERROR_EXAMPLES)


def test_every_function_and_period_is_documented():
    assert set(reference.FUNCTION_DOCS) == set(FUNCTIONS)
    assert reference.function_table()[0][0] == "如果(条件, 甲, 乙)"
    for key, _, spellings in reference.PERIODS:
        assert all(canonical_period(s) == key for s in spellings), key
    assert [row[1] for row in reference.period_table()] == [key for key, _, _ in reference.PERIODS]


def test_the_truth_table_is_the_engines():
    table = reference.truth_table()
    assert len(table) == 9
    assert ("满足", "待定", "待定", "满足") in table and ("不满足", "待定", "不满足", "待定") in table
    assert reference.not_table() == [("满足", "不满足"), ("不满足", "满足"), ("待定", "待定")]


def test_the_unit_table_lists_every_literal_kind():
    kinds = [row[0] for row in reference.literal_table()]
    assert {"金额", "百分比", "数量", "年数", "面积", "能耗", "电量", "金额/面积", "金额/数量"} <= set(kinds)
    table = reference.literal_table()
    assert ("金额", "元、万、万元、亿、亿元", "3亿 即 300,000,000元") in table
    assert ("百分比", "%、％", "3% 即 0.03（小数）") in table
    assert ("金额/数量", "元/人、万/人、万元/人", "3万/人 即 30,000元/人") in table


def test_every_builtin_rule_set_version_is_listed_with_its_criteria():
    groups = reference.ruleset_groups(today=dt.date(2026, 6, 1))
    listed = {(v.ruleset.code, v.ruleset.version) for g in groups for v in g.versions}
    assert listed == {(r.code, r.version) for r in builtin_rulesets()}
    srdi = next(g for g in groups if g.code == "srdi_sme")
    assert [(v.ruleset.version, v.in_force) for v in srdi.versions] == [("2026", True), ("2022", False)]
    assert srdi.versions[1].period_text == "2022-08-01 至 2026-03-31"
    assert srdi.versions[0].period_text == "2026-04-01 起施行"
    before = next(g for g in reference.ruleset_groups(today=dt.date(2026, 3, 31)) if g.code == "srdi_sme")
    assert [v.in_force for v in before.versions] == [False, True]
    for group in groups:
        for version in group.versions:
            assert len(version.criteria) == len(version.ruleset.criteria)
            assert all(c.expression and c.title for c in version.criteria)


def test_per_person_units_keep_their_label():
    # Engine fix: 金额/从业人员 used to print as 元/个.
    assert MONEY.over(PERSONS).label == "元/人" and MONEY.over(ITEMS).label == "元/项"
    assert MONEY.over(COUNT).label == "元/个" and MONEY.over(AREA).label == "元/亩"
    assert format_value(181_400.0, MONEY.over(PERSONS)) == "18.14万元/人"
    assert format_value(5_000.0, MONEY.over(PERSONS)) == "5000元/人"
