"""Targets against the pace of the year, for catalogue and registered indicators."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from qiangxian.statistics import services, targets

from .factories import expected_ytd

pytestmark = pytest.mark.django_db
MARCH = dt.date(2026, 3, 1)


def test_progress_against_elapsed_share(facts, users):
    value, _ = expected_ytd(["甲镇园区鞋业有限公司", "甲镇食品有限公司", "乙镇机械有限公司"])
    target = services.target_save(
        actor=users["office"],
        indicator="gross_output",
        year=2026,
        value=value * 4,
        responsible_unit=facts["units"]["统计局"],
    )
    progress = targets.progress(target, month=MARCH)
    assert progress.completion == D("0.25") and progress.elapsed == D(3) / 12
    assert progress.status == "ahead"
    target.value = value * 6  # 16.7% done at 25% of the year: 8.3 points behind
    assert targets.progress(target, month=MARCH).status == "far_behind"
    target.value = value * D("4.4")  # 22.7%: 2.3 points behind
    assert targets.progress(target, month=MARCH).status == "slightly_behind"


def test_other_modules_register_their_indicators(county, users):
    calls = []

    def investment(*, year, month, scope):
        calls.append((year, month, scope))
        return D(2_550_000_000)

    targets.register_target_indicator("test_industrial_investment", "工业投资", "元", investment)
    target = services.target_save(
        actor=users["office"],
        indicator="test_industrial_investment",
        year=2026,
        value=D(5_100_000_000),
        above_only=False,
    )
    progress = targets.progress(target, month=dt.date(2026, 6, 1))
    assert progress.completion == D("0.5") and progress.status == "ahead"
    assert calls == [(2026, dt.date(2026, 6, 1), ("county", 0))]
    assert ("test_industrial_investment", "工业投资") in targets.target_choices()


def test_target_validation(county, users):
    with pytest.raises(ValidationError):
        services.target_save(actor=users["office"], indicator="nonsense", year=2026, value=D(1))
    with pytest.raises(ValidationError):
        services.target_save(
            actor=users["office"],
            indicator="gross_output",
            year=2026,
            value=D(1),
            scope_kind="park",
            scope_id=0,
        )
