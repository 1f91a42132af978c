"""Monthly progress from a spreadsheet: staged, validated as a whole, applied atomically, undoable.

A file with any invalid row changes nothing and lists every error (row, column, value, reason).
A valid file is staged as a batch for the user to confirm; applying it upserts by (project,
month) and keeps what each row held before, so the batch can be rolled back. Re-importing the
same figures changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from qiangxian.core import audit, exports
from qiangxian.core.choices import AuditKind
from qiangxian.core.sheets import ErrorList, FileRejected, RowError, cell_text, read_first_sheet

from . import services
from .choices import LEAD_STAGES, BatchStatus, ImportKind
from .models import ProgressImportBatch, Project, ProjectProgress

WAN = Decimal(10_000)
HEADERS = [
    "项目编号",
    "项目名称",
    "月份",
    "本月完成投资（万元）",
    "累计完成投资（万元）",
    "本月到位资金（万元）",
    "是否入库",
    "进展情况",
]
NOTES = [
    "填报说明：",
    "1. 每行一个项目一个月份；项目编号必填，项目名称用于核对。",
    "2. 月份格式：2026-05（也可写 2026年5月）。",
    "3. 金额单位均为万元，可保留四位小数；累计完成投资可不填，按上月累计加本月计算。",
    "4. 是否入库：填“是”或“否”（已纳入固定资产投资统计的填“是”）。",
    "5. 文件中任何一行有错误，整个文件都不会导入，系统会列出全部错误。",
]
FIELDS = ["completed_investment", "completed_to_date", "funds_in_place"]


def _month(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date().replace(day=1)
    if isinstance(value, dt.date):
        return value.replace(day=1)
    match = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?(?:[-/.]\d{1,2})?", cell_text(value))
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    return dt.date(year, month, 1) if 1 <= month <= 12 else None


def _money(value) -> Decimal | None:
    """万元 in the file, yuan out; floats from the reader go through str() to stay exact."""
    if value is None or cell_text(value) == "":
        return None
    try:
        number = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation as exc:
        raise ValueError from exc
    if not number.is_finite():
        raise ValueError
    return number * WAN


def _flag(value) -> bool | None:
    text = cell_text(value).lower()
    if text in ("", "否", "n", "no", "0", "false", "未入库"):
        return False
    if text in ("是", "y", "yes", "1", "true", "已入库"):
        return True
    return None


def read_rows(content: bytes) -> list[list]:
    """All rows of the first sheet (header included) as Python values."""
    return read_first_sheet(content)


def validate(*, user, content: bytes, today: dt.date | None = None) -> tuple[list[dict], list[RowError]]:
    """Parse and check a whole file; returns staged rows (yuan as strings) and every error found."""
    today = today or timezone.localdate()
    errors: list[RowError] = ErrorList()
    try:
        table = read_rows(content)
    except FileRejected as rejected:
        return [], ErrorList([RowError(0, "文件", "", f"无法读取该文件：{rejected}")])
    if not table:
        return [], ErrorList([RowError(0, "文件", "", "文件是空的。")])
    header = [cell_text(h) for h in table[0]]
    index = {}
    for name in HEADERS:
        if name in header:
            index[name] = header.index(name)
        elif name in ("项目编号", "月份", "本月完成投资（万元）"):
            errors.append(RowError(1, name, "", f"缺少“{name}”列，请使用模板。"))
    if errors:
        return [], errors

    def cell(row, name):
        position = index.get(name)
        return row[position] if position is not None and position < len(row) else None

    body = [(number, row) for number, row in enumerate(table[1:], start=2) if any(cell_text(v) for v in row)]
    codes = {cell_text(cell(row, "项目编号")).upper() for _, row in body}
    visible = {p.code: p for p in Project.objects.visible_to(user).filter(code__in=codes)}
    existing: dict[tuple[int, dt.date], ProjectProgress] = {
        (p.project_id, p.month): p for p in ProjectProgress.objects.filter(project__in=visible.values())
    }
    parsed = []
    seen: dict[tuple[int, dt.date], int] = {}
    for number, row in body:
        row_errors = errors.total  # counts every error, also those past the kept ones
        code = cell_text(cell(row, "项目编号")).upper()
        project = visible.get(code)
        if not code:
            errors.append(RowError(number, "项目编号", "", "项目编号必填。"))
        elif project is None:
            errors.append(RowError(number, "项目编号", code, "项目编号不存在，或不在您的权限范围内。"))
        elif not services.can_edit_project(user, project):
            errors.append(RowError(number, "项目编号", code, "您无权填报该项目的进度。"))
        elif project.stage in LEAD_STAGES:
            errors.append(RowError(number, "项目编号", code, "项目尚未签约，不能填报投资进度。"))
        name = cell_text(cell(row, "项目名称"))
        if project is not None and name and name != project.name:
            errors.append(
                RowError(number, "项目名称", name, f"项目名称与编号不符（系统中为“{project.name}”）。")
            )
        raw_month = cell(row, "月份")
        month = _month(raw_month)
        if month is None:
            errors.append(RowError(number, "月份", cell_text(raw_month), "月份格式应为 2026-05。"))
        elif month > today.replace(day=1):
            errors.append(RowError(number, "月份", f"{month:%Y-%m}", "不能填报未来月份的进度。"))
        amounts: dict[str, Decimal | None] = {}
        for field, column in zip(FIELDS, HEADERS[3:6], strict=True):
            raw = cell(row, column)
            try:
                amounts[field] = _money(raw)
            except ValueError:
                errors.append(RowError(number, column, cell_text(raw), "应为数字（单位：万元）。"))
                continue
            if amounts[field] is not None and amounts[field] < 0:
                errors.append(RowError(number, column, cell_text(raw), "金额不能为负数。"))
        if amounts.get("completed_investment") is None and "本月完成投资（万元）" not in [
            e.column for e in errors[row_errors:]
        ]:
            errors.append(RowError(number, "本月完成投资（万元）", "", "本月完成投资必填（没有投资填 0）。"))
        flag = _flag(cell(row, "是否入库"))
        if flag is None:
            errors.append(RowError(number, "是否入库", cell_text(cell(row, "是否入库")), "应填“是”或“否”。"))
        if project is not None and month is not None:
            key = (project.pk, month)
            if key in seen:
                errors.append(
                    RowError(number, "月份", f"{month:%Y-%m}", f"与第{seen[key]}行重复（同一项目同一月份）。")
                )
            seen[key] = number
        if errors.total == row_errors:
            parsed.append(
                {
                    "row": number,
                    "project": project,
                    "month": month,
                    "in_statistics": flag,
                    "notes": cell_text(cell(row, "进展情况"))[:500],
                    **amounts,
                }
            )

    # Cumulative figures are checked month by month, the file's rows merged with what is stored.
    timeline: dict[int, dict[dt.date, Decimal]] = {}
    for (project_id, month), row in existing.items():
        timeline.setdefault(project_id, {})[month] = row.completed_to_date
    staged = []
    for item in sorted(parsed, key=lambda r: (r["project"].pk, r["month"])):
        project, month = item["project"], item["month"]
        months = timeline.setdefault(project.pk, {})
        earlier = [m for m in months if m < month]
        previous = months[max(earlier)] if earlier else Decimal(0)
        to_date = item["completed_to_date"]
        if to_date is None:
            to_date = previous + item["completed_investment"]
        elif to_date < previous:
            errors.append(
                RowError(
                    item["row"],
                    "累计完成投资（万元）",
                    f"{to_date / WAN}",
                    f"累计完成投资不能小于上月累计（{previous / WAN}万元）。",
                )
            )
            continue
        if project.total_investment and to_date > project.total_investment * Decimal("1.5"):
            errors.append(
                RowError(
                    item["row"],
                    "累计完成投资（万元）",
                    f"{to_date / WAN}",
                    "累计完成投资超过总投资的1.5倍，请核实单位（应为万元）。",
                )
            )
            continue
        months[month] = to_date
        staged.append(
            {
                "row": item["row"],
                "project_id": project.pk,
                "code": project.code,
                "name": project.name,
                "month": month.isoformat(),
                "completed_investment": str(item["completed_investment"]),
                "completed_to_date": str(to_date),
                "funds_in_place": str(item["funds_in_place"] or 0),
                "in_statistics": item["in_statistics"],
                "notes": item["notes"],
            }
        )
    if not staged and not errors:
        errors.append(RowError(2, "文件", "", "文件中没有数据行。"))
    errors.sort(key=lambda e: (e.row, HEADERS.index(e.column) if e.column in HEADERS else -1))
    return staged, errors


@transaction.atomic
def stage_file(*, user, file_name: str, content: bytes, today: dt.date | None = None) -> ProgressImportBatch:
    """Check a file and keep it as a batch: staged for confirmation, or rejected with its errors."""
    if not services.can_edit_project(user):
        raise PermissionDenied("您无权导入项目进度。")
    rows, errors = validate(user=user, content=content, today=today)
    return keep_batch(user=user, file_name=file_name, content=content, rows=rows, errors=errors)


def keep_batch(
    *,
    user,
    file_name: str,
    content: bytes,
    rows: list[dict],
    errors: ErrorList,
    kind: str = ImportKind.PROGRESS,
) -> ProgressImportBatch:
    """Save a checked file as a batch: its staged rows, or rejected with the (capped) errors."""
    batch = ProgressImportBatch(
        kind=kind,
        file_name=file_name[:200],
        file_sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=user,
        row_count=len(rows) + len({e.row for e in errors}),
    )
    if errors:
        batch.status = BatchStatus.REJECTED
        batch.errors = errors.as_dicts()
    else:
        batch.rows = rows
    batch._history_user = user
    batch.save()
    return batch


def _values(row: ProjectProgress) -> dict:
    return {
        "completed_investment": str(row.completed_investment),
        "completed_to_date": str(row.completed_to_date),
        "funds_in_place": str(row.funds_in_place),
        "in_statistics": row.in_statistics,
        "notes": row.notes,
    }


@transaction.atomic
def apply_batch(*, user, batch: ProgressImportBatch) -> ProgressImportBatch:
    """Apply a staged batch in one transaction; rows that already hold the same figures stay untouched."""
    batch = ProgressImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.uploaded_by_id != user.pk and not services.can_manage_settings(user):
        raise PermissionDenied("只能确认自己上传的批次。")
    if batch.status != BatchStatus.STAGED:
        raise ValidationError(f"该批次状态为“{batch.get_status_display()}”，不能导入。")
    # Permissions may have changed since staging: check again against the user's projects now.
    allowed = set(
        Project.objects.visible_to(user)
        .filter(pk__in={r["project_id"] for r in batch.rows})
        .values_list("pk", flat=True)
    )
    if any(r["project_id"] not in allowed for r in batch.rows):
        raise PermissionDenied("批次中有不在您权限范围内的项目。")
    keys = {(r["project_id"], dt.date.fromisoformat(r["month"])) for r in batch.rows}
    existing = {
        (p.project_id, p.month): p
        for p in ProjectProgress.objects.filter(project_id__in={k[0] for k in keys})
        if (p.project_id, p.month) in keys
    }
    to_create, to_update, previous = [], [], []
    for r in batch.rows:
        month = dt.date.fromisoformat(r["month"])
        values = {
            "completed_investment": Decimal(r["completed_investment"]),
            "completed_to_date": Decimal(r["completed_to_date"]),
            "funds_in_place": Decimal(r["funds_in_place"]),
            "in_statistics": r["in_statistics"],
            "notes": r["notes"],
        }
        row = existing.get((r["project_id"], month))
        if row is None:
            to_create.append(ProjectProgress(project_id=r["project_id"], month=month, batch=batch, **values))
            previous.append({"project_id": r["project_id"], "month": r["month"], "existed": False})
            continue
        if all(getattr(row, k) == v for k, v in values.items()):
            continue
        previous.append(
            {
                "project_id": r["project_id"],
                "month": r["month"],
                "existed": True,
                "batch_id": row.batch_id,
                **_values(row),
            }
        )
        for key, value in values.items():
            setattr(row, key, value)
        row.batch = batch
        to_update.append(row)
    if to_create:
        bulk_create_with_history(
            to_create,
            ProjectProgress,
            batch_size=500,
            default_user=user,
            default_change_reason=f"导入：{batch.file_name}",
        )
    if to_update:
        bulk_update_with_history(
            to_update,
            ProjectProgress,
            [*FIELDS, "in_statistics", "notes", "batch"],
            batch_size=500,
            default_user=user,
            default_change_reason=f"导入：{batch.file_name}",
        )
    batch.status = BatchStatus.APPLIED
    batch.created_count, batch.updated_count = len(to_create), len(to_update)
    batch.previous = previous
    batch.applied_at = timezone.now()
    batch._history_user = user
    batch.save()
    audit.record_import(
        AuditKind.IMPORT_COMMIT,
        user=user,
        label="项目进度",
        batch=batch,
        rows=len(to_create) + len(to_update),
    )
    services.lights_refresh(project_ids=sorted({k[0] for k in keys}))
    return batch


@transaction.atomic
def rollback_batch(*, user, batch: ProgressImportBatch) -> ProgressImportBatch:
    """Undo an applied batch: rows it created are removed, rows it changed get their old figures back."""
    batch = ProgressImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.uploaded_by_id != user.pk and not services.can_manage_settings(user):
        raise PermissionDenied("只能撤销自己导入的批次。")
    if batch.status != BatchStatus.APPLIED:
        raise ValidationError(f"该批次状态为“{batch.get_status_display()}”，不能撤销。")
    keys = {(p["project_id"], dt.date.fromisoformat(p["month"])) for p in batch.previous}
    rows = {
        (r.project_id, r.month): r
        for r in ProjectProgress.objects.filter(project_id__in={k[0] for k in keys})
        if (r.project_id, r.month) in keys
    }
    if any(row.batch_id != batch.pk for row in rows.values()) or len(rows) != len(keys):
        raise ValidationError("该批次的部分数据已被之后的导入或填报修改，不能撤销。")
    for entry in batch.previous:
        row = rows[(entry["project_id"], dt.date.fromisoformat(entry["month"]))]
        row._history_user = user
        row._change_reason = f"撤销导入：{batch.file_name}"
        if not entry["existed"]:
            row.delete()
            continue
        for key in FIELDS:
            setattr(row, key, Decimal(entry[key]))
        row.in_statistics, row.notes, row.batch_id = (
            entry["in_statistics"],
            entry["notes"],
            entry.get("batch_id"),
        )
        row.save()
    batch.status = BatchStatus.ROLLED_BACK
    batch.rolled_back_at = timezone.now()
    batch._history_user = user
    batch.save()
    audit.record_import(AuditKind.IMPORT_ROLLBACK, user=user, label="项目进度", batch=batch)
    services.lights_refresh(project_ids=sorted({k[0] for k in keys}))
    return batch


def template_xlsx(*, user, month: dt.date) -> bytes:
    """The import template, pre-filled with the user's signed projects for one month."""
    projects = (
        Project.objects.visible_to(user)
        .exclude(stage__in=[*LEAD_STAGES, "terminated"])
        .order_by("code")
        .values_list("code", "name")
    )
    rows = ([code, name, f"{month:%Y-%m}", None, None, None, "否", ""] for code, name in projects)
    buffer = io.BytesIO()
    exports.write_xlsx(buffer, sheets=[("月度进度", HEADERS, rows)], notes=NOTES)
    return buffer.getvalue()
