"""API of extensions, archiving, the bureaus' forms and the similar-demand groups: 400 for input
out of bounds, 422 for a service's refusal, 409 for a decision already taken, scoped reads."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from qiangxian.service import services
from qiangxian.service.models import Demand
from qiangxian.service.tests.test_similar import TEXTS

pytestmark = pytest.mark.django_db
JSON = "application/json"


@pytest.fixture
def signed(svc, own):
    demand = services.demand_create(actor=svc["town"], enterprise=own, category="labour", title="缺缝纫工")
    return services.demand_sign(actor=svc["hr1"], demand=demand)


def test_extension_requested_decided_once(client, svc, signed):
    client.force_login(svc["hr1"])
    new_due = (signed.complete_due + dt.timedelta(days=10)).isoformat()
    made = client.post(
        f"/api/service/demands/{signed.pk}/extensions",
        {"new_due": new_due, "reason": "招聘会下月举办"},
        content_type=JSON,
    )
    assert made.status_code == 201 and made.json()["status"] == "pending"
    again = client.post(
        f"/api/service/demands/{signed.pk}/extensions",
        {"new_due": new_due, "reason": "再申请"},
        content_type=JSON,
    )
    assert again.status_code == 422 and "待审批" in again.json()["detail"] + str(again.json()["errors"])
    url = f"/api/service/extensions/{made.json()['id']}/decision"
    assert client.post(url, {"approve": True}, content_type=JSON).status_code == 403
    client.force_login(svc["office"])
    decided = client.post(url, {"approve": True}, content_type=JSON)
    assert decided.status_code == 200 and decided.json()["status"] == "approved"
    assert client.get(f"/api/service/demands/{signed.pk}").json()["complete_due"] == new_due
    assert client.post(url, {"approve": False}, content_type=JSON).status_code == 409
    client.force_login(svc["town_b"])
    assert client.post(url, {"approve": True}, content_type=JSON).status_code == 404


def test_extension_bad_input(client, svc, signed):
    client.force_login(svc["hr1"])
    url = f"/api/service/demands/{signed.pk}/extensions"
    past = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    refused = client.post(url, {"new_due": past, "reason": ""}, content_type=JSON)
    assert refused.status_code == 422 and set(refused.json()["errors"]) == {"new_due", "reason"}
    for body in ({"new_due": "9999-01-01", "reason": "x"}, {"new_due": None, "reason": "x"},
                 {"new_due": "2027-01-01", "reason": "x" * 501}):  # fmt: skip
        assert client.post(url, body, content_type=JSON).status_code == 400, body
    assert (
        client.post("/api/service/extensions/0/decision", {"approve": True}, content_type=JSON).status_code
        == 400
    )


def test_archive_only_when_rated(client, svc, signed, own):
    client.force_login(svc["office"])
    url = f"/api/service/demands/{signed.pk}/archive"
    assert client.post(url).status_code == 422
    services.demand_answer(actor=svc["hr1"], demand=signed, answer="已招到")
    services.demand_rate(actor=svc["enterprise"], demand=Demand.objects.get(pk=signed.pk), rating="satisfied")
    client.force_login(svc["hr1"])
    assert client.post(url).status_code == 403
    client.force_login(svc["office"])
    archived = client.post(url)
    assert archived.status_code == 200 and archived.json()["state"] == "archived"


def test_labour_form_and_outcome_by_the_lead_unit(client, svc, signed):
    url = f"/api/service/demands/{signed.pk}/labour"
    client.force_login(svc["town"])
    assert client.get(url).status_code == 404  # no form yet
    missing = client.put(url, {"headcount": 5}, content_type=JSON)
    assert missing.status_code == 422 and "positions" in missing.json()["errors"]
    made = client.put(url, {"positions": "缝纫工", "headcount": 5, "wage": "5000元/月"}, content_type=JSON)
    assert made.status_code == 200 and made.json()["headcount"] == 5
    assert client.put(url, {"filled": 3}, content_type=JSON).status_code == 403
    for body in (
        {"headcount": -1},
        {"headcount": 2**40},
        {"positions": "x" * 201},
        {"needed_by": "0001-01-01"},
    ):
        assert client.put(url, body, content_type=JSON).status_code == 400, body
    client.force_login(svc["hr1"])
    assert client.put(url, {"filled": 3}, content_type=JSON).json()["filled"] == 3
    client.force_login(svc["town_b"])
    assert client.get(url).status_code == 404


def test_finance_and_land_forms_bounds(client, svc, own):
    demand = services.demand_create(actor=svc["office"], enterprise=own, category="finance", title="应急转贷")
    client.force_login(svc["office"])
    url = f"/api/service/demands/{demand.pk}/finance"
    assert client.put(url, {"amount": "1" + "0" * 20, "kind": "bridge"}, content_type=JSON).status_code == 400
    assert client.put(url, {"amount": "100", "kind": "nonsense"}, content_type=JSON).status_code == 400
    negative = client.put(url, {"amount": "-5", "kind": "bridge"}, content_type=JSON)
    assert negative.status_code == 422 and "amount" in negative.json()["errors"]
    made = client.put(url, {"amount": "3000000", "kind": "bridge", "bank": "县农商行"}, content_type=JSON)
    assert made.status_code == 200 and made.json()["kind_display"]
    # a finance demand has no land form
    land = client.put(f"/api/service/demands/{demand.pk}/land", {"area": "10"}, content_type=JSON)
    assert land.status_code == 422


def test_similar_groups_and_turning_one_into_a_task(client, svc):
    e = svc["enterprises"]
    made = [
        services.demand_create(actor=svc["office"], enterprise=enterprise, category="other", title=text)
        for enterprise, text in zip(e.values(), TEXTS[:3] + TEXTS[6:8], strict=True)
    ]
    client.force_login(svc["hr1"])
    assert client.get("/api/service/similar").status_code == 403
    client.force_login(svc["office"])
    groups = client.get("/api/service/similar").json()
    assert [sorted(g["ids"]) for g in groups] == [sorted(d.pk for d in made[:3])]
    body = {
        "demand_ids": groups[0]["ids"],
        "title": "园区三号路修复",
        "kind": "task",
        "lead_unit_id": svc["hr"].pk,
    }
    created = client.post("/api/service/groups", body, content_type=JSON)
    assert created.status_code == 201 and sorted(created.json()["demand_ids"]) == sorted(groups[0]["ids"])
    again = client.post("/api/service/groups", body, content_type=JSON)
    assert again.status_code == 422
    assert client.get("/api/service/similar").json() == []
    assert [g["title"] for g in client.get("/api/service/groups").json()] == ["园区三号路修复"]
    for bad in ({**body, "demand_ids": [made[3].pk]}, {**body, "kind": "x"}, {**body, "title": "x" * 201},
                {**body, "lead_unit_id": 2**70}, {**body, "demand_ids": [0, -1]}):  # fmt: skip
        assert client.post("/api/service/groups", bad, content_type=JSON).status_code == 400, bad
    unknown = client.post(
        "/api/service/groups", {**body, "demand_ids": [made[3].pk, 10**9]}, content_type=JSON
    )
    assert unknown.status_code == 404
