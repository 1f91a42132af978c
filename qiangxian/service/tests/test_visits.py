"""Visits: the record, the demands it raises, the "无事不扰" check and campaign coverage."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from qiangxian.enterprises.models import EnterpriseLiaison
from qiangxian.service import selectors, services
from qiangxian.service.models import Demand

pytestmark = pytest.mark.django_db


def test_visit_with_labour_demand_routes_it(svc, own):
    photo = SimpleUploadedFile("车间.jpg", b"\xff\xd8\xff fake", content_type="image/jpeg")
    visit = services.visit_create(
        actor=svc["town"], enterprise=own, visited_on=dt.date(2026, 3, 2), purpose="了解用工",
        topics={"labour": "缺缝纫工 30 人"}, files=[photo],
        demands=[{"category": "labour", "title": "招不到缝纫工"}],
    )  # fmt: skip
    demand = Demand.objects.get(visit=visit)
    assert demand.channel == "visit" and demand.lead_unit == svc["hr"]
    assert visit.labour == "缺缝纫工 30 人"
    assert visit.attachments.get().file.read() == b"\xff\xd8\xff fake"


def test_visit_in_the_future_is_refused(svc, own):
    with pytest.raises(ValidationError) as error:
        services.visit_create(actor=svc["town"], enterprise=own, visited_on=dt.date(2099, 1, 1))
    assert "不能晚于今天" in error.value.message_dict["visited_on"][0]


def test_recent_visit_by_another_unit_warns(svc, own):
    services.visit_create(actor=svc["hr1"], enterprise=own, visited_on=dt.date(2026, 3, 2), purpose="招聘会")
    recent = services.visits_recent(
        enterprise=own, on=dt.date(2026, 3, 20), days=30, unit=svc["town"].org_unit
    )
    assert [v.purpose for v in recent] == ["招聘会"]
    assert services.visits_recent(enterprise=own, on=dt.date(2026, 3, 20), days=30, unit=svc["hr"]) == []
    assert (
        services.visits_recent(enterprise=own, on=dt.date(2026, 5, 20), days=30, unit=svc["town"].org_unit)
        == []
    )


def test_campaign_coverage_by_unit_town_tier_official(svc, own):
    e = svc["enterprises"]
    EnterpriseLiaison.objects.create(enterprise=own, user=svc["hr1"], role="official")
    EnterpriseLiaison.objects.create(enterprise=e["甲镇纺织有限公司"], user=svc["hr1"], role="official")
    campaign = services.campaign_create(
        actor=svc["office"], name="一线大走访", starts_on=dt.date(2026, 3, 1), ends_on=dt.date(2026, 5, 31),
        enterprises=list(e.values()), targets={svc["hr"]: 4},
    )  # fmt: skip
    services.visit_create(actor=svc["hr1"], enterprise=own, visited_on=dt.date(2026, 3, 2), campaign=campaign)
    services.visit_create(actor=svc["hr1"], enterprise=own, visited_on=dt.date(2026, 3, 9), campaign=campaign)
    coverage = selectors.campaign_coverage(campaign=campaign, user=svc["office"], today=dt.date(2026, 4, 1))
    assert [(c.label, c.planned, c.visited) for c in coverage.by_unit] == [("人社局", 4, 1)]
    assert [(c.label, c.planned, c.visited) for c in coverage.by_town] == [("乙镇", 2, 0), ("甲镇", 3, 1)]
    assert [(c.label, c.planned, c.visited) for c in coverage.by_tier] == [
        ("规上企业", 3, 1),
        ("规下企业", 2, 0),
    ]
    assert [(c.planned, c.visited) for c in coverage.by_official] == [(2, 1)]
    assert len(coverage.never_visited) == 4
