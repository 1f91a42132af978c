"""Benchmark: the league table (晾晒) over 100,000 demands routed to 60 units in one year.

Prints ``BENCH service.league_100k <ms> ms``: the median time of ``selectors.league_table`` for the
whole year (one grouped aggregate query over every row, the 合计 row added up from the units'
rows), and ``service.league_month_100k``: one month's table. The rows are written directly (no
services, no history) with realistic shares of on-time, solved, rated and overdue demands.
"""

from __future__ import annotations

import datetime as dt
import os
import random

from _setup import median_time, report, setup

N_DEMANDS = int(os.environ.get("QX_BENCH_DEMANDS", "100000"))
N_UNITS = 60
YEAR = 2026


def build() -> None:
    from django.utils import timezone

    from qiangxian.core.choices import OrgUnitKind
    from qiangxian.core.models import OrgUnit
    from qiangxian.enterprises.models import Enterprise
    from qiangxian.enterprises.uscc import make_uscc
    from qiangxian.service.models import Demand

    rng = random.Random(100_000)
    county = OrgUnit.objects.create(name="基准县", kind=OrgUnitKind.COUNTY)
    town = OrgUnit.objects.create(name="基准镇", kind=OrgUnitKind.TOWN, parent=county)
    units = OrgUnit.objects.bulk_create(
        OrgUnit(name=f"部门{i:02d}", kind=OrgUnitKind.BUREAU, parent=county) for i in range(N_UNITS)
    )
    enterprises = Enterprise.objects.bulk_create(
        Enterprise(
            uscc=make_uscc("9", "1", "361129", f"B{i:07d}"),
            name=f"基准企业{i}",
            town=town,
            industry_code="1952",
        )
        for i in range(2000)
    )
    states = ["assigned", "signed", "handling", "answered", "rated", "archived"]
    rows = []
    for i in range(N_DEMANDS):
        month = dt.date(YEAR, rng.randint(1, 12), 1)
        accepted = timezone.make_aware(dt.datetime(month.year, month.month, rng.randint(1, 28), 10))
        state = rng.choices(states, weights=[2, 3, 5, 10, 40, 40])[0]
        solved = state in ("answered", "rated", "archived")
        rated = state in ("rated", "archived")
        due = (accepted + dt.timedelta(days=14)).date()
        rows.append(
            Demand(
                code=f"SQ{YEAR}{i:07d}",
                enterprise=rng.choice(enterprises),
                title="基准诉求",
                category=rng.choice(["labour", "finance", "land", "utilities", "approval", "other"]),
                state=state,
                lead_unit=rng.choice(units),
                accepted_at=accepted,
                assigned_at=accepted,
                month=month,
                sign_due=(accepted + dt.timedelta(days=1)).date(),
                response_due=(accepted + dt.timedelta(days=7)).date(),
                complete_due=due,
                signed_on_time=None if state == "assigned" else rng.random() < 0.9,
                responded_on_time=solved and rng.random() < 0.85,
                answered_on_time=solved and rng.random() < 0.85,
                days_to_answer=rng.randint(1, 20) if solved else None,
                rating=rng.choices(["satisfied", "basic", "unsatisfied"], weights=[80, 15, 5])[0]
                if rated
                else "",
            )
        )
        if len(rows) == 5000:
            Demand.objects.bulk_create(rows)
            rows = []
    Demand.objects.bulk_create(rows)


def main() -> None:
    vendor = setup(name="bench_service")
    build()
    from qiangxian.service import selectors

    today = dt.date(YEAR, 12, 31)
    year = median_time(
        lambda: selectors.league_table(
            first_month=dt.date(YEAR, 1, 1), last_month=dt.date(YEAR, 12, 1), today=today
        )
    )
    month = median_time(
        lambda: selectors.league_table(
            first_month=dt.date(YEAR, 6, 1), last_month=dt.date(YEAR, 6, 1), today=today
        )
    )
    rows = selectors.league_table(
        first_month=dt.date(YEAR, 1, 1), last_month=dt.date(YEAR, 12, 1), today=today
    )
    assert rows[-1].received == N_DEMANDS and len(rows) == N_UNITS + 1
    print(f"# {vendor}, {N_DEMANDS} demands, {N_UNITS} units")
    report("service.league_100k", year * 1000, "ms")
    report("service.league_month_100k", month * 1000, "ms")


if __name__ == "__main__":
    main()
