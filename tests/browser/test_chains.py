"""The chain map in a real browser: the office places an enterprise on a link, marks a leading firm
with an outside purchase on a missing link, places a new lead there, and the link turns from
缺失 to 推进中 on the map and in the table; screenshots at 1440 and 390 px."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from conftest import browser_login, screenshot
from qiangxian.chains.tests.conftest import chain  # noqa: F401  (the fixture)
from qiangxian.projects.models import Project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _map_state(page, link_id) -> str:
    """The strength the drawn ECharts graph holds for a link's node."""
    return page.evaluate(
        """(id) => echarts.getInstanceByDom(document.querySelector('.qx-chain-map'))
            .getOption().series[0].data.find((d) => d.id === String(id)).strength""",
        link_id,
    )


def test_a_missing_link_turns_in_progress(page, users, chain):  # noqa: F811
    gap = chain["links"]["品牌与电商"]
    shoes = chain["links"]["成品鞋制造"]
    detail = page.base_url + f"/chains/{chain['chain'].pk}/?month=2026-03"
    browser_login(page, "office")

    # 1. Place an enterprise on a link.
    page.goto(page.base_url + f"/chains/links/{shoes.pk}/")
    page.select_option("[data-testid=place-enterprise] select", label="甲镇园区鞋业有限公司")
    page.click("[data-testid=place-enterprise] button")
    expect(page.locator("[data-testid=link-enterprises]")).to_contain_text("甲镇园区鞋业有限公司")

    # The gap is missing on the map and in the table.
    page.goto(detail)
    expect(page.locator(f"[data-testid=state-{gap.pk}]")).to_have_text("缺失")
    expect(page.locator(f"[data-testid=node-{gap.pk}]")).to_have_attribute("data-strength", "missing")
    expect(page.locator("[data-testid=chain-map] canvas").first).to_be_visible()
    assert _map_state(page, gap.pk) == "缺失"

    # 2. Mark the leading firm and record what it buys from outside on the missing link.
    page.click("[data-testid=leaders-link]")
    page.select_option("[data-testid=leader-add] select", label="甲镇园区鞋业有限公司")
    page.click("[data-testid=leader-add] button")
    expect(page.locator("[data-testid=leaders]")).to_contain_text("甲镇园区鞋业有限公司")
    page.click("[data-testid=purchase-add]")
    page.select_option("#id_leader", label="甲镇园区鞋业有限公司")
    page.select_option("#id_link", label="下游 · 品牌与电商")
    page.fill("#id_product", "直播电商代运营")
    page.fill("#id_amount", "600")
    page.select_option("#id_local", "0")
    page.fill("#id_supplier_place", "浙江杭州")
    page.click("main button[type=submit], .card button[type=submit]")
    expect(page.locator("[data-testid=purchases]")).to_contain_text("直播电商代运营")
    page.goto(detail)
    expect(page.locator(f"[data-testid=row-{gap.pk}]")).to_contain_text("直播电商代运营（浙江杭州）")
    expect(page.locator(f"[data-testid=state-{gap.pk}]")).to_have_text("缺失")

    # 3. A new lead for the gap, placed on the link.
    Project.objects.create(code="XS-2026-01", name="直播电商产业园项目", stage="sourcing")
    page.goto(page.base_url + f"/chains/links/{gap.pk}/")
    page.select_option("[data-testid=place-project] select", label="直播电商产业园项目（线索）")
    page.click("[data-testid=place-project] button")
    expect(page.locator("[data-testid=link-projects]")).to_contain_text("直播电商产业园项目")

    # The link is now in progress, on the map and in the table.
    page.goto(detail)
    expect(page.locator(f"[data-testid=state-{gap.pk}]")).to_have_text("推进中")
    expect(page.locator(f"[data-testid=node-{gap.pk}]")).to_have_attribute("data-strength", "in_progress")
    assert _map_state(page, gap.pk) == "推进中"
    for width in (1440, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(detail)
        expect(page.locator("[data-testid=chain-map] canvas").first).to_be_visible()
        screenshot(page, f"chains-map-{width}")
    page.goto(page.base_url + f"/chains/links/{gap.pk}/")
    screenshot(page, "chains-link-390")
    assert page.console_errors == []
