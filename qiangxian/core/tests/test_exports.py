"""The shared .xlsx writer: typed cells, and text that can never run as a formula."""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal

import pytest
from python_calamine import CalamineWorkbook

from qiangxian.core import exports

DANGEROUS = ['=HYPERLINK("http://evil.example","点我")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


def _sheet_xml(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return archive.read("xl/worksheets/sheet1.xml").decode()


def _write(rows, headers=("名称", "数值")) -> bytes:
    buffer = io.BytesIO()
    exports.write_xlsx(buffer, sheets=[("数据", list(headers), rows)], notes=["=说明行"])
    return buffer.getvalue()


@pytest.mark.parametrize("text", DANGEROUS)
def test_formula_like_text_is_written_as_text(text):
    content = _write([[text, Decimal("1.5")]], headers=("=名称", "数值"))
    xml = _sheet_xml(content)
    assert "<f>" not in xml  # no formula anywhere
    # The cell is a shared string with the quote prefix style, and reads back unchanged.
    assert re.search(r'<c r="A2" s="\d+" t="s">', xml)
    values = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_name("数据").to_python()
    assert values[1][0] == text and values[0][0] == "=名称"


def test_numbers_dates_booleans_and_no_negative_zero():
    content = _write(
        [["甲", Decimal("-0.00")], ["乙", True], ["丙", None], ["http://x.example", Decimal("2.25")]]
    )
    values = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_name("数据").to_python()
    assert values[1][1] == 0 and str(values[1][1]) in ("0.0", "0")
    assert values[2][1] == "是" and values[3][1] == ""
    assert values[4] == ["http://x.example", 2.25]
    assert "<hyperlink" not in _sheet_xml(content)
