"""The rule workbench in a real browser: an error pointed at its position, the match count, save, trace."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect
from python_calamine import CalamineWorkbook

from conftest import browser_login, screenshot
from qiangxian.rules.tests.conftest import make_figures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BROKEN = "研发费用@上年 / 营业收入@上年 >= 3% 且 (营业收入@上年 >= 1000万"
FIXED = "研发费用@上年 / 营业收入@上年 >= 3% 且 (营业收入@上年 >= 1000万)"


def _type(page, text: str) -> None:
    """Put text in the expression box and finish with a key press, as a person typing would."""
    page.fill("#id_expression", text)
    page.press("#id_expression", "End")


def _open_workbench(page, username: str) -> None:
    browser_login(page, username)
    page.goto(page.base_url + "/rules/workbench/")
    page.fill("#id_as_of", "2026-06-15")


def test_an_error_is_pointed_at_then_fixed_counted_and_saved(page, county, users):
    from qiangxian.rules.models import CustomRule

    make_figures(county)
    _open_workbench(page, "office")
    expect(page.locator("[data-testid=check-empty]")).to_be_visible()
    _type(page, BROKEN)
    error = page.locator("[data-testid=check-error]")
    expect(error).to_be_visible()
    assert "缺少右括号" in error.inner_text() and "第 1 行，第 27 列" in error.inner_text()
    assert error.get_attribute("data-column") == "27"
    assert page.locator("[data-testid=error-mark]").inner_text() == "("
    # The caret sits under the marked parenthesis, whatever the width of the Chinese before it.
    mark = page.locator("[data-testid=error-mark]").bounding_box()
    caret = page.locator("[data-testid=error-caret]").bounding_box()
    assert abs(caret["x"] - mark["x"]) < 3 and caret["y"] > mark["y"]
    screenshot(page, "rules-workbench-error")

    _type(page, FIXED)
    ok = page.locator("[data-testid=check-ok]")
    expect(ok).to_be_visible()
    assert page.locator("[data-testid=check-type]").inner_text() == "条件（是/否）"
    assert page.locator("[data-testid=check-canonical]").inner_text() == (
        "研发费用@上年 / 营业收入@上年 ≥ 3% 且 营业收入@上年 ≥ 1000万"
    )
    page.click("[data-testid=run-match]")
    counts = page.locator("[data-testid=match-counts]")
    expect(counts).to_be_visible()
    assert counts.locator("[data-outcome=met] .qx-count-n").inner_text() == "2"
    assert counts.locator("[data-outcome=not_met] .qx-count-n").inner_text() == "2"
    assert counts.locator("[data-outcome=unknown] .qx-count-n").inner_text() == "1"
    table = page.locator("[data-testid=match-table]").inner_text()
    assert "甲镇园区鞋业有限公司" in table and "乙镇机械有限公司" in table and "甲镇纺织有限公司" not in table
    page.locator("[data-testid=match-tabs] button", has_text="待定").click()
    expect(page.locator("[data-testid=match-table]")).to_contain_text("甲镇食品有限公司")
    assert "营业收入（上年）" in page.locator("[data-testid=match-table]").inner_text()
    screenshot(page, "rules-workbench-match")
    with page.expect_download() as download:
        page.click("[data-testid=match-export]")
    rows = CalamineWorkbook.from_filelike(io.BytesIO(Path(download.value.path()).read_bytes()))
    sheet = rows.get_sheet_by_name("匹配结果").to_python()
    assert [r[0] for r in sheet[1:]] == ["甲镇食品有限公司"] and sheet[1][4] == "待定"

    page.fill("#id_name", "研发强度与规模")
    page.fill("#id_description", "上年研发费用占比不低于 3%，营业收入不低于 1000 万元")
    page.click("[data-testid=save-rule]")
    page.wait_for_url(re.compile(r".*/rules/saved/\d+/$"))
    rule = CustomRule.objects.get(name="研发强度与规模")
    assert rule.expression == FIXED and rule.created_by == users["office"]
    expect(page.locator("[data-testid=rule-matches] [data-testid=match-counts]")).to_be_visible()
    assert "已保存自定义规则" in page.locator(".alert-success").first.inner_text()
    assert "创建" in page.locator("[data-testid=history]").inner_text()
    screenshot(page, "rules-saved-detail")

    page.click("[data-testid=open-workbench]")
    expect(page.locator("[data-testid=check-ok]")).to_be_visible()
    assert page.input_value("#id_name") == "研发强度与规模"
    _type(page, FIXED.replace(">= 3%", ">= 4%"))
    expect(page.locator("[data-testid=check-canonical]")).to_contain_text("≥ 4%")
    page.click("[data-testid=save-rule]")
    page.wait_for_url(re.compile(r".*/rules/saved/\d+/$"))
    history = page.locator("[data-testid=history]").inner_text()
    assert "修改" in history and "表达式" in history and ">= 4%" in history and ">= 3%" in history
    rule.refresh_from_db()
    assert rule.version == 2
    expect(page.locator("[data-testid=rule-matches] [data-testid=match-counts]")).to_be_visible()
    screenshot(page, "rules-saved-history")
    page.goto(page.base_url + "/rules/saved/")
    assert "共 1 条" in page.locator("[data-testid=list-count]").inner_text()
    assert "研发强度与规模" in page.locator("#qx-list table").inner_text()
    screenshot(page, "rules-saved-list")
    assert page.console_errors == []


def test_a_town_user_inserts_names_and_tries_a_rule_on_its_enterprise(page, county, users):
    make_figures(county)
    _open_workbench(page, "town")
    assert page.locator("[data-testid=save-rule]").count() == 0
    page.click("[data-testid=indicator-list] [data-insert=研发费用]")
    page.click(".qx-insert[data-insert='@上年']")
    page.locator("#id_expression").press_sequentially(" >= 20")
    page.locator("#id_expression").type("万")
    page.press("#id_expression", "End")
    expect(page.locator("[data-testid=check-canonical]")).to_have_text("研发费用@上年 ≥ 20万")
    page.fill("#wb-palette-filter", "高新")
    expect(page.locator("[data-testid=designation-list] li:visible")).to_have_count(1)

    page.fill("[data-testid=enterprise-search]", "纺织")
    page.press("[data-testid=enterprise-search]", "End")
    results = page.locator("[data-testid=enterprise-results]")
    expect(results).to_contain_text("甲镇纺织有限公司")
    page.fill("[data-testid=enterprise-search]", "机械")
    page.press("[data-testid=enterprise-search]", "End")
    expect(page.locator("#wb-enterprise-results")).to_contain_text("没有找到企业")
    page.fill("[data-testid=enterprise-search]", "纺织")
    page.press("[data-testid=enterprise-search]", "End")
    results.locator("button", has_text="甲镇纺织有限公司").click()
    trace = page.locator("[data-testid=trace]")
    expect(trace).to_be_visible()
    assert page.locator("[data-testid=trace-outcome]").inner_text() == "不满足"
    values = page.locator("[data-testid=trace-values]").inner_text()
    assert "研发费用" in values and "上年" in values and "18万元" in values and "统计局" in values
    assert "18万元 ≥ 20万元 → 不满足" in page.locator("[data-testid=trace-checks]").inner_text()
    assert "还差 2万元" in page.locator("[data-testid=trace-gaps]").inner_text()
    screenshot(page, "rules-workbench-trace")

    page.click("[data-testid=run-match]")
    expect(page.locator("[data-testid=match-result]")).to_contain_text("在您可查看的 3 家企业中计算")
    assert "乙镇" not in page.locator("[data-testid=match-result]").inner_text()
    assert page.console_errors == []


def test_the_reference_page_lists_the_grammar_and_every_rule_set(page, county, users):
    from qiangxian.rules import reference
    from qiangxian.rules.engine import builtin_rulesets

    browser_login(page, "leader")
    page.goto(page.base_url + "/rules/reference/")
    expect(page.locator("h1")).to_have_text("规则语法参考")
    assert page.locator("[data-testid=reference-example]").count() == len(reference.all_examples())
    assert page.locator("[data-testid=reference-ruleset]").count() == len(
        {r.code for r in builtin_rulesets()}
    )
    assert "无法比较 金额 与 百分比" in page.locator("[data-testid=reference-errors]").inner_text()
    screenshot(page, "rules-reference")
    page.locator("[data-testid=reference-example] a", has_text="试用").nth(6).click()
    page.wait_for_url(re.compile(r".*/rules/workbench/\?.*"))
    expect(page.locator("[data-testid=check-ok]")).to_be_visible()
    assert page.console_errors == []
