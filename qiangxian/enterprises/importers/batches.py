"""Applying a validated registry file as one batch, and undoing a batch; history records both.

Import is all or nothing: any invalid row means nothing changes and every problem is listed.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models.deletion import ProtectedError
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from qiangxian.core import audit
from qiangxian.core.bulk import bulk_insert, delete_with_history, prepared_rows
from qiangxian.core.choices import AuditKind

from ..choices import ImportAction, ImportStatus, ScaleAction
from ..models import (
    Cluster,
    CultivationPlan,
    Designation,
    Enterprise,
    EnterpriseContact,
    EnterpriseLiaison,
    ImportBatch,
    ImportBatchItem,
)
from ..services.clusters import cluster_sync_memberships
from ..services.designations import ScaleChange, scale_changes_record
from ..services.registry import can_manage_registry, pinyin_initials
from .columns import _ATTR
from .validation import ImportPlan, _current, _json, plan_import

UNDO_CHUNK = 1000


@dataclass
class ImportResult:
    plan: ImportPlan
    batch: ImportBatch | None

    @property
    def changed(self) -> bool:
        return self.batch is not None


def import_registry(
    *,
    actor,
    content: bytes,
    file_name: str,
    mapping: dict[str, str] | None = None,
    scale_month: dt.date | None = None,
) -> ImportResult:
    """Validate and, if every row is valid, apply a registry file in one transaction as a batch.

    ``mapping`` and ``scale_month`` are those of :func:`plan_import`. A file already applied (same
    content hash) or one whose rows all match the registry changes nothing and records no batch.
    The 规上 changes it carries are recorded through the same service as the 入规/退规 form.
    """
    if not can_manage_registry(actor):
        raise PermissionDenied("只有领导小组办公室可以导入企业名录。")
    plan = plan_import(content=content, file_name=file_name, mapping=mapping, scale_month=scale_month)
    if not plan.ok or plan.duplicate_of is not None or not (plan.to_create or plan.to_update):
        return ImportResult(plan, None)
    return ImportResult(plan, _apply(actor=actor, plan=plan))


def _insert_with_history(enterprises: list[Enterprise], *, actor, reason: str, now) -> list[Enterprise]:
    """Insert new enterprises and their "created" history rows (who, when, which batch).

    The same rows ``bulk_create_with_history`` would write, through the bulk loader: a 50,000-row
    file otherwise spends most of its time in the query compiler.
    """
    if not enterprises:
        return []
    fields = [f for f in Enterprise._meta.concrete_fields if not f.primary_key]
    for enterprise in enterprises:
        enterprise.created_at = enterprise.updated_at = now
    last_pk = Enterprise.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    # The same values go into the table and into its history rows: prepared once.
    rows = list(prepared_rows(fields, enterprises))
    bulk_insert(Enterprise, [f.column for f in fields], rows)
    wanted = {e.uscc for e in enterprises}
    ids = {
        uscc: pk
        for uscc, pk in Enterprise.objects.filter(pk__gt=last_pk).values_list("uscc", "pk")
        if uscc in wanted
    }
    for enterprise in enterprises:
        enterprise.pk = ids[enterprise.uscc]
        enterprise._state.adding = False
    history = Enterprise.history.model
    when = history._meta.get_field("history_date").get_db_prep_save(now, connection)
    stamp = (when, reason, "+", actor.pk if actor and actor.is_authenticated else None)
    columns = [
        "id",
        *(f.column for f in fields),
        *(history._meta.get_field(n).column for n in ("history_date", "history_change_reason")),
        *(history._meta.get_field(n).column for n in ("history_type", "history_user")),
    ]
    bulk_insert(history, columns, ((e.pk, *row, *stamp) for e, row in zip(enterprises, rows, strict=True)))
    return enterprises


@transaction.atomic
def _apply(*, actor, plan: ImportPlan) -> ImportBatch:
    now = timezone.now()
    batch = ImportBatch.objects.create(
        created_by=actor,
        applied_at=now,
        file_name=plan.file_name[:255],
        file_hash=plan.file_hash,
        rows_total=plan.rows_total,
        created_count=len(plan.to_create),
        updated_count=len(plan.to_update),
        unchanged_count=plan.unchanged,
        entered_count=plan.entering,
        exited_count=plan.exiting,
        skipped_count=plan.skipped_rows,
    )
    reason = f"导入批次 #{batch.pk}（{plan.file_name}）"[:100]
    new_objects = []
    for _, data in plan.to_create:
        enterprise = Enterprise(**{_ATTR.get(k, k): v for k, v in data.items()})
        enterprise.pinyin_initials = pinyin_initials(enterprise.name)
        new_objects.append(enterprise)
    created = _insert_with_history(new_objects, actor=actor, reason=reason, now=now)
    # (batch, enterprise, uscc, row, action, before as JSON text): written by the bulk loader.
    items = [
        (batch.pk, e.pk, e.uscc, row, ImportAction.CREATED.value, "{}")
        for (row, _), e in zip(plan.to_create, created, strict=True)
    ]
    fields: set[str] = set()
    updated = []
    for row, enterprise, changed in plan.to_update:
        before = {k: _json(_current(enterprise, k)) for k in changed}
        if enterprise.uscc in plan.scale_changes:
            before["above_scale"] = enterprise.above_scale
        for key, value in changed.items():
            setattr(enterprise, _ATTR.get(key, key), value)
            fields.add(_ATTR.get(key, key))
        if "name" in changed:
            enterprise.pinyin_initials = pinyin_initials(enterprise.name)
            before["pinyin_initials"] = None  # recomputed from the name on undo
            fields.add("pinyin_initials")
        enterprise.updated_at = now
        if changed:
            updated.append(enterprise)
        items.append(
            (batch.pk, enterprise.pk, enterprise.uscc, row, ImportAction.UPDATED.value, json.dumps(before))
        )
    if updated:
        bulk_update_with_history(
            updated,
            Enterprise,
            sorted(fields | {"updated_at"}),
            batch_size=1000,
            default_user=actor,
            default_change_reason=reason,
            default_date=now,
        )
    designations = _record_scale_changes(actor=actor, plan=plan, created=created, reason=reason)
    bulk_insert(
        ImportBatchItem,
        ["batch_id", "enterprise_id", "uscc", "row", "action", "before", "scale_change", "designation_id"],
        [(*item, *designations.get(item[2], ("", None))) for item in items],
    )
    # Stamped after every write (auto_now sets created rows' times itself), so any later edit is newer.
    batch.applied_at = timezone.now()
    batch.save(update_fields=["applied_at"])
    audit.record_import(AuditKind.IMPORT_COMMIT, user=actor, label="企业名录", batch=batch, rows=len(items))
    if created or "industry_code" in fields:
        for cluster in Cluster.objects.all():
            cluster_sync_memberships(cluster=cluster)
    return batch


def _record_scale_changes(*, actor, plan: ImportPlan, created, reason: str) -> dict[str, tuple[str, int]]:
    """入规/退规 the file records, through the registry's one service; uscc -> (action, designation id)."""
    if not plan.scale_changes:
        return {}
    by_uscc = {e.uscc: e for e in created}
    by_uscc.update({e.uscc: e for _, e, _ in plan.to_update if e.uscc in plan.scale_changes})
    changes = [
        ScaleChange(by_uscc[uscc], entering, month, note=f"名录导入：{plan.file_name}"[:300])
        for uscc, (_, entering, month) in plan.scale_changes.items()
    ]
    records = scale_changes_record(actor=actor, changes=changes, reason=reason)
    ids = {d.enterprise_id: d.pk for d in records}
    return {
        c.enterprise.uscc: (
            (ScaleAction.ENTRY if c.entering else ScaleAction.EXIT).value,
            ids[c.enterprise.pk],
        )
        for c in changes
    }


def _restore_value(key: str, value):
    field = Enterprise._meta.get_field(key)
    if value is None:
        return None
    if field.get_internal_type() == "DateField":
        return dt.date.fromisoformat(value)
    if field.get_internal_type() == "DecimalField":
        return Decimal(value)
    return value


def import_batch_undo(*, actor, batch: ImportBatch, background: bool | None = None) -> ImportBatch:
    """Undo a batch: restore the values it replaced, delete the enterprises it created, reverse its
    入规/退规.

    Refused when a touched enterprise was changed after the import, so nobody's later edit is
    silently thrown away. A batch of more than ``settings.QX_REGISTRY_UNDO_BACKGROUND_ROWS`` rows is
    undone by a background job (its progress on the batch page); the checks run first, here, so a
    refusal is answered at once.
    """
    if not can_manage_registry(actor):
        raise PermissionDenied("只有领导小组办公室可以撤销导入。")
    if batch.status == ImportStatus.UNDOING:
        raise ValidationError("该批次正在撤销中，请稍候。")
    if batch.status != ImportStatus.APPLIED:
        raise ValidationError("该批次已经撤销过了。")
    if background is None:
        background = batch.items.count() > settings.QX_REGISTRY_UNDO_BACKGROUND_ROWS
    if not background:
        return _undo(actor=actor, batch_id=batch.pk)
    _undo_checks(batch, *_undo_rows(batch))
    from qiangxian.core import services as core_services

    from ..tasks import undo_batch_task

    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.status != ImportStatus.APPLIED:
            raise ValidationError("该批次正在撤销或已经撤销过了。")
        locked.status = ImportStatus.UNDOING
        locked.undo_job = core_services.job_create(
            owner=actor, kind="registry_undo", title=f"撤销名录导入批次 #{batch.pk}"
        )
        locked.save(update_fields=["status", "undo_job"])
    transaction.on_commit(lambda: undo_batch_task.enqueue(batch.pk, actor.pk))
    locked.refresh_from_db()
    return locked


def _undo_rows(batch: ImportBatch):
    items = list(batch.items.all())
    enterprises = Enterprise.objects.in_bulk([i.enterprise_id for i in items if i.enterprise_id])
    return items, enterprises


def _undo_checks(batch: ImportBatch, items, enterprises) -> None:
    """Refuse an undo that would throw away later work; raises ValidationError naming the enterprises."""
    later = [e.name for e in enterprises.values() if batch.applied_at and e.updated_at > batch.applied_at]
    if later:
        names = "、".join(later[:5]) + (f"等 {len(later)} 户" if len(later) > 5 else "")
        raise ValidationError(f"以下企业在导入后又被修改过，不能整批撤销：{names}。请逐户核对修改。")
    created_ids = [i.enterprise_id for i in items if i.action == ImportAction.CREATED and i.enterprise_id]
    own = [i.designation_id for i in items if i.designation_id]
    # Deleting a created enterprise would take the titles, contacts, liaisons and plans added since.
    used = set()
    for model in (Designation, EnterpriseContact, EnterpriseLiaison, CultivationPlan):
        rows = model.objects.filter(enterprise_id__in=created_ids)
        if model is Designation:
            rows = rows.exclude(pk__in=own)
        used.update(rows.values_list("enterprise_id", flat=True))
    if used:
        names = "、".join(enterprises[pk].name for pk in sorted(used)[:5])
        raise ValidationError(
            f"以下新增企业在导入后已登记了称号、联系人、包联或培育计划，不能整批撤销：{names}。"
        )


@transaction.atomic
def _undo(*, actor, batch_id: int, progress=None) -> ImportBatch:
    batch = ImportBatch.objects.select_for_update().get(pk=batch_id)
    if batch.status not in (ImportStatus.APPLIED, ImportStatus.UNDOING):
        raise ValidationError("该批次已经撤销过了。")
    items, enterprises = _undo_rows(batch)
    _undo_checks(batch, items, enterprises)
    reason = f"撤销导入批次 #{batch.pk}"
    now = timezone.now()
    _reverse_scale_changes(actor=actor, items=items, reason=reason)
    restored, fields = [], {"updated_at"}
    for item in items:
        enterprise = enterprises.get(item.enterprise_id)
        if enterprise is None or item.action != ImportAction.UPDATED:
            continue
        for key, value in item.before.items():
            if key == "pinyin_initials":
                continue
            attr = _ATTR.get(key, key)
            setattr(enterprise, attr, _restore_value(attr, value))
            fields.add(attr)
        if "name" in item.before:
            enterprise.pinyin_initials = pinyin_initials(enterprise.name)
            fields.add("pinyin_initials")
        enterprise.updated_at = now
        restored.append(enterprise)
    if restored:
        bulk_update_with_history(
            restored,
            Enterprise,
            sorted(fields),
            batch_size=1000,
            default_user=actor,
            default_change_reason=reason,
            default_date=now,
        )
    doomed = [
        i.enterprise_id for i in items if i.action == ImportAction.CREATED and i.enterprise_id in enterprises
    ]
    total = len(restored) + len(doomed)
    if progress:
        progress(len(restored), total)
    try:
        # Deleted a chunk at a time: the related rows are collected per chunk, not per enterprise.
        for start in range(0, len(doomed), UNDO_CHUNK):
            chunk = doomed[start : start + UNDO_CHUNK]
            # One history insert per model and chunk, each row saying who deleted it and why.
            delete_with_history(Enterprise.objects.filter(pk__in=chunk), user=actor, reason=reason, date=now)
            if progress:
                progress(len(restored) + start + len(chunk), total)
    except ProtectedError as exc:
        raise ValidationError(
            "部分新增企业已有其他业务数据（如月度报表、项目），不能撤销；请逐户处理。"
        ) from exc
    batch.status = ImportStatus.UNDONE
    batch.undone_at = now
    batch.undone_by = actor
    batch.save(update_fields=["status", "undone_at", "undone_by"])
    audit.record_import(AuditKind.IMPORT_ROLLBACK, user=actor, label="企业名录", batch=batch, rows=len(items))
    for cluster in Cluster.objects.all():
        cluster_sync_memberships(cluster=cluster)
    return batch


def _reverse_scale_changes(*, actor, items, reason: str) -> None:
    """Remove the 规上 records a batch opened and reopen those it closed (the flag comes back with
    the enterprise's other values, or goes with the enterprise the batch created)."""
    ids = {i.designation_id: i.scale_change for i in items if i.designation_id}
    for designation in Designation.objects.filter(pk__in=list(ids)):
        designation._history_user = actor
        designation._change_reason = reason
        if ids[designation.pk] == ScaleAction.ENTRY:
            designation.delete()
        else:
            designation.exit_month = None
            designation.valid_to = None
            designation.save(update_fields=["exit_month", "valid_to"])
