"""Reading an uploaded .xlsx safely: shape checks first (size, format, sheets, merged cells, formulas).

The workbook's XML is scanned directly (an .xlsx is a zip of XML parts), so merged cells and
formulas are found without a styles-reading library; the values are then read with python-calamine.
"""

from __future__ import annotations

import datetime as dt
import io
import posixpath
import re
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree

from python_calamine import CalamineWorkbook

MAX_BYTES = 20 * 1024 * 1024
NOTES_SHEET = "说明"
_NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}
_FORMULA_CELL = re.compile(
    rb'<(?:\w+:)?c\b[^>]*\br="([A-Z]+[0-9]+)"[^>]*>(?:(?!</(?:\w+:)?c>).)*?<(?:\w+:)?f[\s>/]', re.DOTALL
)
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*\bref="([A-Z0-9:]+)"')


@dataclass
class RowError:
    """One problem in an uploaded sheet: row (0 = the file), column, the value as written, reason."""

    row: int
    column: str
    value: str
    reason: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "value": self.value, "reason": self.reason}


def cell_text(value) -> str:
    """A cell as the user reads it: whole numbers without ".0", dates as 2026-05-01, trimmed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return str(value).strip()


class FileRejected(Exception):
    """The file cannot be read as a data sheet; the message says why, in Chinese."""


@dataclass
class SheetData:
    name: str
    rows: list[list]  # every row including the header row


def _sheet_parts(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet name, part path) for each worksheet, in workbook order."""
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels.findall("rel:Relationship", _NS)}
    parts = []
    for sheet in workbook.findall("m:sheets/m:sheet", _NS):
        target = targets.get(sheet.get(f"{{{_NS['r']}}}id"), "")
        path = (
            target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        )
        parts.append((sheet.get("name", ""), path))
    return parts


def read_single_sheet(content: bytes, file_name: str, *, expected_sheet: str) -> SheetData:
    """The data sheet of an uploaded workbook, or FileRejected with a clear Chinese reason.

    Allowed: one data sheet, optionally followed by the template's "说明" sheet, without merged cells
    or formulas (values must be pasted as values so the import is what the user sees).
    """
    if len(content) > MAX_BYTES:
        raise FileRejected(
            f"文件过大（{len(content) / 1024 / 1024:.1f} MB），单个文件不能超过 "
            f"{MAX_BYTES // 1024 // 1024} MB，请分批导入。"
        )
    if not content:
        raise FileRejected("文件是空的，请选择填写好的 .xlsx 文件。")
    if not file_name.lower().endswith(".xlsx"):
        raise FileRejected(
            "只能导入 Excel .xlsx 文件（.xls、.csv、.et 等格式请在 Excel/WPS 中另存为 .xlsx）。"
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        parts = _sheet_parts(archive)
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError) as exc:
        raise FileRejected(
            "文件不是有效的 .xlsx 文件，可能已损坏或只是改了扩展名，请用 Excel/WPS 另存为 .xlsx。"
        ) from exc
    if not parts:
        raise FileRejected("工作簿中没有工作表。")
    data_name, data_part = parts[0]
    extra = [name for name, _ in parts[1:] if name != NOTES_SHEET]
    if extra:
        raise FileRejected(
            f"工作簿只能包含“{expected_sheet}”一张数据表（可保留“{NOTES_SHEET}”），"
            f"请删除多余的工作表：{'、'.join(extra)}。"
        )
    if data_name == NOTES_SHEET:
        raise FileRejected(f"第一张工作表应为数据表“{expected_sheet}”，而不是“{NOTES_SHEET}”。")
    try:
        xml = archive.read(data_part)
    except KeyError as exc:
        raise FileRejected("文件结构不完整，无法读取数据表。") from exc
    merged = [m.decode() for m in _MERGE.findall(xml)]
    if merged:
        raise FileRejected(
            f"数据表“{data_name}”含有合并单元格（{'、'.join(merged[:5])}），"
            "请取消合并，使每列只有一个表头、每格一个值。"
        )
    formulas = [m.decode() for m in _FORMULA_CELL.findall(xml)]
    if formulas:
        more = f"等 {len(formulas)} 处" if len(formulas) > 5 else ""
        raise FileRejected(
            f"数据表“{data_name}”含有公式（{'、'.join(formulas[:5])}{more}），"
            "请复制后“选择性粘贴为数值”再导入。"
        )
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
        rows = workbook.get_sheet_by_name(data_name).to_python(skip_empty_area=False)
    except Exception as exc:  # calamine raises its own error types for damaged parts
        raise FileRejected(f"无法读取数据表“{data_name}”：文件可能已损坏。") from exc
    # Trailing empty rows are formatting, not data.
    while rows and all(v in ("", None) for v in rows[-1]):
        rows.pop()
    if not rows:
        raise FileRejected(f"数据表“{data_name}”是空的：第一行应为表头，从第二行起填写数据。")
    return SheetData(name=data_name, rows=rows)
