"""The enterprise's portal in a real browser: an enterprise registers from the login page, its town
approves, it logs in to its portal, sees the policy it qualifies for, raises a demand and rates the
answer; the portal holds at 1440 px and on a 390×844 phone without horizontal scrolling."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD, browser_login, screenshot
from qiangxian.core.choices import OrgUnitKind, Role
from qiangxian.core.models import OrgUnit, User
from qiangxian.policies.tests.conftest import AS_OF, make_figures, version_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
FIRM_PASSWORD = "Qx-firm-pass-2026"


@pytest.fixture
def county_ready(county, users):
    """A published clause the textile firm meets (revenue last year ≥ 500万), matched; labour → 人社局."""
    from qiangxian.policies import services as policies
    from qiangxian.service import services as service

    make_figures(county)
    unit = county["units"]["经信局"]
    policy = policies.policy_save(
        actor=users["office"],
        data={"title": "稳增长十条", "effective_from": AS_OF.replace(month=1, day=1), "level": "county"},
        responsible_units=[unit],
    )
    policies.clause_save(
        actor=users["office"],
        policy=policy,
        data={
            "title": "规模企业稳产奖励",
            **version_data(
                eligibility="营业收入@上年 >= 500万",
                quote="上年营业收入500万元以上的，奖励20万元。",
                review_unit=unit,
                paying_unit=unit,
            ),
        },
    )
    policies.policy_publish(actor=users["office"], policy=policy)
    policies.run_matching(actor=users["office"], as_of=AS_OF)
    hr = OrgUnit.objects.create(name="人社局", kind=OrgUnitKind.BUREAU, parent=county["units"]["测试县"])
    officer = User(username="hr", display_name="人社局科长", role=Role.BUREAU, org_unit=hr)
    officer.set_password(PASSWORD)
    officer.save()
    service.routing_rule_save(actor=users["office"], category="labour", lead_unit=hr)
    return {"hr": officer}


def _login(page, username, password=PASSWORD):
    page.context.clear_cookies()
    browser_login(page, username, password)
    page.wait_for_url(lambda url: "/login/" not in url)


def test_an_enterprise_registers_is_approved_sees_its_policy_raises_a_demand_and_rates(
    page, county, users, county_ready
):
    from qiangxian.service import services as service
    from qiangxian.service.models import Demand

    firm = county["enterprises"]["甲镇纺织有限公司"]
    page.goto(page.base_url + "/login/")
    page.click("[data-testid=register-link]")
    page.fill("#id_uscc", firm.uscc)
    page.fill("#id_contact_name", "王经理")
    page.fill("#id_phone", "13905551234")
    page.fill("#id_username", "fangzhi")
    page.fill("#id_password", FIRM_PASSWORD)
    page.fill("#id_password2", FIRM_PASSWORD)
    screenshot(page, "portal_register")
    page.click("[data-testid=register-form] button[type=submit]")
    expect(page.locator("[data-testid=register-done]")).to_contain_text("注册申请已提交")

    _login(page, "town")
    page.goto(page.base_url + "/portal/registrations/")
    page.locator("[data-testid=registration-list] a", has_text=firm.name).click()
    page.click("[data-testid=approve]")
    expect(page.locator("[data-testid=registration-state]")).to_have_text("已通过")

    _login(page, "fangzhi", FIRM_PASSWORD)
    assert page.url.endswith("/portal/")
    expect(page.locator("[data-testid=portal-policies]")).to_contain_text("规模企业稳产奖励")
    expect(page.locator("[data-testid=portal-policies]")).to_contain_text("20.00万元")
    nav = page.locator(".qx-sidebar, nav").first.inner_text()
    for government in ("驾驶舱", "运行监测", "企业库", "规则"):
        assert government not in nav

    page.goto(page.base_url + "/portal/demands/")
    page.select_option("#id_category", "labour")
    page.fill("#id_title", "缝纫车间缺熟练工 20 人")
    page.click("[data-testid=portal-demand-form] button[type=submit]")
    page.wait_for_url(lambda url: "/service/demands/" in url)
    demand = Demand.objects.get()
    assert demand.enterprise == firm and demand.lead_unit.name == "人社局"

    hr = county_ready["hr"]
    service.demand_sign(actor=hr, demand=demand)
    service.demand_answer(actor=hr, demand=Demand.objects.get(), answer="已推荐职业学校毕业生 20 人")

    page.goto(page.base_url + "/portal/demands/")
    page.locator("[data-testid=portal-demand-list] a", has_text="去评价").click()
    form = page.locator("[data-testid=form-rate]")
    form.locator("input[name=rating][value=satisfied]").check()
    form.locator("[name=comment]").fill("到岗及时")
    with page.expect_navigation():
        form.locator("[data-testid=do-rate]").click()
    expect(page.locator("[data-testid=rating]")).to_contain_text("满意")
    assert Demand.objects.get().rating == "satisfied"
    assert page.console_errors == []


@pytest.mark.parametrize(
    "width,height,name", [(1440, 900, "portal_home_1440"), (390, 844, "portal_home_390")]
)
def test_the_portal_holds_on_a_desktop_and_a_phone(page, county, users, county_ready, width, height, name):
    from qiangxian.service import services as service

    firm = county["enterprises"]["甲镇园区鞋业有限公司"]
    service.demand_create(actor=users["enterprise"], enterprise=firm, category="labour", title="招工难")
    page.set_viewport_size({"width": width, "height": height})
    _login(page, "enterprise")
    page.goto(page.base_url + "/portal/")
    expect(page.locator("[data-testid=portal-demands]")).to_contain_text("招工难")
    screenshot(page, name)
    pages = ("/portal/", "/portal/policies/", "/portal/figures/", "/portal/demands/", "/portal/record/")
    for url in (*pages, "/portal/tiers/"):
        page.goto(page.base_url + url)
        page.wait_for_load_state()
        document = page.evaluate("document.documentElement.scrollWidth")
        assert document <= width, f"{url}: 页面宽度 {document}px 超过视口 {width}px"
    screenshot(page, name.replace("home", "tiers"))
    assert page.console_errors == []
