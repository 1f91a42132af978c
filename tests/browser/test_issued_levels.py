"""What a city issues, in a real browser at desk and phone widths: the city office's schemes,
routing rules and settings pages, and the county office reading them as issued by the city."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from conftest import browser_login, screenshot
from qiangxian.core.tests.counties import build_city

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Values that would mean a raw code or an empty value reached the page.
RAW = re.compile(r"\b(None|adopted|draft|finance|labour|True|False)\b")


@pytest.fixture
def city(django_user_model):
    data = build_city(django_user_model)
    from qiangxian.land.models import Scheme
    from qiangxian.land.services import evaluation
    from qiangxian.service.services.demands import routing_rule_save

    Scheme.objects.filter(county=data["counties"]["a"]["county"]).delete()
    office = data["users"]["city_office"]
    data["scheme"] = evaluation.scheme_adopt(
        actor=office, scheme=evaluation.scheme_create(actor=office, year=2025)
    )
    routing_rule_save(actor=office, category="finance", lead_name="经信局", supporting_names=["统计局"])
    return data


def _visit(page, path, name):
    for width, height in ((1440, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        response = page.goto(page.base_url + path)
        assert response.status == 200, path
        text = page.locator("body").inner_text()
        assert not RAW.search(text), (path, RAW.search(text).group(0))
        screenshot(page, f"{name}-{width}")
    return text


def test_the_city_office_issues_and_a_county_office_reads(page, city):
    browser_login(page, "city_office")
    page.wait_for_url(re.compile(r".*/$"))
    text = _visit(page, "/land/schemes/", "levels-city-schemes")
    assert "本级" in text and "甲县" not in text
    _visit(page, f"/land/schemes/{city['scheme'].pk}/", "levels-city-scheme")
    text = _visit(page, "/service/rules/", "levels-city-rules")
    assert "经信局" in text and "甲县经信局" not in text
    _visit(page, "/statistics/settings/", "levels-city-monitor-settings")
    _visit(page, "/reports/", "levels-city-reports")
    assert page.console_errors == []

    page.context.clear_cookies()
    browser_login(page, "a_office")
    page.wait_for_url(re.compile(r".*/$"))
    text = _visit(page, "/land/schemes/", "levels-county-schemes")
    assert "市级方案（测试市发布）" in text and "本县适用" in text
    text = _visit(page, f"/land/schemes/{city['scheme'].pk}/", "levels-county-scheme")
    assert "市级方案（测试市发布）" in text and "复制为本级草稿" in text
    assert page.get_by_role("button", name="启用", exact=True).count() == 0
    text = _visit(page, "/service/rules/", "levels-county-rules")
    assert "市级规则（测试市发布）" in text
    assert page.console_errors == []


@pytest.fixture
def issued(city):
    """A city policy, target, cluster with its chain, custom rule and a city-led task."""
    import datetime as dt
    from decimal import Decimal

    from qiangxian.chains.models import Chain, ChainLink
    from qiangxian.core.models import OrgUnit
    from qiangxian.enterprises.models import Cluster
    from qiangxian.policies.models import Policy
    from qiangxian.rules.services import custom_rule_create
    from qiangxian.statistics.models import Target
    from qiangxian.supervision.models import Task

    town = city["city"]
    office = OrgUnit.objects.get(parent=town, kind="office")
    city["policy"] = Policy.objects.create(
        title="测试市工业企业技术改造补助办法",
        issuer=town,
        issuer_name="测试市人民政府",
        level="city",
        effective_from=dt.date(2026, 1, 1),
        status="published",
    )
    Target.objects.create(
        indicator="gross_output",
        year=2026,
        scope_kind="county",
        scope_id=city["counties"]["a"]["county"].pk,
        value=Decimal(300_000_000),
        note="测试市下达工业总产值目标",
        issuer=office,
    )
    cluster = Cluster.objects.create(name="测试市电子信息集群", industry_codes=["3911"], issuer=town)
    city["chain"] = Chain.objects.create(cluster=cluster, name="测试市电子信息产业链")
    city["link"] = ChainLink.objects.create(chain=city["chain"], segment="midstream", name="电子元件制造")
    city["cluster"] = cluster
    custom_rule_create(
        actor=city["users"]["city_office"],
        name="测试市研发强度达标",
        expression="研发费用@上年 / 营业收入@上年 >= 3%",
    )
    city["task"] = Task.objects.create(
        title="测试市重点技改任务", lead_unit=town, deadline=dt.date(2026, 12, 31)
    )
    return city


def _no_sideways_scroll(page, path):
    """Neither the page nor the table's own scroll box is wider than the phone's screen."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, (path, width)
    box = page.get_by_test_id("rules").locator("xpath=..")
    inner, shown = box.evaluate("b => [b.scrollWidth, b.clientWidth]")
    assert inner <= shown, (path, inner, shown)


def test_a_county_office_reads_what_the_city_issued_labelled_and_read_only(page, issued):
    browser_login(page, "a_office")
    page.wait_for_url(re.compile(r".*/$"))
    pages = [
        ("/policies/list/", "issued-county-policies", "市级政策（测试市发布）"),
        (f"/policies/{issued['policy'].pk}/", "issued-county-policy", "市级政策（测试市发布）"),
        ("/statistics/targets/?month=2026-03", "issued-county-targets", "市级目标（测试市发布）"),
        ("/enterprises/clusters/", "issued-county-clusters", "市级集群（测试市发布）"),
        (f"/enterprises/clusters/{issued['cluster'].pk}/", "issued-county-cluster", "市级集群（测试市发布）"),
        ("/rules/saved/", "issued-county-rules", "市级规则（测试市发布）"),
        (f"/chains/{issued['chain'].pk}/", "issued-county-chain", "市级产业链（测试市发布）"),
        (f"/chains/links/{issued['link'].pk}/", "issued-county-link", "市级产业链（测试市发布）"),
        ("/supervision/", "issued-county-tasks", "市级督办事项（测试市发布）"),
        (f"/supervision/tasks/{issued['task'].pk}/", "issued-county-task", "市级督办事项（测试市发布）"),
    ]
    for path, name, label in pages:
        text = _visit(page, path, name)
        assert label in text, path
    # No edit buttons on what the city issued.
    page.goto(page.base_url + f"/policies/{issued['policy'].pk}/")
    assert page.get_by_role("link", name="编辑", exact=True).count() == 0
    page.goto(page.base_url + f"/enterprises/clusters/{issued['cluster'].pk}/")
    assert page.get_by_test_id("cluster-edit").count() == 0
    page.goto(page.base_url + f"/supervision/tasks/{issued['task'].pk}/")
    assert page.get_by_role("link", name="编辑", exact=True).count() == 0
    # The routing rules hold on a phone: no sideways scrolling.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(page.base_url + "/service/rules/")
    _no_sideways_scroll(page, "/service/rules/")
    assert page.get_by_test_id("rules").is_visible()
    assert page.console_errors == []


def test_the_city_office_publishes_a_policy_and_a_county_below_matches_it(page, city):
    """The city office writes and publishes a policy through the pages; county A's office reads it
    labelled as the city's, without buttons, and its matching run meets its own enterprises."""
    from qiangxian.policies.models import Clause, Policy

    browser_login(page, "city_office")
    page.wait_for_url(re.compile(r".*/$"))
    _visit(page, "/policies/list/", "levels-city-policies")
    page.set_viewport_size({"width": 1440, "height": 900})
    page.click("[data-testid=policy-create]")
    page.fill("#id_title", "测试市高新技术企业奖励办法")
    page.fill("#id_issuer_name", "测试市人民政府")
    page.select_option("#id_level", "city")
    page.fill("#id_effective_from", "2026-01-01")
    for width, height in ((1440, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        screenshot(page, f"levels-city-policy-form-{width}")
    page.set_viewport_size({"width": 1440, "height": 900})
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator(".alert-success")).to_contain_text("政策已保存")
    policy = Policy.objects.get(title="测试市高新技术企业奖励办法")
    assert policy.issuer_id == city["city"].pk
    page.get_by_role("link", name="新增条款", exact=True).click()
    page.fill("#id_title", "高新技术企业奖励")
    page.fill("#id_quote", "对本市高新技术企业给予一次性奖励2万元。")
    page.fill("#id_eligibility", '持有("高新技术企业")')
    page.select_option("#id_benefit_kind", "fixed")
    page.fill("#id_benefit_amount", "20000")
    page.click("[data-testid=save-clause]")
    expect(page.locator(".alert-success")).to_contain_text("条款已保存")
    page.goto(page.base_url + f"/policies/{policy.pk}/")
    page.click("[data-testid=publish]")
    expect(page.locator("[data-testid=policy-status]")).to_have_text("已发布")
    text = _visit(page, f"/policies/{policy.pk}/", "levels-city-policy")
    assert "市级政策（" not in text  # its own level's policy carries no label
    # Matching and grants stay the counties': the city office is offered no run.
    page.goto(page.base_url + "/policies/runs/")
    assert page.locator("[data-testid=run-start]").count() == 0
    assert page.console_errors == []

    page.context.clear_cookies()
    browser_login(page, "a_office")
    page.wait_for_url(re.compile(r".*/$"))
    text = _visit(page, "/policies/list/", "levels-county-city-policies")
    assert "市级政策（测试市发布）" in text
    text = _visit(page, f"/policies/{policy.pk}/", "levels-county-city-policy")
    assert "市级政策（测试市发布）" in text
    assert page.get_by_role("link", name="编辑", exact=True).count() == 0
    assert page.locator("[data-testid=publish]").count() == 0
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(page.base_url + "/policies/runs/")
    page.click("[data-testid=run-start]")
    expect(page.locator(".alert-success")).to_contain_text("匹配完成")
    clause = Clause.objects.get(policy=policy)
    text = _visit(page, f"/policies/clauses/{clause.pk}/", "levels-county-city-clause")
    own = [e.name for e in city["counties"]["a"]["enterprises"]]
    others = [e.name for e in city["counties"]["b"]["enterprises"]]
    assert all(name in text for name in own), text
    assert not any(name in text for name in others)
    assert page.console_errors == []
