"""Ranking 10,000 parcels and buildings for one project's land and floor-space need.

Set-up (not timed): the demo's units and park profiles, 8,000 available parcels and 2,000
buildings with leases. Timed: ``land.match_ms``: ``selectors.match_space`` for one project as
the office sees it (the scoped reads, the numpy ranking, reasons for the shown candidates),
median of 20.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
from _setup import median_time, report, setup

PARCELS = 8_000
BUILDINGS = 2_000


def main() -> None:
    setup(fresh=True, name="bench_land_match")
    import importlib

    from django.db import transaction

    from qiangxian.core.bulk import bulk_insert
    from qiangxian.core.models import User
    from qiangxian.demo.context import DemoContext
    from qiangxian.land import selectors
    from qiangxian.land.models import Building, Parcel, SpaceProfile
    from qiangxian.projects.models import Project

    ctx = DemoContext(seed=20260101, n_enterprises=10, password="Bench-pass-2026")
    rng = np.random.default_rng(5)
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    with transaction.atomic():
        importlib.import_module("qiangxian.demo.steps_core").generate(ctx)
        for park in ctx.parks:
            SpaceProfile.objects.create(
                unit=park, park=park, leading_industries="33 34 38", negative_list="25"
            )
        parks = [p.pk for p in ctx.parks]
        statuses = ["reserve", "approved", "supplied", "idle"]
        bulk_insert(
            Parcel,
            ["code", "name", "park_id", "area_mu", "land_use", "status", "notes", "updated_at"],
            (
                (
                    f"P{i:06d}",
                    "",
                    parks[i % 3],
                    round(float(rng.uniform(5, 200)), 2),
                    "industrial",
                    statuses[i % 4],
                    "",
                    now,
                )
                for i in range(PARCELS)
            ),
        )
        bulk_insert(
            Building,
            ["code", "name", "kind", "park_id", "floors", "floor_area_sqm", "owner_name", "updated_at"],
            (
                (
                    f"B{i:05d}",
                    f"厂房{i}",
                    "standard",
                    parks[i % 3],
                    2,
                    float(rng.choice([2400, 4800, 6000])),
                    "平台公司",
                    now,
                )
                for i in range(BUILDINGS)
            ),
        )
        project = Project.objects.create(
            code="XM20260001",
            name="基准项目",
            investor_name="外地公司",
            industry_code="3311",
            land_need_mu=Decimal(60),
            building_need_sqm=Decimal(3000),
        )
    office = User.objects.get(username="office")
    found = selectors.match_space(user=office, project=project)
    assert found["parcels"] and found["buildings"]
    report(
        "land.match_ms",
        median_time(lambda: selectors.match_space(user=office, project=project), 20) * 1000,
        "ms",
    )


if __name__ == "__main__":
    main()
