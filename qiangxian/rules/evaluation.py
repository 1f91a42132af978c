"""Evaluate expressions and saved rules over enterprises from the database.

The columnar snapshot comes from ``qiangxian.statistics.snapshot.build_snapshot`` (one builder for
the pool, the enterprise page and the rules), so a custom rule reads exactly the figures the
tier checks read. Callers choose the enterprises (a queryset already scoped to the user, or the
whole registry for a background job); :func:`evaluate_rule` and :func:`explain_rule` are the
entry points other modules (policies) use for saved rules.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import numpy as np
from django.utils import timezone

from qiangxian.enterprises.selectors import enterprise_list

from .catalogue import rule_catalogue
from .checking import compile_for
from .choices import Outcome as OutcomeChoice
from .choices import ResultType
from .engine import CriterionTrace, Expression, Snapshot, format_value, period_label
from .engine.explain import Outcome
from .engine.typed import BOOL, THolds, TJudge, TRef, TYears, walk
from .engine.vector import Tri
from .models import CustomRule

OUTCOME_KEYS = {Outcome.MET: OutcomeChoice.MET, Outcome.NOT_MET: OutcomeChoice.NOT_MET}
OUTCOME_LABELS = {
    OutcomeChoice.MET: "满足",
    OutcomeChoice.NOT_MET: "不满足",
    OutcomeChoice.UNKNOWN: "待定",
}
NUMBER_LABELS = {
    OutcomeChoice.MET: "有结果",
    OutcomeChoice.UNKNOWN: "无法计算",
}


def default_as_of() -> dt.date:
    """Rules are judged on today's date unless the user picks another."""
    return timezone.localdate()


def build_snapshot(*, enterprises, as_of: dt.date, with_sources: bool = False) -> Snapshot:
    """The snapshot of the given enterprises on a date, from the shared builder."""
    from qiangxian.statistics.snapshot import build_snapshot as tiers_build_snapshot

    return tiers_build_snapshot(
        enterprises=enterprises, as_of=as_of, catalogue=rule_catalogue(), with_sources=with_sources
    )


@dataclass
class RuleEvaluation:
    """A vectorised result: one outcome (and for numbers one value) per enterprise.

    ``outcome`` holds the engine's Outcome values (1 满足, 0 不满足, −1 待定); for a number it is
    1 where the value could be computed and −1 where data is missing.
    """

    expression: Expression
    result_type: str
    as_of: dt.date
    enterprise_ids: np.ndarray
    outcome: np.ndarray
    values: np.ndarray | None = None
    missing: dict[str, np.ndarray] = field(default_factory=dict)
    _rows: dict[int, int] | None = field(default=None, repr=False)

    @property
    def is_condition(self) -> bool:
        return self.expression.kind == BOOL

    @property
    def unit(self):
        return self.expression.typed.type.unit

    @property
    def size(self) -> int:
        return len(self.enterprise_ids)

    def counts(self) -> dict[str, int]:
        """How many enterprises are met / not met / unknown (numbers: computed / not computable)."""
        out = {
            OutcomeChoice.MET: int(np.count_nonzero(self.outcome == Outcome.MET)),
            OutcomeChoice.UNKNOWN: int(np.count_nonzero(self.outcome == Outcome.UNKNOWN)),
        }
        if self.is_condition:
            out[OutcomeChoice.NOT_MET] = int(np.count_nonzero(self.outcome == Outcome.NOT_MET))
        return out

    def labels(self) -> dict[str, str]:
        return OUTCOME_LABELS if self.is_condition else NUMBER_LABELS

    def total(self) -> float | None:
        """The sum of the computed values of a number (e.g. a subsidy's total amount)."""
        if self.values is None:
            return None
        known = self.values[~np.isnan(self.values)]
        return float(known.sum()) if known.size else None

    def row_of(self, enterprise_id: int) -> int | None:
        if self._rows is None:
            self._rows = {int(e): i for i, e in enumerate(self.enterprise_ids)}
        return self._rows.get(int(enterprise_id))

    def outcome_key(self, enterprise_id: int) -> str:
        """met / not_met / unknown for one enterprise (unknown when it is not in the result)."""
        row = self.row_of(enterprise_id)
        if row is None:
            return OutcomeChoice.UNKNOWN
        return OUTCOME_KEYS.get(Outcome(int(self.outcome[row])), OutcomeChoice.UNKNOWN)

    def value_of(self, enterprise_id: int) -> float | None:
        row = self.row_of(enterprise_id)
        if self.values is None or row is None:
            return None
        value = float(self.values[row])
        return None if math.isnan(value) else value

    def result_text(self, enterprise_id: int) -> str:
        """满足/不满足/待定 for a condition; the formatted value (or 无数据) for a number."""
        if self.is_condition:
            return OUTCOME_LABELS[self.outcome_key(enterprise_id)]
        return format_value(self.value_of(enterprise_id), self.unit)

    def missing_of(self, enterprise_id: int) -> list[str]:
        """The inputs an enterprise lacks among those the expression reads."""
        row = self.row_of(enterprise_id)
        if row is None:
            return ["不在评价范围内"]
        return [label for label, mask in self.missing.items() if mask[row]]


def _missing_masks(expression: Expression, snapshot: Snapshot) -> dict[str, np.ndarray]:
    """For every input the expression reads, where it is missing (label -> bool array)."""
    masks: dict[str, np.ndarray] = {}
    for node in walk(expression.typed):
        if isinstance(node, TRef):
            label = f"{node.indicator.name}（{period_label(node.period)}）"
            col = snapshot.column(node.indicator.identifier, node.period)
            mask = np.isnan(col).any(axis=1) if col.ndim == 2 else np.isnan(col)
        elif isinstance(node, THolds):
            label = f"资质：{node.name}"
            mask = ~snapshot.designation(node.name)[1]
        elif isinstance(node, TJudge):
            label = f"人工判断：{node.text}"
            mask = ~snapshot.judgement(node.text)[1]
        elif isinstance(node, TYears):
            label = "成立日期"
            mask = np.isnan(snapshot.years_since_established())
        else:
            continue
        masks.setdefault(label, mask)
    return masks


def evaluate_on_snapshot(
    expression: Expression, snapshot: Snapshot, *, result_type: str, as_of
) -> RuleEvaluation:
    """Evaluate a compiled expression over a snapshot (vectorised)."""
    result = expression.evaluate(snapshot)
    if isinstance(result, Tri):
        outcome = np.full(snapshot.size, Outcome.UNKNOWN, dtype=np.int8)
        outcome[result.val] = Outcome.MET
        outcome[result.known & ~result.val] = Outcome.NOT_MET
        values = None
    else:
        values = np.asarray(result, dtype=np.float64)
        outcome = np.where(np.isnan(values), Outcome.UNKNOWN, Outcome.MET).astype(np.int8)
    return RuleEvaluation(
        expression=expression,
        result_type=result_type,
        as_of=as_of,
        enterprise_ids=snapshot.enterprise_ids,
        outcome=outcome,
        values=values,
        missing=_missing_masks(expression, snapshot),
    )


def evaluate_expression(
    expression: Expression, *, enterprises, as_of: dt.date | None = None, result_type: str = ResultType.BOOL
) -> RuleEvaluation:
    """Evaluate a compiled expression over a queryset of enterprises on a date."""
    as_of = as_of or default_as_of()
    snapshot = build_snapshot(enterprises=enterprises, as_of=as_of)
    return evaluate_on_snapshot(expression, snapshot, result_type=result_type, as_of=as_of)


def explain_expression(expression: Expression, *, enterprise, as_of: dt.date | None = None) -> CriterionTrace:
    """One enterprise's trace: values used with period and source, comparisons, gaps, notes."""
    from qiangxian.enterprises.models import Enterprise

    as_of = as_of or default_as_of()
    snapshot = build_snapshot(
        enterprises=Enterprise.objects.filter(pk=enterprise.pk), as_of=as_of, with_sources=True
    )
    return expression.explain(snapshot, enterprise.pk)


def _enterprises_for(*, user, enterprises):
    if enterprises is None and user is None:
        raise ValueError("evaluate_rule needs the enterprises to judge or the user whose scope applies")
    if user is None:
        return enterprises
    visible = enterprise_list(user=user)
    return visible if enterprises is None else enterprises.filter(pk__in=visible.values("pk"))


def evaluate_rule(
    *, rule: CustomRule, user=None, enterprises=None, as_of: dt.date | None = None
) -> RuleEvaluation:
    """Evaluate a saved rule: over ``enterprises`` (a queryset), limited to what ``user`` may see.

    Either argument may be omitted (not both): a page passes the user, a background job of the
    policy module passes the enterprises it screens. Raises RuleError if the saved expression no
    longer compiles (for instance after an indicator was renamed).
    """
    expression = compile_for(rule.expression, rule.result_type)
    return evaluate_expression(
        expression,
        enterprises=_enterprises_for(user=user, enterprises=enterprises),
        as_of=as_of,
        result_type=rule.result_type,
    )


def explain_rule(*, rule: CustomRule, enterprise, as_of: dt.date | None = None) -> CriterionTrace:
    """The trace of a saved rule for one enterprise (the caller has checked access to it)."""
    trace = explain_expression(
        compile_for(rule.expression, rule.result_type), enterprise=enterprise, as_of=as_of
    )
    trace.code, trace.title = str(rule.pk), rule.name
    return trace


@dataclass(frozen=True)
class MatchRow:
    """One enterprise of a match list, with its outcome and (for numbers) its value."""

    pk: int
    name: str
    uscc: str
    town: str
    park: str
    outcome: str
    result: str
    value: float | None
    missing: tuple[str, ...]

    @property
    def outcome_label(self) -> str:
        return OUTCOME_LABELS[self.outcome]


def match_rows(evaluation: RuleEvaluation, *, enterprises, outcome: str = "") -> list[MatchRow]:
    """The enterprises of an evaluation with their outcome, filtered by outcome key if given.

    Conditions are listed by name; numbers by value, largest first, missing values last.
    """
    rows = []
    fields = ("pk", "name", "uscc", "town__name", "park__name")
    for pk, name, uscc, town, park in (
        enterprises.prefetch_related(None).order_by("name", "pk").values_list(*fields)
    ):
        key = evaluation.outcome_key(pk)
        if outcome and key != outcome:
            continue
        rows.append(
            MatchRow(
                pk=pk,
                name=name,
                uscc=uscc,
                town=town or "",
                park=park or "",
                outcome=key,
                result=evaluation.result_text(pk),
                value=evaluation.value_of(pk),
                missing=tuple(evaluation.missing_of(pk)) if key == OutcomeChoice.UNKNOWN else (),
            )
        )
    if not evaluation.is_condition:
        rows.sort(key=lambda r: (r.value is None, -(r.value or 0.0)))
    return rows


def export_rows(evaluation: RuleEvaluation, rows: list[MatchRow]) -> tuple[list[str], list[list]]:
    """Headers and rows of a match list's Excel export (numbers exported raw, with their unit)."""
    if evaluation.is_condition:
        headers = ["企业名称", "统一社会信用代码", "乡镇", "园区", "结果", "缺少的数据"]
        data = [[r.name, r.uscc, r.town, r.park, r.outcome_label, "、".join(r.missing)] for r in rows]
        return headers, data
    unit = evaluation.unit
    unit_text = unit.label if unit is not None and unit.label else ""
    value_header = f"结果（{unit_text}）" if unit_text else "结果"
    if unit is not None and unit.percent:
        value_header = "结果（比例，0.03 即 3%）"
    headers = ["企业名称", "统一社会信用代码", "乡镇", "园区", value_header, "显示值", "缺少的数据"]
    data = [[r.name, r.uscc, r.town, r.park, r.value, r.result, "、".join(r.missing)] for r in rows]
    return headers, data
