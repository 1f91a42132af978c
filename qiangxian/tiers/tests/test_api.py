"""API of the pool: scoped like the pages, the same 404 for missing and forbidden ids."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from qiangxian.statistics.models import MonthlyFact

pytestmark = pytest.mark.django_db


@pytest.fixture
def near_firm(county):
    firm = county["enterprises"]["甲镇纺织有限公司"]
    MonthlyFact.objects.create(
        enterprise=firm,
        month=dt.date(dt.date.today().year - 1, 12, 1),
        source="stats",
        main_revenue_ytd=Decimal(18_000_000),
    )
    return firm


def test_counts_per_tier(client_as, near_firm):
    data = client_as("office").get("/api/tiers/pool/").json()
    above = next(t for t in data if t["code"] == "above_scale")
    assert above["near"] == 1 and above["held"] == 3
    assert [t["code"] for t in data][:3] == ["above_scale", "tech_sme", "innovative_sme"]


def test_pool_list_with_gaps(client_as, near_firm):
    data = client_as("office").get("/api/tiers/pool/above_scale/?list=near").json()
    assert data["count"] == 1 and "不代表官方认定" in data["notice"]
    row = data["rows"][0]
    assert row["enterprise_id"] == near_firm.pk and row["status"] == "near"
    assert row["gaps"] == ["主营业务收入 1800万元，需达到 2000万元，还差 200万元"]


def test_pool_is_scoped(client_as, near_firm, county):
    assert client_as("town").get("/api/tiers/pool/above_scale/?list=near").json()["count"] == 1
    other_town = county["units"]["乙镇"].pk
    assert (
        client_as("office").get(f"/api/tiers/pool/above_scale/?list=near&town={other_town}").json()["count"]
        == 0
    )
    assert client_as("park").get("/api/tiers/pool/above_scale/?list=near").json()["count"] == 0


def test_unknown_tier_or_list_is_404(client_as, near_firm):
    assert client_as("office").get("/api/tiers/pool/nonsense/").status_code == 404
    assert client_as("office").get("/api/tiers/pool/above_scale/?list=nonsense").status_code == 404


@pytest.mark.parametrize("username,status", [("office", 200), ("town", 200), ("park", 404), (None, 401)])
def test_enterprise_evaluation_matrix(client_as, near_firm, username, status):
    response = client_as(username).get(f"/api/tiers/enterprises/{near_firm.pk}/")
    assert response.status_code == status
    if status == 200:
        data = response.json()
        check = next(t for t in data["tiers"] if t["tier"] == "above_scale")
        assert check["status"] == "near"
        criteria = {c["code"]: c for c in check["explanation"]["criteria"]}
        assert criteria["main_revenue"]["values"][0]["source"].startswith("统计局数据")
        assert data["next_tier"] == "above_scale"


def test_missing_and_forbidden_look_the_same(client_as, county):
    client = client_as("town")
    forbidden = client.get(f"/api/tiers/enterprises/{county['enterprises']['乙镇电子有限公司'].pk}/")
    missing = client.get("/api/tiers/enterprises/999999/")
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.json() == missing.json()
