"""Writes of the monitoring module: import profiles and batches, targets, official figures, settings.

Keyword-only, one transaction each, validated first. Commits and rollbacks refresh the stored
rollups of the months they touch inside the same transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone

from qiangxian.core import audit
from qiangxian.core import services as core_services
from qiangxian.core import tasks as core_tasks
from qiangxian.core.access import may_issue, require_own_level, scope_of, settings_county_id
from qiangxian.core.bulk import bulk_insert
from qiangxian.core.choices import AuditKind
from qiangxian.core.models import OrgUnit

from . import importers, rollup, sheets
from .fact_writes import CHANGED_ONLY, merge_staged, merge_staged_sqlite, restore_columns
from .figures import ANNUAL_FIGURES, MONTHLY_FIGURES, Source, monthly_columns
from .models import (
    AnnualFact,
    FactRevision,
    ImportBatch,
    ImportProfile,
    MonitorSettings,
    MonthlyFact,
    OfficialFigure,
    Target,
)

# Files larger than this are validated and committed by the task worker, with progress.
BACKGROUND_BYTES = 400_000
BACKGROUND_ROWS = 5000


def _require_manage(actor) -> None:
    if not getattr(actor, "can_manage", False):
        raise PermissionDenied("只有领导小组办公室和系统管理员可以导入、提交或撤销数据。")


# --- profiles ------------------------------------------------------------------------------

DEFAULT_PROFILES = {
    Source.STATS: (
        "统计局规上工业月报",
        [
            ("工业总产值（万元）", "gross_output", "wan", "ytd", "current"),
            ("工业总产值上年同期（万元）", "gross_output", "wan", "ytd", "last"),
            ("工业销售产值（万元）", "sales_output", "wan", "ytd", "current"),
            ("出口交货值（万元）", "export_delivery", "wan", "ytd", "current"),
            ("营业收入（万元）", "revenue", "wan", "ytd", "current"),
            ("营业收入上年同期（万元）", "revenue", "wan", "ytd", "last"),
            ("主营业务收入（万元）", "main_revenue", "wan", "ytd", "current"),
            ("利润总额（万元）", "profit", "wan", "ytd", "current"),
            ("从业人员平均人数（人）", "employees", "person", "ytd", "current"),
            ("研发费用（万元）", "rd_expense", "wan", "ytd", "current"),
        ],
    ),
    Source.POWER: (
        "供电公司工业用电月报",
        [
            ("当月用电量（万千瓦时）", "electricity_kwh", "wan_kwh", "month", "current"),
            ("上年同月用电量（万千瓦时）", "electricity_kwh", "wan_kwh", "month", "last"),
        ],
    ),
    Source.TAX: (
        "税务局企业税收月报",
        [
            ("累计实缴税金（元）", "tax_paid", "yuan", "ytd", "current"),
            ("上年同期实缴税金（元）", "tax_paid", "yuan", "ytd", "last"),
        ],
    ),
}


def _columns(spec) -> list[dict]:
    return [{"header": h, "figure": f, "unit": u, "basis": b, "year": y} for h, f, u, b, y in spec]


def check_columns(columns: list[dict], kind: str) -> None:
    """Each mapped column names a known figure, a unit fitting it, and a unique header."""
    catalogue = ANNUAL_FIGURES if kind == ImportProfile.Kind.ANNUAL else MONTHLY_FIGURES
    from .figures import units_for

    errors, headers = [], set()
    for i, col in enumerate(columns, start=1):
        header = str(col.get("header", "")).strip()
        figure = catalogue.get(col.get("figure", ""))
        if not header:
            errors.append(f"第{i}列：请填写列标题。")
        elif header in headers:
            errors.append(f"第{i}列：列标题“{header}”重复。")
        headers.add(header)
        if figure is None:
            errors.append(f"第{i}列：未知的指标“{col.get('figure', '')}”。")
        elif col.get("unit") not in units_for(figure):
            errors.append(f"第{i}列：“{figure.name}”不能使用该单位。")
    if not columns:
        errors.append("请至少映射一列数据。")
    if errors:
        raise ValidationError({"columns": errors})


@transaction.atomic
def profile_save(
    *,
    actor,
    profile: ImportProfile | None = None,
    name: str,
    source: str,
    kind: str,
    match_by: str,
    key_column: str,
    name_column: str,
    period_column: str,
    columns: list[dict],
    note: str = "",
    sheet_name: str = "",
    header_row: int = 1,
    skip_total_rows: bool = True,
    skip_blank_key: bool = True,
) -> ImportProfile:
    """Create or change an import profile (its columns, and where the table sits in the workbook)."""
    _require_manage(actor)
    check_columns(columns, kind)
    if match_by == ImportProfile.MatchBy.USCC and not key_column.strip():
        raise ValidationError({"key_column": "按统一社会信用代码匹配时，请指定代码所在的列。"})
    if match_by == ImportProfile.MatchBy.NAME and not name_column.strip():
        raise ValidationError({"name_column": "按企业名称匹配时，请指定名称所在的列。"})
    if not 1 <= int(header_row) <= 50:
        raise ValidationError({"header_row": "表头所在行应在第1至50行之间。"})
    profile = profile or ImportProfile()
    profile.name, profile.source, profile.kind, profile.match_by = name.strip(), source, kind, match_by
    profile.key_column, profile.name_column = key_column.strip(), name_column.strip()
    profile.period_column, profile.columns, profile.note = period_column.strip(), columns, note
    profile.sheet_name, profile.header_row = sheet_name.strip(), int(header_row)
    profile.skip_total_rows, profile.skip_blank_key = skip_total_rows, skip_blank_key
    profile.full_clean()
    profile._history_user = actor
    profile.save()
    return profile


def default_profiles(*, actor) -> dict[str, ImportProfile]:
    """The three usual sources' profiles (created once, reused)."""
    result = {}
    for source, (name, spec) in DEFAULT_PROFILES.items():
        profile = ImportProfile.objects.filter(name=name).first()
        if profile is None:
            profile = ImportProfile(name=name, source=source, columns=_columns(spec), note="系统预置方案")
            profile._history_user = actor
            profile.save()
        result[source] = profile
    return result


def profile_snapshot(profile: ImportProfile) -> dict:
    return {
        "id": profile.pk,
        "name": profile.name,
        "kind": profile.kind,
        "match_by": profile.match_by,
        "key_column": profile.key_column,
        "name_column": profile.name_column,
        "period_column": profile.period_column,
        "columns": profile.columns,
        "source": profile.source,
        "sheet_name": profile.sheet_name,
        "header_row": profile.header_row,
        "skip_total_rows": profile.skip_total_rows,
        "skip_blank_key": profile.skip_blank_key,
    }


# --- batches -------------------------------------------------------------------------------


ACTIVE = (
    ImportBatch.Status.VALIDATING,
    ImportBatch.Status.STAGED,
    ImportBatch.Status.COMMITTING,
    ImportBatch.Status.COMMITTED,
)


def _store_upload(uploaded, path) -> str:
    """Write the upload to ``path``; returns the SHA-256 of its bytes."""
    digest = hashlib.sha256()
    with open(path, "wb") as stream:
        chunks = (
            uploaded.chunks() if hasattr(uploaded, "chunks") else iter(lambda: uploaded.read(1 << 20), b"")
        )
        for chunk in chunks:
            digest.update(chunk)
            stream.write(chunk)
    return digest.hexdigest()


def import_upload(
    *, actor, profile: ImportProfile, uploaded, month: dt.date | None, combined_jan_feb: bool = False
) -> ImportBatch:
    """Store an uploaded sheet as a new batch and validate it (in the background when large).

    A file that is no workbook is refused with a Chinese message and leaves no batch behind. A
    file identical to one already staged for the same profile and month returns that batch
    (``batch.already_uploaded``); one identical to a committed file is staged again and its
    review says when the same file was imported.
    """
    _require_manage(actor)
    name = getattr(uploaded, "name", "upload.xlsx") or "upload.xlsx"
    try:
        sheets.check_name(name)
    except sheets.FileUnreadable as error:
        raise ValidationError({"file": str(error)}) from error
    if month is None and not profile.period_column:
        raise ValidationError({"month": "请选择报表月份（该方案的表格中没有期别列）。"})
    if combined_jan_feb and month and month.month != 2:
        raise ValidationError({"combined_jan_feb": "1-2月合并报表的月份应为2月。"})
    month = dt.date(month.year, month.month, 1) if month else None
    suffix = os.path.splitext(name)[1].lower()
    folder = importers.import_dir()
    temp = folder / f"upload-{os.getpid()}-{dt.datetime.now().timestamp():.6f}{suffix}"
    try:
        file_hash = _store_upload(uploaded, temp)
        workbook = sheets.open_workbook(temp)
        names = workbook.sheet_names
        workbook.close()  # validation opens it again: not two open copies at once
        if profile.sheet_name and profile.sheet_name not in names:
            raise sheets.FileUnreadable(
                f"文件中没有方案指定的工作表“{profile.sheet_name}”（现有：{'、'.join(names)}）。"
            )
    except sheets.FileUnreadable as error:
        temp.unlink(missing_ok=True)
        raise ValidationError({"file": str(error)}) from error
    same = ImportBatch.objects.filter(file_hash=file_hash, status__in=ACTIVE).order_by("-created_at").first()
    unfinished = same is not None and same.status != ImportBatch.Status.COMMITTED
    if unfinished and same.profile_id == profile.pk and same.month == month:
        temp.unlink(missing_ok=True)
        same.already_uploaded = True
        return same
    batch = ImportBatch.objects.create(
        profile=profile,
        source=profile.source,
        file_name=name[:200],
        file_hash=file_hash,
        month=month,
        combined_jan_feb=combined_jan_feb,
        created_by=actor,
        county_id=actor.org_unit.county_id if actor.org_unit_id else None,
        review={"profile": profile_snapshot(profile), **_same_file(same)},
    )
    path = folder / f"batch-{batch.pk}{suffix}"
    os.replace(temp, path)
    batch.stored_file = str(path)
    batch.save(update_fields=["stored_file"])
    if path.stat().st_size > BACKGROUND_BYTES:
        from .tasks import validate_batch_task

        batch.job = core_services.job_create(owner=actor, kind="statistics_import", title=f"校验：{name}")
        batch.save(update_fields=["job"])
        validate_batch_task.enqueue(batch.pk, batch.job.pk)
    else:
        try:
            import_validate(batch=batch)
        except sheets.FileUnreadable as error:
            _delete_batch(batch)
            raise ValidationError({"file": str(error)}) from error
    batch.refresh_from_db()
    return batch


def _same_file(same: ImportBatch | None) -> dict:
    if same is None:
        return {}
    return {
        "same_file": {
            "batch_id": same.pk,
            "at": timezone.localtime(same.committed_at or same.created_at).strftime("%Y年%m月%d日 %H:%M"),
            "status": same.get_status_display(),
        }
    }


def _delete_batch(batch: ImportBatch) -> None:
    """Remove a batch that holds no facts, with its stored and staged files."""
    importers.discard_staged(batch)
    if batch.stored_file:
        Path(batch.stored_file).unlink(missing_ok=True)
    batch.delete()


def import_validate(*, batch: ImportBatch, progress=None) -> ImportBatch:
    """Validate a stored batch: status becomes 待提交 or 校验未通过, with the review.

    Raises :class:`sheets.FileUnreadable` for a file calamine cannot read (no status is set).
    """
    snapshot = batch.review.get("profile") or profile_snapshot(batch.profile)
    try:
        staged = importers.validate_file(batch, snapshot, progress=progress)
    except Exception:
        importers.discard_staged(batch)
        raise
    from .import_review import column_notes

    review = {
        "profile": snapshot,
        **{k: v for k, v in batch.review.items() if k == "same_file"},
        **staged.review(),
        "column_notes": [n for n in column_notes(snapshot["columns"], batch.source, snapshot["kind"])],
    }
    batch.review = review
    batch.row_count = staged.row_count
    batch.error_count = staged.error_count
    batch.months = review["months"]
    if staged.error_count:
        batch.status = ImportBatch.Status.INVALID
    elif not staged.staged_count:
        batch.status = ImportBatch.Status.INVALID
        batch.error_count = 1
        batch.review["errors"] = [
            {"row": "", "column": "", "value": "", "reason": "文件中没有可导入的企业数据行。"}
        ]
        batch.review["error_count"] = 1
    else:
        batch.status = ImportBatch.Status.STAGED
    if batch.status != ImportBatch.Status.STAGED:
        importers.discard_staged(batch)
    batch.save(update_fields=["review", "row_count", "error_count", "months", "status"])
    return batch


def import_commit(
    *, actor, batch: ImportBatch, confirm_names: bool = False, background: bool | None = None
) -> ImportBatch:
    """Commit a staged batch atomically (in the background for large files)."""
    _require_manage(actor)
    if batch.status != ImportBatch.Status.STAGED:
        raise ValidationError("只有“待提交”状态的批次可以提交。")
    if batch.review.get("name_match_count") and not confirm_names:
        raise ValidationError({"confirm_names": "本批次有按企业名称匹配的行，请先核对匹配结果并勾选确认。"})
    if background is None:
        background = batch.row_count > BACKGROUND_ROWS
    if background:
        batch.status = ImportBatch.Status.COMMITTING
        batch.job = core_services.job_create(
            owner=actor, kind="statistics_commit", title=f"提交：{batch.file_name}"
        )
        batch.save(update_fields=["status", "job"])
        _enqueue_commit(batch, actor)
        batch.refresh_from_db()
        return batch
    return _commit(actor=actor, batch=batch)


def _enqueue_commit(batch: ImportBatch, actor) -> None:
    from .tasks import commit_batch_task

    commit_batch_task.enqueue(batch.pk, actor.pk, batch.job_id)


def _fact_head(annual: bool) -> list[str]:
    if annual:
        return ["enterprise_id", "year", "source", "batch_id"]
    return ["enterprise_id", "month", "source", "batch_id", "above_scale", "combined_jan_feb"]


@transaction.atomic
def _commit(*, actor, batch: ImportBatch) -> ImportBatch:
    """Write a staged batch in one transaction.

    New rows are inserted; a changed row's old values go to :class:`FactRevision` and the row is
    updated in place (a blank cell keeps the stored value); an unchanged row is left alone.
    The revision keeps the columns the batch changed (with the old flags): every other column of
    the row is as it was, so that is the whole history and all a rollback restores. The staged
    rows are read a chunk at a time into a temporary table, and the database compares and writes
    (:func:`.fact_writes.merge_staged`, :func:`.fact_writes.merge_staged_sqlite`).
    """
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status not in (ImportBatch.Status.STAGED, ImportBatch.Status.COMMITTING):
        raise ValidationError("只有“待提交”状态的批次可以提交。")
    snapshot = batch.review["profile"]
    model = importers.fact_model(snapshot)
    annual = model is AnnualFact
    periods = sorted(dt.date.fromisoformat(m) for m in batch.months)
    # The comparison and the writes are done by the database, in a few statements.
    merge = merge_staged if connection.vendor == "postgresql" else merge_staged_sqlite
    columns, raw_chunks = importers.load_staged_raw(batch)
    inserted, updated, unchanged = merge(model, batch, columns, raw_chunks, now=timezone.now())
    if not annual and (inserted or updated):
        # The file holds only the uploader's enterprises: only their counties' rows change.
        rollup.refresh_months(periods, counties=rollup.counties_of(batch.created_by))
    batch.status = ImportBatch.Status.COMMITTED
    batch.inserted, batch.updated, batch.unchanged = inserted, updated, unchanged
    batch.committed_by, batch.committed_at = actor, timezone.now()
    batch._history_user = actor
    batch.save()
    audit.record_import(
        AuditKind.IMPORT_COMMIT,
        user=actor,
        label="运行数据",
        batch=batch,
        rows=inserted + updated + unchanged,
    )
    transaction.on_commit(lambda: importers.discard_staged(batch))
    if not annual and (inserted or updated):
        from .events import import_committed

        transaction.on_commit(
            lambda: import_committed.send(sender=ImportBatch, batch=batch, months=periods, actor=actor)
        )
    return batch


def batch_interrupted(batch: ImportBatch) -> bool:
    """A batch left 校验中/提交中 by a worker (or a request) that died."""
    if batch.status not in (ImportBatch.Status.VALIDATING, ImportBatch.Status.COMMITTING):
        return False
    if batch.job_id is None:
        age = timezone.now() - batch.created_at
        return age > dt.timedelta(seconds=core_tasks.stale_seconds())
    return core_tasks.job_is_stale(batch.job)


def import_retry(*, actor, batch: ImportBatch) -> ImportBatch:
    """Run an interrupted validation or commit again in the background.

    An interrupted commit wrote nothing: it ran in one transaction, which the database rolled
    back when the worker died; this is checked before the commit runs again.
    """
    _require_manage(actor)
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update(of=("self",)).select_related("job").get(pk=batch.pk)
        if not batch_interrupted(batch):
            raise ValidationError("该批次没有中断，无需重试。")
        model = importers.fact_model(batch.review.get("profile") or profile_snapshot(batch.profile))
        if model.objects.filter(batch=batch).exists():
            raise ValidationError("该批次已有写入的数据，不能重试，请联系系统管理员。")
        committing = batch.status == ImportBatch.Status.COMMITTING
        if batch.job is None:
            batch.job = core_services.job_create(
                owner=actor,
                kind="statistics_commit" if committing else "statistics_import",
                title=f"{'提交' if committing else '校验'}：{batch.file_name}",
            )
        else:
            core_tasks.job_restart(batch.job, message="已重新排队，等待后台进程处理…")
        batch._history_user = actor
        batch.save(update_fields=["job"])
    if committing:
        _enqueue_commit(batch, actor)
    else:
        from .tasks import validate_batch_task

        validate_batch_task.enqueue(batch.pk, batch.job_id)
    batch.refresh_from_db()
    return batch


def import_discard(*, actor, batch: ImportBatch) -> None:
    """Remove a batch that was never committed (interrupted, invalid, or staged and not wanted)."""
    _require_manage(actor)
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update(of=("self",)).select_related("job").get(pk=batch.pk)
        removable = batch.status in (
            ImportBatch.Status.STAGED,
            ImportBatch.Status.INVALID,
            ImportBatch.Status.FAILED,
        ) or batch_interrupted(batch)
        if not removable:
            raise ValidationError("只有未提交的批次（校验未通过、待提交或已中断）可以放弃。")
        model = importers.fact_model(batch.review.get("profile") or profile_snapshot(batch.profile))
        if model.objects.filter(batch=batch).exists():
            raise ValidationError("该批次已有写入的数据，不能放弃，请先撤销。")
        if batch.job is not None and not batch.job.is_finished:
            core_services.job_finish(batch.job, ok=False, message="该批次已被放弃。")
        batch._history_user = actor
        _delete_batch(batch)


@transaction.atomic
def import_rollback(*, actor, batch: ImportBatch) -> ImportBatch:
    """Undo a committed batch: its new rows go, the values it corrected come back."""
    _require_manage(actor)
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != ImportBatch.Status.COMMITTED:
        raise ValidationError("只有“已提交”的批次可以撤销。")
    if FactRevision.objects.filter(old_batch=batch).exists():
        raise ValidationError("该批次的部分数据已被后续批次更正，请先撤销后续批次。")
    snapshot = batch.review.get("profile") or profile_snapshot(batch.profile)
    model = importers.fact_model(snapshot)
    annual = model is AnnualFact
    columns = importers.value_columns(snapshot)
    months = set(
        model.objects.filter(batch=batch).values_list("year" if annual else "month", flat=True).distinct()
    )
    whole, changed = [], {}
    revisions = (
        FactRevision.objects.filter(batch=batch)
        .order_by("pk")
        .values_list("enterprise_id", "period", "source", "old_batch_id", "old_values")
    )
    for enterprise_id, period, source, old_batch_id, old in revisions.iterator(chunk_size=2000):
        months.add(period.year if annual else period)
        flags = () if annual else (old.get("_above", False), old.get("_combined", False))
        if old.get(CHANGED_ONLY):
            # The row stands with this batch's values: the columns it changed are put back.
            cols = tuple(c for c in columns if c in old)
            key = (enterprise_id, period.year if annual else period)
            changed.setdefault(cols, []).append((key, (old_batch_id, *flags, *(old[c] for c in cols))))
            continue
        head = (
            (enterprise_id, period.year, source, old_batch_id)
            if annual
            else (enterprise_id, period, source, old_batch_id, *flags)
        )
        whole.append((*head, *(old.get(c) for c in columns)))
    # Everything is read before writing: PostgreSQL's COPY cannot run beside an open server-side cursor.
    flag_columns = [] if annual else ["above_scale", "combined_jan_feb"]
    restore_columns(
        model, batch, changed, period_field="year" if annual else "month", flag_columns=flag_columns
    )
    # What still carries the batch: its new rows, and rows whose revision kept the whole old row.
    model.objects.filter(batch=batch).delete()
    bulk_insert(model, _fact_head(annual) + columns, whole)
    FactRevision.objects.filter(batch=batch).delete()
    if not annual:
        rollup.refresh_months(months, counties=rollup.counties_of(batch.created_by))
    batch.status = ImportBatch.Status.ROLLED_BACK
    batch.rolled_back_by, batch.rolled_back_at = actor, timezone.now()
    batch._history_user = actor
    batch.save()
    audit.record_import(
        AuditKind.IMPORT_ROLLBACK, user=actor, label="运行数据", batch=batch, rows=batch.inserted
    )
    return batch


def template_rows(profile: ImportProfile) -> tuple[list[str], list[list], list[str]]:
    """Headers, one example row and notes for a profile's downloadable template."""
    from .figures import UNITS

    headers = [profile.key_column if profile.match_by == "uscc" else profile.name_column]
    if profile.match_by == "uscc" and profile.name_column:
        headers.append(profile.name_column)
    if profile.period_column:
        headers.append(profile.period_column)
    headers += [c["header"] for c in profile.columns]
    notes = [
        f"导入方案：{profile.name}（{profile.get_source_display()}，{profile.get_kind_display()}）",
        f"企业匹配：{profile.get_match_by_display()}",
    ]
    if profile.period_column:
        notes.append(f"“{profile.period_column}”写作 2026-10、2026年10月，1-2月合并写作 2026年1-2月。")
    catalogue = ANNUAL_FIGURES if profile.kind == ImportProfile.Kind.ANNUAL else MONTHLY_FIGURES
    for c in profile.columns:
        figure = catalogue.get(c["figure"])
        basis = "当月数" if c.get("basis") == "month" else "1-N月累计数"
        year = "上年同期" if c.get("year") == "last" else "本期"
        notes.append(
            f"“{c['header']}”：{figure.name if figure else c['figure']}，单位{UNITS[c['unit']][0]}，"
            f"{basis}，{year}"
        )
    return headers, [], notes


# --- targets, official figures, settings ---------------------------------------------------


def _check_scope(scope_kind: str, scope_id: int) -> None:
    if scope_kind not in ("county", "town", "park", "zone"):
        raise ValidationError({"scope_kind": "范围应为全县、乡镇、园区或片区。"})
    if scope_kind != "county" and not scope_id:
        raise ValidationError({"scope_id": "请选择具体的乡镇、园区或片区。"})


def _own_area(actor, scope_kind: str, scope_id: int) -> tuple[str, int]:
    """The area key of a county or unit the actor may set figures for ("not found" otherwise).

    A lone county is ("county", 0); a county under a city is keyed by its id, and a city user
    names the county.
    """
    from qiangxian.core.access import scope_of

    scope = scope_of(actor)
    if scope_kind == "county":
        if scope.counties is None:
            return "county", 0
        wanted = scope_id or (scope.counties[0] if len(scope.counties) == 1 else 0)
        if wanted not in scope.counties:
            raise ValidationError({"scope_id": "请选择本辖区内的县。"})
        return "county", wanted
    if not OrgUnit.objects.visible_to(actor).filter(pk=scope_id, kind=scope_kind).exists():
        raise ValidationError({"scope_id": "请选择本辖区内的乡镇、园区或片区。"})
    return scope_kind, scope_id


@transaction.atomic
def target_save(
    *,
    actor,
    target: Target | None = None,
    indicator: str,
    year: int,
    value: Decimal,
    scope_kind: str = "county",
    scope_id: int = 0,
    above_only: bool = True,
    responsible_unit=None,
    note: str = "",
) -> Target:
    """Create or change an annual target (any catalogue or registered indicator).

    Targets are issued by a level for the areas below it: a county office sets its county's and
    its towns', parks' and zones'; a city or province office a county's (never a town's, which is
    the county's to split).
    """
    from . import targets

    if not may_issue(actor):
        raise PermissionDenied("只有领导小组办公室和系统管理员可以设置年度目标。")
    if scope_kind != "county" and scope_of(actor).above_counties:
        raise ValidationError({"scope_id": "市级、省级目标下达到县；乡镇、园区的目标由县里分解。"})
    if not targets.known_indicator(indicator):
        raise ValidationError({"indicator": "未知的指标。"})
    if value is None or value <= 0:
        raise ValidationError({"value": "目标值应大于0。"})
    _check_scope(scope_kind, scope_id)
    scope_kind, scope_id = _own_area(actor, scope_kind, scope_id)
    if target is not None:
        require_own_level(actor, target.issuer_id, "目标")
    target = target or Target()
    target.indicator, target.year, target.value = indicator, year, value
    target.scope_kind, target.scope_id = scope_kind, scope_id
    if target.issuer_id is None and actor.org_unit_id:
        target.issuer_id = actor.org_unit.county_id or actor.org_unit_id
    target.above_only, target.responsible_unit, target.note = above_only, responsible_unit, note
    target.full_clean()
    target._history_user = actor
    target.save()
    return target


@transaction.atomic
def official_figure_save(
    *,
    actor,
    indicator: str,
    month: dt.date,
    value: Decimal | None,
    growth: Decimal | None,
    note: str = "",
    scope_kind: str = "county",
    scope_id: int = 0,
) -> OfficialFigure:
    """Record (or correct) a figure published by the statistics bureau."""
    # The statistics bureau's own staff enter its releases; the office may too.
    if not (getattr(actor, "can_manage", False) or getattr(actor, "role", "") == "bureau"):
        raise PermissionDenied("只有统计局和领导小组办公室可以录入统计局发布数。")
    if value is None and growth is None:
        raise ValidationError({"value": "请填写发布值或发布增速。"})
    month = dt.date(month.year, month.month, 1)
    scope_kind, scope_id = _own_area(actor, scope_kind, scope_id)
    obj = OfficialFigure.objects.filter(
        indicator=indicator, month=month, scope_kind=scope_kind, scope_id=scope_id
    ).first() or OfficialFigure(indicator=indicator, month=month, scope_kind=scope_kind, scope_id=scope_id)
    obj.value, obj.growth, obj.note, obj.entered_by = value, growth, note, actor
    obj._history_user = actor
    obj.save()
    return obj


@transaction.atomic
def settings_update(*, actor, **fields) -> MonitorSettings:
    """Change the warning and target thresholds; the latest months' warnings are recomputed."""
    if not getattr(actor, "can_issue", False):
        raise PermissionDenied("只有领导小组办公室可以修改监测参数。")
    obj = MonitorSettings.own(settings_county_id(actor))
    for key, value in fields.items():
        setattr(obj, key, value)
    obj.full_clean()
    obj._history_user = actor
    obj.save()
    latest = list(MonthlyFact.objects.order_by("-month").values_list("month", flat=True).distinct()[:3])
    if latest:
        # The settings apply to the office's own county, or to the counties below its city.
        rollup.refresh_months(latest, follow=False, counties=rollup.counties_of(actor))
    return obj


__all__ = [
    "import_commit",
    "import_rollback",
    "import_upload",
    "import_validate",
    "monthly_columns",
    "official_figure_save",
    "profile_save",
    "settings_update",
    "target_save",
]
