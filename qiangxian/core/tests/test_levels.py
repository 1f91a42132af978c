"""What a city or province issues applies to the counties below that have none of their own.

Settings rows and demand routing rules are kept per issuing level (county, city, province, or the
installation's default); a county reads the nearest one (``core.access.nearest_issued``). Policies
issued by a city are read and matched in every county of the city, a county's only in that
county. And a county standing without a city still grades only its own enterprises.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from qiangxian.core.access import issuer_chain, nearest_issued, nearest_issued_many, settings_county_id
from qiangxian.core.choices import OrgUnitKind

from .counties import build_city


@pytest.fixture
def city(db, django_user_model):
    return build_city(django_user_model)


def _counties(city):
    return city["counties"]["a"]["county"], city["counties"]["b"]["county"]


def test_the_chain_of_a_county_is_its_city_then_its_province(city):
    from qiangxian.core.models import OrgUnit

    a, _ = _counties(city)
    province = OrgUnit.objects.create(name="测试省", kind=OrgUnitKind.PROVINCE)
    city["city"].parent = province
    city["city"].save()
    assert issuer_chain(a.pk) == [a.pk, city["city"].pk, province.pk]
    assert issuer_chain(city["city"].pk) == [city["city"].pk, province.pk]
    assert issuer_chain(None) == []


# --- settings ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "model,service,field,value",
    [
        ("statistics.MonitorSettings", "qiangxian.statistics.services", "jump_pct", D(27)),
        ("supervision.SupervisionSettings", "qiangxian.supervision.services", "report_day", 12),
        ("projects.ProjectSettings", "qiangxian.projects.services", "pace_yellow_pp", D(7)),
    ],
)
def test_a_city_offices_settings_apply_to_its_counties_without_their_own(city, model, service, field, value):
    import importlib

    from django.apps import apps

    settings_model = apps.get_model(model)
    update = importlib.import_module(service).settings_update
    a, b = _counties(city)
    office = city["users"]["city_office"]
    assert settings_county_id(office) == city["city"].pk
    extra = {"pace_red_pp": D(30)} if field == "pace_yellow_pp" else {}
    update(actor=office, **{field: value}, **extra)
    city_row = settings_model.objects.get(county=city["city"])
    assert getattr(city_row, field) == value
    # County A has no settings of its own: the city's apply. County B keeps its own.
    settings_model.objects.filter(county=a).delete()
    assert settings_model.current(a.pk).pk == city_row.pk
    assert settings_model.current(b.pk).county_id == b.pk
    assert getattr(settings_model.current(b.pk), field) != value
    # A's office saving settings makes a row of A's own, started from the city's.
    own = settings_model.own(a.pk)
    assert (own.county_id, getattr(own, field)) == (a.pk, value)
    assert settings_model.current(a.pk).pk == own.pk
    # The installation's default row is untouched by the city's office.
    assert settings_model.current(None).county_id is None


def test_a_province_row_applies_where_neither_county_nor_city_has_one(city):
    from qiangxian.core.models import OrgUnit
    from qiangxian.statistics.models import MonitorSettings

    a, _ = _counties(city)
    province = OrgUnit.objects.create(name="测试省", kind=OrgUnitKind.PROVINCE)
    city["city"].parent = province
    city["city"].save()
    MonitorSettings.objects.filter(county=a).delete()
    MonitorSettings.current(None)  # the default row exists
    provincial = MonitorSettings.objects.create(county=province, stalled_months=5)
    assert MonitorSettings.current(a.pk).pk == provincial.pk
    by_city = MonitorSettings.objects.create(county=city["city"], stalled_months=4)
    assert MonitorSettings.current(a.pk).pk == by_city.pk


def test_a_lone_county_still_reads_the_default_row(db, county, users):
    from qiangxian.statistics.models import MonitorSettings

    default = MonitorSettings.current()
    assert settings_county_id(users["office"]) is None
    assert MonitorSettings.current(county["units"]["测试县"].pk).pk == default.pk


# --- routing rules -----------------------------------------------------------------------------


def test_a_city_routing_rule_routes_the_demands_of_counties_without_their_own(city):
    from qiangxian.service.models import RoutingRule
    from qiangxian.service.services.demands import demand_create, routing_rule, routing_rule_save

    a, b = _counties(city)
    # The city names the unit as each county names it: every county's 经信局 leads in its county.
    rule = routing_rule_save(
        actor=city["users"]["city_office"],
        category="finance",
        lead_name="经信局",
        sign_days=2,
        response_days=6,
        complete_days=15,
    )
    assert (rule.county_id, rule.lead_unit_id, rule.lead_name) == (city["city"].pk, None, "经信局")
    assert routing_rule("finance", a.pk).pk == rule.pk
    # A county's own rule for the category wins over the city's.
    own = RoutingRule.objects.create(category="finance", lead_unit=city["counties"]["a"]["bureau"], county=a)
    assert routing_rule("finance", a.pk).pk == own.pk
    assert routing_rule("finance", b.pk).pk == rule.pk
    demand = demand_create(
        actor=city["users"]["b_office"],
        enterprise=city["counties"]["b"]["enterprises"][0],
        category="finance",
        title="融资难",
    )
    assert demand.lead_unit_id == city["counties"]["b"]["bureau"].pk


def test_nearest_issued_falls_back_on_the_default_rule(city):
    from qiangxian.service.models import RoutingRule

    a, _ = _counties(city)
    default = RoutingRule.objects.create(category="land", lead_unit=city["counties"]["a"]["bureau"])
    assert nearest_issued(RoutingRule.objects.filter(category="land"), a.pk).pk == default.pk
    assert nearest_issued(RoutingRule.objects.filter(category="tax"), a.pk) is None


def test_nearest_issued_of_many_counties_agrees_with_one_at_a_time(city, django_assert_max_num_queries):
    from qiangxian.core.models import OrgUnit
    from qiangxian.statistics.models import MonitorSettings

    a, b = _counties(city)
    province = OrgUnit.objects.create(name="测试省", kind=OrgUnitKind.PROVINCE)
    city["city"].parent = province
    city["city"].save()
    other_city = OrgUnit.objects.create(name="乙市", kind=OrgUnitKind.CITY, parent=province)
    c = OrgUnit.objects.create(name="丙县", kind=OrgUnitKind.COUNTY, parent=other_city)
    lone = OrgUnit.objects.create(name="丁县", kind=OrgUnitKind.COUNTY)
    MonitorSettings.objects.exclude(county__isnull=True).delete()
    default = MonitorSettings.default_row()
    own_a, of_city, of_province = (MonitorSettings.own(unit.pk) for unit in (a, city["city"], province))
    units = [a.pk, b.pk, c.pk, lone.pk, city["city"].pk, other_city.pk]
    with django_assert_max_num_queries(2):
        many = nearest_issued_many(MonitorSettings.objects.all(), units)
    assert many == {pk: nearest_issued(MonitorSettings.objects.all(), pk) for pk in units}
    # a: its own; b: its city's; c (another city): the province's; a county without a city: the default.
    assert [many[pk].pk for pk in units[:4]] == [own_a.pk, of_city.pk, of_province.pk, default.pk]
    assert MonitorSettings.current_many([0, a.pk, b.pk]) == {0: default, a.pk: own_a, b.pk: of_city}


# --- policies ----------------------------------------------------------------------------------


def test_a_city_policy_is_read_and_matched_in_each_county_a_county_policy_only_in_its_own(city):
    from qiangxian.policies.models import Clause, ClauseVersion, Policy
    from qiangxian.policies.services.matching import open_versions

    _, b = _counties(city)
    policy = Policy.objects.create(
        title="测试市技改补助", issuer=city["city"], effective_from=dt.date(2026, 1, 1), status="published"
    )
    clause = Clause.objects.create(policy=policy, title="市级技改补助条款", is_published=True)
    ClauseVersion.objects.create(
        clause=clause,
        effective_from=dt.date(2026, 1, 1),
        quote="市级条款原文",
        eligibility="企业.规上 == 是",
        benefit_kind="fixed",
        benefit_amount=D(20_000),
        review_unit=city["counties"]["a"]["bureau"],
    )
    b_policy = Policy.objects.get(issuer=b)
    for key in ("a", "b"):
        leader = city["users"][f"{key}_leader"]
        visible = set(Policy.objects.visible_to(leader).values_list("pk", flat=True))
        assert policy.pk in visible
        assert (b_policy.pk in visible) == (key == "b")
    # The clauses a county office's matching run evaluates: the city's and its own, not B's.
    matched = {v.clause.pk for v in open_versions(dt.date(2026, 3, 31), actor=city["users"]["a_office"])}
    assert clause.pk in matched
    assert matched & set(
        Clause.objects.filter(policy__issuer=city["counties"]["a"]["county"]).values_list("pk", flat=True)
    )
    assert not matched & set(b_policy.clauses.values_list("pk", flat=True))


# --- a county without a city --------------------------------------------------------------------


def test_a_county_without_a_city_grades_only_its_own_enterprises(db, county):
    from qiangxian.core.models import OrgUnit
    from qiangxian.enterprises.models import Enterprise
    from qiangxian.enterprises.uscc import make_uscc
    from qiangxian.land.defaults import create_default_scheme
    from qiangxian.land.services.evaluation import compute

    home = county["units"]["测试县"]
    other = OrgUnit.objects.create(name="邻县", kind=OrgUnitKind.COUNTY)
    town = OrgUnit.objects.create(name="邻县镇", kind=OrgUnitKind.TOWN, parent=other)
    stranger = Enterprise.objects.create(
        uscc=make_uscc("9", "1", "361130", "N0000001"),
        name="邻县机械有限公司",
        town=town,
        above_scale=True,
        industry_code="3311",
    )
    scheme = create_default_scheme(year=2025, county=home)
    graded = set(compute(scheme, 2025)["ids"].tolist())
    assert stranger.pk not in graded
    assert graded and graded <= {e.pk for e in county["enterprises"].values()}


def test_a_second_county_needs_the_first_under_a_city(db, county, users):
    """A county without a city carries no boundary, so it may only ever be the only county."""
    from django.core.exceptions import ValidationError

    from qiangxian.core import services
    from qiangxian.core.models import OrgUnit

    admin, lone = users["admin"], county["units"]["测试县"]
    with pytest.raises(ValidationError, match="已有其他县"):
        services.org_unit_create(actor=admin, name="邻县", kind=OrgUnitKind.COUNTY, parent=None)
    city = services.org_unit_create(actor=admin, name="测试市", kind=OrgUnitKind.CITY, parent=None)
    with pytest.raises(ValidationError, match="请先为“测试县”设置上级"):
        services.org_unit_create(actor=admin, name="邻县", kind=OrgUnitKind.COUNTY, parent=city)
    services.org_unit_update(actor=admin, unit=lone, parent=city)
    neighbour = services.org_unit_create(actor=admin, name="邻县", kind=OrgUnitKind.COUNTY, parent=city)
    with pytest.raises(ValidationError, match="已有其他县"):
        services.org_unit_update(actor=admin, unit=neighbour, parent=None)
    assert OrgUnit.objects.filter(kind=OrgUnitKind.COUNTY, parent=city).count() == 2
    # Both counties are now boundaries: the lone county's users see only their county.
    from qiangxian.core.access import scope_of
    from qiangxian.core.models import User

    assert scope_of(User.objects.get(pk=users["leader"].pk)).counties == (lone.pk,)


def test_each_countys_warnings_use_its_own_thresholds(city):
    from qiangxian.enterprises.models import Enterprise
    from qiangxian.statistics import rollup
    from qiangxian.statistics.models import MonitorSettings, MonitorWarning

    a, b = _counties(city)
    march = dt.date(2026, 3, 1)

    def warnings(county):
        return set(
            MonitorWarning.objects.filter(month=march, enterprise__town__county=county).values_list(
                "enterprise_id", "kind"
            )
        )

    firms_a = list(Enterprise.objects.filter(town__county=a).values_list("pk", "above_scale"))
    before_b = warnings(b)
    # County A's firms project to about 1,320万元 a year: under the default 2,000万 line, over A's own.
    row = MonitorSettings.own(a.pk)
    row.scale_threshold = D(10_000_000)
    row.save()
    rollup.refresh_months([march], follow=False)
    expected_a = {(pk, MonitorWarning.Kind.SCALE_UP.value) for pk, above in firms_a if not above}
    scale_kinds = (MonitorWarning.Kind.SCALE_UP, MonitorWarning.Kind.SCALE_DOWN)
    assert expected_a and {w for w in warnings(a) if w[1] in scale_kinds} == expected_a
    assert warnings(b) == before_b and before_b
