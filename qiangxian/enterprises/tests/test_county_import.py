"""A county's own list imported as it arrives: its headers, title and total rows, .xlsx/.csv/.xls, 规上."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from qiangxian.enterprises import importers
from qiangxian.enterprises.choices import DesignationKind, ImportStatus
from qiangxian.enterprises.models import Designation, Enterprise, ImportBatch

from . import county_files as cf

MAY = dt.date(2026, 5, 1)
FORMATS = {
    "xlsx": ("名录.xlsx", cf.as_xlsx),
    "csv-gb18030": ("名录.csv", lambda: cf.as_csv("gb18030")),
    "csv-utf8-bom": ("名录.csv", lambda: cf.as_csv("utf-8", bom=True)),
    "csv-utf8": ("名录.csv", lambda: cf.as_csv("utf-8")),
    "xls": ("名录.xls", lambda: (Path(__file__).parent / "fixtures" / "county_list.xls").read_bytes()),
}


@pytest.mark.parametrize("kind", list(FORMATS))
def test_county_list_imports_in_every_format_and_marks_above_scale(county, users, kind):
    name, build = FORMATS[kind]
    result = importers.import_registry(
        actor=users["office"], content=build(), file_name=name, scale_month=MAY
    )
    plan = result.plan
    assert plan.ok, plan.errors
    assert plan.header_row == 3 and plan.skipped_rows == 1 and plan.rows_total == 4
    assert [c.header for c in plan.unknown_columns] == ["联系人"]
    batch = result.batch
    assert (batch.created_count, batch.updated_count, batch.unchanged_count) == (2, 1, 1)
    assert (batch.entered_count, batch.exited_count) == (2, 0)
    new = Enterprise.objects.get(uscc=cf.NEW_1)
    assert new.name == "青山新材料有限公司" and new.town.name == "甲镇" and new.industry_code == "3311"
    assert new.above_scale and not Enterprise.objects.get(uscc=cf.NEW_2).above_scale
    textile = Enterprise.objects.get(uscc=cf.TEXTILE)
    assert textile.above_scale
    record = textile.designations.get(kind=DesignationKind.ABOVE_SCALE)
    assert record.entry_month == MAY and record.exit_month is None
    # Absent optional columns leave what the registry holds: the textile firm keeps its land and status.
    assert textile.status == "operating" and textile.name == "甲镇纺织有限公司"


def test_absent_columns_do_not_blank_existing_values(county, users):
    textile = Enterprise.objects.get(uscc=cf.TEXTILE)
    Enterprise.objects.filter(pk=textile.pk).update(legal_representative="张三", land_area_mu=12)
    importers.import_registry(
        actor=users["office"], content=cf.as_xlsx(), file_name="名录.xlsx", scale_month=MAY
    )
    textile.refresh_from_db()
    assert textile.legal_representative == "张三" and textile.land_area_mu == 12


def test_scale_change_without_a_month_is_an_error_naming_the_row(county, users):
    result = importers.import_registry(actor=users["office"], content=cf.as_xlsx(), file_name="名录.xlsx")
    assert result.batch is None and not Enterprise.objects.filter(uscc=cf.NEW_1).exists()
    rows = {(e.row, e.column) for e in result.plan.errors}
    assert (4, "规上企业") in rows and (6, "规上企业") in rows


def test_month_column_overrides_upload_month(county, users):
    import io

    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["企业名称", "信用代码", "所属乡镇", "行业代码", "规模以上", "入规年月"])
    sheet.write_row(1, 0, ["甲镇纺织有限公司", cf.TEXTILE, "甲镇", "1713", "1", "2025年11月"])
    book.close()
    result = importers.import_registry(
        actor=users["office"], content=buffer.getvalue(), file_name="a.xlsx", scale_month=MAY
    )
    assert result.batch is not None, result.plan.errors
    assert Designation.objects.get(enterprise__uscc=cf.TEXTILE).entry_month == dt.date(2025, 11, 1)


def test_exit_through_the_file_and_undo_reverses_scale_changes(county, users):
    office = users["office"]
    importers.import_registry(actor=office, content=cf.as_xlsx(), file_name="名录.xlsx", scale_month=MAY)
    rows = cf.table()
    rows[5][5] = "否"  # 甲镇纺织 drops out
    text = "\n".join(",".join(str(v) for v in r) for r in rows).encode("gb18030")
    result = importers.import_registry(
        actor=office, content=text, file_name="名录6月.csv", scale_month=dt.date(2026, 6, 1)
    )
    assert result.batch is not None and result.batch.exited_count == 1, result.plan.errors
    textile = Enterprise.objects.get(uscc=cf.TEXTILE)
    assert not textile.above_scale
    assert textile.designations.get().exit_month == dt.date(2026, 6, 1)
    importers.import_batch_undo(actor=office, batch=result.batch)
    textile.refresh_from_db()
    assert textile.above_scale and textile.designations.get().exit_month is None
    reasons = set(textile.history.values_list("history_change_reason", flat=True))
    assert any("撤销导入批次" in (r or "") for r in reasons)


def test_undo_removes_the_entries_it_recorded(county, users):
    office = users["office"]
    batch = importers.import_registry(
        actor=office, content=cf.as_xlsx(), file_name="名录.xlsx", scale_month=MAY
    ).batch
    importers.import_batch_undo(actor=office, batch=batch)
    textile = Enterprise.objects.get(uscc=cf.TEXTILE)
    assert not textile.above_scale and not textile.designations.exists()
    assert not Enterprise.objects.filter(uscc__in=[cf.NEW_1, cf.NEW_2]).exists()
    assert not Designation.objects.exists()
    deleted = Enterprise.history.get(uscc=cf.NEW_1, history_type="-")
    assert deleted.history_user == office and deleted.history_change_reason == f"撤销导入批次 #{batch.pk}"


def test_mapping_chosen_in_the_review_is_applied(county, users):
    rows = cf.table()
    rows[2][1] = "企业单位"  # a header no alias knows
    text = "\n".join(",".join(str(v) for v in r) for r in rows).encode("utf-8")
    plan = importers.plan_import(content=text, file_name="a.csv", scale_month=MAY)
    assert not plan.ok and any(e.column == "企业名称" for e in plan.errors)
    plan = importers.plan_import(
        content=text, file_name="a.csv", scale_month=MAY, mapping={"企业单位": "name", "联系人": ""}
    )
    assert plan.ok and not plan.unknown_columns and plan.entering == 2


@pytest.mark.parametrize(
    ("flag", "expected"),
    [
        ("是", True),
        ("√", True),
        ("1", True),
        ("规上", True),
        ("Y", True),
        ("否", False),
        ("×", False),
        ("0", False),
        ("规下", False),
        ("", None),
    ],
)
def test_flag_spellings(flag, expected):
    from qiangxian.enterprises.importers.headers import parse_flag

    assert parse_flag(flag) is expected


def test_unknown_flag_is_an_error(county, users):
    rows = cf.table()
    rows[3][5] = "大概"
    text = "\n".join(",".join(str(v) for v in r) for r in rows).encode("utf-8")
    plan = importers.plan_import(content=text, file_name="a.csv", scale_month=MAY)
    assert any(e.row == 4 and e.column == "规上企业" and e.value == "大概" for e in plan.errors)


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"this is a text file, not a workbook", "名录.xlsx"),
        (bytes(range(256)) * 40, "名录.xlsx"),
        (bytes(range(256)) * 40, "名录.xls"),
        (b"", "名录.xlsx"),
        (b"PK\x03\x04broken", "名录.xlsx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "名录.xls"),
        (bytes(range(256)) * 40, "名录.csv"),
    ],
)
def test_corrupt_files_give_a_chinese_message_and_no_batch(county, users, content, name):
    result = importers.import_registry(actor=users["office"], content=content, file_name=name)
    assert result.batch is None and not ImportBatch.objects.exists()
    reason = result.plan.errors[0].reason
    assert result.plan.errors[0].row == 0 and any("\u4e00" <= ch <= "\u9fff" for ch in reason), reason


def test_zip_bomb_is_refused(county, settings):
    import io
    import zipfile

    settings.QX_IMPORT_MAX_UNZIPPED_BYTES = 1024 * 1024
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (5 * 1024 * 1024))
    plan = importers.plan_import(content=buffer.getvalue(), file_name="bomb.xlsx")
    assert len(buffer.getvalue()) < 100_000 and "解压后" in plan.errors[0].reason


def test_error_report_is_capped_with_the_count_of_the_rest(county, settings):
    settings.QX_IMPORT_MAX_ERRORS = 5
    lines = ["企业名称,统一社会信用代码,所属乡镇,行业代码"] + [f"企业{i},BAD{i},甲镇,1952" for i in range(30)]
    plan = importers.plan_import(content="\n".join(lines).encode(), file_name="a.csv")
    assert len(plan.errors) == 5 and plan.errors.total == 30 and plan.errors.more == 25


def test_large_undo_runs_as_a_job_and_finishes(county, users, settings, django_capture_on_commit_callbacks):
    settings.QX_REGISTRY_UNDO_BACKGROUND_ROWS = 2
    office = users["office"]
    batch = importers.import_registry(
        actor=office, content=cf.as_xlsx(), file_name="名录.xlsx", scale_month=MAY
    ).batch
    with django_capture_on_commit_callbacks(execute=False) as queued:
        batch = importers.import_batch_undo(actor=office, batch=batch)
    assert batch.status == ImportStatus.UNDOING and batch.undo_job.status == "queued"
    for callback in queued:
        callback()
    batch.refresh_from_db()
    # The immediate test backend ran the job at commit: the batch is undone and the job says so.
    assert batch.status == ImportStatus.UNDONE and batch.undo_job.status == "succeeded"
    assert "已撤销" in batch.undo_job.message
    assert not Enterprise.objects.filter(uscc=cf.NEW_1).exists()


def test_background_undo_refused_at_once_after_a_later_edit(county, users, settings):
    from django.core.exceptions import ValidationError

    settings.QX_REGISTRY_UNDO_BACKGROUND_ROWS = 2
    office = users["office"]
    batch = importers.import_registry(
        actor=office, content=cf.as_xlsx(), file_name="名录.xlsx", scale_month=MAY
    ).batch
    enterprise = Enterprise.objects.get(uscc=cf.NEW_1)
    enterprise.short_name = "新材料"
    enterprise.save()
    with pytest.raises(ValidationError, match="又被修改过"):
        importers.import_batch_undo(actor=office, batch=batch)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.APPLIED and batch.undo_job is None
