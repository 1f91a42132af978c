"""Scale-out: two web instances, each pinned to its own core, against one on one core.

One PostgreSQL database (or SQLite without DATABASE_URL, which then measures its write lock too)
holds the demo county (``manage.py demo``, QX_LOAD_ENTERPRISES enterprises, default 1500). The
50 logged-in users of benchmarks/load.py (sessions made beforehand; 50 keep-alive connections of
wrk, see ``GENERATOR``) read the dashboard, the registry list, the project board and the tier
pool with no think time:

- one gunicorn instance pinned to core 0 (``taskset -c 0``);
- two gunicorn instances, pinned to cores 0 and 1, sharing one QX_VAR_DIR (the file cache and
  media, as deployment.md describes), the connections split evenly between them (a round robin,
  as nginx).

Each instance has the same workers and threads (WEB_WORKERS, default 2; WEB_THREADS, default 4).
The two set-ups alternate for QX_SCALE_ROUNDS rounds (default 2) of QX_SCALE_SECONDS seconds each
(default 30), after a warm-up of each (QX_SCALE_WARM_SECONDS, default 10), and the median requests
per second of each set-up is kept:

- ``BENCH deploy.one_instance_rps``, ``BENCH deploy.two_instances_rps``;
- ``BENCH deploy.scale_out <ratio> ratio``: two over one.

Each measured phase also prints the CPU time the web processes used (``psutil``), per request and
as cores kept busy: on a machine where other work competes for the cores, the requests per
second follow the share of the cores the instances were given, and the CPU figures say whether
the two instances were starved or had nothing more to do; with wrk, also the cores wrk and the
PostgreSQL server's processes kept busy.

The load generator and PostgreSQL are not pinned: they run on the same two cores as the web instances, so
with two instances every core also serves the load generator and the database; the printed load
averages say what else the machine was doing. Loopback only.
"""

from __future__ import annotations

import os
import shutil
import statistics

from _setup import ROOT, report
from _web import free_port, locust, prepare, serve, stop, web_env, wrk

VAR = ROOT / "var" / "bench_scale_out"
# wrk (Debian's package) by default: a load generator in C, it leaves the cores to the web
# instances (on a machine of two cores, what the generator takes, the second instance lacks).
# QX_LOAD_GENERATOR=locust measures with locust as before.
# Every worker process of every instance warms its own templates and caches before the measured
# window: two instances have twice the workers to warm.
WARM_SECONDS = int(os.environ.get("QX_SCALE_WARM_SECONDS", "10"))
GENERATOR = os.environ.get("QX_LOAD_GENERATOR") or ("wrk" if shutil.which("wrk") else "locust")


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _measure(env, sessions, cores: list[str], *, seconds: int, label: str) -> float:
    workers = os.environ.get("WEB_WORKERS", "2")
    ports = [free_port() for _ in cores]
    servers = []
    try:
        for port, core in zip(ports, cores, strict=True):
            servers.append(serve(env, port, workers=workers, cpus=core))
        # Warm every worker's templates and the caches outside the measured window.
        others = ""
        if GENERATOR == "wrk":
            wrk(ports, sessions, seconds=WARM_SECONDS)
            before, database_before = _cpu_seconds(servers), _database_cpu()
            row = wrk(ports, sessions, seconds=seconds)
            cpu = _cpu_seconds(servers) - before
            database = _database_cpu() - database_before
            others = f"; wrk {row['cpu'] / seconds:.2f} cores"
            if database:
                others += f", PostgreSQL {database / seconds:.2f} cores"
            rps, requests = row["rps"], int(row["requests"]) or 1
            failures, p50, p95 = row["bad"], row["p50"], row["p95"]
        else:
            locust(ports, sessions, VAR, mode="peak", seconds=WARM_SECONDS, label=f"-{label}-warm")
            before = _cpu_seconds(servers)
            row = locust(ports, sessions, VAR, mode="peak", seconds=seconds, label=f"-{label}")
            cpu = _cpu_seconds(servers) - before
            rps, requests = float(row["Requests/s"]), int(row["Request Count"]) or 1
            failures, p50, p95 = row["Failure Count"], row["50%"], row["95%"]
    finally:
        for server in servers:
            stop(server)
    print(
        f"  {label}: {len(cores)} instance(s) on core(s) {','.join(cores)}: {rps:.1f} requests/s, "
        f"{failures} failures, p50 {p50} ms, p95 {p95} ms; "
        f"web CPU {cpu:.1f} s ({cpu * 1000 / requests:.0f} ms a request, {cpu / seconds:.2f} cores busy); "
        f"load average {_load()}{others}",
        flush=True,
    )
    return rps


def _database_cpu() -> float:
    """CPU time used so far by the PostgreSQL server's processes on this machine (0 if none)."""
    import psutil

    total = 0.0
    for process in psutil.process_iter(["name"]):
        if process.info["name"] in ("postgres", "postmaster"):
            try:
                times = process.cpu_times()
                total += times.user + times.system
            except psutil.Error:
                continue
    return total


def _cpu_seconds(servers) -> float:
    """CPU time (user + system) used so far by the gunicorn masters and their workers."""
    import psutil

    total = 0.0
    for server in servers:
        try:
            master = psutil.Process(server.pid)
            for process in [master, *master.children(recursive=True)]:
                times = process.cpu_times()
                total += times.user + times.system
        except psutil.NoSuchProcess:
            continue
    return total


def main() -> None:
    if (os.cpu_count() or 1) < 2:
        raise SystemExit("需要至少两个处理器核心")
    env = web_env(VAR)
    sessions = prepare(env, VAR, os.environ.get("QX_BENCH_DATABASE") or "qx_bench_scale_out")
    seconds = int(os.environ.get("QX_SCALE_SECONDS", "30"))
    rounds = int(os.environ.get("QX_SCALE_ROUNDS", "2"))
    print(f"  database {env['DATABASE_URL'].rpartition('@')[2]}; load average before {_load()}", flush=True)
    print(f"  {GENERATOR} and the database are not pinned: they share cores 0 and 1 with the web", flush=True)
    one, two = [], []
    for n in range(rounds):
        # Alternate which set-up goes first so a change in the machine's other load hits both.
        order = [("one", ["0"]), ("two", ["0", "1"])]
        for label, cores in order if n % 2 == 0 else order[::-1]:
            rps = _measure(env, sessions, cores, seconds=seconds, label=f"{label}{n}")
            (one if label == "one" else two).append(rps)
    one_rps, two_rps = statistics.median(one), statistics.median(two)
    report("deploy.one_instance_rps", one_rps, "rps")
    report("deploy.two_instances_rps", two_rps, "rps")
    report("deploy.scale_out", two_rps / one_rps if one_rps else 0.0, "ratio")


if __name__ == "__main__":
    main()
