"""API: scoped lists, the lifecycle, refusals as 403/409/422, bounded parameters."""

from __future__ import annotations

import pytest

from qiangxian.service import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def demand(svc, own):
    return services.demand_create(actor=svc["town"], enterprise=own, category="labour", title="缺缝纫工")


def test_list_is_scoped(client, svc, demand):
    client.force_login(svc["town_b"])
    assert client.get("/api/service/demands").json()["count"] == 0
    assert client.get(f"/api/service/demands/{demand.pk}").status_code == 404
    client.force_login(svc["hr1"])
    assert [d["code"] for d in client.get("/api/service/demands").json()["items"]] == [demand.code]


def test_lifecycle_and_conflicts(client, svc, demand, own):
    client.force_login(svc["hr1"])
    assert client.post(f"/api/service/demands/{demand.pk}/sign").json()["state"] == "signed"
    client.force_login(svc["hr2"])
    second = client.post(f"/api/service/demands/{demand.pk}/sign")
    assert second.status_code == 409 and "hr1用户" in second.json()["detail"]
    client.force_login(svc["fin"])
    assert (
        client.post(
            f"/api/service/demands/{demand.pk}/answer", {"answer": "x"}, content_type="application/json"
        ).status_code
        == 404
    )
    client.force_login(svc["hr1"])
    answered = client.post(
        f"/api/service/demands/{demand.pk}/answer", {"answer": "招聘到岗"}, content_type="application/json"
    )
    assert answered.json()["state"] == "answered"
    refused = client.post(
        f"/api/service/demands/{demand.pk}/rate", {"rating": "satisfied"}, content_type="application/json"
    )
    assert refused.status_code == 403
    client.force_login(svc["enterprise"])
    rated = client.post(
        f"/api/service/demands/{demand.pk}/rate", {"rating": "satisfied"}, content_type="application/json"
    )
    assert rated.json()["rating"] == "satisfied"
    steps = client.get(f"/api/service/demands/{demand.pk}/steps").json()
    assert [s["kind"] for s in steps] == ["accept", "assign", "sign", "answer", "rate"]


def test_create_refusals(client, svc, own):
    client.force_login(svc["office"])
    past = client.post(
        "/api/service/demands",
        {"enterprise_id": own.pk, "category": "labour", "title": "缺工", "wanted_by": "2020-01-01"},
        content_type="application/json",
    )
    assert past.status_code == 422 and "wanted_by" in past.json()["errors"]
    bad = client.post(
        "/api/service/demands", {"enterprise_id": 2**70, "category": "x"}, content_type="application/json"
    )
    assert bad.status_code == 400
    missing = client.post(
        "/api/service/demands",
        {"enterprise_id": 999999, "category": "labour", "title": "t"},
        content_type="application/json",
    )
    assert missing.status_code == 422 and missing.json()["errors"]["enterprise"] == ["请选择提出诉求的企业。"]


def test_league_and_bounds(client, svc, demand):
    client.force_login(svc["office"])
    rows = client.get(f"/api/service/league?year={demand.month.year}").json()
    assert rows[0]["unit"] == "人社局" and rows[0]["received"] == 1 and rows[-1]["unit"] == "合计"
    assert client.get("/api/service/league?year=99999").status_code == 400
    assert client.get("/api/service/league?year=2026&month=13").status_code == 400
    client.force_login(svc["enterprise"])
    assert client.get("/api/service/league?year=2026").status_code == 403


def test_visit_api(client, svc, own):
    client.force_login(svc["town"])
    created = client.post(
        "/api/service/visits",
        {"enterprise_id": own.pk, "visited_on": "2026-03-02", "labour": "缺工"},
        content_type="application/json",
    )
    assert created.status_code == 201
    client.force_login(svc["town_b"])
    assert client.get("/api/service/visits").json()["count"] == 0


def test_inbox_api(client, svc, demand):
    client.force_login(svc["hr1"])
    assert client.get("/api/inbox/unread").json()["unread"] == 1
    assert client.post("/api/inbox/read", {}, content_type="application/json").json()["unread"] == 1
    assert client.get("/api/inbox/unread").json()["unread"] == 0


@pytest.mark.parametrize(
    ("method", "url", "body"),
    [
        ("get", f"/api/service/demands/{2**70}", None),
        ("post", f"/api/service/demands/{2**70}/sign", None),
        ("get", "/api/service/demands?town=-1", None),
        (
            "post",
            "/api/service/demands",
            {"enterprise_id": 1, "category": "labour", "title": "x", "wanted_by": "0001-01-01"},
        ),
        ("post", "/api/service/visits", {"enterprise_id": 1, "visited_on": "9999-12-31"}),
        ("post", "/api/service/demands/1/route", {"lead_unit_id": 1, "supporting_unit_ids": [0]}),
    ],
)
def test_out_of_range_input_is_refused_not_a_server_error(client, svc, method, url, body):
    client.force_login(svc["office"])
    response = (
        getattr(client, method)(url, body, content_type="application/json")
        if body
        else getattr(client, method)(url)
    )
    assert response.status_code == 400
