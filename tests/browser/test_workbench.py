"""Each role's workbench in a real browser on the demo county, the phone layout at 390×844, and
the top bar's search.

Every count on a workbench is followed to its list, which must show the same count; the phone
pages are measured (the document never wider than the screen) and photographed.
"""

from __future__ import annotations

import re

import pytest

from conftest import PASSWORD, browser_login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_ROLES = ("admin", "leader", "office", "bureau", "park", "town")
PHONE = {"width": 390, "height": 844}
HREFS = "els => els.map(e => e.getAttribute('href'))"


@pytest.fixture
def demo(db):
    from qiangxian.demo.generator import generate_demo

    return generate_demo(seed=20260101, enterprises=120, password=PASSWORD)


def _list_count(pg) -> int:
    text = pg.locator("[data-testid=list-count]").first.inner_text()
    return int(re.search(r"\d+", text).group(0))


def _workbench_counts(pg) -> list[tuple[str, str, int]]:
    return pg.eval_on_selector_all(
        "[data-testid=wb-item][data-count]",
        "els => els.map(e => [e.dataset.key, e.getAttribute('href'), Number(e.dataset.count)])",
    )


def test_each_demo_role_sees_its_workbench_and_every_count_matches_its_list(page, demo):
    from qiangxian.core.models import User
    from qiangxian.enterprises.models import Enterprise

    seen = {}
    for username in DEMO_ROLES:
        page.context.clear_cookies()
        browser_login(page, username)
        page.wait_for_url(re.compile(r".*/$"))
        assert page.locator("[data-testid=workbench]").count() == 1, username
        screenshot(page, f"workbench-{username}")
        items = _workbench_counts(page)
        assert len(items) >= 5, (username, items)
        seen[username] = {key: n for key, _, n in items}
        for key, href, count in items:
            page.goto(page.base_url + href)
            assert _list_count(page) == count, (username, key, href)
    assert page.console_errors == []
    # The counts are of each role's own scope.
    town = User.objects.get(username="town").org_unit
    park = User.objects.get(username="park").org_unit
    assert seen["office"]["enterprises-total"] == Enterprise.objects.count()
    assert seen["leader"]["enterprises-total"] == Enterprise.objects.count()
    assert seen["town"]["enterprises-total"] == Enterprise.objects.filter(town=town).count()
    assert seen["park"]["enterprises-total"] == Enterprise.objects.filter(park=park).count()
    # The bureau works on what is routed to it; it has no county-wide registry counts.
    assert "demands-mine-open" in seen["bureau"] and "enterprises-total" not in seen["bureau"]
    # The office has the county's overdue work by unit; the leader reads, it does not chase units.
    assert (
        any(k.startswith("demands-overdue-unit-") for k in seen["office"])
        or seen["office"]["demands-overdue"] == 0
    )
    assert not any(k.startswith("demands-overdue-unit-") for k in seen["leader"])


PHONE_PAGES = [
    ("workbench", "/"),
    ("dashboard", "/dashboard/"),
    ("project-board", "/projects/pipeline/"),
    ("registry-list", "/enterprises/"),
    ("demand-list", "/service/"),
    ("visit-form", "/service/visits/new/"),
    ("visit-form-quick", "/service/visits/new/?quick=1"),
    ("demand-form", "/service/demands/new/"),
]


def test_phone_layout_at_390_has_no_horizontal_page_scroll(browser, live_server, demo):
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport=PHONE)
    pg = context.new_page()
    errors = []
    pg.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    pg.base_url = live_server.url
    try:
        browser_login(pg, "office")
        pg.wait_for_url(re.compile(r".*/$"))
        for name, path in PHONE_PAGES:
            pg.goto(pg.base_url + path)
            pg.wait_for_load_state("networkidle")
            width, inner = pg.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            assert width <= inner, (path, width, inner)
            screenshot(pg, f"phone-{name}")
        # Every page of the office's menu fits the phone's width.
        pg.goto(pg.base_url + "/")
        entries = set()
        for top in pg.eval_on_selector_all(".qx-sidebar a.nav-link", HREFS):
            pg.goto(pg.base_url + top)
            entries.update(pg.eval_on_selector_all(".qx-sidebar a.nav-link", HREFS))
        too_wide = []
        for path in sorted(entries):
            pg.goto(pg.base_url + path)
            width, inner = pg.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            if width > inner:
                too_wide.append((path, width))
        assert len(entries) > 40 and too_wide == []
        # The navigation folds behind the menu button.
        pg.goto(pg.base_url + "/")
        assert not pg.locator("[data-testid=sidebar]").is_visible()
        pg.locator("[data-testid=menu-button]").click()
        pg.locator("[data-testid=sidebar] [data-nav=projects]").wait_for(state="visible")
        screenshot(pg, "phone-menu-open")
        # The board shows one stage at a time; the picker changes it.
        pg.goto(pg.base_url + "/projects/pipeline/")
        visible = pg.locator(".qx-board-col:visible")
        assert visible.count() == 1
        picker = pg.locator("[data-testid=stage-picker]")
        values = picker.locator("option").evaluate_all("os => os.map(o => o.value)")
        other = next(v for v in values if v != picker.input_value())
        picker.select_option(other)
        assert visible.count() == 1 and visible.first.get_attribute("data-stage") == other
        # A wide table scrolls inside its card with its first column fixed.
        pg.goto(pg.base_url + "/enterprises/")
        first = pg.locator("#qx-list table td:first-child").first
        assert first.evaluate("e => getComputedStyle(e).position") == "sticky"
        # The forms are one column on the phone.
        pg.goto(pg.base_url + "/service/visits/new/")
        boxes = pg.locator("main form input:visible, main form select:visible, main form textarea:visible")
        lefts = {
            round(b["x"])
            for b in boxes.evaluate_all("els => els.map(e => e.getBoundingClientRect())")
            if b["width"] > 100
        }
        assert len(lefts) == 1, lefts
    finally:
        context.close()
    assert errors == []


def test_wide_screen_keeps_the_side_navigation(page, demo):
    page.set_viewport_size({"width": 1440, "height": 900})
    browser_login(page, "office")
    page.wait_for_url(re.compile(r".*/$"))
    assert page.locator("[data-testid=sidebar]").is_visible()
    assert not page.locator("[data-testid=menu-button]").is_visible()
    for name, path in PHONE_PAGES[:4]:
        page.goto(page.base_url + path)
        screenshot(page, f"wide-{name}")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path


def test_top_bar_search_finds_only_what_the_user_may_see(page, county, users):
    from qiangxian.enterprises.services import pinyin_initials

    for enterprise in county["enterprises"].values():
        enterprise.pinyin_initials = pinyin_initials(enterprise.name)
        enterprise.save(update_fields=["pinyin_initials"])
    browser_login(page, "town")  # 甲镇
    page.wait_for_url(re.compile(r".*/$"))
    box = page.locator("[data-testid=search-input]")
    box.fill("jzfz")
    page.locator("[data-testid=search-hit]").first.wait_for()
    assert "甲镇纺织有限公司" in page.locator("[data-testid=search-suggest]").inner_text()
    box.fill("yzjx")  # 乙镇机械: another town's enterprise
    page.locator("[data-testid=search-none]").wait_for()
    box.fill("有限公司")
    box.press("Enter")
    page.wait_for_url(re.compile(r".*/search/\?q=.*"))
    names = " ".join(page.locator("[data-testid=search-hit]").all_inner_texts())
    assert "甲镇纺织有限公司" in names and "乙镇" not in names
    total = int(page.locator("[data-testid=search-total]").first.inner_text())
    page.locator("[data-testid=search-more]").first.click()
    assert _list_count(page) == total
    screenshot(page, "search-town")
    page.context.clear_cookies()
    browser_login(page, "office")
    page.wait_for_url(re.compile(r".*/$"))
    page.locator("[data-testid=search-input]").fill("yzjx")
    page.locator("[data-testid=search-hit]").first.wait_for()
    assert "乙镇机械有限公司" in page.locator("[data-testid=search-suggest]").inner_text()
