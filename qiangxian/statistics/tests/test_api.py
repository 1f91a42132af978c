"""API of 运行监测: permission matrix, scoping, values equal to the engine's."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from qiangxian.statistics import indicators

pytestmark = pytest.mark.django_db
BASE = "/api/statistics"


def urls(county):
    firm = county["enterprises"]["甲镇园区鞋业有限公司"].pk
    return [
        f"{BASE}/indicators",
        f"{BASE}/indicators/gross_output?month=2026-03",
        f"{BASE}/indicators/gross_output/breakdown?group_kind=town",
        f"{BASE}/targets",
        f"{BASE}/enterprises/{firm}/figures",
        f"{BASE}/imports",
    ]


def test_anonymous_gets_401(facts, client):
    for url in urls(facts):
        assert client.get(url).status_code == 401, url


@pytest.mark.parametrize("role", ["admin", "leader", "office", "bureau", "park", "zone", "town"])
def test_government_users_read(facts, users, client, role):
    client.force_login(users[role])
    for url in urls(facts):
        assert client.get(url).status_code == 200, url


def test_enterprise_users_are_refused_aggregates_but_read_their_own_figures(facts, users, client):
    client.force_login(users["enterprise"])
    assert client.get(f"{BASE}/indicators/gross_output").status_code == 403
    own = facts["enterprises"]["甲镇园区鞋业有限公司"].pk
    other = facts["enterprises"]["乙镇机械有限公司"].pk
    assert client.get(f"{BASE}/enterprises/{own}/figures").status_code == 200
    assert client.get(f"{BASE}/enterprises/{other}/figures").status_code == 404


@pytest.mark.parametrize(
    "role,kind,unit,status",
    [
        ("town", "town", "乙镇", 404),
        ("park", "park", "食品园", 404),
        ("leader", "park", "食品园", 200),
        ("town", "town", "甲镇", 200),
    ],
)
def test_other_jurisdictions_are_not_found(facts, users, client, role, kind, unit, status):
    client.force_login(users[role])
    response = client.get(
        f"{BASE}/indicators/gross_output", {"scope_kind": kind, "scope_id": facts["units"][unit].pk}
    )
    assert response.status_code == status


def test_value_matches_the_engine(facts, users, client):
    client.force_login(users["leader"])
    data = client.get(f"{BASE}/indicators/gross_output", {"month": "2026-03"}).json()
    item = indicators.value("gross_output", month=dt.date(2026, 3, 1))
    assert D(data["value"]) == item.value and D(data["base"]) == item.base
    assert D(data["growth"]) == item.growth.quantize(D(data["growth"]))
    town = facts["units"]["甲镇"].pk
    data = client.get(f"{BASE}/indicators/gross_output/breakdown", {"group_kind": "town"}).json()
    assert {i["group_key"] for i in data["items"]} == {str(town), str(facts["units"]["乙镇"].pk)}
    assert D(data["total"]["value"]) == item.value


def test_town_user_sees_only_the_town(facts, users, client):
    client.force_login(users["town"])
    data = client.get(f"{BASE}/indicators/gross_output/breakdown", {"group_kind": "park"}).json()
    assert data["total"]["scope_kind"] == "town"
    assert (
        D(data["total"]["value"])
        == indicators.value(
            "gross_output", month=dt.date(2026, 3, 1), scope=("town", facts["units"]["甲镇"].pk)
        ).value
    )


def test_import_batches_are_not_listed_for_towns(facts, users, client):
    client.force_login(users["town"])
    assert client.get(f"{BASE}/imports").json() == []
    assert client.get(f"{BASE}/imports/999").status_code == 404
