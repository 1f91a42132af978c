"""Matching space to a project's needs: ranking, reasons, misses and the offer record."""

from decimal import Decimal as D

import numpy as np
import pytest
from django.urls import reverse

from qiangxian.land import matching, selectors
from qiangxian.land.models import Parcel, SpaceOffer, SpaceProfile
from qiangxian.projects.models import Project


def test_rank_prefers_the_closest_fit_and_rules_out_short_and_negative():
    size = np.array([50.0, 30.0, 100.0, 25.0, 40.0])
    fit = np.array([0, 0, 0, 0, -1])
    ranked = matching.rank(size, 30.0, fit)
    assert ranked.order.tolist()[:3] == [1, 0, 2]
    assert ranked.score[3] <= 0  # 25 亩 for a 30 亩 need is short (under 90%)
    assert ranked.score[4] < 0  # negative list
    good, bad = matching.reasons(25.0, 30.0, "亩", 0, "")
    assert good == []
    assert bad == ["面积 25.00 亩，不足需求 30.00 亩"]


def test_leading_industry_lifts_a_candidate():
    ranked = matching.rank(np.array([30.0, 30.0]), 30.0, np.array([0, 1]))
    assert ranked.order.tolist() == [1, 0]


@pytest.mark.django_db
def test_project_matched_and_offer_recorded(client, users, county, space):
    park = county["units"]["工业园"]
    SpaceProfile.objects.create(unit=park, park=park, leading_industries="33 34")
    for code, area in (("GY-R1", "32"), ("GY-R2", "80"), ("GY-R3", "20")):
        Parcel.objects.create(code=code, park=park, area_mu=D(area), status="reserve")
    project = Project.objects.create(
        code="XM20260001",
        name="精密机械项目",
        investor_name="外地公司",
        park=park,
        industry_code="3311",
        land_need_mu=D(30),
    )
    found = selectors.match_space(user=users["park"], project=project)
    codes = [r["obj"].code for r in found["parcels"]]
    assert codes[:2] == ["GY-R1", "GY-R2"] and codes[-1] == "GY-R3"
    assert "所属行业（金属制品业）属园区主导产业" in found["parcels"][0]["reasons"]
    client.force_login(users["park"])
    page = client.get(reverse("land:match") + f"?project={project.pk}")
    assert "GY-R1" in page.content.decode()
    first = Parcel.objects.get(code="GY-R1")
    client.post(reverse("land:match"), {"action": "offer", "project": project.pk, "parcel": first.pk})
    offer = SpaceOffer.objects.get()
    client.post(
        reverse("land:match"),
        {"action": "outcome", "project": project.pk, "offer": offer.pk, "outcome": "accepted"},
    )
    offer.refresh_from_db()
    assert offer.outcome == "accepted" and offer.history.count() == 2
