"""Shared set-up for benchmarks: a fresh, migrated database of its own, then Django ready to use.

SQLite by default (var/bench.sqlite3, recreated each run). With ``DATABASE_URL`` pointing at a
PostgreSQL server, a database named ``qx_bench`` (or ``QX_BENCH_DATABASE``) is recreated on that
server instead, so the same benchmark measures PostgreSQL.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup(fresh: bool = True, name: str = "bench") -> str:
    """Point Django at the benchmark database, migrate it, return the backend's vendor name.

    ``name`` gives a benchmark a database of its own (var/<name>.sqlite3 or qx_<name>), so two
    benchmarks running at the same time do not recreate each other's database.
    """
    os.environ.setdefault("QX_TESTING", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qiangxian.settings")
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        import psycopg

        base, _, _ = url.rpartition("/")
        # QX_BENCH_DATABASE names the database to recreate (a server shared with other work).
        db = os.environ.get("QX_BENCH_DATABASE") or f"qx_{name}"
        if fresh:
            with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
                conn.execute(f"CREATE DATABASE {db}")
        os.environ["DATABASE_URL"] = f"{base}/{db}"
    else:
        path = ROOT / "var" / f"{name}.sqlite3"
        path.parent.mkdir(exist_ok=True)
        if fresh:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    from django.db import connection

    return connection.vendor


def median_time(fn, repeat: int = 5) -> float:
    """Median wall time of ``fn()`` in seconds over ``repeat`` runs."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def report(name: str, value: float, unit: str) -> None:
    """Print one figure in the form ``make bench`` promises."""
    print(f"BENCH {name} {value:.4g} {unit}", flush=True)
