"""Working days follow the official schedule: holidays off, adjusted weekends (调休) worked."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from qiangxian.core import workdays
from qiangxian.core.workdays import (
    add_working_days,
    covered_years,
    is_estimated,
    is_working_day,
    working_days_between,
)

D = dt.date


def naive_between(start, end):
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        count += is_working_day(day)
    return count


def test_spring_festival_2026_follows_the_official_schedule():
    # 2026: holiday 15-23 February; Saturday 14 and Saturday 28 February are working days.
    assert is_working_day(D(2026, 2, 14)) and is_working_day(D(2026, 2, 28))
    assert not any(is_working_day(D(2026, 2, d)) for d in range(15, 24))
    # Submitted on Friday 13 Feb with a 3-working-day limit: due 14 Feb (Sat, 调休), 24, 25 Feb.
    assert add_working_days(D(2026, 2, 13), 3) == D(2026, 2, 25)
    # 13 Feb -> 27 Feb: 14, 24, 25, 26, 27 = 5 working days; Monday to Friday would give 10.
    assert working_days_between(D(2026, 2, 13), D(2026, 2, 27)) == 5
    assert working_days_between(D(2026, 2, 13), D(2026, 2, 28)) == 6


def test_national_day_and_mid_autumn_2026():
    # 25 Sep (中秋) and 1-7 Oct off; Sunday 20 Sep and Saturday 10 Oct worked.
    assert is_working_day(D(2026, 9, 20)) and is_working_day(D(2026, 10, 10))
    assert not is_working_day(D(2026, 9, 25))
    assert not any(is_working_day(D(2026, 10, d)) for d in range(1, 8))
    # 30 Sep + 1 working day is 8 Oct, not 1 Oct.
    assert add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 8)
    # 18 Sep -> 12 Oct: 20,21,22,23,24,28,29,30, 8,9,10,12 = 12.
    assert working_days_between(D(2026, 9, 18), D(2026, 10, 12)) == 12


def test_dates_beyond_the_schedule_fall_back_to_weekdays_and_say_so():
    first, last = covered_years()
    assert first <= 2026 <= last
    beyond = D(last + 1, 1, 4)
    assert is_estimated(beyond) and not is_estimated(D(last, 6, 1))
    assert is_working_day(D(last + 1, 1, 5)) == (D(last + 1, 1, 5).weekday() < 5)
    # Counting across the boundary is continuous with the day-by-day definition.
    start = D(last, 12, 20)
    assert working_days_between(start, D(last + 1, 1, 31)) == naive_between(start, D(last + 1, 1, 31))


dates = st.dates(min_value=D(2003, 6, 1), max_value=D(2028, 6, 30))


@settings(max_examples=200, deadline=None)
@given(dates, st.integers(min_value=0, max_value=400))
def test_between_counts_like_walking_day_by_day(start, span):
    end = start + dt.timedelta(days=span)
    assert working_days_between(start, end) == naive_between(start, end)
    assert working_days_between(end, start) == 0 if span else True


@settings(max_examples=200, deadline=None)
@given(dates, st.integers(min_value=1, max_value=120))
def test_add_is_the_inverse_of_between(start, days):
    due = add_working_days(start, days)
    assert is_working_day(due)
    assert working_days_between(start, due) == days
    assert working_days_between(start, due - dt.timedelta(days=1)) == days - 1


def test_projects_use_the_shared_calendar():
    from qiangxian.projects import selectors

    assert selectors.add_working_days is workdays.add_working_days
