"""Browser tests of serving the enterprises: a visit's demand from intake to a satisfied rating."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import PASSWORD, browser_login, screenshot
from qiangxian.core.choices import OrgUnitKind, Role
from qiangxian.core.models import OrgUnit, User
from qiangxian.service import services
from qiangxian.service.models import Demand

pytestmark = pytest.mark.browser


@pytest.fixture
def bureaus(county, users):
    root = county["units"]["测试县"]
    hr = OrgUnit.objects.create(name="人社局", kind=OrgUnitKind.BUREAU, parent=root)
    finance = OrgUnit.objects.create(name="财政局", kind=OrgUnitKind.BUREAU, parent=root)
    for username, unit in (("hr", hr), ("fin", finance)):
        user = User(username=username, display_name=f"{unit.name}科长", role=Role.BUREAU, org_unit=unit)
        user.set_password(PASSWORD)
        user.save()
    services.routing_rule_save(actor=users["office"], category="labour", lead_unit=hr)
    services.routing_rule_save(actor=users["office"], category="finance", lead_unit=finance)
    return {"hr": hr, "finance": finance}


@pytest.fixture(autouse=True)
def _patient(page):
    """A loaded machine serves a page slowly: give up later than Playwright's 30 s (no step is timed)."""
    page.set_default_timeout(90_000)


def settle(page):
    """Wait until the page and its htmx requests (the inbox badge, the 无事不扰 warning) are done:
    the next step then never overlaps a request still being served, and the database is read only
    when no request is writing it."""
    page.wait_for_load_state("networkidle")


def open_page(page, url):
    page.goto(url, wait_until="networkidle")


def login(page, username):
    """Log in and wait until the login has gone through before opening the next page."""
    settle(page)
    page.context.clear_cookies()
    browser_login(page, username)
    page.wait_for_url(lambda url: "/login/" not in url)
    settle(page)


def act(page, action, **fields):
    form = page.locator(f"[data-testid=form-{action}]")
    for name, value in fields.items():
        if name == "rating":
            form.locator(f"input[name=rating][value={value}]").check()
        else:
            form.locator(f"[name={name}]").fill(value)
    # Wait for the post and its redirect to finish before the test logs in as someone else.
    with page.expect_navigation():
        form.locator(f"[data-testid=do-{action}]").click()
    settle(page)


def test_visit_demand_is_routed_signed_answered_reopened_and_rated(page, county, users, bureaus):
    enterprise = county["enterprises"]["甲镇园区鞋业有限公司"]
    today = dt.date.today().isoformat()

    login(page, "town")
    open_page(page, page.base_url + "/service/visits/new/")
    page.select_option("#id_enterprise", label=enterprise.name)
    settle(page)  # the 无事不扰 check of the chosen enterprise has answered
    page.fill("#id_visited_on", today)
    page.fill("#id_purpose", "一线大走访")
    page.fill("#id_labour", "缝纫车间缺熟练工 30 人")
    page.select_option("#id_demand_category", label="用工")
    page.fill("#id_demand_title", "招不到熟练缝纫工")
    with page.expect_navigation():
        page.click("[data-testid=visit-form] button[type=submit]")
    settle(page)
    assert "人社局" in page.locator("[data-testid=visit-demands]").inner_text()
    demand = Demand.objects.get()
    url = f"{page.base_url}/service/demands/{demand.pk}/"

    # Another unit planning a visit to the same enterprise is warned (无事不扰).
    login(page, "hr")
    open_page(page, page.base_url + "/service/visits/new/")
    page.select_option("#id_enterprise", label=enterprise.name)
    warning = page.locator("[data-testid=visit-warning]")
    warning.wait_for()
    assert "甲镇" in warning.inner_text() and "一线大走访" in warning.inner_text()
    settle(page)
    screenshot(page, "service_visit_warning")

    assert page.locator("[data-testid=inbox-unread]").inner_text() == "1"
    open_page(page, url)
    act(page, "sign")
    assert "签收" in page.locator("[data-testid=demand-state]").inner_text()
    act(page, "answer", answer="已推荐职业学校毕业生 10 人")
    assert "办结" in page.locator("[data-testid=demand-state]").inner_text()

    login(page, "enterprise")
    open_page(page, url)
    act(page, "rate", rating="unsatisfied", comment="只到岗两人")
    assert "不满意" in page.locator("[data-testid=rating]").inner_text()
    act(page, "reopen", reason="仍缺工")
    assert "重办 1 次" in page.locator("[data-testid=demand-state]").inner_text()

    login(page, "hr")
    open_page(page, url)
    act(page, "answer", answer="专场招聘到岗 12 人")

    login(page, "enterprise")
    open_page(page, url)
    act(page, "rate", rating="satisfied", comment="解决了")
    assert page.locator("[data-testid=rating]").inner_text().startswith("满意")
    steps = page.locator("[data-testid=steps]").inner_text()
    for word in ["受理", "交办", "签收", "办结答复", "评价", "重办"]:
        assert word in steps
    screenshot(page, "service_demand_rated")

    login(page, "office")
    open_page(page, page.base_url + f"/service/league/?year={demand.month.year}&month={demand.month.month}")
    row = page.locator("[data-testid=league] tr[data-unit=人社局]")
    assert row.locator("[data-col=received]").inner_text() == "1"
    assert row.locator("[data-col=solved]").inner_text() == "1"
    # Signed and answered the day it was routed: on time by the working-day calendar.
    assert row.locator("[data-col=signed_on_time]").inner_text() == "1"
    assert row.locator("[data-col=answered_on_time]").inner_text() == "1"
    screenshot(page, "service_league")
    assert page.console_errors == []


def test_wrong_unit_returns_and_the_office_reroutes(page, county, users, bureaus):
    enterprise = county["enterprises"]["甲镇纺织有限公司"]
    demand = services.demand_create(
        actor=users["office"], enterprise=enterprise, category="finance", title="招工难"
    )
    url = f"{page.base_url}/service/demands/{demand.pk}/"
    login(page, "fin")
    open_page(page, url)
    act(page, "return", reason="属于用工问题，应由人社局办理")
    assert "已退回办公室" in page.locator(".alert-success").inner_text()
    assert page.url.endswith("/service/my-work/")
    assert Demand.objects.get(pk=demand.pk).state == "returned"

    login(page, "office")
    open_page(page, url)
    assert "应由人社局办理" in page.locator("[data-testid=return-reason]").inner_text()
    form = page.locator("[data-testid=form-route]")
    form.locator("select[name=lead_unit]").select_option(label="人社局")
    with page.expect_navigation():
        form.locator("[data-testid=do-route]").click()
    settle(page)
    assert page.locator("[data-testid=lead-unit]").inner_text().startswith("人社局")
    assert "交办" in page.locator("[data-testid=demand-state]").inner_text()
