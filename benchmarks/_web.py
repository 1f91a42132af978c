"""Shared by the benchmarks that serve the platform over HTTP (load.py, scale_out.py).

``prepare`` builds the demo county in a database of its own and makes logged-in sessions
beforehand (no password hashing inside a measured window); ``serve`` starts gunicorn as
``make run`` does (gthread workers, production settings, the file cache under the run's var
directory), on loopback only, optionally pinned to some cores; ``locust`` drives one bounded
phase of benchmarks/locust/pages.py against one or several ports (round robin by user).
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

from _setup import ROOT

PAGES = "/dashboard/ /enterprises/ /projects/pipeline/ /tiers/"
READERS = ["leader", "office", "bureau", "park", "town"]
USERS = 50


def web_env(var: Path) -> dict[str, str]:
    """Production settings with everything the run writes (cache, media, static) under ``var``."""
    env = dict(os.environ)
    env.update(
        {
            "QX_TESTING": "0",
            "DJANGO_DEBUG": "0",
            "QX_VAR_DIR": str(var),
            "QX_STATIC_ROOT": str(var / "static"),
            "DJANGO_SETTINGS_MODULE": "qiangxian.settings",
        }
    )
    if not env.get("DATABASE_URL", "").startswith("postgres"):
        env["DATABASE_URL"] = f"sqlite:///{var / 'db.sqlite3'}"
    return env


def prepare(env: dict[str, str], var: Path, database: str, *, users: int = USERS) -> Path:
    """A fresh database with the demo county and collected static files (QX_BENCH_REUSE=1 keeps
    the previous run's), then ``users`` new sessions, one key a line in the returned file.

    ``database`` names the PostgreSQL database (with DATABASE_URL on PostgreSQL); on SQLite the
    database is a file under ``var``.
    """
    py = sys.executable
    reuse = os.environ.get("QX_BENCH_REUSE") == "1" and (var / "secret_key").exists()
    postgres = env["DATABASE_URL"].startswith("postgres")
    if postgres:
        base, _, _ = env["DATABASE_URL"].rpartition("/")
        env["DATABASE_URL"] = f"{base}/{database}"
    if reuse:
        env["DJANGO_SECRET_KEY"] = (var / "secret_key").read_text().strip()
    else:
        shutil.rmtree(var, ignore_errors=True)
        var.mkdir(parents=True)
        env["DJANGO_SECRET_KEY"] = secrets.token_urlsafe(40)
        (var / "secret_key").write_text(env["DJANGO_SECRET_KEY"])
        if postgres:
            import psycopg

            with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
                conn.execute(f"CREATE DATABASE {database}")
        run = lambda *args: subprocess.run([py, "manage.py", *args], cwd=ROOT, env=env, check=True)  # noqa: E731
        run("migrate", "--noinput", "-v0")
        run("collectstatic", "--noinput", "-v0")
        count = os.environ.get("QX_LOAD_ENTERPRISES", "1500")
        run("demo", "--enterprises", count, "--password", "Load-pass-2026!")
    sessions = var / "sessions.txt"
    code = (
        "import time\n"
        "from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY\n"
        "from django.contrib.sessions.backends.cached_db import SessionStore\n"
        "from qiangxian.core.models import User\n"
        f"names = {READERS!r}\n"
        "users = {u.username: u for u in User.objects.filter(username__in=names)}\n"
        "keys = []\n"
        f"for i in range({users}):\n"
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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(
    env: dict[str, str], port: int, *, workers: str | None = None, cpus: str | None = None
) -> subprocess.Popen:
    """gunicorn on 127.0.0.1:``port``; ``cpus`` (e.g. "0") pins the master and its workers there."""
    cores = os.cpu_count() or 2
    workers = workers or os.environ.get("WEB_WORKERS") or str(max(2, cores))
    command = [
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
    ]
    if cpus is not None:
        command = ["taskset", "-c", cpus, *command]  # forked workers inherit the affinity
    server = subprocess.Popen(command, cwd=ROOT, env=env)
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


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def locust(
    ports: int | list[int],
    sessions: Path,
    var: Path,
    *,
    mode: str,
    seconds: int,
    pages: str = PAGES,
    users: int = USERS,
    label: str = "",
) -> dict[str, str]:
    """Run one bounded locust phase; returns its aggregated row of statistics.

    With several ports, each simulated user is given the next port in turn (a round robin as a
    reverse proxy would do it), so the users are split evenly between the instances.
    """
    ports = [ports] if isinstance(ports, int) else list(ports)
    prefix = var / f"locust-{mode}-{len(pages.split())}{label}"
    hosts = " ".join(f"http://127.0.0.1:{port}" for port in ports)  # loopback only
    env = dict(
        os.environ,
        QX_LOAD_SESSIONS=str(sessions),
        QX_LOAD_MODE=mode,
        QX_LOAD_PAGES=pages,
        QX_LOAD_HOSTS=hosts,
    )
    subprocess.run(
        [
            str(Path(sys.executable).parent / "locust"),
            "-f",
            str(ROOT / "benchmarks" / "locust" / "pages.py"),
            "--headless",
            "--users",
            str(users),
            "--spawn-rate",
            str(users),
            "--run-time",
            f"{seconds}s",
            "--stop-timeout",
            "10",
            "--host",
            hosts.split()[0],
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


def wrk(
    ports: int | list[int],
    sessions: Path,
    *,
    seconds: int,
    pages: str = PAGES,
    users: int = USERS,
) -> dict[str, float]:
    """One bounded phase of wrk (a load generator in C, a small fraction of locust's CPU a request)
    with ``users`` keep-alive connections split evenly over the ports, as a reverse proxy's round
    robin would; each request goes out as soon as the last on its connection returned.

    Returns requests per second, requests, responses other than 200, p50/p95 in ms (the first
    port's: every port gets the same load) and the CPU seconds wrk itself used.
    """
    ports = [ports] if isinstance(ports, int) else list(ports)
    env = dict(os.environ, QX_LOAD_SESSIONS=str(sessions), QX_LOAD_PAGES=pages)
    script = str(ROOT / "benchmarks" / "wrk" / "pages.lua")
    share = max(1, users // len(ports))
    import resource

    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    runs = [
        subprocess.Popen(
            [
                "wrk",
                "-t1",
                f"-c{share}",
                f"-d{seconds}s",
                "--timeout",
                "30s",
                "-s",
                script,
                f"http://127.0.0.1:{port}",
            ],
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        for port in ports
    ]
    result = {"rps": 0.0, "requests": 0, "bad": 0, "p50": 0.0, "p95": 0.0}
    for index, run in enumerate(runs):
        out, _ = run.communicate(timeout=seconds + 60)
        for line in out.splitlines():
            words = line.split()
            if line.startswith("Requests/sec:"):
                result["rps"] += float(words[1])
            elif "requests in" in line:
                result["requests"] += int(words[0])
            elif words[:1] == ["bad"]:
                result["bad"] += int(words[1])
            elif words[:1] == ["p50"] and index == 0:
                result["p50"], result["p95"] = float(words[1]), float(words[3])
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    used = children.ru_utime + children.ru_stime
    result["cpu"] = used - (children_before.ru_utime + children_before.ru_stime)
    return result
