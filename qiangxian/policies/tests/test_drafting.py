"""Drafting from pasted text: what real policy texts do."""

from __future__ import annotations

import pytest

from qiangxian.policies.drafting import eligibility_text, normalise, propose


def one(text):
    (p,) = propose(text)
    return p


def test_full_width_digits_and_chinese_numerals():
    p = one("对当年新纳入规模以上工业企业统计的企业，一次性奖励二十万元。")
    assert p.benefit.kind == "fixed" and p.benefit.amount == 200_000
    p = one("上年度营业收入达到２０００万元以上的，奖励５万元。")
    assert p.conditions[0].value == 20_000_000 and p.conditions[0].comparator == ">="
    assert p.benefit.amount == 50_000


def test_number_split_by_a_line_break_keeps_the_exact_quote():
    text = "对年度技改设备投资达到10\n00万元以上的项目，给予一次性奖励50万元。"
    p = one(text)
    assert p.conditions[0].value == 10_000_000
    assert text[p.start : p.end] == p.quote and "\n" in p.quote


def test_yi_and_mu_and_within():
    p = one("亩均税收不低于15万元、年纳税总额超过1亿元的企业，奖励100万元。")
    values = sorted(c.value for c in p.conditions)
    assert values == [150_000, 100_000_000]
    p = one("用地面积50亩以内的项目，给予补助10万元。")
    assert p.conditions[0].unit == "亩" and p.conditions[0].comparator == "<=" and p.conditions[0].value == 50


def test_tiered_list_becomes_one_clause_with_tiers():
    text = (
        "对企业年度技术改造设备投资1000万元以上的，奖励50万元；"
        "500万元以上的，奖励20万元；200万元以上的，奖励10万元。"
    )
    p = one(text)
    assert p.benefit.kind == "tiers"
    assert p.benefit.tiers == [[2_000_000, 100_000], [5_000_000, 200_000], [10_000_000, 500_000]]
    assert p.quote == text.rstrip("。")


def test_per_year_schedule_and_case_by_case():
    p = one("入驻标准厂房的企业，第1年按租金的100%给予补贴，第2至3年按50%给予补贴。")
    assert p.benefit.kind == "schedule"
    assert p.benefit.schedule == [
        {"from_year": 1, "to_year": 1, "rate": 1.0},
        {"from_year": 2, "to_year": 3, "rate": 0.5},
    ]
    p = one("对投资额特别重大的项目，实行一事一议给予支持。")
    assert p.benefit.kind == "case_by_case"


def test_eligibility_text_compiles_in_the_rule_language():
    from qiangxian.rules.checking import check_text

    p = one("对上年度研发费用超过500万元且营业收入不低于1亿元的企业，奖励30万元。")
    text = eligibility_text(p)
    assert check_text(text).ok, text
    assert "研发费用@上年 > 500万" in text and "营业收入@上年 >= 10000万" in text
    vague = one("对获评省级以上智能工厂的企业，奖励50万元。")
    assert check_text(eligibility_text(vague)).ok


def test_responsible_units_attach_to_their_paragraph():
    text = (
        "1. 对首次认定的国家级专精特新小巨人企业，奖励100万元。（责任单位：县经信局）\n"
        "2. 对新获批的省级企业技术中心，奖励30万元。（责任单位：县科技局、县财政局）"
    )
    first, second = propose(text)
    assert first.responsible_units == ["县经信局"] and second.responsible_units == ["县科技局", "县财政局"]


@pytest.mark.parametrize("text", ["", "本办法自发布之日起施行。", "各乡镇、各部门要高度重视。"])
def test_no_benefit_no_clause(text):
    assert propose(text) == []


def test_normalise_joins_only_numbers():
    assert normalise("研发费用\n超过５\n00万元") == "研发费用超过500万元"


def test_a_range_is_at_least_the_first_and_below_the_second():
    p = one("企业生产性设备投资200万元至500万元的技改项目，按设备投资额的10%给予奖励。")
    assert sorted((c.comparator, c.value) for c in p.conditions) == [("<", 5_000_000), (">=", 2_000_000)]
    assert p.benefit.kind == "rate" and p.benefit.rate == pytest.approx(0.1)


def test_several_sums_in_one_sentence_are_several_clauses():
    found = propose("对首次认定的省级专精特新企业、专精特新小巨人企业，分别给予15万元、25万元奖励。")
    assert [p.benefit.amount for p in found] == [150_000, 250_000]
    assert found[0].quote == found[1].quote


def test_up_to_a_sum_and_a_limit_in_the_next_sentence():
    p = one("对认定的省级专精特新中小企业，给予最高不超过30万元的一次性奖励。")
    assert p.benefit.kind == "fixed" and p.benefit.amount is None and p.benefit.cap == 300_000
    p = one("财政按每年1.5个百分点给予贴息。单户企业贷款规模上限为5000万元，单户最多可享受贴息150万元。")
    assert p.benefit.rate == pytest.approx(0.015) and p.benefit.cap == 1_500_000


def test_more_comparators():
    p = one("营业收入首次突破1亿元的企业，奖励10万元。")
    assert (p.conditions[0].comparator, p.conditions[0].value) == (">", 100_000_000)
    p = one("新购置生产设备金额大于100万元的，按购置金额的15%给予补助，最高不超过30万元。")
    assert p.conditions[0].comparator == ">" and p.benefit.cap == 300_000


def test_thresholds_paired_with_sums_become_one_clause_with_tiers():
    p = one(
        "对年主营业务收入首次超过20 亿元、50亿元、100亿元的企业，分别一次性奖励100万元、150万元、200万元。"
    )
    assert p.benefit.kind == "tiers"
    assert p.benefit.tiers == [[2e9, 1_000_000], [5e9, 1_500_000], [1e10, 2_000_000]]
    cond = p.conditions[0]
    assert (cond.indicator, cond.comparator, cond.value) == ("主营业务收入@上年", ">", 2e9)
    # A threshold without its unit takes the next one's; the sentence's other conditions stay.
    p = one("营业收入首次突破5、10亿元，且研发费用占比3%以上的企业，分别奖励50万元、100万元。")
    assert p.benefit.tiers == [[5e8, 500_000], [1e9, 1_000_000]]
    assert sorted((c.comparator, c.value) for c in p.conditions) == [(">", 5e8), (">=", 0.03)]


def test_thresholds_listed_under_one_comparator_give_the_lowest():
    p = one("新引进总投资1亿元和2亿元以上的重点工业项目，按实际固定资产投入的2%给予补助，最高不超过500万元。")
    assert [(c.comparator, c.value) for c in p.conditions] == [(">=", 1e8)]
    assert p.benefit.rate == pytest.approx(0.02) and p.benefit.cap == 5_000_000


def test_a_range_of_sums_is_an_up_to_sum():
    p = one("对年工业产值首次突破10亿元的工业企业，分档给予20-500万元的一次性奖励。")
    assert p.benefit.kind == "fixed" and p.benefit.amount is None and p.benefit.cap == 5_000_000
    p = one("对一季度产值增长较快的企业，给予一次性奖补20—50万元。")
    assert p.benefit.amount is None and p.benefit.cap == 500_000
