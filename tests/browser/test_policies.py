"""Policies in a real browser: publish from pasted text, match, 免申即享 to payment, 快申快享 returned
then approved, and the sandbox."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from conftest import browser_login, screenshot
from qiangxian.policies.tests.conftest import make_figures, version_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = (
    "一、鼓励研发投入。对上年度研发费用超过５００万元的企业，一次性奖励二十万元。（责任单位：经信局）\n"
    "二、本措施自发布之日起施行。"
)


def _logout(page):
    page.context.clear_cookies()


def test_publish_from_text_match_confirm_approve_pay(page, county, users):
    from qiangxian.policies.models import Application, Policy

    make_figures(county)
    browser_login(page, "office")
    page.goto(page.base_url + "/policies/draft/")
    page.fill("#id_text", TEXT)
    page.fill("#id_title", "研发投入奖励办法")
    page.click("[data-testid=draft-preview]")
    expect(page.locator("[data-testid=proposals] tbody tr")).to_have_count(1)
    assert "研发费用" in page.locator("[data-testid=proposals]").inner_text()
    page.click("[data-testid=draft-save]")
    expect(page.locator("[data-testid=policy-status]")).to_have_text("草稿")
    # Correct the drafted clause: 免申即享, reviewed and paid by 经信局, then publish.
    page.locator("[data-testid=clauses] a", has_text="修改").first.click()
    page.select_option("#id_mode", "auto_grant")
    page.select_option("#id_review_unit", label="经信局")
    page.select_option("#id_paying_unit", label="经信局")
    page.click("[data-testid=save-clause]")
    expect(page.locator(".alert-success")).to_contain_text("条款已保存")
    page.goto(page.base_url + f"/policies/{Policy.objects.get().pk}/")
    page.click("[data-testid=publish]")
    expect(page.locator("[data-testid=policy-status]")).to_have_text("已发布")

    page.goto(page.base_url + "/policies/runs/")
    page.click("[data-testid=run-start]")
    expect(page.locator(".alert-success")).to_contain_text("匹配完成")
    page.click("[data-testid=notify]")
    expect(page.locator(".alert-success")).to_contain_text("已向 2 家次企业推送")
    screenshot(page, "policies-run")
    _logout(page)

    browser_login(page, "enterprise")
    page.goto(page.base_url + "/policies/mine/")
    expect(page.locator("[data-testid=can-get]")).to_contain_text("研发费用")
    page.locator("[data-testid=enterprise-applications] a").first.click()
    page.fill("#id_bank_name", "县农村商业银行")
    page.fill("#id_bank_account", "6228480012345678")
    page.click("[data-testid=confirm]")
    expect(page.locator("[data-testid=app-status]")).to_have_text("待审核")
    app_url = page.url
    _logout(page)

    browser_login(page, "office")
    page.goto(app_url)
    page.click("[data-testid=approve]")
    expect(page.locator("[data-testid=app-status]")).to_have_text("审核通过")
    page.fill("#id_voucher_number", "CZ2026001")
    page.click("[data-testid=pay]")
    expect(page.locator("[data-testid=app-status]")).to_have_text("已拨付")
    _logout(page)

    browser_login(page, "enterprise")
    page.goto(page.base_url + "/policies/mine/")
    expect(page.locator("[data-testid=enterprise-applications]")).to_contain_text("已到账")
    screenshot(page, "policies-enterprise-paid")
    assert Application.objects.get(enterprise__name="甲镇园区鞋业有限公司").payment.amount == Decimal(200_000)
    assert not page.console_errors


def test_quick_application_returned_then_approved(page, county, users):
    from qiangxian.policies import services

    unit = county["units"]["经信局"]
    policy = services.policy_save(
        actor=users["office"], data={"title": "技改补助办法", "effective_from": dt.date(2026, 1, 1)}
    )
    version = services.clause_save(
        actor=users["office"],
        policy=policy,
        data={
            "title": "技术改造补助",
            **version_data(
                eligibility="营业收入@上年 >= 0",
                benefit_kind="rate",
                benefit_rate=Decimal("0.1"),
                mode="quick_application",
                cap_per_enterprise_year=Decimal(1_000_000),
                review_unit=unit,
                paying_unit=unit,
                review_days=10,
                documents_required=["设备发票"],
            ),
        },
    )
    services.policy_publish(actor=users["office"], policy=policy)
    browser_login(page, "enterprise")
    page.goto(page.base_url + f"/policies/clauses/{version.clause_id}/")
    page.click("[data-testid=quick-apply]")
    page.fill("#id_bank_name", "县农村商业银行")
    page.fill("#id_bank_account", "6228480012345678")
    page.fill("#id_declared_base", "3000000")
    page.click("[data-testid=submit-application]")
    expect(page.locator("[data-testid=app-status]")).to_have_text("待审核")
    app_url = page.url
    _logout(page)

    browser_login(page, "office")
    page.goto(app_url)
    page.fill("#id_ret-reason", "请补充设备发票")
    page.click("[data-testid=return]")
    expect(page.locator("[data-testid=app-status]")).to_have_text("退回修改")
    _logout(page)

    browser_login(page, "enterprise")
    page.goto(app_url)
    expect(page.locator("[data-testid=return-reason]")).to_have_text("请补充设备发票")
    page.set_input_files(
        "#id_file", files=[{"name": "发票.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4"}]
    )
    page.fill("#id_kind", "设备发票")
    page.click("[data-testid=upload]")
    expect(page.locator("[data-testid=evidence]")).to_contain_text("发票.pdf")
    page.click("[data-testid=resubmit]")
    expect(page.locator("[data-testid=app-status]")).to_have_text("待审核")
    _logout(page)

    browser_login(page, "office")
    page.goto(app_url)
    page.click("[data-testid=approve]")
    expect(page.locator("[data-testid=app-status]")).to_have_text("审核通过")
    screenshot(page, "policies-quick-approved")


def test_sandbox_shows_who_changes(page, county, users):
    from qiangxian.policies import services

    make_figures(county)
    policy = services.policy_save(
        actor=users["office"], data={"title": "研发奖励", "effective_from": dt.date(2026, 1, 1)}
    )
    version = services.clause_save(
        actor=users["office"], policy=policy, data={"title": "研发投入奖励", **version_data()}
    )
    services.policy_publish(actor=users["office"], policy=policy)
    browser_login(page, "office")
    page.goto(page.base_url + f"/policies/sandbox/?clause={version.clause_id}")
    page.fill("#id_eligibility", "研发费用@上年 >= 400万")
    page.click("[data-testid=sandbox-run]")
    expect(page.locator("[data-testid=gained]")).to_contain_text("甲镇纺织有限公司")
    expect(page.locator("[data-testid=sandbox-outcome]")).to_contain_text("符合 3 家")
    screenshot(page, "policies-sandbox")
