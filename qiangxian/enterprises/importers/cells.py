"""Reading one registry cell: dates, areas and months as offices write them."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from qiangxian.core.sheets import cell_text


def parse_date(value) -> dt.date | None:
    """A date cell (a date, 2015-06-01, 2015/6/1, 20150601, 2015年6月1日); ValueError otherwise."""
    if value in ("", None):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip().replace("/", "-").replace(".", "-")
    for fmt in ("%Y-%m-%d", "%Y%m%d", "%Y年%m月%d日"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError("日期格式应为 2015-06-01")


def parse_area(value) -> Decimal | None:
    """An area in mu: a non-negative number with at most two decimals, read through its text."""
    if value in ("", None):
        return None
    try:
        # Through str, never float arithmetic: 12.3 stays 12.3.
        number = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation as exc:
        raise ValueError("应为数字") from exc
    if number < 0:
        raise ValueError("不能为负数")
    if number != number.quantize(Decimal("0.01")):
        raise ValueError("最多保留两位小数")
    return number.quantize(Decimal("0.01"))


_MONTH = re.compile(r"^(\d{4})\s*(?:年|-|/|\.)?\s*(\d{1,2})\s*月?(?:[-/.]\d{1,2}日?)?$")


def parse_month(value) -> dt.date | None:
    """A month cell (2026-05, 2026年5月, 202605, a date): the first day of that month."""
    if value in ("", None):
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return dt.date(value.year, value.month, 1)
    match = _MONTH.match(cell_text(value))
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ValueError("月份格式应为 2026-05 或 2026年5月")
    return dt.date(int(match.group(1)), int(match.group(2)), 1)
