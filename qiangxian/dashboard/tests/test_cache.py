"""The dashboard is built once per month and scope, and built again as soon as its inputs change."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from qiangxian.dashboard import services
from qiangxian.statistics import rollup

pytestmark = pytest.mark.django_db
MARCH = dt.date(2026, 3, 1)


@pytest.fixture
def builds(monkeypatch):
    calls = []
    real = services.build

    def counted(**kwargs):
        calls.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(services, "build", counted)
    return calls


def test_kept_per_month_and_scope(facts, builds):
    first = services.build_cached(month=MARCH, scope=("county", 0))
    again = services.build_cached(month=MARCH, scope=("county", 0))
    assert len(builds) == 1
    assert again.total.growth == first.total.growth
    services.build_cached(month=MARCH, scope=("county", 0), above_only=False)
    assert len(builds) == 2


def test_rebuilt_when_the_figures_change(facts, builds):
    from qiangxian.statistics.models import MonthlyFact

    before = services.build_cached(month=MARCH, scope=("county", 0))
    fact = MonthlyFact.objects.filter(month=MARCH).first()
    MonthlyFact.objects.filter(pk=fact.pk).update(gross_output_ytd=fact.gross_output_ytd + D(1_000_000))
    rollup.refresh_months([MARCH], follow=False)
    after = services.build_cached(month=MARCH, scope=("county", 0))
    assert len(builds) == 2
    assert after.total.value != before.total.value


def test_rebuilt_when_a_target_is_set(facts, users, builds):
    from qiangxian.statistics import services as stat_services

    services.build_cached(month=MARCH, scope=("county", 0))
    stat_services.target_save(actor=users["office"], indicator="gross_output", year=2026, value=D(50_000_000))
    board = services.build_cached(month=MARCH, scope=("county", 0))
    assert len(builds) == 2
    assert board.targets
