"""Fixtures of the tier tests: the shared county with facts, titles and assessment data."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from qiangxian.enterprises.models import Designation
from qiangxian.statistics.models import AnnualFact, ImportBatch, ImportProfile, MonthlyFact
from qiangxian.tiers.models import AssessmentDesignation, AssessmentJudgement, AssessmentValue

AS_OF = dt.date(2026, 6, 15)
WAN = D(10_000)


@pytest.fixture
def client_as(client, users):
    """A test client logged in as one of the ``users`` fixture's roles (None: anonymous)."""

    def login(username):
        client.logout()
        if username:
            client.force_login(users[username])
        return client

    return login


def monthly(enterprise, month, source="stats", batch=None, **values):
    return MonthlyFact.objects.create(
        enterprise=enterprise, month=month, source=source, batch=batch, **values
    )


@pytest.fixture
def facts(county, users):
    """Hand-made figures for the county's enterprises (amounts in 万元 below, stored in yuan).

    - 甲镇园区鞋业 (above-scale): 2025 full year revenue 5000万, R&D 120万 (2.4%), 2024 revenue
      4000万, R&D 130万; 2026 1-5月 revenue 2100万; 2025 assets 3000万, liabilities 1500万; two
      Ⅰ类 IP in 2025; 2025 December figures come from import batch "2025年报.xlsx".
    - 甲镇纺织: 2025 stops at November (no December): 上年 is missing, not extrapolated.
    - 乙镇机械: tax from the tax bureau only; a statistics-bureau tax figure is ignored.
    """
    e = county["enterprises"]
    shoe, textile, machine = e["甲镇园区鞋业有限公司"], e["甲镇纺织有限公司"], e["乙镇机械有限公司"]
    profile = ImportProfile.objects.create(name="统计局月报")
    batch = ImportBatch.objects.create(
        profile=profile,
        source="stats",
        file_name="2025年报.xlsx",
        status="committed",
        created_by=users["office"],
    )
    shoe.established_on = dt.date(2019, 6, 16)
    shoe.save()
    monthly(
        shoe,
        dt.date(2024, 12, 1),
        revenue_ytd=4000 * WAN,
        main_revenue_ytd=3900 * WAN,
        rd_expense_ytd=130 * WAN,
    )
    monthly(
        shoe,
        dt.date(2025, 12, 1),
        batch=batch,
        revenue_ytd=5000 * WAN,
        main_revenue_ytd=4800 * WAN,
        rd_expense_ytd=120 * WAN,
        employees_ytd=D(180),
    )
    monthly(shoe, dt.date(2025, 11, 1), revenue_ytd=4500 * WAN)
    monthly(shoe, dt.date(2026, 5, 1), revenue_ytd=2100 * WAN, main_revenue_ytd=2000 * WAN)
    # A month after the evaluation date must not count.
    monthly(shoe, dt.date(2026, 7, 1), revenue_ytd=3000 * WAN)
    monthly(textile, dt.date(2025, 11, 1), revenue_ytd=900 * WAN)
    monthly(machine, dt.date(2025, 12, 1), "tax", tax_paid_ytd=80 * WAN)
    monthly(machine, dt.date(2025, 12, 1), tax_paid_ytd=999 * WAN, revenue_ytd=1800 * WAN)
    AnnualFact.objects.create(
        enterprise=shoe,
        year=2025,
        source="stats",
        total_assets=3000 * WAN,
        total_liabilities=1500 * WAN,
        ip_class1=D(2),
        rd_staff=D(20),
    )
    Designation.objects.create(
        enterprise=shoe, kind="innovative_sme", valid_from=dt.date(2024, 1, 1), valid_to=dt.date(2026, 12, 31)
    )
    Designation.objects.create(
        enterprise=textile, kind="high_tech", valid_from=dt.date(2020, 1, 1), valid_to=dt.date(2022, 12, 31)
    )
    AssessmentValue.objects.create(
        enterprise=shoe,
        indicator="niche_market_years",
        year=2026,
        value=D(4),
        source_note="企业申报材料",
        entered_by=users["office"],
    )
    AssessmentValue.objects.create(
        enterprise=shoe,
        indicator="srdi_quality_score",
        year=2026,
        value=D(62),
        source_note="梯度培育平台",
        entered_by=users["office"],
    )
    # Statistics win over assessment data for the same figure and year.
    AssessmentValue.objects.create(
        enterprise=shoe, indicator="revenue", year=2025, value=1 * WAN, entered_by=users["office"]
    )
    AssessmentDesignation.objects.create(
        enterprise=shoe, name="经营异常名录", held=False, recorded_by=users["office"]
    )
    AssessmentDesignation.objects.create(
        enterprise=shoe, name="严重失信主体名单", held=False, recorded_by=users["office"]
    )
    AssessmentDesignation.objects.create(
        enterprise=textile, name="国家级研发机构", held=True, recorded_by=users["office"]
    )
    AssessmentDesignation.objects.create(
        enterprise=machine,
        name="省部级以上研发机构",
        held=True,
        valid_to=dt.date(2026, 1, 1),
        recorded_by=users["office"],
    )
    AssessmentJudgement.objects.create(
        enterprise=shoe,
        criterion="主导产品在国内或国际细分市场占有率较高",
        satisfied=True,
        reason="细分市场国内前五",
        judged_on=dt.date(2026, 5, 1),
        judged_by=users["office"],
    )
    AssessmentJudgement.objects.create(
        enterprise=textile,
        criterion="主导产品在国内或国际细分市场占有率较高",
        satisfied=False,
        reason="后判断",
        judged_on=dt.date(2026, 7, 1),
        judged_by=users["office"],
    )
    return county
