"""Writes of parks, land and the evaluation: refusals with nothing saved, and the year's grading."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from qiangxian.land import selectors
from qiangxian.land.models import EvaluationResult, IdleItem, Lease, Parcel
from qiangxian.land.services import evaluation, idle, space
from qiangxian.land.tests.conftest import december_facts

pytestmark = pytest.mark.django_db


def test_area_in_square_metres_typed_as_mu_is_refused(users, county):
    with pytest.raises(ValidationError) as error:
        space.parcel_create(
            actor=users["park"], code="GY-9", park=county["units"]["工业园"], area_mu=D(13340)
        )
    assert "是否把平方米填成了亩" in str(error.value)
    assert not Parcel.objects.filter(code="GY-9").exists()


def test_negative_area_is_refused(users, county):
    with pytest.raises(ValidationError, match="面积必须大于 0 亩"):
        space.parcel_create(actor=users["office"], code="GY-9", park=county["units"]["工业园"], area_mu=D(-1))


def test_park_user_cannot_place_a_parcel_in_another_park(users, county):
    with pytest.raises(PermissionDenied):
        space.parcel_create(actor=users["park"], code="SP-9", park=county["units"]["食品园"], area_mu=D(5))
    assert not Parcel.objects.filter(code="SP-9").exists()


def test_zone_must_belong_to_park(users, county):
    with pytest.raises(ValidationError, match="不属于所选园区"):
        space.parcel_create(
            actor=users["office"],
            code="X",
            park=county["units"]["食品园"],
            zone=county["units"]["东片区"],
            area_mu=D(5),
        )


@pytest.mark.parametrize(
    ("boundary", "message"),
    [
        ("{not json", "无法解析"),
        ({"type": "Point", "coordinates": [115, 28]}, "Polygon"),
        (
            {
                "type": "Polygon",
                "coordinates": [[[500000, 3100000], [500100, 3100000], [500100, 3100100], [500000, 3100000]]],
            },
            "投影坐标",
        ),
        ({"type": "Polygon", "coordinates": [[[28, 115], [28.1, 115], [28.1, 115.1], [28, 115]]]}, "颠倒"),
    ],
)
def test_bad_geojson_is_refused_with_the_reason(users, county, boundary, message):
    with pytest.raises(ValidationError, match=message):
        space.parcel_create(
            actor=users["office"], code="GJ", park=county["units"]["工业园"], area_mu=D(5), boundary=boundary
        )
    assert not Parcel.objects.filter(code="GJ").exists()


def test_good_geojson_is_kept(users, county):
    ring = [[115.1, 28.1], [115.2, 28.1], [115.2, 28.2], [115.1, 28.1]]
    parcel = space.parcel_create(
        actor=users["office"],
        code="GJ",
        park=county["units"]["工业园"],
        area_mu=D(5),
        boundary={"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]}},
    )
    assert parcel.boundary == {"type": "Polygon", "coordinates": [ring]}
    assert parcel.history.count() == 1


def _lease(users, building, **kw):
    values = {
        "floor": 1,
        "unit": "A",
        "area_sqm": D(500),
        "tenant_name": "某公司",
        "start_on": dt.date(2026, 1, 1),
        "end_on": dt.date(2026, 12, 31),
    }
    values.update(kw)
    return space.lease_save(actor=users["park"], building=building, **values)


def test_overlapping_lease_on_the_same_unit_is_refused(users, space):
    building = space["building"]
    _lease(users, building)
    with pytest.raises(ValidationError, match="租期重叠"):
        _lease(users, building, start_on=dt.date(2026, 6, 1), end_on=dt.date(2027, 5, 31))
    # Another unit, or the same unit after the lease ends, is fine.
    _lease(users, building, unit="B")
    _lease(users, building, start_on=dt.date(2027, 1, 1), end_on=dt.date(2027, 12, 31))
    assert Lease.objects.count() == 3


def test_whole_floor_lease_clashes_with_a_unit(users, space):
    _lease(users, space["building"])
    with pytest.raises(ValidationError, match="租期重叠"):
        _lease(users, space["building"], unit="")


def test_tenants_over_the_floor_area_are_refused(users, space):
    building = space["building"]
    _lease(users, building, floor=1, unit="", area_sqm=D(1500))
    with pytest.raises(ValidationError, match="超过该楼建筑面积"):
        _lease(users, building, floor=2, unit="", area_sqm=D(1600))
    assert Lease.objects.count() == 1


def test_idle_parcel_plan_and_reuse(users, space, county):
    parcel = space["parcels"]["A"]
    item = idle.idle_create(
        actor=users["park"],
        kind="parcel",
        parcel=parcel,
        idle_since=dt.date(2025, 3, 1),
        reason="stopped",
        today=dt.date(2026, 5, 1),
    )
    parcel.refresh_from_db()
    assert parcel.status == "idle"
    plan = idle.plan_create(
        actor=users["park"],
        item=item,
        method="invest",
        unit=county["units"]["工业园"],
        deadline=dt.date(2026, 9, 30),
        today=dt.date(2026, 5, 1),
    )
    item.refresh_from_db()
    assert item.state == "disposing"
    with pytest.raises(ValidationError, match="不能低于"):
        idle.plan_progress(
            actor=users["park"],
            plan=idle.plan_progress(actor=users["park"], plan=plan, progress=50),
            progress=20,
        )
    done = idle.idle_close(
        actor=users["park"],
        item=item,
        reused=True,
        on=dt.date(2026, 6, 1),
        enterprise=county["enterprises"]["乙镇机械有限公司"],
    )
    assert done.state == "reused"
    parcel.refresh_from_db()
    assert parcel.status == "in_use" and parcel.holder.name == "乙镇机械有限公司"


def test_other_park_cannot_dispose(users, space, county):
    other = space["parcels"]["C"]
    with pytest.raises(PermissionDenied):
        idle.idle_create(
            actor=users["park"], kind="parcel", parcel=other, idle_since=dt.date(2025, 3, 1), reason="stopped"
        )
    assert not IdleItem.objects.exists()


def test_weights_not_adding_up_are_refused_and_nothing_is_kept(users, scheme):
    draft = evaluation.scheme_copy(actor=users["office"], scheme=scheme)
    tax = draft.indicators.get(code="tax_per_mu")
    with pytest.raises(ValidationError, match="权重合计为 70，应等于 100"):
        evaluation.scheme_save_weights(actor=users["office"], scheme=draft, weights={tax.pk: D(30)}, bands={})
    tax.refresh_from_db()
    assert tax.weight == 60


def test_overlapping_cutoffs_are_refused(users, scheme):
    draft = evaluation.scheme_copy(actor=users["office"], scheme=scheme)
    with pytest.raises(ValidationError, match="B类与A类的区间重叠"):
        evaluation.scheme_save_weights(
            actor=users["office"], scheme=draft, weights={}, bands={"B": (D(80), D(130))}
        )


def test_the_year_is_graded_as_computed_by_hand(users, graded_county):
    run = evaluation.run_create(actor=users["office"], scheme=evaluation.Scheme.objects.get())
    got = {r.enterprise.name: (round(r.score, 2), r.grade) for r in run.results.exclude(grade="")}
    # 亩均税收 benchmark 600万 ÷ 40 亩 = 15万: 30 → 90 (capped); 10 → 40; 10 → 40.
    # R&D 4% → 53.33; 2% → 26.67; 0% → 0.
    assert got == {
        "甲镇园区鞋业有限公司": (143.33, "A"),
        "乙镇机械有限公司": (66.67, "C"),
        "甲镇食品有限公司": (40.0, "D"),
    }
    res = run.results.get(enterprise__name="乙镇机械有限公司")
    trace = selectors.full_trace(res)
    assert trace["benchmarks"] == pytest.approx([15, 3])
    assert trace["values"] == pytest.approx([10, 2])  # 亩均税收 10万/亩, R&D 2%
    assert trace["points"] == pytest.approx([40, 26.6667], abs=1e-3)


def test_stored_results_and_traces_are_what_the_grading_computed(users, graded_county, county, space):
    """The bulk write (compact traces, benchmarks once per category and park) loses nothing."""
    import numpy as np

    from qiangxian.land.models import AdjustmentRecord, Lease, SchemeAdjustment, SchemeIndicator

    scheme = evaluation.Scheme.objects.get()
    # A park benchmark and a tenant whose land comes from leased floor space (many decimals).
    SchemeIndicator.objects.filter(scheme=scheme, code="tax_per_mu").update(benchmark_kind="park")
    Lease.objects.create(
        building=space["building"],
        floor=1,
        area_sqm=1234,
        tenant=county["enterprises"]["乙镇电子有限公司"],
        start_on=dt.date(2025, 1, 1),
        end_on=dt.date(2026, 12, 31),
    )
    december_facts(
        county["enterprises"]["乙镇电子有限公司"], 2025, tax=333_333, output=1e7, revenue=1e7, rd=1e5
    )
    # Bonus points for a graded enterprise and for the tenant (a category the scheme leaves out).
    SchemeAdjustment.objects.create(scheme=scheme, kind="bonus", name="专精特新", points=2.5)
    for name in ("甲镇园区鞋业有限公司", "乙镇电子有限公司"):
        AdjustmentRecord.objects.create(
            year=2025, enterprise=county["enterprises"][name], name="专精特新", source="认定文件"
        )
    run = evaluation.run_create(actor=users["office"], scheme=scheme)
    data = evaluation.compute(scheme, 2025, layout=run.layout)
    assert np.count_nonzero(data["bonus"]) == 2
    stored = {r.enterprise_id: r for r in run.results.select_related("run")}
    assert len(stored) == len(data["ids"]) >= 4
    g = data["graded"]
    for i, enterprise_id in enumerate(data["ids"].tolist()):
        res = stored[enterprise_id]
        cat = data["category"][i]
        assert res.category == cat and res.exempt == bool(data["exempt"][i])
        assert (res.rank or 0) == g.rank[i]
        assert res.grade == ("ABCD"[g.grade[i]] if g.grade[i] >= 0 else "")
        assert res.score == (None if np.isnan(g.score[i]) else pytest.approx(g.score[i], abs=1e-4))
        assert res.park_id == (data["places"][i, 0] or None)
        trace = selectors.full_trace(res)
        for code, column in data["inputs"].items():
            got = trace["inputs"][code]
            assert got == (None if np.isnan(column[i]) else pytest.approx(column[i], rel=1e-12))
            assert res.inputs[code] == got
        assert trace.get("bonus", 0) == data["bonus"][i]
        if cat in g.points:
            for key, matrix in (("values", g.values), ("benchmarks", g.benchmarks), ("points", g.points)):
                want = [None if np.isnan(x) else round(float(x), 4) for x in matrix[cat][i]]
                assert trace[key] == pytest.approx(want, abs=1e-4), (key, enterprise_id)
    tenant = stored[county["enterprises"]["乙镇电子有限公司"].pk]
    assert tenant.category == "tenant" and tenant.land_mu == pytest.approx(1234 / 666.67, abs=1e-4)


def test_objection_corrects_one_input_changes_one_class_and_results_freeze(users, graded_county):
    run = evaluation.run_create(actor=users["office"], scheme=evaluation.Scheme.objects.get())
    run = evaluation.run_publish(actor=users["office"], run=run, start=dt.date(2026, 3, 2))
    machine = graded_county["乙镇机械有限公司"]
    # Someone other than the enterprise or the office is refused.
    with pytest.raises(PermissionDenied):
        evaluation.objection_file(
            actor=users["park"],
            run=run,
            enterprise=machine,
            input_code="rd",
            claimed_value=2e6,
            reason="少计",
            evidence="审计报告",
            today=dt.date(2026, 3, 3),
        )
    objection = evaluation.objection_file(
        actor=users["office"],
        run=run,
        enterprise=machine,
        input_code="rd",
        claimed_value=2e6,
        reason="研发费用少计",
        evidence="2025年审计报告",
        today=dt.date(2026, 3, 3),
    )
    assert objection.on_behalf and objection.recorded_value == pytest.approx(1e6)
    with pytest.raises(ValidationError, match="未裁定"):
        evaluation.run_finalize(actor=users["office"], run=run, today=dt.date(2026, 3, 20))
    ruled = evaluation.objection_rule(
        actor=users["office"], objection=objection, uphold=True, ruling="材料属实", today=dt.date(2026, 3, 5)
    )
    assert (ruled.grade_before, ruled.grade_after) == ("C", "B")
    assert EvaluationResult.objects.get(run=run, enterprise=machine).grade == "B"
    evaluation.run_finalize(actor=users["office"], run=run, today=dt.date(2026, 3, 20))
    with pytest.raises(ValidationError, match="已定档"):
        evaluation.run_recompute(actor=users["office"], run=run)


def test_enterprise_may_object_only_for_itself(users, graded_county):
    run = evaluation.run_create(actor=users["office"], scheme=evaluation.Scheme.objects.get())
    run = evaluation.run_publish(actor=users["office"], run=run, start=dt.date(2026, 3, 2))
    own = graded_county["甲镇园区鞋业有限公司"]
    evaluation.objection_file(
        actor=users["enterprise"],
        run=run,
        enterprise=own,
        input_code="tax",
        claimed_value=3.2e6,
        reason="税收少计",
        evidence="完税证明",
        today=dt.date(2026, 3, 3),
    )
    with pytest.raises(PermissionDenied):
        evaluation.objection_file(
            actor=users["enterprise"],
            run=run,
            enterprise=graded_county["乙镇机械有限公司"],
            input_code="tax",
            claimed_value=1,
            reason="x",
            evidence="y",
            today=dt.date(2026, 3, 3),
        )


def test_sandbox_shows_who_changes_class(users, graded_county):
    from qiangxian.land import selectors

    scheme = evaluation.Scheme.objects.get()
    base = evaluation.run_create(actor=users["office"], scheme=scheme)
    draft = evaluation.scheme_copy(actor=users["office"], scheme=scheme)
    weights = {i.pk: D(80) if i.code == "tax_per_mu" else D(20) for i in draft.indicators.all()}
    evaluation.scheme_save_weights(actor=users["office"], scheme=draft, weights=weights, bands={})
    run = evaluation.sandbox_run(actor=users["office"], scheme=draft, compared_to=base)
    changes = {
        c["enterprise"].name: (c["old"].grade, c["new"].grade)
        for c in selectors.class_changes(user=users["office"], run=run, base=base)
    }
    # 机械: 10/15×80 + 2/3×20 = 66.67 → C (unchanged); 食品: 53.33 → D; 鞋业: 120 + 26.67 → A.
    assert changes == {}
    weights = {i.pk: D(90) if i.code == "tax_per_mu" else D(10) for i in draft.indicators.all()}
    evaluation.scheme_save_weights(actor=users["office"], scheme=draft, weights=weights, bands={})
    run = evaluation.sandbox_run(actor=users["office"], scheme=draft, compared_to=base)
    # 食品: 10/15×90 = 60 → C (was D); 机械: 60 + 6.67 = 66.67 → C.
    changes = {
        c["enterprise"].name: (c["old"].grade, c["new"].grade)
        for c in selectors.class_changes(user=users["office"], run=run, base=base)
    }
    assert changes == {"甲镇食品有限公司": ("D", "C")}


def test_results_follow_deleted_runs_and_enterprises_without_database_constraints(users, graded_county):
    """The results table has no foreign-key constraints of its own: the ORM's on_delete still applies."""
    run = evaluation.run_create(actor=users["office"], scheme=evaluation.Scheme.objects.get())
    food = graded_county["甲镇食品有限公司"]
    assert run.results.filter(enterprise=food).exists()
    Parcel.objects.filter(holder=food).delete()  # a holder's parcels protect it
    food.delete()
    assert not EvaluationResult.objects.filter(enterprise_id=food.pk).exists()
    assert run.results.count() >= 2
    run_id = run.pk
    run.delete()
    assert not EvaluationResult.objects.filter(run_id=run_id).exists()


def test_land_held_in_several_parcels_is_their_exact_decimal_sum(county, space):
    """1.1 + 2.2 亩 is 3.3 亩 (a sum of floats would make it 3.3000000000000003)."""
    import numpy as np

    u, firms = county["units"], county["enterprises"]
    for code, area in (("GY-101", "1.1"), ("GY-102", "2.2")):
        Parcel.objects.create(code=code, park=u["工业园"], area_mu=D(area), holder=firms["乙镇电子有限公司"])
    ids = np.array(sorted([firms["乙镇电子有限公司"].pk, firms["甲镇食品有限公司"].pk]))
    own, leased, holds = evaluation.land_inputs(ids, 2025, 666.67)
    by_id = dict(zip(ids.tolist(), own.tolist(), strict=True))
    assert by_id[firms["乙镇电子有限公司"].pk] == 3.3 and by_id[firms["甲镇食品有限公司"].pk] == 10.0
    assert holds.all() and not leased.any()
