"""Fixtures of the service tests: the county plus 人社局, 财政局, routing rules and their staff."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from qiangxian.core.choices import OrgUnitKind, Role

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: str, hour: int = 10) -> dt.datetime:
    """A moment on a working day in the county's time zone."""
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), tzinfo=SHANGHAI)


@pytest.fixture
def svc(county, users, django_user_model):
    """Bureaus that hold the levers, one or two staff each, and the routing rules."""
    from qiangxian.core.models import OrgUnit
    from qiangxian.service import services

    root = county["units"]["测试县"]
    hr = OrgUnit.objects.create(name="人社局", kind=OrgUnitKind.BUREAU, parent=root)
    finance = OrgUnit.objects.create(name="财政局", kind=OrgUnitKind.BUREAU, parent=root)

    def person(username, role, unit):
        return django_user_model.objects.create(
            username=username, display_name=f"{username}用户", role=role, org_unit=unit
        )

    staff = {
        "hr1": person("hr1", Role.BUREAU, hr),
        "hr2": person("hr2", Role.BUREAU, hr),
        "fin": person("fin", Role.BUREAU, finance),
        "town_b": person("town_b", Role.TOWN, county["units"]["乙镇"]),
    }
    services.routing_rule_save(
        actor=users["office"], category="labour", lead_unit=hr, supporting_units=[county["units"]["甲镇"]],
        sign_days=1, response_days=5, complete_days=10,
    )  # fmt: skip
    services.routing_rule_save(actor=users["office"], category="finance", lead_unit=finance)
    return {"hr": hr, "finance": finance, **staff, **users, "enterprises": county["enterprises"]}


@pytest.fixture
def own(svc):
    """The enterprise that has its own account (user "enterprise")."""
    return svc["enterprises"]["甲镇园区鞋业有限公司"]
