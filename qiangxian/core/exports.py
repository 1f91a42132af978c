"""Excel (.xlsx) files written with xlsxwriter, with Chinese headers and typed cells."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from decimal import Decimal
from urllib.parse import quote

import xlsxwriter
from django.http import HttpResponse

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(value):
    # Money stays exact as text would lose sums in Excel; Decimal becomes a number Excel can add.
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).replace(tzinfo=None) if value.tzinfo else value
    if value is None:
        return ""
    return value if isinstance(value, (int, float, dt.date, str)) else str(value)


def write_xlsx(
    stream, *, sheets: list[tuple[str, list[str], Iterable[list]]], notes: list[str] | None = None
) -> int:
    """Write sheets (name, headers, rows) to a stream; returns the number of data rows written."""
    workbook = xlsxwriter.Workbook(stream, {"in_memory": True, "constant_memory": False})
    header_fmt = workbook.add_format({"bold": True, "bg_color": "#E8EEF7", "border": 1})
    date_fmt = workbook.add_format({"num_format": "yyyy-mm-dd"})
    count = 0
    for name, headers, rows in sheets:
        sheet = workbook.add_worksheet(name[:31])
        sheet.write_row(0, 0, headers, header_fmt)
        widths = [max(8, len(h) * 2 + 2) for h in headers]
        r = 0
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                value = _cell(value)
                if isinstance(value, dt.date):
                    sheet.write_datetime(r, c, value, date_fmt)
                else:
                    sheet.write(r, c, value)
                if isinstance(value, str) and c < len(widths):
                    widths[c] = min(60, max(widths[c], len(value) * 2))
        count += r
        for c, width in enumerate(widths):
            sheet.set_column(c, c, width)
        sheet.freeze_panes(1, 0)
        if r:
            sheet.autofilter(0, 0, r, max(0, len(headers) - 1))
    if notes:
        sheet = workbook.add_worksheet("说明")
        for i, line in enumerate(notes):
            sheet.write(i, 0, line)
        sheet.set_column(0, 0, 100)
    workbook.close()
    return count


def attachment(content: bytes, filename: str, content_type: str = XLSX_MIME) -> HttpResponse:
    """A file download under a Chinese file name (RFC 5987 encoding, which browsers accept)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def xlsx_attachment(filename: str, write) -> HttpResponse:
    """An .xlsx download written by ``write(stream)``."""
    buffer = io.BytesIO()
    write(buffer)
    return attachment(buffer.getvalue(), filename)


def xlsx_response(*, filename: str, title: str, headers: list[str], rows: Iterable[list]) -> HttpResponse:
    """An .xlsx download of one table."""
    return xlsx_attachment(filename, lambda stream: write_xlsx(stream, sheets=[(title, headers, rows)]))
