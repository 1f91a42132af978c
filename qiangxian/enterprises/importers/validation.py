"""Validating a registry file: every row checked before anything is written; nothing is written here."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal

from qiangxian.core.choices import OrgUnitKind
from qiangxian.core.models import OrgUnit
from qiangxian.core.sheets import (
    ErrorList,
    FileRejected,
    RowError,
    cell_text,
    find_header_row,
    is_total_row,
    read_table,
    reject_merged_and_formulas,
)

from ..choices import ImportStatus, LandTenure, OperatingStatus
from ..industry import validate_industry_code
from ..models import Enterprise, ImportBatch
from ..services.designations import ScaleChange, scale_change_problems
from ..services.registry import join_list
from ..uscc import validate_registration_number_15, validate_uscc
from .cells import parse_area, parse_date, parse_month
from .columns import _ATTR, MAX_ROWS, SHEET_NAME, STATUS_BY_LABEL, TENURE_BY_LABEL, WRITTEN_FIELDS
from .headers import (
    FIELD_LABELS,
    IGNORED,
    REQUIRED,
    REQUIRED_FOR_NEW,
    ColumnMatch,
    is_known,
    match_columns,
    parse_flag,
)


@dataclass
class ImportPlan:
    """What a valid file would do, or every error that stops it."""

    file_name: str
    file_hash: str
    rows_total: int = 0
    errors: ErrorList = field(default_factory=ErrorList)
    warnings: ErrorList = field(default_factory=ErrorList)
    to_create: list[tuple[int, dict]] = field(default_factory=list)
    # (row, enterprise, changed fields); a row whose only change is 规上 has no changed fields.
    to_update: list[tuple[int, Enterprise, dict]] = field(default_factory=list)
    unchanged: int = 0
    duplicate_of: ImportBatch | None = None
    header_row: int = 0  # 1-based row of the header, 0 when the file could not be read
    columns: list[ColumnMatch] = field(default_factory=list)
    skipped_rows: int = 0  # 合计/小计 rows under the data
    # uscc -> (row, entering, month): 入规 (True) or 退规 (False) the file records.
    scale_changes: dict[str, tuple[int, bool, dt.date]] = field(default_factory=dict)
    scale_month: dt.date | None = None

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def entering(self) -> int:
        return sum(1 for _, entering, _ in self.scale_changes.values() if entering)

    @property
    def exiting(self) -> int:
        return sum(1 for _, entering, _ in self.scale_changes.values() if not entering)

    @property
    def unknown_columns(self) -> list[ColumnMatch]:
        return [c for c in self.columns if c.field is None]


class _Places:
    def __init__(self):
        units = OrgUnit.objects.filter(kind__in=[OrgUnitKind.TOWN, OrgUnitKind.PARK, OrgUnitKind.ZONE])
        self.towns, self.parks, self.zones, self.zone_park = {}, {}, {}, {}
        for unit in units:
            if unit.kind == OrgUnitKind.ZONE:
                self.zones[(unit.parent_id, unit.name)] = unit
                self.zone_park[unit.pk] = unit.parent_id
            else:
                {OrgUnitKind.TOWN: self.towns, OrgUnitKind.PARK: self.parks}[unit.kind][unit.name] = unit


_TEXT_FIELDS = (
    ("former_names", 500),
    ("short_name", 50),
    ("legal_representative", 50),
    ("registered_address", 300),
    ("production_address", 300),
    ("tags", 300),
)


def _parse_row(
    values: dict[str, object],
    present: set[str],
    places: _Places,
    errors: list[tuple[str, object, str]],
    warnings: list[tuple[str, object, str]],
) -> dict:
    """The row's values for the fields the file has; each problem names its column (as the template does)."""
    label = FIELD_LABELS
    data: dict[str, object] = {}
    raw = values.get("uscc")
    result = validate_uscc(cell_text(raw))
    if not result.ok:
        errors.append((label["uscc"], raw, "；".join(i.message for i in result.errors)))
    else:
        data["uscc"] = result.normalized
        for issue in result.warnings:
            warnings.append((label["uscc"], raw, issue.message))
    name = cell_text(values.get("name"))
    if not name:
        errors.append((label["name"], "", "必填，不能为空"))
    elif len(name) > 200:
        errors.append((label["name"], name, "不能超过200字"))
    data["name"] = name
    for key, limit in _TEXT_FIELDS:
        if key not in present:
            continue
        text = cell_text(values.get(key))
        if key in ("former_names", "tags"):
            text = join_list(text)
        if len(text) > limit:
            errors.append((label[key], text, f"不能超过{limit}字"))
        data[key] = text
    if "established_on" in present:
        try:
            data["established_on"] = parse_date(values.get("established_on"))
        except ValueError as exc:
            errors.append((label["established_on"], values.get("established_on"), str(exc)))
    if "town" in present:
        town_name = cell_text(values.get("town"))
        town = places.towns.get(town_name)
        if not town_name:
            errors.append((label["town"], "", "必填，不能为空"))
        elif town is None:
            errors.append((label["town"], town_name, "平台中没有这个乡镇/街道，请按平台中的名称填写"))
        data["town"] = town.pk if town else None
    park = None
    if "park" in present:
        park_name = cell_text(values.get("park"))
        park = places.parks.get(park_name) if park_name else None
        if park_name and park is None:
            errors.append((label["park"], park_name, "平台中没有这个园区"))
        data["park"] = park.pk if park else None
    if "zone" in present:
        zone_name = cell_text(values.get("zone"))
        zone = None
        if zone_name:
            if park is None:
                errors.append((label["zone"], zone_name, "填写片区时必须同时填写所在园区"))
            else:
                zone = places.zones.get((park.pk, zone_name))
                if zone is None:
                    errors.append((label["zone"], zone_name, f"园区“{park.name}”下没有这个片区"))
        data["zone"] = zone.pk if zone else None
    if "industry_code" in present:
        code = cell_text(values.get("industry_code"))
        ok, message = validate_industry_code(code)
        if not ok:
            errors.append((label["industry_code"], code, message))
        data["industry_code"] = code
    if "status" in present:
        status = cell_text(values.get("status")) or OperatingStatus.OPERATING.label
        if status not in STATUS_BY_LABEL:
            errors.append((label["status"], status, "只能填：" + "、".join(STATUS_BY_LABEL)))
        data["status"] = STATUS_BY_LABEL.get(status)
    if "land_area_mu" in present:
        try:
            data["land_area_mu"] = parse_area(values.get("land_area_mu"))
        except ValueError as exc:
            errors.append((label["land_area_mu"], values.get("land_area_mu"), str(exc)))
    if "land_tenure" in present:
        tenure = cell_text(values.get("land_tenure")) or LandTenure.NONE.label
        if tenure not in TENURE_BY_LABEL:
            errors.append((label["land_tenure"], tenure, "只能填：" + "、".join(TENURE_BY_LABEL)))
        data["land_tenure"] = TENURE_BY_LABEL.get(tenure)
    if "registration_number" in present:
        reg = cell_text(values.get("registration_number"))
        if reg:
            reg_result = validate_registration_number_15(reg)
            if not reg_result.ok:
                errors.append(
                    (label["registration_number"], reg, "；".join(i.message for i in reg_result.errors))
                )
            reg = reg_result.normalized
        data["registration_number"] = reg
    return data


def _current(enterprise: Enterprise, key: str):
    return getattr(enterprise, _ATTR.get(key, key))


def _json(value):
    if isinstance(value, (dt.date, Decimal)):
        return str(value)
    return value


def _read(plan: ImportPlan, content: bytes, file_name: str, mapping: dict[str, str]):
    """The sheet's header and data rows (row number, cells), or None with the file's error on the plan."""
    try:
        sheet = read_table(content, file_name, expected_sheet=SHEET_NAME)
        header_index = find_header_row(sheet.rows, lambda text: is_known(text, mapping))
        body: list[tuple[int, list]] = []
        skipped: set[int] = set()
        for index in range(header_index + 1, len(sheet.rows)):
            row = sheet.rows[index]
            if all(v in ("", None) for v in row):
                skipped.add(index)
            elif is_total_row(row):
                skipped.add(index)
                plan.skipped_rows += 1
            else:
                body.append((index + 1, row))
        # A title row above the header may be merged; the header and the data may not.
        reject_merged_and_formulas(sheet, from_row=header_index, skip=skipped.__contains__)
    except FileRejected as exc:
        plan.errors.append(RowError(0, "", "", str(exc)))
        return None
    plan.header_row = header_index + 1
    return [cell_text(h) for h in sheet.rows[header_index]], body


def _check_header(plan: ImportPlan) -> None:
    row = plan.header_row
    by_field: dict[str, list[str]] = {}
    for column in plan.columns:
        if column.field:
            by_field.setdefault(column.field, []).append(column.header)
    for key in REQUIRED:
        if key not in by_field:
            plan.errors.append(
                RowError(row, FIELD_LABELS[key], "", "缺少这一列（可在下方把文件中的某一列对应到该项）")
            )
    for key, headers in by_field.items():
        if len(headers) > 1:
            plan.errors.append(
                RowError(row, FIELD_LABELS[key], "、".join(headers), "多列对应到同一项，请只保留一列")
            )
    if "zone" in by_field and "park" not in by_field:
        plan.errors.append(RowError(row, FIELD_LABELS["zone"], "", "有“所在片区”列时必须同时有“所在园区”列"))


def plan_import(
    *,
    content: bytes,
    file_name: str,
    mapping: dict[str, str] | None = None,
    scale_month: dt.date | None = None,
) -> ImportPlan:
    """Validate a whole file and work out what it would change; nothing is written.

    ``mapping`` (normalised header -> field key, "" to ignore) overrides the usual aliases;
    ``scale_month`` is the month from which 规上 changes count when the file has no month column.
    """
    mapping = mapping or {}
    plan = ImportPlan(file_name=file_name, file_hash=hashlib.sha256(content).hexdigest())
    plan.scale_month = dt.date(scale_month.year, scale_month.month, 1) if scale_month else None
    read = _read(plan, content, file_name, mapping)
    if read is None:
        return plan
    header, body = read
    plan.columns = match_columns(header, mapping)
    _check_header(plan)
    if plan.errors:
        return plan
    if not body:
        plan.errors.append(RowError(0, "", "", "文件中没有数据行：请在表头下逐行填写企业。"))
        return plan
    if len(body) > MAX_ROWS:
        plan.errors.append(RowError(0, "", "", f"一次最多导入 {MAX_ROWS} 行，请分批导入。"))
        return plan
    index = {c.field: c.index for c in plan.columns if c.field and c.field != IGNORED}
    present = set(index)
    places = _Places()
    existing = {
        e.uscc: e
        for e in Enterprise.objects.all().only(
            *WRITTEN_FIELDS, "pinyin_initials", "updated_at", "above_scale"
        )
    }
    seen: dict[str, int] = {}
    pending_scale: list[tuple[int, Enterprise, bool, dt.date]] = []
    for row_no, row in body:
        plan.rows_total += 1
        values = {key: (row[i] if i < len(row) else "") for key, i in index.items()}
        errors: list[tuple[str, object, str]] = []
        warnings: list[tuple[str, object, str]] = []
        data = _parse_row(values, present, places, errors, warnings)
        uscc = data.get("uscc")
        if uscc:
            if uscc in seen:
                errors.append((FIELD_LABELS["uscc"], uscc, f"与第{seen[uscc]}行重复"))
            else:
                seen[uscc] = row_no
        current = existing.get(uscc) if uscc else None
        if current is None:
            for key in REQUIRED_FOR_NEW:
                if key not in present:
                    errors.append(
                        (FIELD_LABELS[key], "", "平台中没有这户企业，新增时必填，但文件中没有这一列")
                    )
        above, month = _scale_cells(values, present, errors, plan.scale_month)
        plan.errors.extend(RowError(row_no, c, cell_text(v), r) for c, v, r in errors)
        plan.warnings.extend(RowError(row_no, c, cell_text(v), r) for c, v, r in warnings)
        if errors:
            continue
        was_above = current.above_scale if current is not None else False
        entering = None if above is None or above == was_above else above
        if entering is not None:
            if month is None:
                plan.errors.append(
                    RowError(
                        row_no,
                        FIELD_LABELS["above_scale"],
                        cell_text(values.get("above_scale")),
                        f"与平台中的规上状态不同，将登记{'入规' if entering else '退规'}："
                        "请在上传时选择入规/退规月份，或在文件中填写“入规月份”列",
                    )
                )
                continue
            plan.scale_changes[uscc] = (row_no, entering, month)
            if current is not None:
                pending_scale.append((row_no, current, entering, month))
        if current is None:
            plan.to_create.append((row_no, data))
            continue
        if "zone" not in present and "park" in present and current.zone_id is not None:
            # A list without zones keeps the enterprise's zone while it stays in the same park.
            data["zone"] = current.zone_id if places.zone_park.get(current.zone_id) == data["park"] else None
        changed = {k: v for k, v in data.items() if k != "uscc" and _current(current, k) != v}
        if changed or entering is not None:
            plan.to_update.append((row_no, current, changed))
        else:
            plan.unchanged += 1
    problems = scale_change_problems([ScaleChange(e, entering, m) for _, e, entering, m in pending_scale])
    for row_no, enterprise, _, _ in pending_scale:
        if enterprise.pk in problems:
            plan.errors.append(
                RowError(row_no, FIELD_LABELS["above_scale"], enterprise.name, problems[enterprise.pk])
            )
    if plan.ok:
        plan.duplicate_of = ImportBatch.objects.filter(
            file_hash=plan.file_hash, status=ImportStatus.APPLIED
        ).first()
    return plan


def _scale_cells(values, present, errors, default_month) -> tuple[bool | None, dt.date | None]:
    """The row's 规上 flag (None: not stated) and the month its change counts from."""
    if "above_scale" not in present:
        return None, None
    raw = values.get("above_scale")
    try:
        above = parse_flag(cell_text(raw))
    except ValueError as exc:
        errors.append((FIELD_LABELS["above_scale"], raw, str(exc)))
        return None, None
    month = default_month
    if "scale_month" in present:
        try:
            month = parse_month(values.get("scale_month")) or default_month
        except ValueError as exc:
            errors.append((FIELD_LABELS["scale_month"], values.get("scale_month"), str(exc)))
    return above, month
