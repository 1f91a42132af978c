"""The registry spreadsheet: template, validation, atomic apply, round trip, undo and history."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from python_calamine import CalamineWorkbook

from qiangxian.enterprises import importers
from qiangxian.enterprises.choices import ImportStatus
from qiangxian.enterprises.models import Enterprise, ImportBatch
from qiangxian.enterprises.uscc import make_uscc

from .conftest import row, xlsx_bytes


def _new(i, **extra):
    values = {
        "统一社会信用代码": make_uscc("9", "1", "361129", f"M{i:07d}"),
        "企业名称": f"导入测试{i}有限公司",
        "所属乡镇": "甲镇",
        "行业代码": "1952",
    }
    values.update(extra)
    return row(**values)


def _export(queryset) -> bytes:
    buffer = io.BytesIO()
    importers.write_registry(buffer, queryset)
    return buffer.getvalue()


def test_template_has_import_columns_and_notes():
    book = CalamineWorkbook.from_filelike(io.BytesIO(_export(None)))
    assert book.sheet_names == ["企业名录", "说明"]
    assert book.get_sheet_by_name("企业名录").to_python()[0] == importers.HEADERS
    notes = "\n".join(r[0] for r in book.get_sheet_by_name("说明").to_python())
    assert "单位：亩" in notes and "停产" in notes and "租赁" in notes


def test_valid_file_creates_a_batch_and_history(county, users):
    content = xlsx_bytes(
        [_new(1, **{"用地面积（亩）": 12.3, "所在园区": "工业园", "所在片区": "东片区"}), _new(2)]
    )
    result = importers.import_registry(actor=users["office"], content=content, file_name="名录.xlsx")
    assert result.plan.ok and result.batch is not None
    assert (result.batch.created_count, result.batch.updated_count) == (2, 0)
    e = Enterprise.objects.get(name="导入测试1有限公司")
    assert e.land_area_mu == Decimal("12.30") and e.zone.name == "东片区" and e.pinyin_initials == "drcs1yxgs"
    record = e.history.get()
    assert record.history_user == users["office"] and f"#{result.batch.pk}" in record.history_change_reason


def test_any_invalid_row_changes_nothing_and_lists_every_error(county, users):
    existing = county["enterprises"]["甲镇纺织有限公司"]
    bad_code = make_uscc("9", "1", "361129", "M0000009")[:17] + "0"
    rows = [
        _new(1),
        row(
            **{"统一社会信用代码": existing.uscc, "企业名称": "改名", "所属乡镇": "甲镇", "行业代码": "1713"}
        ),
        _new(3, **{"统一社会信用代码": bad_code}),
        _new(4, **{"所属乡镇": "不存在镇", "行业代码": "99", "经营状态": "倒闭", "用地面积（亩）": "很多"}),
        _new(1),
    ]
    before = list(Enterprise.objects.values_list("pk", "name"))
    result = importers.import_registry(actor=users["office"], content=xlsx_bytes(rows), file_name="x.xlsx")
    assert result.batch is None and not result.plan.ok
    found = {(e.row, e.column) for e in result.plan.errors}
    assert {
        (4, "统一社会信用代码"),
        (5, "所属乡镇"),
        (5, "行业代码"),
        (5, "经营状态"),
        (5, "用地面积（亩）"),
        (6, "统一社会信用代码"),
    } <= found
    assert all(e.reason for e in result.plan.errors)
    assert list(Enterprise.objects.values_list("pk", "name")) == before
    assert not ImportBatch.objects.exists()


def test_zone_must_belong_to_park(county, users):
    rows = [_new(1, **{"所在园区": "食品园", "所在片区": "东片区"})]
    plan = importers.plan_import(content=xlsx_bytes(rows), file_name="x.xlsx")
    assert [(e.row, e.column) for e in plan.errors] == [(2, "所在片区")]


def test_same_file_twice_changes_nothing(county, users):
    content = xlsx_bytes([_new(1)])
    first = importers.import_registry(actor=users["office"], content=content, file_name="a.xlsx")
    second = importers.import_registry(actor=users["office"], content=content, file_name="a.xlsx")
    assert first.batch is not None and second.batch is None
    assert second.plan.duplicate_of == first.batch
    assert ImportBatch.objects.count() == 1


def test_exported_list_reimported_changes_nothing(county, users):
    e = county["enterprises"]["甲镇园区鞋业有限公司"]
    Enterprise.objects.filter(pk=e.pk).update(
        land_area_mu=Decimal("35.50"),
        former_names="旧鞋厂；老鞋厂",
        tags="链主；出口",
        registered_address="甲镇工业大道1号",
    )
    Enterprise.objects.filter(pk=e.pk).update(established_on="2011-05-06")
    history_before = Enterprise.history.count()
    content = _export(Enterprise.objects.all())
    result = importers.import_registry(actor=users["office"], content=content, file_name="企业名录.xlsx")
    assert result.plan.ok, result.plan.errors
    assert result.batch is None and result.plan.unchanged == Enterprise.objects.count()
    assert Enterprise.history.count() == history_before


def test_update_then_undo_restores_and_deletes(county, users):
    e = county["enterprises"]["甲镇纺织有限公司"]
    rows = [
        row(
            **{
                "统一社会信用代码": e.uscc,
                "企业名称": "甲镇纺织集团有限公司",
                "所属乡镇": "乙镇",
                "行业代码": "1711",
                "用地面积（亩）": 8,
            }
        ),
        _new(7),
    ]
    result = importers.import_registry(actor=users["office"], content=xlsx_bytes(rows), file_name="u.xlsx")
    batch = result.batch
    e.refresh_from_db()
    assert (e.name, e.town.name, e.industry_code, e.pinyin_initials) == (
        "甲镇纺织集团有限公司",
        "乙镇",
        "1711",
        "jzfzjtyxgs",
    )
    importers.import_batch_undo(actor=users["office"], batch=batch)
    e.refresh_from_db()
    assert (e.name, e.town.name, e.industry_code, e.land_area_mu) == (
        "甲镇纺织有限公司",
        "甲镇",
        "1713",
        None,
    )
    assert e.pinyin_initials == "jzfzyxgs"
    assert not Enterprise.objects.filter(name="导入测试7有限公司").exists()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.UNDONE and batch.undone_by == users["office"]
    # History shows the import and its undo, with field-level changes.
    from qiangxian.core.history import timeline

    entries = timeline(e)
    assert entries[0].reason == f"撤销导入批次 #{batch.pk}"
    assert entries[1].reason.startswith(f"导入批次 #{batch.pk}")
    assert {c.field for c in entries[1].changes} >= {"企业名称", "所属乡镇", "国民经济行业（小类）"}
    deleted = Enterprise.history.filter(name="导入测试7有限公司", history_type="-").get()
    assert deleted.history_user == users["office"]
    with pytest.raises(Exception, match="撤销过"):
        importers.import_batch_undo(actor=users["office"], batch=batch)


def test_undo_refused_after_later_edit(county, users):
    from qiangxian.enterprises import services

    result = importers.import_registry(
        actor=users["office"], content=xlsx_bytes([_new(1)]), file_name="a.xlsx"
    )
    created = Enterprise.objects.get(name="导入测试1有限公司")
    services.enterprise_update(actor=users["office"], enterprise=created, short_name="改过")
    with pytest.raises(Exception, match="导入后又被修改"):
        importers.import_batch_undo(actor=users["office"], batch=result.batch)
    assert Enterprise.objects.filter(pk=created.pk).exists()


def test_undo_refused_when_created_enterprise_got_a_plan(county, users):
    from qiangxian.enterprises import services

    result = importers.import_registry(
        actor=users["office"], content=xlsx_bytes([_new(1)]), file_name="a.xlsx"
    )
    created = Enterprise.objects.get(name="导入测试1有限公司")
    services.plan_create(
        actor=users["office"], enterprise=created, target_tier="above_scale", target_year=2027
    )
    with pytest.raises(Exception, match="培育计划"):
        importers.import_batch_undo(actor=users["office"], batch=result.batch)
    assert created.plans.exists()


def test_only_office_imports(county, users):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        importers.import_registry(actor=users["town"], content=xlsx_bytes([_new(1)]), file_name="a.xlsx")


@pytest.mark.parametrize(
    ("content", "name", "expected"),
    [
        (b"a,b\n1,2", "list.csv", "缺少这一列"),
        (b"a,b\n1,2", "list.txt", "只能导入"),
        (b"not a zip", "fake.xlsx", "不是有效的 .xlsx"),
        (b"", "empty.xlsx", "空的"),
        (xlsx_bytes([_new(1)], sheets=["附表"]), "x.xlsx", "多余的工作表：附表"),
        (xlsx_bytes([_new(1)], merge="A5:C5"), "x.xlsx", "合并单元格（A5:C5）"),
        (xlsx_bytes([_new(1)], formula="B3"), "x.xlsx", "公式（B3）"),
        (xlsx_bytes([]), "x.xlsx", "没有数据行"),
        (xlsx_bytes([["x"]], headers=["名称"]), "x.xlsx", "缺少这一列"),
    ],
)
def test_file_shape_rejections(county, content, name, expected):
    plan = importers.plan_import(content=content, file_name=name)
    assert not plan.ok
    assert any(expected in e.reason for e in plan.errors), plan.errors


def test_size_limit(county, settings):
    settings.QX_IMPORT_MAX_BYTES = 100
    plan = importers.plan_import(content=xlsx_bytes([_new(1)]), file_name="x.xlsx")
    assert "文件过大" in plan.errors[0].reason


def test_notes_sheet_allowed(county):
    plan = importers.plan_import(content=xlsx_bytes([_new(1)], sheets=["说明"]), file_name="x.xlsx")
    assert plan.ok and len(plan.to_create) == 1


def test_numbers_typed_as_numbers_are_read_as_codes(county):
    plan = importers.plan_import(content=xlsx_bytes([_new(1, **{"行业代码": 1952})]), file_name="x.xlsx")
    assert plan.ok and plan.to_create[0][1]["industry_code"] == "1952"
