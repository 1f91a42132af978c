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

    # Map the county's own sheet layout to figures.
    page.goto(page.base_url + "/statistics/profiles/")
    page.get_by_test_id("new-profile").click()
    page.fill("#id_name", "乡镇产值快报")
    page.select_option("#id_source", "stats")
    page.fill("#id_key_column", "统一社会信用代码")
    page.fill("#id_name_column", "企业名称")
    page.fill(
        "#id_columns_text",
        "产值（万元）| gross_output | 万元 | 累计 | 本期\n"
        "上年产值（万元）| gross_output | 万元 | 累计 | 上年",
    )
    screenshot(page, "statistics-profile-form")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(re.compile(r".*/statistics/profiles/$"))
    assert "乡镇产值快报" in page.locator("#qx-list").inner_text()

    firms = county["enterprises"]
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
    assert "本次缺报的企业" in page.get_by_test_id("review").inner_text()
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
