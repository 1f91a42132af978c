"""Shared fixtures: a small county with one user per role, and a browser for page tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from qiangxian.core.choices import OrgUnitKind, Role

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
PASSWORD = "Qx-test-pass-2026"


@pytest.fixture(autouse=True)
def _own_var_dir(settings, tmp_path):
    """Each test keeps its files (stored imports, exports) apart: parallel workers share var/ and
    their test databases number batches alike, so two workers would write the same batch-1.xlsx."""
    settings.VAR_DIR = tmp_path / "var"
    settings.VAR_DIR.mkdir()
    settings.MEDIA_ROOT = settings.VAR_DIR / "media"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The cache holds login counters per address and cached pages: no test inherits another's."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def county(db):
    """A county with two towns, a park with two zones, two bureaus and enterprises spread over them."""
    from qiangxian.core.models import OrgUnit
    from qiangxian.enterprises.models import Enterprise
    from qiangxian.enterprises.uscc import make_uscc

    units = {}

    def unit(name, kind, parent=None):
        units[name] = OrgUnit.objects.create(name=name, kind=kind, parent=parent)
        return units[name]

    root = unit("测试县", OrgUnitKind.COUNTY)
    jxj = unit("经信局", OrgUnitKind.BUREAU, root)
    unit("统计局", OrgUnitKind.BUREAU, root)
    unit("领导小组办公室", OrgUnitKind.OFFICE, jxj)
    town_a = unit("甲镇", OrgUnitKind.TOWN, root)
    town_b = unit("乙镇", OrgUnitKind.TOWN, root)
    park = unit("工业园", OrgUnitKind.PARK, root)
    zone_1 = unit("东片区", OrgUnitKind.ZONE, park)
    unit("西片区", OrgUnitKind.ZONE, park)
    other_park = unit("食品园", OrgUnitKind.PARK, root)

    layout = [
        # (name, town, park, zone, above_scale, industry)
        ("甲镇园区鞋业有限公司", town_a, park, zone_1, True, "1952"),
        ("甲镇纺织有限公司", town_a, None, None, False, "1713"),
        ("甲镇食品有限公司", town_a, other_park, None, True, "1431"),
        ("乙镇机械有限公司", town_b, park, None, True, "3311"),
        ("乙镇电子有限公司", town_b, None, None, False, "3911"),
    ]
    enterprises = {}
    for i, (name, town, p, z, above, industry) in enumerate(layout):
        enterprises[name] = Enterprise.objects.create(
            uscc=make_uscc("9", "1", "361129", f"T{i:07d}"),
            name=name,
            town=town,
            park=p,
            zone=z,
            above_scale=above,
            industry_code=industry,
        )
    own = enterprises["甲镇园区鞋业有限公司"]
    own_unit = unit(own.name, OrgUnitKind.ENTERPRISE, town_a)
    own.org_unit = own_unit
    own.save()
    return {"units": units, "enterprises": enterprises}


@pytest.fixture
def users(county, django_user_model):
    """One user per role, placed in the county fixture's units."""
    u = county["units"]
    spec = {
        "admin": (Role.ADMIN, u["经信局"]),
        "leader": (Role.LEADER, u["测试县"]),
        "office": (Role.OFFICE, u["领导小组办公室"]),
        "bureau": (Role.BUREAU, u["统计局"]),
        "park": (Role.PARK, u["工业园"]),
        "zone": (Role.PARK, u["东片区"]),
        "town": (Role.TOWN, u["甲镇"]),
        "enterprise": (Role.ENTERPRISE, u["甲镇园区鞋业有限公司"]),
    }
    result = {}
    for username, (role, unit) in spec.items():
        user = django_user_model(username=username, display_name=f"{username}用户", role=role, org_unit=unit)
        user.set_password(PASSWORD)
        user.save()
        result[username] = user
    return result


# --- browser ---------------------------------------------------------------------------------

CHROMIUM = os.environ.get("QX_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"找不到浏览器 {CHROMIUM}：请先运行 scripts/ensure-browser.sh 安装 chromium 和 fonts-noto-cjk。"
        )
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield instance
        instance.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser page with console errors collected (CSP violations show up there)."""
    context = browser.new_context(
        locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 1366, "height": 860}
    )
    pg = context.new_page()
    pg.console_errors = []
    pg.on("console", lambda msg: pg.console_errors.append(msg.text) if msg.type == "error" else None)
    pg.base_url = live_server.url
    yield pg
    context.close()


def screenshot(pg, name: str) -> Path:
    """Save a screenshot as a test artifact (artifacts/screenshots/NAME.png)."""
    target = ARTIFACTS / "screenshots" / f"{name}.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(target), full_page=True)
    return target


def browser_login(pg, username: str, password: str = PASSWORD):
    pg.goto(pg.base_url + "/login/")
    pg.fill("#id_username", username)
    pg.fill("#id_password", password)
    pg.click("button[type=submit]")
