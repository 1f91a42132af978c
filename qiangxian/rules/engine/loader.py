"""Rule sets as data: read TOML files (see qiangxian/rules/builtin/ for examples)."""

from __future__ import annotations

import hashlib
import tomllib
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from .errors import RuleSetError
from .ruleset import Criterion, Group, RuleSet, pick_version

BUILTIN_DIR = Path(__file__).resolve().parent.parent / "builtin"


def _date(value: Any, field_name: str) -> date | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise RuleSetError(f"{field_name} 不是有效日期：{value}") from None


def ruleset_from_dict(data: dict[str, Any]) -> RuleSet:
    """Build a RuleSet from parsed TOML (or JSON from the database)."""
    try:
        criteria = tuple(
            Criterion(
                code=c["code"],
                title=c["title"],
                expression=c["expression"].strip(),
                kind=c.get("kind", "condition"),
                clause=c.get("clause", ""),
                group=c.get("group"),
                min_points=c.get("min_points"),
                max_points=c.get("max_points"),
                note=c.get("note", ""),
                scope=bool(c.get("scope", False)),
                labels=tuple(sorted((float(k), str(v)) for k, v in c.get("labels", {}).items())),
            )
            for c in data.get("criteria", [])
        )
        groups = tuple(Group(g["code"], g["title"], g.get("minimum")) for g in data.get("groups", []))
        start = _date(data["effective_from"], "effective_from")
        assert start is not None
        return RuleSet(
            code=data["code"],
            name=data["name"],
            version=str(data["version"]),
            source=data.get("source", ""),
            effective_from=start,
            effective_to=_date(data.get("effective_to"), "effective_to"),
            criteria=criteria,
            groups=groups,
            pass_mark=data.get("pass_mark"),
            notes=data.get("notes", ""),
            official_score=data.get("official_score"),
        )
    except KeyError as exc:
        raise RuleSetError(f"规则集缺少字段 {exc.args[0]}") from None


def load_ruleset(path: str | Path) -> RuleSet:
    """Read one rule set TOML file."""
    return ruleset_from_dict(tomllib.loads(Path(path).read_text(encoding="utf-8")))


def builtin_rulesets() -> list[RuleSet]:
    """All rule sets shipped in qiangxian/rules/builtin/ (every version)."""
    return [load_ruleset(p) for p in sorted(BUILTIN_DIR.glob("*.toml")) if p.name != "indicators.toml"]


@lru_cache(maxsize=1)
def builtin_rules_version() -> str:
    """A hash of the shipped rule files: results kept across a restart are dropped on an upgrade."""
    h = hashlib.sha256()
    for path in sorted(BUILTIN_DIR.glob("*.toml")):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def builtin_ruleset(code: str, on: date | None = None) -> RuleSet:
    """A built-in rule set by code: the version in force on `on`, or the newest one."""
    versions = [r for r in builtin_rulesets() if r.code == code]
    if not versions:
        raise KeyError(code)
    if on is None:
        return max(versions, key=lambda r: r.effective_from)
    found = pick_version(versions, on)
    if found is None:
        raise KeyError(f"{code} @ {on}")
    return found
