"""A city of two counties in a real browser: counties side by side, drill-down, and the boundary."""

from __future__ import annotations

import re

import pytest

from conftest import browser_login, screenshot
from qiangxian.core.tests.counties import build_city

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def city(django_user_model):
    return build_city(django_user_model)


def test_city_leader_sees_two_counties_and_drills_into_one(page, city):
    browser_login(page, "city_leader")
    page.wait_for_url(re.compile(r".*/$"))
    page.locator("[data-nav=counties]").click()
    page.wait_for_url(re.compile(r".*/dashboard/counties/$"))
    rows = page.get_by_test_id("county-row")
    assert rows.count() == 2
    names = [rows.nth(i).locator("td").nth(1).inner_text() for i in range(2)]
    # Ranked by growth: 乙县 grew 50%, 甲县 10%.
    assert names == ["乙县", "甲县"]
    assert "50.0%" in rows.nth(0).inner_text() and "10.0%" in rows.nth(1).inner_text()
    screenshot(page, "counties-city")
    rows.nth(1).get_by_test_id("drill").click()
    page.wait_for_url(re.compile(r".*/dashboard/\?scope_kind=county.*"))
    heading = page.locator("h1").inner_text()
    assert "甲县" in heading
    # Read-only: a city user is offered no way to change the county's records.
    page.goto(page.base_url + f"/enterprises/{city['counties']['a']['enterprises'][0].pk}/")
    assert page.locator("a[href$='/edit/']").count() == 0
    screenshot(page, "counties-drill")
    assert page.console_errors == []


def test_county_leader_cannot_reach_the_other_county(page, city):
    b = city["counties"]["b"]
    browser_login(page, "a_leader")
    page.wait_for_url(re.compile(r".*/$"))
    # No link to the side-by-side page, and typed addresses of the other county answer "not found".
    assert page.locator("[data-nav=counties]").count() == 0
    response = page.goto(page.base_url + "/dashboard/counties/")
    assert response.status == 403
    for path in (
        f"/enterprises/{b['enterprises'][0].pk}/",
        f"/projects/{b['project'].pk}/",
        f"/enterprises/clusters/{b['cluster'].pk}/",
        f"/system/units/{b['town'].pk}/",
    ):
        response = page.goto(page.base_url + path)
        assert response.status in (403, 404), path
        assert "乙县" not in page.content()
    page.goto(page.base_url + f"/dashboard/?scope_kind=county&scope_id={b['county'].pk}")
    assert "乙县" not in page.content()
    assert "甲县" in page.locator("h1").inner_text()
    # Every link on the county's own pages stays inside it.
    page.goto(page.base_url + "/enterprises/")
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    assert not [h for h in hrefs if f"/enterprises/{b['enterprises'][0].pk}/" in h]
    screenshot(page, "counties-county-leader")
