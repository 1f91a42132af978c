"""The cultivation pool in a real browser: a tier's near list with gaps, the trace, a plan from the gaps."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from conftest import browser_login, screenshot
from qiangxian.enterprises.models import Designation
from qiangxian.statistics.models import AnnualFact, MonthlyFact
from qiangxian.tiers import tiers as tier_defs
from qiangxian.tiers.models import AssessmentDesignation, AssessmentJudgement, AssessmentValue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WAN = Decimal(10_000)


@pytest.fixture
def candidate(county, users):
    """乙镇机械: every SRDI 2026 condition met except R&D: 2.4% of revenue last year (needs 3%)."""
    firm = county["enterprises"]["乙镇机械有限公司"]
    year = dt.date.today().year
    for y, rd in ((year - 1, 120), (year - 2, 155)):
        MonthlyFact.objects.create(
            enterprise=firm,
            month=dt.date(y, 12, 1),
            source="stats",
            revenue_ytd=5000 * WAN,
            main_revenue_ytd=4750 * WAN,
            rd_expense_ytd=rd * WAN,
            employees_ytd=Decimal(200),
        )
    AnnualFact.objects.create(
        enterprise=firm,
        year=year - 1,
        source="stats",
        total_assets=4000 * WAN,
        total_liabilities=1800 * WAN,
        ip_class1=Decimal(3),
    )
    Designation.objects.create(
        enterprise=firm,
        kind="innovative_sme",
        valid_from=dt.date(year - 1, 7, 1),
        valid_to=dt.date(year + 2, 6, 30),
    )
    office = users["office"]
    AssessmentValue.objects.create(
        enterprise=firm,
        indicator="niche_market_years",
        year=year,
        value=6,
        source_note="企业申报材料",
        entered_by=office,
    )
    AssessmentValue.objects.create(
        enterprise=firm,
        indicator="srdi_quality_score",
        year=year,
        value=68,
        source_note="梯度培育平台",
        entered_by=office,
    )
    for name in ("经营异常名录", "严重失信主体名单"):
        AssessmentDesignation.objects.create(
            enterprise=firm, name=name, held=False, evidence="信用中国查询", recorded_by=office
        )
    for text, _ in tier_defs.judgement_texts():
        AssessmentJudgement.objects.create(
            enterprise=firm,
            criterion=text,
            satisfied=True,
            reason="走访核实",
            judged_on=dt.date.today(),
            judged_by=office,
        )
    return firm


GAP = "上年研发费用占营业收入比重 2.4%，需达到 3.0%，还差 0.6个百分点：约需增加研发费用 30万元"


def test_pool_shows_the_gap(page, users, candidate):
    browser_login(page, "office")
    page.goto(page.base_url + "/tiers/")
    expect(page.locator("[data-testid=tier-tabs]")).to_contain_text("专精特新中小企业")
    page.click("[data-testid=tier-srdi_sme]")
    page.click("[data-testid=list-near]")
    row = page.locator("[data-testid=pool-row]", has_text=candidate.name)
    expect(row).to_contain_text(GAP)
    expect(page.locator("[data-testid=pool-disclaimer]")).to_contain_text("不代表官方认定")
    screenshot(page, "tiers-pool-srdi-near")
    assert page.console_errors == []


def test_trace_on_the_enterprise_page(page, users, candidate):
    browser_login(page, "office")
    page.goto(page.base_url + f"/enterprises/{candidate.pk}/")
    page.click("[data-testid=tab-tiers]")
    panel = page.locator("[data-testid=tier-panel]")
    expect(panel).to_be_visible()
    expect(page.locator("[data-testid=next-tier]")).to_contain_text("专精特新中小企业")
    srdi = page.locator("[data-testid=tier-check-srdi_sme]")
    expect(srdi).to_contain_text("接近标准")
    expect(srdi).to_contain_text(GAP)
    expect(srdi).to_contain_text("统计局数据")
    expect(srdi).to_contain_text("梯度培育平台")
    screenshot(page, "tiers-enterprise-trace")
    assert page.console_errors == []


def test_plan_created_from_the_gaps(page, users, candidate):
    browser_login(page, "office")
    page.goto(page.base_url + "/tiers/?tier=srdi_sme&list=near")
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("[data-testid=pool-row]", has_text=candidate.name).locator(
        "[data-testid=plan-button]"
    ).click()
    page.wait_for_url(re.compile(r".*/enterprises/plans/\d+/$"))
    expect(page.locator("body")).to_contain_text("已按差距生成培育计划")
    expect(page.locator("body")).to_contain_text("补齐差距：" + GAP)
    screenshot(page, "tiers-plan-from-gaps")
    assert page.console_errors == []
