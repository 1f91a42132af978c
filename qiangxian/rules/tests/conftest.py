"""Fixtures of the rules app tests: figures for the county's enterprises, and saved rules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

AS_OF = dt.date(2026, 6, 15)
WAN = Decimal(10_000)

# Last year's (2025, December cumulative) revenue and R&D expense in 万元; None: not reported.
FIGURES = {
    "甲镇园区鞋业有限公司": (5000, 160),  # 3.2%: met
    "甲镇纺织有限公司": (900, 18),  # 2.0%: not met
    "甲镇食品有限公司": (None, None),  # no December report: unknown
    "乙镇机械有限公司": (3000, 150),  # 5.0%: met
    "乙镇电子有限公司": (1200, 12),  # 1.0%: not met
}
SHARE_RULE = "研发费用@上年 / 营业收入@上年 >= 3%"


def make_figures(county) -> None:
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


@pytest.fixture
def figures(county):
    make_figures(county)
    return county


@pytest.fixture
def rule(users):
    from qiangxian.rules import services

    return services.custom_rule_create(
        actor=users["office"],
        name="研发投入强度达标",
        description="上年研发费用占营业收入比重不低于 3%",
        expression=SHARE_RULE,
    )


@pytest.fixture
def client_as(client, users):
    """A test client logged in as one of the ``users`` fixture's roles (None: anonymous)."""

    def login(username):
        client.logout()
        if username:
            client.force_login(users[username])
        return client

    return login
