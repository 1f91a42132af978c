"""Upward tables: an uploaded .xlsx filled from the month's figures and read back; formatting
and formulas kept; cells that could not be filled listed; bad templates and mappings refused."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from qiangxian.core.formatting import percent_number, round_half_up
from qiangxian.reports.models import GeneratedReport, ReportTemplate
from qiangxian.statistics import indicators

from .conftest import read_file

pytestmark = pytest.mark.django_db
MARCH = dt.date(2026, 3, 1)


def template_file(name="市月报.xlsx") -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.title = "表1"
    sheet["A1"] = "规模以上工业企业主要指标"
    sheet["A1"].font = Font(bold=True, size=16)
    sheet.merge_cells("A1:E1")
    sheet["B5"], sheet["B6"], sheet["B7"], sheet["B8"] = "全县", "甲镇", "乙镇", "丙镇"
    sheet["E5"] = "=C5*2"
    sheet["C5"].number_format = "0.00"
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


MAPPING = """
# 全县合计
表1!C5 = 规上工业总产值 累计 全县
表1!D5 = gross_output 增速 全县
表1!C6:C8 = 工业总产值 值 乡镇 B
表1!D6:D8 = 工业总产值 拉动 乡镇 B
表1!E5 = 工业总产值 值 全县
表1!A1 = 工业总产值 值 全县
表1!C10 = 工业总产值 当月 全县
"""


def _upload(client, mapping=MAPPING, upload=None):
    return client.post(
        "/api/reports/templates/",
        {"name": "市月报", "mapping": mapping, "file": upload or template_file()},
    )


def test_fill_a_template_and_read_the_cells_back(facts, users, client):
    client.force_login(users["office"])
    created = _upload(client)
    assert created.status_code == 201, created.content
    response = client.post(
        f"/api/reports/templates/{created.json()['id']}/fill",
        {"month": "2026-03"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    report = GeneratedReport.objects.get(pk=response.json()["id"])
    book = load_workbook(io.BytesIO(read_file(report.file)))
    sheet = book["表1"]
    total = indicators.value("gross_output", month=MARCH)
    assert sheet["C5"].value == float(round_half_up(total.value / 10000, 2))
    assert sheet["D5"].value == float(percent_number(total.growth))
    _, towns = indicators.breakdown("gross_output", month=MARCH, group_kind="town")
    by_name = {t.label: t for t in towns}
    assert sheet["C6"].value == float(round_half_up(by_name["甲镇"].value / 10000, 2))
    assert sheet["C7"].value == float(round_half_up(by_name["乙镇"].value / 10000, 2))
    assert sheet["D6"].value == float(percent_number(by_name["甲镇"].pull))
    # The template's own formula, formatting and merged title stay as they were.
    assert sheet["E5"].value == "=C5*2"
    assert sheet["A1"].value == "规模以上工业企业主要指标" and sheet["A1"].font.bold
    assert "A1:E1" in {str(r) for r in sheet.merged_cells.ranges}
    assert sheet["C5"].number_format == "0.00"
    # What could not be filled is listed, with why.
    unfilled = {u["ref"]: u["reason"] for u in response.json()["unfilled"]}
    assert "丙镇" in unfilled["表1!C8"] and "公式" in unfilled["表1!E5"]
    assert "模板文字" in unfilled["表1!A1"]
    assert set(unfilled) == {"表1!C8", "表1!D8", "表1!E5", "表1!A1"}
    march_alone = indicators.value("gross_output", month=MARCH, period="month")
    assert sheet["C10"].value == float(round_half_up(march_alone.value / 10000, 2)) != sheet["C5"].value


@pytest.mark.parametrize(
    "mapping,message",
    [
        ("表9!C5 = 工业总产值 值 全县", "模板中没有工作表“表9”"),
        ("表1!C5 = 工业产出 值 全县", "未知指标“工业产出”"),
        ("表1!C5 = 工业总产值 总量 全县", "未知字段“总量”"),
        ("表1!C5 = 工业总产值 值 丁镇", "找不到范围“丁镇”"),
        ("表1!C5:D9 = 工业总产值 值 乡镇 B", "同一列"),
        ("C5 工业总产值", "格式应为"),
        ("表1!C6:C8 = 工业总产值 值 村 B", "未知分组“村”"),
    ],
)
def test_a_bad_mapping_is_refused_naming_the_line(facts, users, client, mapping, message):
    client.force_login(users["office"])
    response = _upload(client, mapping=f"表1!C5 = 工业总产值 值 全县\n{mapping}")
    assert response.status_code == 422
    assert message in str(response.json()["errors"])
    assert not ReportTemplate.objects.exists()


def test_a_template_that_is_not_xlsx_is_refused(facts, users, client):
    client.force_login(users["office"])
    for upload in (
        SimpleUploadedFile("市月报.xls", b"\xd0\xcf\x11\xe0 old excel"),
        SimpleUploadedFile("市月报.xlsx", b"not a zip at all"),
        SimpleUploadedFile("市月报.csv", b"a,b\n1,2"),
    ):
        response = _upload(client, upload=upload)
        assert response.status_code == 422, upload.name
        assert ".xlsx" in str(response.json()["errors"])
    assert not ReportTemplate.objects.exists()


def test_only_the_office_manages_templates(facts, users, client):
    client.force_login(users["town"])
    assert _upload(client).status_code == 403
    client.force_login(users["leader"])
    assert _upload(client).status_code == 403
    assert client.get("/reports/templates/").status_code == 403


def test_the_template_pages(facts, users, client):
    client.force_login(users["office"])
    page = client.post("/reports/templates/", {"name": "市月报", "mapping": MAPPING, "file": template_file()})
    assert page.status_code == 302
    template = ReportTemplate.objects.get()
    detail = client.get(page["Location"]).content.decode()
    assert (
        "表1!C5 = 工业总产值 值 全县 累计" in detail
        and "表1!C10 = 工业总产值 值 全县 当月" in detail
        and "gross_output" not in detail
    )
    filled = client.post(page["Location"], {"action": "fill", "month": "2026-03"})
    assert filled.status_code == 302
    report = GeneratedReport.objects.get(template=template)
    body = client.get(filled["Location"]).content.decode()
    assert "未能填写的单元格" in body and "丙镇" in body
    bad = client.post(
        page["Location"], {"action": "mapping", "name": "市月报", "mapping": "表1!C5 = 乱写 值 全县"}
    )
    assert bad.status_code == 200 and "未知指标" in bad.content.decode()
    assert ReportTemplate.objects.get().mapping == template.mapping
    assert report.unfilled
