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


def phone_shots(page, name: str) -> None:
    """At 390 px: the whole page, and the first screen on its own (what a phone shows at once)."""
    page.set_viewport_size({"width": 390, "height": 844})
    full = screenshot(page, name)
    page.screenshot(path=str(full.with_name(f"{name}-top.png")))


def _tier_tab(page, firm, on: str | None = None):
    page.goto(page.base_url + f"/enterprises/{firm.pk}/")
    page.click("[data-testid=tab-tiers]")
    expect(page.locator("[data-testid=tier-panel]")).to_be_visible()
    if on is not None:
        page.fill("[data-testid=panel-date]", on)
        page.click("[data-testid=panel-date-submit]")
        expect(page.locator("[data-testid=panel-as-of]")).to_contain_text(f"评价日期 {on}")


def test_tier_tab_on_a_chosen_date_shows_the_version_in_force(page, users, candidate):
    browser_login(page, "office")
    page.set_viewport_size({"width": 1440, "height": 900})
    _tier_tab(page, candidate, "2026-03-31")
    expect(page.locator("[data-testid=version-srdi_sme]")).to_have_text("（2022版）")
    expect(page.locator("[data-testid=version-little_giant]")).to_have_text("（2022版）")
    _tier_tab(page, candidate, "2026-04-01")
    expect(page.locator("[data-testid=version-srdi_sme]")).to_have_text("（2026版）")
    expect(page.locator("[data-testid=version-little_giant]")).to_have_text("（2026版）")
    srdi = page.locator("[data-testid=tier-check-srdi_sme]")
    expect(srdi).to_contain_text("2.4% ≥ 3.0%")
    screenshot(page, "tiers-tab-on-date-1440")
    phone_shots(page, "tiers-tab-on-date-390")
    assert page.console_errors == []


def test_pool_lists_pending_confirmations_and_records_them_in_bulk(page, users, candidate):
    compliance = next(t for t, _ in tier_defs.judgement_texts() if t.startswith("产品（服务）不属于国家禁止"))
    AssessmentJudgement.objects.filter(enterprise=candidate, criterion=compliance).delete()
    browser_login(page, "office")
    # Not met on R&D whatever the judgement says: near, with the confirmation still to record.
    page.goto(page.base_url + "/tiers/?tier=srdi_sme&list=near")
    row = page.locator("[data-testid=pool-row]", has_text=candidate.name)
    expect(row.locator("[data-testid=confirm]")).to_contain_text(compliance)
    expect(row).to_contain_text(GAP)
    expect(page.locator("[data-testid=bulk-judgement]")).to_contain_text("待确认：")
    screenshot(page, "tiers-pool-pending-1440")
    phone_shots(page, "tiers-pool-pending-390")
    page.set_viewport_size({"width": 1440, "height": 900})
    row.locator("[data-testid=bulk-check]").check()
    page.select_option("#id_bulk-criterion", compliance)
    page.fill("#id_bulk-reason", "经应急、环保部门核查，近三年无重大事故")
    page.click("[data-testid=bulk-submit]")
    expect(page.locator("body")).to_contain_text("已为 1 家企业记录人工判断（符合）")
    # Recorded: nothing left to confirm, the R&D gap remains.
    row = page.locator("[data-testid=pool-row]", has_text=candidate.name)
    expect(row).to_contain_text(GAP)
    expect(row.locator("[data-testid=confirm]")).to_have_count(0)
    assert page.console_errors == []


def test_assessment_page_records_an_award_and_says_which_year_is_read(page, users, candidate):
    browser_login(page, "office")
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(page.base_url + f"/tiers/enterprises/{candidate.pk}/assessment/")
    page.click("[data-testid=read-years] summary")
    expect(page.locator("[data-testid=read-years]")).to_contain_text("专精特新发展质量评价得分")
    expect(page.locator("[data-testid=read-years]")).to_contain_text(f"本年（{dt.date.today().year}年）")
    form = page.locator("[data-testid=form-award]")
    form.locator("#id_award-name").fill("省科学技术进步奖二等奖")
    form.locator("#id_award-level").select_option("provincial")
    form.locator("#id_award-rank").fill("2")
    form.locator("#id_award-awarded_on").fill("2025-03-01")
    form.locator("button[type=submit]").click()
    expect(page.locator("[data-testid=awards]")).to_contain_text("省科学技术进步奖二等奖")
    expect(page.locator("[data-testid=awards]")).to_contain_text("第2")
    screenshot(page, "tiers-assessment-1440")
    phone_shots(page, "tiers-assessment-390")
    assert page.console_errors == []
