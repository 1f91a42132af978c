"""The city board's policy, demand and per-mu columns: each county's own figures, from those apps."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.utils import timezone

from qiangxian.core.tests.counties import build_city


@pytest.fixture
def city(db, django_user_model):
    return build_city(django_user_model)


def _pay(county, amount, days, firm=0):
    from qiangxian.policies.models import Application, ClauseVersion, Payment

    version = ClauseVersion.objects.get(clause__policy__issuer=county["county"])
    notified = timezone.make_aware(dt.datetime(2026, 2, 1, 9))
    application = Application.objects.create(
        clause=version.clause,
        clause_version=version,
        enterprise=county["enterprises"][firm],
        year=2026,
        mode="fixed",
        approved_amount=amount,
        notified_at=notified,
        status="paid",
    )
    Payment.objects.create(
        application=application,
        amount=amount,
        paid_on=dt.date(2026, 2, 1) + dt.timedelta(days=days),
        voucher_number="PZ-1",
        paying_unit=county["bureau"],
    )


def test_each_county_row_carries_its_own_payments_and_demands(city):
    from qiangxian.dashboard import counties as board
    from qiangxian.service.models import Demand

    a, b = city["counties"]["a"], city["counties"]["b"]
    _pay(b, D(30_000), 12)
    _pay(b, D(20_000), 20, firm=1)
    _pay(a, D(5_000), 3)
    Demand.objects.update(month=dt.date(2026, 2, 1), signed_on_time=True)
    Demand.objects.filter(lead_unit=b["bureau"]).update(signed_on_time=False)
    result = board.build(user=city["users"]["city_leader"], month=dt.date(2026, 3, 1))
    rows = {r.county.pk: r for r in result.rows}
    row_a, row_b = rows[a["county"].pk], rows[b["county"].pk]
    assert (row_b.payments.paid, row_b.payments.amount, row_b.payments.median_days) == (2, D(50_000), 16)
    assert (row_a.payments.paid, row_a.payments.amount, row_a.payments.median_days) == (1, D(5_000), 3)
    assert (row_a.demands.received, row_a.demands.response_rate) == (1, D(100))
    assert (row_b.demands.received, row_b.demands.response_rate) == (1, D(0))
    assert row_a.per_mu is None  # no official evaluation yet


def test_the_board_page_shows_the_new_columns(city, client):
    client.force_login(city["users"]["city_leader"])
    page = client.get("/dashboard/counties/?month=2026-03").content.decode()
    assert 'data-testid="county-services"' in page
    assert page.count('data-testid="county-service-row"') == 2
    assert "应享尽享率" in page and "None" not in page
