"""The demo's visit campaign: planned visits from the liaisons, some made, some refused by 无事不扰."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from qiangxian.core.models import User
from qiangxian.demo.generator import generate_demo
from qiangxian.service import services
from qiangxian.service.models import VisitCampaign, VisitPlan
from qiangxian.service.services.campaigns import quiet_conflicts

pytestmark = pytest.mark.django_db


def test_demo_campaign_has_plans_made_open_and_quiet_checked():
    generate_demo(seed=5, enterprises=200, password="Demo-pass-2026")
    today = timezone.localdate()
    campaign = VisitCampaign.objects.get()
    plans = VisitPlan.objects.filter(campaign=campaign)
    made = plans.filter(visit__isnull=False)
    assert made.exists() and plans.filter(visit__isnull=True, planned_on__lt=today).exists()
    for plan in made.select_related("visit")[:20]:  # a plan is fulfilled by its own unit's visit
        assert (plan.visit.enterprise_id, plan.visit.unit_id) == (plan.enterprise_id, plan.unit_id)
    ahead = list(plans.filter(planned_on__gt=today).select_related("enterprise", "unit", "official"))
    assert ahead
    # Some were saved only after the official confirmed the 无事不扰 warning: planning the same
    # again without confirming is refused.
    warned = [
        p
        for p in ahead
        if quiet_conflicts(enterprise=p.enterprise, on=p.planned_on, days=campaign.quiet_days, unit=p.unit)
    ]
    assert warned
    with pytest.raises(ValidationError) as refused:
        services.visit_plan_create(
            actor=warned[0].official,
            enterprise=warned[0].enterprise,
            planned_on=warned[0].planned_on,
            purpose="再次走访",
            campaign=campaign,
        )
    assert "无事不扰" in str(refused.value)
    # Each lead bureau's leader is marked, so escalations reach someone by name.
    assert User.objects.filter(is_unit_leader=True, org_unit__name="人社局").exists()
