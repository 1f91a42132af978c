"""The 12345 list import: all rows or nothing, errors with row and column, re-import skipped."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied

from qiangxian.core.exports import write_xlsx
from qiangxian.service.importers import HEADERS, SHEET, import_hotline
from qiangxian.service.models import Demand

pytestmark = pytest.mark.django_db


def workbook(rows, title=True) -> bytes:
    stream = io.BytesIO()
    body = [["2026年5月涉企工单清单", *[""] * (len(HEADERS) - 1)], HEADERS] if title else [HEADERS]
    # write_xlsx writes its own header row: hand it the title as the header when there is one.
    write_xlsx(stream, sheets=[(SHEET, body[0], [*body[1:], *rows])])
    return stream.getvalue()


def row(number, name="甲镇纺织有限公司", category="用工", title="缺缝纫工", code=""):
    return [number, "2026-05-06 09:30", name, code, category, title, "", "张经理", ""]


def test_valid_list_creates_routed_demands_and_reimport_is_a_no_op(svc):
    content = workbook(
        [row("A-1"), row("A-2", category="融资", title="贷款到期"), ["合计", "", "", "", "", "", "", "", ""]]
    )
    result = import_hotline(actor=svc["office"], content=content, file_name="工单.xlsx")
    assert result.ok, result.errors
    assert [d.lead_unit.name for d in result.created] == ["人社局", "财政局"]
    assert {d.channel for d in result.created} == {"hotline"}
    again = import_hotline(actor=svc["office"], content=content, file_name="工单.xlsx")
    assert again.ok and again.created == [] and again.skipped == 2
    assert Demand.objects.count() == 2


def test_unknown_enterprise_refuses_the_whole_file(svc):
    content = workbook([row("B-1"), row("B-2", name="不存在的公司"), row("B-3", category="天气")])
    result = import_hotline(actor=svc["office"], content=content, file_name="工单.xlsx")
    assert not result.ok
    errors = [(e.row, e.column) for e in result.errors]
    assert errors == [(4, "企业名称"), (5, "诉求类别")]
    assert "名录中没有这家企业" in result.errors[0].reason
    assert not Demand.objects.exists()


def test_duplicate_number_and_missing_columns(svc):
    result = import_hotline(
        actor=svc["office"], content=workbook([row("C-1"), row("C-1")]), file_name="a.xlsx"
    )
    assert [(e.row, e.column, e.reason) for e in result.errors] == [(4, "工单号", "与第3行重复。")]
    stream = io.BytesIO()
    write_xlsx(stream, sheets=[(SHEET, ["工单号", "诉求内容"], [["D-1", "缺工"]])])
    result = import_hotline(actor=svc["office"], content=stream.getvalue(), file_name="b.xlsx")
    assert "诉求类别" in result.errors[0].column


def test_only_the_office_imports(svc, client):
    with pytest.raises(PermissionDenied):
        import_hotline(actor=svc["hr1"], content=b"", file_name="a.xlsx")
    client.force_login(svc["hr1"])
    assert client.get("/service/import/").status_code == 403
    client.force_login(svc["office"])
    assert client.get("/service/import/template/").status_code == 200
