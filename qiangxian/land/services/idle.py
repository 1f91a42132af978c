"""Writes of the idle inventory (清闲促建): items, disposal plans, progress and closure."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_fsm import can_proceed

from qiangxian.core.choices import OrgUnitKind

from ..choices import IdleKind, IdleState, ParcelStatus
from ..models import DisposalPlan, IdleItem
from .common import Errors, lock, require_space_edit

ITEM_FIELDS = {
    "kind",
    "parcel",
    "building",
    "area_mu",
    "floor_area_sqm",
    "idle_since",
    "reason",
    "reason_detail",
}


def _validate_item(item: IdleItem, today: dt.date) -> None:
    errors = Errors()
    if item.kind == IdleKind.PARCEL:
        if not item.parcel_id:
            errors.add("parcel", "请选择闲置地块。")
        else:
            item.park_id, item.zone_id = item.parcel.park_id, item.parcel.zone_id
            item.area_mu = item.area_mu or item.parcel.area_mu
            if item.area_mu is not None and (item.area_mu <= 0 or item.area_mu > item.parcel.area_mu):
                errors.add("area_mu", f"闲置面积应大于 0 且不超过地块面积 {item.parcel.area_mu} 亩。")
        item.building = None
    elif item.kind == IdleKind.FLOOR:
        if not item.building_id:
            errors.add("building", "请选择闲置厂房所在楼栋。")
        else:
            item.park_id, item.zone_id = item.building.park_id, item.building.zone_id
            area = item.floor_area_sqm
            if area is None or area <= 0 or area > item.building.floor_area_sqm:
                errors.add(
                    "floor_area_sqm",
                    f"闲置建筑面积应大于 0 且不超过该楼建筑面积 {item.building.floor_area_sqm} 平方米。",
                )
        item.parcel = None
    else:
        errors.add("kind", "请选择闲置资源类型。")
    if item.idle_since is None:
        errors.add("idle_since", "请填写闲置起始日期。")
    elif item.idle_since > today:
        errors.add("idle_since", "闲置起始日期不能晚于今天。")
    if not item.reason:
        errors.add("reason", "请选择闲置原因。")
    errors.raise_if_any()
    open_same = IdleItem.objects.exclude(pk=item.pk).exclude(state__in=(IdleState.DISPOSED, IdleState.REUSED))
    if item.parcel_id and open_same.filter(parcel_id=item.parcel_id).exists():
        raise ValidationError({"parcel": ["该地块已在闲置资源清单中，尚未处置完毕。"]})


@transaction.atomic
def idle_create(*, actor, today: dt.date | None = None, **fields) -> IdleItem:
    """Put an idle parcel or vacant floor space on the list; an idle parcel's status follows."""
    today = today or timezone.localdate()
    item = IdleItem(**{k: v for k, v in fields.items() if k in ITEM_FIELDS})
    place = item.parcel if item.parcel_id else (item.building if item.building_id else None)
    require_space_edit(actor, getattr(place, "park_id", None), getattr(place, "zone_id", None))
    _validate_item(item, today)
    item._history_user = actor
    item.save()
    parcel = item.parcel
    if parcel is not None and parcel.status not in (ParcelStatus.IDLE, ParcelStatus.INEFFICIENT):
        parcel.status = ParcelStatus.IDLE
        parcel.status_since = item.idle_since
        parcel._history_user = actor
        parcel.save()
    return item


@transaction.atomic
def plan_create(
    *, actor, item: IdleItem, method, unit, deadline, today: dt.date | None = None, **extra
) -> DisposalPlan:
    """Make a disposal plan for an item (回收/转让/合作开发/招商/督促开工)."""
    require_space_edit(actor, item.park_id, item.zone_id)
    today = today or timezone.localdate()
    errors = Errors()
    if item.state in (IdleState.DISPOSED, IdleState.REUSED):
        errors.add("method", "该闲置资源已处置完毕。")
    if unit is None or unit.kind == OrgUnitKind.ENTERPRISE:
        errors.add("unit", "请选择责任单位（部门、园区或乡镇）。")
    if deadline is None or deadline < today:
        errors.add("deadline", "完成时限不能早于今天。")
    errors.raise_if_any()
    plan = DisposalPlan(
        item=item,
        method=method,
        unit=unit,
        deadline=deadline,
        created_on=today,
        progress_note=extra.get("progress_note", ""),
    )
    plan._history_user = actor
    plan.save()
    if can_proceed(item.start_disposal):
        current = IdleItem.objects.select_for_update().get(pk=item.pk)
        current.start_disposal()
        current._history_user = actor
        current.save()
    return plan


@transaction.atomic
def plan_progress(
    *, actor, plan: DisposalPlan, progress: int, note: str = "", expected_updated_at=None
) -> DisposalPlan:
    """Record how far a plan has got (0–100%)."""
    require_space_edit(actor, plan.item.park_id, plan.item.zone_id)
    current = lock(DisposalPlan, plan, expected_updated_at)
    if progress is None or not 0 <= progress <= 100:
        raise ValidationError({"progress": ["进度应在 0–100 之间。"]})
    if progress < current.progress:
        raise ValidationError({"progress": [f"进度不能低于上次登记的 {current.progress}%。"]})
    current.progress = progress
    current.progress_note = note or current.progress_note
    current._history_user = actor
    current.save()
    return current


@transaction.atomic
def idle_close(
    *, actor, item: IdleItem, reused: bool, on: dt.date | None = None, enterprise=None, project=None
) -> IdleItem:
    """Close an item: disposed, or reused by a new enterprise or project (the parcel goes back in use)."""
    require_space_edit(actor, item.park_id, item.zone_id)
    on = on or timezone.localdate()
    current = IdleItem.objects.select_for_update().get(pk=item.pk)
    transition = current.reuse if reused else current.dispose
    if not can_proceed(transition):
        raise ValidationError(f"“{current.get_state_display()}”的闲置资源不能再办结。")
    if reused and enterprise is None and project is None:
        raise ValidationError({"enterprise": ["再利用请注明新的使用企业或项目。"]})
    if on < current.idle_since:
        raise ValidationError({"on": ["办结日期不能早于闲置起始日期。"]})
    transition(on=on)
    current.reused_by, current.reused_project = enterprise, project
    current._history_user = actor
    current.save()
    if reused and current.parcel_id:
        parcel = current.parcel
        parcel.status = ParcelStatus.BUILDING if project is not None else ParcelStatus.IN_USE
        parcel.status_since = on
        parcel.holder = enterprise or parcel.holder
        parcel.project = project or parcel.project
        parcel._history_user = actor
        parcel.save()
    current.plans.filter(progress__lt=100).update(progress=100)
    return current
