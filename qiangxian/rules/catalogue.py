"""The names a custom rule may use, for the Django side of the rules app.

The built-in catalogue (``builtin/indicators.toml``) lists every indicator and designation the
tier rule sets use; the snapshot builder fills exactly these columns from the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .engine import Catalogue, builtin_catalogue
from .engine.units import unit_name


@lru_cache(maxsize=1)
def rule_catalogue() -> Catalogue:
    """The catalogue custom rules are checked against (read once per process)."""
    return builtin_catalogue()


@dataclass(frozen=True)
class IndicatorEntry:
    identifier: str
    name: str
    aliases: tuple[str, ...]
    unit: str
    description: str


def indicator_entries() -> list[IndicatorEntry]:
    """Every indicator with its Chinese unit kind, in catalogue order, for the insert list."""
    entries = []
    for ind in rule_catalogue().indicators.values():
        unit = "是/否" if ind.is_bool else unit_name(ind.unit)  # type: ignore[arg-type]
        entries.append(IndicatorEntry(ind.identifier, ind.name, ind.aliases, unit, ind.description))
    return entries


def designation_names() -> list[str]:
    """Designation names usable in 持有("…"), sorted for display."""
    return sorted(rule_catalogue().designations)
