"""Titles (称号): recording, renewing and ending them; 规上 entry and exit keep ``above_scale`` in line."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

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


@dataclass(frozen=True)
class ScaleChange:
    """One 入规 (``entering``) or 退规 of one enterprise from a month."""

    enterprise: Enterprise
    entering: bool
    month: dt.date | None
    document_no: str = ""
    note: str = ""


def scale_change_problems(changes: list[ScaleChange]) -> dict[int, str]:
    """Why each change cannot be recorded, by enterprise id; empty when all can.

    Reads the enterprises' 规上 records in two queries, so an import of thousands is checked
    before anything is written.
    """
    ids = [c.enterprise.pk for c in changes if c.enterprise.pk]
    records = Designation.objects.filter(kind=DesignationKind.ABOVE_SCALE, enterprise_id__in=ids)
    open_entry: dict[int, dt.date | None] = {}
    last_exit: dict[int, dt.date] = {}
    for enterprise_id, entry, exit_ in records.values_list("enterprise_id", "entry_month", "exit_month"):
        if exit_ is None:
            open_entry[enterprise_id] = entry
        elif enterprise_id not in last_exit or exit_ > last_exit[enterprise_id]:
            last_exit[enterprise_id] = exit_
    problems: dict[int, str] = {}
    seen: set[int] = set()
    for change in changes:
        pk = change.enterprise.pk
        if pk in seen:
            problems[pk] = "同一企业只能登记一次入规或退规。"
            continue
        seen.add(pk)
        word = "入规" if change.entering else "退规"
        if change.month is None:
            problems[pk] = f"请填写{word}月份。"
            continue
        month = _month(change.month)
        if change.entering:
            if pk in open_entry:
                problems[pk] = "该企业已是规上企业，如需重新入规请先登记退规。"
            elif pk in last_exit and month <= last_exit[pk]:
                problems[pk] = f"入规月份应晚于上次退规月份（{last_exit[pk]:%Y年%m月}）。"
        elif pk not in open_entry:
            problems[pk] = "该企业目前不是规上企业，无需退规。"
        elif open_entry[pk] and month < open_entry[pk]:
            problems[pk] = f"退规月份不能早于入规月份（{open_entry[pk]:%Y年%m月}）。"
    return problems


@transaction.atomic
def scale_changes_record(*, actor, changes: list[ScaleChange], reason: str = "") -> list[Designation]:
    """Record 入规/退规 for many enterprises at once: all or none, history kept, flags in line.

    The one path for every 入规/退规 (the single form, the list's bulk action, the registry
    import): an entry opens a 规上 record from its month, an exit closes the open record, and
    ``Enterprise.above_scale`` follows, each change with who, when and why in the history.
    """
    for change in changes:
        if not can_edit_enterprise(actor, change.enterprise):
            raise PermissionDenied(f"您无权登记“{change.enterprise.name}”入规或退规。")
    problems = scale_change_problems(changes)
    if problems:
        names = {c.enterprise.pk: c.enterprise.name for c in changes}
        listed = [f"{names[pk]}：{text}" for pk, text in list(problems.items())[:10]]
        more = f"（共 {len(problems)} 户）" if len(problems) > 10 else ""
        raise ValidationError("；".join(listed) + more)
    if not changes:
        return []
    now = timezone.now()
    created = [
        Designation(
            enterprise=c.enterprise,
            kind=DesignationKind.ABOVE_SCALE,
            entry_month=_month(c.month),
            valid_from=_month(c.month),
            year=c.month.year,
            document_no=c.document_no,
            note=c.note,
            created_at=now,
        )
        for c in changes
        if c.entering
    ]
    exits = {c.enterprise.pk: c for c in changes if not c.entering}
    closed = list(
        Designation.objects.filter(
            kind=DesignationKind.ABOVE_SCALE, exit_month__isnull=True, enterprise_id__in=list(exits)
        )
    )
    for designation in closed:
        change = exits[designation.enterprise_id]
        designation.exit_month = _month(change.month)
        designation.valid_to = designation.exit_month - dt.timedelta(days=1)
        if change.note:
            designation.note = change.note
    history = {"default_user": actor, "default_date": now}
    if created:
        created = bulk_create_with_history(
            created, Designation, batch_size=1000, default_change_reason=reason or "入规登记", **history
        )
        # Some backends return no keys from a bulk insert: read them back for the caller.
        if any(d.pk is None for d in created):
            ids = dict(
                Designation.objects.filter(
                    kind=DesignationKind.ABOVE_SCALE,
                    exit_month__isnull=True,
                    enterprise_id__in=[d.enterprise_id for d in created],
                ).values_list("enterprise_id", "pk")
            )
            for designation in created:
                designation.pk = ids[designation.enterprise_id]
    if closed:
        bulk_update_with_history(
            closed,
            Designation,
            ["exit_month", "valid_to", "note"],
            batch_size=1000,
            default_change_reason=reason or "退规登记",
            **history,
        )
    # Fresh rows: the history copies every field, and the caller's objects may be partial.
    fresh = Enterprise.objects.in_bulk([c.enterprise.pk for c in changes])
    flags = []
    for change in changes:
        change.enterprise.above_scale = change.entering
        enterprise = fresh[change.enterprise.pk]
        enterprise.above_scale = change.entering
        enterprise.updated_at = now
        flags.append(enterprise)
    for entering in (True, False):
        group = [e for e in flags if e.above_scale is entering]
        if group:
            word = "入规" if entering else "退规"
            bulk_update_with_history(
                group,
                Enterprise,
                ["above_scale", "updated_at"],
                batch_size=1000,
                default_change_reason=reason or word,
                **history,
            )
    return created + closed


def _single(actor, change: ScaleChange, field: str) -> Designation:
    if not can_edit_enterprise(actor, change.enterprise):
        raise PermissionDenied("您无权登记该企业入规或退规。")
    problem = scale_change_problems([change]).get(change.enterprise.pk)
    if problem:
        raise ValidationError({field: problem})
    month = _month(change.month)
    reason = f"{month:%Y年%m月}{'入规' if change.entering else '退规'}"
    return scale_changes_record(actor=actor, changes=[change], reason=reason)[0]


def scale_entry_record(
    *, actor, enterprise: Enterprise, entry_month: dt.date, document_no: str = "", note: str = ""
) -> Designation:
    """Record an enterprise entering the above-scale statistics (入规) from a month."""
    change = ScaleChange(enterprise, True, entry_month, document_no=document_no, note=note)
    return _single(actor, change, "entry_month")


def scale_exit_record(*, actor, enterprise: Enterprise, exit_month: dt.date, note: str = "") -> Designation:
    """Record an enterprise leaving the above-scale statistics (退规) in a month."""
    return _single(actor, ScaleChange(enterprise, False, exit_month, note=note), "exit_month")
