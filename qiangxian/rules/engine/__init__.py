"""The rule language engine: pure Python (lark + numpy), no Django.

Typical use::

    cat = Catalogue()
    cat.add_indicator("rd_expense", "研发费用", "money")
    expr = compile_expression("研发费用@上年 >= 100万", cat, expect="bool")
    tri = expr.evaluate(snapshot)            # vectorised: Tri(val, known)
    trace = expr.explain(snapshot, 42)       # one enterprise, with values and gaps

    compiled = builtin_ruleset("innovative_sme").compile(builtin_catalogue())
    result = compiled.evaluate(snapshot)     # RuleSetResult, outcome per enterprise
    explanation = compiled.explain(snapshot, 42)
"""

from .catalogue import Catalogue, Indicator, builtin_catalogue, canonical_period, load_catalogue, period_label
from .checker import check
from .errors import Pos, RuleError, RuleNameError, RuleSetError, RuleSyntaxError, RuleTypeError
from .explain import CheckTrace, CriterionTrace, Outcome, ValueUsed
from .expression import Expression, compile_expression
from .formatting import format_difference, format_money, format_percent, format_value
from .loader import builtin_ruleset, builtin_rulesets, load_ruleset, ruleset_from_dict
from .parser import parse
from .printer import to_text
from .ruleset import CompiledRuleSet, Criterion, Explanation, Group, RuleSet, RuleSetResult, pick_version
from .snapshot import Snapshot
from .units import Unit
from .vector import Tri

__all__ = [
    "Catalogue",
    "CheckTrace",
    "CompiledRuleSet",
    "Criterion",
    "CriterionTrace",
    "Explanation",
    "Expression",
    "Group",
    "Indicator",
    "Outcome",
    "Pos",
    "RuleError",
    "RuleNameError",
    "RuleSet",
    "RuleSetError",
    "RuleSetResult",
    "RuleSyntaxError",
    "RuleTypeError",
    "Snapshot",
    "Tri",
    "Unit",
    "ValueUsed",
    "builtin_catalogue",
    "builtin_ruleset",
    "builtin_rulesets",
    "canonical_period",
    "check",
    "compile_expression",
    "format_difference",
    "format_money",
    "format_percent",
    "format_value",
    "load_catalogue",
    "load_ruleset",
    "parse",
    "period_label",
    "pick_version",
    "ruleset_from_dict",
    "to_text",
]
