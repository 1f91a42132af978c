"""The database -> engine bridge, checked value by value against the fixture's facts."""

from __future__ import annotations

import math

import numpy as np
import pytest

from qiangxian.enterprises.models import Enterprise
from qiangxian.statistics.snapshot import build_snapshot

from .conftest import AS_OF

pytestmark = pytest.mark.django_db


def _value(snap, name, ident, period):
    e = Enterprise.objects.get(name=name)
    return snap.value_at(ident, period, snap.row_of(e.pk))


def test_one_row_per_enterprise_ordered_by_id(facts):
    snap = build_snapshot(as_of=AS_OF)
    assert list(snap.enterprise_ids) == sorted(Enterprise.objects.values_list("pk", flat=True))
    assert snap.as_of == AS_OF


def test_completed_year_is_the_december_cumulative(facts):
    snap = build_snapshot(as_of=AS_OF)
    shoe = "甲镇园区鞋业有限公司"
    assert _value(snap, shoe, "revenue", "last_year") == 50_000_000
    assert _value(snap, shoe, "rd_expense", "last_year") == 1_200_000
    assert _value(snap, shoe, "revenue", "year_minus_2") == 40_000_000
    assert _value(snap, shoe, "employees", "last_year") == 180
    # A window reads oldest year first.
    assert snap.value_at("revenue", "last_2_years", snap.row_of(Enterprise.objects.get(name=shoe).pk)) == (
        40_000_000,
        50_000_000,
    )


def test_current_year_is_the_latest_cumulative_on_or_before_the_date(facts):
    snap = build_snapshot(as_of=AS_OF)
    assert _value(snap, "甲镇园区鞋业有限公司", "revenue", "current") == 21_000_000


def test_partial_past_year_is_missing_not_extrapolated(facts):
    snap = build_snapshot(as_of=AS_OF)
    assert math.isnan(_value(snap, "甲镇纺织有限公司", "revenue", "last_year"))


def test_each_figure_comes_from_its_authoritative_source(facts):
    snap = build_snapshot(as_of=AS_OF)
    assert _value(snap, "乙镇机械有限公司", "tax_paid", "last_year") == 800_000
    assert _value(snap, "乙镇机械有限公司", "revenue", "last_year") == 18_000_000


def test_annual_facts_and_the_debt_ratio(facts):
    snap = build_snapshot(as_of=AS_OF)
    shoe = "甲镇园区鞋业有限公司"
    assert _value(snap, shoe, "asset_liability_ratio", "last_year") == pytest.approx(0.5)
    assert _value(snap, shoe, "rd_staff", "last_year") == 20
    assert _value(snap, shoe, "ip_class1", "last_year") == 2
    # IP held at the latest year end stands for 本年.
    assert _value(snap, shoe, "ip_class1", "current") == 2
    assert math.isnan(_value(snap, shoe, "rd_staff", "current"))


def test_registry_fields(facts):
    snap = build_snapshot(as_of=AS_OF)
    shoe = Enterprise.objects.get(name="甲镇园区鞋业有限公司")
    row = snap.row_of(shoe.pk)
    # Established 2019-06-16: the 7th anniversary is the day after the evaluation date.
    assert snap.years_established_at(row) == 6
    assert snap.value_at("is_industrial", "current", row) == 1.0
    assert math.isnan(
        snap.years_established_at(snap.row_of(Enterprise.objects.get(name="甲镇纺织有限公司").pk))
    )


def test_assessment_values_fill_gaps_but_never_override_statistics(facts):
    snap = build_snapshot(as_of=AS_OF)
    shoe = "甲镇园区鞋业有限公司"
    assert _value(snap, shoe, "niche_market_years", "current") == 4
    assert _value(snap, shoe, "srdi_quality_score", "current") == 62
    assert _value(snap, shoe, "revenue", "last_year") == 50_000_000
    assert math.isnan(_value(snap, "甲镇纺织有限公司", "niche_market_years", "current"))


def test_titles_from_the_registry_are_known_for_everyone(facts):
    snap = build_snapshot(as_of=AS_OF)
    shoe = snap.row_of(Enterprise.objects.get(name="甲镇园区鞋业有限公司").pk)
    textile = snap.row_of(Enterprise.objects.get(name="甲镇纺织有限公司").pk)
    assert snap.designation_at("创新型中小企业", shoe) is True
    assert snap.designation_at("创新型中小企业", textile) is False
    # Expired in 2022: not held.
    assert snap.designation_at("高新技术企业", textile) is False
    # The above-scale flag of the registry.
    assert snap.designation_at("规模以上工业企业", shoe) is True
    assert snap.designation_at("规模以上工业企业", textile) is False


def test_recorded_qualifications_are_known_only_where_recorded(facts):
    snap = build_snapshot(as_of=AS_OF)
    rows = {e.name: snap.row_of(e.pk) for e in Enterprise.objects.all()}
    assert snap.designation_at("经营异常名录", rows["甲镇园区鞋业有限公司"]) is False
    assert snap.designation_at("经营异常名录", rows["甲镇纺织有限公司"]) is None
    # A national R&D centre counts as 省部级以上.
    assert snap.designation_at("省部级以上研发机构", rows["甲镇纺织有限公司"]) is True
    # Recorded but expired before the evaluation date: known, not held.
    assert snap.designation_at("省部级以上研发机构", rows["乙镇机械有限公司"]) is False
    assert snap.designation_at("省部级以上研发机构", rows["乙镇电子有限公司"]) is None


def test_judgements_recorded_on_or_before_the_date(facts):
    snap = build_snapshot(as_of=AS_OF)
    text = "主导产品在国内或国际细分市场占有率较高"
    rows = {e.name: snap.row_of(e.pk) for e in Enterprise.objects.all()}
    assert snap.judgement_at(text, rows["甲镇园区鞋业有限公司"]) is True
    assert snap.judgement_at(text, rows["甲镇纺织有限公司"]) is None  # judged after the date


def test_scoped_queryset_limits_rows(facts, users):
    visible = Enterprise.objects.visible_to(users["town"])
    snap = build_snapshot(enterprises=visible, as_of=AS_OF)
    assert set(snap.enterprise_ids.tolist()) == set(visible.values_list("pk", flat=True))
    assert len(snap.enterprise_ids) == 3


def test_empty_queryset(facts):
    snap = build_snapshot(enterprises=Enterprise.objects.none(), as_of=AS_OF)
    assert snap.size == 0


def test_sources_name_the_batch_or_the_person(facts):
    snap = build_snapshot(as_of=AS_OF, with_sources=True)
    shoe = Enterprise.objects.get(name="甲镇园区鞋业有限公司").pk
    text = snap.source_of("revenue", "last_year", shoe)
    assert "统计局" in text and "2025年全年" in text and "2025年报.xlsx" in text
    assert "2026年1-5月累计" in snap.source_of("revenue", "current", shoe)
    entered = snap.source_of("niche_market_years", "current", shoe)
    assert "企业申报材料" in entered and "office用户" in entered
    assert "上年" in snap.source_of("revenue", "last_2_years", shoe)
    assert build_snapshot(as_of=AS_OF).sources == {}


def test_query_count_does_not_grow_with_enterprises(facts, django_assert_max_num_queries):
    # Fixed: facts, titles (held and lapsed), assessment data, awards, judgements, per-mu class.
    with django_assert_max_num_queries(45):
        build_snapshot(as_of=AS_OF)


def test_columns_are_float_arrays(facts):
    snap = build_snapshot(as_of=AS_OF)
    for col in snap.columns.values():
        assert col.dtype == np.float64 and col.shape == (snap.size,)
