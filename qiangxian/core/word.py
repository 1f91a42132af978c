"""Word (.docx) building blocks shared by every report: Chinese fonts and plain tables."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt

BODY_FONT = "宋体"
HEADING_FONT = "黑体"


def set_font(style, name: str, size: float | None = None, bold: bool | None = None) -> None:
    """Set a style's font for Latin and East Asian text alike."""
    style.font.name = name
    # Word picks the East Asian font from w:eastAsia; without it Chinese falls back to a Latin font.
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)
    if size:
        style.font.size = Pt(size)
    if bold is not None:
        style.font.bold = bold


def add_table(document, headers: list[str], rows: list[list[str]], widths: list[float] | None = None):
    """A bordered table with a bold header row; ``widths`` are relative column weights.

    With weights, the columns share the text width of the document's last section in those
    proportions (Word otherwise gives every column the same width, which squeezes long text).
    """
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text
    if widths:
        _set_widths(document, table, widths)
    return table


def _set_widths(document, table, weights: list[float]) -> None:
    section = document.sections[-1]
    usable = section.page_width - section.left_margin - section.right_margin
    total = sum(weights)
    table.autofit = False
    sizes = [Emu(int(usable * w / total)) for w in weights]
    for column, size in zip(table.columns, sizes, strict=True):
        column.width = size
    # Word reads the cells' widths, LibreOffice the grid's: set both.
    for row in table.rows:
        for cell, size in zip(row.cells, sizes, strict=True):
            cell.width = size


def landscape(document) -> None:
    """Turn the document's last section to landscape A4 (wide tables)."""
    section = document.sections[-1]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)


def chinese_document(body_size: float = 11):
    """A new document whose body and heading styles use Chinese fonts."""
    document = Document()
    set_font(document.styles["Normal"], BODY_FONT, body_size)
    for name in ("Title", "Heading 1", "Heading 2"):
        set_font(document.styles[name], HEADING_FONT, bold=True)
    return document


def to_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
