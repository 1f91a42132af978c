"""The assessment-data import: all or nothing, errors by row and column, a re-import changes nothing."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from python_calamine import CalamineWorkbook

from qiangxian.core.exports import write_xlsx
from qiangxian.tiers.importers import HEADERS, SHEET, import_assessment_values
from qiangxian.tiers.models import AssessmentValue

pytestmark = pytest.mark.django_db


def xlsx(rows: list[list], headers: list[str] = HEADERS) -> bytes:
    buffer = io.BytesIO()
    write_xlsx(buffer, sheets=[(SHEET, headers, rows)])
    return buffer.getvalue()


def _rows(county):
    shoe = county["enterprises"]["甲镇园区鞋业有限公司"]
    textile = county["enterprises"]["甲镇纺织有限公司"]
    return (
        shoe,
        textile,
        [
            [shoe.uscc, shoe.name, "新增股权融资", 2025, 250, "投资协议"],
            [textile.uscc, textile.name, "applied_product_is_new", 2026, "是", "企业申报材料"],
        ],
    )


def test_a_valid_file_is_applied_in_engine_units_and_a_second_time_changes_nothing(county, users):
    shoe, textile, rows = _rows(county)
    content = xlsx(rows)
    first = import_assessment_values(actor=users["office"], content=content, file_name="评价.xlsx")
    assert first.ok and (first.created, first.updated, first.unchanged) == (2, 0, 0)
    assert shoe.assessment_values.get().value == Decimal(2_500_000)
    assert textile.assessment_values.get().value == 1
    history_rows = AssessmentValue.history.count()
    again = import_assessment_values(actor=users["office"], content=content, file_name="评价.xlsx")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert AssessmentValue.history.count() == history_rows
    # A corrected figure updates the stored value; the old one stays in history.
    rows[0][4] = 300
    fixed = import_assessment_values(actor=users["office"], content=xlsx(rows), file_name="评价.xlsx")
    assert (fixed.created, fixed.updated, fixed.unchanged) == (0, 1, 1)
    assert shoe.assessment_values.get().value == Decimal(3_000_000)
    assert sorted(h.value for h in AssessmentValue.history.filter(enterprise_id=shoe.pk)) == [
        Decimal(2_500_000),
        Decimal(3_000_000),
    ]


def test_any_invalid_row_changes_nothing_and_every_error_is_listed(county, users):
    shoe, textile, rows = _rows(county)
    rows += [
        ["91361129XXXXXXXXXX", "某公司", "新增股权融资", 2025, 1, ""],
        [shoe.uscc, shoe.name, "研发费用占比率", 2025, 3, ""],
        [textile.uscc, textile.name, "applied_product_is_new", 2025, "也许", ""],
        [shoe.uscc, shoe.name, "新增股权融资", 2025, 10, ""],
        [shoe.uscc, shoe.name, "新增股权融资", 1990, 10, ""],
        [shoe.uscc, "", "", 2025, "", ""],
    ]
    result = import_assessment_values(actor=users["office"], content=xlsx(rows), file_name="评价.xlsx")
    errors = {(e.row, e.column): e.reason for e in result.errors}
    assert errors[(4, "统一社会信用代码")].startswith("未找到该统一社会信用代码的企业")
    assert errors[(5, "指标")].startswith("指标不在指标目录中")
    assert errors[(6, "数值")] == "不是有效的数字（是/否类可填“是”“否”）。"
    assert errors[(7, "指标")] == "与第2行重复（同一企业、指标、年度）。"
    assert "年" in errors[(8, "年度")]
    assert errors[(9, "指标")] == "必填。" and errors[(9, "数值")] == "必填。"
    assert not result.ok and (result.created, result.updated) == (0, 0)
    assert not AssessmentValue.objects.exists()


def test_a_town_user_imports_only_for_its_own_enterprises(county, users):
    own = county["enterprises"]["甲镇纺织有限公司"]
    other = county["enterprises"]["乙镇电子有限公司"]
    rows = [
        [own.uscc, own.name, "新增股权融资", 2025, 100, ""],
        [other.uscc, other.name, "新增股权融资", 2025, 100, ""],
    ]
    result = import_assessment_values(actor=users["town"], content=xlsx(rows), file_name="评价.xlsx")
    assert [(e.row, e.column) for e in result.errors] == [(3, "统一社会信用代码")]
    assert not AssessmentValue.objects.exists()
    ok = import_assessment_values(actor=users["town"], content=xlsx(rows[:1]), file_name="评价.xlsx")
    assert ok.ok and own.assessment_values.count() == 1


def test_files_of_the_wrong_shape_are_refused_with_a_reason(county, users):
    not_xlsx = import_assessment_values(actor=users["office"], content=b"a,b", file_name="评价.csv")
    assert ".xlsx" in not_xlsx.errors[0].reason
    missing = import_assessment_values(
        actor=users["office"], content=xlsx([], headers=["统一社会信用代码", "企业名称"]), file_name="a.xlsx"
    )
    assert missing.errors[0].reason == "缺少列，请使用导入模板。" and "指标" in missing.errors[0].column


def test_the_page_template_and_permissions(client_as, county):
    shoe, _, rows = _rows(county)
    template = client_as("office").get("/tiers/assessment/template/")
    book = CalamineWorkbook.from_filelike(io.BytesIO(template.content))
    assert book.sheet_names == [SHEET, "说明"]
    assert book.get_sheet_by_name(SHEET).to_python()[0] == HEADERS
    assert client_as("leader").get("/tiers/assessment/import/").status_code == 403
    client = client_as("office")
    bad = [*rows, [shoe.uscc, shoe.name, "新增股权融资", 2024, "很多", ""]]
    page = client.post("/tiers/assessment/import/", {"file": SimpleUploadedFile("评价.xlsx", xlsx(bad))})
    body = page.content.decode()
    assert page.status_code == 200 and "未导入任何数据" in body and "不是有效的数字" in body
    assert not AssessmentValue.objects.exists()
    done = client.post("/tiers/assessment/import/", {"file": SimpleUploadedFile("评价.xlsx", xlsx(rows))})
    assert done.status_code == 302 and AssessmentValue.objects.count() == 2
    assert "新增 2 条" in client.get(done["Location"]).content.decode()


def test_a_value_for_a_year_no_rule_reads_is_imported_with_a_warning(county, users):
    import datetime as dt

    shoe = county["enterprises"]["甲镇园区鞋业有限公司"]
    year = dt.date.today().year
    rows = [
        [shoe.uscc, shoe.name, "专精特新发展质量评价得分", year - 1, 66, "梯度培育平台"],
        [shoe.uscc, shoe.name, "细分市场年限", year, 6, "企业申报材料"],
    ]
    result = import_assessment_values(actor=users["office"], content=xlsx(rows), file_name="评价.xlsx")
    assert result.ok and result.created == 2
    assert [(w.row, w.column) for w in result.warnings] == [(2, "年度")]
    assert f"规则读取本年（{year}年）" in result.warnings[0].reason


def test_the_template_says_which_year_the_rules_read():
    from qiangxian.tiers.importers import write_template

    buffer = io.BytesIO()
    write_template(buffer)
    book = CalamineWorkbook.from_filelike(io.BytesIO(buffer.getvalue()))
    notes = [row for name in book.sheet_names for row in book.get_sheet_by_name(name).to_python()]
    text = "\n".join(str(cell) for row in notes for cell in row)
    assert "专精特新发展质量评价得分（数值；规则读取本年）" in text
    assert "受让Ⅰ类知识产权数（项；规则读取本年）" in text
