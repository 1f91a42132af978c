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


def _land_demand(users, enterprise, area, unit):
    from qiangxian.service.services import demands, needs

    demand = demands.demand_create(
        actor=users["office"], enterprise=enterprise, category="land", title="扩产需要用地", route=False
    )
    needs.need_save(actor=users["office"], demand=demand, area=D(area), area_unit=unit, use="扩建车间")
    return demand


@pytest.mark.django_db
def test_enterprise_land_demand_matched_to_parcels_and_the_offer_links_the_demand(
    client, users, county, space
):
    park = county["units"]["工业园"]
    for code, area in (("GY-R1", "12"), ("GY-R2", "40")):
        Parcel.objects.create(code=code, park=park, area_mu=D(area), status="idle")
    firm = county["enterprises"]["乙镇机械有限公司"]
    demand = _land_demand(users, firm, "11", "mu")
    need = selectors.need_of(demand=demand)
    assert (need.land_mu, need.building_sqm, need.industry_code) == (11.0, 0.0, "3311")
    found = selectors.match_space(user=users["park"], demand=demand)
    assert [r["obj"].code for r in found["parcels"]][:2] == ["GY-R1", "GY-R2"]
    assert found["buildings"] == []
    client.force_login(users["park"])
    page = client.get(reverse("land:match") + f"?demand={demand.pk}").content.decode()
    assert "GY-R1" in page and demand.code in page
    first = Parcel.objects.get(code="GY-R1")
    client.post(reverse("land:match"), {"action": "offer", "demand": demand.pk, "parcel": first.pk})
    offer = SpaceOffer.objects.get()
    assert (offer.demand, offer.project, offer.parcel) == (demand, None, first)
    # The demand's own page lists the offer as a link to the parcel, not as free text.
    client.force_login(users["office"])
    detail = client.get(reverse("service:demand_detail", args=[demand.pk])).content.decode()
    assert reverse("land:parcel", args=[first.pk]) in detail and "已推荐" in detail


@pytest.mark.django_db
def test_floor_space_demand_is_matched_to_vacant_buildings(users, county, space):
    demand = _land_demand(users, county["enterprises"]["乙镇电子有限公司"], "2500", "sqm")
    found = selectors.match_space(user=users["office"], demand=demand)
    assert found["parcels"] == [] and [r["obj"].code for r in found["buildings"]] == ["B-01"]


@pytest.mark.django_db
def test_an_offer_names_a_project_or_a_demand_and_only_a_land_demand(users, county, space):
    from django.core.exceptions import ValidationError

    from qiangxian.land.services import space as services
    from qiangxian.service.services import demands

    parcel = space["parcels"]["A"]
    with pytest.raises(ValidationError, match="推荐给哪个项目"):
        services.offer_record(actor=users["office"], parcel=parcel)
    labour = demands.demand_create(
        actor=users["office"],
        enterprise=county["enterprises"]["乙镇机械有限公司"],
        category="labour",
        title="缺工",
        route=False,
    )
    with pytest.raises(ValidationError, match="用地/厂房类"):
        services.offer_record(actor=users["office"], demand=labour, parcel=parcel)
    assert not SpaceOffer.objects.exists()


@pytest.mark.django_db
def test_reuse_history_of_a_parcel_and_a_building_with_per_mu_before_and_after(client, users, county, space):
    import datetime as dt

    from qiangxian.land.models import EvaluationResult, EvaluationRun, Lease, Scheme
    from qiangxian.land.services import space as services

    firms = county["enterprises"]
    old, new = firms["甲镇园区鞋业有限公司"], firms["乙镇机械有限公司"]
    parcel = space["parcels"]["A"]  # held by the shoe firm
    services.parcel_update(actor=users["office"], parcel=parcel, holder=None, status="idle")
    services.parcel_update(
        actor=users["office"], parcel=parcel.__class__.objects.get(pk=parcel.pk), holder=new, status="in_use"
    )
    scheme = Scheme.objects.create(year=2024, name="评价办法", status="adopted")
    year = dt.date.today().year
    for y, firm, tax, output, land in (
        (year - 1, old, 200_000, 5_000_000, 10),
        (year, new, 900_000, 20_000_000, 10),
    ):
        run = EvaluationRun.objects.create(scheme=scheme, year=y, kind="official")
        EvaluationResult.objects.create(
            run=run,
            enterprise=firm,
            category="above",
            land_mu=land,
            input_tax=tax,
            input_output=output,
        )
    events = selectors.reuse_history(parcel=parcel)
    assert len(events) == 1
    e = events[0]
    assert (e["left"]["label"], e["came"]["label"], e["came"]["industry"]) == (
        old.name,
        new.name,
        "金属制品业",
    )
    assert (e["before"]["year"], e["before"]["output"], e["before"]["tax"]) == (year - 1, 50, 2)
    assert (e["after"]["year"], e["after"]["output"], e["after"]["tax"]) == (year, 200, 9)
    building = space["building"]
    for tenant, start, end in (
        (old, dt.date(2023, 1, 1), dt.date(2023, 12, 31)),
        (new, dt.date(2024, 3, 1), dt.date(2026, 2, 28)),
    ):
        Lease.objects.create(
            building=building, floor=1, area_sqm=500, tenant=tenant, start_on=start, end_on=end
        )
    Lease.objects.create(
        building=building,
        floor=2,
        area_sqm=500,
        tenant=new,
        start_on=dt.date(2024, 1, 1),
        end_on=dt.date(2026, 1, 1),
    )
    moves = selectors.reuse_history(building=building)
    assert [(m["place"], m["left"]["label"], m["came"]["label"], m["date"]) for m in moves] == [
        ("1层（整层）", old.name, new.name, dt.date(2024, 3, 1))
    ]
    client.force_login(users["park"])
    page = client.get(reverse("land:parcel", args=[parcel.pk])).content.decode()
    assert 'data-testid="reuse"' in page and new.name in page and "200.00 / 9.00" in page
