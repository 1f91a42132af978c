"""Campaign and planned-visit pages: permission matrix, the enterprise groups, edits with history,
lost updates, the "无事不扰" warning before a plan is saved, planned vs visited in the coverage."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from qiangxian.core.page_check import raw_values
from qiangxian.enterprises.models import EnterpriseLiaison
from qiangxian.service import selectors, services
from qiangxian.service.models import VisitCampaign, VisitPlan

pytestmark = pytest.mark.django_db


def _campaign(svc, **extra):
    today = timezone.localdate()
    return services.campaign_save(
        actor=svc["office"], name="一线大走访", starts_on=today - dt.timedelta(days=10),
        ends_on=today + dt.timedelta(days=60), enterprises=list(svc["enterprises"].values()), **extra,
    )  # fmt: skip


def _post(svc, hr_id, **extra):
    today = timezone.localdate()
    return {
        "name": "春季走访",
        "starts_on": today.isoformat(),
        "ends_on": (today + dt.timedelta(days=90)).isoformat(),
        "quiet_days": "20",
        f"target_{hr_id}": "3",
        **extra,
    }


@pytest.mark.parametrize("url", ["/service/campaigns/", "/service/campaigns/new/", "/service/plans/new/"])
def test_anonymous_users_are_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/login/")


@pytest.mark.parametrize(
    ("role", "create", "plan"),
    [
        ("office", 200, 200),
        ("hr1", 403, 200),
        ("town", 403, 200),
        ("enterprise", 404, 404),  # government pages: the gate answers an enterprise 404
        ("leader", 403, 403),
    ],
)
def test_permission_matrix(client, svc, role, create, plan):
    campaign = _campaign(svc)
    client.force_login(svc[role])
    assert client.get("/service/campaigns/new/").status_code == create
    assert client.get(f"/service/campaigns/{campaign.pk}/edit/").status_code == create
    assert client.get("/service/plans/new/").status_code == plan
    listing = client.get("/service/campaigns/")
    assert listing.status_code == (404 if role == "enterprise" else 200)
    if listing.status_code == 200:
        assert raw_values(listing.content.decode(), usernames=tuple(svc)) == []


def test_office_creates_a_campaign_from_groups_and_edits_it_with_history(client, svc):
    client.force_login(svc["office"])
    town_b = svc["town_b"].org_unit
    response = client.post(
        "/service/campaigns/new/", _post(svc, svc["hr"].pk, above_scale="on", towns=[town_b.pk])
    )
    campaign = VisitCampaign.objects.get(name="春季走访")
    assert response.status_code == 302
    # above scale: 鞋业, 食品, 机械; town 乙镇: 机械, 电子
    assert sorted(campaign.enterprises.values_list("name", flat=True)) == sorted(
        ["甲镇园区鞋业有限公司", "甲镇食品有限公司", "乙镇机械有限公司", "乙镇电子有限公司"]
    )
    assert campaign.targets.get().target == 3
    form = client.get(f"/service/campaigns/{campaign.pk}/edit/").context["form"]
    data = _post(
        svc, svc["hr"].pk, name="春季大走访", expected_updated_at=form.initial["expected_updated_at"]
    )
    data["enterprises"] = form.initial["enterprises"]
    assert client.post(f"/service/campaigns/{campaign.pk}/edit/", data).status_code == 302
    campaign.refresh_from_db()
    assert campaign.name == "春季大走访" and campaign.enterprises.count() == 4
    assert campaign.history.count() == 2
    # a second save from the same (now old) form is refused, nothing changes
    data["name"] = "秋季走访"
    response = client.post(f"/service/campaigns/{campaign.pk}/edit/", data)
    assert "已被他人修改" in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.name == "春季大走访"


def test_campaign_refusals_in_chinese(client, svc):
    client.force_login(svc["office"])
    today = timezone.localdate()
    data = _post(svc, svc["hr"].pk, ends_on=(today - dt.timedelta(days=1)).isoformat())
    body = client.post("/service/campaigns/new/", data).content.decode()
    assert "结束日期不能早于开始日期" in body and "请至少选择一家走访企业" in body
    assert not VisitCampaign.objects.exists()


def test_liaisons_become_planned_visits_and_coverage_counts_them(svc, own):
    EnterpriseLiaison.objects.create(enterprise=own, user=svc["hr1"], role="official")
    campaign = _campaign(svc, plan_from_liaisons=True)
    assert list(campaign.plans.values_list("official__username", "enterprise__name")) == [("hr1", own.name)]
    _campaign_again = services.campaign_save(
        actor=svc["office"], campaign=campaign, name=campaign.name, starts_on=campaign.starts_on,
        ends_on=campaign.ends_on, enterprises=list(svc["enterprises"].values()), plan_from_liaisons=True,
    )  # fmt: skip
    assert campaign.plans.count() == 1  # not planned twice
    coverage = selectors.campaign_coverage(campaign=campaign, user=svc["office"])
    assert [(c.label, c.scheduled, c.visited) for c in coverage.by_unit] == [("人社局", 1, 0)]
    services.visit_create(
        actor=svc["hr1"], enterprise=own, visited_on=timezone.localdate(), campaign=campaign
    )
    coverage = selectors.campaign_coverage(campaign=campaign, user=svc["office"])
    assert [(c.label, c.scheduled, c.visited) for c in coverage.by_unit] == [("人社局", 1, 1)]
    assert VisitPlan.objects.get().visit is not None


def test_planning_warns_quiet_before_saving(client, svc, own):
    campaign = _campaign(svc)
    services.visit_create(
        actor=svc["hr1"], enterprise=own, visited_on=timezone.localdate() - dt.timedelta(days=3),
        purpose="了解招工情况",
    )  # fmt: skip
    client.force_login(svc["town"])
    planned_on = (timezone.localdate() + dt.timedelta(days=2)).isoformat()
    data = {"enterprise": own.pk, "planned_on": planned_on, "campaign": campaign.pk, "purpose": "安全检查"}
    body = client.post("/service/plans/new/", data).content.decode()
    assert "无事不扰" in body and "人社局" in body and "了解招工情况" in body
    assert not VisitPlan.objects.exists()
    warn = client.get("/service/visits/warn/", {"enterprise": own.pk, "planned_on": planned_on})
    assert "了解招工情况" in warn.content.decode()
    response = client.post("/service/plans/new/", {**data, "acknowledged": "on"})
    assert response.status_code == 302
    plan = VisitPlan.objects.get()
    assert plan.official == svc["town"] and plan.unit == svc["town"].org_unit
    # the plan itself now warns another unit (a planned visit counts too)
    conflicts = services.quiet_conflicts(enterprise=own, on=timezone.localdate(), days=30, unit=svc["hr"])
    assert [(c.kind, c.unit, c.why) for c in conflicts] == [("计划走访", "甲镇", "安全检查")]


def test_no_warning_for_own_unit_or_old_visits(svc, own):
    services.visit_create(
        actor=svc["hr1"], enterprise=own, visited_on=timezone.localdate() - dt.timedelta(days=40)
    )
    plan = services.visit_plan_create(
        actor=svc["hr2"], enterprise=own, planned_on=timezone.localdate(), purpose="回访"
    )
    assert plan.pk
    assert services.quiet_conflicts(enterprise=own, on=timezone.localdate(), days=30, unit=svc["hr"]) == []


def test_plan_refusals(svc, own):
    from django.core.exceptions import PermissionDenied, ValidationError

    other = svc["enterprises"]["乙镇机械有限公司"]
    with pytest.raises(ValidationError) as error:
        services.visit_plan_create(
            actor=svc["town"], enterprise=other, planned_on=timezone.localdate() - dt.timedelta(days=1)
        )
    assert set(error.value.message_dict) == {"enterprise", "planned_on", "purpose"}
    with pytest.raises(PermissionDenied):
        services.visit_plan_create(actor=svc["enterprise"], enterprise=own, planned_on=timezone.localdate())
