"""The shared sheet reader: formats by content, encodings, header row, total rows, limits."""

from __future__ import annotations

import io
import zipfile

import pytest
import xlsxwriter
from hypothesis import given
from hypothesis import strategies as st

from qiangxian.core import sheets


def _xlsx(rows) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("表")
    for r, values in enumerate(rows):
        sheet.write_row(r, 0, values)
    book.close()
    return buffer.getvalue()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_in_the_encodings_offices_use(encoding):
    content = "企业名称,乡镇（街道）\n青山鞋业有限公司,甲镇\n".encode(encoding)
    table = sheets.read_table(content, "名录.csv", expected_sheet="名录")
    assert table.kind == "csv" and table.rows == [["企业名称", "乡镇（街道）"], ["青山鞋业有限公司", "甲镇"]]


def test_an_xlsx_named_xls_is_read_by_its_content():
    table = sheets.read_table(_xlsx([["名称"], ["甲"]]), "名录.xls", expected_sheet="名录")
    assert table.kind == "xlsx" and table.rows[1] == ["甲"]


def test_formats_outside_the_list_are_refused():
    with pytest.raises(sheets.FileRejected, match=r"只能导入 \.xlsx"):
        sheets.read_table(b"a,b\n", "a.csv", expected_sheet="x", formats=("xlsx",))


def test_statistics_path_check_refuses_oversized_and_bombs(tmp_path, settings):
    path = tmp_path / "a.xlsx"
    path.write_bytes(_xlsx([["a"]]))
    sheets.check_path(path)  # a normal workbook passes
    settings.QX_IMPORT_MAX_BYTES = 10
    with pytest.raises(sheets.FileRejected, match="文件过大"):
        sheets.check_path(path)
    settings.QX_IMPORT_MAX_BYTES = 50 * 1024 * 1024
    settings.QX_IMPORT_MAX_UNZIPPED_BYTES = 1024
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/big.xml", b"0" * 100_000)
    with pytest.raises(sheets.FileRejected, match="解压后"):
        sheets.check_path(path)


def test_header_found_under_title_rows():
    rows = [["某县企业名录"], ["单位：亩"], ["序号", "名称", "乡镇"], [1, "甲", "乙"]]
    assert sheets.find_header_row(rows, lambda t: t in {"名称", "乡镇"}) == 2


@pytest.mark.parametrize(
    ("row", "total"),
    [
        (["合计", "", 3], True),
        (["", "小 计", 3], True),
        (["总计：", 1], True),
        (["全县", 5], True),
        ([1, "合计科技有限公司", "甲镇"], False),
        (["", "", ""], False),
        ([1, "甲", "合计"], True),
    ],
)
def test_total_rows(row, total):
    assert sheets.is_total_row(row) is total


@given(
    st.lists(st.integers(min_value=0, max_value=10_000), max_size=60), st.integers(min_value=0, max_value=20)
)
def test_error_list_keeps_the_first_and_counts_all(values, limit):
    errors = sheets.ErrorList(limit=limit)
    for value in values:
        errors.append(value)
    assert list(errors) == values[:limit] and errors.total == len(values)
    assert errors.more == max(0, len(values) - limit)
    stored = errors.as_dicts()
    assert len(stored) == min(len(values), limit) + (1 if errors.more else 0)
