"""Units as dimension vectors, so that 金额/面积 (亩均税收) and 金额/金额 (a ratio) both work.

Equality of units compares dimensions only: a percentage and a plain number are both
dimensionless and may be compared or added; `percent` and `label` only steer display.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Order of the base dimensions in a unit's exponent vector.
BASE_DIMS = ("money", "count", "years", "area", "energy", "electricity", "mass")
_DIM_NAMES = {
    "money": "金额",
    "count": "数量",
    "years": "年数",
    "area": "面积",
    "energy": "能耗",
    "electricity": "电量",
    "mass": "排放量",
}
_ZERO = (0,) * len(BASE_DIMS)


def _dims(**exps: int) -> tuple[int, ...]:
    return tuple(exps.get(name, 0) for name in BASE_DIMS)


@dataclass(frozen=True)
class Unit:
    """A physical unit: exponents over BASE_DIMS; `percent` and `label` are display hints."""

    dims: tuple[int, ...]
    percent: bool = field(default=False, compare=False)
    label: str = field(default="", compare=False)

    @property
    def dimensionless(self) -> bool:
        return self.dims == _ZERO

    def times(self, other: Unit) -> Unit:
        dims = tuple(a + b for a, b in zip(self.dims, other.dims, strict=True))
        if dims == self.dims and other.dimensionless:
            return self
        if dims == other.dims and self.dimensionless:
            return other
        return Unit(dims, percent=False, label=_compound_label(dims))

    def over(self, other: Unit) -> Unit:
        dims = tuple(a - b for a, b in zip(self.dims, other.dims, strict=True))
        if other.dimensionless:
            return self
        if dims == _ZERO:
            # Same dimension over same dimension is a share: show it as a percentage.
            return RATIO
        return Unit(dims, percent=False, label=_quotient_label(self, other, dims))


def _quotient_label(a: Unit, b: Unit, dims: tuple[int, ...]) -> str:
    # 金额/从业人员 reads 元/人, not 元/个: keep the operands' own labels when both are simple.
    simple = a.label and b.label and not any(c in a.label + b.label for c in "/·%")
    return f"{a.label}/{b.label}" if simple else _compound_label(dims)


def _compound_label(dims: tuple[int, ...]) -> str:
    base = {
        "money": "元",
        "count": "个",
        "years": "年",
        "area": "亩",
        "energy": "吨标准煤",
        "electricity": "千瓦时",
        "mass": "吨",
    }
    num = [base[n] for n, e in zip(BASE_DIMS, dims, strict=True) if e > 0]
    den = [base[n] for n, e in zip(BASE_DIMS, dims, strict=True) if e < 0]
    return "·".join(num) + ("/" + "·".join(den) if den else "")


MONEY = Unit(_dims(money=1), label="元")
RATIO = Unit(_ZERO, percent=True, label="%")
NUMBER = Unit(_ZERO)
COUNT = Unit(_dims(count=1), label="个")
PERSONS = Unit(_dims(count=1), label="人")
ITEMS = Unit(_dims(count=1), label="项")
YEARS = Unit(_dims(years=1), label="年")
AREA = Unit(_dims(area=1), label="亩")
ENERGY = Unit(_dims(energy=1), label="吨标准煤")
ELECTRICITY = Unit(_dims(electricity=1), label="千瓦时")
MASS = Unit(_dims(mass=1), label="吨")

# Unit names accepted in the indicator catalogue.
UNITS_BY_NAME: dict[str, Unit] = {
    "money": MONEY,
    "ratio": RATIO,
    "percent": RATIO,
    "number": NUMBER,
    "count": COUNT,
    "persons": PERSONS,
    "items": ITEMS,
    "years": YEARS,
    "area": AREA,
    "energy": ENERGY,
    "electricity": ELECTRICITY,
    "mass": MASS,
}

# Literal suffixes: (unit, multiplier to the stored base unit).
LITERAL_SUFFIXES: dict[str, tuple[Unit, float]] = {
    "": (NUMBER, 1.0),
    "元": (MONEY, 1.0),
    "万": (MONEY, 1e4),
    "万元": (MONEY, 1e4),
    "亿": (MONEY, 1e8),
    "亿元": (MONEY, 1e8),
    "%": (RATIO, 0.01),
    "％": (RATIO, 0.01),
    "人": (PERSONS, 1.0),
    "项": (ITEMS, 1.0),
    "个": (COUNT, 1.0),
    "家": (COUNT, 1.0),
    "年": (YEARS, 1.0),
    "亩": (AREA, 1.0),
    "分": (NUMBER, 1.0),
    "吨标准煤": (ENERGY, 1.0),
    "千瓦时": (ELECTRICITY, 1.0),
    "万千瓦时": (ELECTRICITY, 1e4),
    "元/亩": (MONEY.over(AREA), 1.0),
    "万/亩": (MONEY.over(AREA), 1e4),
    "万元/亩": (MONEY.over(AREA), 1e4),
    "元/人": (MONEY.over(PERSONS), 1.0),
    "万/人": (MONEY.over(PERSONS), 1e4),
    "万元/人": (MONEY.over(PERSONS), 1e4),
}


def unit_name(unit: Unit) -> str:
    """The Chinese name of a unit's kind, used in type error messages (金额, 百分比, 金额/面积...)."""
    if unit.dimensionless:
        return "百分比" if unit.percent else "数值"
    num = [_DIM_NAMES[n] for n, e in zip(BASE_DIMS, unit.dims, strict=True) for _ in range(max(e, 0))]
    den = [_DIM_NAMES[n] for n, e in zip(BASE_DIMS, unit.dims, strict=True) for _ in range(max(-e, 0))]
    text = "×".join(num) if num else "1"
    return text + ("/" + "×".join(den) if den else "")


def unit_from_name(name: str) -> Unit:
    """Look up a catalogue unit name ("money", "ratio", ...); raises KeyError if unknown."""
    return UNITS_BY_NAME[name]


def additive(a: Unit, b: Unit) -> Unit | None:
    """Unit of a+b, a-b, min/max or the common unit of a comparison; None if incompatible."""
    if a.dims != b.dims:
        return None
    return a if a.percent or not b.percent else b
