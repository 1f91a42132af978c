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


def _fixed(number: Decimal, digits: int) -> str:
    quantum = Decimal(1).scaleb(-digits) if digits > 0 else Decimal(1)
    rounded = number.quantize(quantum, rounding=ROUND_HALF_UP)
    return f"{rounded:,.{digits}f}"


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


def mask_phone(value) -> str:
    """Keep the first three and last four digits of a phone number."""
    text = str(value or "")
    if len(text) < 7:
        return "*" * len(text)
    return f"{text[:3]}{'*' * (len(text) - 7)}{text[-4:]}"
