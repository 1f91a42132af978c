"""The three administrators' pages in a real browser, at desk and phone widths."""

from __future__ import annotations

import pytest

from conftest import PASSWORD, browser_login, screenshot
from qiangxian.core.page_check import raw_values

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = {
    "sec": ["/security/", "/system/roles/", "/security/lockouts/", "/security/tokens/", "/me/password/"],
    "aud": ["/audit/"],
    "admin": ["/system/roles/"],
}


@pytest.fixture
def administrators(users, django_user_model, county):
    from qiangxian.core import security, services

    made = {}
    for name, role in (("sec", "security"), ("aud", "auditor")):
        user = django_user_model(
            username=name, display_name=f"{name}用户", role=role, org_unit=county["units"]["经信局"]
        )
        user.set_password(PASSWORD)
        user.save()
        made[name] = user
    # Something to see: a pending role change, a token, an export in the audit trail.
    security.role_change_request(
        actor=users["admin"],
        user=users["bureau"],
        new_role="office",
        new_unit=county["units"]["领导小组办公室"],
        reason="借调",
    )
    services.api_token_create(actor=users["office"], name="统计局对接", scope="write")
    return {**users, **made}


def test_pages_at_desk_and_phone_width(page, administrators):
    for name, urls in PAGES.items():
        browser_login(page, name)
        for url in urls:
            for width in (1440, 390):
                page.set_viewport_size({"width": width, "height": 900})
                page.goto(page.base_url + url)
                html = page.content()
                assert raw_values(html, usernames=("sec", "aud", "admin", "office", "bureau")) == [], url
                assert "服务器错误" not in html
                # Nothing wider than the phone's screen.
                overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
                assert overflow <= 1, (url, width, overflow)
                slug = url.strip("/").replace("/", "-") or "home"
                screenshot(page, f"admin-{name}-{slug}-{width}")
        page.context.clear_cookies()
    assert page.console_errors == []


def test_security_administrator_approves_in_the_browser(page, administrators):
    browser_login(page, "sec")
    page.goto(page.base_url + "/system/roles/")
    assert "bureau" in page.locator("[data-testid=pending-requests]").inner_text()
    page.get_by_role("button", name="批准").click()
    page.wait_for_load_state()
    assert "已批准" in page.content()
    administrators["bureau"].refresh_from_db()
    assert administrators["bureau"].role == "office"
