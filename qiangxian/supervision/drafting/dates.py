"""Relative dates of a document ("明年一季度", "年底前", "6月底前") resolved against its date."""

from __future__ import annotations

import calendar
import datetime as dt
import re

_CN = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_YEAR = re.compile(r"(\d{4})年|(明年|来年)|(今年|本年|年内|全年|年底|年末)|(后年)")
_QUARTER = re.compile(r"(?:第)?([一二三四1-4])季度")
_HALF = re.compile(r"(上|下)半年")
_MONTH_DAY = re.compile(r"(\d{1,2})月(\d{1,2})日")
_MONTH = re.compile(r"(?<![\d-])(\d{1,2})月(?:份)?(?:底|末|中旬|上旬)?(?:前|以前|之前)")


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def default_year(text: str, doc_date: dt.date) -> int:
    """The year a document plans for: a year named in its opening (a 工作要点's title), else its own."""
    for match in re.finditer(r"(\d{4})年", text[:200]):
        year = int(match.group(1))
        if doc_date.year <= year <= doc_date.year + 1:
            return year
    return doc_date.year


def resolve(clause: str, doc_date: dt.date, year: int) -> tuple[str, dt.date | None]:
    """The period (in words) and the deadline a clause names; the plan year's end when it names none."""
    explicit = False
    match = _YEAR.search(clause)
    if match:
        explicit = True
        if match.group(1):
            candidate = int(match.group(1))
            year = candidate if 1990 <= candidate <= 2100 else year
        elif match.group(2):
            year = doc_date.year + 1
        elif match.group(4):
            year = doc_date.year + 2
        else:
            year = doc_date.year
    quarter = _QUARTER.search(clause)
    if quarter:
        q = _CN[quarter.group(1)]
        return f"{year}年第{q}季度", _month_end(year, q * 3)
    half = _HALF.search(clause)
    if half:
        first = half.group(1) == "上"
        return f"{year}年{'上' if first else '下'}半年", _month_end(year, 6 if first else 12)
    day = _MONTH_DAY.search(clause)
    if day:
        month, d = int(day.group(1)), int(day.group(2))
        if 1 <= month <= 12 and 1 <= d <= calendar.monthrange(year, month)[1]:
            return f"{year}年", dt.date(year, month, d)
    month = _MONTH.search(clause)
    if month and 1 <= int(month.group(1)) <= 12:
        return f"{year}年", _month_end(year, int(month.group(1)))
    del explicit
    return f"{year}年", dt.date(year, 12, 31)


def has_date(clause: str) -> bool:
    """Whether a clause names a time limit of its own."""
    return bool(
        _QUARTER.search(clause)
        or _HALF.search(clause)
        or _MONTH_DAY.search(clause)
        or _MONTH.search(clause)
        or re.search(r"年底前|年内|\d{4}年底|明年", clause)
    )
