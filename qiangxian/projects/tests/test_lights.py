"""The light rules: hand cases for each rule and properties that must hold for any project."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from qiangxian.projects.choices import LIGHT_RANK, Light, Stage
from qiangxian.projects.lights import (
    ProjectFacts,
    Thresholds,
    add_months,
    evaluate,
    month_end,
    months_between,
)

YI = Decimal(100_000_000)


def codes(result):
    return {r.code for r in result.reasons}


# --- dates ---------------------------------------------------------------------------------


def test_add_months_clamps_to_month_end():
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2026, 11, 15), 3) == dt.date(2027, 2, 15)


def test_months_between_counts_whole_months():
    assert months_between(dt.date(2026, 1, 15), dt.date(2026, 2, 14)) == 0
    assert months_between(dt.date(2026, 1, 15), dt.date(2026, 2, 15)) == 1
    assert months_between(dt.date(2026, 3, 1), dt.date(2026, 1, 1)) == 0


# --- signed but not started ------------------------------------------------------------------


def signed(**kw):
    return ProjectFacts(
        stage=Stage.SIGNED,
        signed_on=dt.date(2026, 1, 10),
        start_deadline=dt.date(2026, 4, 15),
        total_investment=2 * YI,
        **kw,
    )


def test_signed_within_agreed_time_is_green():
    assert evaluate(signed(), year=2026, month=3).light == Light.GREEN


def test_signed_not_started_turns_yellow_after_the_agreed_date_then_red_three_months_later():
    assert evaluate(signed(), year=2026, month=5).light == Light.YELLOW
    assert evaluate(signed(), year=2026, month=6).light == Light.YELLOW
    red = evaluate(signed(), year=2026, month=7)  # 2026-07-31 is past 2026-04-15 plus three months
    assert red.light == Light.RED
    assert "签约未开工" in red.reasons[0].text and "2026-04-15" in red.reasons[0].text


def test_without_agreed_start_the_default_months_apply():
    facts = ProjectFacts(stage=Stage.SIGNED, signed_on=dt.date(2026, 1, 10))
    t = Thresholds(default_start_months=6)
    assert evaluate(facts, year=2026, month=6, thresholds=t).light == Light.GREEN
    assert evaluate(facts, year=2026, month=7, thresholds=t).light == Light.YELLOW
    assert "签约后6个月内" in evaluate(facts, year=2026, month=7, thresholds=t).reasons[0].text


# --- pace of the year ------------------------------------------------------------------------


def building(ytd, planned=Decimal(12_000), month_stats=dt.date(2026, 1, 1)):
    return ProjectFacts(
        stage=Stage.BUILDING,
        started_on=dt.date(2025, 6, 1),
        total_investment=2 * YI,
        planned_investment=planned,
        completed_ytd=Decimal(ytd),
        in_statistics_since=month_stats,
    )


def test_pace_gap_under_ten_points_is_green():
    # June: pace 50%; 41% done is 9 points behind.
    assert evaluate(building(4_920), year=2026, month=6).light == Light.GREEN


def test_pace_gap_between_ten_and_thirty_points_is_yellow():
    result = evaluate(building(4_800), year=2026, month=6)  # 40%: exactly 10 points
    assert result.light == Light.YELLOW
    assert "落后10.0个百分点" in result.reasons[0].text
    assert evaluate(building(2_450), year=2026, month=6).light == Light.YELLOW  # 29.6 points


def test_pace_gap_of_thirty_points_or_more_is_red():
    assert evaluate(building(2_400), year=2026, month=6).light == Light.RED


def test_pace_rule_needs_a_plan_for_the_year():
    assert "behind_pace" not in codes(evaluate(building(0, planned=None), year=2026, month=6))


def test_thresholds_are_configurable():
    t = Thresholds(pace_yellow_pp=Decimal(5), pace_red_pp=Decimal(8))
    assert evaluate(building(4_920), year=2026, month=6, thresholds=t).light == Light.RED


# --- investment statistics (入库) -----------------------------------------------------------


def started(in_stats=None, total=2 * YI):
    return ProjectFacts(
        stage=Stage.STARTED,
        started_on=dt.date(2026, 3, 10),
        total_investment=total,
        in_statistics_since=in_stats,
    )


def test_not_in_statistics_one_month_yellow_two_months_red():
    assert evaluate(started(), year=2026, month=3).light == Light.GREEN
    assert evaluate(started(), year=2026, month=4).light == Light.YELLOW
    assert evaluate(started(), year=2026, month=5).light == Light.RED
    assert evaluate(started(in_stats=dt.date(2026, 4, 1)), year=2026, month=5).light == Light.GREEN


def test_projects_below_the_statistics_threshold_are_not_expected_in_it():
    assert evaluate(started(total=Decimal(4_000_000)), year=2026, month=9).light == Light.GREEN


# --- agreement commitments -------------------------------------------------------------------


def test_production_deadline_missed():
    facts = ProjectFacts(
        stage=Stage.BUILDING,
        started_on=dt.date(2025, 1, 1),
        in_statistics_since=dt.date(2025, 2, 1),
        production_deadline=dt.date(2026, 6, 30),
    )
    assert evaluate(facts, year=2026, month=6).light == Light.GREEN
    assert evaluate(facts, year=2026, month=7).light == Light.YELLOW
    assert evaluate(facts, year=2026, month=10).light == Light.RED
    assert "未按协议约定投产" in evaluate(facts, year=2026, month=7).reasons[0].text


def test_investment_intensity_short_of_the_agreement():
    def producing(done):
        return ProjectFacts(
            stage=Stage.PRODUCING,
            land_mu=Decimal(100),
            committed_intensity=Decimal(3_000_000),
            completed_to_date=Decimal(done),
        )

    assert evaluate(producing(300_000_000), year=2026, month=6).light == Light.GREEN
    assert evaluate(producing(250_000_000), year=2026, month=6).light == Light.YELLOW
    result = evaluate(producing(200_000_000), year=2026, month=6)
    assert result.light == Light.RED
    assert "约定300.0万元/亩" in result.reasons[0].text and "实际200.0万元/亩" in result.reasons[0].text


def test_terminated_projects_have_no_light():
    facts = ProjectFacts(
        stage=Stage.TERMINATED, signed_on=dt.date(2020, 1, 1), start_deadline=dt.date(2020, 2, 1)
    )
    assert evaluate(facts, year=2026, month=6).light == Light.NONE


def test_several_reasons_are_all_listed_worst_first():
    facts = ProjectFacts(
        stage=Stage.STARTED,
        started_on=dt.date(2026, 1, 5),
        total_investment=2 * YI,
        planned_investment=Decimal(1_200),
        completed_ytd=Decimal(0),
        production_deadline=dt.date(2026, 5, 31),
    )
    result = evaluate(facts, year=2026, month=6)
    assert codes(result) == {"behind_pace", "not_in_statistics", "production_late"}
    assert result.light == Light.RED
    assert [LIGHT_RANK[r.level] for r in result.reasons] == sorted(
        (LIGHT_RANK[r.level] for r in result.reasons), reverse=True
    )


# --- properties ------------------------------------------------------------------------------

dates = st.dates(min_value=dt.date(2023, 1, 1), max_value=dt.date(2027, 12, 31))
money = st.decimals(min_value=0, max_value=10**10, places=2, allow_nan=False, allow_infinity=False)
facts_strategy = st.builds(
    ProjectFacts,
    stage=st.sampled_from(list(Stage)),
    total_investment=st.one_of(st.none(), money),
    signed_on=st.one_of(st.none(), dates),
    started_on=st.one_of(st.none(), dates),
    start_deadline=st.one_of(st.none(), dates),
    production_deadline=st.one_of(st.none(), dates),
    planned_investment=st.one_of(st.none(), money),
    completed_ytd=money,
    completed_to_date=money,
    in_statistics_since=st.one_of(st.none(), dates),
    land_mu=st.one_of(st.none(), st.decimals(min_value=0, max_value=5000, places=1)),
    committed_intensity=st.one_of(st.none(), money),
)
months = st.tuples(st.integers(2024, 2027), st.integers(1, 12))


@given(facts_strategy, months)
def test_the_light_is_the_worst_reason(facts, period):
    result = evaluate(facts, year=period[0], month=period[1])
    if facts.stage == Stage.TERMINATED:
        assert result.light == Light.NONE and not result.reasons
    elif result.reasons:
        assert result.light == max((r.level for r in result.reasons), key=LIGHT_RANK.get)
        assert all(r.text for r in result.reasons)
    else:
        assert result.light == Light.GREEN


@given(dates, dates, st.integers(0, 36))
def test_a_signed_project_waiting_longer_never_looks_better(signed_on, deadline, extra):
    facts = ProjectFacts(stage=Stage.SIGNED, signed_on=signed_on, start_deadline=deadline)
    earlier = month_end(2026, 1)
    later = add_months(earlier, extra)
    before = evaluate(facts, year=earlier.year, month=earlier.month).light
    after = evaluate(facts, year=later.year, month=later.month).light
    assert LIGHT_RANK[after] >= LIGHT_RANK[before]


@given(money, money, st.integers(1, 12))
def test_more_investment_done_never_worsens_the_pace_light(done, more, month):
    plan = Decimal(1_000_000)
    base = ProjectFacts(stage=Stage.BUILDING, planned_investment=plan, completed_ytd=done)
    better = ProjectFacts(stage=Stage.BUILDING, planned_investment=plan, completed_ytd=done + more)
    assert (
        LIGHT_RANK[evaluate(better, year=2026, month=month).light]
        <= LIGHT_RANK[evaluate(base, year=2026, month=month).light]
    )
