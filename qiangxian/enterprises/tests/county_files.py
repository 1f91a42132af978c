"""A county's own enterprise list, as its office keeps it, in the formats it arrives in.

Its shape is not the template's: a title row and a note row above the header, the county's own
column names, a 序号 column and a 联系人 column the registry does not import, a blank row, a
合计 row, and no optional columns. The .xls copy under ``fixtures/`` was written from these rows
with xlwt (run this module as a script with xlwt installed to write it again).
"""

from __future__ import annotations

import csv
import io

import xlsxwriter

from qiangxian.enterprises.uscc import make_uscc

TITLE = "青山县规模以上及重点工业企业名录（2026年5月）"
NOTE = "填报单位：县经信局"
HEADER = ["序号", "单位名称", "统一社会信用代码", "乡镇（街道）", "国民经济行业代码", "是否规上", "联系人"]
NEW_1 = make_uscc("9", "1", "361129", "CL000001")
NEW_2 = make_uscc("9", "1", "361129", "CL000002")
# Codes of the test county's enterprises (see the root conftest): 甲镇纺织 and 乙镇电子 are below scale.
TEXTILE = make_uscc("9", "1", "361129", "T0000001")
ELECTRONICS = make_uscc("9", "1", "361129", "T0000004")
ROWS = [
    [1, "青山新材料有限公司", NEW_1, "甲镇", "3311", "是", "李四"],
    [2, "青山包装有限公司", NEW_2, "乙镇", "2231", "否", "王五"],
    [3, "甲镇纺织有限公司", TEXTILE, "甲镇", "1713", "√", ""],
    ["", "", "", "", "", "", ""],
    [4, "乙镇电子有限公司", ELECTRONICS, "乙镇", "3911", "否", "赵六"],
    ["合计", "", "", "", "", "2", ""],
]


def table() -> list[list]:
    """Every row of the sheet as written, title first (a fresh copy: tests may edit it)."""
    return [[TITLE], [NOTE], list(HEADER), *(list(r) for r in ROWS)]


def as_xlsx() -> bytes:
    """The list as .xlsx, its title merged over the header's width as offices do."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("名录")
    sheet.merge_range(0, 0, 0, len(HEADER) - 1, TITLE)
    sheet.write(1, 0, NOTE)
    sheet.write_row(2, 0, HEADER)
    for r, values in enumerate(ROWS, start=3):
        for c, value in enumerate(values):
            # Codes as text, the way a careful office keeps them (leading zeros survive).
            sheet.write_string(r, c, value) if isinstance(value, str) else sheet.write_number(r, c, value)
    book.close()
    return buffer.getvalue()


def as_csv(encoding: str, *, bom: bool = False) -> bytes:
    """The list as .csv in an encoding (gb18030 is what Excel writes on a Chinese Windows)."""
    text = io.StringIO()
    csv.writer(text, lineterminator="\r\n").writerows(table())
    data = text.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


if __name__ == "__main__":  # pragma: no cover - writes the committed .xls fixture
    from pathlib import Path

    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("名录")
    for r, values in enumerate(table()):
        for c, value in enumerate(values):
            sheet.write(r, c, value)
    book.save(str(Path(__file__).parent / "fixtures" / "county_list.xls"))
