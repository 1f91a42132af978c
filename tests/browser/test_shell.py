"""The page shell in a real browser: login, lockout, navigation per role, scoped lists."""

from __future__ import annotations

import re

import pytest

from conftest import PASSWORD, browser_login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_and_navigation_per_role(page, users):
    expected = {
        "office": {"首页", "企业库", "系统管理"},
        "town": {"首页", "企业库"},
        "enterprise": {"企业服务"},
    }
    for username, wanted in expected.items():
        browser_login(page, username)
        page.wait_for_url(re.compile(r".*/$"))
        nav = set(page.locator(".qx-sidebar .nav > .nav-item > .nav-link").all_inner_texts())
        assert {label.strip() for label in nav} >= wanted, nav
        assert ("系统管理" in {n.strip() for n in nav}) == ("系统管理" in wanted)
        if username == "enterprise":  # only its own entries, never a government one
            government = {"企业库", "驾驶舱", "运行监测", "项目", "规则", "服务企业", "梯度培育库"}
            assert not government & {label.strip() for label in nav}, nav
        menu = page.locator("[data-testid=user-menu]").inner_text()
        assert users[username].org_unit.name in menu and users[username].get_role_display() in menu
        screenshot(page, f"shell-home-{username}")
        page.locator("[data-testid=user-menu]").click()
        page.get_by_role("button", name="退出登录").click()
        page.wait_for_url(re.compile(r".*/login/.*"))
    assert page.console_errors == []


def test_six_wrong_passwords_stop_the_address_with_a_chinese_message(page, users, django_user_model):
    from django.core.cache import cache

    for _ in range(5):
        browser_login(page, "town", "wrong-password-1")
        assert "用户名或密码不正确" in page.locator("[data-testid=login-error]").inner_text()
    browser_login(page, "town", "wrong-password-1")
    assert page.locator("[data-testid=lockout]").inner_text().strip().endswith("本机地址登录已暂停")
    screenshot(page, "shell-lockout")
    browser_login(page, "town", PASSWORD)
    assert page.locator("[data-testid=lockout]").count() == 1
    # The address lock lapses (here: the counters are cleared); the audit administrator then
    # finds every attempt in the audit trail.
    cache.clear()
    auditor = django_user_model(username="aud", display_name="审计员", role="auditor")
    auditor.set_password(PASSWORD)
    auditor.save()
    browser_login(page, "aud")
    page.goto(page.base_url + "/audit/?kind=login_failed")
    table = page.locator("#qx-list table").inner_text()
    assert table.count("town") >= 5 and "登录失败" in table
    screenshot(page, "shell-audit-login-failures")


def test_town_user_sees_only_its_enterprises(page, county, users):
    browser_login(page, "town")
    page.goto(page.base_url + "/enterprises/")
    table = page.locator("#qx-list table").inner_text()
    assert "甲镇纺织有限公司" in table
    assert "乙镇机械有限公司" not in table
    assert "共 3 条" in page.locator("[data-testid=list-count]").inner_text()
    screenshot(page, "shell-enterprises-town")
    other = county["enterprises"]["乙镇机械有限公司"]
    page.goto(f"{page.base_url}/enterprises/{other.pk}/")
    assert "未找到" in page.locator("[data-testid=error-message]").inner_text()


def test_admin_creates_a_user_with_inline_errors(page, county, users):
    browser_login(page, "admin")
    page.goto(page.base_url + "/system/users/new/")
    page.fill("#id_username", "zhangsan")
    page.fill("#id_display_name", "张三")
    page.select_option("#id_role", "town")
    page.select_option("#id_org_unit", label="统计局")
    page.fill("#id_password", "123")
    page.click("main button[type=submit]")
    errors = page.locator(".invalid-feedback").all_inner_texts()
    assert any("应属于以下类型的单位" in e for e in errors) or any("密码" in e for e in errors), errors
    screenshot(page, "shell-user-form-errors")
    page.select_option("#id_org_unit", label="甲镇")
    page.fill("#id_password", "Strong-pass-2026")
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r".*/system/users/\d+/$"))
    assert "张三" in page.content()
    assert "创建" in page.locator("[data-testid=history]").inner_text()
