"""API: scoping, refusals (422 naming the field, 409 for a concurrent decision), drafting."""

from __future__ import annotations

import pytest

from qiangxian.policies import services
from qiangxian.policies.models import Application

BASE = "/api/policies"


@pytest.fixture
def api_as(client, users):
    def login(name):
        client.force_login(users[name])
        return client

    return login


def test_lists_are_scoped(api_as, users, run):
    services.notify_run(actor=users["office"], run=run)
    office = api_as("office").get(f"{BASE}/applications").json()
    assert office["count"] == 2
    own = api_as("enterprise").get(f"{BASE}/applications").json()
    assert [a["enterprise_id"] for a in own["items"]] == [
        Application.objects.get(enterprise__name="甲镇园区鞋业有限公司").enterprise_id
    ]
    matches = api_as("enterprise").get(f"{BASE}/matches", {"run_id": run.pk}).json()
    assert matches["count"] == 1
    other = Application.objects.get(enterprise__name="乙镇机械有限公司")
    assert api_as("enterprise").get(f"{BASE}/applications/{other.pk}").status_code == 404


def test_bad_clause_is_422_naming_the_field(api_as, policy):
    response = api_as("office").post(
        f"{BASE}/{policy.pk}/clauses",
        {
            "title": "x",
            "effective_from": "2026-01-01",
            "quote": "原文",
            "eligibility": "研发费用@上年 >= 500万",
            "benefit_kind": "fixed",
            "benefit_amount": "200000",
            "cap_per_enterprise_year": "-1",
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "cap_per_enterprise_year" in response.json()["errors"]


def test_huge_ids_and_bad_values_are_400(api_as):
    client = api_as("office")
    assert client.get(f"{BASE}/applications/{2**70}").status_code in (400, 404)
    assert client.get(f"{BASE}/matches", {"outcome": "maybe"}).status_code == 400
    assert client.post(f"{BASE}/draft", {"text": ""}, content_type="application/json").status_code == 400


def test_concurrent_approval_is_409(api_as, users, run):
    services.notify_run(actor=users["office"], run=run)
    app = Application.objects.get(enterprise__name="甲镇园区鞋业有限公司")
    client = api_as("enterprise")
    confirmed = client.post(
        f"{BASE}/applications/{app.pk}/confirm",
        {"bank_name": "县农商银行", "bank_account": "6228480012345678"},
        content_type="application/json",
    )
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "submitted"
    office = api_as("office")
    assert (
        office.post(f"{BASE}/applications/{app.pk}/approve", {}, content_type="application/json").status_code
        == 200
    )
    second = office.post(f"{BASE}/applications/{app.pk}/approve", {}, content_type="application/json")
    assert second.status_code == 409 and "不能执行此操作" in second.json()["detail"]
    too_much = office.post(
        f"{BASE}/applications/{app.pk}/payment",
        {"amount": "999999", "paid_on": "2026-06-01", "voucher_number": "PZ1"},
        content_type="application/json",
    )
    assert too_much.status_code == 422 and "amount" in too_much.json()["errors"]


def test_draft_endpoint_returns_quotes_conditions_benefit_units(api_as):
    text = (
        "三、支持企业加大研发投入。对上年度研发费用超过５００万元的企业，按研发费用的10%给予补助，"
        "最高不超过100万元。（责任单位：县科技局、县财政局）"
    )
    response = api_as("office").post(f"{BASE}/draft", {"text": text}, content_type="application/json")
    assert response.status_code == 200
    (proposal,) = response.json()
    assert proposal["quote"] in text
    assert proposal["conditions"][0]["indicator"] == "研发费用@上年"
    assert proposal["conditions"][0]["value"] == 5_000_000 and proposal["conditions"][0]["comparator"] == ">"
    assert proposal["benefit"]["kind"] == "rate" and proposal["benefit"]["rate"] == pytest.approx(0.1)
    assert proposal["benefit"]["cap"] == 1_000_000
    assert proposal["responsible_units"] == ["县科技局", "县财政局"]
    assert (
        api_as("enterprise")
        .post(f"{BASE}/draft", {"text": text}, content_type="application/json")
        .status_code
        == 403
    )


def test_clause_of_another_policy_is_refused(api_as, users, rd_clause):
    other = services.policy_save(
        actor=users["office"], data={"title": "另一项政策", "effective_from": "2026-01-01"}
    )
    response = api_as("office").post(
        f"{BASE}/{other.pk}/clauses",
        {
            "clause_id": rd_clause.pk,
            "effective_from": "2026-08-01",
            "quote": "原文",
            "eligibility": "研发费用@上年 >= 500万",
            "benefit_kind": "fixed",
            "benefit_amount": "100000",
        },
        content_type="application/json",
    )
    assert response.status_code == 422 and "clause_id" in response.json()["errors"]
