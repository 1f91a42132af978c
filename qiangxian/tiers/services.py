"""Writes of the tiers app: assessment data, judgements, and a cultivation plan opened from the gaps."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from qiangxian.enterprises.models import CultivationPlan, Enterprise
from qiangxian.enterprises.services import can_edit_enterprise, can_edit_plan
from qiangxian.enterprises.services.plans import plan_create
from qiangxian.statistics.snapshot import build_snapshot

from . import tiers as tier_defs
from .evaluation import NearRule, evaluate_tier
from .models import AssessmentAward, AssessmentDesignation, AssessmentJudgement, AssessmentValue
from .selectors import evaluation_date, row_detail

MEASURE_MAX = 300


def can_assess(user, enterprise: Enterprise) -> bool:
    """Who records assessment data: those who may edit the enterprise (office, its town or park)."""
    return can_edit_enterprise(user, enterprise)


def _require(actor, enterprise: Enterprise) -> None:
    if not can_assess(actor, enterprise):
        raise PermissionDenied("您无权录入该企业的评价数据。")


def _year(year) -> int:
    try:
        value = int(year)
    except (TypeError, ValueError):
        raise ValidationError({"year": "年度应为四位年份。"}) from None
    if not 2000 <= value <= 2100:
        raise ValidationError({"year": "年度应为四位年份。"})
    return value


@transaction.atomic
def assessment_value_save(
    *, actor, enterprise: Enterprise, indicator: str, year: int, value, source_note: str = ""
) -> AssessmentValue:
    """Record (or correct) one indicator value for a year, in the engine's units."""
    _require(actor, enterprise)
    found = tier_defs.catalogue().lookup(indicator)
    if found is None:
        raise ValidationError({"indicator": f"指标“{indicator}”不在指标目录中。"})
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError({"value": "请填写数值。"}) from None
    if not amount.is_finite():
        raise ValidationError({"value": "请填写数值。"})
    if found.is_bool and amount not in (0, 1):
        raise ValidationError({"value": "是/否类指标只能填 1（是）或 0（否）。"})
    unit = found.unit
    counted = not found.is_bool and not isinstance(unit, str) and unit.label in ("项", "年", "人")
    if (counted or found.identifier.endswith("_score")) and amount < 0:
        raise ValidationError({"value": "该指标不能为负数。"})
    record = AssessmentValue.objects.filter(
        enterprise=enterprise, indicator=found.identifier, year=_year(year)
    ).first() or AssessmentValue(enterprise=enterprise, indicator=found.identifier, year=_year(year))
    record.value = amount
    record.source_note = (source_note or "").strip()
    record.entered_by = actor
    record.full_clean()
    record._history_user = actor
    record.save()
    return record


@transaction.atomic
def assessment_designation_save(
    *,
    actor,
    enterprise: Enterprise,
    name: str,
    held: bool,
    evidence: str = "",
    valid_to: dt.date | None = None,
) -> AssessmentDesignation:
    """Record whether an enterprise holds a qualification the registry does not track."""
    _require(actor, enterprise)
    if name not in tier_defs.assessment_designations():
        raise ValidationError({"name": f"“{name}”不是可录入的资质或事项；称号请在企业称号中登记。"})
    record = AssessmentDesignation.objects.filter(
        enterprise=enterprise, name=name
    ).first() or AssessmentDesignation(enterprise=enterprise, name=name)
    record.held = bool(held)
    record.evidence = (evidence or "").strip()
    record.valid_to = valid_to
    record.recorded_by = actor
    record.full_clean()
    record._history_user = actor
    record.save()
    return record


@transaction.atomic
def judgement_save(
    *,
    actor,
    enterprise: Enterprise,
    criterion: str,
    satisfied: bool,
    reason: str,
    judged_on: dt.date | None = None,
) -> AssessmentJudgement:
    """Record a person's judgement of a qualitative criterion (who and when are kept)."""
    _require(actor, enterprise)
    texts = {text for text, _ in tier_defs.judgement_texts()}
    if criterion not in texts:
        raise ValidationError({"criterion": "该判断事项不在现行规则中。"})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写判断依据。"})
    record = AssessmentJudgement.objects.filter(enterprise=enterprise, criterion=criterion).first() or (
        AssessmentJudgement(enterprise=enterprise, criterion=criterion)
    )
    record.satisfied = bool(satisfied)
    record.reason = reason
    record.judged_on = judged_on or evaluation_date()
    record.judged_by = actor
    record.full_clean()
    record._history_user = actor
    record.save()
    return record


@transaction.atomic
def assessment_award_save(
    *,
    actor,
    enterprise: Enterprise,
    name: str,
    level: str,
    awarded_on: dt.date,
    rank: int | None = None,
    evidence: str = "",
) -> AssessmentAward:
    """Record a science and technology award with its level, the enterprise's rank and its date."""
    _require(actor, enterprise)
    if awarded_on is None:
        raise ValidationError({"awarded_on": "请填写授奖日期。"})
    if awarded_on > evaluation_date():
        raise ValidationError({"awarded_on": "授奖日期不能晚于今天。"})
    if rank is not None and rank < 1:
        raise ValidationError({"rank": "排名应为 1 及以上的整数（第几完成单位）。"})
    record = AssessmentAward(
        enterprise=enterprise,
        name=(name or "").strip(),
        level=level,
        rank=rank,
        awarded_on=awarded_on,
        evidence=(evidence or "").strip(),
        recorded_by=actor,
    )
    record.full_clean()
    record._history_user = actor
    record.save()
    return record


@transaction.atomic
def judgement_bulk_save(
    *,
    actor,
    enterprises: list[Enterprise],
    criterion: str,
    satisfied: bool,
    reason: str,
    judged_on: dt.date | None = None,
) -> list[AssessmentJudgement]:
    """Record the same judgement for a list of enterprises: all of them, or none.

    Every enterprise is checked first (permission, criterion, reason); one refusal names the
    enterprise and changes nothing.
    """
    if not enterprises:
        raise ValidationError({"enterprises": "请至少选择一家企业。"})
    denied = [e.name for e in enterprises if not can_assess(actor, e)]
    if denied:
        raise PermissionDenied(f"您无权录入以下企业的人工判断：{'、'.join(denied)}。")
    return [
        judgement_save(
            actor=actor,
            enterprise=e,
            criterion=criterion,
            satisfied=satisfied,
            reason=reason,
            judged_on=judged_on,
        )
        for e in enterprises
    ]


@transaction.atomic
def assessment_delete(*, actor, record) -> None:
    """Remove one assessment record (its history keeps what it said)."""
    _require(actor, record.enterprise)
    record._history_user = actor
    record.delete()


def plan_target_year(as_of: dt.date) -> int:
    """Plans opened in the last quarter aim at next year's round of applications."""
    return as_of.year + 1 if as_of.month >= 10 else as_of.year


def gap_measures(*, enterprise: Enterprise, tier_code: str, as_of: dt.date, snapshot=None) -> list[dict]:
    """Starting measures for a plan: one per gap, then one to complete the missing data."""
    tier = tier_defs.TIER_BY_CODE[tier_code]
    if snapshot is None:
        snapshot = build_snapshot(enterprises=Enterprise.objects.filter(pk=enterprise.pk), as_of=as_of)
    ev = evaluate_tier(tier, snapshot, on=as_of, near=NearRule.from_settings())
    if ev is None:
        return []
    detail = row_detail(ev, snapshot, enterprise.pk)
    year = plan_target_year(as_of)
    measures = [
        {"content": _clip(f"补齐差距：{gap}"), "deadline": dt.date(year, 6, 30)} for gap in detail.gaps
    ]
    if detail.missing:
        measures.append(
            {"content": _clip("补充评价数据：" + "；".join(detail.missing)), "deadline": dt.date(year, 3, 31)}
        )
    for text in detail.confirm:
        measures.append({"content": _clip(f"待确认：{text}"), "deadline": dt.date(year, 3, 31)})
    return measures


def _clip(text: str) -> str:
    return text if len(text) <= MEASURE_MAX else text[: MEASURE_MAX - 1] + "…"


def plan_from_gaps(
    *, actor, enterprise: Enterprise, tier_code: str, as_of: dt.date | None = None
) -> CultivationPlan:
    """Open a cultivation plan (一企一策) towards a tier with the current gaps as its measures."""
    if tier_code not in tier_defs.TIER_BY_CODE:
        raise ValidationError({"target_tier": "请选择培育目标。"})
    if not can_edit_plan(actor, enterprise):
        raise PermissionDenied("您无权为该企业制定培育计划。")
    as_of = as_of or evaluation_date()
    tier = tier_defs.TIER_BY_CODE[tier_code]
    snapshot = build_snapshot(enterprises=Enterprise.objects.filter(pk=enterprise.pk), as_of=as_of)
    measures = gap_measures(enterprise=enterprise, tier_code=tier_code, as_of=as_of, snapshot=snapshot)
    return plan_create(
        actor=actor,
        enterprise=enterprise,
        target_tier=tier_code,
        target_year=plan_target_year(as_of),
        measures=measures,
        summary=(
            f"依据{as_of:%Y年%m月%d日}梯度评价，对照《{tier_defs.pick_version(tier_code, as_of).name}》"
            f"培育为{tier.label}；按现有数据测算，不代表官方认定。"
        ),
        **_baseline(snapshot, as_of),
    )


def _baseline(snapshot, as_of: dt.date) -> dict:
    """Last year's figures as the plan's starting point (only those we hold)."""

    def last_year(identifier: str):
        value = snapshot.value_at(identifier, "last_year", 0)
        return None if math.isnan(value) else value

    out: dict = {"baseline_year": as_of.year - 1}
    for key, identifier in (("baseline_revenue", "revenue"), ("baseline_rd_expense", "rd_expense")):
        value = last_year(identifier)
        if value is not None:
            out[key] = Decimal(str(round(value, 2)))
    for key, identifier in (("baseline_employees", "employees"), ("baseline_ip_count", "ip_class1")):
        value = last_year(identifier)
        if value is not None:
            out[key] = int(value)
    return out
