"""Working days (工作日) under the official holiday schedule, for every deadline counted in days of work.

The schedule comes from the ``chinese-calendar`` package, which carries the State Council's
published holidays and adjusted working weekends (调休) year by year (version 1.11.0: 2004 to
2026). The State Council publishes a year's schedule in the autumn before it, so deadlines that
run past the package's last year are normal. For a date outside the covered years the count
falls back to Monday to Friday and ``is_estimated(day)`` says so, so pages can label such a date
"按周一至周五估算"; upgrading the package when the next year's schedule is published removes the
estimate without any other change.

Counting is done on a table of working-day ranks (how many working days up to a date), so a
count across years is two lookups, not a walk day by day.
"""

from __future__ import annotations

import bisect
import datetime as dt
from functools import lru_cache

import chinese_calendar

ONE_DAY = dt.timedelta(days=1)


@lru_cache(maxsize=1)
def covered_years() -> tuple[int, int]:
    """The first and last year the installed schedule covers."""
    known = [*chinese_calendar.holidays, *chinese_calendar.workdays]
    return min(known).year, max(known).year


def is_estimated(day: dt.date) -> bool:
    """True when ``day`` lies outside the published schedule (Monday to Friday is assumed)."""
    first, last = covered_years()
    return not first <= day.year <= last


def is_working_day(day: dt.date) -> bool:
    """Official working day: not a public holiday, and either a weekday or an adjusted working weekend."""
    if is_estimated(day):
        return day.weekday() < 5
    return chinese_calendar.is_workday(day)


@lru_cache(maxsize=1)
def _table() -> tuple[dt.date, dt.date, list[int], list[int]]:
    """Covered range, the rank (working days since the first covered day, inclusive) per day, and
    the ordinals of the working days in order."""
    first_year, last_year = covered_years()
    start, end = dt.date(first_year, 1, 1), dt.date(last_year, 12, 31)
    ranks: list[int] = []
    ordinals: list[int] = []
    count = 0
    day = start
    while day <= end:
        if chinese_calendar.is_workday(day):
            count += 1
            ordinals.append(day.toordinal())
        ranks.append(count)
        day += ONE_DAY
    return start, end, ranks, ordinals


def _weekdays_through(day: dt.date) -> int:
    """Mondays to Fridays from a fixed Monday (0001-01-01) up to and including ``day``."""
    weeks, rest = divmod(day.toordinal(), 7)  # 0001-01-01, ordinal 1, is a Monday
    return weeks * 5 + min(rest, 5)


def _rank(day: dt.date) -> int:
    """Working days from the start of the covered range up to and including ``day`` (may be negative)."""
    start, end, ranks, _ = _table()
    if day < start:
        return _weekdays_through(day) - _weekdays_through(start - ONE_DAY)
    if day > end:
        return ranks[-1] + _weekdays_through(day) - _weekdays_through(end)
    return ranks[(day - start).days]


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when end is not later).

    An item accepted on Friday and approved the next Monday took one working day.
    """
    if end <= start:
        return 0
    return _rank(end) - _rank(start)


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date ``days`` working days after ``start`` (a lead received on the eve of the Spring
    Festival holiday is due on the first working day after it)."""
    if days <= 0:
        return start
    table_start, table_end, _, ordinals = _table()
    if table_start <= start <= table_end:
        position = bisect.bisect_right(ordinals, start.toordinal()) + days - 1
        if position < len(ordinals):
            return dt.date.fromordinal(ordinals[position])
    current, remaining = start, days
    while remaining > 0:
        current += ONE_DAY
        if is_working_day(current):
            remaining -= 1
    return current


def next_working_day(day: dt.date) -> dt.date:
    """``day`` itself when it is a working day, else the first working day after it."""
    return day if is_working_day(day) else add_working_days(day, 1)
