"""Parks, land and the per-mu evaluation in a real browser.

A park user lists its parcels, puts one on the idle list and makes a disposal plan; the office
grades the year, reads an enterprise's trace, files an objection on its behalf and upholds it
(the class changes); the sandbox shows who would change class under other weights.
"""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from conftest import browser_login, screenshot
from qiangxian.land.tests.conftest import graded_county, scheme, space  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _phone(page, name):
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, f"{name}-390")
    page.set_viewport_size({"width": 1440, "height": 900})
    screenshot(page, f"{name}-1440")


def test_park_user_puts_a_parcel_on_the_idle_list_and_plans_its_disposal(page, users, space):  # noqa: F811
    browser_login(page, "park")
    page.goto(page.base_url + "/land/parcels/")
    table = page.locator("#qx-list")
    expect(table).to_contain_text("GY-001")
    expect(table).not_to_contain_text("SP-001")
    _phone(page, "land-parcels")
    page.get_by_role("link", name="GY-001").click()
    form = page.get_by_test_id("form-idle")
    form.locator("select[name=reason]").select_option("stopped")
    form.locator("input[name=idle_since]").fill((dt.date.today() - dt.timedelta(days=200)).isoformat())
    form.get_by_role("button", name="列入清单").click()
    expect(page.get_by_test_id("idle-state")).to_have_text("待处置")
    expect(page.get_by_test_id("idle-days")).to_have_text("200")
    plan = page.get_by_test_id("form-plan")
    plan.locator("select[name=method]").select_option("invest")
    plan.locator("select[name=unit]").select_option(label="工业园")
    plan.locator("input[name=deadline]").fill((dt.date.today() + dt.timedelta(days=90)).isoformat())
    plan.get_by_role("button", name="保存方案").click()
    expect(page.get_by_test_id("idle-state")).to_have_text("处置中")
    expect(page.get_by_test_id("plan")).to_contain_text("招商")
    _phone(page, "land-idle-item")
    page.goto(page.base_url + "/land/parcels/")
    expect(page.locator("#qx-list")).to_contain_text("闲置")
    assert page.console_errors == []


def test_office_grades_the_year_rules_an_objection_and_tries_other_weights(page, users, graded_county):  # noqa: F811
    browser_login(page, "office")
    page.goto(page.base_url + "/land/schemes/")
    page.get_by_role("button", name="正式测算").click()
    expect(page.get_by_test_id("run-state")).to_have_text("测算中")
    page.get_by_test_id("publish").click()
    expect(page.get_by_test_id("run-state")).to_have_text("公示中")
    page.goto(page.base_url + "/land/results/")
    _phone(page, "land-results")
    page.get_by_role("link", name="乙镇机械有限公司").click()
    expect(page.get_by_test_id("grade")).to_have_text("C类")
    trace = page.get_by_test_id("trace")
    expect(trace).to_contain_text("亩均税收")
    expect(trace).to_contain_text("15.00")  # the county benchmark, 600万 ÷ 40 亩
    expect(trace).to_contain_text("40.00")  # 10 ÷ 15 × 60
    _phone(page, "land-result-trace")
    form = page.get_by_test_id("form-object")
    form.locator("select[name=input_code]").select_option("rd")
    form.locator("input[name=claimed_value]").fill("2000000")
    form.locator("input[name=reason]").fill("研发费用少计一半")
    form.locator("input[name=evidence]").fill("2025年度审计报告")
    form.get_by_role("button", name="提出异议").click()
    expect(page.get_by_test_id("objection")).to_contain_text("待裁定")
    page.goto(page.base_url + "/land/schemes/")
    page.locator("a", has_text="正式评价 · 公示中").first.click()
    rule = page.locator("form[data-testid^=rule-]")
    rule.locator("input[name=ruling]").fill("审计报告属实")
    rule.get_by_role("button", name="裁定").click()
    expect(page.locator("body")).to_contain_text("类别 C → B")
    _phone(page, "land-run")
    # The sandbox: 亩均税收 weighs 90 and R&D 10: 甲镇食品 would move from D to C (60 points),
    # 乙镇机械 from its corrected B back to C (60 + 13.33).
    page.goto(page.base_url + "/land/schemes/")
    page.locator("a", has_text="亩均效益评价办法").first.click()
    page.get_by_test_id("copy").click()
    sandbox = page.get_by_test_id("sandbox-form")
    sandbox.get_by_label("规上企业 · 亩均税收 权重").fill("90")
    sandbox.get_by_label("规上企业 · R&D经费占营业收入比重 权重").fill("10")
    sandbox.get_by_role("button", name="模拟测算").click()
    changes = page.get_by_test_id("changes")
    expect(changes).to_contain_text("甲镇食品有限公司")
    expect(changes).to_contain_text("乙镇机械有限公司")
    expect(page.get_by_test_id("change-count")).to_have_text("2")
    _phone(page, "land-sandbox")
    assert page.console_errors == []
