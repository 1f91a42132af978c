"""Eligibility, amounts, near misses, stacking, exclusions, caps and budgets over a snapshot."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import numpy as np
import pytest

from qiangxian.policies.calc import MET, NOT_MET, UNKNOWN, apply_limits, compile_clause, evaluate_clause
from qiangxian.rules.engine import Snapshot

IDS = np.array([1, 2, 3, 4], dtype=np.int64)
RD = np.array([6_000_000, 4_500_000, np.nan, 1_000_000], dtype=float)
REV = np.array([50_000_000, 9_000_000, 10_000_000, 12_000_000], dtype=float)


def snapshot() -> Snapshot:
    return Snapshot(
        enterprise_ids=IDS,
        columns={("rd_expense", "last_year"): RD, ("revenue", "last_year"): REV},
        designations={},
        judgements={},
        established=np.array(["2010-01-01"] * 4, dtype="datetime64[D]"),
        as_of=dt.date(2026, 6, 1),
    )


_pk = iter(range(1, 10_000))


def version(**fields):
    defaults = {
        "eligibility": "研发费用@上年 >= 500万",
        "benefit_kind": "fixed",
        "benefit_amount": 200_000,
        "benefit_rate": None,
        "benefit_base": "",
        "benefit_tiers": [],
        "cap_per_enterprise_year": None,
        "budget": None,
        "exclusion_group": "",
        "exclusion_rule": "stack",
    }
    defaults.update(fields)
    pk = next(_pk)
    clause = SimpleNamespace(pk=pk, policy_id=fields.pop("policy_id", 1), __str__=lambda: f"条款{pk}")
    return SimpleNamespace(pk=pk, clause=clause, **{k: v for k, v in defaults.items() if k != "policy_id"})


def run(*versions, policy_cap=None, granted=None):
    snap = snapshot()
    results = [evaluate_clause(compile_clause(v, policy_cap=policy_cap), snap) for v in versions]
    apply_limits(results, enterprise_ids=snap.enterprise_ids, granted=granted)
    return results


def test_outcomes_are_three_valued_and_gap_is_in_user_terms():
    (r,) = run(version())
    assert list(r.outcome) == [MET, NOT_MET, UNKNOWN, NOT_MET]
    # 450万 is 50万 short of 500万: near, with the gap said in 万元; 100万 is far.
    assert list(r.near) == [False, True, False, False]
    assert "还差 50万元" in r.gaps[1]
    assert "研发费用（上年）" in r.missing_text(2)


def test_rate_with_cap_and_tiers():
    rate, tiers = run(
        version(
            benefit_kind="rate",
            benefit_rate=0.1,
            benefit_base="研发费用@上年",
            cap_per_enterprise_year=500_000,
        ),
        version(
            eligibility="营业收入@上年 >= 1000万",
            benefit_kind="tiers",
            benefit_base="营业收入@上年",
            benefit_tiers=[[10_000_000, 100_000], [30_000_000, 300_000]],
        ),
    )
    assert rate.amount[0] == pytest.approx(500_000)  # 10% of 600万 = 60万, capped at 50万
    assert np.isnan(rate.amount[1])  # not met: no amount
    assert list(tiers.outcome) == [MET, NOT_MET, MET, MET]
    assert tiers.amount[0] == 300_000 and tiers.amount[2] == 100_000 and tiers.amount[3] == 100_000


def test_eligible_for_zero_differs_from_ineligible():
    (r,) = run(
        version(
            eligibility="营业收入@上年 >= 0",
            benefit_kind="tiers",
            benefit_base="营业收入@上年",
            benefit_tiers=[[20_000_000, 100_000]],
        )
    )
    assert r.outcome[1] == MET and r.amount[1] == 0  # met, but below the first tier
    assert r.outcome[0] == MET and r.amount[0] == 100_000


def test_highest_wins_within_an_exclusion_group():
    low, high = run(
        version(benefit_amount=100_000, exclusion_group="研发", exclusion_rule="highest"),
        version(benefit_amount=300_000, exclusion_group="研发", exclusion_rule="highest"),
    )
    assert low.amount[0] == 0 and high.amount[0] == 300_000
    assert "就高不就低" in low.notes[0]


def test_stacking_clauses_both_pay():
    a, b = run(version(benefit_amount=100_000), version(benefit_amount=300_000))
    assert a.amount[0] == 100_000 and b.amount[0] == 300_000


def test_no_repeat_keeps_the_benefit_already_granted():
    low = version(benefit_amount=100_000, exclusion_group="研发", exclusion_rule="no_repeat")
    high = version(benefit_amount=300_000, exclusion_group="研发", exclusion_rule="no_repeat")
    r_low, r_high = run(low, high, granted={"研发": {1: low.pk}})
    assert r_low.amount[0] == 100_000 and r_high.amount[0] == 0
    assert "不重复享受" in r_high.notes[0]


def test_policy_cap_scales_an_enterprise_total():
    a, b = run(version(benefit_amount=300_000), version(benefit_amount=300_000), policy_cap=400_000)
    assert a.amount[0] + b.amount[0] == pytest.approx(400_000)
    assert "按比例核减" in a.notes[0]


def test_budget_shared_pro_rata():
    (r,) = run(version(eligibility="营业收入@上年 >= 1000万", benefit_amount=200_000, budget=300_000))
    met = r.outcome == MET
    assert met.sum() == 3
    assert np.nansum(r.amount[met]) == pytest.approx(300_000)
    assert "预算" in r.notes[0]


def test_a_gap_stored_with_fewer_unit_dimensions_reads_back_as_the_same_unit():
    from qiangxian.policies.calc import GapPart, gap_text
    from qiangxian.rules.engine.units import MONEY

    # Stored before the emission dimension was added: six exponents.
    part = GapPart.from_json(["研发费用（上年）", [[1, 0, 0, 0, 0, 0], False, "元"], 5_000_000])
    assert part.unit == MONEY
    assert gap_text(part, 3_800_000) == "研发费用（上年） 380万元，需达到 500万元，还差 120万元"
