"""The enterprise registry in a real browser: create, edit, filter, search, export, import, undo."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
import xlsxwriter
from playwright.sync_api import expect
from python_calamine import CalamineWorkbook

from conftest import browser_login, screenshot
from qiangxian.enterprises.importers import HEADERS
from qiangxian.enterprises.uscc import make_uscc

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(rows) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("企业名录")
    sheet.write_row(0, 0, HEADERS)
    for r, values in enumerate(rows, start=1):
        sheet.write_row(r, 0, [values.get(h, "") for h in HEADERS])
    book.close()
    return buffer.getvalue()


def _count(page) -> str:
    return page.locator("[data-testid=list-count]").inner_text()


def test_create_edit_and_history(page, county, users):
    browser_login(page, "office")
    page.goto(page.base_url + "/enterprises/")
    page.click("[data-testid=create-enterprise]")
    code = make_uscc("9", "1", "361129", "BR000001")
    page.fill("#id_uscc", code[:17] + ("0" if code[17] != "0" else "1"))
    page.fill("#id_name", "青山浏览器鞋业有限公司")
    page.fill("#id_industry_code", "1952")
    page.select_option("#id_town", label="甲镇")
    page.click("[data-testid=save]")
    error = page.locator("[data-field=uscc]").inner_text()
    assert "第18位" in error and f"应为“{code[17]}”" in error
    screenshot(page, "registry-create-error")
    page.fill("#id_uscc", code)
    page.click("[data-testid=save]")
    page.wait_for_url(re.compile(r".*/enterprises/\d+/$"))
    assert "1952 皮鞋制造" in page.locator("[data-testid=industry]").inner_text()
    page.click("[data-testid=edit-enterprise]")
    page.fill("#id_short_name", "浏览器鞋业")
    page.fill("#id_land_area_mu", "18.5")
    page.select_option("#id_land_tenure", label="自有")
    page.click("[data-testid=save]")
    page.wait_for_url(re.compile(r".*/enterprises/\d+/$"))
    page.click("[data-testid=tab-history]")
    page.wait_for_selector("#tab-history.show")
    history = page.locator("[data-testid=history]").inner_text()
    assert "简称" in history and "浏览器鞋业" in history and "用地面积（亩）" in history
    screenshot(page, "registry-history")
    assert page.console_errors == []


def test_filter_search_and_export(page, county, users):
    browser_login(page, "office")
    page.goto(page.base_url + "/enterprises/")
    assert "共 5 条" in _count(page)
    page.select_option("#id_town", label="乙镇")
    expect(page.locator("[data-testid=list-count]")).to_contain_text("共 2 条")
    assert "乙镇机械有限公司" in page.locator("#qx-list table").inner_text()
    screenshot(page, "registry-filter-town")
    page.goto(page.base_url + "/enterprises/?q=yzdz")
    # The fixture's rows carry no initials yet; the search reads what the service stores.
    assert "乙镇电子有限公司" not in page.locator("#qx-list").inner_text()
    page.goto(page.base_url + "/enterprises/")
    from qiangxian.enterprises.models import Enterprise
    from qiangxian.enterprises.services import pinyin_initials

    for e in Enterprise.objects.all():
        Enterprise.objects.filter(pk=e.pk).update(pinyin_initials=pinyin_initials(e.name))
    page.fill("#id_q", "yzdz")
    page.press("#id_q", "Enter")
    expect(page.locator("[data-testid=list-count]")).to_contain_text("共 1 条")
    assert "乙镇电子有限公司" in page.locator("#qx-list table").inner_text()
    screenshot(page, "registry-search-pinyin")
    with page.expect_download() as download:
        page.click("[data-testid=export-xlsx]")
    content = Path(download.value.path()).read_bytes()
    rows = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_name("企业名录").to_python()
    assert rows[0] == HEADERS and [r[0] for r in rows[1:]] == ["乙镇电子有限公司"]
    assert page.console_errors == []


def test_import_with_errors_then_fixed_then_undo(page, county, users):
    from qiangxian.enterprises.models import Enterprise

    browser_login(page, "office")
    page.goto(page.base_url + "/enterprises/imports/")
    code = make_uscc("9", "1", "361129", "BR000002")
    bad = _xlsx(
        [
            {
                "统一社会信用代码": code,
                "企业名称": "导入浏览器有限公司",
                "所属乡镇": "丙镇",
                "行业代码": "1952",
            },
            {"统一社会信用代码": code[:17] + "Z", "企业名称": "", "所属乡镇": "甲镇", "行业代码": "9999"},
        ]
    )
    page.set_input_files(
        "[data-testid=import-file]", files=[{"name": "名录.xlsx", "mimeType": XLSX, "buffer": bad}]
    )
    page.click("[data-testid=import-submit]")
    errors = page.locator("[data-testid=import-errors]").inner_text()
    assert "丙镇" in errors and "企业名称" in errors and "行业代码" in errors and "第18位" in errors
    assert not Enterprise.objects.filter(name="导入浏览器有限公司").exists()
    screenshot(page, "registry-import-errors")
    existing = county["enterprises"]["甲镇纺织有限公司"]
    good = _xlsx(
        [
            {
                "统一社会信用代码": code,
                "企业名称": "导入浏览器有限公司",
                "所属乡镇": "甲镇",
                "行业代码": "1952",
            },
            {
                "统一社会信用代码": existing.uscc,
                "企业名称": existing.name,
                "所属乡镇": "甲镇",
                "行业代码": "1713",
                "简称": "甲纺",
            },
        ]
    )
    page.goto(page.base_url + "/enterprises/imports/")
    page.set_input_files(
        "[data-testid=import-file]", files=[{"name": "名录.xlsx", "mimeType": XLSX, "buffer": good}]
    )
    page.click("[data-testid=import-submit]")
    assert page.locator("[data-testid=to-create]").inner_text() == "1"
    assert not Enterprise.objects.filter(name="导入浏览器有限公司").exists()  # the preview writes nothing
    page.click("[data-testid=apply]")
    page.wait_for_url(re.compile(r".*/enterprises/imports/\d+/$"))
    assert page.locator("[data-testid=created-count]").inner_text() == "1"
    assert page.locator("[data-testid=updated-count]").inner_text() == "1"
    screenshot(page, "registry-import-batch")
    page.goto(page.base_url + f"/enterprises/{existing.pk}/?tab=history")
    assert "导入批次" in page.locator("[data-testid=history]").inner_text()
    page.go_back()
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-testid=undo-batch]")
    page.wait_for_selector("[data-testid=batch-status]")
    assert not Enterprise.objects.filter(name="导入浏览器有限公司").exists()
    existing.refresh_from_db()
    assert existing.short_name == ""
    screenshot(page, "registry-import-undone")
    assert page.console_errors == []


def test_town_user_sees_only_its_enterprises(page, county, users):
    browser_login(page, "town")
    page.goto(page.base_url + "/enterprises/")
    table = page.locator("#qx-list table").inner_text()
    assert "甲镇纺织有限公司" in table and "乙镇机械有限公司" not in table
    assert "共 3 条" in _count(page)
    other = county["enterprises"]["乙镇机械有限公司"]
    response = page.goto(page.base_url + f"/enterprises/{other.pk}/")
    assert response.status == 404
    screenshot(page, "registry-town-scope")
