"""The chains API: the same figures as the page, scoped reads, the office's writes, refusals."""

from __future__ import annotations

import pytest

from qiangxian.chains import services
from qiangxian.chains.models import ChainLeader, LinkPlacement

pytestmark = pytest.mark.django_db


def test_chain_figures_match_the_selector_and_are_scoped(chain, users, client):
    for link_name, firm in [("成品鞋制造", "甲镇园区鞋业有限公司"), ("鞋材辅料", "乙镇机械有限公司")]:
        services.placement_confirm(
            actor=chain["office"], link=chain["links"][link_name], enterprise=chain["firms"][firm]
        )
    client.force_login(users["office"])
    body = client.get(f"/api/chains/{chain['chain'].pk}/?month=2026-03").json()
    links = {item["name"]: item for item in body["links"]}
    assert links["成品鞋制造"]["gross_output"] == "1200000.00"
    assert links["鞋材辅料"]["enterprises"] == 1
    assert links["品牌与电商"]["strength"] == "missing"
    assert body["total"]["enterprises"] == 2
    client.force_login(users["town"])
    body = client.get(f"/api/chains/{chain['chain'].pk}/?month=2026-03").json()
    assert body["total"]["enterprises"] == 1
    client.force_login(users["enterprise"])
    assert client.get(f"/api/chains/{chain['chain'].pk}/").status_code == 403
    assert client.get("/api/chains/").status_code == 403


def test_office_places_and_records_a_purchase_others_cannot(chain, users, client):
    link = chain["links"]["鞋材辅料"]
    firm = chain["firms"]["甲镇园区鞋业有限公司"]
    client.force_login(users["leader"])
    response = client.post(
        f"/api/chains/links/{link.pk}/placements/",
        {"enterprise_id": firm.pk},
        content_type="application/json",
    )
    assert response.status_code == 403
    client.force_login(users["office"])
    response = client.post(
        f"/api/chains/links/{link.pk}/placements/",
        {"enterprise_id": firm.pk},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert LinkPlacement.objects.get().status == "confirmed"
    leader = services.leader_save(actor=chain["office"], chain=chain["chain"], enterprise=firm)
    payload = {
        "leader_id": leader.pk,
        "link_id": link.pk,
        "year": 2026,
        "product": "鞋底",
        "amount": "-5",
        "local": False,
    }
    url = f"/api/chains/{chain['chain'].pk}/purchases/"
    assert client.post(url, payload, content_type="application/json").status_code in (400, 422)
    payload["amount"] = "5000000"
    assert client.post(url, payload, content_type="application/json").status_code == 201
    assert client.get(url).json()[0]["product"] == "鞋底"
    assert ChainLeader.objects.count() == 1


@pytest.mark.parametrize(
    "payload",
    [
        {"segment": "sideways", "name": "x"},
        {"segment": "upstream", "name": "x" * 51},
        {"segment": "upstream", "name": "x", "investment_per_mu": "1e30"},
        {"segment": "upstream", "name": "x", "sort_order": -1},
    ],
)
def test_bad_link_input_is_a_400_not_a_500(chain, users, client, payload):
    client.force_login(users["office"])
    response = client.post(
        f"/api/chains/{chain['chain'].pk}/links/", payload, content_type="application/json"
    )
    assert response.status_code == 400


def test_a_huge_id_is_a_400_and_an_unknown_one_404(chain, users, client):
    client.force_login(users["office"])
    assert client.get(f"/api/chains/{2**70}/").status_code in (400, 404)
    assert client.get("/api/chains/999999/").status_code == 404


def test_a_stale_link_update_is_a_409(chain, users, client):
    client.force_login(users["office"])
    link = chain["links"]["鞋材辅料"]
    payload = {"segment": "midstream", "name": "鞋材辅料", "expected_updated_at": "2020-01-01T00:00:00+08:00"}
    response = client.put(f"/api/chains/links/{link.pk}/", payload, content_type="application/json")
    assert response.status_code == 409
