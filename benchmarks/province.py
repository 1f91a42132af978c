"""Benchmark: a province database, one county's dashboard and a city's counties side by side.

Builds a province of QX_BENCH_COUNTIES counties (default 100, in cities of 10) with
QX_BENCH_COUNTY_ENTERPRISES enterprises each (default 1,000) and QX_BENCH_MONTHS months of
figures (default 36), rolled up the way imports do, then prints

- ``BENCH province.dashboard_county <ms> ms``: a county leader's dashboard (test client, median);
- ``BENCH province.dashboard_city <ms> ms``: a city leader's 各县对比 page for its 10 counties.

PostgreSQL when DATABASE_URL points at one (see _setup.py), else SQLite.
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

COUNTIES = int(os.environ.get("QX_BENCH_COUNTIES", "100"))
PER_COUNTY = int(os.environ.get("QX_BENCH_COUNTY_ENTERPRISES", "1000"))
MONTHS = int(os.environ.get("QX_BENCH_MONTHS", "36"))
CITY_SIZE = 10


def build() -> dict:
    """The province, its cities and counties (2 towns and a park each), enterprises and facts."""
    from qiangxian.core.bulk import bulk_insert
    from qiangxian.core.models import OrgUnit, User
    from qiangxian.enterprises.models import Enterprise
    from qiangxian.enterprises.uscc import make_uscc
    from qiangxian.statistics import rollup
    from qiangxian.statistics.models import MonthlyFact

    province = OrgUnit.objects.create(name="测试省", kind="province")
    cities, counties = [], []
    for c in range((COUNTIES + CITY_SIZE - 1) // CITY_SIZE):
        city = OrgUnit.objects.create(name=f"测试市{c}", kind="city", parent=province)
        cities.append(city)
        for k in range(min(CITY_SIZE, COUNTIES - c * CITY_SIZE)):
            counties.append(OrgUnit.objects.create(name=f"测试县{c}-{k}", kind="county", parent=city))
    towns = {}
    for county in counties:
        towns[county.pk] = [
            OrgUnit.objects.create(name=f"{county.name}镇{j}", kind="town", parent=county) for j in range(2)
        ]
    rows = []
    for n, county in enumerate(counties):
        for i in range(PER_COUNTY):
            rows.append(
                Enterprise(
                    uscc=make_uscc("9", "1", f"{361000 + n}", f"B{i:07d}"),
                    name=f"{county.name}企业{i}有限公司",
                    town=towns[county.pk][i % 2],
                    industry_code="1952" if i % 2 else "3911",
                    above_scale=i % 5 == 0,
                )
            )
    Enterprise.objects.bulk_create(rows, batch_size=5000)
    ids = np.array(Enterprise.objects.order_by("pk").values_list("pk", flat=True))
    above = dict(Enterprise.objects.values_list("pk", "above_scale"))
    rng = np.random.default_rng(11)
    size = np.exp(rng.uniform(np.log(3e6), np.log(3e8), len(ids)))
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
    ]
    started = time.perf_counter()
    for month in months:
        monthly = size / 12 * rng.uniform(0.8, 1.2, len(ids))
        values = [
            (
                int(e),
                month,
                "stats",
                above[int(e)],
                False,
                round(float(v) * month.month, 2),
                round(float(v), 2),
                round(float(v) * month.month / 1.12, 2),
            )
            for e, v in zip(ids, monthly, strict=True)
        ]
        bulk_insert(MonthlyFact, columns, values)
    rollup.refresh_months(months, follow=False)
    print(
        f"# {len(counties)} counties × {PER_COUNTY} enterprises × {MONTHS} months "
        f"loaded and rolled up in {time.perf_counter() - started:.0f} s"
    )
    county_leader = User.objects.create(username="bench_county", role="leader", org_unit=counties[0])
    city_leader = User.objects.create(username="bench_city", role="leader", org_unit=cities[0])
    return {"county_leader": county_leader, "city_leader": city_leader, "month": end}


def measure(client, url: str) -> float:
    client.get(url)  # warm caches and connections, as a running server would be
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return median_time(lambda: client.get(url), repeat=7) * 1000


def main() -> None:
    vendor = setup(name="province")
    print(f"# database: {vendor}")
    from django.conf import settings
    from django.test import Client

    settings.ALLOWED_HOSTS = ["*"]
    data = build()
    client = Client()
    client.force_login(data["county_leader"])
    month = f"{data['month']:%Y-%m}"
    report("province.dashboard_county", measure(client, f"/dashboard/?month={month}"), "ms")
    client.force_login(data["city_leader"])
    report("province.dashboard_city", measure(client, f"/dashboard/counties/?month={month}"), "ms")


if __name__ == "__main__":
    main()
