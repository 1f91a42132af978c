"""Writes of approval items, templates and regional assessments: keyword-only, one transaction,
validated first (every refusal in Chinese, nothing saved), history kept, the light refreshed."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from qiangxian.core.choices import OrgUnitKind, Role
from qiangxian.core.models import OrgUnit
from qiangxian.core.workdays import working_days_between

from .. import services as project_services
from ..choices import ProjectKind
from ..models import (
    ApprovalItem,
    ApprovalKind,
    ApprovalTemplate,
    ApprovalTemplateItem,
    Project,
    RegionalAssessment,
)
from . import catalogue

ACTIONS = {
    "submit": "申报",
    "accept": "受理",
    "approve": "办结",
    "return": "退回补正",
    "not_applicable": "标记不适用",
    "reopen": "恢复办理",
}


# --- permissions ----------------------------------------------------------------------------


def can_record(user, item: ApprovalItem) -> bool:
    """The project's editors, the office, and the staff of the approving unit."""
    if project_services.can_edit_project(user, item.project):
        return True
    return (
        user.is_authenticated
        and user.role == Role.BUREAU
        and item.unit_id is not None
        and user.org_unit_id == item.unit_id
    )


def _require_manage(actor) -> None:
    if not project_services.can_manage_settings(actor):
        raise PermissionDenied("只有领导小组办公室可以维护手续清单和区域评估。")


# --- catalogue and templates ------------------------------------------------------------------


@transaction.atomic
def ensure_catalogue() -> None:
    """Create the built-in kinds and templates once (units matched by name when they exist)."""
    if ApprovalKind.objects.exists():
        return
    units = {u.name: u for u in OrgUnit.objects.exclude(kind=OrgUnitKind.ENTERPRISE)}
    kinds = {}
    for order, (code, name, category, unit, statutory, promised, phase, regional, aliases) in enumerate(
        catalogue.KINDS
    ):
        kind = ApprovalKind(
            code=code,
            name=name,
            category=category,
            default_unit=units.get(unit),
            statutory_days=statutory,
            promised_days=promised,
            phase=phase,
            regional=regional,
            aliases=aliases,
            sort_order=order,
        )
        kind.save()
        kinds[code] = kind
    for project_kind, codes in catalogue.TEMPLATES.items():
        template = ApprovalTemplate.objects.create(project_kind=project_kind)
        ApprovalTemplateItem.objects.bulk_create(
            ApprovalTemplateItem(template=template, kind=kinds[code], position=i)
            for i, code in enumerate(codes)
        )


def check_limits(statutory_days, promised_days) -> dict[str, list[str]]:
    """Limits are whole working days above zero, the promise within the law."""
    errors: dict[str, list[str]] = {}
    for field, label, value in (
        ("statutory_days", "法定时限", statutory_days),
        ("promised_days", "承诺时限", promised_days),
    ):
        if value is None or value <= 0:
            errors[field] = [f"{label}应为大于0的工作日数（当前为{value}）。"]
    if not errors and promised_days > statutory_days:
        errors["promised_days"] = [
            f"承诺时限（{promised_days}个工作日）不能超过法定时限（{statutory_days}个工作日）。"
        ]
    return errors


@transaction.atomic
def kind_update(
    *, actor, kind: ApprovalKind, statutory_days: int, promised_days: int, default_unit=None
) -> ApprovalKind:
    """Change a kind's limits or default unit (new checklists take them; existing items keep theirs)."""
    _require_manage(actor)
    errors = check_limits(statutory_days, promised_days)
    if errors:
        raise ValidationError(errors)
    kind.statutory_days, kind.promised_days, kind.default_unit = statutory_days, promised_days, default_unit
    kind._history_user = actor
    kind.save()
    return kind


@transaction.atomic
def template_save(*, actor, project_kind: str, kind_ids: list[int]) -> ApprovalTemplate:
    """Set a template's items in order; an item listed twice, or none at all, is refused."""
    _require_manage(actor)
    if project_kind not in ProjectKind.values:
        raise ValidationError({"project_kind": [f"项目类型“{project_kind}”不存在。"]})
    if not kind_ids:
        raise ValidationError({"kind_ids": ["手续清单模板至少应包含一个事项。"]})
    kinds = ApprovalKind.objects.in_bulk(kind_ids)
    missing = [str(k) for k in kind_ids if k not in kinds]
    if missing:
        raise ValidationError({"kind_ids": [f"事项不存在：{'、'.join(missing)}。"]})
    seen: dict[int, int] = {}
    repeated = []
    for position, kind_id in enumerate(kind_ids, start=1):
        if kind_id in seen:
            repeated.append(f"“{kinds[kind_id].name}”重复出现（第{seen[kind_id]}项和第{position}项）")
        else:
            seen[kind_id] = position
    if repeated:
        raise ValidationError({"kind_ids": [f"手续清单模板中{'；'.join(repeated)}，每个事项只能列一次。"]})
    template, _ = ApprovalTemplate.objects.get_or_create(project_kind=project_kind)
    for entry in template.items.all():
        entry._history_user = actor
        entry.delete()
    bulk_create_with_history(
        [ApprovalTemplateItem(template=template, kind_id=k, position=i) for i, k in enumerate(kind_ids)],
        ApprovalTemplateItem,
        default_user=actor,
    )
    template._history_user = actor
    template.save()
    return template


# --- checklists -----------------------------------------------------------------------------


def _assessments_for(project: Project) -> dict[int, RegionalAssessment]:
    """Regional assessments covering the project's zone (or its park), by kind; the zone's own wins."""
    places = [pk for pk in (project.park_id, project.zone_id) if pk]
    found = {}
    for assessment in RegionalAssessment.objects.filter(zone_id__in=places).order_by("zone__kind"):
        if assessment.zone_id == project.zone_id or assessment.kind_id not in found:
            found[assessment.kind_id] = assessment
    return found


@transaction.atomic
def checklist_create(*, actor, project: Project, project_kind: str | None = None) -> list[ApprovalItem]:
    """Build a project's checklist from the template of its kind; covered items are inherited."""
    project_services._require_edit(actor, project)
    ensure_catalogue()
    project_kind = project_kind or project.project_kind
    if ApprovalItem.objects.filter(project=project).exists():
        raise ValidationError("该项目已有手续清单。")
    template = ApprovalTemplate.objects.filter(project_kind=project_kind).first()
    if template is None or not template.items.exists():
        raise ValidationError({"project_kind": ["该项目类型还没有手续清单模板。"]})
    covered = _assessments_for(project)
    items = []
    for entry in template.items.select_related("kind").order_by("position"):
        kind = entry.kind
        assessment = covered.get(kind.pk) if kind.regional else None
        item = ApprovalItem(
            project=project,
            kind=kind,
            unit=kind.default_unit,
            position=entry.position,
            statutory_days=kind.statutory_days,
            promised_days=kind.promised_days,
            inherited_from=assessment,
        )
        item._history_user = actor
        item.save()
        items.append(item)
    if project.project_kind != project_kind:
        Project.objects.filter(pk=project.pk).update(project_kind=project_kind)
    project_services.lights_refresh(project_ids=[project.pk])
    return items


def check_dates(
    *,
    submitted_on: dt.date | None,
    accepted_on: dt.date | None,
    approved_on: dt.date | None,
    returned_on: dt.date | None,
    today: dt.date,
) -> dict[str, list[str]]:
    """Field errors in Chinese for an item's dates."""
    errors: dict[str, list[str]] = {}
    named = {
        "submitted_on": ("申报日期", submitted_on),
        "accepted_on": ("受理日期", accepted_on),
        "approved_on": ("办结日期", approved_on),
        "returned_on": ("退回日期", returned_on),
    }
    for field, (label, value) in named.items():
        if value is not None and value > today:
            errors.setdefault(field, []).append(f"{label}（{value:%Y-%m-%d}）不能晚于今天。")
    for field in ("accepted_on", "approved_on", "returned_on"):
        label, value = named[field]
        if value is None:
            continue
        if submitted_on is None:
            errors.setdefault(field, []).append(f"尚未登记申报日期，不能登记{label}。")
        elif value < submitted_on:
            errors.setdefault(field, []).append(
                f"{label}（{value:%Y-%m-%d}）不能早于申报日期（{submitted_on:%Y-%m-%d}）。"
            )
    if approved_on and accepted_on and approved_on < accepted_on:
        errors.setdefault("approved_on", []).append(
            f"办结日期（{approved_on:%Y-%m-%d}）不能早于受理日期（{accepted_on:%Y-%m-%d}）。"
        )
    if approved_on and returned_on:
        errors.setdefault("returned_on", []).append("已办结的事项不能同时处于退回状态，请重新申报后再办结。")
    return errors


def stamp(item: ApprovalItem) -> ApprovalItem:
    """Keep ``days_taken`` in line with the item's dates (every write path calls this)."""
    start = item.accepted_on or item.submitted_on
    item.days_taken = working_days_between(start, item.approved_on) if start and item.approved_on else None
    return item


def _lock(item: ApprovalItem) -> ApprovalItem:
    return ApprovalItem.objects.select_for_update().select_related("kind", "project").get(pk=item.pk)


@transaction.atomic
def item_record(
    *,
    actor,
    item: ApprovalItem,
    action: str,
    on: dt.date | None = None,
    text: str = "",
    unit=None,
    today: dt.date | None = None,
) -> ApprovalItem:
    """One step of an item: 申报, 受理, 办结 (with documents), 退回 (with the reason), 不适用 (with
    the reason) or 恢复办理. An item already approved is not approved again."""
    if not can_record(actor, item):
        raise PermissionDenied("您无权登记该事项的办理情况。")
    today = today or timezone.localdate()
    current = _lock(item)
    text = (text or "").strip()
    if action not in ACTIONS:
        raise ValidationError({"action": [f"未知的操作“{action}”。"]})
    if action not in ("not_applicable", "reopen") and on is None:
        raise ValidationError({"on": ["请填写日期。"]})
    if current.approved_on and action in ("approve", "submit", "accept", "return"):
        raise ValidationError(
            {
                "action": [
                    f"“{current.kind.name}”已于{current.approved_on:%Y-%m-%d}办结，不能重复{ACTIONS[action]}。"
                ]
            }
        )
    if current.not_applicable and action != "reopen":
        raise ValidationError({"action": [f"“{current.kind.name}”已标记为不适用，请先恢复办理。"]})
    if current.inherited_from_id and action not in ("reopen", "not_applicable"):
        raise ValidationError(
            {"action": [f"“{current.kind.name}”已由区域评估覆盖，无需单独办理；如需单独办理请先恢复办理。"]}
        )
    if action == "submit":
        current.submitted_on, current.accepted_on, current.returned_on = on, None, None
        current.return_reason = ""
    elif action == "accept":
        current.accepted_on = on
    elif action == "approve":
        current.approved_on = on
        current.documents = text or current.documents
    elif action == "return":
        if not text:
            raise ValidationError({"text": ["退回补正请填写退回原因。"]})
        current.returned_on, current.return_reason = on, text
    elif action == "not_applicable":
        if not text:
            raise ValidationError({"text": ["标记不适用请填写原因。"]})
        current.not_applicable, current.na_reason = True, text
    else:
        current.not_applicable, current.na_reason, current.inherited_from = False, "", None
    if unit is not None:
        current.unit = unit
    errors = check_dates(
        submitted_on=current.submitted_on,
        accepted_on=current.accepted_on,
        approved_on=current.approved_on,
        returned_on=current.returned_on,
        today=today,
    )
    if errors:
        raise ValidationError({"on": [m for messages in errors.values() for m in messages]})
    current._history_user = actor
    current._change_reason = ACTIONS[action] + (f"：{text}" if text else "")
    current.batch = None
    stamp(current)
    current.save()
    project_services.lights_refresh(project_ids=[current.project_id])
    return current


@transaction.atomic
def item_update(*, actor, item: ApprovalItem, today: dt.date | None = None, **fields) -> ApprovalItem:
    """Set an item's unit, limits, dates and texts at once (API), validated as a whole."""
    if not can_record(actor, item):
        raise PermissionDenied("您无权登记该事项的办理情况。")
    today = today or timezone.localdate()
    current = _lock(item)
    if current.approved_on and fields.get("approved_on") and fields["approved_on"] != current.approved_on:
        raise ValidationError(
            {"approved_on": [f"“{current.kind.name}”已于{current.approved_on:%Y-%m-%d}办结，不能重复办结。"]}
        )
    allowed = {
        "unit",
        "statutory_days",
        "promised_days",
        "submitted_on",
        "accepted_on",
        "approved_on",
        "returned_on",
        "return_reason",
        "not_applicable",
        "na_reason",
        "documents",
    }
    for key, value in fields.items():
        if key in allowed:
            setattr(current, key, value)
    errors = check_limits(current.statutory_days, current.promised_days)
    errors.update(
        check_dates(
            submitted_on=current.submitted_on,
            accepted_on=current.accepted_on,
            approved_on=current.approved_on,
            returned_on=current.returned_on,
            today=today,
        )
    )
    if current.returned_on and not current.return_reason.strip():
        errors.setdefault("return_reason", []).append("退回补正请填写退回原因。")
    if current.not_applicable and not current.na_reason.strip():
        errors.setdefault("na_reason", []).append("标记不适用请填写原因。")
    if errors:
        raise ValidationError(errors)
    current._history_user = actor
    current.batch = None
    stamp(current)
    current.save()
    project_services.lights_refresh(project_ids=[current.project_id])
    return current


# --- regional assessments ---------------------------------------------------------------------


@transaction.atomic
def regional_save(
    *,
    actor,
    zone: OrgUnit,
    kind: ApprovalKind,
    approved_on: dt.date,
    document: str = "",
    valid_until: dt.date | None = None,
    today: dt.date | None = None,
) -> RegionalAssessment:
    """Record a zone's regional assessment; the open items of that kind in its projects inherit it."""
    _require_manage(actor)
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if zone is None or zone.kind not in (OrgUnitKind.ZONE, OrgUnitKind.PARK):
        errors["zone"] = ["区域评估应登记在园区或片区。"]
    if kind is None or not kind.regional:
        errors["kind"] = [f"“{kind}”不属于可由区域评估替代的事项。"]
    if approved_on is None or approved_on > today:
        errors["approved_on"] = ["批复日期不能为空，也不能晚于今天。"]
    elif valid_until is not None and valid_until < approved_on:
        errors["valid_until"] = ["有效期不能早于批复日期。"]
    if not errors and RegionalAssessment.objects.filter(zone=zone, kind=kind).exists():
        errors["kind"] = [f"{zone}已登记过{kind}区域评估。"]
    if errors:
        raise ValidationError(errors)
    assessment = RegionalAssessment(
        zone=zone,
        kind=kind,
        approved_on=approved_on,
        document=(document or "").strip(),
        valid_until=valid_until,
    )
    assessment._history_user = actor
    assessment.save()
    place = (
        Q(project__zone=zone)
        if zone.kind == OrgUnitKind.ZONE
        else Q(project__park=zone, project__zone__isnull=True)
    )
    items = list(
        ApprovalItem.objects.filter(
            place, kind=kind, approved_on__isnull=True, not_applicable=False, inherited_from__isnull=True
        )
    )
    for item in items:
        item.inherited_from = assessment
        item._history_user = actor
        item._change_reason = f"由{zone}区域评估覆盖（{assessment.document or '已批复'}）"
        item.save()
    if items:
        project_services.lights_refresh(project_ids=sorted({i.project_id for i in items}))
    return assessment
