"""运行监测 in a real browser: map a sheet, import it with errors, fix, review, commit, roll back."""

from __future__ import annotations

import re

import pytest

from conftest import browser_login, screenshot
from qiangxian.statistics.models import ImportBatch, MonthlyFact
from qiangxian.statistics.tests.factories import seed_facts, xlsx

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADERS = ["统一社会信用代码", "企业名称", "产值（万元）", "上年产值（万元）"]


def _write(tmp_path, name, rows):
    path = tmp_path / name
    path.write_bytes(xlsx(HEADERS, rows).read())
    return str(path)


def test_map_import_fix_review_commit_and_roll_back(page, users, county, tmp_path):
    seed_facts(county)
    page.on("dialog", lambda dialog: dialog.accept())
    browser_login(page, "office")
    page.wait_for_url(re.compile(r".*/$"))

    # Map the county's own sheet layout to figures: its headers name no figure, so the clerk
    # picks them from the drop-downs.
    firms = county["enterprises"]
    page.goto(page.base_url + "/statistics/profiles/")
    page.get_by_test_id("new-profile").click()
    page.fill("#id_name", "乡镇产值快报")
    page.select_option("#id_source", label="统计局")
    page.set_input_files("#id_sample", _write(tmp_path, "样表.xlsx", [["", "", 1, 1]]))
    page.get_by_test_id("read-sample").click()
    page.get_by_test_id("column-map").wait_for()
    page.select_option("select[name=col-2-role]", label="工业总产值")
    page.select_option("select[name=col-2-unit]", label="万元")
    page.select_option("select[name=col-3-role]", label="工业总产值")
    page.select_option("select[name=col-3-unit]", label="万元")
    page.select_option("select[name=col-3-year]", label="上年同期")
    screenshot(page, "statistics-profile-form")
    page.get_by_test_id("save-profile").click()
    page.wait_for_url(re.compile(r".*/statistics/profiles/$"))
    assert "乡镇产值快报" in page.locator("#qx-list").inner_text()

    shoes, machine = firms["甲镇园区鞋业有限公司"], firms["乙镇机械有限公司"]
    bad = _write(
        tmp_path,
        "四月快报.xlsx",
        [[shoes.uscc, shoes.name, "四百八", 400], [machine.uscc, machine.name, -1, 240]],
    )
    page.goto(page.base_url + "/statistics/imports/new/")
    page.select_option("#id_profile", label="乡镇产值快报")
    page.fill("#id_month", "2026-04")
    page.set_input_files("#id_file", bad)
    page.get_by_test_id("upload-submit").click()
    page.wait_for_url(re.compile(r".*/statistics/imports/\d+/$"))
    assert page.get_by_test_id("batch-status").inner_text() == "校验未通过"
    errors = page.get_by_test_id("errors").inner_text()
    assert "不是有效的数字" in errors and "不能为负数" in errors and "产值（万元）" in errors
    screenshot(page, "statistics-import-errors")
    assert not MonthlyFact.objects.filter(month__year=2026, month__month=4).exists()

    good = _write(
        tmp_path,
        "四月快报-修改.xlsx",
        [[shoes.uscc, shoes.name, 480, 400], [machine.uscc, machine.name, 264, 240]],
    )
    page.get_by_test_id("reupload").click()
    page.select_option("#id_profile", label="乡镇产值快报")
    page.fill("#id_month", "2026-04")
    page.set_input_files("#id_file", good)
    page.get_by_test_id("upload-submit").click()
    page.wait_for_url(re.compile(r".*/statistics/imports/\d+/$"))
    assert page.get_by_test_id("batch-status").inner_text() == "待提交"
    assert page.get_by_test_id("count-missing").inner_text() == "3"
    screenshot(page, "statistics-import-review")
    page.get_by_test_id("commit").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("batch-status").inner_text() == "已提交"
    assert MonthlyFact.objects.filter(month__year=2026, month__month=4).count() == 2
    screenshot(page, "statistics-import-committed")

    # The new month is on the overview at once (rollups refreshed by the commit).
    page.goto(page.base_url + "/statistics/?month=2026-04")
    assert page.get_by_test_id("value-gross_output").inner_text() == "744.00万元"
    screenshot(page, "statistics-overview")

    batch = ImportBatch.objects.filter(status="committed").exclude(file_name__startswith="演示").latest("pk")
    page.goto(page.base_url + f"/statistics/imports/{batch.pk}/")
    page.get_by_test_id("rollback").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("batch-status").inner_text() == "已撤销"
    assert not MonthlyFact.objects.filter(month__year=2026, month__month=4).exists()
    screenshot(page, "statistics-import-rolled-back")
    assert page.console_errors == []


def _bureau_sample(tmp_path, firms) -> str:
    """The bureau's 原始格式: a title row, a unit row, the header, enterprises and a 合计 row."""
    from qiangxian.statistics.tests.test_import_review import bureau_file

    shoes, machine = firms["甲镇园区鞋业有限公司"], firms["乙镇机械有限公司"]
    textile, electronics = firms["甲镇纺织有限公司"], firms["乙镇电子有限公司"]
    rows = [
        [1, shoes.uscc, shoes.name, 480, 400],
        [2, machine.uscc, machine.name, 264, 240],
        [3, textile.uscc, textile.name, 50, None],  # new this year: no prior-year value
        [4, electronics.uscc, electronics.name, 0, 30],  # stopped
        ["", "", "合计", 794, 670],
    ]
    path = tmp_path / "1-4月原始格式.xlsx"
    path.write_bytes(bureau_file(rows).read())
    return str(path)


def test_build_a_profile_from_the_bureau_file_import_it_and_read_the_review(page, users, county, tmp_path):
    seed_facts(county)
    page.on("dialog", lambda dialog: dialog.accept())
    browser_login(page, "office")
    page.wait_for_url(re.compile(r".*/$"))
    sample = _bureau_sample(tmp_path, county["enterprises"])

    page.goto(page.base_url + "/statistics/profiles/new/")
    page.fill("#id_name", "统计局原始格式")
    page.set_input_files("#id_sample", sample)
    page.get_by_test_id("read-sample").click()
    page.get_by_test_id("column-map").wait_for()
    # The header is found under the title and unit rows; the columns are recognised in Chinese.
    assert page.locator("#id_header_row").input_value() == "3"
    assert page.locator("select[name=col-4-role] option:checked").inner_text() == "工业总产值"
    assert page.locator("select[name=col-4-unit] option:checked").inner_text() == "万元"
    assert page.locator("select[name=col-4-year] option:checked").inner_text() == "上年同期"
    preview = page.get_by_test_id("preview").inner_text()
    assert "4,800,000.00 元" in preview and "空（不是0）" in preview
    assert "合计" in page.get_by_test_id("preview-skipped").inner_text()
    main = page.locator("main").inner_text()
    assert not re.search(r"gross_output|\bwan\b|\bytd\b|\buscc\b|True|False|None", main)
    screenshot(page, "statistics-profile-builder")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "statistics-profile-builder-phone")
    page.set_viewport_size({"width": 1440, "height": 900})
    page.get_by_test_id("save-profile").click()
    page.wait_for_url(re.compile(r".*/statistics/profiles/$"))
    assert "工业总产值（万元，上年同期，1-N月累计）" in page.locator("#qx-list").inner_text()

    page.goto(page.base_url + "/statistics/imports/new/")
    page.select_option("#id_profile", label="统计局原始格式")
    page.fill("#id_month", "2026-04")
    page.set_input_files("#id_file", sample)
    page.get_by_test_id("upload-submit").click()
    page.wait_for_url(re.compile(r".*/statistics/imports/\d+/$"))
    assert page.get_by_test_id("batch-status").inner_text() == "待提交"
    counts = {
        key: page.get_by_test_id(f"count-{key}").inner_text()
        for key in (
            "rows",
            "matched-code",
            "matched-name",
            "new",
            "not-above",
            "skipped",
            "blank-prior",
            "zero",
        )
    }
    assert counts == {
        "rows": "5",
        "matched-code": "4",
        "matched-name": "0",
        "new": "0",
        "not-above": "2",
        "skipped": "1",
        "blank-prior": "1",
        "zero": "1",
    }
    assert "新投产/新入统，无上年同期数" in page.get_by_test_id("blank-prior-list").inner_text()
    screenshot(page, "statistics-import-review-counts")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "statistics-import-review-counts-phone")
    page.set_viewport_size({"width": 1440, "height": 900})
    page.get_by_test_id("commit").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("batch-status").inner_text() == "已提交"

    # The same file again: recognised, and committing it changes nothing.
    page.goto(page.base_url + "/statistics/imports/new/")
    page.select_option("#id_profile", label="统计局原始格式")
    page.fill("#id_month", "2026-04")
    page.set_input_files("#id_file", sample)
    page.get_by_test_id("upload-submit").click()
    page.wait_for_url(re.compile(r".*/statistics/imports/\d+/$"))
    assert "该文件已于" in page.get_by_test_id("same-file").inner_text()
    page.get_by_test_id("commit").click()
    page.wait_for_load_state()
    assert "未作任何更改" in page.get_by_test_id("unchanged").inner_text()
    assert page.console_errors == []


def test_warnings_targets_and_catalogue_pages(page, users, county):
    seed_facts(county)
    browser_login(page, "leader")
    page.wait_for_url(re.compile(r".*/$"))
    for path, name, text in [
        ("/statistics/indicators/", "statistics-catalogue", "工业总产值"),
        ("/statistics/warnings/", "statistics-warnings", "运行预警"),
        ("/statistics/targets/", "statistics-targets", "年度目标"),
        ("/statistics/breakdown/?group=town", "statistics-breakdown", "拉动"),
    ]:
        page.goto(page.base_url + path)
        assert text in page.locator("main").inner_text()
        screenshot(page, name)
    assert page.locator(".qx-chart canvas").count() == 1
    assert page.console_errors == []
