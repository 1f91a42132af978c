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

import os

from _setup import ROOT, report
from _web import free_port, locust, prepare, serve, stop, web_env

VAR = ROOT / "var" / "bench_load"


def main() -> None:
    env = web_env(VAR)
    sessions = prepare(env, VAR, os.environ.get("QX_BENCH_DATABASE") or "qx_bench_load")
    port = free_port()
    server = serve(env, port)
    try:
        seconds = int(os.environ.get("QX_LOAD_SECONDS", "30"))
        # Warm each worker's templates and the caches once, outside the measured phases.
        locust(port, sessions, VAR, mode="peak", seconds=5)
        paced = locust(port, sessions, VAR, mode="paced", seconds=seconds)
        report("load.p95_10rps", float(paced["95%"]), "ms")
        peak = locust(port, sessions, VAR, mode="peak", seconds=seconds)
        report("load.peak_rps", float(peak["Requests/s"]), "rps")
        tiers = locust(port, sessions, VAR, mode="peak", seconds=max(10, seconds // 2), pages="/tiers/")
        report("load.tiers_peak_rps", float(tiers["Requests/s"]), "rps")
    finally:
        stop(server)


if __name__ == "__main__":
    main()
