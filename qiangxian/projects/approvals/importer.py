"""Item dates from the provincial approval system's export (办件明细 .xlsx), staged and atomic.

The export is taken as the system writes it: a title row (or several) above the header, its own
column names (matched through the aliases below), blank cells, times with hours. Projects are
found by their investment project code (投资项目代码) or else by their exact name; items by the
kind's name or the names the system uses (``ApprovalKind.aliases``). The whole file is checked
first: any invalid row and nothing is staged, every error listed (row, column, value, reason).
A staged batch is applied in one transaction (only changed items are written, with history)
and can be rolled back, through the same batch pages as the progress import.
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from qiangxian.core.models import OrgUnit
from qiangxian.core.sheets import ErrorList, FileRejected, RowError, cell_text

from .. import importers as progress_importers
from .. import services as project_services
from ..choices import BatchStatus, ImportKind
from ..models import ApprovalItem, ApprovalKind, ProgressImportBatch, Project
from . import services

# field -> the column names the approval system (and people) use for it
ALIASES = {
    "code": ["项目代码", "投资项目代码", "项目统一代码", "项目编码"],
    "name": ["项目名称", "工程名称"],
    "kind": ["事项名称", "审批事项", "办理事项", "事项"],
    "unit": ["审批部门", "办理部门", "实施主体", "审批单位"],
    "submitted_on": ["申报时间", "申请时间", "申报日期", "收件时间"],
    "accepted_on": ["受理时间", "受理日期"],
    "approved_on": ["办结时间", "办结日期", "审批时间"],
    "status": ["办件状态", "办理状态", "状态"],
    "result": ["办理结果", "审批结果"],
    "documents": ["批文文号", "批复文号", "证照编号", "文号"],
    "reason": ["退回原因", "补正原因", "退回/补正原因", "不予受理原因", "备注"],
}
LABELS = {field: names[0] for field, names in ALIASES.items()}
COLUMN_HELP = [(names[0], "、".join(names[1:])) for names in ALIASES.values()]
RETURNED = re.compile(r"退回|补正|不予")
DATE_FIELDS = ("submitted_on", "accepted_on", "approved_on")


def _date(value) -> dt.date | None:
    if value is None or cell_text(value) == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    match = re.match(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})", cell_text(value))
    if not match:
        raise ValueError
    return dt.date(*(int(g) for g in match.groups()))


def _header(table: list[list]) -> tuple[int, dict[str, int]] | None:
    """The header row (within the first ten) and the position of each known column."""
    for number, row in enumerate(table[:10]):
        texts = [re.sub(r"\s", "", cell_text(v)) for v in row]
        found = {}
        for field, names in ALIASES.items():
            for name in names:
                if name in texts:
                    found[field] = texts.index(name)
                    break
        if "kind" in found and ("code" in found or "name" in found):
            return number, found
    return None


def _kind_lookup() -> dict[str, ApprovalKind]:
    lookup = {}
    for kind in ApprovalKind.objects.all():
        lookup[kind.name] = kind
        for alias in re.split(r"[；;]", kind.aliases):
            if alias.strip():
                lookup[alias.strip()] = kind
    return lookup


def validate(*, user, content: bytes, today: dt.date | None = None) -> tuple[list[dict], list[RowError]]:
    """Check a whole export; the staged rows (dates as ISO strings) and every error found."""
    today = today or timezone.localdate()
    try:
        table = progress_importers.read_rows(content)
    except FileRejected as rejected:
        return [], ErrorList([RowError(0, "文件", "", f"无法读取该文件：{rejected}")])
    located = _header(table)
    if located is None:
        return [], ErrorList(
            [
                RowError(
                    0, "文件", "", "没有找到表头：前10行中应有“事项名称”列，以及“项目代码”或“项目名称”列。"
                )
            ]
        )
    header_row, index = located

    def cell(row, field):
        position = index.get(field)
        return row[position] if position is not None and position < len(row) else None

    body = [
        (number, row)
        for number, row in enumerate(table[header_row + 1 :], start=header_row + 2)
        if cell_text(cell(row, "kind")) or cell_text(cell(row, "name")) or cell_text(cell(row, "code"))
    ]
    visible = Project.objects.visible_to(user)
    codes = {cell_text(cell(r, "code")) for _, r in body} - {""}
    names = {cell_text(cell(r, "name")) for _, r in body} - {""}
    by_code = {p.investment_code: p for p in visible.filter(investment_code__in=codes)}
    by_name: dict[str, list[Project]] = {}
    for project in visible.filter(name__in=names):
        by_name.setdefault(project.name, []).append(project)
    kinds = _kind_lookup()
    items = {
        (i.project_id, i.kind_id): i
        for i in ApprovalItem.objects.filter(
            project__in=[*by_code.values(), *(p for ps in by_name.values() for p in ps)]
        ).select_related("kind", "project", "unit")
    }
    units = {
        u.name: u.pk for u in OrgUnit.objects.filter(name__in={cell_text(cell(r, "unit")) for _, r in body})
    }
    errors: list[RowError] = ErrorList()
    staged: list[dict] = []
    seen: dict[int, int] = {}
    for number, row in body:
        before = errors.total  # counts every error, also those past the kept ones
        code, name = cell_text(cell(row, "code")), cell_text(cell(row, "name"))
        project = by_code.get(code) if code else None
        if project is None:
            matches = by_name.get(name, [])
            if len(matches) == 1:
                project = matches[0]
            elif len(matches) > 1:
                errors.append(
                    RowError(number, LABELS["name"], name, "有多个同名项目，请在项目中登记投资项目代码。")
                )
            else:
                shown = code or name
                errors.append(
                    RowError(
                        number,
                        LABELS["code"] if code else LABELS["name"],
                        shown,
                        "找不到该项目（按投资项目代码和项目名称都未匹配），或不在您的权限范围内。",
                    )
                )
        kind_text = re.sub(r"\s", "", cell_text(cell(row, "kind")))
        kind = kinds.get(kind_text)
        if kind is None:
            errors.append(RowError(number, LABELS["kind"], kind_text, "不认识的审批事项名称。"))
        item = items.get((project.pk, kind.pk)) if project and kind else None
        if project and kind and item is None:
            errors.append(
                RowError(
                    number, LABELS["kind"], kind_text, f"项目“{project.name}”的手续清单中没有“{kind.name}”。"
                )
            )
        elif item is not None and not services.can_record(user, item):
            errors.append(RowError(number, LABELS["kind"], kind_text, "您无权登记该事项。"))
        dates: dict[str, dt.date | None] = {}
        for field in DATE_FIELDS:
            raw = cell(row, field)
            try:
                dates[field] = _date(raw)
            except ValueError:
                errors.append(RowError(number, LABELS[field], cell_text(raw), "日期格式应为 2026-05-08。"))
                dates[field] = None
        outcome = f"{cell_text(cell(row, 'status'))}{cell_text(cell(row, 'result'))}"
        returned_on = None
        if RETURNED.search(outcome):
            returned_on = dates["approved_on"] or dates["accepted_on"] or dates["submitted_on"]
            dates["approved_on"] = None
        reason = cell_text(cell(row, "reason")) or (cell_text(cell(row, "result")) if returned_on else "")
        if item is not None:
            date_errors = services.check_dates(
                submitted_on=dates["submitted_on"],
                accepted_on=dates["accepted_on"],
                approved_on=dates["approved_on"],
                returned_on=returned_on,
                today=today,
            )
            for field, messages in date_errors.items():
                for message in messages:
                    errors.append(
                        RowError(number, LABELS.get(field, "办结时间"), cell_text(cell(row, field)), message)
                    )
            if item.approved_on and dates["approved_on"] and dates["approved_on"] != item.approved_on:
                errors.append(
                    RowError(
                        number,
                        LABELS["approved_on"],
                        f"{dates['approved_on']:%Y-%m-%d}",
                        f"“{kind.name}”已于{item.approved_on:%Y-%m-%d}办结，不能重复办结。",
                    )
                )
            if item.pk in seen:
                errors.append(
                    RowError(
                        number, LABELS["kind"], kind_text, f"与第{seen[item.pk]}行重复（同一项目同一事项）。"
                    )
                )
            seen[item.pk] = number
        if errors.total == before and item is not None:
            staged.append(
                {
                    "row": number,
                    "item_id": item.pk,
                    "project_id": item.project_id,
                    "code": item.project.code,
                    "name": item.project.name,
                    "kind": item.kind.name,
                    "unit_id": units.get(cell_text(cell(row, "unit"))) or item.unit_id,
                    "unit": cell_text(cell(row, "unit")) or (item.unit.name if item.unit_id else ""),
                    **{f: d.isoformat() if d else None for f, d in dates.items()},
                    "returned_on": returned_on.isoformat() if returned_on else None,
                    "return_reason": reason[:300] if returned_on else "",
                    "documents": cell_text(cell(row, "documents"))[:500],
                }
            )
    if not staged and not errors:
        errors.append(RowError(header_row + 2, "文件", "", "文件中没有办件数据行。"))
    errors.sort(key=lambda e: e.row)
    return staged, errors


@transaction.atomic
def stage_file(*, user, file_name: str, content: bytes, today: dt.date | None = None) -> ProgressImportBatch:
    """Check an export and keep it as a batch: staged for confirmation, or rejected with its errors."""
    if not project_services.can_edit_project(user):
        raise PermissionDenied("您无权导入审批办件。")
    rows, errors = validate(user=user, content=content, today=today)
    return progress_importers.keep_batch(
        user=user, file_name=file_name, content=content, rows=rows, errors=errors, kind=ImportKind.APPROVALS
    )


FIELDS = [
    "unit_id",
    "submitted_on",
    "accepted_on",
    "approved_on",
    "returned_on",
    "return_reason",
    "documents",
]
WRITTEN = [*FIELDS, "days_taken", "batch"]


def _stored(item: ApprovalItem) -> dict:
    return {
        "unit_id": item.unit_id,
        **{f: getattr(item, f).isoformat() if getattr(item, f) else None for f in FIELDS[1:5]},
        "return_reason": item.return_reason,
        "documents": item.documents,
    }


def _assign(item: ApprovalItem, values: dict) -> None:
    item.unit_id = values["unit_id"]
    for field in FIELDS[1:5]:
        setattr(item, field, dt.date.fromisoformat(values[field]) if values[field] else None)
    item.return_reason, item.documents = values["return_reason"], values["documents"]
    services.stamp(item)


@transaction.atomic
def apply_batch(*, user, batch: ProgressImportBatch) -> ProgressImportBatch:
    """Apply a staged export in one transaction; items already holding the same dates stay untouched."""
    batch = ProgressImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.uploaded_by_id != user.pk and not project_services.can_manage_settings(user):
        raise PermissionDenied("只能确认自己上传的批次。")
    if batch.status != BatchStatus.STAGED:
        raise ValidationError(f"该批次状态为“{batch.get_status_display()}”，不能导入。")
    items = (
        ApprovalItem.objects.select_for_update()
        .select_related("project", "kind")
        .in_bulk([r["item_id"] for r in batch.rows])
    )
    if len(items) != len(batch.rows) or any(not services.can_record(user, i) for i in items.values()):
        raise PermissionDenied("批次中有已删除或不在您权限范围内的事项。")
    changed, previous = [], []
    for row in batch.rows:
        item = items[row["item_id"]]
        wanted = {
            "unit_id": row["unit_id"],
            **{f: row[f] for f in FIELDS[1:5]},
            "return_reason": row["return_reason"],
            "documents": row["documents"] or item.documents,
        }
        if item.approved_on and row["approved_on"] and row["approved_on"] != item.approved_on.isoformat():
            raise ValidationError(
                f"第{row['row']}行：“{item.kind.name}”已于{item.approved_on:%Y-%m-%d}办结，不能重复办结。"
            )
        if _stored(item) == wanted:
            continue
        previous.append({"item_id": item.pk, "batch_id": item.batch_id, **_stored(item)})
        _assign(item, wanted)
        item.batch = batch
        changed.append(item)
    if changed:
        bulk_update_with_history(
            changed,
            ApprovalItem,
            WRITTEN,
            batch_size=500,
            default_user=user,
            default_change_reason=f"导入：{batch.file_name}",
        )
    batch.status = BatchStatus.APPLIED
    batch.created_count, batch.updated_count = 0, len(changed)
    batch.previous = previous
    batch.applied_at = timezone.now()
    batch._history_user = user
    batch.save()
    project_services.lights_refresh(project_ids=sorted({i.project_id for i in changed}))
    return batch


@transaction.atomic
def rollback_batch(*, user, batch: ProgressImportBatch) -> ProgressImportBatch:
    """Undo an applied export: every item it changed gets its previous dates back."""
    batch = ProgressImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.uploaded_by_id != user.pk and not project_services.can_manage_settings(user):
        raise PermissionDenied("只能撤销自己导入的批次。")
    if batch.status != BatchStatus.APPLIED:
        raise ValidationError(f"该批次状态为“{batch.get_status_display()}”，不能撤销。")
    items = ApprovalItem.objects.select_for_update().in_bulk([p["item_id"] for p in batch.previous])
    if len(items) != len(batch.previous) or any(i.batch_id != batch.pk for i in items.values()):
        raise ValidationError("该批次的部分事项已被之后的导入或登记修改，不能撤销。")
    restored = []
    for entry in batch.previous:
        item = items[entry["item_id"]]
        _assign(item, entry)
        item.batch_id = entry["batch_id"]
        restored.append(item)
    if restored:
        bulk_update_with_history(
            restored,
            ApprovalItem,
            WRITTEN,
            batch_size=500,
            default_user=user,
            default_change_reason=f"撤销导入：{batch.file_name}",
        )
    batch.status = BatchStatus.ROLLED_BACK
    batch.rolled_back_at = timezone.now()
    batch._history_user = user
    batch.save()
    project_services.lights_refresh(project_ids=sorted({i.project_id for i in restored}))
    return batch
