"""Fixtures of the project tests: projects placed in the county fixture's units."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from qiangxian.projects.choices import Stage
from qiangxian.projects.models import Project, size_class_of

YI = Decimal(100_000_000)


@pytest.fixture
def make_project(county):
    """Create a project straight in the database (services are tested on their own)."""
    units = county["units"]
    counter = {"n": 0}

    def make(**fields) -> Project:
        counter["n"] += 1
        values = {
            "code": f"XM2026{counter['n']:04d}",
            "name": f"测试项目{counter['n']}",
            "investor_name": "外地投资有限公司",
            "park": units["工业园"],
            "town": units["甲镇"],
            "responsible_unit": units["经信局"],
            "total_investment": 2 * YI,
            "fixed_asset_investment": Decimal(150_000_000),
            "stage": Stage.SOURCING,
            "lead_received_on": dt.date(2026, 1, 5),
            "stage_on": dt.date(2026, 1, 5),
        }
        values.update(fields)
        values.setdefault("size_class", size_class_of(values["total_investment"]))
        return Project.objects.create(**values)

    return make


@pytest.fixture
def projects(county, make_project):
    """One project per jurisdiction: the park's, the other park's, a bureau's, the enterprise's."""
    units = county["units"]
    own = county["enterprises"]["甲镇园区鞋业有限公司"]
    return {
        "park": make_project(name="工业园项目", stage=Stage.SIGNED, signed_on=dt.date(2026, 2, 1)),
        "other_park": make_project(name="食品园项目", park=units["食品园"], town=units["乙镇"]),
        "bureau": make_project(
            name="统计局负责项目", park=None, town=units["乙镇"], responsible_unit=units["统计局"]
        ),
        "enterprise": make_project(
            name="本企业扩产项目", investor=own, investor_name="", park=units["工业园"], zone=units["东片区"]
        ),
    }
