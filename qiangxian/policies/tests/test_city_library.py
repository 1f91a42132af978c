"""A city office keeps the city's policies through the services, pages and API.

The city's policy is issued in the city's name, matched in every county of the city (labelled
市级政策 there, read-only), and nowhere else; the city office cannot change a county's policy nor
run a county's matching, and the city leader only reads.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from qiangxian.core.choices import OrgUnitKind, Role
from qiangxian.core.tests.counties import build_city
from qiangxian.policies import services
from qiangxian.policies.models import Clause, Policy

AS_OF = dt.date(2026, 3, 31)
LABEL = "市级政策（测试市发布）"


@pytest.fixture
def city(db, django_user_model):
    from qiangxian.core.models import OrgUnit

    data = build_city(django_user_model)
    # Another city with one county and its office: the first city's policy must not reach it.
    other = OrgUnit.objects.create(name="邻市", kind=OrgUnitKind.CITY)
    county = OrgUnit.objects.create(name="丙县", kind=OrgUnitKind.COUNTY, parent=other, code="QXC")
    office = OrgUnit.objects.create(name="丙县工业强县办公室", kind=OrgUnitKind.OFFICE, parent=county)
    user = django_user_model(
        username="c_office", display_name="丙县办公室", role=Role.OFFICE, org_unit=office
    )
    user.save()
    data["users"]["c_office"] = user
    return data


def _city_policy(city, title="测试市技改补助政策") -> Policy:
    """A policy written and published by the city office through the services."""
    office = city["users"]["city_office"]
    policy = services.policy_save(
        actor=office, data={"title": title, "effective_from": dt.date(2026, 1, 1), "level": "city"}
    )
    services.clause_save(
        actor=office,
        policy=policy,
        data={
            "title": "市级规上企业奖励",
            "effective_from": dt.date(2026, 1, 1),
            "quote": "规模以上工业企业给予奖励2万元。",
            "eligibility": '持有("高新技术企业")',
            "benefit_kind": "fixed",
            "benefit_amount": D(20_000),
        },
    )
    return services.policy_publish(actor=office, policy=policy)


def test_the_city_office_issues_a_policy_in_the_citys_name(city):
    policy = _city_policy(city)
    assert policy.issuer_id == city["city"].pk
    assert policy.status == "published"
    assert policy.clauses.filter(is_published=True).count() == 1


def test_a_city_policy_is_matched_in_each_county_of_the_city_and_only_there(city):
    """Matching runs stay the counties': each county's run evaluates the city's clause over its
    own enterprises, together with its own clauses and not the other county's."""
    from qiangxian.enterprises.models import Enterprise
    from qiangxian.policies.outcomes import enterprise_matches

    policy = _city_policy(city)
    clause = policy.clauses.get()
    counties = {key: city["counties"][key]["county"] for key in ("a", "b")}
    for key, county in counties.items():
        run = services.run_matching(actor=city["users"][f"{key}_office"], as_of=AS_OF)
        assert str(clause.pk) in run.versions
        own = Clause.objects.filter(policy__issuer=county).values_list("pk", flat=True)
        others = Clause.objects.filter(policy__issuer__in=[c for k, c in counties.items() if k != key])
        assert {str(pk) for pk in own} <= set(run.versions)
        assert not {str(pk) for pk in others.values_list("pk", flat=True)} & set(run.versions)
        # Met by every enterprise of the county (each holds the title) and by no other.
        kept = {
            e.pk
            for e in Enterprise.objects.all()
            if any(m.clause_id == clause.pk and m.outcome == "met" for m in enterprise_matches(run, e.pk))
        }
        assert kept == set(Enterprise.objects.filter(town__county=county).values_list("pk", flat=True))
    # The other city's county neither sees nor matches it.
    stranger = city["users"]["c_office"]
    assert not Policy.objects.visible_to(stranger).filter(pk=policy.pk).exists()
    from qiangxian.policies.services.matching import open_versions

    assert clause.pk not in {v.clause.pk for v in open_versions(AS_OF, actor=stranger)}


def test_the_city_office_cannot_change_a_countys_policy_nor_run_its_matching(city):
    office = city["users"]["city_office"]
    county_policy = Policy.objects.get(issuer=city["counties"]["a"]["county"])
    with pytest.raises(PermissionDenied):
        services.policy_save(
            actor=office,
            policy=county_policy,
            data={"title": "改名", "effective_from": dt.date(2026, 1, 1)},
        )
    with pytest.raises(PermissionDenied):
        services.policy_publish(actor=office, policy=county_policy)
    with pytest.raises(PermissionDenied):
        services.run_matching(actor=office, as_of=AS_OF)
    county_policy.refresh_from_db()
    assert county_policy.title == "甲县惠企政策"


def test_the_city_leader_and_a_county_office_cannot_write_the_citys_policy(city):
    policy = _city_policy(city)
    with pytest.raises(PermissionDenied):
        services.policy_save(
            actor=city["users"]["city_leader"],
            data={"title": "市领导新增", "effective_from": dt.date(2026, 1, 1)},
        )
    with pytest.raises(PermissionDenied):
        services.policy_save(
            actor=city["users"]["a_office"],
            policy=policy,
            data={"title": "县里改名", "effective_from": dt.date(2026, 1, 1)},
        )


def test_a_draft_from_the_text_is_issued_in_the_drafters_name(city):
    """An unissued draft would be read in a tree of counties as shared by every county."""
    from qiangxian.policies.drafting import save_draft

    text = "测试政策\n第一条 对上年度研发费用达到500万元以上的企业，给予一次性奖励20万元。"
    county_draft = save_draft(actor=city["users"]["a_office"], title="甲县草稿", text=text)
    city_draft = save_draft(actor=city["users"]["city_office"], title="市级草稿", text=text)
    assert county_draft.issuer_id == city["counties"]["a"]["county"].pk
    assert city_draft.issuer_id == city["city"].pk


# --- pages and API ------------------------------------------------------------------------------


def test_the_city_office_creates_and_publishes_a_policy_through_the_pages(client, city):
    client.force_login(city["users"]["city_office"])
    listing = client.get(reverse("policies:list")).content.decode()
    assert reverse("policies:create") in listing
    response = client.post(
        reverse("policies:create"),
        {"title": "测试市专精特新奖励政策", "effective_from": "2026-01-01", "level": "city"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    policy = Policy.objects.get(title="测试市专精特新奖励政策")
    assert policy.issuer_id == city["city"].pk
    detail = client.get(reverse("policies:detail", args=[policy.pk])).content.decode()
    assert reverse("policies:edit", args=[policy.pk]) in detail
    assert reverse("policies:clause_create", args=[policy.pk]) in detail
    response = client.post(
        reverse("policies:clause_create", args=[policy.pk]),
        {
            "title": "专精特新奖励",
            "effective_from": "2026-01-01",
            "quote": "新认定的专精特新企业奖励10万元。",
            "eligibility": '持有("高新技术企业")',
            "benefit_kind": "fixed",
            "benefit_amount": "100000",
            "mode": "auto_grant",
            "review_days": "15",
            "exclusion_rule": "stack",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert client.post(reverse("policies:publish", args=[policy.pk])).status_code == 302
    policy.refresh_from_db()
    assert policy.status == "published"
    # A county office below reads it labelled, with no button to change it.
    client.force_login(city["users"]["b_office"])
    detail = client.get(reverse("policies:detail", args=[policy.pk])).content.decode()
    assert LABEL in detail and reverse("policies:edit", args=[policy.pk]) not in detail


def test_the_city_office_gets_no_button_on_a_countys_policy_and_is_refused(client, city):
    county_policy = Policy.objects.get(issuer=city["counties"]["a"]["county"])
    client.force_login(city["users"]["city_office"])
    detail = client.get(reverse("policies:detail", args=[county_policy.pk]))
    assert detail.status_code == 200
    page = detail.content.decode()
    assert reverse("policies:edit", args=[county_policy.pk]) not in page
    assert 'data-testid="publish"' not in page
    assert client.get(reverse("policies:edit", args=[county_policy.pk])).status_code == 403
    assert client.get(reverse("policies:clause_create", args=[county_policy.pk])).status_code == 403
    # Matching and grants stay the counties': no button to start a run.
    runs = client.get(reverse("policies:runs")).content.decode()
    assert reverse("policies:run_start") not in runs


def test_the_city_leader_sees_no_create_button_and_is_refused(client, city):
    client.force_login(city["users"]["city_leader"])
    assert reverse("policies:create") not in client.get(reverse("policies:list")).content.decode()
    assert client.get(reverse("policies:create")).status_code == 403
    response = client.post(
        "/api/policies/",
        {"title": "市领导新增", "effective_from": "2026-01-01"},
        content_type="application/json",
    )
    assert response.status_code == 403


def test_the_city_office_keeps_its_policy_through_the_api(client, city):
    client.force_login(city["users"]["city_office"])
    response = client.post(
        "/api/policies/",
        {"title": "测试市数字化改造补助", "effective_from": "2026-01-01", "level": "city"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert Policy.objects.get(pk=pk).issuer_id == city["city"].pk
    response = client.post(
        f"/api/policies/{pk}/clauses",
        {
            "title": "数字化改造补助",
            "effective_from": "2026-01-01",
            "quote": "数字化改造项目给予补助5万元。",
            "eligibility": '持有("高新技术企业")',
            "benefit_kind": "fixed",
            "benefit_amount": "50000",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert client.post(f"/api/policies/{pk}/publish").json()["status"] == "published"
    # A county's policy is refused to the city office.
    county_policy = Policy.objects.get(issuer=city["counties"]["a"]["county"])
    response = client.put(
        f"/api/policies/{county_policy.pk}",
        {"title": "改名", "effective_from": "2026-01-01"},
        content_type="application/json",
    )
    assert response.status_code == 403
    # County A's office reads it labelled; the other city's county does not see it.
    client.force_login(city["users"]["a_office"])
    assert client.get(f"/api/policies/{pk}").json()["issued_by"] == LABEL
    client.force_login(city["users"]["c_office"])
    assert client.get(f"/api/policies/{pk}").status_code == 404


def test_a_city_clause_names_no_countys_unit_to_review_or_pay(city):
    """Each county reviews and pays a city clause itself; one county's bureau would get them all."""
    from django.core.exceptions import ValidationError

    office = city["users"]["city_office"]
    policy = services.policy_save(
        actor=office, data={"title": "测试市奖励", "effective_from": dt.date(2026, 1, 1), "level": "city"}
    )
    data = {
        "title": "奖励",
        "effective_from": dt.date(2026, 1, 1),
        "quote": "原文",
        "eligibility": '持有("高新技术企业")',
        "benefit_kind": "fixed",
        "benefit_amount": D(1000),
    }
    with pytest.raises(ValidationError) as caught:
        services.clause_save(
            actor=office, policy=policy, data={**data, "review_unit": city["counties"]["a"]["bureau"]}
        )
    assert "review_unit" in caught.value.message_dict
    assert not policy.clauses.exists()
    services.clause_save(actor=office, policy=policy, data=data)
    assert policy.clauses.count() == 1
