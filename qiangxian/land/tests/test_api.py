"""API: the same scoping and refusals as the pages (401 / 404 / 400 / 422, never 500)."""

import json

import pytest

from qiangxian.land.services import evaluation

pytestmark = pytest.mark.django_db


def post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def test_anonymous_is_refused(client, space):
    assert client.get("/api/land/parcels").status_code == 401


def test_park_user_lists_only_its_parcels(client, users, space):
    client.force_login(users["park"])
    codes = {p["code"] for p in client.get("/api/land/parcels").json()["items"]}
    assert codes == {"GY-001", "GY-002"}
    other = space["parcels"]["C"]
    assert client.get(f"/api/land/parcels/{other.pk}").status_code == 404
    assert client.get(f"/api/land/parcels/{2**70}").status_code == 400


def test_parcel_in_square_metres_is_422_and_not_saved(client, users, county):
    client.force_login(users["park"])
    response = post(
        client,
        "/api/land/parcels",
        {"code": "GY-9", "park_id": county["units"]["工业园"].pk, "area_mu": "13340"},
    )
    assert response.status_code == 422
    assert "平方米" in json.dumps(response.json(), ensure_ascii=False)
    assert client.get("/api/land/parcels?q=GY-9").json()["count"] == 0


def test_huge_area_is_400(client, users, county):
    client.force_login(users["office"])
    response = post(
        client, "/api/land/parcels", {"code": "X", "park_id": county["units"]["工业园"].pk, "area_mu": "1e20"}
    )
    assert response.status_code == 400


def test_lease_overlap_is_422(client, users, space):
    client.force_login(users["park"])
    url = f"/api/land/buildings/{space['building'].pk}/leases"
    lease = {
        "floor": 1,
        "unit": "A",
        "area_sqm": "100",
        "tenant_name": "某公司",
        "start_on": "2026-01-01",
        "end_on": "2026-12-31",
    }
    assert post(client, url, lease).status_code == 201
    response = post(client, url, {**lease, "start_on": "2026-06-01", "end_on": "2027-01-31"})
    assert response.status_code == 422 and "租期重叠" in json.dumps(response.json(), ensure_ascii=False)


def test_objection_by_someone_else_is_403(client, users, graded_county):
    run = evaluation.run_create(actor=users["office"], scheme=evaluation.Scheme.objects.get())
    evaluation.run_publish(actor=users["office"], run=run)
    client.force_login(users["park"])
    machine = graded_county["乙镇机械有限公司"]
    payload = {
        "run_id": run.pk,
        "enterprise_id": machine.pk,
        "input_code": "rd",
        "claimed_value": 2e6,
        "reason": "少计",
        "evidence": "审计报告",
    }
    assert post(client, "/api/land/objections", payload).status_code == 403
    client.force_login(users["office"])
    response = post(client, "/api/land/objections", payload)
    assert response.status_code == 201
    ruled = post(
        client, f"/api/land/objections/{response.json()['id']}/ruling", {"uphold": True, "ruling": "属实"}
    )
    assert ruled.status_code == 200 and ruled.json()["grade_after"] == "B"


def test_results_with_trace(client, users, graded_county):
    evaluation.run_create(actor=users["office"], scheme=evaluation.Scheme.objects.get())
    client.force_login(users["enterprise"])
    items = client.get("/api/land/results").json()["items"]
    assert [i["enterprise_id"] for i in items] == [graded_county["甲镇园区鞋业有限公司"].pk]
    assert items[0]["trace"]["points"] == pytest.approx([90, 53.3333], abs=1e-3)
    assert client.get("/api/land/schemes").status_code == 403
