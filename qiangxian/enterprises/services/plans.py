"""Cultivation plans (一企一策): opening a plan with its measures, tracking measures, milestones, reviews."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from qiangxian.core.concurrency import STALE, same_version
from qiangxian.core.models import OrgUnit

from ..choices import DesignationKind, MeasureStatus, PlanStatus
from ..models import CultivationPlan, Enterprise, PlanMeasure, PlanMilestone, PlanReview
from .registry import can_edit_enterprise, is_liaison

PLAN_FIELDS = [
    "target_tier",
    "target_year",
    "status",
    "summary",
    "baseline_year",
    "baseline_revenue",
    "baseline_rd_expense",
    "baseline_employees",
    "baseline_ip_count",
]
MEASURE_FIELDS = [
    "content",
    "responsible_unit",
    "deadline",
    "status",
    "progress_notes",
    "completed_on",
    "sort_order",
]


def can_edit_plan(user, enterprise: Enterprise) -> bool:
    """Those who may edit the enterprise, and its liaisons, keep its plan up to date."""
    return can_edit_enterprise(user, enterprise) or is_liaison(user, enterprise)


def _check_plan(plan: CultivationPlan) -> None:
    errors: dict[str, str] = {}
    if plan.target_tier not in DesignationKind.values:
        errors["target_tier"] = "请选择培育目标。"
    if not plan.target_year or not 2000 <= int(plan.target_year) <= 2100:
        errors["target_year"] = "目标年度应为四位年份。"
    for key in ("baseline_revenue", "baseline_rd_expense"):
        value = getattr(plan, key)
        if value is not None and Decimal(value) < 0:
            errors[key] = "金额不能为负数。"
    if plan.target_tier and plan.target_year and plan.status in (PlanStatus.DRAFT, PlanStatus.ACTIVE):
        clash = (
            CultivationPlan.objects.filter(
                enterprise=plan.enterprise,
                target_tier=plan.target_tier,
                status__in=[PlanStatus.DRAFT, PlanStatus.ACTIVE],
            )
            .exclude(pk=plan.pk)
            .first()
        )
        if clash:
            errors["target_tier"] = f"该企业已有同一目标的在办计划（{clash}），请在原计划中调整。"
    if errors:
        raise ValidationError(errors)


def _unit(value) -> OrgUnit | None:
    if value in (None, ""):
        return None
    if isinstance(value, OrgUnit):
        return value
    if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
        unit = OrgUnit.objects.filter(pk=int(value)).first()
    else:
        unit = OrgUnit.objects.filter(name=str(value).strip()).first()
    if unit is None:
        raise ValidationError({"responsible_unit": f"找不到责任单位“{value}”。"})
    return unit


def _apply_measure(measure: PlanMeasure, data: dict) -> PlanMeasure:
    for key, value in data.items():
        if key in ("responsible_unit", "responsible_unit_id"):
            measure.responsible_unit = _unit(value)
        elif key in MEASURE_FIELDS:
            setattr(
                measure,
                key,
                value
                if value is not None or key not in ("progress_notes", "status")
                else ("" if key == "progress_notes" else MeasureStatus.PENDING),
            )
    measure.content = (measure.content or "").strip()
    if not measure.content:
        raise ValidationError({"content": "请填写措施内容。"})
    if measure.status == MeasureStatus.DONE and measure.completed_on is None:
        measure.completed_on = dt.date.today()
    if measure.status != MeasureStatus.DONE:
        measure.completed_on = None
    measure.full_clean(exclude=["plan"])
    return measure


@transaction.atomic
def plan_create(
    *,
    actor,
    enterprise: Enterprise,
    target_tier: str,
    target_year: int,
    measures: list[dict] | None = None,
    **fields,
) -> CultivationPlan:
    """Open a cultivation plan with its starting measures.

    ``measures`` are dicts with ``content`` and optionally ``responsible_unit`` (an OrgUnit, its id or
    its name), ``deadline``, ``status`` and ``progress_notes``. Other modules (the cultivation pool)
    call this to open a plan for an enterprise they select.
    """
    if not can_edit_plan(actor, enterprise):
        raise PermissionDenied("您无权为该企业制定培育计划。")
    plan = CultivationPlan(
        enterprise=enterprise,
        target_tier=target_tier,
        target_year=target_year,
        created_by=actor if actor.is_authenticated else None,
    )
    for key, value in fields.items():
        if key in PLAN_FIELDS and key not in ("target_tier", "target_year"):
            setattr(plan, key, value if value is not None or key != "summary" else "")
    _check_plan(plan)
    plan.full_clean()
    plan._history_user = actor
    plan.save()
    for index, data in enumerate(measures or []):
        measure = _apply_measure(PlanMeasure(plan=plan, sort_order=index), dict(data))
        measure._history_user = actor
        measure.save()
    return plan


@transaction.atomic
def plan_update(*, actor, plan: CultivationPlan, expected_updated_at=None, **fields) -> CultivationPlan:
    """Change a plan's target, status, summary or baseline figures.

    With ``expected_updated_at`` (the plan's ``updated_at`` when the user read it), a change
    someone else saved meanwhile is refused instead of overwritten.
    """
    if not can_edit_plan(actor, plan.enterprise):
        raise PermissionDenied("您无权修改该培育计划。")
    plan = CultivationPlan.objects.select_for_update().get(pk=plan.pk)
    if not same_version(plan.updated_at, expected_updated_at):
        raise ValidationError("该培育计划已被他人修改，请刷新页面后重新编辑。", code=STALE)
    for key, value in fields.items():
        if key in PLAN_FIELDS:
            setattr(plan, key, value if value is not None or key != "summary" else "")
    _check_plan(plan)
    plan.full_clean()
    plan._history_user = actor
    plan.save()
    return plan


@transaction.atomic
def measure_save(
    *, actor, plan: CultivationPlan, measure: PlanMeasure | None = None, **fields
) -> PlanMeasure:
    """Add a measure to a plan or update one (status, progress notes, deadline...)."""
    if not can_edit_plan(actor, plan.enterprise):
        raise PermissionDenied("您无权修改该培育计划。")
    if measure is None:
        measure = PlanMeasure(plan=plan, sort_order=plan.measures.count())
    measure = _apply_measure(measure, fields)
    measure._history_user = actor
    measure.save()
    return measure


@transaction.atomic
def milestone_save(
    *,
    actor,
    plan: CultivationPlan,
    milestone: PlanMilestone | None = None,
    title: str,
    due_on: dt.date,
    achieved_on: dt.date | None = None,
) -> PlanMilestone:
    """Add or change a milestone of a plan."""
    if not can_edit_plan(actor, plan.enterprise):
        raise PermissionDenied("您无权修改该培育计划。")
    milestone = milestone or PlanMilestone(plan=plan)
    milestone.title, milestone.due_on, milestone.achieved_on = (title or "").strip(), due_on, achieved_on
    if not milestone.title:
        raise ValidationError({"title": "请填写节点名称。"})
    milestone.full_clean()
    milestone._history_user = actor
    milestone.save()
    return milestone


@transaction.atomic
def review_create(
    *, actor, plan: CultivationPlan, reviewed_on: dt.date, period: str, rating: str, conclusion: str = ""
) -> PlanReview:
    """Record a periodic review of a plan."""
    if not can_edit_plan(actor, plan.enterprise):
        raise PermissionDenied("您无权评估该培育计划。")
    review = PlanReview(
        plan=plan,
        reviewed_on=reviewed_on,
        period=(period or "").strip(),
        rating=rating,
        conclusion=(conclusion or "").strip(),
        reviewer=actor,
    )
    if not review.period:
        raise ValidationError({"period": "请填写评估期，如“2026年二季度”。"})
    review.full_clean()
    review._history_user = actor
    review.save()
    return review
