"""Deleting enterprises in bulk keeps the history Django's own deletion would write, with who and why."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import ProtectedError
from django.utils import timezone

from qiangxian.core.bulk import delete_with_history
from qiangxian.enterprises.models import Cluster, ClusterMembership, Enterprise
from qiangxian.statistics.models import MonthlyFact

pytestmark = pytest.mark.django_db


def test_cascades_are_deleted_and_every_deleted_row_has_its_history(county, users):
    firm = county["enterprises"]["甲镇纺织有限公司"]
    cluster = Cluster.objects.create(name="测试集群")
    membership = ClusterMembership.objects.create(cluster=cluster, enterprise=firm, manual=True)
    MonthlyFact.objects.create(enterprise=firm, month=dt.date(2026, 3, 1), source="stats")
    now = timezone.now()
    deleted = delete_with_history(
        Enterprise.objects.filter(pk=firm.pk), user=users["office"], reason="撤销导入批次 #9", date=now
    )
    assert deleted == 1
    assert not Enterprise.objects.filter(pk=firm.pk).exists()
    assert not ClusterMembership.objects.filter(pk=membership.pk).exists()
    assert not MonthlyFact.objects.filter(enterprise_id=firm.pk).exists()
    for record in (
        Enterprise.history.get(id=firm.pk, history_type="-"),
        ClusterMembership.history.get(id=membership.pk, history_type="-"),
    ):
        assert (record.history_user, record.history_change_reason) == (users["office"], "撤销导入批次 #9")
    # The deleted row's values are in its record, as simple-history writes them.
    assert Enterprise.history.get(id=firm.pk, history_type="-").name == firm.name


def test_a_protecting_row_stops_the_deletion(county, users):
    from decimal import Decimal

    from qiangxian.projects.choices import Stage
    from qiangxian.projects.models import Project, size_class_of

    firm = county["enterprises"]["甲镇纺织有限公司"]
    units = county["units"]
    Project.objects.create(
        code="XM20260001",
        name="测试项目",
        investor=firm,
        park=units["工业园"],
        town=units["甲镇"],
        responsible_unit=units["经信局"],
        total_investment=Decimal(200_000_000),
        fixed_asset_investment=Decimal(150_000_000),
        size_class=size_class_of(Decimal(200_000_000)),
        stage=Stage.SOURCING,
        lead_received_on=dt.date(2026, 1, 5),
        stage_on=dt.date(2026, 1, 5),
    )
    with pytest.raises(ProtectedError):
        delete_with_history(
            Enterprise.objects.filter(pk=firm.pk), user=users["office"], reason="撤销", date=timezone.now()
        )
    assert Enterprise.objects.filter(pk=firm.pk).exists()
    assert not Enterprise.history.filter(id=firm.pk, history_type="-").exists()
