"""单位排放产值: the emissions input from the snapshot, and a missing value scored at the average."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal as D

import numpy as np
import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from qiangxian.land import grading, selectors
from qiangxian.land.models import SchemeIndicator
from qiangxian.land.services import evaluation
from qiangxian.statistics.models import AnnualFact
from qiangxian.statistics.snapshot import build_snapshot

SHOES, MACHINES, FOOD = "甲镇园区鞋业有限公司", "乙镇机械有限公司", "甲镇食品有限公司"


@pytest.fixture
def emission_scheme(scheme):
    """亩均税收 60 (county average, cap 1.5) and 单位排放产值 40 (a missing value at the average)."""
    scheme.indicators.filter(code="rd_ratio").delete()
    SchemeIndicator.objects.create(
        scheme=scheme,
        category="above",
        code="output_per_emission",
        weight=40,
        missing="average",
        sort_order=1,
    )
    return scheme


@pytest.fixture
def emissions(graded_county):
    # 鞋业 4 + 1 + 3 + 2 = 10 吨; 机械 reports COD only, 20 吨; 食品 has no emission data at all.
    f = graded_county
    AnnualFact.objects.create(
        enterprise=f[SHOES], year=2025, source="stats", cod_t=4, ammonia_t=1, so2_t=3, nox_t=2
    )
    AnnualFact.objects.create(enterprise=f[MACHINES], year=2025, source="stats", cod_t=20)
    AnnualFact.objects.create(enterprise=f[FOOD], year=2025, source="stats", energy_tce=100)
    return f


def test_snapshot_sums_the_four_pollutants_and_leaves_no_report_missing(emissions):
    snap = build_snapshot(as_of=dt.date(2025, 12, 31), identifiers=["emissions_t"])
    column = dict(
        zip(snap.enterprise_ids.tolist(), snap.column("emissions_t", "current").tolist(), strict=True)
    )
    assert column[emissions[SHOES].pk] == pytest.approx(10)
    assert column[emissions[MACHINES].pk] == pytest.approx(20)
    assert np.isnan(column[emissions[FOOD].pk])  # a row without pollutants: missing, not 0


def test_three_enterprises_graded_as_computed_by_hand(users, emissions, emission_scheme):
    run = evaluation.run_create(actor=users["office"], scheme=emission_scheme)
    got = {r.enterprise.name: (round(r.score, 2), r.grade) for r in run.results.exclude(grade="")}
    # 亩均税收 (benchmark 15万/亩): 鞋业 30 → 90 (capped), 机械 10 → 40, 食品 10 → 40.
    # 单位排放产值: 鞋业 5000万 ÷ 10 吨 = 500万元/吨, 机械 3000万 ÷ 20 吨 = 150; county benchmark
    # (5000 + 3000)万 ÷ 30 吨 = 266.67: 鞋业 1.875 → capped 1.5 × 40 = 60, 机械 0.5625 × 40 = 22.5;
    # 食品 has no emission data: the average score, the item's weight 40.
    assert got == {SHOES: (150.0, "A"), MACHINES: (62.5, "C"), FOOD: (80.0, "B")}
    food = run.results.select_related("run").get(enterprise__name=FOOD)
    trace = selectors.full_trace(food)
    assert trace["inputs"]["emissions"] is None
    assert trace["values"][1] is None and trace["points"] == pytest.approx([40, 40])
    assert trace["notes"] == [None, "无排放数据，按平均分计"]
    rows = selectors.trace_rows(food)
    assert rows[1]["label"] == "单位排放产值" and rows[1]["note"] == "无排放数据，按平均分计"
    machines = run.results.select_related("run").get(enterprise__name=MACHINES)
    trace = selectors.full_trace(machines)
    assert "notes" not in trace
    # The trace lets the value be worked out again from its inputs.
    assert trace["values"][1] == pytest.approx(
        trace["inputs"]["output"] / trace["inputs"]["emissions"] * 1e-4
    )
    assert trace["benchmarks"][1] == pytest.approx(266.6667, abs=1e-4)


def test_missing_scored_zero_by_default(users, emissions, emission_scheme):
    emission_scheme.indicators.filter(code="output_per_emission").update(missing="zero")
    run = evaluation.run_create(actor=users["office"], scheme=emission_scheme)
    food = run.results.select_related("run").get(enterprise__name=FOOD)
    assert (round(food.score, 2), food.grade) == (40.0, "D")
    assert "notes" not in selectors.full_trace(food)


def test_result_page_says_why_a_missing_value_has_points(client, users, emissions, emission_scheme):
    run = evaluation.run_create(actor=users["office"], scheme=emission_scheme)
    food = run.results.get(enterprise__name=FOOD)
    client.force_login(users["office"])
    page = client.get(f"/land/results/{food.pk}/").content.decode()
    assert "无排放数据，按平均分计" in page


def _emission_inputs(output, emissions):
    n = len(output)
    return {
        "output": np.array(output, dtype=float),
        "emissions": np.array(emissions, dtype=float),
        "tax": np.ones(n),
        "land": np.ones(n),
    }


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.floats(min_value=1e4, max_value=1e10),
            st.one_of(st.none(), st.floats(min_value=0.01, max_value=1e4)),
        ),
        min_size=1,
        max_size=12,
    ),
    st.sampled_from(["ratio", "minmax"]),
    st.integers(min_value=1, max_value=100),
    st.sampled_from([1.0, 1.2, 1.5, 2.0]),
)
def test_a_missing_value_at_the_average_scores_exactly_the_weight(rows, method, weight, cap):
    output = [o for o, _ in rows]
    emitted = [np.nan if e is None else e for _, e in rows]
    n = len(rows)
    layout = grading.Layout(
        categories={
            "above": [
                grading.IndicatorSpec(
                    "output_per_emission", weight, method=method, cap=cap, missing="average"
                )
            ]
        },
        bands={"A": (0, 20), "B": (20, 75), "C": (75, 95), "D": (95, 100)},
    )
    out = grading.grade(
        layout,
        category=np.array(["above"] * n, dtype=object),
        graded=np.ones(n, dtype=bool),
        inputs=_emission_inputs(output, emitted),
        park=np.zeros(n, dtype=np.int64),
        bonus=np.zeros(n),
        cap=np.full(n, 4),
    )
    points = out.points["above"][:, 0]
    missing = np.isnan(np.array(emitted))
    assert (points[missing] == weight).all()
    # The others are scored on their value: within [0, cap × weight], never the missing rule.
    assert (points[~missing] >= 0).all() and (points[~missing] <= cap * weight + 1e-9).all()


def test_scheme_refuses_an_unknown_missing_rule_in_chinese(users, emission_scheme):
    draft = evaluation.scheme_copy(actor=users["office"], scheme=emission_scheme)
    item = draft.indicators.get(code="output_per_emission")
    with pytest.raises(ValidationError) as refused:
        evaluation.scheme_save_weights(
            actor=users["office"], scheme=draft, weights={}, bands={}, missing={item.pk: "x"}
        )
    assert refused.value.messages == [
        "规上企业的“单位排放产值”缺少数据时的计分方式应为“计 0 分”或“按平均分计”。"
    ]
    item.refresh_from_db()
    assert item.missing == "average"  # nothing kept


def test_scheme_api_sets_the_missing_rule_and_refuses_wrong_input(client, users, emission_scheme):
    draft = evaluation.scheme_copy(actor=users["office"], scheme=emission_scheme)
    item = draft.indicators.get(code="output_per_emission")
    tax = draft.indicators.get(code="tax_per_mu")
    url = f"/api/land/schemes/{draft.pk}/indicators"
    client.force_login(users["office"])

    def put(data):
        return client.put(url, json.dumps(data), content_type="application/json")

    response = put({"indicators": [{"id": item.pk, "missing": "zero"}]})
    assert response.status_code == 200
    layout = response.json()["layout"]["categories"]["above"]
    assert [s["missing"] for s in layout] == ["zero", "zero"]
    response = put({"indicators": [{"id": tax.pk, "weight": "50"}]})
    assert response.status_code == 422
    assert "规上企业的权重合计为 90，应等于 100。" in json.dumps(response.json(), ensure_ascii=False)
    response = put({"indicators": [{"id": 10**9, "missing": "zero"}]})
    assert response.status_code == 422
    assert "方案中没有编号为" in json.dumps(response.json(), ensure_ascii=False)
    assert draft.indicators.get(pk=tax.pk).weight == D(60)
    client.force_login(users["park"])
    assert put({"indicators": [{"id": item.pk, "missing": "average"}]}).status_code == 403


def test_default_scheme_scores_a_firm_without_emission_data_at_the_average(db, county):
    from qiangxian.land.defaults import create_default_scheme

    scheme = create_default_scheme(year=2025, county=county["units"]["测试县"])
    above = evaluation.layout_of(scheme)["categories"]["above"]
    emission = [s for s in above if s["code"] == "output_per_emission"]
    assert emission == [
        {
            "code": "output_per_emission",
            "weight": 10.0,
            "method": "ratio",
            "cap": 1.5,
            "benchmark": "county",
            "fixed": None,
            "missing": "average",
        }
    ]
    assert sum(s["weight"] for s in above) == 100
    assert evaluation.scheme_problems(scheme) == []
