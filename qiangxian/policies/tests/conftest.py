"""Fixtures of the policy tests: figures for the county's enterprises and a published policy."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

AS_OF = dt.date(2026, 6, 15)
WAN = Decimal(10_000)

# Last year's (2025) revenue and R&D expense in 万元; None: not reported.
FIGURES = {
    "甲镇园区鞋业有限公司": (5000, 600),
    "甲镇纺织有限公司": (900, 450),  # R&D 450万: 50万 short of 500万 (near)
    "甲镇食品有限公司": (None, None),  # unknown
    "乙镇机械有限公司": (3000, 1200),
    "乙镇电子有限公司": (1200, 12),  # far
}


def make_figures(county):
    """December 2025 cumulative figures from the statistics bureau for the county's enterprises."""
    from qiangxian.statistics.models import MonthlyFact

    for name, (revenue, rd) in FIGURES.items():
        if revenue is None:
            continue
        MonthlyFact.objects.create(
            enterprise=county["enterprises"][name],
            month=dt.date(2025, 12, 1),
            source="stats",
            revenue_ytd=revenue * WAN,
            rd_expense_ytd=rd * WAN,
        )
    return county


@pytest.fixture
def figures(county):
    return make_figures(county)


def version_data(**overrides) -> dict:
    data = {
        "effective_from": dt.date(2026, 1, 1),
        "quote": "上年度研发费用达到500万元以上的，给予一次性奖励20万元。",
        "eligibility": "研发费用@上年 >= 500万",
        "benefit_kind": "fixed",
        "benefit_amount": Decimal(200_000),
        "mode": "auto_grant",
        "review_days": 5,
    }
    data.update(overrides)
    return data


@pytest.fixture
def policy(users, county):
    from qiangxian.policies import services

    policy = services.policy_save(
        actor=users["office"],
        data={
            "title": "推动工业企业高质量发展十四条硬措施",
            "effective_from": dt.date(2026, 1, 1),
            "level": "county",
        },
        responsible_units=[county["units"]["经信局"]],
    )
    return policy


@pytest.fixture
def rd_clause(users, policy, county):
    """A published 免申即享 clause: 研发费用 ≥ 500万 → 20万, reviewed by 经信局, paid by 经信局."""
    from qiangxian.policies import services

    unit = county["units"]["经信局"]
    version = services.clause_save(
        actor=users["office"],
        policy=policy,
        data={"title": "研发投入奖励", **version_data(review_unit=unit, paying_unit=unit)},
    )
    services.policy_publish(actor=users["office"], policy=policy)
    version.clause.refresh_from_db()
    return version.clause


@pytest.fixture
def run(users, figures, rd_clause):
    from qiangxian.policies import services

    return services.run_matching(actor=users["office"], as_of=AS_OF)
