"""Two web instances on one PostgreSQL database: a session opened on one is honoured by the other.

Two real gunicorn processes are started on two ports against the test database, each with a
cache of its own in memory, so nothing but the database joins them: the login happens on the
first, the next pages are asked of the second with the same cookie.
"""

from __future__ import annotations

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


def test_a_session_opened_on_one_instance_is_honoured_by_the_other(users):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://...): two processes share one database")
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DJANGO_SECRET_KEY": "two-web-test-secret-key-0123456789abcdef-0123",
        "DJANGO_DEBUG": "1",
        "QX_TESTING": "1",  # the test's password hasher; each process then has its own memory cache
    }
    ports = [_free_port(), _free_port()]
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
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect)
        first, second = (f"http://127.0.0.1:{p}" for p in ports)
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
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
