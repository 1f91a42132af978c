"""Reads: one set of investment figures everywhere, scoping, overdue problems and leads."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from python_calamine import CalamineWorkbook

from qiangxian.projects import selectors, services
from qiangxian.projects.choices import Stage
from qiangxian.projects.models import Problem, Project, ProjectProgress, ProjectTarget

YI = Decimal(100_000_000)


@pytest.fixture
def invested(make_project, county):
    """Three industrial projects with progress across 2025 and 2026, and the 2026 targets."""
    ProjectTarget.objects.create(
        year=2026,
        industrial_investment=51 * YI,
        big_project_count=7,
        big_project_threshold=5 * YI,
        funds_in_place=42 * YI,
    )
    units = county["units"]
    result = []
    for i, (park, total) in enumerate(
        [(units["工业园"], 6 * YI), (units["食品园"], 2 * YI), (None, 12 * YI)]
    ):
        project = make_project(
            park=park,
            total_investment=total,
            stage=Stage.BUILDING,
            signed_on=dt.date(2026, 1 + i, 3),
            started_on=dt.date(2026, 2 + i, 1),
        )
        for month in range(1, 13):
            for year in (2025, 2026):
                ProjectProgress.objects.create(
                    project=project,
                    month=dt.date(year, month, 1),
                    completed_investment=Decimal("1234567.89") * (i + 1) + month,
                    funds_in_place=Decimal("1000000.01") * (i + 1),
                )
        result.append(project)
    return result


def test_project_page_summary_and_export_agree(client, users, invested):
    client.force_login(users["office"])
    summary = selectors.dashboard_summary(user=users["office"], year=2026, month=6)
    pages = []
    for project in invested:
        response = client.get(f"/projects/{project.pk}/?month=2026-06")
        pages.append(response.context["investment"]["completed"])
    export = client.get("/projects/list/?export=xlsx&month=2026-06")
    table = CalamineWorkbook.from_filelike(io.BytesIO(export.content)).get_sheet_by_index(0).to_python()
    column = table[0].index("2026年1-6月完成投资（元）")
    exported = sum(Decimal(str(row[column])) for row in table[1:])
    expected = sum(Decimal("1234567.89") * (i + 1) * 6 + 21 for i in range(3))
    assert summary["investment"]["actual"] == sum(pages) == expected
    assert exported == expected
    overview = client.get("/projects/?month=2026-06")
    assert overview.context["summary"]["investment"]["actual"] == expected
    assert summary["funds"]["actual"] == sum(Decimal("1000000.01") * (i + 1) * 6 for i in range(3))


def test_summary_against_targets_and_pace(users, invested):
    summary = selectors.dashboard_summary(user=users["office"], year=2026, month=6)
    assert summary["elapsed_share"] == Decimal("0.5")
    assert summary["investment"]["target"] == 51 * YI and summary["investment"]["behind"]
    assert summary["big_projects"] == {"signed": 2, "target": 7, "threshold": 5 * YI}  # 6亿 and 12亿 in 2026
    assert summary["funds"]["stretch_target"] == 42 * YI * Decimal("1.2")
    park = selectors.dashboard_summary(user=users["park"], year=2026, month=6)
    assert park["investment"]["target"] is None  # county targets are not a park's targets
    assert park["investment"]["actual"] == Decimal("1234567.89") * 6 + 21
    assert park["big_projects"]["signed"] == 1


def test_scoping_of_projects(users, projects):
    def names(user):
        return set(selectors.project_list(user=user).values_list("name", flat=True))

    assert names(users["park"]) == {"工业园项目", "本企业扩产项目"}
    assert names(users["zone"]) == {"本企业扩产项目"}
    assert names(users["town"]) == {"工业园项目", "本企业扩产项目"}
    assert names(users["bureau"]) == {"统计局负责项目"}
    assert names(users["enterprise"]) == {"本企业扩产项目"}
    assert len(names(users["leader"])) == 4


def test_a_bureau_sees_problems_routed_to_it(users, county, projects):
    problem = Problem.objects.create(
        project=projects["other_park"],
        title="供电未接入",
        category="utilities",
        owner_unit=county["units"]["统计局"],
        raised_on=dt.date(2026, 5, 1),
        deadline=dt.date(2026, 5, 20),
    )
    assert list(selectors.problem_list(user=users["bureau"])) == [problem]
    assert not selectors.problem_list(user=users["park"]).exists()
    overdue = selectors.overdue_by_unit(user=users["office"], today=dt.date(2026, 6, 1))
    assert overdue == [{"unit_id": county["units"]["统计局"].pk, "unit": "统计局", "count": 1}]
    assert selectors.overdue_by_unit(user=users["office"], today=dt.date(2026, 5, 20)) == []


def test_overdue_leads_count_working_days(users, make_project):
    friday = dt.date(2026, 11, 20)
    lead = make_project(lead_received_on=friday)
    assert (
        selectors.overdue_leads(user=users["office"], today=dt.date(2026, 11, 23)) == []
    )  # Monday: due today
    late = selectors.overdue_leads(user=users["office"], today=dt.date(2026, 11, 24))
    assert late == [lead] and late[0].overdue_items == ["未落实责任人（应于2026-11-23前）"]
    late = selectors.overdue_leads(user=users["office"], today=dt.date(2026, 11, 26))
    assert late[0].overdue_items[1] == "未完成研判（应于2026-11-25前）"
    services.lead_assign_owner(actor=users["office"], project=lead, owner=users["bureau"])
    services.lead_assess(actor=users["office"], project=lead, assessment="建议推进")
    assert selectors.overdue_leads(user=users["office"], today=dt.date(2026, 11, 26)) == []


def test_pipeline_board_counts_every_stage(users, projects):
    columns = selectors.pipeline_board(queryset=selectors.project_list(user=users["office"]))
    counts = {c["stage"]: c["count"] for c in columns}
    assert counts[Stage.SOURCING] == 3 and counts[Stage.SIGNED] == 1 and len(columns) == 9


def test_pipeline_board_shows_each_stages_most_urgent_cards_first(users, make_project):
    from qiangxian.projects.choices import Light

    made = {}
    for i, (light, total) in enumerate(
        [(Light.GREEN, 9), (Light.RED, 1), (Light.YELLOW, 5), (Light.RED, 3), (Light.GREEN, 2)]
    ):
        project = make_project(name=f"在谈{i}", stage=Stage.NEGOTIATING)
        Project.objects.filter(pk=project.pk).update(light=light, total_investment=Decimal(total) * 10**8)
        made[i] = project.pk
    signed = make_project(name="签约一", stage=Stage.SIGNED, signed_on=dt.date(2026, 2, 1))
    columns = {
        c["stage"]: c
        for c in selectors.pipeline_board(queryset=selectors.project_list(user=users["office"]), per_stage=3)
    }
    talking = columns[Stage.NEGOTIATING]
    # Red before yellow before green; within a light, the larger investment first.
    assert [c.pk for c in talking["cards"]] == [made[3], made[1], made[2]]
    assert talking["count"] == 5 and talking["more"] == 2
    assert [c.pk for c in columns[Stage.SIGNED]["cards"]] == [signed.pk]
    assert columns[Stage.STARTED]["cards"] == [] and columns[Stage.STARTED]["more"] == 0
