"""What names a rule may use: indicators (with units and periods) and designations.

The Django side fills a Catalogue from the indicator catalogue; tests and the benchmark use
`builtin_catalogue()` (qiangxian/rules/builtin/indicators.toml).
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .units import Unit, unit_from_name

# Single-year periods, relative to the snapshot's reference year Y (本年 = Y).
CURRENT = "current"
LAST_YEAR = "last_year"
MAX_WINDOW = 5

_PERIOD_LABELS = {CURRENT: "本年", LAST_YEAR: "上年", "year_minus_2": "前年", "year_minus_3": "大前年"}
_PERIOD_ALIASES = {
    "本年": CURRENT,
    "当年": CURRENT,
    "当期": CURRENT,
    "本期": CURRENT,
    "current": CURRENT,
    "上年": LAST_YEAR,
    "上一年": LAST_YEAR,
    "去年": LAST_YEAR,
    "last_year": LAST_YEAR,
    "前年": "year_minus_2",
    "大前年": "year_minus_3",
}
_CN_DIGITS = {"两": 2, "二": 2, "三": 3, "四": 4, "五": 5}


def year_period(offset: int) -> str:
    """Canonical key of the single year Y-offset (0 -> current, 1 -> last_year, 2 -> year_minus_2)."""
    if offset == 0:
        return CURRENT
    if offset == 1:
        return LAST_YEAR
    return f"year_minus_{offset}"


def window_years(period: str) -> tuple[str, ...] | None:
    """Years of a window period, oldest first: last_2_years -> (year_minus_2, last_year); else None.

    A window of N years is the N completed years before the reference year (Y-N .. Y-1),
    the usual meaning of 近N年 in the tier criteria ("prior-year" figures and the years before).
    """
    match = re.fullmatch(r"last_(\d)_years", period)
    if not match:
        return None
    n = int(match.group(1))
    return tuple(year_period(k) for k in range(n, 0, -1))


def canonical_period(text: str) -> str | None:
    """Map a period as written (上年, 近2年, last_year, year_minus_2...) to its canonical key."""
    if text in _PERIOD_ALIASES:
        return _PERIOD_ALIASES[text]
    match = re.fullmatch(r"近([2-5两二三四五])年|last_([2-5])_years", text)
    if match:
        digit = match.group(1) or match.group(2)
        n = _CN_DIGITS.get(digit) or int(digit)
        return f"last_{n}_years"
    match = re.fullmatch(r"year_minus_([2-5])", text)
    if match:
        return text
    return None


def period_offset(period: str) -> int:
    """Years back from the reference year of a single-year period key (current -> 0, last_year -> 1)."""
    if period == CURRENT:
        return 0
    if period == LAST_YEAR:
        return 1
    match = re.fullmatch(r"year_minus_(\d)", period)
    if match is None:
        raise ValueError(f"not a single-year period: {period}")
    return int(match.group(1))


def period_label(period: str) -> str:
    """Chinese label of a canonical period key."""
    if period in _PERIOD_LABELS:
        return _PERIOD_LABELS[period]
    years = window_years(period)
    if years:
        return f"近{len(years)}年"
    match = re.fullmatch(r"year_minus_(\d)", period)
    return f"{match.group(1)}年前" if match else period


ALL_PERIODS: frozenset[str] = frozenset(
    [year_period(k) for k in range(MAX_WINDOW + 1)] + [f"last_{n}_years" for n in range(2, MAX_WINDOW + 1)]
)


@dataclass(frozen=True)
class Indicator:
    """One indicator a rule may reference. `unit` is a Unit or the string "bool" (0/1 columns)."""

    identifier: str
    name: str
    unit: Unit | str
    periods: frozenset[str] = ALL_PERIODS
    default_period: str = CURRENT
    aliases: tuple[str, ...] = ()
    description: str = ""

    @property
    def is_bool(self) -> bool:
        return self.unit == "bool"

    def allows(self, period: str) -> bool:
        """Whether the period (a single year or a window) may be used with this indicator."""
        if period in self.periods:
            return True
        years = window_years(period)
        return bool(years) and all(y in self.periods for y in years)


@dataclass
class Catalogue:
    """Indicators by identifier, Chinese name and aliases; plus the known designation names."""

    indicators: dict[str, Indicator] = field(default_factory=dict)
    designations: set[str] = field(default_factory=set)
    _by_name: dict[str, Indicator] = field(default_factory=dict, repr=False, init=False)

    def __post_init__(self) -> None:
        given, self.indicators = self.indicators, {}
        for indicator in given.values():
            self.add(indicator)

    def add(self, indicator: Indicator) -> Indicator:
        """Register an indicator; names and aliases must be unique across the catalogue."""
        for key in (indicator.identifier, indicator.name, *indicator.aliases):
            other = self._by_name.get(key)
            if other is not None and other.identifier != indicator.identifier:
                raise ValueError(f"指标名称“{key}”重复：{other.identifier} 与 {indicator.identifier}")
        self.indicators[indicator.identifier] = indicator
        for key in (indicator.identifier, indicator.name, *indicator.aliases):
            self._by_name[key] = indicator
        return indicator

    def add_indicator(
        self,
        identifier: str,
        name: str,
        unit: str | Unit,
        *,
        periods: Iterable[str] | None = None,
        default_period: str = CURRENT,
        aliases: Iterable[str] = (),
        description: str = "",
    ) -> Indicator:
        """Convenience form of `add`: unit by name ("money", "ratio", "persons", "bool"...)."""
        resolved: Unit | str = unit if isinstance(unit, Unit) or unit == "bool" else unit_from_name(unit)
        return self.add(
            Indicator(
                identifier=identifier,
                name=name,
                unit=resolved,
                periods=frozenset(periods) if periods is not None else ALL_PERIODS,
                default_period=default_period,
                aliases=tuple(aliases),
                description=description,
            )
        )

    def add_designation(self, name: str) -> None:
        """Register a designation name usable in 持有("...")."""
        self.designations.add(name)

    def lookup(self, name: str) -> Indicator | None:
        """Find an indicator by identifier, Chinese name or alias."""
        return self._by_name.get(name)

    def suggest(self, name: str, *, designations: bool = False) -> list[str]:
        """Close matches for an unknown name (shown as "是否指…")."""
        pool = sorted(self.designations) if designations else [i.name for i in self.indicators.values()]
        if not designations:
            pool += list(self.indicators)
        found = difflib.get_close_matches(name, pool, n=3, cutoff=0.5)
        if not found and not designations:
            # Chinese names are short: also offer names that contain, or are contained in, the input.
            found = [p for p in pool if len(p) >= 2 and (p in name or name in p)][:3]
        return found


def load_catalogue(path: str | Path) -> Catalogue:
    """Read a catalogue TOML file ([[indicator]] tables and a `designations` list)."""
    data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    catalogue = Catalogue()
    for item in data.get("indicator", []):
        catalogue.add_indicator(
            item["identifier"],
            item["name"],
            item["unit"],
            periods=item.get("periods"),
            default_period=item.get("default_period", CURRENT),
            aliases=item.get("aliases", ()),
            description=item.get("description", ""),
        )
    for name in data.get("designations", []):
        catalogue.add_designation(name)
    return catalogue


def builtin_catalogue() -> Catalogue:
    """The indicators and designations the built-in rule sets use."""
    return load_catalogue(Path(__file__).resolve().parent.parent / "builtin" / "indicators.toml")
