"""Benchmark: the dashboard (驾驶舱) for one month and scope, median server time via the test client.

Prints ``BENCH statistics.dashboard_county <ms> ms`` on the demo county (1,500 enterprises, 34
months), then adds a province-size population (QX_BENCH_PROVINCE_ENTERPRISES, default 100000,
× 36 months of monthly rows loaded and rolled up the way imports do) and prints
``BENCH statistics.dashboard_province <ms> ms``.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import median_time, report, setup

PROVINCE = int(os.environ.get("QX_BENCH_PROVINCE_ENTERPRISES", "100000"))
MONTHS = 36


def measure(client, url: str) -> float:
    client.get(url)  # warm caches and connections, as a running server would be
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return median_time(lambda: client.get(url), repeat=7) * 1000


def add_province(n: int) -> None:
    """n more enterprises over 200 towns and 30 parks, with 36 months of figures, rolled up."""
    from qiangxian.core.bulk import bulk_insert
    from qiangxian.core.models import OrgUnit
    from qiangxian.enterprises.models import Enterprise
    from qiangxian.enterprises.uscc import make_uscc
    from qiangxian.statistics import rollup
    from qiangxian.statistics.models import MonthlyFact

    county = OrgUnit.objects.filter(kind="county").first()
    towns = OrgUnit.objects.bulk_create(
        [OrgUnit(name=f"省测镇{i}", kind="town", parent=county) for i in range(200)]
    )
    parks = OrgUnit.objects.bulk_create(
        [OrgUnit(name=f"省测园区{i}", kind="park", parent=county) for i in range(30)]
    )
    towns = list(OrgUnit.objects.filter(name__startswith="省测镇").order_by("pk"))
    parks = list(OrgUnit.objects.filter(name__startswith="省测园区").order_by("pk"))
    zones = [
        OrgUnit.objects.create(name=f"{p.name}片区{j}", kind="zone", parent=p)
        for p in parks
        for j in range(2)
    ]
    rng = np.random.default_rng(5)
    classes = ["1952", "1713", "1431", "2710", "3841", "3911", "3311", "2641", "3411", "1391"]
    started = time.perf_counter()
    rows = []
    for i in range(n):
        park = parks[i % 30] if i % 3 == 0 else None
        rows.append(
            Enterprise(
                uscc=make_uscc("9", "1", "361129", f"P{i:07d}"),
                name=f"省测企业{i}有限公司",
                town=towns[i % 200],
                park=park,
                zone=zones[(i % 30) * 2 + i % 2] if park else None,
                industry_code=classes[i % 10],
                above_scale=i % 10 == 0,
            )
        )
    Enterprise.objects.bulk_create(rows, batch_size=2000)
    ids = np.array(
        Enterprise.objects.filter(name__startswith="省测企业").order_by("pk").values_list("pk", flat=True)
    )
    size = np.exp(rng.uniform(np.log(3e6), np.log(3e8), len(ids)))
    above = np.arange(len(ids)) % 10 == 0
    end = dt.date(2026, 10, 1)
    months = [rollup.add_months(end, -k) for k in range(MONTHS - 1, -1, -1)]
    columns = [
        "enterprise_id",
        "month",
        "source",
        "above_scale",
        "combined_jan_feb",
        "gross_output_ytd",
        "gross_output_month",
        "gross_output_ytd_ly",
        "main_revenue_ytd",
        "main_revenue_month",
    ]
    cumulative = {}
    for month in months:
        single = size / 12 * rng.uniform(0.8, 1.2, len(ids))
        previous = cumulative.get(rollup.add_months(month, -1))
        ytd = single * month.month if month.month == 1 or previous is None else previous + single
        cumulative[month] = ytd
        last = cumulative.get(rollup.add_months(month, -12))
        ly = last if last is not None else ytd / 1.15
        data = zip(
            ids.tolist(),
            np.round(ytd, 2).tolist(),
            np.round(single, 2).tolist(),
            np.round(ly, 2).tolist(),
            np.round(ytd * 0.95, 2).tolist(),
            np.round(single * 0.95, 2).tolist(),
            above.tolist(),
            strict=True,
        )
        bulk_insert(
            MonthlyFact,
            columns,
            [(pk, month, "stats", a, False, y, s, ly_, r, rm) for pk, y, s, ly_, r, rm, a in data],
        )
    loaded = time.perf_counter()
    rollup.refresh_months(months, follow=False)
    print(
        f"# province: {n} enterprises × {MONTHS} months loaded in {loaded - started:.0f} s, "
        f"rolled up in {time.perf_counter() - loaded:.0f} s",
        flush=True,
    )


def main() -> None:
    vendor = setup()
    from django.conf import settings
    from django.test import Client

    from qiangxian.core.models import User
    from qiangxian.demo.generator import generate_demo

    settings.ALLOWED_HOSTS = ["*"]
    generate_demo(seed=20260101, enterprises=1500, password="Bench-pass-2026")
    client = Client()
    client.force_login(User.objects.get(username="leader"))
    url = "/dashboard/?month=2026-10"
    print(f"# {vendor}", flush=True)
    report("statistics.dashboard_county", measure(client, url), "ms")
    park_client = Client()
    park_client.force_login(User.objects.get(username="park"))
    print(f"# park user: {measure(park_client, url):.1f} ms", flush=True)
    add_province(PROVINCE)
    report("statistics.dashboard_province", measure(client, url), "ms")


if __name__ == "__main__":
    main()
