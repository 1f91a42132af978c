"""Figures that say what they count, in a real browser: comparable count, new entrants, the
cluster residual row, links that keep the chosen month; screenshots at 1440 and 390 px."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from conftest import browser_login, screenshot
from qiangxian.enterprises.models import Cluster, ClusterMembership
from qiangxian.statistics import rollup
from qiangxian.statistics.models import MonthlyFact
from qiangxian.statistics.tests.factories import seed_facts

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WIDTHS = (1440, 390)


def _county_with_a_new_entrant(county):
    seed_facts(county)
    # 乙镇电子 enters the above-scale set in 2026 as a new plant: no 2025 rows, blank 上年同期.
    newcomer = county["enterprises"]["乙镇电子有限公司"]
    MonthlyFact.objects.filter(enterprise=newcomer, month__year=2025).delete()
    MonthlyFact.objects.filter(enterprise=newcomer, month__year=2026).update(
        above_scale=True, gross_output_ytd_ly=None, gross_output_month_ly=None
    )
    cluster = Cluster.objects.create(name="鞋服纺织")
    ClusterMembership.objects.create(
        enterprise=county["enterprises"]["甲镇园区鞋业有限公司"], cluster=cluster
    )
    rollup.refresh_all()
    return newcomer


def test_dashboard_breakdown_and_drilldown_say_what_the_growth_counts(page, users, county):
    newcomer = _county_with_a_new_entrant(county)
    browser_login(page, "leader")
    page.wait_for_url(re.compile(r".*/$"))
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(page.base_url + "/dashboard/")
        page.wait_for_selector(".qx-chart canvas")
        note = page.get_by_test_id("comparable-note").inner_text()
        assert "可比企业 3/4户" in note and "新投产企业 1户" in note and "未计入增速" in note
        assert "可比口径" in page.get_by_test_id("headlines").inner_text()
        assert newcomer.name in page.get_by_test_id("new-entrants").inner_text()
        assert "不属于任何产业集群" in page.get_by_test_id("breakdown-cluster").inner_text()
        screenshot(page, f"figures-dashboard-{width}")
        # The first screen as a reader sees it (a phone's full page is too tall to look at whole).
        page.screenshot(path=str(screenshot(page, f"figures-dashboard-{width}-top")), full_page=False)

        page.goto(page.base_url + "/statistics/breakdown/?indicator=gross_output&group=cluster")
        page.wait_for_selector(".qx-chart canvas")
        assert "可比企业 3/4户" in page.get_by_test_id("comparable-note").inner_text()
        assert "不属于任何产业集群" in page.get_by_test_id("breakdown-table").inner_text()
        screenshot(page, f"figures-breakdown-{width}")
        page.screenshot(path=str(screenshot(page, f"figures-breakdown-{width}-top")), full_page=False)

        page.goto(page.base_url + "/statistics/drilldown/?indicator=gross_output&group_kind=total&group_key=")
        table = page.get_by_test_id("drilldown-table")
        assert "新投产" in table.locator("tr", has_text=newcomer.name).inner_text()
        screenshot(page, f"figures-drilldown-{width}")
    assert page.console_errors == []


def test_the_export_link_follows_the_month_chosen(page, users, county):
    seed_facts(county)
    browser_login(page, "leader")
    page.wait_for_url(re.compile(r".*/$"))
    page.goto(page.base_url + "/dashboard/")
    page.locator("select[name=month]").select_option("2026-02")
    page.get_by_role("button", name="查看").click()
    page.wait_for_url(re.compile(r".*month=2026-02.*"))
    href = page.get_by_test_id("export-xlsx").get_attribute("href")
    assert href.startswith("?") and not href.startswith("??") and "month=2026-02" in href
    # A breakdown's group pill keeps the indicator.
    page.goto(page.base_url + "/statistics/breakdown/?indicator=main_revenue&group=town&month=2026-02")
    page.get_by_test_id("group-park").click()
    page.wait_for_url(re.compile(r".*group=park.*"))
    assert "indicator=main_revenue" in page.url and "month=2026-02" in page.url
    assert "主营业务收入" in page.locator("h1").inner_text()
    assert dt.date(2026, 2, 1)  # the month chosen is the one shown
    assert "2026年2月" in page.locator("select[name=month] option:checked").inner_text()
