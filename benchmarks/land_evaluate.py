"""The per-mu evaluation of 100,000 enterprises under the six-indicator scheme, traces stored.

Set-up (not timed): the demo's units, then 100,000 industrial enterprises, their December figures
(statistics bureau and tax), annual energy and emissions and one parcel each, written straight to
the tables.
Timed: ``land.evaluate_100k``: one official run from the scheme to the stored results, i.e. the
snapshot through ``build_snapshot``, land from the parcels, the numpy grading and the bulk write
of 100,000 results with their traces (median of 3).
"""

from __future__ import annotations

import datetime as dt
import statistics
import time

import numpy as np
from _setup import report, setup

N = 100_000
YEAR = 2025


def _data() -> None:
    from qiangxian.core.bulk import bulk_insert
    from qiangxian.core.choices import OrgUnitKind
    from qiangxian.core.models import OrgUnit
    from qiangxian.enterprises.models import Enterprise
    from qiangxian.enterprises.uscc import make_uscc
    from qiangxian.land.models import Parcel
    from qiangxian.statistics.models import AnnualFact, MonthlyFact

    rng = np.random.default_rng(11)
    towns = list(OrgUnit.objects.filter(kind=OrgUnitKind.TOWN).values_list("pk", flat=True))
    parks = list(OrgUnit.objects.filter(kind=OrgUnitKind.PARK).values_list("pk", flat=True))
    industries = ["3311", "3841", "1952", "2929", "3989", "1713"]
    above = rng.random(N) < 0.3
    bulk_insert(
        Enterprise,
        [
            "uscc",
            "name",
            "town_id",
            "park_id",
            "industry_code",
            "above_scale",
            "status",
            "land_tenure",
            "registration_number",
            "former_names",
            "short_name",
            "pinyin_initials",
            "legal_representative",
            "registered_address",
            "production_address",
            "tags",
            "created_at",
            "updated_at",
        ],
        (
            (
                make_uscc("9", "1", "361129", f"B{i:07d}"),
                f"基准企业{i}",
                towns[i % len(towns)],
                parks[i % len(parks)],
                industries[i % len(industries)],
                bool(above[i]),
                "operating",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                dt.datetime(2020, 1, 1, tzinfo=dt.UTC),
                dt.datetime(2020, 1, 1, tzinfo=dt.UTC),
            )
            for i in range(N)
        ),
    )
    ids = list(Enterprise.objects.order_by("pk").values_list("pk", flat=True))
    revenue = np.exp(rng.uniform(np.log(5e5), np.log(6e8), N))
    month = dt.date(YEAR, 12, 1)
    bulk_insert(
        MonthlyFact,
        [
            "enterprise_id",
            "month",
            "source",
            "above_scale",
            "combined_jan_feb",
            "gross_output_ytd",
            "revenue_ytd",
            "rd_expense_ytd",
            "employees_ytd",
        ],
        (
            (
                pk,
                month,
                "stats",
                bool(above[i]),
                False,
                round(revenue[i] * 1.05, 2),
                round(revenue[i], 2),
                round(revenue[i] * 0.02, 2),
                max(int(revenue[i] / 4e5), 5),
            )
            for i, pk in enumerate(ids)
        ),
    )
    bulk_insert(
        MonthlyFact,
        ["enterprise_id", "month", "source", "above_scale", "combined_jan_feb", "tax_paid_ytd"],
        ((pk, month, "tax", bool(above[i]), False, round(revenue[i] * 0.04, 2)) for i, pk in enumerate(ids)),
    )
    bulk_insert(
        MonthlyFact,
        ["enterprise_id", "month", "source", "above_scale", "combined_jan_feb", "electricity_kwh_ytd"],
        ((pk, month, "power", bool(above[i]), False, round(revenue[i] / 60, 2)) for i, pk in enumerate(ids)),
    )
    # Energy for every firm; the four pollutants for six firms in seven (the others: no emission data).
    bulk_insert(
        AnnualFact,
        ["enterprise_id", "year", "source", "energy_tce", "cod_t", "ammonia_t", "so2_t", "nox_t"],
        (
            (
                pk,
                YEAR,
                "stats",
                round(revenue[i] / 2e4, 2),
                *((None,) * 4 if i % 7 == 3 else (round(revenue[i] / 1e8 * f, 2) for f in (2, 0.2, 1, 1))),
            )
            for i, pk in enumerate(ids)
        ),
    )
    area = np.round(rng.uniform(1, 80, N), 2)
    bulk_insert(
        Parcel,
        ["code", "name", "park_id", "area_mu", "land_use", "status", "holder_id", "notes", "updated_at"],
        (
            (
                f"BJ{i:06d}",
                "",
                parks[i % len(parks)],
                float(area[i]),
                "industrial",
                "in_use",
                pk,
                "",
                dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
            )
            for i, pk in enumerate(ids)
        ),
    )


def main() -> None:
    vendor = setup(fresh=True, name="bench_land")
    import importlib

    from django.db import transaction
    from django.db.models import Count

    from qiangxian.core.models import User
    from qiangxian.demo.context import DemoContext
    from qiangxian.land.defaults import create_default_scheme
    from qiangxian.land.models import EvaluationRun
    from qiangxian.land.services import evaluation

    ctx = DemoContext(seed=20260101, n_enterprises=10, password="Bench-pass-2026")
    started = time.perf_counter()
    with transaction.atomic():
        importlib.import_module("qiangxian.demo.steps_core").generate(ctx)
        _data()
    print(f"set-up ({vendor}): {N} enterprises in {time.perf_counter() - started:.0f} s", flush=True)
    scheme = create_default_scheme(year=YEAR)
    office = User.objects.get(username="office")
    times = []
    for _ in range(3):
        EvaluationRun.objects.all().delete()
        start = time.perf_counter()
        run = evaluation.run_create(actor=office, scheme=scheme)
        times.append(time.perf_counter() - start)
    counts = dict(run.results.exclude(grade="").values_list("grade").annotate(n=Count("pk")))
    print(f"  graded: {run.results.count()} results, classes {counts}", flush=True)
    report("land.evaluate_100k", statistics.median(times), "s")


if __name__ == "__main__":
    main()
