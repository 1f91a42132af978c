"""The dashboard: permission matrix, scoping, and one number in page, API and Excel."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal as D

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from qiangxian.core import formatting
from qiangxian.dashboard import services
from qiangxian.statistics import indicators

pytestmark = pytest.mark.django_db
MARCH = dt.date(2026, 3, 1)


def test_anonymous(facts, client):
    assert client.get(reverse("dashboard:index")).status_code == 302
    assert client.get("/api/dashboard/summary").status_code == 401


@pytest.mark.parametrize(
    "role,status",
    [
        ("admin", 200),
        ("leader", 200),
        ("office", 200),
        ("bureau", 200),
        ("park", 200),
        ("zone", 200),
        ("town", 200),
        ("enterprise", 403),
    ],
)
def test_permission_matrix(facts, users, client, role, status):
    client.force_login(users[role])
    # The page of a government module is refused to an enterprise by the gate (404); the API by its own check.
    page = 404 if role == "enterprise" else status
    assert client.get(reverse("dashboard:index")).status_code == page
    assert client.get("/api/dashboard/summary").status_code == status


@pytest.mark.parametrize(
    "role,kind,unit",
    [
        ("park", "park", "食品园"),
        ("town", "town", "乙镇"),
        ("zone", "zone", "西片区"),
        ("park", "town", "甲镇"),
    ],
)
def test_other_jurisdiction_is_not_found(facts, users, client, role, kind, unit):
    client.force_login(users[role])
    params = {"scope_kind": kind, "scope_id": facts["units"][unit].pk}
    assert client.get(reverse("dashboard:index"), params).status_code == 404
    assert client.get("/api/dashboard/summary", params).status_code == 404


def test_park_user_sees_only_the_park(facts, users, client):
    client.force_login(users["park"])
    response = client.get(reverse("dashboard:index"))
    html = response.content.decode()
    park_value = indicators.value(
        "gross_output", month=MARCH, scope=("park", facts["units"]["工业园"].pk)
    ).value
    assert response.context["board"].scope == ("park", facts["units"]["工业园"].pk)
    assert formatting.format_money(park_value) in html
    assert "甲镇食品有限公司" not in html and "食品园" not in html


def test_the_same_number_on_the_page_in_the_api_and_in_the_excel_export(facts, users, client):
    client.force_login(users["leader"])
    board = services.build(month=MARCH, scope=("county", 0))
    value = board.headlines[0].item.value
    html = client.get(reverse("dashboard:index")).content.decode()
    assert f'data-testid="kpi-gross_output" data-value="{value}">{formatting.format_money(value)}<' in html
    api = client.get("/api/dashboard/summary").json()
    assert D(api["headlines"][0]["value"]) == value
    response = client.get(reverse("dashboard:index"), {"export": "xlsx"})
    sheet = (
        CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_name("主要指标").to_python()
    )
    assert sheet[1][0] == "工业总产值"
    assert D(str(sheet[1][1])) == (value / 10000).quantize(D("0.01"))
    # A breakdown row too.
    town_key = api["breakdowns"]["town"][0]["group_key"]
    town_value = D(api["breakdowns"]["town"][0]["value"])
    assert town_value == indicators.value("gross_output", month=MARCH, group=("town", town_key)).value
    towns = (
        CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_name("按乡镇").to_python()
    )
    assert towns[1][0].startswith("合计")
    assert D(str(towns[2][1])) == (town_value / 10000).quantize(D("0.01"))


def test_breakdown_pulls_add_up_to_growth(facts):
    board = services.build(month=MARCH, scope=("county", 0))
    pulls = sum(i.pull for i in board.breakdowns["town"])
    assert abs(pulls - board.total.growth) < D("1e-20")


def test_targets_and_official_figures_show(facts, users, client):
    from qiangxian.statistics import services as stat_services

    stat_services.target_save(actor=users["office"], indicator="gross_output", year=2026, value=D(50_000_000))
    stat_services.official_figure_save(
        actor=users["office"], indicator="value_added", month=MARCH, value=None, growth=D("0.085")
    )
    client.force_login(users["leader"])
    html = client.get(reverse("dashboard:index")).content.decode()
    assert "统计局发布" in html and "8.5%" in html
    assert "序时" in html


def test_dashboard_query_count_does_not_grow_with_enterprises(
    facts, users, client, django_assert_max_num_queries
):
    client.force_login(users["leader"])
    client.get(reverse("dashboard:index"))
    with django_assert_max_num_queries(30):
        client.get(reverse("dashboard:index"))


def test_project_investment_is_the_same_on_the_dashboard_the_projects_page_and_the_export(
    facts, users, client
):
    from qiangxian.projects.choices import Stage
    from qiangxian.projects.models import Project, ProjectProgress, ProjectTarget

    units = facts["units"]
    ProjectTarget.objects.create(year=2026, industrial_investment=D("51e8"), funds_in_place=D("42e8"))
    for i, park in enumerate([units["工业园"], units["食品园"]]):
        project = Project.objects.create(
            code=f"XM2026{i:04d}",
            name=f"测试项目{i}",
            investor_name="外地投资有限公司",
            park=park,
            town=units["甲镇"],
            total_investment=D("6e8"),
            stage=Stage.BUILDING,
            lead_received_on=dt.date(2025, 12, 1),
            stage_on=dt.date(2026, 1, 5),
        )
        for month in (1, 2, 3, 4):
            ProjectProgress.objects.create(
                project=project,
                month=dt.date(2026, month, 1),
                completed_investment=D("1234567.89") * (i + 1) * month,
                funds_in_place=D("1000000.01") * (i + 1),
            )
    # January to March only: April's progress lies after the dashboard's month.
    expected = sum(D("1234567.89") * (i + 1) * m for i in range(2) for m in (1, 2, 3))
    client.force_login(users["office"])
    page = client.get(reverse("dashboard:index"), {"month": "2026-03"})
    assert page.context["summary"]["investment"]["actual"] == expected
    shown = formatting.format_money(expected, "yi")
    assert f'data-testid="kpi-investment">{shown}<' in page.content.decode()
    overview = client.get(reverse("projects:overview"), {"month": "2026-03"})
    assert overview.context["summary"]["investment"]["actual"] == expected
    export = client.get(reverse("dashboard:index"), {"month": "2026-03", "export": "xlsx"})
    sheet = (
        CalamineWorkbook.from_filelike(io.BytesIO(export.content)).get_sheet_by_name("招商项目").to_python()
    )
    assert sheet[1][0] == "工业投资完成额"
    assert D(str(sheet[1][1])) == (expected / 10000).quantize(D("0.01"))
    # A park's dashboard shows only that park's project.
    park = client.get(
        reverse("dashboard:index"),
        {"month": "2026-03", "scope_kind": "park", "scope_id": units["工业园"].pk},
    )
    assert park.context["summary"]["investment"]["actual"] == sum(D("1234567.89") * m for m in (1, 2, 3))
    assert park.context["summary"]["investment"]["target"] is None
