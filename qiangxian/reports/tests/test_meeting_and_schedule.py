"""The meeting material (.docx and .xlsx with the same tables) and the scheduled monthly report."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from python_calamine import CalamineWorkbook

from qiangxian.inbox.models import Notice
from qiangxian.projects.models import Project
from qiangxian.reports.models import GeneratedReport, ReportSettings
from qiangxian.statistics import services as stats_services
from qiangxian.statistics.models import Target
from qiangxian.statistics.tests.test_import_review import bureau_file, profile  # noqa: F401

from .conftest import docx_text, read_file

pytestmark = pytest.mark.django_db
APRIL = dt.date(2026, 4, 1)


def test_meeting_material_has_the_same_tables_in_word_and_excel(facts, users, client):
    Target.objects.create(indicator="gross_output", year=2026, value=D(30_000_000))
    Project.objects.create(
        name="红灯测试项目", stage="signed", light="red", light_reasons=[{"text": "用地未落实"}]
    )
    client.force_login(users["office"])
    response = client.post(
        "/api/reports/", {"kind": "meeting", "month": "2026-03"}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    report = GeneratedReport.objects.get(pk=response.json()["id"])
    text, tables = docx_text(read_file(report.file))
    assert "领导小组会议材料" in text
    book = CalamineWorkbook.from_filelike(report.extra_file.open("rb"))
    assert {"年度目标", "红黄灯项目", "逾期问题诉求", "督办事项", "培育库变动"} <= set(book.sheet_names)
    targets_xlsx = book.get_sheet_by_name("年度目标").to_python()
    targets_docx = next(t for t in tables if t[0][0] == "指标")
    assert [r[0] for r in targets_xlsx[1:]] == [r[0] for r in targets_docx[1:]] == ["工业总产值"]
    assert str(targets_xlsx[1][3]) == targets_docx[1][3]
    projects = book.get_sheet_by_name("红黄灯项目").to_python()
    assert projects[1][:2] == ["红灯测试项目", "红灯"] and "用地未落实" in projects[1][3]
    assert client.get(f"/api/reports/{report.pk}/file?which=extra").status_code == 200


@pytest.fixture
def april_batch(facts, users, profile):  # noqa: F811
    shoes = facts["enterprises"]["甲镇园区鞋业有限公司"]
    rows = [[1, shoes.uscc, shoes.name, 480, 400]]
    return stats_services.import_upload(
        actor=users["office"], profile=profile, uploaded=bureau_file(rows), month=APRIL
    )


def test_committing_a_month_writes_the_report_and_tells_the_office(
    april_batch, users, django_capture_on_commit_callbacks
):
    row = ReportSettings.current()
    row.auto_monthly = True
    row.save()
    with django_capture_on_commit_callbacks(execute=True):
        stats_services.import_commit(actor=users["office"], batch=april_batch)
    report = GeneratedReport.objects.get()
    assert report.scheduled and report.month == APRIL and report.scope_kind == "county"
    notice = Notice.objects.get(kind="reports.monthly.generated")
    assert notice.recipient_unit.name == "领导小组办公室" and str(report.pk) in notice.link
    assert Notice.objects.visible_to(users["office"]).filter(pk=notice.pk).exists()


def test_nothing_is_written_while_the_switch_is_off(april_batch, users, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        stats_services.import_commit(actor=users["office"], batch=april_batch)
    assert not GeneratedReport.objects.exists()
    assert not Notice.objects.filter(kind="reports.monthly.generated").exists()


def test_only_the_office_switches_it(facts, users, client):
    client.force_login(users["town"])
    assert client.post("/reports/settings/", {"auto_monthly": "1"}).status_code == 403
    client.force_login(users["office"])
    assert client.post("/reports/settings/", {"auto_monthly": "1"}).status_code == 302
    assert ReportSettings.current().auto_monthly
