"""Two web instances on one PostgreSQL database, as several hosts behind nginx.

Two real gunicorn processes are started on two ports against the test database. First each with a
cache of its own in memory, so nothing but the database joins them: a session opened on the first
is honoured by the second. Then both on one QX_VAR_DIR with the file cache there (shared storage,
docs/deployment.md): an uploaded file, an import's checked file and a cached dashboard are seen
alike through either instance.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from .test_two_workers import _database_url

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[3]
PASSWORD = "Qx-test-pass-2026"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(port: int, process) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(process.stderr.read().decode("utf-8", "replace")[-2000:])
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5)
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"port {port} did not answer")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@contextlib.contextmanager
def _instances(env: dict[str, str], count: int = 2):
    """``count`` gunicorn instances (one worker each) on free loopback ports; yields their base URLs."""
    ports = [_free_port() for _ in range(count)]
    servers = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "qiangxian.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--timeout",
                "120",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for port in ports
    ]
    try:
        for port, server in zip(ports, servers, strict=True):
            _wait(port, server)
        yield [f"http://127.0.0.1:{p}" for p in ports]
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()


def _env(**extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DJANGO_SECRET_KEY": "two-web-test-secret-key-0123456789abcdef-0123",
        "DJANGO_DEBUG": "1",
        "QX_TESTING": "1",  # the test's password hasher; each process then has its own memory cache
        **extra,
    }


def _needs_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://...): two processes share one database")


def test_a_session_opened_on_one_instance_is_honoured_by_the_other(users):
    _needs_postgresql()
    with _instances(_env()) as (first, second):
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect)
        page = opener.open(f"{first}/login/", timeout=60).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        form = urllib.parse.urlencode(
            {"username": "leader", "password": PASSWORD, "csrfmiddlewaretoken": token}
        ).encode()
        request = urllib.request.Request(f"{first}/login/", data=form, headers={"Referer": f"{first}/login/"})
        try:
            opener.open(request, timeout=60)
        except urllib.error.HTTPError as answer:
            assert answer.code == 302, answer.code  # signed in: sent on to the home page
        assert any(c.name == "sessionid" for c in jar)

        # The same cookie, the other instance: the page is served, not the login page.
        answer = opener.open(f"{second}/me/roles/", timeout=60)
        assert answer.status == 200
        assert "角色与权限" in answer.read().decode()
        # And a stranger without the cookie is sent to sign in there.
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.build_opener(_NoRedirect).open(f"{second}/me/roles/", timeout=60)
        assert refused.value.code == 302 and "/login/" in refused.value.headers["Location"]


def _signed_in(base: str, username: str):
    """A requests session signed in through the login form of the instance at ``base``."""
    import requests

    browser = requests.Session()
    page = browser.get(f"{base}/login/", timeout=60).text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    answer = browser.post(
        f"{base}/login/",
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{base}/login/"},
        allow_redirects=False,
        timeout=60,
    )
    assert answer.status_code == 302, answer.status_code
    return browser


def _post(browser, url: str, data: dict, files: dict | None = None):
    """A form posted as the page would: the CSRF token from the cookie, no redirect followed."""
    headers = {"X-CSRFToken": browser.cookies.get("csrftoken", ""), "Referer": url}
    return browser.post(url, data=data, files=files, headers=headers, allow_redirects=False, timeout=120)


def _trend_table(html: str) -> str:
    found = re.search(r'<table[^>]*data-testid="trend-table".*?</table>', html, flags=re.S)
    assert found, "the dashboard shows no monthly table"
    return found.group(0)


def test_two_instances_share_files_and_cached_figures(county, users, settings):
    """One QX_VAR_DIR for both instances (files and the file cache), as on several hosts.

    A progress-report attachment uploaded through the first is downloaded through the second; the
    dashboard the second has built and cached is built again once an import committed through the
    first changes its figures; the import's file, checked on the second, is committed by the first
    from the shared directory.
    """
    _needs_postgresql()
    from qiangxian.statistics import services as statistics_services
    from qiangxian.statistics.models import ImportBatch
    from qiangxian.statistics.tests.factories import seed_facts
    from qiangxian.supervision.models import Meeting, ProgressReport, Task

    seed_facts(county)
    task = Task.objects.create(
        title="梳理签约未开工项目",
        lead_unit=county["units"]["统计局"],
        meeting=Meeting.objects.create(title="工业强县领导小组会议", held_on=dt.date(2026, 2, 20)),
        starts_on=dt.date(2026, 1, 1),
        deadline=dt.date(2026, 12, 31),
    )
    profile = statistics_services.default_profiles(actor=users["office"])["stats"]
    shared = Path(settings.VAR_DIR)
    env = _env(QX_VAR_DIR=str(shared), DJANGO_SETTINGS_MODULE="qiangxian.core.tests.shared_var_settings")
    with _instances(env) as (first, second):
        browser = _signed_in(first, "office")

        # (a) A file uploaded through the first instance is read through the second.
        content = "第一季度推进情况：已完成 3 个项目的土地预审。".encode() + os.urandom(64)
        answer = _post(
            browser,
            f"{first}/supervision/tasks/{task.pk}/",
            {"action": "report", "month": "2026-02", "progress": "按计划推进"},
            files={"attachment": ("进展附件.pdf", content, "application/pdf")},
        )
        assert answer.status_code == 302, answer.text[-2000:]
        report = ProgressReport.objects.get(task=task)
        assert (shared / "media" / report.attachment.name).read_bytes() == content
        downloaded = browser.get(
            f"{second}/supervision/tasks/{task.pk}/reports/{report.pk}/file/", timeout=60
        )
        assert downloaded.status_code == 200
        assert downloaded.content == content

        # (b) The second instance builds the dashboard and keeps it in the shared cache...
        dashboard = f"{second}/dashboard/?month=2026-03"
        before = _trend_table(browser.get(dashboard, timeout=60).text)
        assert any((shared / "cache").iterdir()), "the board was not kept in the shared cache"
        assert _trend_table(browser.get(dashboard, timeout=60).text) == before

        # ...an import is checked on the second (its file kept in the shared directory) and
        # committed through the first...
        headers, _, _ = statistics_services.template_rows(profile)
        firm = county["enterprises"]["甲镇园区鞋业有限公司"]
        from qiangxian.statistics.tests.factories import xlsx

        sheet = xlsx(headers, [[firm.uscc, firm.name, 98765] + [None] * (len(headers) - 3)])
        answer = _post(
            browser,
            f"{second}/statistics/imports/new/",
            {"profile": profile.pk, "month": "2026-03"},
            files={"file": (sheet.name, sheet.read(), sheet.content_type)},
        )
        assert answer.status_code == 302, answer.text[-2000:]
        batch = ImportBatch.objects.latest("pk")
        answer = _post(browser, f"{first}/statistics/imports/{batch.pk}/commit/", {"confirm_names": "on"})
        assert answer.status_code == 302
        batch.refresh_from_db()
        assert batch.status == ImportBatch.Status.COMMITTED, batch.status
        assert batch.updated == 1

        # ...and the second instance shows the new figures, not the board it kept.
        after = _trend_table(browser.get(dashboard, timeout=60).text)
        assert after != before
