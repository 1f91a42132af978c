"""Formatting, gap texts and single-expression explanations."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from qiangxian.rules.engine import (
    Catalogue,
    Outcome,
    Snapshot,
    compile_expression,
    format_difference,
    format_money,
    format_percent,
    format_value,
)
from qiangxian.rules.engine.units import AREA, MONEY, PERSONS, RATIO, YEARS

NAN = float("nan")


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (380_000.0, MONEY, "38万元"),
        (1.5e8, MONEY, "1.5亿元"),
        (123_456_789.0, MONEY, "1.23亿元"),
        (5_000.0, MONEY, "5000元"),
        (12_345_678.0, MONEY, "1234.57万元"),
        (0.024, RATIO, "2.4%"),
        (0.03, RATIO, "3.0%"),
        (10.0, PERSONS, "10人"),
        (5.0, YEARS, "5年"),
        (3.25, AREA, "3.25亩"),
        (NAN, MONEY, "无数据"),
        (None, MONEY, "无数据"),
        (True, None, "是"),
    ],
)
def test_format_value(value: float | None, unit: object, text: str) -> None:
    assert format_value(value, unit) == text  # type: ignore[arg-type]


def test_money_and_percent_helpers() -> None:
    assert format_money(-2.5e4) == "-2.5万元"
    assert format_percent(0.12345, 2) == "12.35%"
    assert format_difference(0.006, RATIO) == "0.6个百分点"
    assert format_difference(60_000.0, MONEY) == "6万元"


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    c = Catalogue()
    c.add_indicator("revenue", "营业收入", "money")
    c.add_indicator("rd_expense", "研发费用", "money")
    c.add_indicator("debt", "资产负债率", "ratio")
    return c


def test_ratio_condition_gap_names_the_numerator_increase(cat: Catalogue) -> None:
    snap = Snapshot(
        np.array([42]),
        columns={("revenue", "last_year"): [6333.33e4], ("rd_expense", "last_year"): [152e4]},
        sources={("rd_expense", "last_year"): {42: "2025年报导入（批次17）"}},
    )
    expr = compile_expression("研发费用@上年 / 营业收入@上年 >= 3%", cat, expect="bool")
    trace = expr.explain(snap, 42)
    assert trace.outcome is Outcome.NOT_MET
    assert trace.gaps == [
        "研发费用占营业收入比重 2.4%，需达到 3.0%，还差 0.6个百分点：约需增加研发费用 38万元"
    ]
    assert trace.values[0].source == "2025年报导入（批次17）"
    assert trace.values[1].source is None


def test_upper_limit_gap(cat: Catalogue) -> None:
    snap = Snapshot(np.array([1]), columns={("debt", "current"): [0.8]})
    trace = compile_expression("资产负债率 <= 75%", cat).explain(snap, 1)
    assert trace.gaps == ["资产负债率 80.0%，需不高于 75.0%，需降低 5个百分点"]


def test_met_condition_has_no_gap_and_unknown_has_a_note(cat: Catalogue) -> None:
    snap = Snapshot(np.array([1, 2]), columns={("revenue", "current"): [3e7, NAN]})
    expr = compile_expression("营业收入 >= 2000万", cat)
    met = expr.explain(snap, 1)
    assert met.outcome is Outcome.MET and met.gaps == [] and met.notes == []
    unknown = expr.explain(snap, 2)
    assert unknown.outcome is Outcome.UNKNOWN
    assert unknown.notes == ["缺少数据：营业收入（本年）"]
    assert unknown.checks[0].text == "本年营业收入不低于2000万元：无数据 ≥ 2000万元 → 待定"


def test_or_condition_reports_every_failed_branch(cat: Catalogue) -> None:
    snap = Snapshot(np.array([1]), columns={("revenue", "current"): [1e7], ("rd_expense", "current"): [50e4]})
    trace = compile_expression("营业收入 >= 2000万 或 研发费用 >= 100万", cat).explain(snap, 1)
    assert trace.gaps == [
        "营业收入 1000万元，需达到 2000万元，还差 1000万元",
        "研发费用 50万元，需达到 100万元，还差 50万元",
    ]


def test_canonical_text(cat: Catalogue) -> None:
    expr = compile_expression("研发费用@上年/营业收入@上年>=3% and not 营业收入<1万", cat)
    assert expr.canonical == "研发费用@上年 / 营业收入@上年 ≥ 3% 且 非 营业收入 < 1万"


def test_engine_imports_without_django() -> None:
    code = "import sys, qiangxian.rules.engine; print('django' in sys.modules)"
    root = Path(__file__).resolve().parents[3]
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root)
    assert out.stdout.strip() == "False"
