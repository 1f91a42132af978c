"""Stage transitions and working days: pure rules."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qiangxian.core.workdays import add_working_days, is_working_day, working_days_between
from qiangxian.projects.choices import STAGE_ORDER, Stage
from qiangxian.projects.transitions import check_transition, dates_after

TODAY = dt.date(2026, 6, 30)
EMPTY = {
    "signed_on": None,
    "started_on": None,
    "completed_on": None,
    "producing_on": None,
    "at_capacity_on": None,
    "terminated_on": None,
}


def check(current, target, on=dt.date(2026, 6, 1), reason="", last=None, **dates):
    return check_transition(
        current=current,
        target=target,
        on=on,
        today=TODAY,
        last_change_on=last,
        dates={**EMPTY, **dates},
        reason=reason,
    )


def test_a_lead_may_be_signed_without_recorded_negotiation():
    assert check(Stage.SOURCING, Stage.SIGNED) == []


def test_no_start_before_signing():
    assert check(Stage.NEGOTIATING, Stage.STARTED) == ["项目尚未签约，不能登记开工。请先登记签约。"]


def test_no_production_before_start():
    errors = check(Stage.SIGNED, Stage.PRODUCING, signed_on=dt.date(2026, 1, 1))
    assert errors == ["项目尚未开工，不能登记投产。请先登记开工。"]


def test_dates_in_order():
    errors = check(Stage.SIGNED, Stage.STARTED, on=dt.date(2026, 1, 5), signed_on=dt.date(2026, 2, 1))
    assert errors == ["开工日期（2026-01-05）不能早于签约日期（2026-02-01）。"]
    assert check(
        Stage.SIGNED,
        Stage.STARTED,
        on=dt.date(2026, 1, 5),
        last=dt.date(2026, 2, 1),
        signed_on=dt.date(2026, 1, 1),
    ) == ["阶段变更日期不能早于上一次阶段变更日期（2026-02-01）。"]
    assert "阶段变更日期不能晚于今天。" in check(Stage.SOURCING, Stage.NEGOTIATING, on=dt.date(2026, 7, 1))


def test_going_back_needs_a_reason():
    errors = check(Stage.STARTED, Stage.SIGNED, signed_on=dt.date(2026, 1, 1), started_on=dt.date(2026, 2, 1))
    assert errors == ["阶段从“开工”退回“签约”须填写原因。"]
    assert (
        check(
            Stage.STARTED,
            Stage.SIGNED,
            reason="误登记",
            signed_on=dt.date(2026, 1, 1),
            started_on=dt.date(2026, 2, 1),
        )
        == []
    )


def test_termination_needs_a_reason_and_reopening_too():
    assert check(Stage.SIGNED, Stage.TERMINATED) == ["终止项目须填写终止原因。"]
    assert check(Stage.SIGNED, Stage.TERMINATED, reason="投资方撤资") == []
    assert check(Stage.TERMINATED, Stage.NEGOTIATING) == ["恢复已终止的项目须填写原因。"]


def test_same_stage_is_refused():
    assert check(Stage.BUILDING, Stage.BUILDING) == ["项目已处于“在建”阶段。"]


def test_dates_after_sets_the_milestone_and_clears_later_ones_going_back():
    dates = dates_after(
        current=Stage.SIGNED,
        target=Stage.STARTED,
        on=dt.date(2026, 3, 1),
        dates={**EMPTY, "signed_on": dt.date(2026, 1, 1)},
    )
    assert dates["started_on"] == dt.date(2026, 3, 1)
    back = dates_after(
        current=Stage.PRODUCING,
        target=Stage.STARTED,
        on=dt.date(2026, 6, 1),
        dates={
            **EMPTY,
            "signed_on": dt.date(2026, 1, 1),
            "started_on": dt.date(2026, 2, 1),
            "producing_on": dt.date(2026, 5, 1),
        },
    )
    assert back["producing_on"] is None and back["started_on"] == dt.date(2026, 2, 1)


@given(st.sampled_from(STAGE_ORDER), st.sampled_from(STAGE_ORDER))
def test_every_backward_move_without_reason_is_refused(current, target):
    if STAGE_ORDER.index(target) < STAGE_ORDER.index(current):
        all_dates = {k: dt.date(2026, 1, 1) for k in EMPTY if k != "terminated_on"}
        assert check(current, target, **all_dates)


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (dt.date(2026, 11, 20), 1, dt.date(2026, 11, 23)),  # Friday + 1 = Monday
        (dt.date(2026, 11, 20), 3, dt.date(2026, 11, 25)),
        (dt.date(2026, 11, 21), 1, dt.date(2026, 11, 23)),  # Saturday + 1 = Monday
        (dt.date(2026, 11, 23), 0, dt.date(2026, 11, 23)),
    ],
)
def test_add_working_days_skips_weekends(start, days, expected):
    assert add_working_days(start, days) == expected


@given(st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2028, 1, 1)), st.integers(0, 40))
def test_working_days_round_trip(start, days):
    end = add_working_days(start, days)
    assert working_days_between(start, end) == days
    assert days == 0 or is_working_day(end)
