"""The county's own list through the pages: review with its columns, a saved mapping, 规上 applied;
bulk 入规/退规 from the registry list."""

from __future__ import annotations

import re

import pytest

from conftest import browser_login, screenshot
from qiangxian.enterprises.tests import county_files as cf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _both_widths(page, name: str) -> None:
    page.set_viewport_size({"width": 1440, "height": 900})
    screenshot(page, f"{name}-1440")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, f"{name}-390")
    page.set_viewport_size({"width": 1440, "height": 900})


def test_county_list_reviewed_mapped_saved_and_applied(page, county, users):
    from qiangxian.enterprises.models import Enterprise, RegistryImportProfile

    browser_login(page, "office")
    page.goto(page.base_url + "/enterprises/imports/")
    page.set_input_files(
        "[data-testid=import-file]", files=[{"name": "县名录.xlsx", "mimeType": XLSX, "buffer": cf.as_xlsx()}]
    )
    page.fill("[data-testid=import-month]", "2026-05")
    page.click("[data-testid=import-submit]")
    page.wait_for_url(re.compile(r".*/enterprises/imports/review/\w+/$"))
    counts = {
        k: page.locator(f"[data-testid={k}]").inner_text()
        for k in ("rows-total", "to-create", "to-update", "to-enter", "to-exit")
    }
    assert counts == {"rows-total": "4", "to-create": "2", "to-update": "1", "to-enter": "2", "to-exit": "0"}
    notes = page.locator("[data-testid=review-notes]").inner_text()
    assert "表头在第 3 行" in notes and "跳过合计/小计行 1 行" in notes and "2026年5月" in notes
    assert page.locator("[data-testid=unknown-count]").inner_text() == "1 列未识别"
    assert not Enterprise.objects.filter(uscc=cf.NEW_1).exists()  # the review writes nothing
    _both_widths(page, "registry-import-review")
    # 联系人 is not a registry field: ignore it on purpose and keep the mapping for next month.
    page.select_option("[data-testid=map-6]", "-")
    page.fill("[data-testid=profile-name]", "县经信局名录格式")
    page.click("[data-testid=recheck]")
    page.wait_for_selector("[data-testid=import-ready]")
    assert page.locator("[data-testid=unknown-count]").count() == 0
    profile = RegistryImportProfile.objects.get(name="县经信局名录格式")
    assert profile.mapping["联系人"] == "" and profile.mapping["是否规上"] == "above_scale"
    page.click("[data-testid=apply]")
    page.wait_for_url(re.compile(r".*/enterprises/imports/\d+/$"))
    assert page.locator("[data-testid=entered-count]").inner_text() == "2"
    assert Enterprise.objects.get(uscc=cf.TEXTILE).above_scale
    assert Enterprise.objects.get(uscc=cf.NEW_1).above_scale
    screenshot(page, "registry-import-batch-scale")
    page.goto(page.base_url + "/enterprises/imports/")
    assert "县经信局名录格式" in page.locator("[data-testid=import-profile]").inner_text()
    assert page.console_errors == []


def test_bulk_scale_entry_and_exit_from_the_list(page, county, users):
    from qiangxian.enterprises.choices import DesignationKind
    from qiangxian.enterprises.models import Enterprise

    browser_login(page, "office")
    page.goto(page.base_url + "/enterprises/?above_scale=false")
    names = ["甲镇纺织有限公司", "乙镇电子有限公司"]
    for name in names:
        page.locator("tr", has_text=name).locator("[data-testid=select-row]").check()
    assert page.locator("[data-testid=selected-count]").inner_text() == "2"
    page.select_option("[data-testid=bulk-action]", "entry")
    page.fill("[data-testid=bulk-month]", "2026-04")
    page.fill("[data-testid=bulk-reason]", "统计局2026年4月新纳统名单")
    _both_widths(page, "registry-list-bulk-scale")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-testid=bulk-submit]")
    page.wait_for_selector(".alert-success")
    assert "已登记 2 户企业2026年04月入规" in page.locator(".alert-success").inner_text()
    for name in names:
        e = Enterprise.objects.get(name=name)
        d = e.designations.get(kind=DesignationKind.ABOVE_SCALE)
        assert e.above_scale and d.entry_month.isoformat() == "2026-04-01"
        assert d.document_no == "统计局2026年4月新纳统名单"
    # Exit one of them in a month before its entry: refused, nothing changes.
    page.goto(page.base_url + "/enterprises/?above_scale=true")
    page.locator("tr", has_text=names[0]).locator("[data-testid=select-row]").check()
    page.select_option("[data-testid=bulk-action]", "exit")
    page.fill("[data-testid=bulk-month]", "2026-03")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-testid=bulk-submit]")
    page.wait_for_selector(".alert-danger")
    assert "退规月份不能早于入规月份" in page.locator(".alert-danger").inner_text()
    assert Enterprise.objects.get(name=names[0]).above_scale
    assert page.console_errors == []
