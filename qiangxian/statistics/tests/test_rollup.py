"""Stored rollups and the indicator engine against hand-computed sums."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from qiangxian.statistics import calc, indicators, rollup
from qiangxian.statistics.models import MonitorWarning, MonthlyFact, Rollup, RollupFillState

from .factories import PLAN, expected_ytd, fact

pytestmark = pytest.mark.django_db
MARCH = dt.date(2026, 3, 1)
ABOVE = [n for n in PLAN if n not in ("甲镇纺织有限公司", "乙镇电子有限公司")]


def test_county_total_is_the_comparable_sum_of_the_above_scale_enterprises(facts):
    value, base = expected_ytd(ABOVE)
    item = indicators.value("gross_output", month=MARCH)
    assert (item.value, item.base, item.n) == (value, base, 3)
    assert item.growth == calc.growth(value, base)
    everyone = indicators.value("gross_output", month=MARCH, above_only=False)
    assert everyone.value, everyone.base == expected_ytd(PLAN)


def test_single_month_and_other_sources(facts):
    item = indicators.value("gross_output", month=MARCH, period="month")
    value, base = expected_ytd(ABOVE, month=1)
    assert (item.value, item.base) == (value, base)
    power = indicators.value("electricity_kwh", month=MARCH, above_only=False)
    assert (power.value, power.base) == (D(15000), D(13500))


def test_groups_scopes_and_pulls(facts):
    county = facts
    town_a = county["units"]["甲镇"]
    total, items = indicators.breakdown("gross_output", month=MARCH, group_kind="town")
    by_town = {i.group_key: i for i in items}
    a_value, a_base = expected_ytd(["甲镇园区鞋业有限公司", "甲镇食品有限公司"])
    assert (by_town[str(town_a.pk)].value, by_town[str(town_a.pk)].base) == (a_value, a_base)
    assert abs(sum(i.pull for i in items) - total.growth) < D("1e-20")
    assert sum(i.share for i in items) == pytest.approx(1)
    assert [i.rank for i in items] == [1, 2]
    # Inside the park scope, a zone breakdown; the scope's total is the park's.
    park = county["units"]["工业园"]
    park_total = indicators.value("gross_output", month=MARCH, scope=("park", park.pk))
    assert park_total.value == expected_ytd(["甲镇园区鞋业有限公司", "乙镇机械有限公司"])[0]
    assert (
        indicators.value(
            "gross_output", month=MARCH, scope=("park", park.pk), group=("town", str(town_a.pk))
        ).value
        == expected_ytd(["甲镇园区鞋业有限公司"])[0]
    )
    # Industry division and cluster keys exist.
    assert Rollup.objects.filter(month=MARCH, group_kind="division", group_key="19").exists()


def test_drilldown_rows_sum_to_the_aggregate(facts):
    town_a = facts["units"]["甲镇"]
    for period in ("ytd", "month"):
        for above in (True, False):
            group = ("town", str(town_a.pk))
            aggregate = indicators.value(
                "gross_output", month=MARCH, period=period, above_only=above, group=group
            )
            rows = indicators.enterprise_values(
                "gross_output", month=MARCH, period=period, above_only=above, group=group
            )
            assert sum(r.value for r in rows) == aggregate.value
            assert sum(r.base for r in rows) == aggregate.base


def test_reported_last_year_is_preferred_to_own_history(facts):
    firm = facts["enterprises"]["甲镇园区鞋业有限公司"]
    MonthlyFact.objects.filter(enterprise=firm, month=MARCH, source="stats").update(
        gross_output_ytd_ly=D(2_000_000)
    )
    rollup.refresh_months([MARCH], follow=False)
    rows = {r.extra["enterprise_id"]: r for r in indicators.enterprise_values("gross_output", month=MARCH)}
    assert rows[firm.pk].base == D(2_000_000)
    machine = facts["enterprises"]["乙镇机械有限公司"]
    assert rows[machine.pk].base == PLAN["乙镇机械有限公司"][0] * 3  # its own 2025 value
    _, base = expected_ytd(ABOVE)
    assert indicators.value("gross_output", month=MARCH).base == base - D(3_000_000) + D(2_000_000)


def test_a_firm_entering_the_above_scale_set_counts_with_its_base_only_from_this_year(facts):
    # 乙镇电子 (below scale) is above scale in 2026: its 2026 value and its 2025 base both join.
    firm = facts["enterprises"]["乙镇电子有限公司"]
    MonthlyFact.objects.filter(enterprise=firm, month__year=2026).update(above_scale=True)
    rollup.refresh_months([MARCH], follow=False)
    item = indicators.value("gross_output", month=MARCH)
    value, base = expected_ytd([*ABOVE, "乙镇电子有限公司"])
    assert (item.value, item.base) == (value, base)
    # Naive growth over last year's published above-scale total would differ.
    published_2025 = indicators.value("gross_output", month=dt.date(2025, 3, 1)).value
    assert calc.naive_growth(item.value, published_2025) != item.growth


def test_ratio_indicator(facts):
    item = indicators.value("profit_margin", month=MARCH)
    assert item.value is None  # no profit reported
    rate = indicators.value("output_per_kwh", month=MARCH, above_only=False)
    assert rate.value == expected_ytd(PLAN)[0] / D(15000)


def test_fill_state_and_refresh_all(facts):
    assert rollup.stale_months() == []
    assert RollupFillState.objects.count() == 6
    Rollup.objects.all().delete()
    rollup.refresh_all()
    assert indicators.value("gross_output", month=MARCH).value == expected_ytd(ABOVE)[0]


def test_series(facts):
    rows = indicators.series("gross_output", year=2026)
    assert [r["value"] is not None for r in rows[:4]] == [True, True, True, False]
    assert rows[2]["value"] == expected_ytd(ABOVE)[0]


def test_warnings_stalled_and_scale(county):
    firm = county["enterprises"]["乙镇机械有限公司"]
    small = county["enterprises"]["乙镇电子有限公司"]
    for m in range(1, 4):
        fact(firm, dt.date(2025, m, 1), gross_output_ytd=D(5_000_000) * m, gross_output_month=D(5_000_000))
        fact(
            firm,
            dt.date(2026, m, 1),
            gross_output_ytd=D(5_000_000),
            gross_output_month=D(0) if m > 1 else D(5_000_000),
            main_revenue_ytd=D(4_000_000),
        )
        fact(
            small,
            dt.date(2026, m, 1),
            gross_output_ytd=D(3_000_000) * m,
            gross_output_month=D(3_000_000),
            main_revenue_ytd=D(2_000_000) * m,
        )
    rollup.refresh_months([dt.date(2026, 3, 1)], follow=False)
    kinds = {(w.enterprise_id, w.kind) for w in MonitorWarning.objects.filter(month=MARCH)}
    assert (firm.pk, "stalled") in kinds
    assert (firm.pk, "output_drop") in kinds
    assert (firm.pk, "scale_down") in kinds
    assert (small.pk, "scale_up") in kinds
    reason = MonitorWarning.objects.get(enterprise=small, kind="scale_up").reason
    assert "2000万元" in reason and reason.startswith("入规候选（本年累计测算）")


def test_refresh_command(facts):
    from django.core.management import call_command

    Rollup.objects.all().delete()
    call_command("statistics_refresh", verbosity=0)
    assert indicators.value("gross_output", month=MARCH).value == expected_ytd(ABOVE)[0]


def test_a_countys_stalled_warnings_cover_its_own_enterprises_only(django_user_model):
    """In a city, the first county to file a month is warned of its own stalled enterprises with
    its own window; the other county, which has not filed the month yet, is not called stalled."""
    from qiangxian.core.tests.counties import build_city
    from qiangxian.statistics.models import MonitorSettings

    city = build_city(django_user_model)
    a, b = city["counties"]["a"], city["counties"]["b"]
    april, april_ly = dt.date(2026, 4, 1), dt.date(2025, 4, 1)
    for firm in a["enterprises"] + b["enterprises"]:
        fact(firm, april_ly, gross_output_ytd=D(4_000_000), gross_output_month=D(1_000_000))
    stopped, working = a["enterprises"]
    fact(stopped, april, gross_output_ytd=D(3_300_000), gross_output_month=D(0))
    fact(working, april, gross_output_ytd=D(4_400_000), gross_output_month=D(1_100_000))
    own = MonitorSettings.own(a["county"].pk)
    own.stalled_months = 1
    own.save()
    rollup.refresh_months([april], follow=False)
    stalled = MonitorWarning.objects.filter(month=april, kind="stalled")
    assert set(stalled.values_list("enterprise_id", flat=True)) == {stopped.pk}


def _month_rows(month):
    from qiangxian.statistics.models import RollupRanking

    def rows(model, exclude=("id",)):
        names = [f.attname for f in model._meta.concrete_fields if f.attname not in exclude]
        return sorted(model.objects.filter(month=month).values_list(*names), key=repr)

    return {
        "rollups": rows(Rollup),
        "rankings": rows(RollupRanking),
        "warnings": rows(MonitorWarning),
        "fill": rows(RollupFillState, exclude=("id", "filled_at")),
    }


def test_refreshing_one_county_gives_the_rows_of_a_whole_refresh(django_user_model):
    """A county's file refreshes only its own county's rows; what it leaves and what it writes
    are exactly what refreshing the whole month would give."""
    from qiangxian.core.tests.counties import build_city

    city = build_city(django_user_model)
    a, b = city["counties"]["a"], city["counties"]["b"]
    march = dt.date(2026, 3, 1)
    rollup.refresh_months([march], follow=False)
    b_rows = Rollup.objects.filter(month=march, scope_id=b["county"].pk)
    assert b_rows.exists()
    b_before = sorted(b_rows.values_list("id", flat=True))
    # County a revises March: one firm stops, the other grows.
    stopped, grown = a["enterprises"]
    MonthlyFact.objects.filter(enterprise=stopped, month=march).update(gross_output_month=D(0))
    MonthlyFact.objects.filter(enterprise=grown, month=march).update(gross_output_ytd=D(9_000_000))
    rollup.refresh_months([march], follow=False, counties=[a["county"].pk])
    partial = _month_rows(march)
    # The other county's rows were left in place (same ids), not rewritten.
    assert sorted(b_rows.values_list("id", flat=True)) == b_before
    rollup.refresh_months([march], follow=False)
    assert partial == _month_rows(march)
    total = Rollup.objects.get(
        month=march, above_only=False, scope_kind="county", scope_id=a["county"].pk, group_kind="total"
    )
    assert total.gross_output_v == D(9_000_000) + D(1_100_000) * 3


def test_counties_outside_a_city_refresh_the_whole_month(county):
    from qiangxian.statistics.rollup import _County

    assert _County.of(None) is None and _County.of([]) is None and _County.of([0]) is None
    lone = county["units"]["测试县"]
    assert _County.of([lone.pk]) is None
