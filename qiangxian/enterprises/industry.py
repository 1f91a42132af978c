"""GB/T 4754-2017 国民经济行业分类, sections B, C and D (the statistical definition of 工业).

The classification ships as ``data/gbt4754_2017.csv`` (see ``data/README.md`` for its provenance) and
is loaded once per process. Codes follow the standard: 门类 a letter, 大类 2 digits, 中类 3, 小类 4.
Enterprises store the 4-digit 小类; the 大类 is its first two digits.

Pure Python; no Django imports.
"""

from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

__all__ = [
    "DATA_FILE",
    "INDUSTRIAL_SECTIONS",
    "LEVELS",
    "MANUFACTURING_SECTION",
    "IndustryClass",
    "all_industries",
    "classes_in_division",
    "division_of",
    "divisions_in_section",
    "get_industry",
    "is_industrial",
    "is_manufacturing",
    "lineage",
    "search_industries",
    "section_of",
    "validate_industry_code",
]

DATA_FILE = Path(__file__).resolve().parent / "data" / "gbt4754_2017.csv"

LEVELS = ("section", "division", "group", "class")
_LEVEL_NAMES = {"section": "门类", "division": "大类", "group": "中类", "class": "小类"}
_CODE_LENGTH = {"division": 2, "group": 3, "class": 4}

# 工业 in Chinese statistics = 采矿业 + 制造业 + 电力、热力、燃气及水生产和供应业.
INDUSTRIAL_SECTIONS = frozenset({"B", "C", "D"})
MANUFACTURING_SECTION = "C"

# Every 2-digit division 01-97 exists in the 2017 edition; only B-D are shipped, so a code in another
# division is outside the platform's scope rather than absent from the standard.
_STANDARD_DIVISIONS = range(1, 98)


@dataclass(frozen=True)
class IndustryClass:
    """One node of the classification: a section, division, group or class.

    ``parent`` is the code of the node above ("" for a section); ``section`` the letter it belongs to.
    """

    code: str
    name: str
    level: str
    parent: str
    section: str

    @property
    def level_name(self) -> str:
        """The level in Chinese: 门类, 大类, 中类 or 小类."""
        return _LEVEL_NAMES[self.level]

    @property
    def division(self) -> str:
        """The 2-digit 大类 code ("" for a section)."""
        return "" if self.level == "section" else self.code[:2]

    @property
    def label(self) -> str:
        """Code and name as shown in forms and tables, e.g. "1311 稻谷加工"."""
        return f"{self.code} {self.name}"

    def __str__(self) -> str:
        return self.label


@cache
def _load() -> dict[str, IndustryClass]:
    nodes: dict[str, IndustryClass] = {}
    with DATA_FILE.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            code, level, parent = row["code"], row["level"], row["parent"]
            if level not in LEVELS:
                raise ValueError(f"{DATA_FILE.name}: unknown level {level!r} for {code}")
            section = code if level == "section" else nodes[parent].section
            nodes[code] = IndustryClass(
                code=code, name=row["name"], level=level, parent=parent, section=section
            )
    return nodes


def _clean(code: str) -> str:
    # Full-width digits arrive from pasted spreadsheets; NFKC folds them to ASCII.
    return unicodedata.normalize("NFKC", code or "").strip().upper()


def all_industries(level: str | None = None) -> list[IndustryClass]:
    """Every node in code order, optionally only one level ("section", "division", "group", "class")."""
    if level is not None and level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}")
    return [node for node in _load().values() if level is None or node.level == level]


def get_industry(code: str) -> IndustryClass | None:
    """Look up a section letter, division, group or class code; None if it is not in the shipped data."""
    return _load().get(_clean(code))


def lineage(code: str) -> list[IndustryClass]:
    """The node and its ancestors, from the section down: [C, 13, 131, 1311]. Empty if unknown."""
    nodes = _load()
    node = nodes.get(_clean(code))
    chain: list[IndustryClass] = []
    while node is not None:
        chain.append(node)
        node = nodes.get(node.parent) if node.parent else None
    return chain[::-1]


def division_of(code4: str) -> str:
    """The 2-digit 大类 of a class (or group) code: division_of("1951") == "19"."""
    code = _clean(code4)
    if len(code) < 2 or not code[:2].isdigit():
        raise ValueError(f"“{code4}”不是行业代码")
    return code[:2]


def section_of(code: str) -> str | None:
    """The section letter of any code, from its division; None outside the shipped sections B-D."""
    code = _clean(code)
    if len(code) == 1:
        node = _load().get(code)
        return node.code if node else None
    if len(code) < 2 or not code[:2].isdigit():
        return None
    node = _load().get(code[:2])
    return node.section if node else None


def is_industrial(code: str) -> bool:
    """True when the code lies in 采矿业 (B), 制造业 (C) or 电力、热力、燃气及水生产和供应业 (D)."""
    return section_of(code) in INDUSTRIAL_SECTIONS


def is_manufacturing(code: str) -> bool:
    """True when the code lies in 制造业 (section C, divisions 13-43)."""
    return section_of(code) == MANUFACTURING_SECTION


def divisions_in_section(section: str) -> list[IndustryClass]:
    """The divisions (大类) of a section, in code order."""
    section = _clean(section)
    return [node for node in _load().values() if node.level == "division" and node.section == section]


def classes_in_division(div: str) -> list[IndustryClass]:
    """The 4-digit classes (小类) of a division, in code order; empty for an unknown division."""
    div = _clean(div)
    return [node for node in _load().values() if node.level == "class" and node.code[:2] == div]


def search_industries(
    query: str, level: str | None = "class", limit: int | None = None
) -> list[IndustryClass]:
    """Find industries by code prefix (when the query is all digits) or by name substring.

    By default only classes are returned, since those are what an enterprise records; pass
    ``level=None`` for every level. Results are in code order.
    """
    if level is not None and level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}")
    query = _clean(query)
    if not query:
        return []
    if query.isdigit():

        def matches(node: IndustryClass) -> bool:
            return node.level != "section" and node.code.startswith(query)

    elif len(query) == 1 and query.isalpha() and query in _load():

        def matches(node: IndustryClass) -> bool:
            return node.section == query

    else:

        def matches(node: IndustryClass) -> bool:
            return query in node.name

    found = [node for node in _load().values() if (level is None or node.level == level) and matches(node)]
    return found[:limit] if limit is not None else found


def validate_industry_code(code: str) -> tuple[bool, str]:
    """Check that ``code`` is a 4-digit 小类 of GB/T 4754-2017 within sections B-D.

    Returns (True, "") or (False, a Chinese message saying what is wrong and what is expected).
    """
    cleaned = _clean(code)
    if not cleaned:
        return False, "请填写行业代码（4位小类代码，如 1311）"
    node = _load().get(cleaned)
    if node is not None and node.level != "class":
        return False, (
            f"行业代码应为4位小类代码，如 1311；“{cleaned}”是{node.level_name}“{node.name}”，请选择其下的小类"
        )
    if len(cleaned) != 4 or not cleaned.isdigit():
        return False, "行业代码应为4位小类代码，如 1311"
    if node is not None:
        return True, ""
    if _load().get(cleaned[:2]) is None and int(cleaned[:2]) in _STANDARD_DIVISIONS:
        return False, (
            f"行业代码“{cleaned}”不属于工业门类（B 采矿业、C 制造业、D 电力、热力、燃气及水生产和供应业），"
            "平台只登记这三个门类的小类"
        )
    return False, f"行业代码“{cleaned}”不在 GB/T 4754-2017 中"
