"""Pages of the core: login, lockout, system administration, history, jobs, health."""

from __future__ import annotations

import re

import pytest
from django.test import override_settings
from django.urls import reverse

from conftest import PASSWORD
from qiangxian.core.models import BackgroundJob

pytestmark = pytest.mark.django_db

ADMIN_PAGES = [
    "core:user_list",
    "core:orgunit_list",
    "core:user_create",
    "core:orgunit_create",
]


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("enterprises:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:login"))


def test_login_page_is_chinese(client):
    html = client.get(reverse("core:login")).content.decode()
    assert '<html lang="zh-CN">' in html
    assert "用户名" in html and "密码" in html


@pytest.mark.parametrize("page", ADMIN_PAGES)
@pytest.mark.parametrize(
    "role,allowed",
    [
        ("admin", True),
        ("office", True),
        ("leader", False),
        ("bureau", False),
        ("park", False),
        ("town", False),
        ("enterprise", False),
    ],
)
def test_admin_pages_permission_matrix(users, client, page, role, allowed):
    client.force_login(users[role])
    response = client.get(reverse(page))
    # An enterprise user never reaches a government page: the gate answers 404 before the view.
    refused = 404 if role == "enterprise" else 403
    assert response.status_code == (200 if allowed else refused)


def test_navigation_follows_role(users, client):
    client.force_login(users["town"])
    nav = {item["key"] for item in client.get("/").context["nav_items"]}
    assert "admin" not in nav and "enterprises" in nav
    client.force_login(users["office"])
    nav = {item["key"] for item in client.get("/").context["nav_items"]}
    assert {"admin", "enterprises", "home"} <= nav


def test_every_module_has_its_place_in_the_navigation_order():
    from qiangxian.core import navigation

    # A module left out of the order would fall to the bottom, below the administrators' entries.
    assert set(navigation._registry) <= set(navigation.MODULE_ORDER)


def test_wrong_passwords_stop_the_address_first(users, client):
    from qiangxian.core.choices import AuditKind
    from qiangxian.core.models import AuditEvent

    url = reverse("core:login")
    for _ in range(5):
        response = client.post(url, {"username": "town", "password": "wrong-password"})
        assert response.status_code == 200
        assert "用户名或密码不正确" in response.content.decode()
    response = client.post(url, {"username": "town", "password": "wrong-password"})
    assert response.status_code == 429
    assert "本机地址登录已暂停" in response.content.decode()
    # Even the right password is refused from that address, for any account.
    assert client.post(url, {"username": "park", "password": PASSWORD}).status_code == 429
    # From another desk the account is not locked: five failures are not enough for that.
    response = client.post(url, {"username": "town", "password": PASSWORD}, REMOTE_ADDR="10.0.0.8")
    assert response.status_code == 302
    failures = AuditEvent.objects.filter(kind=AuditKind.LOGIN_FAILED, username="town")
    assert failures.count() == 5
    assert AuditEvent.objects.filter(kind=AuditKind.LOGIN, username="town", ip="10.0.0.8").count() == 1


def test_many_failures_from_many_addresses_lock_the_account(users, client):
    url = reverse("core:login")
    for i in range(10):
        client.post(url, {"username": "town", "password": "wrong-password"}, REMOTE_ADDR=f"10.0.1.{i}")
    response = client.post(url, {"username": "town", "password": PASSWORD}, REMOTE_ADDR="10.0.2.1")
    assert response.status_code == 429
    assert "账号已锁定" in response.content.decode()
    # Another account from another address is not affected.
    assert (
        client.post(url, {"username": "park", "password": PASSWORD}, REMOTE_ADDR="10.0.2.2").status_code
        == 302
    )


def test_security_administrator_lifts_a_lockout(users, client, django_user_model):
    security = django_user_model.objects.create_user("sec", password=PASSWORD, role="security")
    url = reverse("core:login")
    for i in range(10):
        client.post(url, {"username": "town", "password": "nope-nope"}, REMOTE_ADDR=f"10.0.3.{i}")
    # The system administrator no longer handles lockouts: that is the security administrator's.
    client.force_login(users["admin"])
    assert client.get(reverse("core:login_logs")).status_code == 403
    assert client.post(reverse("core:user_unlock"), {"username": "town"}).status_code == 403
    client.force_login(security)
    html = client.get(reverse("core:login_logs")).content.decode()
    assert "town" in html and "解除锁定" in html
    client.post(reverse("core:user_unlock"), {"username": "town"})
    client.logout()
    response = client.post(url, {"username": "town", "password": PASSWORD}, REMOTE_ADDR="10.0.4.1")
    assert response.status_code == 302


def test_user_created_in_page_with_inline_errors(county, users, client):
    client.force_login(users["office"])
    response = client.post(
        reverse("core:user_create"),
        {
            "username": "newtown",
            "display_name": "新用户",
            "role": "town",
            "org_unit": county["units"]["统计局"].pk,
            "password": "Strong-pass-2026",
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "应属于以下类型的单位" in response.content.decode()
    response = client.post(
        reverse("core:user_create"),
        {
            "username": "newtown",
            "display_name": "新用户",
            "role": "town",
            "org_unit": county["units"]["甲镇"].pk,
            "password": "Strong-pass-2026",
            "is_active": "on",
        },
    )
    assert response.status_code == 302


def test_unit_page_shows_history(county, users, client):
    client.force_login(users["office"])
    unit = county["units"]["乙镇"]
    client.post(
        reverse("core:orgunit_edit", args=[unit.pk]),
        {
            "name": "乙镇（新）",
            "kind": "town",
            "parent": county["units"]["测试县"].pk,
            "code": "",
            "sort_order": 0,
            "is_active": "on",
        },
    )
    html = client.get(reverse("core:orgunit_detail", args=[unit.pk])).content.decode()
    assert "乙镇（新）" in html and "修改前" in html and "office用户" in html


def test_enterprise_edit_shows_in_history(county, users, client):
    client.force_login(users["office"])
    enterprise = county["enterprises"]["甲镇纺织有限公司"]
    response = client.get(reverse("enterprises:edit", args=[enterprise.pk]))
    form = response.context["form"]
    data = {k: ("" if v is None else getattr(v, "pk", v)) for k, v in form.initial.items()}
    data.update({"short_name": "甲纺", "version": form.initial.get("version") or form["version"].value()})
    data = {k: v for k, v in data.items() if v is not False}
    assert client.post(reverse("enterprises:edit", args=[enterprise.pk]), data).status_code == 302
    html = client.get(reverse("enterprises:detail", args=[enterprise.pk])).content.decode()
    assert "甲纺" in html and "简称" in html and "office用户" in html


def test_stale_edit_is_refused(county, users, client):
    client.force_login(users["office"])
    enterprise = county["enterprises"]["甲镇纺织有限公司"]
    form = client.get(reverse("enterprises:edit", args=[enterprise.pk])).context["form"]
    data = {k: ("" if v is None else getattr(v, "pk", v)) for k, v in form.initial.items()}
    data = {k: v for k, v in data.items() if v is not False}
    data["version"] = form["version"].value()
    first = dict(data, short_name="第一次")
    second = dict(data, short_name="第二次")
    assert client.post(reverse("enterprises:edit", args=[enterprise.pk]), first).status_code == 302
    response = client.post(reverse("enterprises:edit", args=[enterprise.pk]), second)
    assert response.status_code == 200
    assert "已被他人修改" in response.content.decode()
    enterprise.refresh_from_db()
    assert enterprise.short_name == "第一次"


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


def test_security_headers(users, client):
    client.force_login(users["leader"])
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@override_settings(QX_EXPORT_SYNC_LIMIT=2)
def test_large_export_runs_as_a_job_with_progress(county, users, client):
    from python_calamine import CalamineWorkbook

    client.force_login(users["office"])
    response = client.get(reverse("enterprises:list") + "?export=xlsx&sort=name")
    assert response.status_code == 302
    job = BackgroundJob.objects.get(owner=users["office"])
    assert response["Location"] == reverse("core:job_detail", args=[job.pk])
    assert job.status == "succeeded" and job.percent == 100
    page = client.get(response["Location"]).content.decode()
    assert "下载结果" in page
    download = client.get(reverse("core:job_download", args=[job.pk]))
    data = b"".join(download.streaming_content)
    rows = CalamineWorkbook.from_filelike(__import__("io").BytesIO(data)).get_sheet_by_index(0).to_python()
    assert [r[0] for r in rows[1:]] == sorted(county["enterprises"])
    # Someone else's job is not found.
    client.force_login(users["leader"])
    assert client.get(reverse("core:job_detail", args=[job.pk])).status_code == 404


@override_settings(QX_EXPORT_SYNC_LIMIT=2)
def test_a_job_export_is_kept_in_the_default_storage(county, users, client, settings):
    """The generated file goes through the storage API (a shared directory or an S3 store), so the
    host that serves the download need not be the worker that wrote it."""
    from django.core.files.storage import default_storage

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    client.force_login(users["office"])
    client.get(reverse("enterprises:list") + "?export=xlsx&sort=name")
    job = BackgroundJob.objects.get(owner=users["office"])
    assert job.status == "succeeded" and job.result_file.startswith("exports/")
    assert default_storage.exists(job.result_file)
    assert not any(settings.VAR_DIR.rglob("*.xlsx"))  # nothing left on the worker's own disk
    with default_storage.open(job.result_file, "rb") as kept:
        content = kept.read()
    assert content.startswith(b"PK")  # an .xlsx (zip) file
    download = client.get(reverse("core:job_download", args=[job.pk]))
    assert b"".join(download.streaming_content) == content
    assert download["Content-Disposition"].startswith("attachment")
    default_storage.delete(job.result_file)
    assert client.get(reverse("core:job_download", args=[job.pk])).status_code == 404


def test_list_links_keep_filters_and_work(county, users, client, settings):
    settings.QX_PAGE_SIZE = 2
    client.force_login(users["office"])
    html = client.get(reverse("enterprises:list") + "?above_scale=true").content.decode()
    assert "??" not in html
    sort_link = re.search(r'href="(\?[^"]*sort=name[^"]*)"', html).group(1).replace("&amp;", "&")
    assert "above_scale=true" in sort_link
    export_link = re.search(r'data-testid="export-xlsx" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert export_link.startswith("?") and "above_scale=true" in export_link
    next_link = re.search(r'href="(\?[^"]*page=2[^"]*)"', html).group(1).replace("&amp;", "&")
    page_two = client.get(reverse("enterprises:list") + next_link)
    assert page_two.status_code == 200 and page_two.context["page_obj"].number == 2
