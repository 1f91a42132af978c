"""The demo county's approvals tell the story: most on time, some stuck at one unit, two zones
with regional assessments."""

from __future__ import annotations

import pytest

from qiangxian.demo.generator import generate_demo
from qiangxian.projects.approvals import selectors
from qiangxian.projects.choices import Stage
from qiangxian.projects.models import ApprovalItem, Project, RegionalAssessment

pytestmark = pytest.mark.django_db


def test_demo_checklists():
    generate_demo(seed=20260101, enterprises=300, password="Demo-pass-2026")
    signed = Project.objects.filter(stage=Stage.SIGNED)
    assert signed.exists()
    assert all(p.approval_items.exists() for p in signed)
    assert Project.objects.filter(stage=Stage.BUILDING, approval_items__isnull=False).exists()
    zones = set(RegionalAssessment.objects.values_list("zone__name", flat=True))
    assert len(zones) == 2
    assert ApprovalItem.objects.filter(inherited_from__isnull=False).exists()
    from qiangxian.core.models import User

    office = User.objects.get(username="office")
    units = selectors.unit_performance(user=office)
    handled = sum(u["handled"] for u in units)
    on_time = sum((u["on_time_share"] or 0) * u["handled"] for u in units)
    assert on_time / handled > 0.7  # most on time
    blocked = [p for p in signed if p.approval_blocker.get("late")]
    assert 1 <= len(blocked) < signed.count() / 2  # some stuck at one unit
    assert any("手续超时" in t for p in blocked for t in p.light_texts)
    assert selectors.signing_to_start(user=office)["projects"] > 5
