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


# A text starting with one of these is a formula (or becomes one when edited) in Excel and
# LibreOffice: an enterprise name "=HYPERLINK(...)" must stay a name.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _cell(value):
    # Decimal becomes a number Excel can add; a zero is +0 so that no "-0" is shown.
    if isinstance(value, Decimal):
        return float(value) if value != 0 else 0.0
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).replace(tzinfo=None) if value.tzinfo else value
    if value is None:
        return ""
    if isinstance(value, float) and value == 0:
        return 0.0
    return value if isinstance(value, (int, float, dt.date, str)) else str(value)


class _Writer:
    """Writes cells by type: every text as text (never a formula, never a link)."""

    def __init__(self, workbook) -> None:
        self.date = workbook.add_format({"num_format": "yyyy-mm-dd"})
        # quote_prefix keeps the cell text even when someone edits it in Excel.
        self.quoted = workbook.add_format({"quote_prefix": True})

    def text(self, sheet, row: int, col: int, value: str, fmt=None) -> None:
        if value.startswith(FORMULA_PREFIXES) and fmt is None:
            fmt = self.quoted
        sheet.write_string(row, col, value, fmt)

    def cell(self, sheet, row: int, col: int, value) -> None:
        value = _cell(value)
        if isinstance(value, str):
            self.text(sheet, row, col, value)
        elif isinstance(value, dt.date):
            sheet.write_datetime(row, col, value, self.date)
        else:
            sheet.write_number(row, col, value)


def watermark_line(user=None, when: dt.datetime | None = None) -> str:
    """The line naming who took a file and when; the current request's user by default."""
    from django.utils import timezone

    from . import audit

    user = user if user is not None else audit.current_user()
    if user is None:
        return ""
    username = user.get_username()
    who = f"{user}（{username}）" if str(user) != username else username
    when = timezone.localtime(when or timezone.now())
    return f"导出人：{who}  导出时间：{when:%Y-%m-%d %H:%M:%S}  仅限工作使用，不得外传。"


def write_xlsx(
    stream,
    *,
    sheets: list[tuple[str, list[str], Iterable[list]]],
    notes: list[str] | None = None,
    watermark: str | None = None,
) -> int:
    """Write sheets (name, headers, rows) to a stream; returns the number of data rows written.

    The one place the platform writes .xlsx: texts are written as text (a cell starting with
    = + - @ is not a formula), numbers as numbers, dates as dates, booleans as 是/否.
    Every file taken by a person carries a watermark naming them and the time (in each sheet's
    printed header, the document properties and the 说明 sheet); ``watermark`` defaults to the
    current request's user. The rows written are counted for the audit trail.
    """
    from . import audit

    watermark = watermark if watermark is not None else watermark_line()
    workbook = xlsxwriter.Workbook(stream, {"in_memory": True, "constant_memory": False})
    if watermark:
        workbook.set_properties({"comments": watermark, "author": watermark.split("  ")[0]})
    header_fmt = workbook.add_format({"bold": True, "bg_color": "#E8EEF7", "border": 1})
    writer = _Writer(workbook)
    count = 0
    for name, headers, rows in sheets:
        sheet = workbook.add_worksheet(name[:31])
        if watermark:
            # "&" starts a header code in Excel: doubled it is a literal ampersand.
            sheet.set_header("&L&8" + watermark.replace("&", "&&"))
        for c, header in enumerate(headers):
            writer.text(sheet, 0, c, str(header), header_fmt)
        widths = [max(8, len(h) * 2 + 2) for h in headers]
        r = 0
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                writer.cell(sheet, r, c, value)
                if isinstance(value, str) and c < len(widths):
                    widths[c] = min(60, max(widths[c], len(value) * 2))
        count += r
        for c, width in enumerate(widths):
            sheet.set_column(c, c, width)
        sheet.freeze_panes(1, 0)
        if r:
            sheet.autofilter(0, 0, r, max(0, len(headers) - 1))
    lines = [*(notes or []), *([watermark] if watermark else [])]
    if lines:
        sheet = workbook.add_worksheet("说明")
        for i, line in enumerate(lines):
            writer.text(sheet, i, 0, str(line))
        sheet.set_column(0, 0, 100)
    workbook.close()
    audit.count_rows(count)
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
