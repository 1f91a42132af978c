"""Pages under load: 50 logged-in users on the dashboard, registry list, project board and tier pool.

Builds the demo county (QX_LOAD_ENTERPRISES, default 1500) in a database of its own, serves it
as ``make run`` does (gunicorn gthread workers sized from the cores, production settings, the
file cache), on loopback only, and drives it with locust (benchmarks/locust/pages.py), each
phase bounded in time:

- ``load.p95_10rps``: the 95th percentile (ms) over the four pages with 50 users at about 10
  requests per second in all;
- ``load.peak_rps``: requests per second with 50 users and no think time;
- ``load.tiers_peak_rps``: the same for the tier pool alone.

The users' sessions are made beforehand (no password hashing inside the measured window). The
machine is shared: read the figures as measured under whatever else runs.
"""

from __future__ import annotations

import csv
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from _setup import ROOT, report

VAR = ROOT / "var" / "bench_load"
PAGES = "/dashboard/ /enterprises/ /projects/pipeline/ /tiers/"
READERS = ["leader", "office", "bureau", "park", "town"]
USERS = 50


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "QX_TESTING": "0",
            "DJANGO_DEBUG": "0",
            "QX_VAR_DIR": str(VAR),
            "QX_STATIC_ROOT": str(VAR / "static"),
            "DJANGO_SETTINGS_MODULE": "qiangxian.settings",
        }
    )
    if not env.get("DATABASE_URL", "").startswith("postgres"):
        env["DATABASE_URL"] = f"sqlite:///{VAR / 'db.sqlite3'}"
    return env


def prepare(env: dict[str, str]) -> Path:
    """A fresh database with the demo county and collected static files (QX_BENCH_REUSE=1 keeps
    the previous run's), then 50 new sessions."""
    py = sys.executable
    reuse = os.environ.get("QX_BENCH_REUSE") == "1" and (VAR / "secret_key").exists()
    if env["DATABASE_URL"].startswith("postgres"):
        base, _, _ = env["DATABASE_URL"].rpartition("/")
        env["DATABASE_URL"] = f"{base}/qx_bench_load"
    if reuse:
        env["DJANGO_SECRET_KEY"] = (VAR / "secret_key").read_text().strip()
    else:
        shutil.rmtree(VAR, ignore_errors=True)
        VAR.mkdir(parents=True)
        env["DJANGO_SECRET_KEY"] = secrets.token_urlsafe(40)
        (VAR / "secret_key").write_text(env["DJANGO_SECRET_KEY"])
        if env["DATABASE_URL"].startswith("postgres"):
            import psycopg

            with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
                conn.execute("DROP DATABASE IF EXISTS qx_bench_load WITH (FORCE)")
                conn.execute("CREATE DATABASE qx_bench_load")
        run = lambda *args: subprocess.run([py, "manage.py", *args], cwd=ROOT, env=env, check=True)  # noqa: E731
        run("migrate", "--noinput", "-v0")
        run("collectstatic", "--noinput", "-v0")
        count = os.environ.get("QX_LOAD_ENTERPRISES", "1500")
        run("demo", "--enterprises", count, "--password", "Load-pass-2026!")
    sessions = VAR / "sessions.txt"
    code = (
        "import time\n"
        "from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY\n"
        "from django.contrib.sessions.backends.cached_db import SessionStore\n"
        "from qiangxian.core.models import User\n"
        f"names = {READERS!r}\n"
        "users = {u.username: u for u in User.objects.filter(username__in=names)}\n"
        "keys = []\n"
        f"for i in range({USERS}):\n"
        "    user = users[names[i % len(names)]]\n"
        "    s = SessionStore()\n"
        "    s[SESSION_KEY] = str(user.pk)\n"
        "    s[BACKEND_SESSION_KEY] = 'django.contrib.auth.backends.ModelBackend'\n"
        "    s[HASH_SESSION_KEY] = user.get_session_auth_hash()\n"
        "    s['_qx_seen'] = int(time.time())\n"
        "    s.create()\n"
        "    keys.append(s.session_key)\n"
        f"open({str(sessions)!r}, 'w').write('\\n'.join(keys) + '\\n')\n"
    )
    subprocess.run([py, "manage.py", "shell", "--no-imports", "-c", code], cwd=ROOT, env=env, check=True)
    return sessions


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(env: dict[str, str], port: int) -> subprocess.Popen:
    cores = os.cpu_count() or 2
    workers = os.environ.get("WEB_WORKERS") or str(max(2, cores))
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "qiangxian.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--worker-class",
            "gthread",
            "--workers",
            workers,
            "--threads",
            os.environ.get("WEB_THREADS", "4"),
            # Longer than a paced user's pause (5 s), so the server never closes a connection just
            # as the client reuses it.
            "--keep-alive",
            "20",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("服务器未能启动")


def locust(port: int, sessions: Path, *, mode: str, seconds: int, pages: str = PAGES) -> dict[str, str]:
    """Run one bounded locust phase; returns its aggregated row of statistics."""
    prefix = VAR / f"locust-{mode}-{len(pages.split())}"
    env = dict(os.environ, QX_LOAD_SESSIONS=str(sessions), QX_LOAD_MODE=mode, QX_LOAD_PAGES=pages)
    subprocess.run(
        [
            str(Path(sys.executable).parent / "locust"),
            "-f",
            str(ROOT / "benchmarks" / "locust" / "pages.py"),
            "--headless",
            "--users",
            str(USERS),
            "--spawn-rate",
            str(USERS),
            "--run-time",
            f"{seconds}s",
            "--stop-timeout",
            "10",
            "--host",
            f"http://127.0.0.1:{port}",  # loopback only
            "--csv",
            str(prefix),
            "--only-summary",
            "--loglevel",
            "WARNING",
        ],
        cwd=ROOT,
        env=env,
        check=False,
        timeout=seconds + 60,
        stdout=subprocess.DEVNULL,
    )
    with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        if row["Name"] != "Aggregated":
            print(
                f"  {row['Name']:<22} n={row['Request Count']:>6} fail={row['Failure Count']:>4} "
                f"p50={row['50%']:>6} ms p95={row['95%']:>6} ms {float(row['Requests/s']):.1f}/s",
                flush=True,
            )
    return next(row for row in rows if row["Name"] == "Aggregated")


def main() -> None:
    env = _env()
    sessions = prepare(env)
    port = _free_port()
    server = serve(env, port)
    try:
        seconds = int(os.environ.get("QX_LOAD_SECONDS", "30"))
        # Warm each worker's templates and the caches once, outside the measured phases.
        locust(port, sessions, mode="peak", seconds=5)
        paced = locust(port, sessions, mode="paced", seconds=seconds)
        report("load.p95_10rps", float(paced["95%"]), "ms")
        peak = locust(port, sessions, mode="peak", seconds=seconds)
        report("load.peak_rps", float(peak["Requests/s"]), "rps")
        tiers = locust(port, sessions, mode="peak", seconds=max(10, seconds // 2), pages="/tiers/")
        report("load.tiers_peak_rps", float(tiers["Requests/s"]), "rps")
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
