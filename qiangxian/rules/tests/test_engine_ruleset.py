"""The 创新型中小企业 2022 scoring (domain/criteria.md §1.2) as a rule set: golden cases."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qiangxian.rules.engine import (
    Catalogue,
    CompiledRuleSet,
    Outcome,
    Snapshot,
    builtin_catalogue,
    builtin_ruleset,
)

NAN = float("nan")
WAN = 1e4
JUDGEMENT = "产品不属于国家禁止、限制或淘汰类，近三年未发生重大安全、质量、环境污染等事故"


@dataclass
class Firm:
    """One enterprise's inputs, in the units an official would state them."""

    employees: float = 100
    revenue_wan: float = 1000
    rd_wan: float = 30
    main_wan: float = 800
    main_prev_wan: float = 700
    debt: float = 0.50
    emerging: float = 1.0
    ip: tuple[float, float, float, float] = (0, 1, 1, 0)  # 高价值Ⅰ类, 自主Ⅰ类, Ⅰ类, Ⅱ类
    equity_wan: tuple[float, float, float] = (0, 0, 0)
    holds: set[str] = field(default_factory=set)
    unknown: set[str] = field(default_factory=set)
    judged: bool | None = True


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    return builtin_catalogue()


@pytest.fixture(scope="module")
def sme(cat: Catalogue) -> CompiledRuleSet:
    return builtin_ruleset("innovative_sme", date(2025, 6, 1)).compile(cat)


def snapshot_of(firms: list[Firm], cat: Catalogue) -> Snapshot:
    def col(f: object) -> np.ndarray:
        return np.array([f(x) for x in firms], dtype=float)  # type: ignore[operator]

    cols = {
        ("employees", "last_year"): col(lambda x: x.employees),
        ("revenue", "last_year"): col(lambda x: x.revenue_wan * WAN),
        ("rd_expense", "last_year"): col(lambda x: x.rd_wan * WAN),
        ("main_revenue", "last_year"): col(lambda x: x.main_wan * WAN),
        ("main_revenue", "year_minus_2"): col(lambda x: x.main_prev_wan * WAN),
        ("asset_liability_ratio", "last_year"): col(lambda x: x.debt),
        ("strategic_emerging_product", "current"): col(lambda x: x.emerging),
    }
    for i, ident in enumerate(["ip_class1_high_value", "ip_class1_self_developed", "ip_class1", "ip_class2"]):
        cols[(ident, "current")] = col(lambda x, i=i: x.ip[i])
    for i, period in enumerate(["year_minus_3", "year_minus_2", "last_year"]):
        cols[("equity_financing", period)] = col(lambda x, i=i: x.equity_wan[i] * WAN)
    designations = {
        name: (np.array([name in f.holds for f in firms]), np.array([name not in f.unknown for f in firms]))
        for name in cat.designations
    }
    judged = (np.array([f.judged is True for f in firms]), np.array([f.judged is not None for f in firms]))
    return Snapshot(
        np.arange(len(firms)) + 1, columns=cols, designations=designations, judgements={JUDGEMENT: judged}
    )


def run(sme: CompiledRuleSet, cat: Catalogue, firm: Firm):
    snap = snapshot_of([firm], cat)
    result = sme.evaluate(snap)
    explanation = sme.explain(snap, 1)
    assert Outcome(int(result.outcome[0])) is explanation.outcome
    return result, explanation


def test_typical_enterprise_scores_85_and_meets(sme: CompiledRuleSet, cat: Catalogue) -> None:
    # IP: self-developed Ⅰ类 15; R&D 30/1000 = 3% -> 15; growth 800/700-1 = 14.3% -> 15;
    # debt 50% -> 10; emerging field 10; main share 80% -> 20.  Groups 30 / 25 / 30.
    result, exp = run(sme, cat, Firm())
    assert result.points[0] == 85
    assert {k: v[0] for k, v in result.group_points.items()} == {
        "innovation": 30,
        "growth": 25,
        "specialisation": 30,
    }
    assert exp.outcome is Outcome.MET
    assert exp.points == 85
    assert exp.summary.startswith(
        "按现有数据测算，对照《创新型中小企业评价标准》（2022版）：满足，总分 85 分"
    )
    assert "不代表官方认定" in exp.disclaimer


def test_exactly_60_with_group_minimums_exactly_met(sme: CompiledRuleSet, cat: Catalogue) -> None:
    # innovation 10 (Ⅰ类) + 10 (R&D 30/1500 = 2%) = 20; growth 10 (exactly 5%) + 5 (debt exactly 75%) = 15;
    # specialisation 5 (other field) + 20 (main share exactly 70%) = 25; total 60.
    firm = Firm(
        ip=(0, 0, 1, 0), rd_wan=30, main_prev_wan=1000, main_wan=1050, revenue_wan=1500, debt=0.75, emerging=0
    )
    result, exp = run(sme, cat, firm)
    assert [result.criterion_points[c][0] for c in ("ip", "rd_share", "revenue_growth", "debt_ratio")] == [
        10,
        10,
        10,
        5,
    ]
    assert result.criterion_points["main_revenue_share"][0] == 20
    assert result.points[0] == 60
    assert exp.outcome is Outcome.MET


def test_growth_of_exactly_15_percent_reaches_the_top_band(sme: CompiledRuleSet, cat: Catalogue) -> None:
    # 1150/1000 − 1 is 0.1499999… in binary; the boundary still counts ("以上" includes 15%).
    result, _ = run(sme, cat, Firm(main_prev_wan=1000, main_wan=1150, revenue_wan=1500))
    assert result.criterion_points["revenue_growth"][0] == 20


@pytest.mark.parametrize(
    ("growth_pair", "points"),
    [((1000, 999), 0), ((1000, 1000), 5), ((1000, 1049), 5), ((1000, 1100), 15), ((1000, 1149), 15)],
)
def test_growth_bands(
    sme: CompiledRuleSet, cat: Catalogue, growth_pair: tuple[int, int], points: int
) -> None:
    prev, last = growth_pair
    result, _ = run(sme, cat, Firm(main_prev_wan=prev, main_wan=last, revenue_wan=2000))
    assert result.criterion_points["revenue_growth"][0] == points


def test_total_over_60_but_innovation_under_20_fails(sme: CompiledRuleSet, cat: Catalogue) -> None:
    # innovation 0 + 5 = 5; growth 20 + 10 = 30; specialisation 10 + 20 = 30; total 65.
    firm = Firm(ip=(0, 0, 0, 0), rd_wan=15, main_prev_wan=600, main_wan=800)
    result, exp = run(sme, cat, firm)
    assert result.points[0] == 65
    assert exp.outcome is Outcome.NOT_MET
    rd = next(t for t in exp.criteria if t.code == "rd_share")
    assert rd.gaps == ["研发费用占营业收入比重 1.5%，得5分；达到 2.0% 可得10分：约需增加研发费用 5万元"]


def test_direct_condition_qualifies_without_points(sme: CompiledRuleSet, cat: Catalogue) -> None:
    # Only the "other field" 5 points: far below 60.
    weak = Firm(ip=(0, 0, 0, 0), rd_wan=0, main_prev_wan=1000, main_wan=400, debt=0.9, emerging=0)
    result, exp = run(sme, cat, weak)
    assert result.points[0] == 5 and exp.outcome is Outcome.NOT_MET
    _, exp = run(sme, cat, Firm(**{**weak.__dict__, "holds": {"高新技术企业"}}))
    assert exp.outcome is Outcome.MET
    assert "符合直通条件" in exp.summary


@pytest.mark.parametrize(
    ("equity", "outcome"), [((200, 200, 100), Outcome.MET), ((200, 200, 99), Outcome.NOT_MET)]
)
def test_equity_financing_direct_boundary(
    sme: CompiledRuleSet, cat: Catalogue, equity: tuple, outcome: Outcome
) -> None:
    firm = Firm(ip=(0, 0, 0, 0), rd_wan=0, main_wan=400, equity_wan=equity)
    _, exp = run(sme, cat, firm)
    assert exp.outcome is outcome


def test_large_enterprise_is_not_eligible_even_with_a_direct_condition(
    sme: CompiledRuleSet, cat: Catalogue
) -> None:
    firm = Firm(
        employees=1000,
        revenue_wan=40000,
        rd_wan=2000,
        main_wan=35000,
        main_prev_wan=30000,
        holds={"高新技术企业"},
    )
    _, exp = run(sme, cat, firm)
    assert exp.outcome is Outcome.NOT_MET
    assert "不满足：属于中小企业" in exp.summary
    # 999 staff is an SME whatever the revenue.
    _, exp = run(sme, cat, Firm(**{**firm.__dict__, "employees": 999}))
    assert exp.outcome is Outcome.MET


def test_abnormal_list_blocks(sme: CompiledRuleSet, cat: Catalogue) -> None:
    _, exp = run(sme, cat, Firm(holds={"经营异常名录"}))
    assert exp.outcome is Outcome.NOT_MET


def test_pending_judgement_makes_it_unknown_and_says_why(sme: CompiledRuleSet, cat: Catalogue) -> None:
    _, exp = run(sme, cat, Firm(judged=None))
    assert exp.outcome is Outcome.UNKNOWN
    compliance = next(t for t in exp.criteria if t.code == "compliance")
    assert compliance.notes == [f"需人工判断：{JUDGEMENT}"]
    _, exp = run(sme, cat, Firm(judged=False))
    assert exp.outcome is Outcome.NOT_MET


def test_missing_points_that_cannot_change_the_result(sme: CompiledRuleSet, cat: Catalogue) -> None:
    # IP 20 + R&D missing (0..20): innovation ≥ 20 and total ≥ 20+25+30 = 75 whatever R&D is.
    result, exp = run(sme, cat, Firm(ip=(1, 1, 1, 1), rd_wan=NAN))
    assert math.isnan(result.points[0])
    assert (result.points_low[0], result.points_high[0]) == (75, 95)
    assert exp.outcome is Outcome.MET
    assert "总分在 75～95 分之间" in exp.summary
    # With a self-developed IP only (15), the missing R&D decides the innovation minimum: unknown.
    _, exp = run(sme, cat, Firm(rd_wan=NAN))
    assert exp.outcome is Outcome.UNKNOWN
    rd = next(t for t in exp.criteria if t.code == "rd_share")
    assert rd.outcome is Outcome.UNKNOWN and rd.points is None and rd.outcome_label == "待定"
    assert rd.notes == ["缺少数据：研发费用（上年）"]


def test_unknown_direct_condition_keeps_a_failing_score_unknown(sme: CompiledRuleSet, cat: Catalogue) -> None:
    firm = Firm(ip=(0, 0, 0, 0), rd_wan=0, main_wan=400, unknown={"高新技术企业"})
    _, exp = run(sme, cat, firm)
    assert exp.outcome is Outcome.UNKNOWN


def test_trace_lists_values_with_units_and_clause(sme: CompiledRuleSet, cat: Catalogue) -> None:
    _, exp = run(sme, cat, Firm(rd_wan=24))
    rd = next(t for t in exp.criteria if t.code == "rd_share")
    assert rd.clause.startswith("附件1 评价指标 一、创新能力 2")
    assert [(v.name, v.period_label, v.text) for v in rd.values] == [
        ("研发费用", "上年", "24万元"),
        ("营业收入", "上年", "1000万元"),
    ]
    assert rd.points == 10 and rd.outcome_label == "得10分"
    assert rd.gaps == ["研发费用占营业收入比重 2.4%，得10分；达到 3.0% 可得15分：约需增加研发费用 6万元"]
    growth = next(t for t in exp.criteria if t.code == "revenue_growth")
    assert growth.values[0].text == "前年 700万元，上年 800万元"


def test_explanation_is_json_serialisable(sme: CompiledRuleSet, cat: Catalogue) -> None:
    _, exp = run(sme, cat, Firm(rd_wan=NAN))
    data = json.loads(json.dumps(exp.as_dict(), ensure_ascii=False))
    assert data["outcome_label"] == "待定"
    assert data["points"] is None and (data["points_low"], data["points_high"]) == (70, 90)
    rd = next(c for c in data["criteria"] if c["code"] == "rd_share")
    assert rd["values"][0] == {
        "name": "研发费用",
        "identifier": "rd_expense",
        "period": "last_year",
        "period_label": "上年",
        "value": None,
        "unit": "金额",
        "text": "无数据",
        "source": None,
    }
    growth = next(c for c in data["criteria"] if c["code"] == "revenue_growth")
    assert growth["values"][0]["value"] == [7e6, 8e6]


# ---- vectorised == explanation on random enterprises ----------------------------------------
_m = st.one_of(st.just(NAN), st.integers(0, 3000).map(float))
firms = st.builds(
    Firm,
    employees=st.sampled_from([NAN, 10.0, 999.0, 1000.0, 2000.0]),
    revenue_wan=st.one_of(st.just(NAN), st.integers(0, 50000).map(float)),
    rd_wan=_m,
    main_wan=_m,
    main_prev_wan=_m,
    debt=st.one_of(st.just(NAN), st.sampled_from([0.3, 0.55, 0.6, 0.75, 0.8])),
    emerging=st.sampled_from([0.0, 1.0, NAN]),
    ip=st.tuples(*[st.sampled_from([0.0, 1.0, NAN])] * 4),
    equity_wan=st.tuples(*[st.sampled_from([0.0, 100.0, 250.0, NAN])] * 3),
    holds=st.sets(st.sampled_from(["高新技术企业", "经营异常名录", "省部级以上研发机构"]), max_size=2),
    unknown=st.sets(st.sampled_from(["高新技术企业", "严重失信主体名单"]), max_size=1),
    judged=st.sampled_from([True, False, None]),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(firms, min_size=1, max_size=8))
def test_vectorised_rule_set_equals_explanations(
    sme: CompiledRuleSet, cat: Catalogue, batch: list[Firm]
) -> None:
    snap = snapshot_of(batch, cat)
    result = sme.evaluate(snap)
    for row, eid in enumerate(snap.enterprise_ids):
        exp = sme.explain(snap, int(eid))
        assert Outcome(int(result.outcome[row])) is exp.outcome
        total = result.points[row]
        assert (exp.points is None and math.isnan(total)) or exp.points == total
        assert (result.points_low[row], result.points_high[row]) == (exp.points_low, exp.points_high)
        for trace in exp.criteria:
            if trace.code in result.criterion_points:
                p = result.criterion_points[trace.code][row]
                assert (trace.points is None and math.isnan(p)) or trace.points == p
            else:
                tri = result.conditions[trace.code]
                vec = (
                    Outcome.MET if tri.val[row] else (Outcome.NOT_MET if tri.known[row] else Outcome.UNKNOWN)
                )
                assert vec is trace.outcome
