"""Reading uploaded spreadsheets safely, for every import: size, format, zip bomb, then the cells.

One place for what each importer needs before it looks at a single value: the upload limit
(``settings.QX_IMPORT_MAX_BYTES``), the check that an .xlsx does not expand into gigabytes,
telling a real workbook from a renamed text file, reading .xlsx/.xls with python-calamine and
.csv in UTF-8 (with or without BOM) or GB18030 (what Excel writes on a Chinese Windows), and a
bounded error list so a large bad file cannot fill the database with its error report.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import posixpath
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from django.conf import settings
from python_calamine import CalamineWorkbook

NOTES_SHEET = "说明"
XLSX, XLS, CSV = "xlsx", "xls", "csv"
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}
_FORMULA_CELL = re.compile(
    rb'<(?:\w+:)?c\b[^>]*\br="([A-Z]+)([0-9]+)"[^>]*>(?:(?!</(?:\w+:)?c>).)*?<(?:\w+:)?f[\s>/]', re.DOTALL
)
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*\bref="([A-Z]+([0-9]+)(?::[A-Z]+[0-9]+)?)"')


@dataclass
class RowError:
    """One problem in an uploaded sheet: row (0 = the file), column, the value as written, reason."""

    row: int
    column: str
    value: str
    reason: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "value": self.value, "reason": self.reason}


class ErrorList(list):
    """Errors of one file: keeps the first ``limit`` (``settings.QX_IMPORT_MAX_ERRORS``), counts all.

    ``total`` is every error found and ``more`` those not kept, so a page can say
    "另有 N 处错误未列出" without a 200,000-row bad file holding every message.
    """

    def __init__(self, items: Iterable = (), *, limit: int | None = None):
        super().__init__()
        self.limit = limit if limit is not None else settings.QX_IMPORT_MAX_ERRORS
        self.total = 0
        self.extend(items)

    def append(self, item) -> None:
        self.total += 1
        if len(self) < self.limit:
            super().append(item)

    def extend(self, items: Iterable) -> None:
        for item in items:
            self.append(item)

    def __iadd__(self, items):
        self.extend(items)
        return self

    @property
    def more(self) -> int:
        return self.total - len(self)

    def as_dicts(self) -> list[dict]:
        """The kept errors for storing, with a last line saying how many more there were."""
        rows = [e.as_dict() if isinstance(e, RowError) else e for e in self]
        if self.more:
            rows.append({"row": 0, "column": "", "value": "", "reason": more_text(self.more, self.limit)})
        return rows


def more_text(more: int, kept: int) -> str:
    """The note under a cut error list."""
    return f"另有 {more} 处错误未列出（只列出前 {kept} 处），请先改正以上错误后重新上传。"


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
    """The cells of one sheet, and where a workbook had merged cells and formulas (0-based rows)."""

    name: str
    rows: list[list]  # every row including the header row
    kind: str = XLSX
    merged: list[tuple[str, int]] = field(default_factory=list)  # (A1:C1, first row index)
    formulas: list[tuple[str, int]] = field(default_factory=list)  # (B12, row index)


def max_bytes() -> int:
    """The largest upload any import accepts."""
    return settings.QX_IMPORT_MAX_BYTES


def size_message(size: int) -> str:
    limit = max_bytes()
    return (
        f"文件过大（{size / 1024 / 1024:.1f} MB），单个导入文件不能超过 "
        f"{limit / 1024 / 1024:g} MB，请分批导入。"
    )


def check_size(size: int) -> None:
    """Refuse an upload over the limit before reading it."""
    if size > max_bytes():
        raise FileRejected(size_message(size))


def check_zip(archive: zipfile.ZipFile) -> None:
    """Refuse a workbook that would expand past ``settings.QX_IMPORT_MAX_UNZIPPED_BYTES`` (zip bomb)."""
    members = archive.infolist()
    if len(members) > 10_000:
        raise FileRejected("文件结构异常（压缩包内文件过多），不像是 Excel 工作簿，已拒绝读取。")
    expanded = sum(m.file_size for m in members)
    if expanded > settings.QX_IMPORT_MAX_UNZIPPED_BYTES:
        raise FileRejected(
            f"文件解压后达 {expanded / 1024 / 1024:.0f} MB，超过允许的 "
            f"{settings.QX_IMPORT_MAX_UNZIPPED_BYTES / 1024 / 1024:g} MB，"
            "可能是异常文件；请删除多余的行列和格式后另存再导入。"
        )


def check_path(path: str | Path) -> None:
    """Size and zip-bomb checks for a stored upload, before a reader opens it."""
    path = Path(path)
    check_size(path.stat().st_size)
    with path.open("rb") as stream:
        head = stream.read(8)
        if not head:
            raise FileRejected("文件是空的，请选择填写好的 Excel 文件。")
        if head.startswith(_ZIP_MAGIC):
            try:
                with zipfile.ZipFile(stream) as archive:
                    check_zip(archive)
            except zipfile.BadZipFile as exc:
                raise FileRejected(_not_workbook(XLSX)) from exc


def check_content(content: bytes) -> None:
    """Size and zip-bomb checks for an upload held in memory."""
    check_size(len(content))
    if not content:
        raise FileRejected("文件是空的，请选择填写好的 Excel 文件。")
    if content.startswith(_ZIP_MAGIC):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                check_zip(archive)
        except zipfile.BadZipFile as exc:
            raise FileRejected(_not_workbook(XLSX)) from exc


def _not_workbook(kind: str) -> str:
    return (
        f"文件不是有效的 .{kind} 文件，可能已损坏或只是改了扩展名，请用 Excel/WPS 打开后另存为 .xlsx 再导入。"
    )


def detect_kind(content: bytes, file_name: str, *, formats: Iterable[str]) -> str:
    """The real format of an upload, from its first bytes (a .xls saved as .xlsx still reads)."""
    formats = tuple(formats)
    allowed = "、".join(f".{f}" for f in formats)
    extension = file_name.lower().rsplit(".", 1)[-1] if "." in file_name else ""
    if content.startswith(_ZIP_MAGIC):
        kind = XLSX
    elif content.startswith(_OLE_MAGIC):
        kind = XLS
    elif extension == CSV:
        kind = CSV
    elif extension in (XLSX, XLS):
        raise FileRejected(_not_workbook(extension))
    else:
        raise FileRejected(f"只能导入 {allowed} 文件（.et 等格式请在 WPS 中另存为 .xlsx）。")
    if kind not in formats:
        raise FileRejected(f"只能导入 {allowed} 文件，请在 Excel/WPS 中另存为 .xlsx。")
    return kind


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


def _trim(rows: list[list]) -> list[list]:
    # Trailing empty rows are formatting, not data.
    while rows and all(v in ("", None) for v in rows[-1]):
        rows.pop()
    return rows


def _choose_sheet(names: list[str], expected_sheet: str) -> str:
    if not names:
        raise FileRejected("工作簿中没有工作表。")
    data_name = names[0]
    extra = [name for name in names[1:] if name != NOTES_SHEET]
    if extra:
        raise FileRejected(
            f"工作簿只能包含“{expected_sheet}”一张数据表（可保留“{NOTES_SHEET}”），"
            f"请删除多余的工作表：{'、'.join(extra)}。"
        )
    if data_name == NOTES_SHEET:
        raise FileRejected(f"第一张工作表应为数据表“{expected_sheet}”，而不是“{NOTES_SHEET}”。")
    return data_name


def _read_xlsx(content: bytes, expected_sheet: str) -> SheetData:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        check_zip(archive)
        parts = _sheet_parts(archive)
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError) as exc:
        raise FileRejected(_not_workbook(XLSX)) from exc
    data_name = _choose_sheet([name for name, _ in parts], expected_sheet)
    data_part = dict(parts)[data_name]
    try:
        xml = archive.read(data_part)
    except KeyError as exc:
        raise FileRejected("文件结构不完整，无法读取数据表。") from exc
    merged = [(ref.decode(), int(row) - 1) for ref, row in _MERGE.findall(xml)]
    formulas = [(col.decode() + row.decode(), int(row) - 1) for col, row in _FORMULA_CELL.findall(xml)]
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
        rows = workbook.get_sheet_by_name(data_name).to_python(skip_empty_area=False)
    except Exception as exc:  # calamine raises its own error types for damaged parts
        raise FileRejected(f"无法读取数据表“{data_name}”：文件可能已损坏。") from exc
    return SheetData(name=data_name, rows=_trim(rows), kind=XLSX, merged=merged, formulas=formulas)


def _read_xls(content: bytes, expected_sheet: str) -> SheetData:
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
        names = list(workbook.sheet_names)
    except Exception as exc:
        raise FileRejected(_not_workbook(XLS)) from exc
    data_name = _choose_sheet(names, expected_sheet)
    try:
        rows = workbook.get_sheet_by_name(data_name).to_python(skip_empty_area=False)
    except Exception as exc:
        raise FileRejected(f"无法读取数据表“{data_name}”：文件可能已损坏。") from exc
    return SheetData(name=data_name, rows=_trim(rows), kind=XLS)


def decode_text(content: bytes) -> str:
    """A text file as Excel users write it: UTF-8 (with or without BOM), else GB18030."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break  # binary data that happened to decode
        return text
    raise FileRejected("无法识别 .csv 文件的编码或内容：请用 Excel/WPS 另存为“CSV UTF-8”或 .xlsx 后再导入。")


def _read_csv(content: bytes) -> SheetData:
    text = decode_text(content)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    try:
        rows = [list(row) for row in csv.reader(io.StringIO(text, newline=""), dialect)]
    except csv.Error as exc:
        raise FileRejected(f"无法读取 .csv 文件：{exc}。请用 Excel/WPS 另存为 .xlsx 后再导入。") from exc
    return SheetData(name="CSV", rows=_trim(rows), kind=CSV)


def read_table(
    content: bytes, file_name: str, *, expected_sheet: str, formats: Iterable[str] = (XLSX, XLS, CSV)
) -> SheetData:
    """The data sheet of an upload (.xlsx, .xls or .csv), or FileRejected with a Chinese reason.

    Allowed: one data sheet, optionally followed by the template's "说明" sheet. Merged cells and
    formulas are reported on the result; the caller decides which rows they may appear in.
    """
    check_content(content)
    kind = detect_kind(content, file_name, formats=formats)
    if kind == XLSX:
        sheet = _read_xlsx(content, expected_sheet)
    elif kind == XLS:
        sheet = _read_xls(content, expected_sheet)
    else:
        sheet = _read_csv(content)
    if not sheet.rows:
        raise FileRejected(f"数据表“{sheet.name}”是空的：应有一行表头，其下每行一条数据。")
    return sheet


def read_single_sheet(content: bytes, file_name: str, *, expected_sheet: str) -> SheetData:
    """A template-shaped .xlsx: header in the first row, no merged cells, no formulas.

    Values must be pasted as values so the import is what the user sees.
    """
    sheet = read_table(content, file_name, expected_sheet=expected_sheet, formats=(XLSX,))
    reject_merged_and_formulas(sheet)
    return sheet


def reject_merged_and_formulas(
    sheet: SheetData, *, from_row: int = 0, skip: Callable[[int], bool] | None = None
):
    """Refuse merged cells and formulas at or below ``from_row`` (0-based), except in skipped rows."""
    skip = skip or (lambda index: False)
    merged = [ref for ref, row in sheet.merged if row >= from_row and not skip(row)]
    if merged:
        raise FileRejected(
            f"数据表“{sheet.name}”含有合并单元格（{'、'.join(merged[:5])}），"
            "请取消合并，使每列只有一个表头、每格一个值。"
        )
    formulas = [ref for ref, row in sheet.formulas if row >= from_row and not skip(row)]
    if formulas:
        more = f"等 {len(formulas)} 处" if len(formulas) > 5 else ""
        raise FileRejected(
            f"数据表“{sheet.name}”含有公式（{'、'.join(formulas[:5])}{more}），"
            "请复制后“选择性粘贴为数值”再导入。"
        )


def read_first_sheet(content: bytes) -> list[list]:
    """All rows of the first sheet of an .xlsx/.xls held in memory, after the size and zip checks."""
    check_content(content)
    if not (content.startswith(_ZIP_MAGIC) or content.startswith(_OLE_MAGIC)):
        raise FileRejected(_not_workbook(XLSX))
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
        return workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except Exception as exc:
        raise FileRejected(_not_workbook(XLSX)) from exc


def find_header_row(
    rows: list[list], is_known: Callable[[str], bool], *, scan: int = 20, min_known: int = 2
) -> int:
    """The index of the header row: the first of the top rows naming at least ``min_known`` known columns.

    Bureau files carry a title row ("XX县工业企业名录") and sometimes a unit row above the header.
    """
    for index, row in enumerate(rows[:scan]):
        if sum(1 for value in row if is_known(cell_text(value))) >= min_known:
            return index
    return 0


_TOTAL_ROW = re.compile(r"(?:[合小总共]\s*计|全县(?:合计)?|合计数)[:：]?")


def is_total_row(row: list) -> bool:
    """A 合计/小计 row a county appends to its list: its first non-empty cells say so."""
    seen = 0
    for value in row:
        if value is None or value == "":
            continue
        # Only text can say 合计; the label sits in one of the first few filled cells.
        if isinstance(value, str) and _TOTAL_ROW.fullmatch(value.strip()):
            return True
        seen += 1
        if seen == 3:
            return False
    return False
