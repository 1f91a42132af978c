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


def test_a_signed_project_turns_yellow_then_red_as_its_deadline_recedes(page, users, county):
    today = dt.date.today()
    project = make(
        county,
        "签约未开工项目",
        stage=Stage.SIGNED,
        signed_on=today - dt.timedelta(days=200),
        start_deadline=today - dt.timedelta(days=20),
        stage_on=today - dt.timedelta(days=200),
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

    # Whatever month is evaluated, the overdue days are counted as of today.
    assert evaluate("2026-05") == "yellow"
    assert "已超期20天" in page.locator(f"[data-testid=card]:has-text('{project.name}')").inner_text()
    screenshot(page, "projects-light-yellow")
    Project.objects.filter(pk=project.pk).update(start_deadline=today - dt.timedelta(days=120))
    assert evaluate("2026-07") == "red"
    page.goto(page.base_url + f"/projects/{project.pk}/")
    assert page.locator("[data-testid=light]").get_attribute("data-light") == "red"
    reasons = page.locator("[data-testid=light-reasons]").inner_text()
    assert "签约未开工" in reasons and "已超期120天" in reasons
    screenshot(page, "projects-light-red")
    assert page.console_errors == []


def record(page, kind, action, on, text=""):
    page.goto(page.url.split("?")[0] + "?tab=approvals")
    form = page.locator("[data-testid=form-item]")
    form.locator("select[name=item]").select_option(label=kind)
    form.locator("select[name=step]").select_option(label=action)
    form.locator("input[name=on]").fill(on)
    form.locator("input[name=text]").fill(text)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    errors = page.locator("[data-testid=form-item] [data-testid=form-errors]")
    assert errors.count() == 0, errors.inner_text()


def status_of(page, kind):
    return page.locator(f"[data-testid=checklist] tr[data-kind='{kind}']").get_attribute("data-status")


def test_a_signed_projects_checklist_goes_item_by_item_to_the_building_permit(page, users, county):
    from qiangxian.core.choices import OrgUnitKind
    from qiangxian.core.models import OrgUnit
    from qiangxian.core.workdays import working_days_between

    today = dt.date.today()
    OrgUnit.objects.create(name="自然资源局", kind=OrgUnitKind.BUREAU, parent=county["units"]["测试县"])
    project = make(
        county,
        "年产5GWh锂电池项目",
        zone=county["units"]["东片区"],
        stage=Stage.SIGNED,
        signed_on=today - dt.timedelta(days=150),
        stage_on=today - dt.timedelta(days=150),
        start_deadline=today + dt.timedelta(days=40),
    )
    browser_login(page, "office")
    page.goto(page.base_url + f"/projects/{project.pk}/")
    page.click("[data-testid=tab-approvals]")
    form = page.locator("[data-testid=form-checklist]")
    form.locator("select[name=project_kind]").select_option(label="新建工业项目")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert status_of(page, "环评") == "waiting"

    # The zone's regional assessment covers the project's 环评.
    page.goto(page.base_url + "/projects/approvals/regional/")
    regional = page.locator("[data-testid=form-regional]")
    regional.locator("select[name=zone]").select_option(label="东片区")
    regional.locator("select[name=kind]").select_option(label="环评")
    regional.locator("input[name=approved_on]").fill((today - dt.timedelta(days=300)).isoformat())
    regional.locator("input[name=document]").fill("县环审〔2025〕9号")
    regional.locator("button[type=submit]").click()
    page.wait_for_load_state()
    screenshot(page, "approvals-regional")
    page.goto(page.base_url + f"/projects/{project.pk}/?tab=approvals")
    assert status_of(page, "环评") == "inherited"
    assert "东片区区域评估" in page.locator("[data-testid=checklist] tr[data-kind='环评']").inner_text()

    # Item by item: phase 1 and 2 done on time, 规划许可 held too long at 自然资源局.
    early = (today - dt.timedelta(days=120)).isoformat()
    done = (today - dt.timedelta(days=115)).isoformat()
    for kind in ["选址意见/规划条件", "立项（审批/核准/备案）", "用地预审与供地（出让合同）", "能评", "安评",
                 "水土保持", "地灾评估", "供电", "供水", "供气", "排污", "通信"]:  # fmt: skip
        record(page, kind, "申报", early)
        record(page, kind, "办结", done, "批复文号")
        assert status_of(page, kind) == "approved"
    held_since = today - dt.timedelta(days=90)
    record(page, "规划许可", "申报", held_since.isoformat())
    record(page, "规划许可", "受理", held_since.isoformat())
    days = working_days_between(held_since, today)
    assert status_of(page, "规划许可") == "in_progress"
    assert (
        f"规划许可在自然资源局办理已{days}个工作日"
        in page.locator("[data-testid=approval-blocker]").inner_text()
    )
    screenshot(page, "approvals-checklist-overdue")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "approvals-checklist-overdue-390")
    page.set_viewport_size({"width": 1440, "height": 900})

    # The light and the 签约未开工 list show the item, the unit and the days.
    assert page.locator("[data-testid=light]").get_attribute("data-light") == "red"
    reasons = page.locator("[data-testid=light-reasons]").inner_text()
    assert f"手续超时：规划许可在自然资源局已办理{days}个工作日，超过法定时限20个工作日" in reasons
    page.goto(page.base_url + "/projects/signed-not-started/")
    row = page.locator(f"tr:has-text('{project.name}')")
    text = row.inner_text()
    assert "规划许可" in text and "自然资源局" in text and str(days) in text
    screenshot(page, "approvals-signed-not-started")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "approvals-signed-not-started-390")
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(page.base_url + "/projects/pipeline/")
    card = page.locator(f"[data-testid=card]:has-text('{project.name}')")
    assert "规划许可 · 自然资源局" in card.inner_text()

    # On to the building permit.
    page.goto(page.base_url + f"/projects/{project.pk}/")
    record(page, "规划许可", "办结", today.isoformat(), "建字第2026-031号")
    for kind in ["施工图审查", "施工许可"]:
        record(page, kind, "申报", today.isoformat())
        record(page, kind, "办结", today.isoformat(), "许可证号")
    assert status_of(page, "施工许可") == "approved"
    summary = page.locator("[data-testid=approval-summary]").inner_text()
    assert "手续已全部办结" in summary and "16 / 16" in summary.replace("已办结 ", "")
    assert "手续超时" not in (page.locator("[data-testid=light-reasons]").inner_text()
                               if page.locator("[data-testid=light-reasons]").count() else "")  # fmt: skip
    screenshot(page, "approvals-checklist-done")
    page.goto(page.base_url + "/projects/approvals/units/")
    assert "自然资源局" in page.locator("[data-testid=unit-table]").inner_text()
    screenshot(page, "approvals-units")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "approvals-units-390")
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
