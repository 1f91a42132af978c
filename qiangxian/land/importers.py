"""Import of the parcel ledger (.xlsx/.xls/.csv from the natural resources bureau): checked, then applied.

The upload is read with the shared sheet reader (title rows, 合计 rows, GB18030 csv), every row
is checked through the same validation as the form, and the file is kept under ``VAR_DIR`` until
the user applies it; applying checks again and writes all rows in one transaction, or none.
"""

from __future__ import annotations

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

from .choices import LandUse, ParcelStatus
from .models import Parcel
from .services import space as services

COLUMNS = {
    "code": ("地块编号", "宗地编号", "地块号"),
    "name": ("地块名称", "坐落", "地块名称/坐落"),
    "park": ("园区", "所在园区"),
    "zone": ("片区", "所在片区"),
    "area_mu": ("面积（亩）", "面积(亩)", "用地面积（亩）", "面积"),
    "land_use": ("用途", "土地用途"),
    "status": ("状态", "利用状态"),
    "holder": ("使用权人", "使用权人统一社会信用代码", "土地使用权人"),
}
REQUIRED = ("code", "park", "area_mu")
LABELS = {k: v[0] for k, v in COLUMNS.items()}


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


def _column_of(header: str) -> str | None:
    text = header.strip().replace(" ", "")
    for key, aliases in COLUMNS.items():
        if text in aliases:
            return key
    return None


def _parse(sheet: sheets.SheetData, errors: sheets.ErrorList) -> list[tuple[int, dict]]:
    head = sheets.find_header_row(sheet.rows, lambda t: _column_of(t) is not None)
    columns = {i: _column_of(sheets.cell_text(v)) for i, v in enumerate(sheet.rows[head])}
    missing = [LABELS[k] for k in REQUIRED if k not in columns.values()]
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


def _resolve(line: int, raw: dict, errors: sheets.ErrorList) -> dict | None:
    parks = {u.name: u for u in OrgUnit.objects.filter(kind=OrgUnitKind.PARK)}
    ok = True

    def bad(key, reason):
        nonlocal ok
        ok = False
        errors.append(sheets.RowError(line, LABELS[key], raw.get(key, ""), reason))

    data = {"code": raw.get("code", ""), "name": raw.get("name", "")}
    park = parks.get(raw.get("park", ""))
    if park is None:
        bad("park", "园区名称与系统中的园区不一致。")
    data["park"] = park
    zone = None
    if raw.get("zone"):
        zone = OrgUnit.objects.filter(kind=OrgUnitKind.ZONE, name=raw["zone"], parent=park).first()
        if zone is None:
            bad("zone", "片区不存在或不属于该园区。")
    data["zone"] = zone
    try:
        data["area_mu"] = Decimal(raw.get("area_mu", "")).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        bad("area_mu", "面积应为数字（亩）。")
    uses = {label: value for value, label in LandUse.choices}
    statuses = {label: value for value, label in ParcelStatus.choices}
    data["land_use"] = uses.get(raw.get("land_use") or "工业用地")
    if data["land_use"] is None:
        bad("land_use", f"用途应为：{'、'.join(uses)}。")
    data["status"] = statuses.get(raw.get("status") or "在用")
    if data["status"] is None:
        bad("status", f"状态应为：{'、'.join(statuses)}。")
    holder = raw.get("holder", "")
    data["holder"] = None
    if holder:
        data["holder"] = (
            Enterprise.objects.filter(uscc=holder).first() or Enterprise.objects.filter(name=holder).first()
        )
        if data["holder"] is None:
            bad("holder", "使用权人不在企业名录中（按统一社会信用代码或名称查找）。")
    return data if ok else None


def _plan(actor, content: bytes, file_name: str, token: str) -> Checked:
    checked = Checked(token=token)
    try:
        sheet = sheets.read_table(content, file_name, expected_sheet="地块台账")
    except sheets.FileRejected as error:
        checked.errors.append(sheets.RowError(0, "", "", str(error)))
        return checked
    seen: set[str] = set()
    for line, raw in _parse(sheet, checked.errors):
        data = _resolve(line, raw, checked.errors)
        if data is None:
            continue
        if data["code"] in seen:
            checked.errors.append(
                sheets.RowError(line, LABELS["code"], data["code"], "地块编号在文件中重复。")
            )
            continue
        seen.add(data["code"])
        existing = Parcel.objects.filter(code=data["code"]).first()
        # The same checks as the form, in a savepoint that is always rolled back.
        try:
            with transaction.atomic():
                if existing:
                    services.parcel_update(actor=actor, parcel=existing, **data)
                else:
                    services.parcel_create(actor=actor, **data)
                transaction.set_rollback(True)
        except ValidationError as error:
            for key, messages in error.message_dict.items():
                for message in messages:
                    checked.errors.append(
                        sheets.RowError(line, LABELS.get(key, ""), str(data.get(key, "")), message)
                    )
            continue
        except PermissionDenied as error:
            checked.errors.append(sheets.RowError(line, LABELS["park"], raw.get("park", ""), str(error)))
            continue
        checked.rows.append({"line": line, "existing": existing is not None, **data})
        checked.updates += existing is not None
        checked.creates += existing is None
    if not checked.rows and not checked.errors:
        checked.errors.append(sheets.RowError(0, "", "", "文件中没有数据行。"))
    return checked


def check_upload(*, actor, upload) -> Checked:
    """Read and check an uploaded ledger; keep it for applying when it has no error."""
    sheets.check_size(upload.size)
    content = upload.read()
    token = secrets.token_hex(16)
    checked = _plan(actor, content, upload.name, token)
    if not checked.errors:
        (_store_dir() / f"{token}{Path(upload.name).suffix.lower()[:5]}").write_bytes(content)
    return checked


@transaction.atomic
def apply(*, actor, token: str) -> Checked:
    """Apply a checked ledger: every row written with its history, or none when a row fails now."""
    if not token.isalnum() or len(token) != 32:
        raise ValidationError("导入文件已失效，请重新上传。")
    matches = list(_store_dir().glob(f"{token}.*"))
    if not matches:
        raise ValidationError("导入文件已失效，请重新上传。")
    path = matches[0]
    checked = _plan(actor, path.read_bytes(), path.name, token)
    if checked.errors:
        raise ValidationError("文件中的数据已与系统不一致，请重新上传核对。")
    for row in checked.rows:
        data = {k: v for k, v in row.items() if k not in ("line", "existing")}
        existing = Parcel.objects.filter(code=data["code"]).first()
        if existing:
            services.parcel_update(actor=actor, parcel=existing, **data)
        else:
            services.parcel_create(actor=actor, **data)
    path.unlink(missing_ok=True)
    return checked
