"""Progress import: whole-file validation, staging, atomic apply, no-op re-import, rollback."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from python_calamine import CalamineWorkbook

from qiangxian.core.exports import write_xlsx
from qiangxian.projects import importers, services
from qiangxian.projects.choices import BatchStatus, Stage
from qiangxian.projects.models import ProjectProgress

TODAY = dt.date(2026, 6, 15)


def xlsx(rows, headers=importers.HEADERS) -> bytes:
    buffer = io.BytesIO()
    write_xlsx(buffer, sheets=[("进度", headers, rows)])
    return buffer.getvalue()


@pytest.fixture
def building(make_project):
    return make_project(
        name="在建项目", stage=Stage.BUILDING, signed_on=dt.date(2025, 1, 1), started_on=dt.date(2025, 2, 1)
    )


def stage(user, content):
    return importers.stage_file(user=user, file_name="进度.xlsx", content=content, today=TODAY)


def test_valid_file_is_staged_then_applied_exactly(users, building):
    content = xlsx(
        [
            [building.code, building.name, "2026-04", 1234.5678, None, 100, "是", "主体施工"],
            [building.code, "", "2026年5月", 0.1, None, 0, "否", ""],
        ]
    )
    batch = stage(users["office"], content)
    assert batch.status == BatchStatus.STAGED and batch.errors == []
    assert not ProjectProgress.objects.exists()  # staged: nothing changed yet
    batch = importers.apply_batch(user=users["office"], batch=batch)
    assert (batch.status, batch.created_count, batch.updated_count) == (BatchStatus.APPLIED, 2, 0)
    april, may = ProjectProgress.objects.filter(project=building).order_by("month")
    assert april.completed_investment == Decimal("12345678")  # 1234.5678万元, no float error
    assert april.funds_in_place == Decimal(1_000_000) and april.in_statistics
    assert may.completed_to_date == Decimal("12346678")
    assert april.history.first().history_user == users["office"]


def test_reimporting_the_same_file_changes_nothing(users, building):
    content = xlsx([[building.code, building.name, "2026-04", 100, None, 50, "是", ""]])
    importers.apply_batch(user=users["office"], batch=stage(users["office"], content))
    again = importers.apply_batch(user=users["office"], batch=stage(users["office"], content))
    assert (again.created_count, again.updated_count) == (0, 0)
    assert ProjectProgress.objects.get().history.count() == 1


def test_any_invalid_row_rejects_the_file_and_lists_every_error(users, building, projects):
    content = xlsx(
        [
            [building.code, building.name, "2026-04", 100, None, 50, "是", ""],
            ["XM99999999", "", "2026-04", 100, None, 0, "否", ""],
            [building.code, "别的名字", "2026-13", "一百", None, -5, "也许", ""],
            [building.code, building.name, "2026-04", 10, None, 0, "否", ""],
            [projects["other_park"].code, "", "2026-04", 1, None, 0, "否", ""],
            [building.code, building.name, "2026-09", 1, None, 0, "否", ""],
        ]
    )
    batch = stage(users["office"], content)
    assert batch.status == BatchStatus.REJECTED
    found = {(e["row"], e["column"]): e for e in batch.errors}
    assert found[(3, "项目编号")]["reason"] == "项目编号不存在，或不在您的权限范围内。"
    assert found[(4, "项目名称")]["reason"].startswith("项目名称与编号不符")
    assert found[(4, "月份")]["value"] == "2026-13"
    assert found[(4, "本月完成投资（万元）")]["reason"] == "应为数字（单位：万元）。"
    assert found[(4, "本月到位资金（万元）")]["reason"] == "金额不能为负数。"
    assert found[(4, "是否入库")]["reason"] == "应填“是”或“否”。"
    assert found[(5, "月份")]["reason"] == "与第2行重复（同一项目同一月份）。"
    assert found[(6, "项目编号")]["reason"] == "项目尚未签约，不能填报投资进度。"
    assert found[(7, "月份")]["reason"] == "不能填报未来月份的进度。"
    assert not ProjectProgress.objects.exists()
    with pytest.raises(ValidationError):
        importers.apply_batch(user=users["office"], batch=batch)


def test_a_park_user_cannot_import_another_parks_project(users, projects):
    other = projects["other_park"]
    other.stage = Stage.BUILDING
    other.save()
    batch = stage(users["park"], xlsx([[other.code, "", "2026-04", 1, None, 0, "否", ""]]))
    assert batch.errors[0]["reason"] == "项目编号不存在，或不在您的权限范围内。"


def test_missing_columns_and_unreadable_files(users):
    batch = stage(users["office"], xlsx([["x"]], headers=["项目名称"]))
    assert {e["column"] for e in batch.errors} == {"项目编号", "月份", "本月完成投资（万元）"}
    batch = stage(users["office"], b"not a spreadsheet")
    assert batch.errors[0]["reason"].startswith("无法读取该文件")


def test_rollback_restores_what_was_there(users, building):
    office = users["office"]
    services.progress_record(
        actor=office,
        project=building,
        month=dt.date(2026, 4, 1),
        completed_investment=Decimal(5_000_000),
        funds_in_place=Decimal(0),
        in_statistics=False,
        notes="手工填报",
        today=TODAY,
    )
    content = xlsx(
        [
            [building.code, "", "2026-04", 800, None, 0, "是", "导入修正"],
            [building.code, "", "2026-05", 100, None, 0, "是", ""],
        ]
    )
    batch = importers.apply_batch(user=office, batch=stage(office, content))
    assert (batch.created_count, batch.updated_count) == (1, 1)
    importers.rollback_batch(user=office, batch=batch)
    row = ProjectProgress.objects.get(project=building)
    assert (row.month, row.completed_investment, row.notes, row.in_statistics) == (
        dt.date(2026, 4, 1),
        Decimal(5_000_000),
        "手工填报",
        False,
    )
    batch.refresh_from_db()
    assert batch.status == BatchStatus.ROLLED_BACK
    with pytest.raises(ValidationError):
        importers.rollback_batch(user=office, batch=batch)


def test_rollback_refused_after_a_later_change(users, building):
    office = users["office"]
    batch = importers.apply_batch(
        user=office, batch=stage(office, xlsx([[building.code, "", "2026-04", 800, None, 0, "是", ""]]))
    )
    services.progress_record(
        actor=office,
        project=building,
        month=dt.date(2026, 4, 1),
        completed_investment=Decimal(1),
        funds_in_place=Decimal(0),
        in_statistics=True,
        today=TODAY,
    )
    with pytest.raises(ValidationError) as error:
        importers.rollback_batch(user=office, batch=batch)
    assert "已被之后的导入或填报修改" in error.value.messages[0]


def test_template_lists_the_users_signed_projects(users, projects, building):
    content = importers.template_xlsx(user=users["park"], month=dt.date(2026, 5, 1))
    rows = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    assert rows[0] == importers.HEADERS
    codes = {r[0] for r in rows[1:]}
    assert codes == {projects["park"].code, building.code}  # leads and other parks' projects left out
