"""The tier ladder and how the built-in rule sets, the registry and the engine's names line up.

Kept apart from the evaluation so the snapshot, the forms and the pages share one mapping.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from qiangxian.enterprises.choices import DesignationKind
from qiangxian.rules.engine import Catalogue, CompiledRuleSet, RuleSet, builtin_catalogue, builtin_rulesets
from qiangxian.rules.engine import pick_version as engine_pick_version
from qiangxian.rules.engine.typed import THolds, TJudge, TRef, walk


@dataclass(frozen=True)
class Tier:
    """One rung of the ladder: the rule set that tests it and the registry title that holds it."""

    code: str  # the rule set code, also the DesignationKind value (plans target it)
    label: str
    designation: str  # the engine's designation name for 持有("...")


# Ladder order (criteria.md §1.1); 中小企业划型 is a size class, not a tier: shown on the
# enterprise page but not in the pool.
TIERS: tuple[Tier, ...] = (
    Tier("above_scale", "规模以上工业企业", "规模以上工业企业"),
    Tier("tech_sme", "科技型中小企业", "科技型中小企业"),
    Tier("innovative_sme", "创新型中小企业", "创新型中小企业"),
    Tier("high_tech", "高新技术企业", "高新技术企业"),
    Tier("srdi_sme", "专精特新中小企业", "专精特新中小企业"),
    Tier("little_giant", "专精特新“小巨人”", "专精特新小巨人"),
    Tier("single_champion", "制造业单项冠军", "制造业单项冠军"),
)
TIER_BY_CODE = {t.code: t for t in TIERS}
EXTRA_RULESETS = ("sme_size",)

# Registry titles (enterprises.Designation.kind) as the rule sets name them in 持有("...").
# The registry is the county's record of these titles: not listed means not held.
REGISTRY_DESIGNATIONS: dict[str, str] = {
    DesignationKind.ABOVE_SCALE: "规模以上工业企业",
    DesignationKind.TECH_SME: "科技型中小企业",
    DesignationKind.INNOVATIVE_SME: "创新型中小企业",
    DesignationKind.HIGH_TECH: "高新技术企业",
    DesignationKind.SRDI_SME: "专精特新中小企业",
    DesignationKind.LITTLE_GIANT: "专精特新小巨人",
    DesignationKind.SINGLE_CHAMPION: "制造业单项冠军",
}
assert all(t.code in DesignationKind.values for t in TIERS)


@lru_cache(maxsize=1)
def catalogue() -> Catalogue:
    """The engine catalogue the built-in rule sets are checked against."""
    return builtin_catalogue()


def indicator_name(identifier: str) -> str:
    """The Chinese name of a catalogue indicator (the identifier itself if it left the catalogue)."""
    found = catalogue().indicators.get(identifier)
    return found.name if found is not None else identifier


@lru_cache(maxsize=1)
def _all_rulesets() -> tuple[RuleSet, ...]:
    return tuple(builtin_rulesets())


def versions(code: str) -> list[RuleSet]:
    """Every built-in version of a rule set."""
    return [r for r in _all_rulesets() if r.code == code]


def pick_version(code: str, on: dt.date) -> RuleSet | None:
    """The version in force on a date (the engine's pick_version over the built-in versions)."""
    return engine_pick_version(versions(code), on)


@lru_cache(maxsize=64)
def _compiled(code: str, version: str) -> CompiledRuleSet:
    found = next(r for r in versions(code) if r.version == version)
    return found.compile(catalogue())


def compiled(code: str, on: dt.date) -> CompiledRuleSet | None:
    """The version in force on a date, compiled once per process."""
    ruleset = pick_version(code, on)
    return None if ruleset is None else _compiled(ruleset.code, ruleset.version)


def assessment_designations() -> list[str]:
    """Designation names the office records as assessment data (the registry holds the rest)."""
    registry = set(REGISTRY_DESIGNATIONS.values())
    return sorted(n for n in catalogue().designations if n not in registry)


@lru_cache(maxsize=1)
def judgement_texts() -> tuple[tuple[str, str], ...]:
    """Every 人工判断("...") text in the built-in rule sets, with the rule set's name, deduplicated."""
    out: dict[str, str] = {}
    for ruleset in _all_rulesets():
        compiled_set = _compiled(ruleset.code, ruleset.version)
        for expression in compiled_set.expressions.values():
            for node in walk(expression.typed):
                if isinstance(node, TJudge) and node.text not in out:
                    out[node.text] = ruleset.name
    return tuple(sorted(out.items()))


@lru_cache(maxsize=1)
def referenced_names() -> tuple[frozenset[str], frozenset[str]]:
    """(indicator identifiers, designation names) the built-in rule sets use."""
    refs: set[str] = set()
    holds: set[str] = set()
    for ruleset in _all_rulesets():
        for expression in _compiled(ruleset.code, ruleset.version).expressions.values():
            for node in walk(expression.typed):
                if isinstance(node, TRef):
                    refs.add(node.indicator.identifier)
                elif isinstance(node, THolds):
                    holds.add(node.name)
    return frozenset(refs), frozenset(holds)


@lru_cache(maxsize=1)
def rule_identifiers() -> frozenset[tuple[str, str]]:
    """(indicator, period) pairs the built-in rule sets read: what the pool's snapshot needs."""
    refs: set[tuple[str, str]] = set()
    for ruleset in _all_rulesets():
        for expression in _compiled(ruleset.code, ruleset.version).expressions.values():
            for node in walk(expression.typed):
                if isinstance(node, TRef):
                    refs.add((node.indicator.identifier, node.period))
    return frozenset(refs)
