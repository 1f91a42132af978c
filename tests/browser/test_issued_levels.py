"""What a city issues, in a real browser at desk and phone widths: the city office's schemes,
routing rules and settings pages, and the county office reading them as issued by the city."""

from __future__ import annotations

import re

import pytest

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
