"""Sums of non-negative counts with one count unknown (docs/rules-language.md §5).

The engine does not assume an indicator is non-negative, so ``Ⅰ类 + Ⅱ类 ≥ 1`` is 待定 when one
class is missing. Criteria over counts are written so a known part that already reaches the
lower bound decides: ``Ⅰ类 ≥ 1 或 Ⅱ类 ≥ 1`` (bound 1), or in general
``a + b ≥ t 或 a ≥ t 或 b ≥ t``. These tests prove the written forms equal the "known partial sum"
reading for non-negative counts, on both evaluation paths.
"""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from qiangxian.rules.engine import Snapshot, Tri, builtin_catalogue, builtin_ruleset, compile_expression

_count = st.one_of(st.just(math.nan), st.integers(0, 6).map(float))


def partial_sum_reading(a: float, b: float, t: float) -> bool | None:
    """Met when the known counts already reach t; not met when all are known and fall short."""
    known = [x for x in (a, b) if not math.isnan(x)]
    if sum(known) >= t:
        return True
    return False if len(known) == 2 else None


def _both(text: str, a: list[float], b: list[float]) -> tuple[list, list]:
    snap = Snapshot(np.arange(len(a)), columns={("ip_class1", "current"): a, ("ip_class2", "current"): b})
    expr = compile_expression(text, builtin_catalogue(), expect="bool")
    tri = expr.evaluate(snap)
    assert isinstance(tri, Tri)
    vec = [bool(v) if k else None for v, k in zip(tri.val, tri.known, strict=True)]
    return vec, [expr.evaluate_row(snap, i)[0] for i in range(len(a))]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_count, _count), min_size=1, max_size=12))
def test_or_form_is_the_partial_sum_reading_for_a_bound_of_one(pairs) -> None:
    a, b = [p[0] for p in pairs], [p[1] for p in pairs]
    vec, rows = _both("Ⅰ类知识产权数 >= 1项 或 Ⅱ类知识产权数 >= 1项", a, b)
    expected = [partial_sum_reading(x, y, 1) for x, y in pairs]
    assert vec == rows == expected


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_count, _count), min_size=1, max_size=12), st.integers(1, 6))
def test_general_form_is_the_partial_sum_reading(pairs, t) -> None:
    a, b = [p[0] for p in pairs], [p[1] for p in pairs]
    text = f"Ⅰ类知识产权数 + Ⅱ类知识产权数 >= {t}项 或 Ⅰ类知识产权数 >= {t}项 或 Ⅱ类知识产权数 >= {t}项"
    vec, rows = _both(text, a, b)
    assert vec == rows == [partial_sum_reading(x, y, t) for x, y in pairs]


def test_a_plain_sum_stays_unknown_and_the_builtin_high_tech_rule_does_not() -> None:
    # Why the built-in criteria are written as an OR: the plain sum cannot decide.
    vec, _ = _both("Ⅰ类知识产权数 + Ⅱ类知识产权数 >= 1项", [2.0], [math.nan])
    assert vec == [None]
    rule = next(c for c in builtin_ruleset("high_tech").criteria if c.code == "core_ip")
    assert "Ⅰ类知识产权数 + Ⅱ类知识产权数" not in rule.expression
