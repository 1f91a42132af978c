"""Number formatting in the units Chinese officials read: 万元, 亿元, %, 个百分点."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

WAN = Decimal(10_000)
YI = Decimal(100_000_000)


def to_decimal(value) -> Decimal | None:
    """A Decimal from anything numeric; None for blanks and non-numbers."""
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        return value
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def round_half_up(value, digits: int = 1) -> Decimal | None:
    """The one rounding of the platform, for pages, API display fields and exports alike.

    Half up (a growth of 12.25% shows as 12.3% everywhere), computed from Decimal, never
    from a binary float; a result that rounds to zero is +0 (no "-0.0").
    """
    number = to_decimal(value)
    if number is None:
        return None
    quantum = Decimal(1).scaleb(-digits) if digits > 0 else Decimal(1)
    rounded = number.quantize(quantum, rounding=ROUND_HALF_UP)
    return abs(rounded) if rounded == 0 else rounded


def percent_number(ratio, digits: int = 1) -> Decimal | None:
    """A ratio (0.1925) as the rounded number of percent or 个百分点 a page shows (19.3)."""
    number = to_decimal(ratio)
    return None if number is None else round_half_up(number * 100, digits)


def _fixed(number: Decimal, digits: int) -> str:
    return f"{round_half_up(number, digits):,.{max(digits, 0)}f}"


def format_money(value, unit: str = "auto", digits: int = 2) -> str:
    """Yuan formatted in 万元 or 亿元 with the unit written; "—" when unknown."""
    number = to_decimal(value)
    if number is None:
        return "—"
    if unit == "auto":
        unit = "yi" if abs(number) >= YI else "wan"
    if unit == "yi":
        return f"{_fixed(number / YI, digits)}亿元"
    if unit == "wan":
        return f"{_fixed(number / WAN, digits)}万元"
    return f"{_fixed(number, digits)}元"


MONEY_UNIT_LABELS = {"yi": "亿元", "wan": "万元", "yuan": "元"}


def money_unit(values) -> str:
    """One unit for a whole column: 亿元 when any amount reaches one hundred million, else 万元."""
    numbers = [abs(n) for n in map(to_decimal, values) if n is not None]
    return "yi" if numbers and max(numbers) >= YI else "wan"


def format_in_unit(value, unit: str, digits: int = 2) -> str:
    """An amount in a column's unit, the unit written once in the header: 12.35 (万元)."""
    number = to_decimal(value)
    if number is None:
        return "—"
    divisor = {"yi": YI, "wan": WAN}.get(unit, Decimal(1))
    return _fixed(number / divisor, digits)


def format_percent(value, digits: int = 1) -> str:
    """A ratio as a percentage with one decimal, as statistics releases write it."""
    number = to_decimal(value)
    if number is None:
        return "—"
    return f"{_fixed(number * 100, digits)}%"


def format_pp(value, digits: int = 1) -> str:
    """A difference of percentages in 个百分点 (value given in points)."""
    number = to_decimal(value)
    if number is None:
        return "—"
    return f"{_fixed(number, digits)}个百分点"


def format_month(value) -> str:
    """A month (stored as its first day) as officials write it: 2026年11月, never 2026年11月1日."""
    return f"{value.year}年{value.month}月" if value else "—"


def mask_id_number(value) -> str:
    """A resident ID number with only its first and last four characters: 3601**********123X."""
    text = str(value or "")
    if len(text) <= 8:
        return "*" * len(text)
    return f"{text[:4]}{'*' * (len(text) - 8)}{text[-4:]}"


def mask_phone(value) -> str:
    """Keep the first three and last four digits of a phone number."""
    text = str(value or "")
    if len(text) < 7:
        return "*" * len(text)
    return f"{text[:3]}{'*' * (len(text) - 7)}{text[-4:]}"
