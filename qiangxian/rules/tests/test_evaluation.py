"""Saved rules evaluated over enterprises from the database: counts, lists, scope, traces."""

from __future__ import annotations

import pytest

from qiangxian.enterprises.models import Enterprise
from qiangxian.rules import services
from qiangxian.rules.checking import compile_for
from qiangxian.rules.choices import Outcome, ResultType
from qiangxian.rules.evaluation import (
    evaluate_expression,
    evaluate_rule,
    explain_rule,
    export_rows,
    match_rows,
)
from qiangxian.rules.models import CustomRule

from .conftest import AS_OF

pytestmark = pytest.mark.django_db


def test_a_saved_condition_counts_met_not_met_and_unknown(figures, rule):
    evaluation = evaluate_rule(rule=rule, enterprises=Enterprise.objects.all(), as_of=AS_OF)
    assert evaluation.size == 5 and evaluation.is_condition
    assert evaluation.counts() == {Outcome.MET: 2, Outcome.NOT_MET: 2, Outcome.UNKNOWN: 1}
    rows = match_rows(evaluation, enterprises=Enterprise.objects.all(), outcome=Outcome.MET)
    assert [r.name for r in rows] == ["乙镇机械有限公司", "甲镇园区鞋业有限公司"]
    (unknown,) = match_rows(evaluation, enterprises=Enterprise.objects.all(), outcome=Outcome.UNKNOWN)
    assert unknown.name == "甲镇食品有限公司" and unknown.result == "待定"
    assert unknown.missing == ("研发费用（上年）", "营业收入（上年）")


def test_the_users_scope_limits_the_enterprises(figures, rule, users):
    town = evaluate_rule(rule=rule, user=users["town"], as_of=AS_OF)
    assert town.size == 3
    assert town.counts() == {Outcome.MET: 1, Outcome.NOT_MET: 1, Outcome.UNKNOWN: 1}
    # A given queryset is still cut down to what the user may see.
    both = evaluate_rule(rule=rule, user=users["town"], enterprises=Enterprise.objects.all(), as_of=AS_OF)
    assert sorted(both.enterprise_ids) == sorted(town.enterprise_ids)
    assert evaluate_rule(rule=rule, user=users["enterprise"], as_of=AS_OF).size == 1
    with pytest.raises(ValueError):
        evaluate_rule(rule=rule, as_of=AS_OF)


def test_the_vectorised_result_agrees_with_each_enterprises_trace(figures, rule):
    evaluation = evaluate_rule(rule=rule, enterprises=Enterprise.objects.all(), as_of=AS_OF)
    for enterprise in Enterprise.objects.all():
        trace = explain_rule(rule=rule, enterprise=enterprise, as_of=AS_OF)
        assert {1: Outcome.MET, 0: Outcome.NOT_MET, -1: Outcome.UNKNOWN}[int(trace.outcome)] == (
            evaluation.outcome_key(enterprise.pk)
        )
        assert trace.title == rule.name


def test_a_trace_names_values_periods_sources_and_the_gap(figures, rule):
    textile = figures["enterprises"]["甲镇纺织有限公司"]
    trace = explain_rule(rule=rule, enterprise=textile, as_of=AS_OF)
    assert trace.outcome_label == "不满足"
    assert [(v.name, v.period_label, v.text) for v in trace.values] == [
        ("研发费用", "上年（2025年）", "18万元"),
        ("营业收入", "上年（2025年）", "900万元"),
    ]
    assert all("统计局" in str(v.source) for v in trace.values)
    assert [c.text for c in trace.checks] == ["上年研发费用占营业收入比重不低于3%：2.0% ≥ 3.0% → 不满足"]
    assert trace.gaps == ["研发费用占营业收入比重 2.0%，需达到 3.0%，还差 1个百分点：约需增加研发费用 9万元"]


def test_a_number_lists_values_largest_first_and_sums_money(figures, users):
    subsidy = services.custom_rule_create(
        actor=users["office"],
        name="研发补助",
        expression="最小(研发费用@上年 * 10%, 12万)",
        result_type=ResultType.MONEY,
    )
    evaluation = evaluate_rule(rule=subsidy, enterprises=Enterprise.objects.all(), as_of=AS_OF)
    assert not evaluation.is_condition
    assert evaluation.counts() == {Outcome.MET: 4, Outcome.UNKNOWN: 1}
    assert evaluation.total() == pytest.approx(120_000 + 120_000 + 18_000 + 12_000)
    rows = match_rows(evaluation, enterprises=Enterprise.objects.all())
    assert [(r.name, r.result) for r in rows] == [
        ("乙镇机械有限公司", "12万元"),
        ("甲镇园区鞋业有限公司", "12万元"),
        ("甲镇纺织有限公司", "1.8万元"),
        ("乙镇电子有限公司", "1.2万元"),
        ("甲镇食品有限公司", "无数据"),
    ]
    headers, data = export_rows(evaluation, rows)
    assert headers[4] == "结果（元）" and data[0][4] == 120_000 and data[-1][4] is None


def test_an_empty_selection_evaluates_to_nothing(figures):
    expression = compile_for("营业收入@上年 >= 2000万", ResultType.BOOL)
    evaluation = evaluate_expression(expression, enterprises=Enterprise.objects.none(), as_of=AS_OF)
    assert evaluation.size == 0 and evaluation.counts() == {
        Outcome.MET: 0,
        Outcome.NOT_MET: 0,
        Outcome.UNKNOWN: 0,
    }
    assert evaluation.outcome_key(1) == Outcome.UNKNOWN and evaluation.missing_of(1) == ["不在评价范围内"]
    assert evaluation.total() is None


def test_a_rule_whose_text_no_longer_compiles_raises(figures, rule):
    from qiangxian.rules.engine import RuleError

    CustomRule.objects.filter(pk=rule.pk).update(expression="研发费用率@上年 > 3%")
    rule.refresh_from_db()
    with pytest.raises(RuleError):
        evaluate_rule(rule=rule, enterprises=Enterprise.objects.all(), as_of=AS_OF)


def test_missing_inputs_cover_designations_judgements_and_the_founding_date(figures):
    expression = compile_for(
        '持有("专精特新小巨人") 或 人工判断("市场占有率较高") 或 成立年限 >= 3年', ResultType.BOOL
    )
    evaluation = evaluate_expression(expression, enterprises=Enterprise.objects.all(), as_of=AS_OF)
    shoe = figures["enterprises"]["甲镇园区鞋业有限公司"]
    # The registry records titles: not listed means known not to hold it, so only the rest is missing.
    assert evaluation.outcome_key(shoe.pk) == Outcome.UNKNOWN
    assert evaluation.missing_of(shoe.pk) == ["人工判断：市场占有率较高", "成立日期"]
