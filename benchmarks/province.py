"""Benchmark: a province database, one county's dashboard and a city's counties side by side.

Builds a province of QX_BENCH_COUNTIES counties (default 100, in cities of 10) with
QX_BENCH_COUNTY_ENTERPRISES enterprises each (default 1,000) and QX_BENCH_MONTHS months of
figures (default 36), rolled up the way imports do, then prints

- ``BENCH province.dashboard_county <ms> ms``: a county leader's dashboard (test client, median);
- ``BENCH province.dashboard_city <ms> ms``: a city leader's 各县对比 page for its 10 counties;
- ``BENCH province.import_county_month <s> s``: one county office's monthly file of
  QX_BENCH_IMPORT_COUNTY_ROWS rows (default 1,000, at most the county's enterprises) uploaded,
  checked and committed (rollups refreshed) while every other county's months are in the tables:
  the next month, which this county is the first to file;
- ``BENCH province.import_county_month_filled <s> s``: the same county's revised file of the
  latest month, which every county has filed (its rollup covers the whole province's month).

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
IMPORT_ROWS = int(os.environ.get("QX_BENCH_IMPORT_COUNTY_ROWS", "1000"))


def build() -> dict:
    """The province, its cities and counties (2 towns and a park each), enterprises and facts."""
    from django.db import connection

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
    if connection.vendor == "postgresql":
        # A running server has statistics of its tables (autovacuum analyses them after a bulk
        # load); a database never analysed plans every query on guesses.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(
        f"# {len(counties)} counties × {PER_COUNTY} enterprises × {MONTHS} months "
        f"loaded and rolled up in {time.perf_counter() - started:.0f} s"
    )
    county_leader = User.objects.create(username="bench_county", role="leader", org_unit=counties[0])
    city_leader = User.objects.create(username="bench_city", role="leader", org_unit=cities[0])
    office_unit = OrgUnit.objects.create(name=f"{counties[0].name}办公室", kind="office", parent=counties[0])
    office = User.objects.create(username="bench_office", role="office", org_unit=office_unit)
    return {
        "county_leader": county_leader,
        "city_leader": city_leader,
        "office": office,
        "county": counties[0],
        "month": end,
    }


def import_county_month(data, month=None) -> float:
    """Seconds to upload, check and commit one county's monthly file (1-N月 to date): by default the
    next month, which no county has filed yet; ``month``: a month every county has filed (a
    county's revised file), whose rollup holds the whole province."""
    import tempfile

    import xlsxwriter
    from django.core.files import File

    from qiangxian.enterprises.models import Enterprise
    from qiangxian.statistics import rollup, services
    from qiangxian.statistics.models import ImportBatch, MonthlyFact

    office, filed = data["office"], month is not None
    month = month or rollup.add_months(data["month"], 1)
    profile = services.profile_save(
        actor=office,
        name=f"县月报{month:%Y%m}-{time.time_ns()}",
        source="stats",
        kind="monthly",
        match_by="uscc",
        key_column="统一社会信用代码",
        name_column="企业名称",
        period_column="",
        columns=[
            {
                "header": "工业总产值（万元）",
                "figure": "gross_output",
                "unit": "wan",
                "basis": "ytd",
                "year": "current",
            },
            {
                "header": "营业收入（万元）",
                "figure": "revenue",
                "unit": "wan",
                "basis": "ytd",
                "year": "current",
            },
        ],
    )
    firms = list(
        Enterprise.objects.filter(town__county=data["county"])
        .order_by("pk")
        .values_list("uscc", "name")[:IMPORT_ROWS]
    )
    with tempfile.TemporaryDirectory() as folder:
        path = f"{folder}/月报.xlsx"
        workbook = xlsxwriter.Workbook(path)
        sheet = workbook.add_worksheet("数据")
        sheet.write_row(0, 0, ["统一社会信用代码", "企业名称", "工业总产值（万元）", "营业收入（万元）"])
        for r, (uscc, name) in enumerate(firms, start=1):
            sheet.write_row(r, 0, [uscc, name, 1000 + r, 900 + r])
        workbook.close()
        started = time.perf_counter()
        with open(path, "rb") as stream:
            batch = services.import_upload(
                actor=office, profile=profile, uploaded=File(stream, name="月报.xlsx"), month=month
            )
        batch.refresh_from_db()
        assert batch.status == ImportBatch.Status.STAGED, (batch.status, batch.review.get("errors", [])[:3])
        services.import_commit(actor=office, batch=batch, background=False)
        elapsed = time.perf_counter() - started
    if not filed:
        assert MonthlyFact.objects.filter(month=month).count() == len(firms)
    others = MonthlyFact.objects.filter(month=month).count() - len(firms)
    print(f"# import_county_month: {len(firms)} rows of one county, {others} other rows, {elapsed:.2f} s")
    return elapsed


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
    report("province.import_county_month", import_county_month(data), "s")
    report("province.import_county_month_filled", import_county_month(data, data["month"]), "s")


if __name__ == "__main__":
    main()
