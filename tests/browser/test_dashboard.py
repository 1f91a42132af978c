"""The dashboard (驾驶舱) in a real browser: scoped to the park, drill-down to the fact rows."""

from __future__ import annotations

import re

import pytest

from conftest import browser_login, screenshot
from qiangxian.core import formatting
from qiangxian.statistics import indicators
from qiangxian.statistics.tests.factories import seed_facts

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_park_user_sees_only_the_park(page, users, county):
    seed_facts(county)
    park = county["units"]["工业园"]
    browser_login(page, "park")
    page.wait_for_url(re.compile(r".*/$"))
    page.locator("[data-nav=dashboard]").click()
    page.wait_for_url(re.compile(r".*/dashboard/$"))
    page.wait_for_selector(".qx-chart canvas")
    heading = page.locator("h1").inner_text()
    assert "工业园" in heading
    latest = indicators.fetch_rows(
        month=__import__("datetime").date(2026, 3, 1), above_only=True, scope=("park", park.pk)
    )
    value = indicators.values_from_rows("gross_output", [r for r in latest if r.group_kind == "total"])[
        0
    ].value
    assert page.get_by_test_id("kpi-gross_output").inner_text() == formatting.format_money(value)
    body = page.locator("main").inner_text()
    assert "食品园" not in body and "甲镇食品有限公司" not in body
    # Only the park (and its zones) can be chosen as scope.
    options = page.get_by_test_id("scope-select").locator("option").all_inner_texts()
    assert options == ["工业园", "东片区", "西片区"]
    screenshot(page, "dashboard-park")
    assert page.console_errors == []


def test_drill_down_from_a_towns_growth_to_the_fact_rows(page, users, county):
    seed_facts(county)
    town = county["units"]["甲镇"]
    browser_login(page, "leader")
    page.wait_for_url(re.compile(r".*/$"))
    page.goto(page.base_url + "/dashboard/")
    page.wait_for_selector(".qx-chart canvas")
    assert page.locator(".qx-chart canvas").count() >= 4  # the trend and every breakdown draw
    screenshot(page, "dashboard-county")
    row = page.get_by_test_id("breakdown-town").locator("tr", has_text="甲镇")
    assert "▲" in row.inner_text()
    row.get_by_test_id(f"drill-town-{town.pk}").click()
    page.wait_for_url(re.compile(r".*/statistics/drilldown/.*"))
    table = page.get_by_test_id("drilldown-table").inner_text()
    assert "甲镇园区鞋业有限公司" in table and "甲镇食品有限公司" in table and "乙镇机械有限公司" not in table
    assert (
        page.get_by_test_id("aggregate-value").inner_text() == page.get_by_test_id("sum-value").inner_text()
    )
    screenshot(page, "dashboard-drilldown-town")
    page.get_by_test_id("drilldown-table").locator("tr", has_text="甲镇园区鞋业有限公司").get_by_test_id(
        "fact-link"
    ).click()
    page.wait_for_url(re.compile(r".*/statistics/enterprises/\d+/.*"))
    facts = page.get_by_test_id("fact-table").inner_text()
    assert "2026年3月" in facts and "统计局" in facts
    screenshot(page, "dashboard-drilldown-facts")
    assert page.console_errors == []
