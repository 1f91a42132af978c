"""Browser tests of the project pipeline in Debian's Chromium."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from conftest import browser_login, screenshot
from qiangxian.projects.choices import Stage
from qiangxian.projects.models import Problem, Project

pytestmark = pytest.mark.browser
YI = Decimal(100_000_000)


def make(county, name, park="工业园", **fields):
    units = county["units"]
    values = {
        "code": f"XM2026{Project.objects.count() + 1:04d}",
        "name": name,
        "investor_name": "外地投资有限公司",
        "park": units[park],
        "town": units["甲镇"],
        "responsible_unit": units["经信局"],
        "total_investment": 6 * YI,
        "fixed_asset_investment": 5 * YI,
        "size_class": "500m",
        "lead_received_on": dt.date(2026, 1, 5),
        "stage_on": dt.date(2026, 1, 5),
    }
    values.update(fields)
    return Project.objects.create(**values)


def transition(page, label, on, reason=""):
    form = page.locator("[data-testid=form-transition]")
    form.locator("select[name=target]").select_option(label=label)
    form.locator("input[name=on]").fill(on)
    form.locator("input[name=reason]").fill(reason)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()


def test_a_lead_goes_through_every_stage(page, users, county):
    browser_login(page, "office")
    page.goto(page.base_url + "/projects/new/")
    page.fill("#id_name", "年产5GWh锂电池项目")
    page.fill("#id_investor_name", "深圳新能科技有限公司")
    page.fill("#id_total_investment", "60000")
    page.select_option("#id_park", label="工业园")
    page.click("main button[type=submit]:has-text('保存')")
    page.wait_for_load_state()
    assert page.locator("[data-testid=stage]").inner_text() == "线索"
    today = dt.date.today().isoformat()
    for label in ["在谈", "签约", "开工", "在建", "竣工", "投产", "达效"]:
        transition(page, label, today)
        assert page.locator("[data-testid=stage]").inner_text() == label, page.content()[:2000]
    timeline = page.locator("[data-testid=stage-timeline]").inner_text()
    for label in ["线索", "在谈", "签约", "开工", "在建", "竣工", "投产", "达效"]:
        assert label in timeline
    project = Project.objects.get(name="年产5GWh锂电池项目")
    assert project.stage == Stage.AT_CAPACITY and project.size_class == "500m"
    screenshot(page, "projects-lead-every-stage")
    assert page.console_errors == []


def test_an_invalid_transition_is_refused_in_chinese(page, users, county):
    project = make(county, "未签约项目")
    browser_login(page, "office")
    page.goto(page.base_url + f"/projects/{project.pk}/")
    transition(page, "投产", dt.date.today().isoformat())
    errors = page.locator("[data-testid=form-transition] [data-testid=form-errors]").inner_text()
    assert "项目尚未开工，不能登记投产。请先登记开工。" in errors
    transition(page, "在谈", "2025-12-01")
    errors = page.locator("[data-testid=form-transition] [data-testid=form-errors]").inner_text()
    assert errors.count("阶段变更日期不能早于上一次阶段变更日期（2026-01-05）。") == 1
    assert Project.objects.get(pk=project.pk).stage == Stage.SOURCING
    screenshot(page, "projects-invalid-transition")


def test_a_signed_project_turns_yellow_then_red_as_months_pass(page, users, county):
    project = make(
        county,
        "签约未开工项目",
        stage=Stage.SIGNED,
        signed_on=dt.date(2026, 1, 10),
        start_deadline=dt.date(2026, 3, 31),
        stage_on=dt.date(2026, 1, 10),
    )
    browser_login(page, "office")

    def evaluate(month):
        page.goto(page.base_url + "/projects/pipeline/")
        page.fill("[data-testid=recompute-form] input[name=month]", month)
        page.click("[data-testid=recompute-form] button[type=submit]")
        page.wait_for_load_state()
        return page.locator(
            f"[data-stage=signed] [data-testid=card]:has-text('{project.name}')"
        ).get_attribute("data-light")

    assert evaluate("2026-03") == "green"
    assert evaluate("2026-05") == "yellow"
    screenshot(page, "projects-light-yellow")
    assert evaluate("2026-07") == "red"
    page.goto(page.base_url + f"/projects/{project.pk}/")
    assert page.locator("[data-testid=light]").get_attribute("data-light") == "red"
    reasons = page.locator("[data-testid=light-reasons]").inner_text()
    assert "签约未开工" in reasons and "2026-03-31" in reasons
    screenshot(page, "projects-light-red")
    assert page.console_errors == []


def test_a_problem_is_raised_routed_overdue_and_solved(page, users, county):
    project = make(
        county,
        "在建项目",
        stage=Stage.BUILDING,
        signed_on=dt.date(2025, 1, 1),
        started_on=dt.date(2025, 3, 1),
    )
    browser_login(page, "office")
    page.goto(page.base_url + f"/projects/{project.pk}/")
    page.click("[data-testid=tab-problems]")
    form = page.locator("[data-testid=form-problem]")
    form.locator("input[name=title]").fill("专线供电未接入")
    form.locator("select[name=category]").select_option(label="水电气配套")
    form.locator("select[name=owner_unit]").select_option(label="统计局")
    form.locator("input[name=deadline]").fill(dt.date.today().isoformat())
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert "已提出问题，交统计局办理。" in page.content()
    problem = Problem.objects.get(title="专线供电未接入")
    # Time passes: the deadline is now behind us.
    Problem.objects.filter(pk=problem.pk).update(deadline=dt.date.today() - dt.timedelta(days=3))

    page.context.clear_cookies()
    browser_login(page, "bureau")
    page.goto(page.base_url + "/projects/problems/")
    assert "统计局" in page.locator("[data-testid=overdue-by-unit]").inner_text()
    assert "已超期" in page.locator("#qx-list").inner_text()
    screenshot(page, "projects-problem-overdue")
    page.click("text=专线供电未接入")
    page.wait_for_load_state()
    assert page.locator("[data-testid=problem-status]").inner_text() == "已超期"
    page.fill("[data-testid=form-note] input[name=text]", "已协调供电公司排期施工")
    page.click("[data-testid=form-note] button[type=submit]")
    page.wait_for_load_state()
    assert "已协调供电公司排期施工" in page.locator("[data-testid=notes]").inner_text()
    page.fill("[data-testid=form-solve] textarea[name=solution]", "专线已接入并通电")
    page.click("[data-testid=form-solve] button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("[data-testid=problem-status]").inner_text() == "已解决"
    assert "专线已接入并通电" in page.locator("[data-testid=solution]").inner_text()
    screenshot(page, "projects-problem-solved")
    assert page.console_errors == []


def test_a_park_user_sees_only_its_parks_projects(page, users, county):
    own = make(county, "工业园锂电项目")
    other = make(county, "食品园饮料项目", park="食品园")
    browser_login(page, "park")
    page.goto(page.base_url + "/projects/list/")
    listing = page.locator("#qx-list").inner_text()
    assert own.name in listing and other.name not in listing
    page.goto(page.base_url + "/projects/pipeline/")
    board = page.locator("[data-testid=board]").inner_text()
    assert own.name in board and other.name not in board
    screenshot(page, "projects-park-scope")
    response = page.goto(page.base_url + f"/projects/{other.pk}/")
    assert response.status == 404
    assert "未找到该页面或记录，或您无权查看。" in page.content()
