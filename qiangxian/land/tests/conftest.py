"""Fixtures of the land tests: parcels, a building and a scheme in the county fixture's park."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from qiangxian.land.models import Building, GradeBand, Parcel, Scheme, SchemeIndicator
from qiangxian.statistics.models import MonthlyFact


@pytest.fixture
def space(county):
    u = county["units"]
    firms = county["enterprises"]
    parcels = {
        "A": Parcel.objects.create(
            code="GY-001",
            park=u["工业园"],
            zone=u["东片区"],
            area_mu=D(10),
            holder=firms["甲镇园区鞋业有限公司"],
        ),
        "B": Parcel.objects.create(
            code="GY-002", park=u["工业园"], zone=u["西片区"], area_mu=D(20), holder=firms["乙镇机械有限公司"]
        ),
        "C": Parcel.objects.create(
            code="SP-001", park=u["食品园"], area_mu=D(10), holder=firms["甲镇食品有限公司"]
        ),
    }
    building = Building.objects.create(
        code="B-01", name="标准厂房1号", park=u["工业园"], zone=u["东片区"], floors=3, floor_area_sqm=D(3000)
    )
    return {"parcels": parcels, "building": building}


def december_facts(enterprise, year: int, *, tax, output, revenue, rd=0):
    """The year's December cumulative figures (tax from the tax bureau, the rest from statistics)."""
    month = dt.date(year, 12, 1)
    MonthlyFact.objects.create(
        enterprise=enterprise,
        month=month,
        source="stats",
        above_scale=True,
        gross_output_ytd=D(output),
        revenue_ytd=D(revenue),
        rd_expense_ytd=D(rd),
    )
    MonthlyFact.objects.create(enterprise=enterprise, month=month, source="tax", tax_paid_ytd=D(tax))


@pytest.fixture
def scheme(db):
    """The hand-computed scheme of test_grading: 亩均税收 60 (county average, cap 1.5), R&D 40 (fixed 3%)."""
    s = Scheme.objects.create(year=2025, name="2025年亩均效益评价办法", status="adopted", cutoff_mode="score")
    SchemeIndicator.objects.create(scheme=s, category="above", code="tax_per_mu", weight=60, cap=D("1.5"))
    SchemeIndicator.objects.create(
        scheme=s, category="above", code="rd_ratio", weight=40, benchmark_kind="fixed", benchmark_value=3
    )
    for grade, lower, upper in (("A", 120, 1000), ("B", 80, 120), ("C", 60, 80), ("D", 0, 60)):
        GradeBand.objects.create(scheme=s, grade=grade, lower=lower, upper=upper, measures=f"{grade}类措施")
    return s


@pytest.fixture
def graded_county(county, space, scheme):
    """The three park enterprises with the hand-computed figures of test_grading."""
    f = county["enterprises"]
    december_facts(f["甲镇园区鞋业有限公司"], 2025, tax=3_000_000, output=5e7, revenue=1e8, rd=4e6)
    december_facts(f["乙镇机械有限公司"], 2025, tax=2_000_000, output=3e7, revenue=5e7, rd=1e6)
    december_facts(f["甲镇食品有限公司"], 2025, tax=1_000_000, output=2e7, revenue=2e7, rd=0)
    return f
