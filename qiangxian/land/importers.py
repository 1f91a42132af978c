"""Import of the parcel and building ledgers (.xlsx/.xls/.csv): checked, then applied.

The upload is read with the shared sheet reader (title rows, 合计 rows, GB18030 csv), every row
is checked through the same validation as the form, and the file is kept under ``VAR_DIR`` until
the user applies it; applying checks again and writes all rows in one transaction, or none.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from qiangxian.core import sheets
from qiangxian.core.choices import OrgUnitKind
from qiangxian.core.models import OrgUnit
from qiangxian.enterprises.models import Enterprise

from .choices import BuildingKind, LandUse, ParcelStatus
from .models import Building, Parcel
from .services import space as services

PARCEL_COLUMNS = {
    "code": ("地块编号", "宗地编号", "地块号"),
    "name": ("地块名称", "坐落", "地块名称/坐落"),
    "park": ("园区", "所在园区"),
    "zone": ("片区", "所在片区"),
    "area_mu": ("面积（亩）", "面积(亩)", "用地面积（亩）", "面积"),
    "land_use": ("用途", "土地用途"),
    "status": ("状态", "利用状态"),
    "holder": ("使用权人", "使用权人统一社会信用代码", "土地使用权人"),
}
BUILDING_COLUMNS = {
    "code": ("楼栋编号", "厂房编号", "楼号"),
    "name": ("名称", "楼栋名称", "厂房名称"),
    "kind": ("类型", "厂房类型"),
    "park": ("园区", "所在园区"),
    "zone": ("片区", "所在片区"),
    "parcel": ("所在地块", "地块编号"),
    "floors": ("层数",),
    "floor_area_sqm": ("建筑面积（平方米）", "建筑面积(平方米)", "建筑面积（㎡）", "建筑面积"),
    "floor_load_kn": ("楼面荷载（kN/㎡）", "楼面荷载", "荷载"),
    "crane_tonnage": ("行车吨位（吨）", "行车吨位", "行车"),
    "power_kva": ("供电容量（kVA）", "供电容量"),
    "owner": ("产权单位", "产权企业", "产权单位统一社会信用代码"),
    "completed_year": ("建成年份",),
}


@dataclass(frozen=True)
class Ledger:
    """One ledger that can be imported: its sheet, columns, required columns and how a row is read."""

    kind: str
    noun: str  # 块 / 栋
    sheet: str
    columns: dict[str, tuple[str, ...]]
    required: tuple[str, ...]
    model: type

    @property
    def labels(self) -> dict[str, str]:
        return {k: v[0] for k, v in self.columns.items()}


PARCELS = Ledger("parcel", "块", "地块台账", PARCEL_COLUMNS, ("code", "park", "area_mu"), Parcel)
BUILDINGS = Ledger(
    "building", "栋", "厂房台账", BUILDING_COLUMNS, ("code", "name", "park", "floor_area_sqm"), Building
)
USCC = re.compile(r"[0-9A-HJ-NPQRTUWXY]{18}")
LEDGERS = {ledger.kind: ledger for ledger in (PARCELS, BUILDINGS)}
# The parcel ledger's labels, kept for its page.
LABELS = PARCELS.labels


@dataclass
class Checked:
    token: str
    rows: list[dict] = field(default_factory=list)
    errors: sheets.ErrorList = field(default_factory=sheets.ErrorList)
    creates: int = 0
    updates: int = 0


def _store_dir() -> Path:
    path = Path(settings.VAR_DIR) / "land_imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _column_of(ledger: Ledger, header: str) -> str | None:
    text = header.strip().replace(" ", "")
    for key, aliases in ledger.columns.items():
        if text in aliases:
            return key
    return None


def _parse(ledger: Ledger, sheet: sheets.SheetData, errors: sheets.ErrorList) -> list[tuple[int, dict]]:
    head = sheets.find_header_row(sheet.rows, lambda t: _column_of(ledger, t) is not None)
    columns = {i: _column_of(ledger, sheets.cell_text(v)) for i, v in enumerate(sheet.rows[head])}
    missing = [ledger.labels[k] for k in ledger.required if k not in columns.values()]
    if missing:
        errors.append(sheets.RowError(0, "", "", f"缺少必填列：{'、'.join(missing)}。"))
        return []
    parsed = []
    for index, row in enumerate(sheet.rows[head + 1 :], start=head + 2):
        if not any(sheets.cell_text(v) for v in row) or sheets.is_total_row(row):
            continue
        parsed.append(
            (index, {key: sheets.cell_text(row[i]) for i, key in columns.items() if key and i < len(row)})
        )
    return parsed


class _Row:
    """One row being read: the values found and the Chinese reasons of the cells that are wrong."""

    def __init__(self, ledger: Ledger, line: int, raw: dict, errors: sheets.ErrorList):
        self.ledger, self.line, self.raw, self.errors, self.ok = ledger, line, raw, errors, True

    def bad(self, key: str, reason: str) -> None:
        self.ok = False
        self.errors.append(sheets.RowError(self.line, self.ledger.labels[key], self.raw.get(key, ""), reason))

    def place(self, data: dict, parks: dict) -> None:
        park = parks.get(self.raw.get("park", ""))
        if park is None:
            self.bad("park", "园区名称与系统中的园区不一致。")
        data["park"] = park
        zone = None
        if self.raw.get("zone"):
            zone = OrgUnit.objects.filter(kind=OrgUnitKind.ZONE, name=self.raw["zone"], parent=park).first()
            if zone is None:
                self.bad("zone", "片区不存在或不属于该园区。")
        data["zone"] = zone

    def number(self, key: str, *, required: bool, places: str | None, reason: str):
        text = self.raw.get(key, "").replace(",", "")
        if not text:
            if required:
                self.bad(key, f"请填写{self.ledger.labels[key]}。")
            return None
        try:
            value = Decimal(text)
            if not value.is_finite():
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            self.bad(key, reason)
            return None
        if places is None:
            if value != value.to_integral_value():
                self.bad(key, reason)
                return None
            return int(value)
        return value.quantize(Decimal(places))

    def choice(self, key: str, choices, default: str):
        options = {label: value for value, label in choices}
        value = options.get(self.raw.get(key) or default)
        if value is None:
            self.bad(key, f"{self.ledger.labels[key]}应为：{'、'.join(options)}。")
        return value

    def enterprise(self, key: str):
        text = self.raw.get(key, "")
        if not text:
            return None
        return Enterprise.objects.filter(uscc=text).first() or Enterprise.objects.filter(name=text).first()


def _resolve_parcel(row: _Row, parks: dict) -> dict:
    data = {"code": row.raw.get("code", ""), "name": row.raw.get("name", "")}
    row.place(data, parks)
    data["area_mu"] = row.number("area_mu", required=True, places="0.01", reason="面积应为数字（亩）。")
    data["land_use"] = row.choice("land_use", LandUse.choices, "工业用地")
    data["status"] = row.choice("status", ParcelStatus.choices, "在用")
    data["holder"] = row.enterprise("holder")
    if row.raw.get("holder") and data["holder"] is None:
        row.bad("holder", "使用权人不在企业名录中（按统一社会信用代码或名称查找）。")
    return data


def _resolve_building(row: _Row, parks: dict) -> dict:
    data = {"code": row.raw.get("code", ""), "name": row.raw.get("name", "")}
    row.place(data, parks)
    data["kind"] = row.choice("kind", BuildingKind.choices, "标准厂房")
    data["parcel"] = None
    if row.raw.get("parcel"):
        data["parcel"] = Parcel.objects.filter(code=row.raw["parcel"]).first()
        if data["parcel"] is None:
            row.bad("parcel", "地块台账中没有该地块编号。")
    data["floors"] = row.number("floors", required=False, places=None, reason="层数应为整数。") or 1
    data["floor_area_sqm"] = row.number(
        "floor_area_sqm", required=True, places="0.01", reason="建筑面积应为数字（平方米）。"
    )
    data["floor_load_kn"] = row.number(
        "floor_load_kn", required=False, places="0.1", reason="楼面荷载应为数字（kN/㎡）。"
    )
    data["crane_tonnage"] = row.number(
        "crane_tonnage", required=False, places="0.1", reason="行车吨位应为数字（吨），无行车留空。"
    )
    data["power_kva"] = row.number(
        "power_kva", required=False, places=None, reason="供电容量应为整数（kVA）。"
    )
    year = row.number("completed_year", required=False, places=None, reason="建成年份应为四位年份。")
    if year is not None and not 1900 <= year <= 2100:
        row.bad("completed_year", "建成年份应为四位年份。")
    data["completed_year"] = year
    # An owner in the enterprise directory is linked; another owner (a park platform company) is kept
    # by name.
    data["owner"] = row.enterprise("owner")
    data["owner_name"] = "" if data["owner"] else row.raw.get("owner", "")
    if data["owner"] is None and USCC.fullmatch(data["owner_name"]):
        row.bad("owner", "该统一社会信用代码不在企业名录中。")
    return data


RESOLVERS = {"parcel": _resolve_parcel, "building": _resolve_building}
SERVICES = {
    "parcel": (services.parcel_create, services.parcel_update),
    "building": (services.building_create, services.building_update),
}


def _write(ledger: Ledger, actor, existing, data: dict) -> None:
    create, update = SERVICES[ledger.kind]
    if existing:
        update(actor=actor, **{ledger.kind: existing}, **data)
    else:
        create(actor=actor, **data)


def _plan(ledger: Ledger, actor, content: bytes, file_name: str, token: str) -> Checked:
    checked = Checked(token=token)
    try:
        sheet = sheets.read_table(content, file_name, expected_sheet=ledger.sheet)
    except sheets.FileRejected as error:
        checked.errors.append(sheets.RowError(0, "", "", str(error)))
        return checked
    parks = {u.name: u for u in OrgUnit.objects.filter(kind=OrgUnitKind.PARK)}
    labels = ledger.labels
    seen: set[str] = set()
    for line, raw in _parse(ledger, sheet, checked.errors):
        row = _Row(ledger, line, raw, checked.errors)
        data = RESOLVERS[ledger.kind](row, parks)
        if not row.ok:
            continue
        if data["code"] in seen:
            checked.errors.append(
                sheets.RowError(line, labels["code"], data["code"], f"{labels['code']}在文件中重复。")
            )
            continue
        seen.add(data["code"])
        existing = ledger.model.objects.filter(code=data["code"]).first()
        # The same checks as the form, in a savepoint that is always rolled back.
        try:
            with transaction.atomic():
                _write(ledger, actor, existing, data)
                transaction.set_rollback(True)
        except ValidationError as error:
            for key, messages in error.message_dict.items():
                for message in messages:
                    checked.errors.append(
                        sheets.RowError(line, labels.get(key, ""), str(raw.get(key, "")), message)
                    )
            continue
        except PermissionDenied as error:
            checked.errors.append(sheets.RowError(line, labels["park"], raw.get("park", ""), str(error)))
            continue
        checked.rows.append({"line": line, "existing": existing is not None, **data})
        checked.updates += existing is not None
        checked.creates += existing is None
    if not checked.rows and not checked.errors:
        checked.errors.append(sheets.RowError(0, "", "", "文件中没有数据行。"))
    return checked


def check_upload(*, actor, upload, ledger: Ledger = PARCELS) -> Checked:
    """Read and check an uploaded ledger; keep it for applying when it has no error."""
    sheets.check_size(upload.size)
    content = upload.read()
    token = secrets.token_hex(16)
    checked = _plan(ledger, actor, content, upload.name, token)
    if not checked.errors:
        (_store_dir() / f"{ledger.kind}-{token}{Path(upload.name).suffix.lower()[:5]}").write_bytes(content)
    return checked


@transaction.atomic
def apply(*, actor, token: str, ledger: Ledger = PARCELS) -> Checked:
    """Apply a checked ledger: every row written with its history, or none when a row fails now."""
    if not token.isalnum() or len(token) != 32:
        raise ValidationError("导入文件已失效，请重新上传。")
    # The file is found under its own ledger's name only: a parcel file is never applied as buildings.
    matches = list(_store_dir().glob(f"{ledger.kind}-{token}.*"))
    if not matches:
        raise ValidationError("导入文件已失效，请重新上传。")
    path = matches[0]
    checked = _plan(ledger, actor, path.read_bytes(), path.name, token)
    if checked.errors:
        raise ValidationError("文件中的数据已与系统不一致，请重新上传核对。")
    for row in checked.rows:
        data = {k: v for k, v in row.items() if k not in ("line", "existing")}
        _write(ledger, actor, ledger.model.objects.filter(code=data["code"]).first(), data)
    path.unlink(missing_ok=True)
    return checked
