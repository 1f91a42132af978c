"""Benchmark: a 100,000-row monthly statistics file with 12 figures a row, validated and committed.

Prints
- ``BENCH statistics.import_100k <s> s``: upload (stage + validate with every review check against
  the previous month) plus commit (bulk insert + rollup refresh), wall time of one run;
- ``BENCH statistics.import_100k_peak_mib <MiB> MiB``: the resident high-water mark of the process
  that ran that import (a fresh process, so the set-up's memory is not counted; see
  :func:`peak_kib`);
- ``BENCH statistics.correct_100k <s> s`` and ``statistics.correct_100k_peak_mib``: the bureau's
  revised month, every value changed, imported and committed over the existing rows.
Rows: QX_BENCH_IMPORT_ROWS (default 100000).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import report, setup

ROWS = int(os.environ.get("QX_BENCH_IMPORT_ROWS", "100000"))
COLUMNS = [
    ("工业总产值（万元）", "gross_output", "wan", "ytd", "current"),
    ("工业总产值上年同期（万元）", "gross_output", "wan", "ytd", "last"),
    ("工业销售产值（万元）", "sales_output", "wan", "ytd", "current"),
    ("出口交货值（万元）", "export_delivery", "wan", "ytd", "current"),
    ("营业收入（万元）", "revenue", "wan", "ytd", "current"),
    ("营业收入上年同期（万元）", "revenue", "wan", "ytd", "last"),
    ("主营业务收入（万元）", "main_revenue", "wan", "ytd", "current"),
    ("主营业务收入上年同期（万元）", "main_revenue", "wan", "ytd", "last"),
    ("利润总额（万元）", "profit", "wan", "ytd", "current"),
    ("实缴税金（万元）", "tax_paid", "wan", "ytd", "current"),
    ("从业人员平均人数（人）", "employees", "person", "ytd", "current"),
    ("研发费用（万元）", "rd_expense", "wan", "ytd", "current"),
]


def make_enterprises(n: int) -> list[tuple[int, str, str, float]]:
    """Org units and n enterprises inserted directly (not timed)."""
    from qiangxian.core.models import OrgUnit
    from qiangxian.enterprises.models import Enterprise
    from qiangxian.enterprises.uscc import make_uscc

    county = OrgUnit.objects.create(name="基准县", kind="county")
    towns = [OrgUnit.objects.create(name=f"镇{i}", kind="town", parent=county) for i in range(40)]
    parks = [OrgUnit.objects.create(name=f"园区{i}", kind="park", parent=county) for i in range(8)]
    rng = random.Random(7)
    chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    rows, seen = [], set()
    while len(rows) < n:
        body = "".join(rng.choice(chars) for _ in range(9))
        code = make_uscc("9", "1", "361129", body[:8])
        if code in seen:
            continue
        seen.add(code)
        i = len(rows)
        rows.append(
            Enterprise(
                uscc=code,
                name=f"基准企业{i}有限公司",
                town=towns[i % 40],
                park=parks[i % 8] if i % 3 else None,
                industry_code="3311",
                above_scale=i % 10 == 0,
            )
        )
    Enterprise.objects.bulk_create(rows, batch_size=2000)
    return [
        (pk, uscc, name, rng.uniform(5, 500))
        for pk, uscc, name in Enterprise.objects.order_by("pk").values_list("pk", "uscc", "name")
    ]


def previous_month(firms, month: dt.date) -> None:
    from qiangxian.core.bulk import bulk_insert
    from qiangxian.statistics.models import MonthlyFact

    columns = [
        "enterprise_id",
        "month",
        "source",
        "above_scale",
        "combined_jan_feb",
        "gross_output_ytd",
        "gross_output_month",
        "revenue_ytd",
        "main_revenue_ytd",
    ]
    bulk_insert(
        MonthlyFact,
        columns,
        [
            (
                pk,
                month,
                "stats",
                False,
                False,
                round(size * 9e4, 2),
                round(size * 1e4, 2),
                round(size * 9e4, 2),
                round(size * 8.8e4, 2),
            )
            for pk, _, _, size in firms
        ],
    )


def write_file(firms, path: str, factor: float = 1.0) -> None:
    import xlsxwriter

    workbook = xlsxwriter.Workbook(path, {"constant_memory": True})
    sheet = workbook.add_worksheet("数据")
    sheet.write_row(0, 0, ["统一社会信用代码", "企业名称"] + [c[0] for c in COLUMNS])
    rng = random.Random(11)
    for r, (_, uscc, name, size) in enumerate(firms, start=1):
        out = size * 10 * rng.uniform(0.9, 1.3) * factor
        values = [
            round(out, 2),
            round(out / 1.1, 2),
            round(out * 0.97, 2),
            round(out * 0.1, 2),
            round(out * 0.98, 2),
            round(out * 0.9, 2),
            round(out * 0.95, 2),
            round(out * 0.86, 2),
            round(out * 0.05, 2),
            round(out * 0.03, 2),
            int(size * factor) + (1 if factor != 1 else 0),
            round(out * 0.02, 2),
        ]
        sheet.write_row(r, 0, [uscc, name, *values])
    workbook.close()


def peak_kib() -> int:
    """The resident high-water mark of this process's own memory, in KiB.

    Linux's ``VmHWM``: ``getrusage``'s ``ru_maxrss`` of a process started by another one also
    counts the starting process's resident memory at the moment it started this one (the fork
    before the exec shares it), which here is the set-up's hundreds of MiB, not the import's.
    """
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def run_phase(path: str, profile_id: int, office_id: int, month: dt.date) -> dict:
    """Upload and commit one file in this process; wall time and resident high-water mark."""
    from django.core.files import File

    from qiangxian.core.models import User
    from qiangxian.statistics import services
    from qiangxian.statistics.models import ImportBatch, ImportProfile

    office = User.objects.get(pk=office_id)
    profile = ImportProfile.objects.get(pk=profile_id)
    profiler = None
    if os.environ.get("QX_BENCH_PROFILE"):
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    started = time.perf_counter()
    with open(path, "rb") as stream:
        batch = services.import_upload(
            actor=office, profile=profile, uploaded=File(stream, name="月报.xlsx"), month=month
        )
    staged = time.perf_counter()
    validate_peak_kib = peak_kib()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.STAGED, (batch.status, batch.review.get("errors", [])[:3])
    batch = services.import_commit(actor=office, batch=batch, background=False)
    elapsed = time.perf_counter() - started
    if profiler is not None:
        import pstats

        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
    return {
        "elapsed": elapsed,
        "validate": staged - started,
        "peak_mib": peak_kib() / 1024,
        "validate_peak_mib": validate_peak_kib / 1024,
        "inserted": batch.inserted,
        "updated": batch.updated,
    }


def _phase_in_fresh_process(path: str, profile_id: int, office_id: int, month: dt.date) -> dict:
    env = {**os.environ, "QX_BENCH_PHASE": json.dumps([path, profile_id, office_id, month.isoformat()])}
    done = subprocess.run([sys.executable, __file__], env=env, check=True, capture_output=True, text=True)
    sys.stderr.write(done.stderr)
    lines = done.stdout.splitlines()
    for line in lines[:-1]:
        print(line)
    return json.loads(lines[-1])


def main() -> None:
    if os.environ.get("QX_BENCH_PHASE"):
        path, profile_id, office_id, month = json.loads(os.environ["QX_BENCH_PHASE"])
        setup(fresh=False, name="statistics_import")
        print(json.dumps(run_phase(path, profile_id, office_id, dt.date.fromisoformat(month))))
        return
    vendor = setup(name="statistics_import")
    from qiangxian.core.models import User
    from qiangxian.statistics import services
    from qiangxian.statistics.models import MonthlyFact

    office = User.objects.create(username="bench-office", role="office")
    firms = make_enterprises(ROWS)
    month = dt.date(2026, 10, 1)
    previous_month(firms, dt.date(2026, 9, 1))
    profile = services.profile_save(
        actor=office,
        name="基准月报",
        source="stats",
        kind="monthly",
        match_by="uscc",
        key_column="统一社会信用代码",
        name_column="企业名称",
        period_column="",
        columns=[{"header": h, "figure": f, "unit": u, "basis": b, "year": y} for h, f, u, b, y in COLUMNS],
    )
    from django.db import connections

    connections.close_all()
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "月报.xlsx")
        revised = os.path.join(folder, "月报-修订.xlsx")
        write_file(firms, path)
        write_file(firms, revised, factor=1.013)
        first = _phase_in_fresh_process(path, profile.pk, office.pk, month)
        correction = _phase_in_fresh_process(revised, profile.pk, office.pk, month)
    assert MonthlyFact.objects.filter(month=month).count() == ROWS
    assert first["inserted"] == ROWS and correction["updated"] == ROWS, (first, correction)
    print(
        f"# {vendor}: {ROWS} rows, validate {first['validate']:.2f} s, "
        f"commit {first['elapsed'] - first['validate']:.2f} s; correction validate "
        f"{correction['validate']:.2f} s, commit {correction['elapsed'] - correction['validate']:.2f} s; "
        f"peak after validation {first['validate_peak_mib']:.1f} / {correction['validate_peak_mib']:.1f} MiB",
        flush=True,
    )
    report("statistics.import_100k", first["elapsed"], "s")
    report("statistics.import_100k_peak_mib", first["peak_mib"], "MiB")
    report("statistics.correct_100k", correction["elapsed"], "s")
    report("statistics.correct_100k_peak_mib", correction["peak_mib"], "MiB")


if __name__ == "__main__":
    main()
