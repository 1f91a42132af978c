"""Project figures say the month their data is for, and pace is judged against that month."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from qiangxian.projects import selectors, services
from qiangxian.projects.choices import Stage
from qiangxian.projects.models import ProjectProgress, ProjectTarget

YI = Decimal(100_000_000)


def test_a_november_dashboard_with_october_data_says_1_to_10(users, make_project):
    project = make_project(
        stage=Stage.BUILDING, signed_on=dt.date(2025, 6, 1), started_on=dt.date(2025, 9, 1)
    )
    for month in range(1, 11):
        ProjectProgress.objects.create(
            project=project,
            month=dt.date(2026, month, 1),
            completed_investment=YI,
            completed_to_date=YI * month,
        )
    ProjectTarget.objects.create(year=2026, industrial_investment=12 * YI)
    summary = selectors.dashboard_summary(user=users["office"], year=2026, month=11)
    assert (summary["month"], summary["asked_month"]) == (10, 11)
    assert summary["period_label"] == "2026年1-10月"
    assert summary["elapsed_share"] == Decimal(10) / 12
    # 10亿 of 12亿 after October is exactly on pace; against 11/12 it would look behind.
    assert summary["investment"]["behind"] is False
    assert "截至2026年10月" in summary["data_note"]
    same = selectors.dashboard_summary(user=users["office"], year=2026, month=10)
    assert same["data_note"] == "" and same["period_label"] == "2026年1-10月"


def test_behind_pace_in_the_light_uses_the_data_month(users, make_project):
    project = make_project(
        stage=Stage.BUILDING,
        signed_on=dt.date(2025, 6, 1),
        started_on=dt.date(2025, 9, 1),
        plan_year=2026,
        planned_investment=12 * YI,
    )
    for month in range(1, 11):
        ProjectProgress.objects.create(
            project=project,
            month=dt.date(2026, month, 1),
            completed_investment=Decimal("0.85") * YI,
            completed_to_date=YI * month,
            in_statistics=True,
        )
    services.lights_recompute_month(actor=None, year=2026, month=11, today=dt.date(2026, 12, 4))
    project.refresh_from_db()
    # 8.5 of 12 = 70.8% against 10/12 = 83.3%: 12.5 points behind, judged on 1-10月.
    assert any("投资进度滞后（1-10月）" in t and "落后12.5个百分点" in t for t in project.light_texts)
