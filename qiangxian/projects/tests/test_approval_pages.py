# ruff: noqa: E501
"""Approval pages, exports, API and the import of the approval system's export."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import xlsxwriter
from python_calamine import CalamineWorkbook

from qiangxian.projects.approvals import importer, services
from qiangxian.projects.choices import BatchStatus, Stage
from qiangxian.projects.models import ApprovalItem, Project

D = dt.date
TITLE = "测试县工程建设项目审批办件明细表（导出时间：2026-11-20 09:30:12）"
HEADER = ["序号", "项目代码", "项目名称", "建设单位", "事项名称", "审批部门", "申报时间", "受理时间", "办结时间", "办件状态", "办理结果", "批文文号", "退回/补正原因"]  # fmt: skip


def export_file(rows) -> bytes:
    """An export shaped like the approval system's: a merged title row, its own headers, blanks."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("办件明细")
    sheet.merge_range(0, 0, 0, len(HEADER) - 1, TITLE)
    sheet.write_row(1, 0, HEADER)
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write(r, c, value)
    book.close()
    return buffer.getvalue()


@pytest.fixture
def signed(users, make_project):
    project = make_project(
        name="年产5GWh锂电池项目",
        stage=Stage.SIGNED,
        signed_on=D(2026, 3, 2),
        start_deadline=D(2027, 3, 1),
        investment_code="2026-361129-38-03-012345",
    )
    services.checklist_create(actor=users["office"], project=project)
    return project


def row(n, kind, submitted, accepted=None, approved=None, status="在办", result=None, doc=None, reason=None, code="2026-361129-38-03-012345", name="年产5GWh锂电池项目"):  # fmt: skip
    return [n, code, name, "深圳新能科技有限公司", kind, "县审批局", submitted, accepted, approved, status, result, doc, reason]  # fmt: skip


def test_a_realistic_export_is_staged_applied_and_rolled_back(users, signed):
    office = users["office"]
    content = export_file(
        [
            row(1, "企业投资项目备案", "2026-03-03 09:12:00", "2026-03-03 10:00:00", "2026-03-05 16:20:11", "办结", "准予备案", "县发改备〔2026〕18号"),
            row(2, "建设项目环境影响评价文件审批", "2026-03-10 08:00:00", "2026-03-11 09:00:00", None),
            [None] * len(HEADER),
            row(3, "建设工程规划许可证核发", "2026-04-01", None, "2026-04-03", "办结", "退回补正", None, "总平面图缺少消防通道"),
            row(4, "通信报装", None, None, None, "未申报", code=None),
        ]
    )  # fmt: skip
    batch = importer.stage_file(
        user=office, file_name="办件明细.xlsx", content=content, today=D(2026, 11, 20)
    )
    assert batch.status == BatchStatus.STAGED, batch.errors
    assert len(batch.rows) == 4
    assert ApprovalItem.objects.filter(project=signed, approved_on__isnull=False).count() == 0
    importer.apply_batch(user=office, batch=batch)
    filing = ApprovalItem.objects.get(project=signed, kind__code="filing")
    assert (filing.submitted_on, filing.accepted_on, filing.approved_on) == (
        D(2026, 3, 3),
        D(2026, 3, 3),
        D(2026, 3, 5),
    )
    assert filing.documents == "县发改备〔2026〕18号"
    planning = ApprovalItem.objects.get(project=signed, kind__code="planning")
    assert planning.returned_on == D(2026, 4, 3) and planning.return_reason == "总平面图缺少消防通道"
    assert planning.approved_on is None
    # The same file again changes nothing; rollback restores the blank checklist.
    again = importer.stage_file(
        user=office, file_name="办件明细.xlsx", content=content, today=D(2026, 11, 20)
    )
    assert importer.apply_batch(user=office, batch=again).updated_count == 0
    importer.rollback_batch(user=office, batch=batch)
    assert not ApprovalItem.objects.filter(project=signed, submitted_on__isnull=False).exists()


def test_bad_rows_are_refused_in_chinese_and_nothing_is_staged(users, signed):
    office = users["office"]
    ApprovalItem.objects.filter(project=signed, kind__code="eia").update(
        submitted_on=D(2026, 3, 1), approved_on=D(2026, 4, 1)
    )
    content = export_file(
        [
            row(1, "企业投资项目备案", "2026-03-10", None, "2026-03-05", "办结"),
            row(2, "建设项目环境影响评价文件审批", "2026-03-01", None, "2026-05-06", "办结"),
            row(3, "建筑工程施工许可证核发", "2026-03-01", "2026-03-02", "2026-03-04", "办结"),
            row(4, "建筑工程施工许可证核发", "2026-03-01", "2026-03-02", "2026-03-04", "办结"),
            row(5, "不存在的事项", "2026-03-01"),
            row(6, "节能审查", "2026年3月32日"),
        ]
    )  # fmt: skip
    batch = importer.stage_file(user=office, file_name="坏文件.xlsx", content=content, today=D(2026, 11, 20))
    assert batch.status == BatchStatus.REJECTED and batch.rows == []
    reasons = {(e["row"], e["reason"]) for e in batch.errors}
    assert (3, "办结日期（2026-03-05）不能早于申报日期（2026-03-10）。") in reasons
    assert (4, "“环评”已于2026-04-01办结，不能重复办结。") in reasons
    assert (6, "与第5行重复（同一项目同一事项）。") in reasons
    assert (7, "不认识的审批事项名称。") in reasons
    assert (8, "日期格式应为 2026-05-08。") in reasons
    assert not ApprovalItem.objects.filter(
        project=signed, kind__code="filing", submitted_on__isnull=False
    ).exists()


def test_pages_show_the_checklist_and_units_and_export(client, users, signed):
    office = users["office"]
    item = ApprovalItem.objects.get(project=signed, kind__code="filing")
    services.item_record(actor=office, item=item, action="submit", on=D(2026, 3, 3))
    services.item_record(actor=office, item=item, action="approve", on=D(2026, 3, 6), text="备案号1")
    client.force_login(office)
    page = client.get(f"/projects/{signed.pk}/").content.decode()
    assert "前期手续（1/16）" in page and "当前卡点" in page
    assert "立项（审批/核准/备案）" in page
    for url in ("/projects/approvals/", "/projects/approvals/units/", "/projects/approvals/regional/",
                "/projects/approvals/import/", "/projects/signed-not-started/", "/projects/pipeline/"):  # fmt: skip
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        assert "None" not in text and "True" not in text and "False" not in text, url
    export = client.get("/projects/approvals/units/?export=xlsx")
    book = CalamineWorkbook.from_filelike(io.BytesIO(export.content))
    assert book.sheet_names[:2] == ["办理单位效能", "签约至开工分解"]
    items = client.get("/projects/approvals/?export=xlsx")
    rows = CalamineWorkbook.from_filelike(io.BytesIO(items.content)).get_sheet_by_index(0).to_python()
    assert rows[0][3] == "事项" and len(rows) == 17
    response = client.post(
        f"/projects/{signed.pk}/",
        {"action": "item", "item": ApprovalItem.objects.get(project=signed, kind__code="eia").pk, "step": "approve", "on": "2026-03-01"},
    )  # fmt: skip
    # Approving an item never submitted is refused in place, in Chinese, and nothing is saved.
    assert response.status_code == 200 and "尚未登记申报日期，不能登记办结日期" in response.content.decode()
    assert ApprovalItem.objects.get(project=signed, kind__code="eia").approved_on is None


def test_an_enterprise_cannot_read_another_projects_items(client, users, signed):
    client.force_login(users["enterprise"])
    assert client.get(f"/projects/{signed.pk}/").status_code == 404
    assert "年产5GWh锂电池项目" not in client.get("/projects/approvals/").content.decode()
    response = client.get(f"/api/projects/approvals/items?project={signed.pk}")
    assert response.status_code == 200 and response.json()["count"] == 0


def test_api_items_units_and_refusals(client, users, signed):
    client.force_login(users["office"])
    items = client.get(f"/api/projects/approvals/items?project={signed.pk}").json()
    assert items["count"] == 16
    eia = next(i for i in items["items"] if i["kind_name"] == "环评")
    assert eia["status_display"] == "未申报"
    ok = client.put(
        f"/api/projects/approvals/items/{eia['id']}",
        {"submitted_on": "2026-03-10", "accepted_on": "2026-03-11"},
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json()["status"] == "in_progress"
    bad = client.put(
        f"/api/projects/approvals/items/{eia['id']}",
        {"approved_on": "2026-03-01"},
        content_type="application/json",
    )
    assert bad.status_code in (400, 422) and "不能早于申报日期" in str(bad.json())
    assert Project.objects.get(pk=signed.pk).approval_items.get(pk=eia["id"]).approved_on is None
    eia_kind = next(k for k in client.get("/api/projects/approvals/kinds").json() if k["code"] == "eia")
    zero = client.put(
        f"/api/projects/approvals/kinds/{eia_kind['id']}",
        {"statutory_days": 60, "promised_days": 0},
        content_type="application/json",
    )
    assert zero.status_code in (400, 422) and "承诺时限应为大于0的工作日数" in str(zero.json())
    twice = client.put(
        "/api/projects/approvals/templates/upgrade",
        {"kind_ids": [eia_kind["id"], eia_kind["id"]]},
        content_type="application/json",
    )
    assert twice.status_code in (400, 422) and "重复出现" in str(twice.json())
    kinds = {t["project_kind"]: t["kind_ids"] for t in client.get("/api/projects/approvals/templates").json()}
    assert len(kinds["upgrade"]) == 9
    units = client.get("/api/projects/approvals/units").json()
    assert "units" in units and "signing_to_start" in units


def test_api_refuses_ids_no_table_can_hold_and_takes_null_as_not_given(client, users, signed):
    client.force_login(users["office"])
    huge = 2**64 + 5
    for url in (f"/api/projects/approvals/items?project={huge}", f"/api/projects/progress?project={huge}"):
        response = client.get(url)
        assert response.status_code == 400 and "project" in response.json()["errors"], url
    template = client.put(
        "/api/projects/approvals/templates/upgrade", {"kind_ids": [-huge]}, content_type="application/json"
    )
    assert template.status_code == 400
    item = Project.objects.get(pk=signed.pk).approval_items.first()
    kept = item.not_applicable
    response = client.put(
        f"/api/projects/approvals/items/{item.pk}",
        {
            "not_applicable": None,
            "unit_id": None,
            "na_reason": None,
            "return_reason": None,
            "documents": None,
        },
        content_type="application/json",
    )
    assert response.status_code == 200
    item.refresh_from_db()
    assert item.not_applicable == kept and item.unit_id is None


def test_the_items_list_has_a_fixed_number_of_queries(
    client, users, make_project, django_assert_max_num_queries
):
    client.force_login(users["office"])

    def fill(n):
        for _ in range(n):
            project = make_project(stage=Stage.SIGNED, signed_on=D(2026, 3, 2))
            services.checklist_create(actor=users["office"], project=project)

    fill(1)
    client.get("/projects/approvals/")
    # At most one more for the session row, which is refreshed now and then.
    with django_assert_max_num_queries(10):
        assert client.get("/projects/approvals/?sort=kind").status_code == 200
    fill(3)
    with django_assert_max_num_queries(10):
        assert client.get("/projects/approvals/?sort=kind").status_code == 200


def test_the_approving_units_staff_see_the_project_and_record_dates(client, users, county, signed):
    statistics = county["units"]["统计局"]  # the bureau user's unit stands in for an approving unit
    item = ApprovalItem.objects.get(project=signed, kind__code="filing")
    other = ApprovalItem.objects.get(project=signed, kind__code="land")
    client.force_login(users["bureau"])
    assert client.get(f"/projects/{signed.pk}/").status_code == 404
    ApprovalItem.objects.filter(pk=item.pk).update(unit=statistics)
    assert client.get(f"/projects/{signed.pk}/").status_code == 200
    client.post(
        f"/projects/{signed.pk}/", {"action": "item", "item": item.pk, "step": "submit", "on": "2026-03-03"}
    )
    assert ApprovalItem.objects.get(pk=item.pk).submitted_on == D(2026, 3, 3)
    client.post(
        f"/projects/{signed.pk}/", {"action": "item", "item": other.pk, "step": "submit", "on": "2026-03-03"}
    )
    assert ApprovalItem.objects.get(pk=other.pk).submitted_on is None
