"""The chain pages: permission matrix, the office's edits through the forms, the export."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from qiangxian.chains.models import ChainLeader, LinkPlacement, ProjectPlacement
from qiangxian.core.page_check import raw_values
from qiangxian.projects.models import Project

from .conftest import MARCH

pytestmark = pytest.mark.django_db


def _pages(chain):
    c, link = chain["chain"], chain["links"]["成品鞋制造"]
    return [
        reverse("chains:index"),
        reverse("chains:detail", args=[c.pk]),
        reverse("chains:link", args=[link.pk]),
        reverse("chains:leaders", args=[c.pk]),
    ]


def test_anonymous_is_sent_to_login(chain, client):
    for url in _pages(chain):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize(
    ("role", "status"),
    [("office", 200), ("leader", 200), ("bureau", 200), ("town", 200), ("park", 200), ("enterprise", 404)],
)
def test_permission_matrix(chain, users, client, role, status):
    client.force_login(users[role])
    for url in _pages(chain):
        response = client.get(url)
        assert response.status_code == status, url
        if status == 200:
            assert raw_values(response.content.decode(), usernames=tuple(users)) == [], url


@pytest.mark.parametrize("role", ["leader", "town", "bureau"])
def test_only_the_office_edits(chain, users, client, role):
    client.force_login(users[role])
    link = chain["links"]["成品鞋制造"]
    assert client.get(reverse("chains:link_edit", args=[link.pk])).status_code == 403
    firm = chain["firms"]["甲镇园区鞋业有限公司"]
    response = client.post(reverse("chains:place_enterprise", args=[link.pk]), {"enterprise": firm.pk})
    assert response.status_code == 403
    assert not LinkPlacement.objects.exists()


def test_missing_chain_or_link_is_not_found(chain, users, client):
    client.force_login(users["office"])
    assert client.get(reverse("chains:detail", args=[999_999])).status_code == 404
    assert client.get(reverse("chains:link", args=[999_999])).status_code == 404


def test_a_town_cannot_place_an_enterprise_of_another_town(chain, users, client):
    # The office sees everything; a town user cannot edit at all, so the check is the candidate list:
    client.force_login(users["office"])
    link = chain["links"]["成品鞋制造"]
    page = client.get(reverse("chains:link", args=[link.pk])).content.decode()
    assert "乙镇机械有限公司" in page


def test_link_form_refuses_in_chinese(chain, users, client):
    client.force_login(users["office"])
    c = chain["chain"]
    response = client.post(
        reverse("chains:link_create", args=[c.pk]),
        {"segment": "upstream", "name": "纺织面料", "industry_codes": "9999", "sort_order": 0},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "本产业链已有名为“纺织面料”的环节" in page
    assert "9999" in page


def test_edit_a_link_raises_the_version_and_keeps_history(chain, users, client):
    client.force_login(users["office"])
    link = chain["links"]["鞋材辅料"]
    version = chain["chain"].version
    response = client.post(
        reverse("chains:link_edit", args=[link.pk]),
        {
            "segment": "midstream",
            "name": "鞋材辅料",
            "industry_codes": "2927；1959",
            "investment_per_mu": "300",
        },
    )
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.industry_codes == ["1959", "2927"]
    assert link.investment_per_mu == 3_000_000
    chain["chain"].refresh_from_db()
    assert chain["chain"].version == version + 1
    assert link.history.count() == 2


def test_office_places_marks_leader_records_purchase_and_lead(chain, users, client):
    client.force_login(users["office"])
    link = chain["links"]["鞋材辅料"]
    firm = chain["firms"]["甲镇园区鞋业有限公司"]
    client.post(
        reverse("chains:place_enterprise", args=[chain["links"]["成品鞋制造"].pk]), {"enterprise": firm.pk}
    )
    client.post(reverse("chains:leader_add", args=[chain["chain"].pk]), {"enterprise": firm.pk, "note": ""})
    leader = ChainLeader.objects.get()
    response = client.post(
        reverse("chains:purchase_add", args=[chain["chain"].pk]),
        {
            "leader": leader.pk,
            "link": link.pk,
            "year": 2026,
            "product": "橡胶鞋底",
            "amount": "800",
            "local": "0",
            "supplier": "某鞋材公司",
            "supplier_place": "福建晋江",
        },
    )
    assert response.status_code == 302
    lead = Project.objects.create(code="L-1", name="鞋底新材料项目", stage="sourcing")
    client.post(reverse("chains:place_project", args=[link.pk]), {"project": lead.pk})
    assert ProjectPlacement.objects.get().link == link
    page = client.get(reverse("chains:detail", args=[chain["chain"].pk]) + "?month=2026-03").content.decode()
    assert f'data-testid="state-{link.pk}">推进中' in page
    assert "橡胶鞋底（福建晋江）" in page


def test_export_has_the_tables_figures_and_a_total_row(chain, users, client):
    from qiangxian.chains import services

    for link_name, firm in [("成品鞋制造", "甲镇园区鞋业有限公司"), ("鞋材辅料", "甲镇园区鞋业有限公司")]:
        services.placement_confirm(
            actor=chain["office"], link=chain["links"][link_name], enterprise=chain["firms"][firm]
        )
    client.force_login(users["office"])
    response = client.get(
        reverse("chains:detail", args=[chain["chain"].pk]), {"export": "xlsx", "month": "2026-03"}
    )
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
    assert sheet[0][5] == "工业总产值（万元）"
    rows = {r[1]: r for r in sheet[1:]}
    assert rows["成品鞋制造"][5] == 120 and rows["鞋材辅料"][5] == 120
    total = sheet[-1]
    assert total[0] == "合计" and total[3] == 1 and total[5] == 120
    assert MARCH.month == 3
