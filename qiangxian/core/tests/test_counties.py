"""Counties as jurisdictions: the scopes of county, city and province users, and what they see."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps

from qiangxian.core.access import county_path_of, scope_of
from qiangxian.core.choices import OrgUnitKind, Role

from .counties import build_city


@pytest.fixture
def city(db, django_user_model):
    return build_city(django_user_model)


def test_every_scoped_model_reaches_its_county():
    """A model read through the access gate must say (or let the gate find) its county."""
    from qiangxian.core.access import ScopedQuerySet

    missing = [
        model.__name__
        for model in apps.get_models()
        if isinstance(model._default_manager.get_queryset(), ScopedQuerySet) and not county_path_of(model)
    ]
    assert not missing


def test_county_paths_are_found_through_enterprises_projects_and_units():
    from qiangxian.enterprises.models import Enterprise, PlanMeasure
    from qiangxian.projects.approvals.models import ApprovalItem
    from qiangxian.projects.models import Project
    from qiangxian.statistics.models import MonthlyFact

    assert county_path_of(Enterprise) == "town__county"
    assert county_path_of(MonthlyFact) == "enterprise__town__county"
    assert county_path_of(PlanMeasure) == "plan__enterprise__town__county"
    assert county_path_of(Project) == "county"
    assert county_path_of(ApprovalItem) == "project__county"


def test_units_know_their_county(city):
    a = city["counties"]["a"]
    assert a["zone"].county_id == a["county"].pk
    assert a["county"].county_id == a["county"].pk
    assert city["city"].county_id is None


def test_scopes_of_county_city_and_lone_county_users(city, county, users):
    a, b = city["counties"]["a"]["county"], city["counties"]["b"]["county"]
    leader = scope_of(city["users"]["a_leader"])
    assert (leader.everything, leader.level, leader.counties) == (True, "county", (a.pk,))
    town = scope_of(city["users"]["a_town"])
    assert (town.kind, town.counties) == ("town", (a.pk,))
    city_leader = scope_of(city["users"]["city_leader"])
    assert (city_leader.level, set(city_leader.counties)) == ("city", {a.pk, b.pk})
    assert scope_of(city["users"]["city_office"]).counties == city_leader.counties
    # The lone county of the shared fixture (no city above it) has no boundary: as before.
    assert scope_of(users["leader"]).counties is None


@pytest.mark.parametrize("who", ["a_leader", "a_office", "a_admin", "a_bureau"])
def test_county_users_see_only_their_county(city, who):
    from qiangxian.enterprises.models import Enterprise
    from qiangxian.projects.models import Project
    from qiangxian.statistics.models import MonthlyFact

    user = city["users"][who]
    a = city["counties"]["a"]["county"]
    enterprises = Enterprise.objects.visible_to(user)
    assert enterprises.count() == 2
    assert set(enterprises.values_list("town__county", flat=True)) == {a.pk}
    assert set(MonthlyFact.objects.visible_to(user).values_list("enterprise__town__county", flat=True)) == {
        a.pk
    }
    if who != "a_bureau":  # a bureau sees the projects it is responsible for
        assert list(Project.objects.visible_to(user).values_list("county", flat=True)) == [a.pk]


def test_city_users_see_every_county_below(city):
    from qiangxian.enterprises.models import Enterprise

    assert Enterprise.objects.visible_to(city["users"]["city_leader"]).count() == 4


def test_rollups_are_kept_per_county(city):
    """Each county's total is its own enterprises only (county B's output is seven times A's)."""
    from qiangxian.statistics import indicators

    month = dt.date(2026, 3, 1)
    a, b = city["counties"]["a"]["county"], city["counties"]["b"]["county"]
    # Gross output 1-3月 of the above-scale enterprise: 1,000,000 × 1.1 × 3 in A; 7,000,000 × 1.5 × 3 in B.
    value_a = indicators.value("gross_output", month=month, scope=("county", a.pk)).value
    value_b = indicators.value("gross_output", month=month, scope=("county", b.pk)).value
    assert value_a == 3_300_000
    assert value_b == 31_500_000


def test_a_county_dashboard_cannot_be_switched_to_another_county(city, client):
    client.force_login(city["users"]["a_leader"])
    b = city["counties"]["b"]["county"]
    assert client.get(f"/dashboard/?scope=county:{b.pk}").status_code in (200, 404)
    response = client.get(f"/statistics/?scope_kind=county&scope_id={b.pk}")
    assert "乙县" not in response.content.decode()


def test_roles_at_city_level_are_allowed_by_the_unit_rules():
    from qiangxian.core.choices import ROLE_UNIT_KINDS

    assert OrgUnitKind.CITY in ROLE_UNIT_KINDS[Role.LEADER]
    assert OrgUnitKind.PROVINCE in ROLE_UNIT_KINDS[Role.OFFICE]


@pytest.mark.parametrize(
    ("who", "status"),
    [(None, 302), ("a_leader", 403), ("a_office", 403), ("city_leader", 200), ("city_office", 200)],
)
def test_counties_page_permission_matrix(city, client, who, status):
    if who:
        client.force_login(city["users"][who])
    response = client.get("/dashboard/counties/?month=2026-03")
    assert response.status_code == status
    if status == 200:
        body = response.content.decode()
        assert "甲县" in body and "乙县" in body


def test_city_users_only_read_county_records(city):
    assert city["users"]["a_office"].can_manage
    assert not city["users"]["city_office"].can_manage
    assert not city["users"]["city_leader"].can_manage


def test_a_county_monthly_file_matches_only_its_own_enterprises(city):
    from qiangxian.statistics import importers

    by_code, _ = importers._registry("uscc", city["users"]["a_office"])
    own = {e.uscc for e in city["counties"]["a"]["enterprises"]}
    assert set(by_code) == own
