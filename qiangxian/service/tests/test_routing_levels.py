"""Routing rules issued by a city name their units as each county names them ("经信局"): a
demand always lands at a unit of its enterprise's own county, never another county's, and a
county without such a unit keeps the demand for its office to assign."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from qiangxian.core.choices import OrgUnitKind, Role
from qiangxian.core.tests.counties import PASSWORD, build_city
from qiangxian.service.choices import DemandState
from qiangxian.service.models import RoutingRule
from qiangxian.service.services.demands import (
    demand_create,
    demand_route,
    routing_rule,
    routing_rule_save,
    rule_units,
    unit_names_below,
)


@pytest.fixture
def city(db, django_user_model):
    data = build_city(django_user_model)
    from qiangxian.core.models import OrgUnit

    # County A also has a 自然资源局; county B does not. A county of another city has one too.
    data["a_land"] = OrgUnit.objects.create(
        name="甲县自然资源局", kind=OrgUnitKind.BUREAU, parent=data["counties"]["a"]["county"]
    )
    other_city = OrgUnit.objects.create(name="邻市", kind=OrgUnitKind.CITY)
    other = OrgUnit.objects.create(name="丙县", kind=OrgUnitKind.COUNTY, parent=other_city)
    data["c_land"] = OrgUnit.objects.create(name="自然资源局", kind=OrgUnitKind.BUREAU, parent=other)
    data["other_county"] = other
    return data


def _firm(city, key):
    return city["counties"][key]["enterprises"][0]


def test_a_city_rule_routes_each_countys_demand_to_that_countys_unit(city):
    routing_rule_save(
        actor=city["users"]["city_office"],
        category="finance",
        lead_name="经信局",
        supporting_names=["统计局"],
    )
    for key in ("a", "b"):
        demand = demand_create(
            actor=city["users"][f"{key}_office"],
            enterprise=_firm(city, key),
            category="finance",
            title="融资难",
        )
        county = city["counties"][key]
        assert demand.lead_unit_id == county["bureau"].pk
        assert {u.county_id for u in demand.supporting_units.all()} == {county["county"].pk}
        assert [u.name for u in demand.supporting_units.all()] == [f"{county['county'].name}统计局"]
    # Another city's county does not inherit it.
    assert routing_rule("finance", city["other_county"].pk) is None


def test_a_county_without_the_named_unit_keeps_the_demand_for_its_office(city):
    routing_rule_save(actor=city["users"]["city_office"], category="land", lead_name="自然资源局")
    a_demand = demand_create(
        actor=city["users"]["a_office"], enterprise=_firm(city, "a"), category="land", title="用地"
    )
    assert a_demand.lead_unit_id == city["a_land"].pk
    b_demand = demand_create(
        actor=city["users"]["b_office"], enterprise=_firm(city, "b"), category="land", title="用地"
    )
    assert b_demand.lead_unit_id is None and b_demand.state == DemandState.ACCEPTED
    assert b_demand.lead_unit_id != city["c_land"].pk


def test_a_rule_naming_another_countys_unit_still_lands_in_the_demands_county(city):
    """The installation's default rule (or one made before counties) names one county's unit:
    the demand of another county goes to that county's unit of the same name."""
    RoutingRule.objects.create(category="market", lead_unit=city["counties"]["a"]["bureau"])
    rule = routing_rule("market", city["counties"]["b"]["county"].pk)
    lead, _ = rule_units(rule, city["counties"]["b"]["county"].pk)
    assert lead.pk == city["counties"]["b"]["bureau"].pk
    demand = demand_create(
        actor=city["users"]["b_office"], enterprise=_firm(city, "b"), category="market", title="退税"
    )
    assert demand.lead_unit_id == city["counties"]["b"]["bureau"].pk


def test_a_demand_is_never_assigned_to_another_countys_unit(city):
    demand = demand_create(
        actor=city["users"]["b_office"],
        enterprise=_firm(city, "b"),
        category="other",
        title="其他",
        route=False,
    )
    with pytest.raises(ValidationError, match="企业所在县"):
        demand_route(
            actor=city["users"]["b_office"], demand=demand, lead_unit=city["counties"]["a"]["bureau"]
        )


def test_who_writes_what_kind_of_rule(city):
    # A county office names units of its own county only.
    with pytest.raises(ValidationError, match="本县"):
        routing_rule_save(
            actor=city["users"]["a_office"], category="market", lead_unit=city["counties"]["b"]["bureau"]
        )
    own = routing_rule_save(
        actor=city["users"]["a_office"], category="market", lead_unit=city["counties"]["a"]["bureau"]
    )
    assert own.county_id == city["counties"]["a"]["county"].pk
    # A city office names units by name, from its counties' bureaus (not another city's).
    with pytest.raises(ValidationError):
        routing_rule_save(
            actor=city["users"]["city_office"], category="market", lead_unit=city["counties"]["a"]["bureau"]
        )
    names = unit_names_below(city["users"]["city_office"])
    assert "经信局" in names and "统计局" in names and "自然资源局" in names
    assert not any(n.startswith(("甲县", "乙县")) for n in names)


def test_the_rules_page_of_a_city_office_and_of_a_county_office(city, client, django_user_model):
    client.force_login(city["users"]["city_office"])
    page = client.get("/service/rules/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="lead_name"' in html and "甲县经信局" not in html
    response = client.post(
        "/service/rules/",
        {
            "category": "finance",
            "lead_name": "经信局",
            "sign_days": 1,
            "response_days": 5,
            "complete_days": 10,
        },
    )
    assert response.status_code == 302
    assert RoutingRule.objects.get(county=city["city"], category="finance").lead_name == "经信局"
    client.force_login(city["users"]["a_office"])
    html = client.get("/service/rules/").content.decode()
    assert "市级规则（测试市发布）" in html and 'name="lead_unit"' in html
    # A county office of another city sees no trace of it.
    other_office = django_user_model(username="c_office", role=Role.OFFICE, org_unit=city["other_county"])
    other_office.set_password(PASSWORD)
    other_office.save()
    client.force_login(other_office)
    assert "测试市" not in client.get("/service/rules/").content.decode()
