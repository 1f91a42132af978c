"""Who sees which demands and visits, and the league table's arithmetic."""

from __future__ import annotations

import datetime as dt

import pytest

from qiangxian.service import selectors, services
from qiangxian.service.models import Demand, Visit

from .conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def spread(svc):
    e = svc["enterprises"]
    make = services.demand_create
    return {
        "own_labour": make(
            actor=svc["office"], enterprise=e["甲镇园区鞋业有限公司"], category="labour", title="缺工"
        ),
        "a_finance": make(
            actor=svc["office"], enterprise=e["甲镇纺织有限公司"], category="finance", title="贷款"
        ),
        "b_labour": make(
            actor=svc["office"], enterprise=e["乙镇机械有限公司"], category="labour", title="缺技工"
        ),
        "b_other": make(
            actor=svc["office"], enterprise=e["乙镇电子有限公司"], category="other", title="路灯"
        ),
    }


def _codes(user, spread):
    names = {d.pk: k for k, d in spread.items()}
    return {names[pk] for pk in Demand.objects.visible_to(user).values_list("pk", flat=True)}


def test_town_sees_its_enterprises_bureau_what_is_routed_enterprise_its_own(svc, spread):
    assert _codes(svc["town"], spread) == {"own_labour", "a_finance"}
    assert _codes(svc["town_b"], spread) == {"b_labour", "b_other"}
    assert _codes(svc["hr1"], spread) == {"own_labour", "b_labour"}
    assert _codes(svc["fin"], spread) == {"a_finance"}
    assert _codes(svc["enterprise"], spread) == {"own_labour"}
    assert _codes(svc["bureau"], spread) == set()  # 统计局: nothing routed to it
    assert _codes(svc["office"], spread) == set(spread)
    assert _codes(svc["leader"], spread) == set(spread)


def test_supporting_unit_sees_the_demand_without_duplicates(svc, spread):
    # 甲镇 supports every labour demand by rule; a town-role user sees by place anyway, so use the
    # list for a bureau supporting unit instead.
    services.routing_rule_save(
        actor=svc["office"], category="other", lead_unit=svc["hr"], supporting_units=[svc["finance"]]
    )
    demand = services.demand_create(
        actor=svc["office"], enterprise=spread["b_other"].enterprise, category="other", title="围墙"
    )
    visible = list(Demand.objects.visible_to(svc["fin"]).filter(pk=demand.pk))
    assert len(visible) == 1


def test_my_work_puts_overdue_first(svc, spread):
    services.demand_create(
        actor=svc["office"],
        enterprise=spread["own_labour"].enterprise,
        category="labour",
        title="旧",
        at=at("2026-01-05"),
    )
    rows = list(selectors.my_work(user=svc["hr1"], today=dt.date(2026, 12, 4)))
    assert rows[0].title == "旧" and rows[0].overdue is True
    assert all(r.lead_unit_id == svc["hr"].pk for r in rows)


def test_league_table_rates(svc, own):
    month = at("2026-03-02")
    for i in range(4):
        d = services.demand_create(
            actor=svc["office"], enterprise=own, category="labour", title=f"缺工{i}", at=month
        )
        if i < 3:
            services.demand_sign(
                actor=svc["hr1"], demand=d, at=at("2026-03-02", 15) if i < 2 else at("2026-03-06")
            )
        if i < 2:
            services.demand_answer(actor=svc["hr1"], demand=d, answer="好", at=at("2026-03-04"))
            services.demand_rate(
                actor=svc["enterprise"],
                demand=d,
                rating="satisfied" if i == 0 else "unsatisfied",
                comment="x",
            )
    rows = selectors.league_table(
        first_month=dt.date(2026, 3, 1), last_month=dt.date(2026, 3, 1), today=dt.date(2026, 12, 4)
    )
    hr, total = rows[0], rows[-1]
    assert hr.unit == "人社局" and total.unit == "合计"
    assert (hr.received, hr.signed_on_time, hr.solved, hr.rated, hr.satisfied) == (4, 2, 2, 2, 1)
    assert (hr.response_rate, hr.resolution_rate, hr.satisfaction_rate) == (50, 50, 50)
    assert hr.overdue_now == 2  # one signed and never answered, one never signed
    assert hr.average_days == 2


def test_visit_scoping(svc, own):
    services.visit_create(actor=svc["hr1"], enterprise=own, visited_on=dt.date(2026, 3, 2), purpose="用工")
    assert Visit.objects.visible_to(svc["hr2"]).count() == 1  # same unit
    assert Visit.objects.visible_to(svc["fin"]).count() == 0
    assert Visit.objects.visible_to(svc["town"]).count() == 1
    assert Visit.objects.visible_to(svc["town_b"]).count() == 0
