"""What each county keeps for itself: settings, evaluation schemes, meetings and documents, visit
campaigns, routing rules; and the accounts and events its security and audit administrators see."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from qiangxian.core.choices import AuditKind, Role

from .counties import PASSWORD, build_city


@pytest.fixture
def city(db, django_user_model):
    return build_city(django_user_model)


def _counties(city):
    return city["counties"]["a"]["county"], city["counties"]["b"]["county"]


# --- settings ----------------------------------------------------------------------------------


def test_a_county_office_changes_only_its_own_settings(city):
    from qiangxian.projects import services as project_services
    from qiangxian.projects.models import ProjectSettings
    from qiangxian.statistics import services as statistics_services
    from qiangxian.statistics.models import MonitorSettings
    from qiangxian.supervision import services as supervision_services
    from qiangxian.supervision.models import SupervisionSettings

    a, b = _counties(city)
    office = city["users"]["a_office"]
    statistics_services.settings_update(actor=office, jump_pct=D(33))
    supervision_services.settings_update(actor=office, report_day=18)
    project_services.settings_update(actor=office, pace_yellow_pp=D(15), pace_red_pp=D(40))
    assert MonitorSettings.current(a.pk).jump_pct == D(33)
    assert MonitorSettings.current(b.pk).jump_pct == D(40)
    assert SupervisionSettings.current(a.pk).report_day == 18
    assert SupervisionSettings.current(b.pk).report_day == 20
    assert ProjectSettings.current(a.pk).pace_yellow_pp == D(15)
    assert ProjectSettings.current(b.pk).pace_yellow_pp == D(12)


def test_a_county_switches_on_its_own_scheduled_report_only(city):
    from qiangxian.reports import services as report_services
    from qiangxian.reports.models import ReportSettings

    a, b = _counties(city)
    report_services.settings_save(actor=city["users"]["a_office"], auto_monthly=True)
    assert ReportSettings.current(a.pk).auto_monthly
    assert not ReportSettings.current(b.pk).auto_monthly


def test_a_county_without_settings_of_its_own_reads_the_default_then_copies_it(city):
    from qiangxian.statistics.models import MonitorSettings

    a, _ = _counties(city)
    MonitorSettings.objects.filter(county=a).delete()
    default = MonitorSettings.current(None)
    default.stalled_months = 4
    default.save()
    assert MonitorSettings.current(a.pk).pk == default.pk
    own = MonitorSettings.own(a.pk)
    assert (own.county_id, own.stalled_months) == (a.pk, 4)
    assert own.pk != default.pk
    assert MonitorSettings.current(None).pk == default.pk


def test_a_lone_county_keeps_its_one_settings_row(db, county, users):
    """A county standing alone never gets a second row: what it saves is the default row."""
    from qiangxian.statistics import services as statistics_services
    from qiangxian.statistics.models import MonitorSettings

    statistics_services.settings_update(actor=users["office"], jump_pct=D(21))
    assert MonitorSettings.objects.count() == 1
    assert MonitorSettings.current().jump_pct == D(21)


# --- per-county tables -------------------------------------------------------------------------


def test_schemes_are_numbered_and_read_per_county(city):
    from qiangxian.land import selectors
    from qiangxian.land.models import Scheme
    from qiangxian.land.services import evaluation

    a, b = _counties(city)
    assert set(Scheme.objects.filter(year=2025).values_list("county", "version")) == {(a.pk, 1), (b.pk, 1)}
    office = city["users"]["a_office"]
    copy = evaluation.scheme_copy(actor=office, scheme=Scheme.objects.get(county=a))
    assert (copy.county_id, copy.version) == (a.pk, 2)
    assert set(selectors.schemes(office).values_list("county", flat=True)) == {a.pk}
    assert selectors.schemes(city["users"]["city_leader"]).count() == 3


def test_meetings_and_documents_stay_in_their_county(city):
    from qiangxian.supervision import selectors
    from qiangxian.supervision.services.meetings import meeting_save

    a, _ = _counties(city)
    leader = city["users"]["a_leader"]
    assert {m.county_id for m in selectors.meeting_list(user=leader)} == {a.pk}
    assert {d.county_id for d in selectors.document_list(user=leader)} == {a.pk}
    meeting = meeting_save(actor=city["users"]["a_office"], title="调度会", held_on=dt.date(2026, 4, 1))
    assert meeting.county_id == a.pk
    assert not selectors.meeting_list(user=city["users"]["b_leader"]).filter(pk=meeting.pk).exists()


def test_two_counties_may_name_a_campaign_alike_and_see_only_their_own(city):
    from qiangxian.service.models import VisitCampaign
    from qiangxian.service.services.campaigns import campaign_save

    a, _b = _counties(city)
    firms = city["counties"]["a"]["enterprises"]
    campaign = campaign_save(
        actor=city["users"]["a_office"],
        name="乙县春季大走访",  # county B's campaign name, in county A
        starts_on=dt.date(2026, 6, 1),
        ends_on=dt.date(2026, 6, 30),
        enterprises=firms,
    )
    assert campaign.county_id == a.pk
    seen = VisitCampaign.objects.visible_to(city["users"]["a_bureau"])
    assert set(seen.values_list("county", flat=True)) == {a.pk}


def test_a_demand_is_routed_by_its_own_countys_rule(city):
    from qiangxian.service.services.demands import demand_create

    for key in ("a", "b"):
        county = city["counties"][key]
        demand = demand_create(
            actor=city["users"][f"{key}_office"],
            enterprise=county["enterprises"][0],
            category="labour",
            title="招工难",
        )
        assert demand.lead_unit_id == county["bureau"].pk


def test_a_county_office_writes_its_own_routing_rule(city):
    from qiangxian.service.models import RoutingRule
    from qiangxian.service.services.demands import routing_rule_save

    a, b = _counties(city)
    town = city["counties"]["a"]["town"]
    routing_rule_save(actor=city["users"]["a_office"], category="labour", lead_unit=town)
    assert RoutingRule.objects.get(county=a, category="labour").lead_unit_id == town.pk
    b_rule = RoutingRule.objects.get(county=b, category="labour")
    assert b_rule.lead_unit_id == city["counties"]["b"]["bureau"].pk


# --- security and audit administrators --------------------------------------------------------


def _admin(django_user_model, name, role, unit):
    user = django_user_model(username=name, display_name=name, role=role, org_unit=unit)
    user.set_password(PASSWORD)
    user.save()
    return user


def test_auditors_see_the_events_of_their_counties_accounts(city, django_user_model, client):
    from qiangxian.core import audit

    a, _b = _counties(city)
    auditor = _admin(django_user_model, "a_auditor", Role.AUDITOR, a)
    city_auditor = _admin(django_user_model, "city_auditor", Role.AUDITOR, city["city"])
    audit.record(AuditKind.LOGIN, user=city["users"]["a_leader"], target="甲县登录记录")
    audit.record(AuditKind.LOGIN, user=city["users"]["b_leader"], target="乙县登录记录")
    audit.record(AuditKind.LOGIN_FAILED, username="b_office", target="乙县失败记录")
    audit.record(AuditKind.LOGIN, user=city["users"]["city_office"], target="市级登录记录")
    client.force_login(auditor)
    page = client.get("/audit/").content.decode()
    assert "甲县登录记录" in page
    assert "乙县登录记录" not in page and "乙县失败记录" not in page and "市级登录记录" not in page
    client.force_login(city_auditor)
    page = client.get("/audit/").content.decode()
    assert all(t in page for t in ("甲县登录记录", "乙县登录记录", "乙县失败记录", "市级登录记录"))


def test_security_administrators_see_and_unlock_only_their_accounts(city, django_user_model, client):
    from axes.models import AccessAttempt
    from django.utils import timezone

    from qiangxian.core import security

    a, _ = _counties(city)
    officer = _admin(django_user_model, "a_security", Role.SECURITY, a)
    limit = security.account_failure_limit()
    for name in ("a_town", "b_town"):
        AccessAttempt.objects.create(
            username=name,
            ip_address="10.0.0.1",
            user_agent="test",
            failures_since_start=limit,
            attempt_time=timezone.now(),
        )
    client.force_login(officer)
    page = client.get("/security/lockouts/").content.decode()
    assert "a_town" in page and "b_town" not in page
    client.post("/security/unlock/", {"username": "b_town"})
    assert AccessAttempt.objects.filter(username="b_town").exists()
    client.post("/security/unlock/", {"username": "a_town"})
    assert not AccessAttempt.objects.filter(username="a_town").exists()
