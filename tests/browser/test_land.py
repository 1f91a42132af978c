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


def test_building_ledger_import_demand_matching_aggregates_and_bonus_veto_pages(
    page,
    users,
    graded_county,  # noqa: F811
    county,
    tmp_path,
):
    from openpyxl import Workbook

    from qiangxian.land.services import evaluation
    from qiangxian.service.services import demands, needs

    book = Workbook()
    sheet = book.active
    sheet.title = "厂房台账"
    sheet.append(["楼栋编号", "名称", "类型", "园区", "片区", "层数", "建筑面积（平方米）", "产权单位"])
    sheet.append(["B-02", "标准厂房2号", "标准厂房", "工业园", "东片区", 4, 6400, "园区建设投资公司"])
    sheet.append(["B-03", "标准厂房3号", "厂棚", "工业园", "", "两层", 2400, ""])
    bad = tmp_path / "厂房台账-有误.xlsx"
    book.save(bad)
    sheet.delete_rows(3)
    good = tmp_path / "厂房台账.xlsx"
    book.save(good)
    browser_login(page, "office")
    page.goto(page.base_url + "/land/buildings/import/")
    page.locator("input[type=file]").set_input_files(str(bad))
    page.get_by_role("button", name="上传核对").click()
    expect(page.locator("body")).to_contain_text("类型应为")
    _phone(page, "land-building-import-errors")
    page.locator("input[type=file]").set_input_files(str(good))
    page.get_by_role("button", name="上传核对").click()
    expect(page.get_by_test_id("import-plan")).to_contain_text("新增 1 栋")
    page.get_by_role("button", name="确认导入").click()
    expect(page.locator("#qx-list")).to_contain_text("B-02")

    demand = demands.demand_create(
        actor=users["office"],
        enterprise=graded_county["乙镇机械有限公司"],
        category="land",
        title="扩产需要标准厂房",
        route=False,
    )
    needs.need_save(actor=users["office"], demand=demand, area=5000, area_unit="sqm", use="装配车间")
    page.goto(page.base_url + f"/land/match/?demand={demand.pk}")
    expect(page.get_by_test_id("match-building").first).to_contain_text("B-02")
    page.get_by_test_id("match-building").first.get_by_role("button", name="推荐").click()
    expect(page.get_by_test_id("offers")).to_contain_text("已推荐")
    _phone(page, "land-match-demand")
    page.goto(page.base_url + f"/service/demands/{demand.pk}/")
    expect(page.get_by_test_id("space-offers")).to_contain_text("B-02")

    adopted = evaluation.Scheme.objects.get()
    evaluation.run_create(actor=users["office"], scheme=adopted)
    page.goto(page.base_url + "/land/results/")
    expect(page.get_by_test_id("aggregate-zone")).to_contain_text("东片区")
    expect(page.get_by_test_id("aggregate-cluster")).to_contain_text("未划入")
    _phone(page, "land-results-aggregates")
    draft = evaluation.scheme_copy(actor=users["office"], scheme=adopted)
    page.goto(page.base_url + f"/land/schemes/{draft.pk}/adjustments/")
    page.get_by_text("添加事项").click()
    form = page.get_by_test_id("form-item")
    form.locator("select[name=kind]").select_option("veto")
    form.locator("input[name=name]").fill("重大安全事故")
    form.locator("select[name=grade_cap]").select_option("C")
    form.get_by_role("button", name="添加").click()
    expect(page.get_by_test_id("adjustment-items")).to_contain_text("最高评为 C 类")
    page.get_by_text("登记适用企业").click()
    form = page.get_by_test_id("form-record")
    form.locator("input[name=enterprise]").fill("甲镇园区鞋业有限公司")
    form.locator("input[name=source]").fill("安委办〔2025〕3号")
    form.get_by_role("button", name="登记").click()
    expect(page.get_by_test_id("adjustment-records")).to_contain_text("安委办〔2025〕3号")
    _phone(page, "land-scheme-adjustments")
