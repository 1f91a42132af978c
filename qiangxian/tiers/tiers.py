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
from qiangxian.rules.engine.catalogue import period_label, period_offset, window_years, year_period
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


def _expressions(ruleset: RuleSet) -> list:
    """Every expression a rule set evaluates: its criteria and its official score input."""
    compiled_set = _compiled(ruleset.code, ruleset.version)
    extra = [compiled_set.official] if compiled_set.official is not None else []
    return [*compiled_set.expressions.values(), *extra]


def assessment_designations() -> list[str]:
    """Designation names the office records as assessment data (the registry holds the titles,
    awards are recorded as awards), plus the declaration that an enterprise's awards are complete."""
    skip = set(REGISTRY_DESIGNATIONS.values()) | set(AWARD_DESIGNATIONS)
    return sorted([*(n for n in catalogue().designations if n not in skip), AWARDS_COMPLETE])


@lru_cache(maxsize=1)
def judgement_texts() -> tuple[tuple[str, str], ...]:
    """Every 人工判断("...") text in the built-in rule sets, with the rule set's name, deduplicated."""
    out: dict[str, str] = {}
    for ruleset in _all_rulesets():
        for expression in _expressions(ruleset):
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
        for expression in _expressions(ruleset):
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
        for expression in _expressions(ruleset):
            for node in walk(expression.typed):
                if isinstance(node, TRef):
                    refs.add((node.indicator.identifier, node.period))
    return frozenset(refs)


@lru_cache(maxsize=1)
def read_offsets() -> dict[str, frozenset[int]]:
    """Per indicator, the years (back from the evaluation year: 0 = 本年, 1 = 上年...) a rule reads."""
    out: dict[str, set[int]] = {}
    for identifier, period in rule_identifiers():
        years = window_years(period) or (period,)
        out.setdefault(identifier, set()).update(period_offset(p) for p in years)
    return {k: frozenset(v) for k, v in out.items()}


def read_years_text(identifier: str, year: int | None = None) -> str:
    """Which year(s) the rules read an indicator for: "本年", or "本年（2026年）" given the year."""
    offsets = sorted(read_offsets().get(identifier, ()))
    if not offsets:
        return "不被现行规则读取"
    labels = []
    for k in offsets:
        label = period_label(year_period(k))
        labels.append(label if year is None else f"{label}（{year - k}年）")
    return "、".join(labels)


def year_warning(identifier: str, year: int, as_of: dt.date) -> str | None:
    """A warning when a value is entered for a year no rule reads (it would change no judgement)."""
    offsets = read_offsets().get(identifier)
    if not offsets or as_of.year - year in offsets:
        return None
    return (
        f"{indicator_name(identifier)}：规则读取{read_years_text(identifier, as_of.year)}的数值，"
        f"{year}年的数值不会被任何规则使用（按评价日期 {as_of.isoformat()}）；"
        "如是本年的数据，请按规则读取的年度录入。"
    )


# Awards (科技奖励) are recorded with their level, rank and date; the rule sets' "近N年…" names are
# worked out from them on the evaluation date, never entered as flags.
# name -> (levels that count, best rank required (None = any), years back)
AWARD_DESIGNATIONS: dict[str, tuple[frozenset[str], int | None, int]] = {
    "近三年省级以上科技奖励": (frozenset({"national", "provincial"}), None, 3),
    "近三年省级科技奖励排名前三": (frozenset({"provincial"}), 3, 3),
    "近三年国家级科技奖励排名前三": (frozenset({"national"}), 3, 3),
    "近三年国家级科技奖励排名前五": (frozenset({"national"}), 5, 3),
    "近五年国家级科技奖励排名前三": (frozenset({"national"}), 3, 5),
}
# Recorded by the office once an enterprise's awards are all entered: from then on "no award in
# the window" is known, not unknown.
AWARDS_COMPLETE = "科技奖励已全部录入"


def years_before(day: dt.date, years: int) -> dt.date:
    """The same calendar day ``years`` earlier (29 February falls back to the 28th)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)
