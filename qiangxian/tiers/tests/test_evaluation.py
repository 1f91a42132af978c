"""Near and gap computation on hand-made snapshots, and the DB snapshot's two evaluation paths."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qiangxian.enterprises.models import Enterprise
from qiangxian.rules.engine import Outcome, Snapshot
from qiangxian.statistics.models import AnnualFact, MonthlyFact
from qiangxian.statistics.snapshot import build_snapshot
from qiangxian.tiers import tiers as tier_defs
from qiangxian.tiers.evaluation import NearRule, Status, evaluate_all, evaluate_tier
from qiangxian.tiers.selectors import row_detail

AS_OF = dt.date(2026, 6, 15)
ABOVE = tier_defs.TIER_BY_CODE["above_scale"]
SRDI = tier_defs.TIER_BY_CODE["srdi_sme"]


def _above_snapshot(ytd_revenue: list[float], industrial: list[float] | None = None) -> Snapshot:
    n = len(ytd_revenue)
    ids = np.arange(1, n + 1)
    return Snapshot(
        enterprise_ids=ids,
        columns={
            ("main_revenue", "last_year"): np.array(ytd_revenue, dtype=float),
            ("is_industrial", "current"): np.array(industrial or [1.0] * n),
        },
        designations={"规模以上工业企业": (np.zeros(n, dtype=bool), np.ones(n, dtype=bool))},
        as_of=AS_OF,
    )


def test_near_is_within_the_gap_and_met_includes_the_threshold():
    snap = _above_snapshot([20_000_000, 17_000_000, 13_000_000, np.nan])
    ev = evaluate_tier(ABOVE, snap, on=AS_OF, near=NearRule(max_unmet=2, max_gap=0.2))
    assert [Status(int(s)) for s in ev.status] == [Status.MET, Status.NEAR, Status.NOT_MET, Status.UNKNOWN]
    assert ev.shortfall[1] == pytest.approx(0.15)
    assert ev.shortfall[2] == pytest.approx(0.35)
    # A wider band takes in the third.
    wide = evaluate_tier(ABOVE, snap, on=AS_OF, near=NearRule(max_unmet=2, max_gap=0.4))
    assert Status(int(wide.status[2])) is Status.NEAR


def test_a_criterion_that_growth_cannot_bridge_is_never_near():
    # Not industrial: main revenue is over the line, but the class criterion fails.
    snap = _above_snapshot([25_000_000], industrial=[0.0])
    ev = evaluate_tier(ABOVE, snap, on=AS_OF, near=NearRule(max_unmet=2, max_gap=0.99))
    assert Status(int(ev.status[0])) is Status.NOT_MET
    assert np.isinf(ev.shortfall[0])


def test_holders_are_counted_apart():
    snap = _above_snapshot([30_000_000, 30_000_000])
    snap.designations["规模以上工业企业"] = (np.array([True, False]), np.ones(2, dtype=bool))
    ev = evaluate_tier(ABOVE, snap, on=AS_OF)
    assert ev.counts()["held"] == 1 and ev.counts()["met"] == 1
    assert ev.ids(Status.MET) == [2]


def test_near_list_is_sorted_closest_first():
    snap = _above_snapshot([15_000_000, 19_000_000, 17_000_000])
    ev = evaluate_tier(ABOVE, snap, on=AS_OF)
    assert ev.ids(Status.NEAR) == [2, 3, 1]


def _srdi_snapshot(rd_share_last: float, rd_share_before: float) -> Snapshot:
    """One enterprise meeting every SRDI 2026 condition except, possibly, R&D intensity."""
    revenue = 50_000_000.0
    cols = {
        ("employees", "last_year"): np.array([200.0]),
        ("revenue", "last_year"): np.array([revenue]),
        ("revenue", "year_minus_2"): np.array([revenue]),
        ("main_revenue", "last_year"): np.array([revenue * 0.95]),
        ("asset_liability_ratio", "last_year"): np.array([0.5]),
        ("rd_expense", "last_year"): np.array([revenue * rd_share_last]),
        ("rd_expense", "year_minus_2"): np.array([revenue * rd_share_before]),
        ("niche_market_years", "current"): np.array([5.0]),
        ("ip_class1", "current"): np.array([2.0]),
        ("srdi_quality_score", "current"): np.array([70.0]),
    }
    yes, no = (np.array([True]), np.array([True])), (np.array([False]), np.array([True]))
    judgements = {text: yes for text, _ in tier_defs.judgement_texts()}
    return Snapshot(
        enterprise_ids=np.array([7]),
        columns=cols,
        designations={
            "创新型中小企业": yes,
            "经营异常名录": no,
            "严重失信主体名单": no,
            "专精特新中小企业": no,
        },
        judgements=judgements,
        as_of=AS_OF,
    )


def test_gap_text_in_the_users_terms():
    snap = _srdi_snapshot(0.024, 0.031)
    ev = evaluate_tier(SRDI, snap, on=AS_OF)
    assert Status(int(ev.status[0])) is Status.NEAR
    assert ev.shortfall[0] == pytest.approx(0.2)  # 2.4% against 3%: the worst year decides
    detail = row_detail(ev, snap, 7)
    assert detail.unmet == ["近2年每年研发费用不低于100万元，且每年占营业收入比重不低于3%"]
    text = " ".join(detail.gaps)
    assert text == "上年研发费用占营业收入比重 2.4%，需达到 3.0%，还差 0.6个百分点：约需增加研发费用 30万元"


def test_two_unmet_criteria_beyond_the_limit_are_not_near():
    snap = _srdi_snapshot(0.024, 0.031)
    snap.columns[("asset_liability_ratio", "last_year")] = np.array([0.85])
    assert Status(int(evaluate_tier(SRDI, snap, on=AS_OF).status[0])) is Status.NEAR
    one = evaluate_tier(SRDI, snap, on=AS_OF, near=NearRule(max_unmet=1, max_gap=0.3))
    assert Status(int(one.status[0])) is Status.NOT_MET


def test_met_when_every_condition_holds():
    snap = _srdi_snapshot(0.035, 0.031)
    ev = evaluate_tier(SRDI, snap, on=AS_OF)
    assert Status(int(ev.status[0])) is Status.MET
    assert row_detail(ev, snap, 7).gaps == []


def test_version_in_force_is_used():
    early = evaluate_tier(SRDI, _srdi_snapshot(0.035, 0.031), on=dt.date(2026, 3, 31))
    late = evaluate_tier(SRDI, _srdi_snapshot(0.035, 0.031), on=dt.date(2026, 4, 1))
    assert (early.ruleset.version, late.ruleset.version) == ("2022", "2026")


# --- vectorised over the DB snapshot equals the per-enterprise explanation ------------------

amount = st.one_of(st.none(), st.integers(min_value=0, max_value=600_000_000))
share = st.one_of(st.none(), st.floats(min_value=0, max_value=0.08, allow_nan=False))


@pytest.mark.django_db
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.lists(st.tuples(amount, amount, share, st.integers(0, 1500)), min_size=5, max_size=5))
def test_vectorised_equals_explain_over_the_database(county, data):
    firms = list(Enterprise.objects.order_by("pk"))
    with transaction.atomic():
        for firm, (rev_last, rev_before, rd_share, staff) in zip(firms, data, strict=True):
            for year, rev in ((2025, rev_last), (2024, rev_before)):
                if rev is None:
                    continue
                rd = None if rd_share is None else Decimal(round(rev * rd_share))
                MonthlyFact.objects.create(
                    enterprise=firm,
                    month=dt.date(year, 12, 1),
                    source="stats",
                    revenue_ytd=Decimal(rev),
                    main_revenue_ytd=Decimal(rev) * Decimal("0.9"),
                    rd_expense_ytd=rd,
                    employees_ytd=Decimal(staff),
                )
            AnnualFact.objects.create(
                enterprise=firm,
                year=2025,
                source="stats",
                total_assets=Decimal(10**8),
                total_liabilities=Decimal(4 * 10**7),
            )
        snap = build_snapshot(as_of=AS_OF)
        for code, ev in evaluate_all(snap, on=AS_OF).items():
            for row, eid in enumerate(snap.enterprise_ids.tolist()):
                explanation = ev.compiled.explain(snap, eid)
                assert int(ev.result.outcome[row]) == int(explanation.outcome), code
                detail = row_detail(ev, snap, eid)
                if detail.status is Status.NEAR:
                    assert explanation.outcome is Outcome.NOT_MET and detail.gaps, code
                if detail.status is Status.UNKNOWN:
                    assert detail.missing, code
        transaction.set_rollback(True)


def test_an_upper_bound_far_exceeded_cannot_be_bridged():
    from qiangxian.rules.engine import compile_expression
    from qiangxian.rules.engine.vector import VectorEvaluator
    from qiangxian.tiers.evaluation import shortfall

    expression = compile_expression("从业人员@上年 <= 500人", tier_defs.catalogue(), expect="bool")
    snap = Snapshot(
        enterprise_ids=np.arange(1, 4),
        columns={("employees", "last_year"): np.array([400.0, 550.0, 3214.0])},
        designations={},
        as_of=AS_OF,
    )
    ev = VectorEvaluator(snap)
    plain = shortfall(expression.typed, ev)
    assert plain.tolist() == pytest.approx([0.0, 0.1, 5.428])
    # With the near band as the ceiling: 10% over can be worked on, five times over cannot.
    capped = shortfall(expression.typed, ev, ceiling_gap=0.3)
    assert capped[:2].tolist() == pytest.approx([0.0, 0.1]) and np.isinf(capped[2])


def _check(code: str, status: Status, gap: float):
    from qiangxian.tiers.selectors import TierCheck

    return TierCheck(tier_defs.TIER_BY_CODE[code], "v", status, None, None, gap)


def test_the_next_tier_is_never_one_only_shrinking_could_reach():
    from qiangxian.tiers.selectors import nearest_next_tier

    held = _check("above_scale", Status.HELD, 0.0)
    far = _check("tech_sme", Status.NOT_MET, float("inf"))
    close = _check("innovative_sme", Status.NOT_MET, 0.6)
    closer = _check("srdi_sme", Status.NOT_MET, 0.4)
    assert nearest_next_tier([held, far, close, closer]) is closer
    assert nearest_next_tier([held, far]) is None
    near = _check("little_giant", Status.NEAR, 0.2)
    assert nearest_next_tier([held, far, closer, near]) is near
