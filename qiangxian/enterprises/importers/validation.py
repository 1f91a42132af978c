"""Validating a registry file: every row checked before anything is written; nothing is written here."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from qiangxian.core.choices import OrgUnitKind
from qiangxian.core.models import OrgUnit

from ..choices import ImportStatus, LandTenure, OperatingStatus
from ..industry import validate_industry_code
from ..models import Enterprise, ImportBatch
from ..services.registry import join_list
from ..uscc import validate_registration_number_15, validate_uscc
from .columns import _ATTR, HEADERS, MAX_ROWS, SHEET_NAME, STATUS_BY_LABEL, TENURE_BY_LABEL, WRITTEN_FIELDS
from .files import FileRejected, RowError, cell_text, read_single_sheet


@dataclass
class ImportPlan:
    """What a valid file would do, or every error that stops it."""

    file_name: str
    file_hash: str
    rows_total: int = 0
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    to_create: list[tuple[int, dict]] = field(default_factory=list)
    to_update: list[tuple[int, Enterprise, dict]] = field(default_factory=list)
    unchanged: int = 0
    duplicate_of: ImportBatch | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


def _date(value):
    if value in ("", None):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip().replace("/", "-").replace(".", "-")
    for fmt in ("%Y-%m-%d", "%Y%m%d", "%Y年%m月%d日"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError("日期格式应为 2015-06-01")


def _decimal(value):
    if value in ("", None):
        return None
    try:
        # Through str, never float arithmetic: 12.3 stays 12.3.
        number = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation as exc:
        raise ValueError("应为数字") from exc
    if number < 0:
        raise ValueError("不能为负数")
    if number != number.quantize(Decimal("0.01")):
        raise ValueError("最多保留两位小数")
    return number.quantize(Decimal("0.01"))


class _Places:
    def __init__(self):
        units = OrgUnit.objects.filter(kind__in=[OrgUnitKind.TOWN, OrgUnitKind.PARK, OrgUnitKind.ZONE])
        self.towns, self.parks, self.zones = {}, {}, {}
        for unit in units:
            {OrgUnitKind.TOWN: self.towns, OrgUnitKind.PARK: self.parks}.get(unit.kind, self.zones)[
                (unit.parent_id, unit.name) if unit.kind == OrgUnitKind.ZONE else unit.name
            ] = unit


def _parse_row(
    values: dict[str, object],
    places: _Places,
    errors: list[tuple[str, object, str]],
    warnings: list[tuple[str, object, str]],
) -> dict:
    data: dict[str, object] = {}
    raw = values.get("统一社会信用代码")
    result = validate_uscc(cell_text(raw))
    if not result.ok:
        errors.append(("统一社会信用代码", raw, "；".join(i.message for i in result.errors)))
    else:
        data["uscc"] = result.normalized
        for issue in result.warnings:
            warnings.append(("统一社会信用代码", raw, issue.message))
    name = cell_text(values.get("企业名称"))
    if not name:
        errors.append(("企业名称", "", "必填，不能为空"))
    elif len(name) > 200:
        errors.append(("企业名称", name, "不能超过200字"))
    data["name"] = name
    for header, key, limit in (
        ("曾用名", "former_names", 500),
        ("简称", "short_name", 50),
        ("法定代表人", "legal_representative", 50),
        ("注册地址", "registered_address", 300),
        ("生产地址", "production_address", 300),
        ("标签", "tags", 300),
    ):
        text = cell_text(values.get(header))
        if key in ("former_names", "tags"):
            text = join_list(text)
        if len(text) > limit:
            errors.append((header, text, f"不能超过{limit}字"))
        data[key] = text
    try:
        data["established_on"] = _date(values.get("成立日期"))
    except ValueError as exc:
        errors.append(("成立日期", values.get("成立日期"), str(exc)))
    town_name = cell_text(values.get("所属乡镇"))
    town = places.towns.get(town_name)
    if not town_name:
        errors.append(("所属乡镇", "", "必填，不能为空"))
    elif town is None:
        errors.append(("所属乡镇", town_name, "平台中没有这个乡镇/街道，请按平台中的名称填写"))
    data["town"] = town.pk if town else None
    park_name = cell_text(values.get("所在园区"))
    park = places.parks.get(park_name) if park_name else None
    if park_name and park is None:
        errors.append(("所在园区", park_name, "平台中没有这个园区"))
    data["park"] = park.pk if park else None
    zone_name = cell_text(values.get("所在片区"))
    zone = None
    if zone_name:
        if park is None:
            errors.append(("所在片区", zone_name, "填写片区时必须同时填写所在园区"))
        else:
            zone = places.zones.get((park.pk, zone_name))
            if zone is None:
                errors.append(("所在片区", zone_name, f"园区“{park.name}”下没有这个片区"))
    data["zone"] = zone.pk if zone else None
    code = cell_text(values.get("行业代码"))
    ok, message = validate_industry_code(code)
    if not ok:
        errors.append(("行业代码", code, message))
    data["industry_code"] = code
    status = cell_text(values.get("经营状态")) or OperatingStatus.OPERATING.label
    if status not in STATUS_BY_LABEL:
        errors.append(("经营状态", status, "只能填：" + "、".join(STATUS_BY_LABEL)))
    data["status"] = STATUS_BY_LABEL.get(status)
    try:
        data["land_area_mu"] = _decimal(values.get("用地面积（亩）"))
    except ValueError as exc:
        errors.append(("用地面积（亩）", values.get("用地面积（亩）"), str(exc)))
    tenure = cell_text(values.get("用地方式")) or LandTenure.NONE.label
    if tenure not in TENURE_BY_LABEL:
        errors.append(("用地方式", tenure, "只能填：" + "、".join(TENURE_BY_LABEL)))
    data["land_tenure"] = TENURE_BY_LABEL.get(tenure)
    reg = cell_text(values.get("工商注册号"))
    if reg:
        reg_result = validate_registration_number_15(reg)
        if not reg_result.ok:
            errors.append(("工商注册号", reg, "；".join(i.message for i in reg_result.errors)))
        reg = reg_result.normalized
    data["registration_number"] = reg
    return data


def _current(enterprise: Enterprise, key: str):
    return getattr(enterprise, _ATTR.get(key, key))


def _json(value):
    if isinstance(value, (dt.date, Decimal)):
        return str(value)
    return value


def plan_import(*, content: bytes, file_name: str) -> ImportPlan:
    """Validate a whole file and work out what it would change; nothing is written."""
    plan = ImportPlan(file_name=file_name, file_hash=hashlib.sha256(content).hexdigest())
    try:
        sheet = read_single_sheet(content, file_name, expected_sheet=SHEET_NAME)
    except FileRejected as exc:
        plan.errors.append(RowError(0, "", "", str(exc)))
        return plan
    header = [cell_text(h) for h in sheet.rows[0]]
    while header and header[-1] == "":
        header.pop()
    missing = [h for h in HEADERS if h not in header]
    unknown = [h for h in header if h and h not in HEADERS]
    repeated = sorted({h for h in header if h and header.count(h) > 1})
    for h in missing:
        plan.errors.append(RowError(1, h, "", "缺少这一列，请使用平台提供的导入模板"))
    for h in unknown:
        plan.errors.append(RowError(1, h, h, "不认识的列名，请使用平台提供的导入模板"))
    for h in repeated:
        plan.errors.append(RowError(1, h, h, "列名重复"))
    if "" in header:
        plan.errors.append(RowError(1, "", "", f"第{header.index('') + 1}列表头为空"))
    if plan.errors:
        return plan
    body = sheet.rows[1:]
    if not any(any(v not in ("", None) for v in row) for row in body):
        plan.errors.append(RowError(0, "", "", "文件中没有数据行：请从第二行起填写企业。"))
        return plan
    if len(body) > MAX_ROWS:
        plan.errors.append(RowError(0, "", "", f"一次最多导入 {MAX_ROWS} 行，请分批导入。"))
        return plan
    index = {h: i for i, h in enumerate(header)}
    places = _Places()
    existing = {
        e.uscc: e for e in Enterprise.objects.all().only(*WRITTEN_FIELDS, "pinyin_initials", "updated_at")
    }
    seen: dict[str, int] = {}
    for offset, row in enumerate(body):
        row_no = offset + 2
        if all(v in ("", None) for v in row):
            continue
        plan.rows_total += 1
        values = {h: (row[i] if i < len(row) else "") for h, i in index.items()}
        errors: list[tuple[str, object, str]] = []
        warnings: list[tuple[str, object, str]] = []
        data = _parse_row(values, places, errors, warnings)
        uscc = data.get("uscc")
        if uscc:
            if uscc in seen:
                errors.append(("统一社会信用代码", uscc, f"与第{seen[uscc]}行重复"))
            else:
                seen[uscc] = row_no
        plan.errors.extend(RowError(row_no, c, cell_text(v), r) for c, v, r in errors)
        plan.warnings.extend(RowError(row_no, c, cell_text(v), r) for c, v, r in warnings)
        if errors:
            continue
        current = existing.get(uscc)
        if current is None:
            plan.to_create.append((row_no, data))
            continue
        changed = {k: v for k, v in data.items() if k != "uscc" and _current(current, k) != v}
        if changed:
            plan.to_update.append((row_no, current, changed))
        else:
            plan.unchanged += 1
    if plan.ok:
        plan.duplicate_of = ImportBatch.objects.filter(
            file_hash=plan.file_hash, status=ImportStatus.APPLIED
        ).first()
    return plan
