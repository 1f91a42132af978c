"""Reading the bureaus' workbooks as they come: which sheet, which header row, which rows to skip.

The statistics bureau's 原始格式 has a title row and a unit row above the header, 合计/小计 rows
and a 序号 column inside the table. An import profile records the layout (sheet, header row,
skip rules); this module reads rows lazily with calamine so a 100,000-row sheet is never held
as Python objects all at once, and answers an unreadable file with a Chinese message.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .figures import ANNUAL_FIGURES, MONTHLY_FIGURES, UNITS

TOTAL_RE = re.compile(r"合\s*计|小\s*计|总\s*计")
SPACE_RE = re.compile(r"\s+")
SAMPLE_ROWS = 12  # rows of a sample shown to pick the header row
PREVIEW_ROWS = 5  # data rows converted in the builder's preview
ALLOWED_SUFFIXES = (".xlsx", ".xls")


class FileUnreadable(Exception):
    """The file is not a workbook calamine can read; the message is for the user."""


def norm(text) -> str:
    """A header as compared: no spaces or line breaks (headers wrap inside their cells)."""
    return SPACE_RE.sub("", str(text if text is not None else "")).replace("\u3000", "")


@dataclass(frozen=True)
class Layout:
    """Where the table is in the workbook and which rows are not enterprises."""

    sheet_name: str = ""
    header_row: int = 1
    skip_total_rows: bool = True
    skip_blank_key: bool = True

    @classmethod
    def of(cls, snapshot: dict) -> Layout:
        return cls(
            sheet_name=snapshot.get("sheet_name") or "",
            header_row=max(int(snapshot.get("header_row") or 1), 1),
            # Profiles saved before the layout existed behaved as "skip nothing".
            skip_total_rows=bool(snapshot.get("skip_total_rows", False)),
            skip_blank_key=bool(snapshot.get("skip_blank_key", False)),
        )


def check_name(name: str) -> None:
    """Refuse a file whose name says it is no workbook before reading a byte of it."""
    if not name.lower().endswith(ALLOWED_SUFFIXES):
        raise FileUnreadable("请上传 Excel 文件（.xlsx 或 .xls）。")


def open_workbook(path: str | Path):
    """The workbook, or :class:`FileUnreadable` with a message naming what is wrong."""
    from python_calamine import CalamineError, CalamineWorkbook

    from qiangxian.core.sheets import FileRejected, check_path

    try:
        check_path(path)  # the upload limit and the zip-bomb check every importer shares
    except FileRejected as rejected:
        raise FileUnreadable(str(rejected)) from rejected
    try:
        return CalamineWorkbook.from_path(str(path))
    except (CalamineError, OSError, ValueError) as error:
        raise FileUnreadable(
            "无法读取该文件：它不是有效的 Excel 工作簿，或文件已损坏。"
            "请在 Excel 中打开并另存为 .xlsx 后重新上传。"
        ) from error


def open_sheet(path: str | Path, sheet_name: str = ""):
    """The named sheet (or the first one) of the workbook at ``path``."""
    from python_calamine import CalamineError

    workbook = open_workbook(path)
    names = workbook.sheet_names
    if not names:
        raise FileUnreadable("该工作簿中没有工作表。")
    if sheet_name and sheet_name not in names:
        raise FileUnreadable(f"工作簿中没有名为“{sheet_name}”的工作表（现有：{'、'.join(names)}）。")
    try:
        return workbook.get_sheet_by_name(sheet_name or names[0])
    except (CalamineError, ValueError) as error:
        raise FileUnreadable(f"无法读取工作表“{sheet_name or names[0]}”：文件已损坏。") from error


def iter_rows(sheet) -> Iterator[list]:
    """The sheet's rows from row 1, each padded so that index 0 is column A."""
    pad = [""] * sheet.start[1] if sheet.start else []
    for row in sheet.iter_rows():
        yield pad + row if pad else row


def is_total_row(row: list, positions: list[int]) -> bool:
    """A 合计/小计/总计 row: the words stand in one of the identifying cells."""
    width = len(row)
    for i in positions:
        if i < width:
            cell = row[i]
            # Every word looked for ends in 计: a cheap test before the expression.
            if isinstance(cell, str) and "计" in cell and TOTAL_RE.search(cell):
                return True
    return False


# --- the profile builder's reading of a sample -----------------------------------------------


def sample_rows(path: str | Path, sheet_name: str = "", limit: int = SAMPLE_ROWS) -> list[list]:
    """The first rows of a sheet as text, for picking the header row."""
    rows = []
    for row in iter_rows(open_sheet(path, sheet_name)):
        rows.append(["" if v is None else _text(v) for v in row])
        if len(rows) >= limit:
            break
    width = max((len(r) for r in rows), default=0)
    return [r + [""] * (width - len(r)) for r in rows]


def _text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def guess_header_row(rows: list[list]) -> int:
    """The first row that names a code or name column, else the first row with most filled cells."""
    for index, row in enumerate(rows, start=1):
        texts = [norm(v) for v in row]
        if any(t in KEY_HEADERS or t in NAME_HEADERS for t in texts):
            return index
    filled = [sum(1 for v in row if str(v).strip()) for row in rows]
    return filled.index(max(filled)) + 1 if filled else 1


KEY_HEADERS = {"统一社会信用代码", "社会信用代码", "信用代码", "USCC", "组织机构代码", "企业代码"}
NAME_HEADERS = {"企业名称", "单位名称", "企业(单位)名称", "企业（单位）名称", "名称"}
PERIOD_HEADERS = {"期别", "月份", "报告期", "统计期", "时间"}
SERIAL_HEADERS = {"序号", "编号", "行次"}
UNIT_WORDS = sorted(
    ((label, code) for code, (label, _factor) in UNITS.items() if label not in ("%",)),
    key=lambda item: -len(item[0]),
)


def guess_unit(text: str, figure_unit: str, fallback: str = "") -> str:
    """The unit code a header (or the unit row above it) names, if it fits the figure."""
    from .figures import UNITS_FOR

    allowed = UNITS_FOR.get(figure_unit) or tuple(k for k, (lb, _) in UNITS.items() if lb == figure_unit)
    for label, code in UNIT_WORDS:
        if label in text and code in allowed:
            return code
    if fallback in allowed:
        return fallback
    return allowed[0] if allowed else "yuan"


def guess_column(header: str, unit_text: str, annual: bool) -> dict:
    """A first mapping of one header: its role (key, name, period, serial or a figure) and details."""
    text = norm(header)
    if not text:
        return {"role": ""}
    if text in KEY_HEADERS or "信用代码" in text:
        return {"role": "key"}
    if text in NAME_HEADERS:
        return {"role": "name"}
    if text in PERIOD_HEADERS:
        return {"role": "period"}
    if text in SERIAL_HEADERS:
        return {"role": "serial"}
    catalogue = ANNUAL_FIGURES if annual else MONTHLY_FIGURES
    # Longest name first: 主营业务收入 before 营业收入, 工业销售产值 before 工业总产值's "产值".
    for code, figure in sorted(catalogue.items(), key=lambda item: -len(item[1].name)):
        if figure.name in text or (figure.name == "用电量" and "电量" in text):
            last = "上年" in text or "同期" in text or "去年" in text
            single = "当月" in text or "本月" in text or "同月" in text
            return {
                "role": "figure",
                "figure": code,
                "unit": guess_unit(text, figure.unit, guess_unit(norm(unit_text), figure.unit)),
                "basis": "month" if single else "ytd",
                "year": "last" if last else "current",
            }
    return {"role": ""}
