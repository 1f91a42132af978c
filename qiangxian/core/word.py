"""Word (.docx) building blocks shared by every report: Chinese fonts, plain tables, A4 pages.

Government documents (GB/T 9704) are set on A4 with 仿宋 body text, 黑体 section headings and a
宋体/小标宋 title; a reader without one of those fonts gets the next of its family (Word and
LibreOffice read ``w:altName`` in the font table and the ``w:hint``), never a Latin font.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

BODY_FONT = "宋体"
HEADING_FONT = "黑体"
# The families of a government document, the first name each reader is asked for, then the
# names it falls back to (the same family under other systems' names).
FANGSONG = ("仿宋", "仿宋_GB2312", "FangSong", "STFangsong")
HEITI = ("黑体", "SimHei", "STHeiti", "Noto Sans CJK SC")
SONGTI = ("宋体", "SimSun", "STSong", "Noto Serif CJK SC")
TITLE = ("方正小标宋简体", "宋体", "SimSun", "Noto Serif CJK SC")
TEXT_WIDTH_CM = 21 - 2.8 - 2.6  # A4 less the GB/T 9704 margins


def set_font(style, name: str, size: float | None = None, bold: bool | None = None) -> None:
    """Set a style's font for Latin and East Asian text alike."""
    style.font.name = name
    # Word picks the East Asian font from w:eastAsia; without it Chinese falls back to a Latin font.
    _east_asian(style.element.get_or_add_rPr(), name)
    if size:
        style.font.size = Pt(size)
    if bold is not None:
        style.font.bold = bold


def _east_asian(rpr, name: str) -> None:
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)
    fonts.set(qn("w:hint"), "eastAsia")


def set_run_font(run, name: str, size: float | None = None, bold: bool | None = None) -> None:
    """A run's own font (a title line, a bold lead-in) for Latin and East Asian text alike."""
    run.font.name = name
    _east_asian(run._element.get_or_add_rPr(), name)
    if size:
        run.font.size = Pt(size)
    if bold is not None:
        run.bold = bold


def add_font_fallbacks(document, families=(FANGSONG, HEITI, SONGTI, TITLE)) -> None:
    """Declare each family's fallback names in the font table (``w:altName``)."""
    part = document.part
    font_part = next(
        (rel.target_part for rel in part.rels.values() if rel.reltype.endswith("/fontTable")), None
    )
    if font_part is None:
        return
    from docx.oxml import parse_xml

    root = parse_xml(font_part.blob)
    for family in families:
        font = OxmlElement("w:font")
        font.set(qn("w:name"), family[0])
        alt = OxmlElement("w:altName")
        alt.set(qn("w:val"), ",".join(family[1:]))
        font.append(alt)
        charset = OxmlElement("w:charset")
        charset.set(qn("w:val"), "86")  # GB2312
        font.append(charset)
        root.append(font)
    from lxml import etree

    font_part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def add_table(
    document,
    headers: list[str],
    rows: list[list[str]],
    *,
    numeric_from: int | None = None,
    widths_cm: list[float] | None = None,
    size: float | None = None,
    fit_cm: float | None = None,
):
    """A bordered table with a bold header row; columns from ``numeric_from`` on align right.

    Cell text is single-spaced without indent whatever the body's spacing; ``widths_cm`` are the
    columns' relative widths, scaled to ``fit_cm`` (the text width) when given.
    """
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER

    def tidy(paragraph) -> None:
        paragraph.paragraph_format.first_line_indent = Pt(0)
        paragraph.paragraph_format.line_spacing = 1.0
        paragraph.paragraph_format.space_before = Pt(1)
        paragraph.paragraph_format.space_after = Pt(1)

    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = text
        tidy(cell.paragraphs[0])
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        for run in cell.paragraphs[0].runs:
            run.bold = True
            if size:
                run.font.size = Pt(size)
    _repeat_header(table.rows[0])
    for row in rows:
        cells = table.add_row().cells
        for i, (cell, text) in enumerate(zip(cells, row, strict=True)):
            cell.text = text
            paragraph = cell.paragraphs[0]
            tidy(paragraph)
            if numeric_from is not None and i >= numeric_from:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if size:
                for run in paragraph.runs:
                    run.font.size = Pt(size)
    if widths_cm:
        if fit_cm:
            scale = fit_cm / sum(widths_cm)
            widths_cm = [w * scale for w in widths_cm]
        table.autofit = False
        for column, width in zip(table.columns, widths_cm, strict=False):
            column.width = Cm(width)
        for row in table.rows:
            for cell, width in zip(row.cells, widths_cm, strict=False):
                cell.width = Cm(width)
    return table


def _repeat_header(row) -> None:
    """The header row repeats on every page a long table runs over."""
    trpr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    trpr.append(header)


def chinese_document(body_size: float = 11):
    """A new document whose body and heading styles use Chinese fonts."""
    document = Document()
    set_font(document.styles["Normal"], BODY_FONT, body_size)
    for name in ("Title", "Heading 1", "Heading 2"):
        set_font(document.styles[name], HEADING_FONT, bold=True)
    return document


def government_document(body_size: float = 16):
    """A4 with the margins of GB/T 9704, 仿宋 body (三号 by default), 黑体/楷体 headings, black
    headings without the theme's colour, first-line indent of two characters, page numbers."""
    document = chinese_document(body_size)
    normal = document.styles["Normal"]
    set_font(normal, FANGSONG[0], body_size)
    normal.paragraph_format.first_line_indent = Pt(body_size * 2)
    normal.paragraph_format.line_spacing = Pt(body_size * 1.75)
    normal.paragraph_format.space_after = Pt(0)
    for name, family, size in (
        ("Title", TITLE[0], 22),
        ("Heading 1", HEITI[0], body_size),
        ("Heading 2", "楷体", body_size),
    ):
        style = document.styles[name]
        set_font(style, family, size, bold=False)
        style.font.color.rgb = None
        style.paragraph_format.first_line_indent = Pt(body_size * 2) if name != "Title" else Pt(0)
        style.paragraph_format.space_before = Pt(6)
        style.paragraph_format.space_after = Pt(6)
    table_style = document.styles["Table Grid"]
    set_font(table_style, SONGTI[0], 10.5)
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)  # text width: TEXT_WIDTH_CM
    add_page_number(section)
    add_font_fallbacks(document)
    return document


def add_page_number(section) -> None:
    """A centred "— N —" page number in the section's footer (a PAGE field)."""
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.first_line_indent = Pt(0)
    paragraph.add_run("— ")
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text == "PAGE":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = " PAGE "
        else:
            element = OxmlElement("w:t")
            element.text = text
        run._element.append(element)
    paragraph.add_run(" —")
    for run in paragraph.runs:
        set_run_font(run, SONGTI[0], 14)


def page_break_section(document):
    """A new page that starts a section (the body after a title page)."""
    return document.add_section(WD_SECTION.NEW_PAGE)


def text_width_cm(document) -> float:
    """The width between the margins of the document's last section, in cm (to fit tables)."""
    section = document.sections[-1]
    return (section.page_width - section.left_margin - section.right_margin) / Cm(1)


def landscape(document) -> None:
    """Turn the document's last section to landscape A4 (wide tables)."""
    section = document.sections[-1]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21)


def to_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
