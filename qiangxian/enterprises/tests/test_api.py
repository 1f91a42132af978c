"""API of the registry: scoped lists and details, validated writes, one permission matrix."""

from __future__ import annotations

import datetime as dt

import pytest

from qiangxian.enterprises import services
from qiangxian.enterprises.models import CultivationPlan, Designation, Enterprise
from qiangxian.enterprises.uscc import make_uscc


@pytest.fixture
def world(county, users):
    e = county["enterprises"]["乙镇机械有限公司"]
    d = services.designation_save(
        actor=users["office"], enterprise=e, kind="high_tech", valid_from=dt.date(2024, 1, 1)
    )
    plan = services.plan_create(
        actor=users["office"],
        enterprise=e,
        target_tier="srdi_sme",
        target_year=2027,
        measures=[{"content": "申报技术中心"}],
    )
    return {"e": e, "d": d, "plan": plan}


ENDPOINTS = [
    ("/api/enterprises/{e}", ["office", "leader", "bureau", "park"], ["town", "zone", "enterprise"]),
    (
        "/api/enterprises/designations/{d}",
        ["office", "leader", "bureau", "park"],
        ["town", "zone", "enterprise"],
    ),
    ("/api/enterprises/plans/{p}", ["office", "leader", "bureau", "park"], ["town", "zone", "enterprise"]),
]


@pytest.mark.parametrize(("path", "allowed", "hidden"), ENDPOINTS)
def test_detail_matrix(client_as, world, path, allowed, hidden):
    url = path.format(e=world["e"].pk, d=world["d"].pk, p=world["plan"].pk)
    assert client_as(None).get(url).status_code == 401
    for username in allowed:
        assert client_as(username).get(url).status_code == 200, username
    for username in hidden:
        response = client_as(username).get(url)
        assert response.status_code == 404 and response.json()["detail"] == "未找到该记录，或您无权查看。"


@pytest.mark.parametrize(
    "path", ["/api/enterprises/", "/api/enterprises/designations/", "/api/enterprises/plans/"]
)
def test_lists_are_scoped(client_as, world, path):
    assert client_as(None).get(path).status_code == 401
    office = client_as("office").get(path).json()
    town = client_as("town").get(path).json()
    assert office["count"] >= 1
    assert all(item.get("town_id", None) != world["e"].town_id for item in town["items"])
    if "enterprise_id" in (office["items"] or [{}])[0]:
        assert world["e"].pk not in {i["enterprise_id"] for i in town["items"]}


def test_enterprise_list_filters(client_as, world):
    client = client_as("office")
    names = lambda **params: {i["name"] for i in client.get("/api/enterprises/", params).json()["items"]}  # noqa: E731
    assert names(designation="high_tech") == {"乙镇机械有限公司"}
    assert names(q="机械") == {"乙镇机械有限公司"}
    assert names(division="33") == {"乙镇机械有限公司"}
    assert names(above_scale="false") == {"甲镇纺织有限公司", "乙镇电子有限公司"}


def test_create_update_enterprise(client_as, county):
    client = client_as("office")
    town = county["units"]["甲镇"].pk
    payload = {
        "uscc": make_uscc("9", "1", "361129", "AP000001"),
        "name": "接口企业有限公司",
        "town_id": town,
        "industry_code": "1952",
    }
    response = client.post("/api/enterprises/", payload, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["industry_label"].startswith("1952 ") and body["above_scale"] is False
    bad = client.post("/api/enterprises/", {**payload, "name": "再来"}, content_type="application/json")
    assert bad.status_code == 422 and "uscc" in bad.json()["errors"]
    missing_town = client.post(
        "/api/enterprises/",
        {**payload, "uscc": make_uscc("9", "1", "361129", "AP000002"), "town_id": 999999},
        content_type="application/json",
    )
    assert missing_town.status_code == 422
    pk = body["id"]
    response = client.put(
        f"/api/enterprises/{pk}", {**payload, "short_name": "接口"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["short_name"] == "接口"
    assert (
        client_as("bureau")
        .put(f"/api/enterprises/{pk}", payload, content_type="application/json")
        .status_code
        == 403
    )
    assert (
        client_as("leader").post("/api/enterprises/", payload, content_type="application/json").status_code
        == 403
    )


def test_create_designation_and_plan(client_as, world, county):
    client = client_as("office")
    e = county["enterprises"]["甲镇纺织有限公司"]
    response = client.post(
        "/api/enterprises/designations/",
        {"enterprise_id": e.pk, "kind": "innovative_sme", "valid_from": "2025-05-01", "level": "provincial"},
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["valid_to"] == "2028-04-30"
    d = Designation.objects.get(pk=response.json()["id"])
    response = client.put(
        f"/api/enterprises/designations/{d.pk}",
        {"enterprise_id": e.pk, "kind": "innovative_sme", "valid_from": "2025-05-01", "batch": "第二批"},
        content_type="application/json",
    )
    assert response.json()["batch"] == "第二批"
    unit = county["units"]["经信局"].pk
    response = client.post(
        "/api/enterprises/plans/",
        {
            "enterprise_id": e.pk,
            "target_tier": "above_scale",
            "target_year": 2026,
            "measures": [{"content": "协调用电", "responsible_unit_id": unit, "deadline": "2026-06-30"}],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["measures"][0]["responsible_unit_id"] == unit
    plan = CultivationPlan.objects.get(pk=response.json()["id"])
    response = client.put(
        f"/api/enterprises/plans/{plan.pk}",
        {"target_tier": "above_scale", "target_year": 2026, "status": "achieved"},
        content_type="application/json",
    )
    assert response.json()["status"] == "achieved"
    # Another jurisdiction's enterprise cannot be reached by id.
    other = client_as("town").post(
        "/api/enterprises/plans/",
        {"enterprise_id": world["e"].pk, "target_tier": "srdi_sme", "target_year": 2028},
        content_type="application/json",
    )
    assert other.status_code == 404
    assert Enterprise.objects.count() == 5


@pytest.mark.parametrize(
    ("method", "path", "payload"),
    [
        ("post", "/api/enterprises/", {}),
        ("put", "/api/enterprises/{e}", {"uscc": "x", "name": "x", "town_id": 1, "industry_code": "1952"}),
        ("post", "/api/enterprises/designations/", {}),
        ("put", "/api/enterprises/designations/{d}", {"enterprise_id": 0, "kind": "high_tech"}),
        ("post", "/api/enterprises/plans/", {}),
        ("put", "/api/enterprises/plans/{p}", {"target_tier": "srdi_sme", "target_year": 2027}),
    ],
)
def test_writes_need_login_and_scope(client_as, world, method, path, payload):
    url = path.format(e=world["e"].pk, d=world["d"].pk, p=world["plan"].pk)
    response = getattr(client_as(None), method)(url, payload, content_type="application/json")
    assert response.status_code == 401
    if "{" in path:
        # Another jurisdiction's record is "not found", whatever the payload.
        response = getattr(client_as("town"), method)(url, payload, content_type="application/json")
        assert response.status_code == 404


def test_updates_over_someone_elses_change_are_refused_with_409(client_as, county):
    client = client_as("office")
    firm = county["enterprises"]["甲镇纺织有限公司"]
    read = client.get(f"/api/enterprises/{firm.pk}").json()
    payload = {k: read[k] for k in ("uscc", "name", "industry_code")} | {"town_id": firm.town_id}
    first = client.put(
        f"/api/enterprises/{firm.pk}",
        {**payload, "short_name": "先改", "expected_updated_at": read["updated_at"]},
        content_type="application/json",
    )
    assert first.status_code == 200, first.content
    second = client.put(
        f"/api/enterprises/{firm.pk}",
        {**payload, "short_name": "后改", "expected_updated_at": read["updated_at"]},
        content_type="application/json",
    )
    assert second.status_code == 409 and "已被他人修改" in second.json()["detail"]
    firm.refresh_from_db()
    assert firm.short_name == "先改"

    plan = client.post(
        "/api/enterprises/plans/",
        {"enterprise_id": firm.pk, "target_tier": "above_scale", "target_year": 2026},
        content_type="application/json",
    ).json()
    change = {"target_tier": "above_scale", "target_year": 2026, "expected_updated_at": plan["updated_at"]}
    ok = client.put(
        f"/api/enterprises/plans/{plan['id']}", {**change, "summary": "先写"}, content_type="application/json"
    )
    assert ok.status_code == 200, ok.content
    late = client.put(
        f"/api/enterprises/plans/{plan['id']}", {**change, "summary": "后写"}, content_type="application/json"
    )
    assert late.status_code == 409
    assert CultivationPlan.objects.get(pk=plan["id"]).summary == "先写"
