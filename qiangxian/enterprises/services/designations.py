"""Titles (称号): recording, renewing and ending them; 规上 entry and exit keep ``above_scale`` in line."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from ..choices import VALIDITY_YEARS, ChampionType, DesignationKind
from ..models import Designation, Enterprise
from .registry import _set_above_scale, can_edit_enterprise

FIELDS = [
    "kind",
    "champion_type",
    "product_name",
    "level",
    "batch",
    "year",
    "document_no",
    "valid_from",
    "valid_to",
    "note",
]


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def default_valid_to(kind: str, valid_from: dt.date | None) -> dt.date | None:
    """The end of a title's term when the document does not say: start + term − 1 day."""
    years = VALIDITY_YEARS.get(kind)
    if valid_from is None or years is None:
        return None
    return _add_years(valid_from, years) - dt.timedelta(days=1)


def _check(designation: Designation) -> None:
    errors: dict[str, str] = {}
    if designation.kind == DesignationKind.ABOVE_SCALE:
        errors["kind"] = "规上企业请通过“入规登记/退规登记”办理。"
    if designation.kind == DesignationKind.SINGLE_CHAMPION:
        if not designation.champion_type:
            errors["champion_type"] = "制造业单项冠军请选择“示范企业”或“单项冠军产品”。"
        elif designation.champion_type == ChampionType.PRODUCT and not designation.product_name:
            errors["product_name"] = "单项冠军产品请填写产品名称。"
    elif designation.champion_type:
        errors["champion_type"] = "只有制造业单项冠军需要选择类型。"
    if designation.valid_from and designation.valid_to and designation.valid_to < designation.valid_from:
        errors["valid_to"] = "有效期止不能早于有效期起。"
    if designation.year and not 1990 <= designation.year <= 2100:
        errors["year"] = "认定年度应为四位年份。"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def designation_save(
    *, actor, enterprise: Enterprise, designation: Designation | None = None, **fields
) -> Designation:
    """Record or change a title; a missing end date is computed from the title's term."""
    if not can_edit_enterprise(actor, enterprise):
        raise PermissionDenied("您无权登记该企业的称号。")
    designation = designation or Designation(enterprise=enterprise)
    for key, value in fields.items():
        if key in FIELDS:
            setattr(designation, key, "" if value is None and key in ("champion_type", "level") else value)
    if designation.valid_to is None:
        designation.valid_to = default_valid_to(designation.kind, designation.valid_from)
    if designation.year is None and designation.valid_from:
        designation.year = designation.valid_from.year
    _check(designation)
    designation.full_clean()
    designation._history_user = actor
    designation.save()
    return designation


@transaction.atomic
def designation_delete(*, actor, designation: Designation) -> None:
    """Delete a title recorded by mistake (a 规上 record also updates the enterprise's flag)."""
    enterprise = designation.enterprise
    if not can_edit_enterprise(actor, enterprise):
        raise PermissionDenied("您无权删除该企业的称号。")
    designation._history_user = actor
    designation.delete()
    if designation.kind == DesignationKind.ABOVE_SCALE:
        still = enterprise.designations.filter(
            kind=DesignationKind.ABOVE_SCALE, exit_month__isnull=True
        ).exists()
        _set_above_scale(actor=actor, enterprise=enterprise, value=still, reason="删除规上记录")


def _month(day: dt.date) -> dt.date:
    return day.replace(day=1)


@transaction.atomic
def scale_entry_record(
    *, actor, enterprise: Enterprise, entry_month: dt.date, document_no: str = "", note: str = ""
) -> Designation:
    """Record an enterprise entering the above-scale statistics (入规) from a month."""
    if not can_edit_enterprise(actor, enterprise):
        raise PermissionDenied("您无权登记该企业入规。")
    if entry_month is None:
        raise ValidationError({"entry_month": "请填写入规月份。"})
    entry_month = _month(entry_month)
    if enterprise.designations.filter(kind=DesignationKind.ABOVE_SCALE, exit_month__isnull=True).exists():
        raise ValidationError({"entry_month": "该企业已是规上企业，如需重新入规请先登记退规。"})
    last = enterprise.designations.filter(kind=DesignationKind.ABOVE_SCALE).order_by("-exit_month").first()
    if last and last.exit_month and entry_month <= last.exit_month:
        raise ValidationError({"entry_month": f"入规月份应晚于上次退规月份（{last.exit_month:%Y年%m月}）。"})
    designation = Designation(
        enterprise=enterprise,
        kind=DesignationKind.ABOVE_SCALE,
        entry_month=entry_month,
        valid_from=entry_month,
        year=entry_month.year,
        document_no=document_no,
        note=note,
    )
    designation._history_user = actor
    designation.save()
    _set_above_scale(actor=actor, enterprise=enterprise, value=True, reason=f"{entry_month:%Y年%m月}入规")
    return designation


@transaction.atomic
def scale_exit_record(*, actor, enterprise: Enterprise, exit_month: dt.date, note: str = "") -> Designation:
    """Record an enterprise leaving the above-scale statistics (退规) in a month."""
    if not can_edit_enterprise(actor, enterprise):
        raise PermissionDenied("您无权登记该企业退规。")
    if exit_month is None:
        raise ValidationError({"exit_month": "请填写退规月份。"})
    exit_month = _month(exit_month)
    designation = enterprise.designations.filter(
        kind=DesignationKind.ABOVE_SCALE, exit_month__isnull=True
    ).first()
    if designation is None:
        raise ValidationError({"exit_month": "该企业目前不是规上企业，无需退规。"})
    if designation.entry_month and exit_month < designation.entry_month:
        raise ValidationError(
            {"exit_month": f"退规月份不能早于入规月份（{designation.entry_month:%Y年%m月}）。"}
        )
    designation.exit_month = exit_month
    designation.valid_to = exit_month - dt.timedelta(days=1)
    if note:
        designation.note = note
    designation._history_user = actor
    designation.save()
    _set_above_scale(actor=actor, enterprise=enterprise, value=False, reason=f"{exit_month:%Y年%m月}退规")
    return designation
