"""Pages: a permission matrix for every page, the forms on the project page, pinned query counts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from qiangxian.projects import importers
from qiangxian.projects.choices import Stage
from qiangxian.projects.models import Problem, ProgressImportBatch, Project, ProjectProgress

LIST_PAGES = [
    "/projects/",
    "/projects/pipeline/",
    "/projects/list/",
    "/projects/signed-not-started/",
    "/projects/progress/",
    "/projects/problems/",
    "/projects/leads/overdue/",
    "/projects/import/template/",
]


@pytest.fixture
def problem(projects, county):
    return Problem.objects.create(
        project=projects["other_park"],
        title="供电未接入",
        category="utilities",
        owner_unit=county["units"]["经信局"],
        raised_on=dt.date(2026, 5, 1),
        deadline=dt.date(2026, 5, 20),
    )


@pytest.fixture
def batch(users):
    return ProgressImportBatch.objects.create(
        file_name="a.xlsx", file_sha256="0" * 64, uploaded_by=users["office"]
    )


def object_pages(projects, problem, batch):
    other = projects["other_park"].pk
    return [
        f"/projects/{other}/",
        f"/projects/{other}/edit/",
        f"/projects/problems/{problem.pk}/",
        f"/projects/import/{batch.pk}/",
    ]


@pytest.mark.parametrize("url", [*LIST_PAGES, "/projects/new/", "/projects/import/", "/projects/settings/"])
def test_anonymous_users_are_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_anonymous_users_cannot_reach_records(client, projects, problem, batch):
    for url in object_pages(projects, problem, batch):
        response = client.get(url)
        assert response.status_code == 302, url


def test_an_enterprise_has_its_projects_in_its_portal_not_the_government_lists(client, users, projects):
    client.force_login(users["enterprise"])
    for url in LIST_PAGES:
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("role", ["admin", "leader", "office", "bureau", "park", "zone", "town"])
def test_every_role_opens_the_list_pages(client, users, projects, role):
    client.force_login(users[role])
    for url in LIST_PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
    for url in [
        "/projects/list/?export=xlsx",
        "/projects/progress/?export=xlsx",
        "/projects/problems/?export=xlsx",
        "/projects/signed-not-started/?export=xlsx",
    ]:
        assert client.get(url)["Content-Type"].startswith("application/vnd.openxmlformats"), url


@pytest.mark.parametrize("role", ["park", "zone", "town", "bureau", "enterprise"])
def test_other_jurisdictions_get_not_found(client, users, projects, problem, batch, role):
    client.force_login(users[role])
    for url in object_pages(projects, problem, batch):
        assert client.get(url).status_code == 404, url
    other = projects["other_park"]
    assert client.post(f"/projects/{other.pk}/", {"action": "transition"}).status_code == 404
    assert (
        client.post(f"/projects/problems/{problem.pk}/", {"action": "note", "text": "x"}).status_code == 404
    )
    assert client.post(f"/projects/import/{batch.pk}/apply/").status_code == 404


@pytest.mark.parametrize(
    ("role", "key"),
    [
        ("park", "park"),
        ("zone", "enterprise"),
        ("town", "park"),
        ("bureau", "bureau"),
        ("enterprise", "enterprise"),
        ("leader", "other_park"),
        ("office", "other_park"),
    ],
)
def test_allowed_users_open_their_projects(client, users, projects, role, key):
    client.force_login(users[role])
    # An enterprise reads its projects in its portal.
    url = "/portal/projects/" if role == "enterprise" else f"/projects/{projects[key].pk}/"
    response = client.get(url)
    assert response.status_code == 200
    assert projects[key].name in response.content.decode()


def test_allowed_users_open_problems_batches_and_settings(client, users, projects, problem, batch):
    client.force_login(users["office"])
    pages = [
        *object_pages(projects, problem, batch),
        "/projects/settings/",
        "/projects/import/",
        "/projects/new/",
    ]
    for url in pages:
        assert client.get(url).status_code == 200, url
    client.force_login(users["admin"])
    assert client.get(f"/projects/problems/{problem.pk}/").status_code == 200


@pytest.mark.parametrize("role", ["leader", "enterprise"])
def test_readers_cannot_write(client, users, projects, role):
    client.force_login(users[role])
    refused = 404 if role == "enterprise" else 403  # the enterprise never reaches these pages
    for url in ["/projects/new/", "/projects/import/", "/projects/settings/"]:
        assert client.get(url).status_code == refused, url
    assert client.post("/projects/lights/recompute/", {"month": "2026-05"}).status_code == refused
    visible = projects["enterprise"]
    assert client.get(f"/projects/{visible.pk}/edit/").status_code == refused
    assert (
        client.post(
            f"/projects/{visible.pk}/", {"action": "transition", "target": "negotiating", "on": "2026-01-06"}
        ).status_code
        == refused
    )


def test_park_and_bureau_users_cannot_manage_settings(client, users):
    for role in ("park", "bureau", "town"):
        client.force_login(users[role])
        assert client.get("/projects/settings/").status_code == 403


def test_project_page_forms_show_errors_in_place(client, users, projects):
    client.force_login(users["park"])
    project = projects["park"]
    response = client.post(
        f"/projects/{project.pk}/",
        {
            "action": "transition",
            "target": "producing",
            "on": "2026-02-10",
            "version": project.updated_at.isoformat(),
        },
    )
    assert response.status_code == 200
    assert "项目尚未开工，不能登记投产。请先登记开工。" in response.content.decode()
    response = client.post(
        f"/projects/{project.pk}/",
        {
            "action": "transition",
            "target": "started",
            "on": "2026-02-10",
            "version": project.updated_at.isoformat(),
        },
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.stage == Stage.STARTED
    response = client.post(
        f"/projects/{project.pk}/",
        {
            "action": "progress",
            "month": "2026-03",
            "completed_investment": "1200.5",
            "funds_in_place": "300",
            "in_statistics": "on",
        },
    )
    assert response.status_code == 302
    row = ProjectProgress.objects.get(project=project)
    assert row.completed_investment == Decimal("12005000") and row.in_statistics


def test_stale_edit_is_refused(client, users, projects):
    client.force_login(users["office"])
    project = projects["park"]
    stale = (project.updated_at - dt.timedelta(seconds=5)).isoformat()
    response = client.post(
        f"/projects/{project.pk}/edit/",
        {
            "version": stale,
            "name": "改名",
            "lead_source": "other",
            "investor_name": "甲公司",
            "total_investment": "20000",
        },
    )
    assert "该项目已被他人修改，请刷新页面后重新操作。" in response.content.decode()
    assert Project.objects.get(pk=project.pk).name == "工业园项目"


def test_create_through_the_form(client, users, county):
    client.force_login(users["office"])
    response = client.post(
        "/projects/new/",
        {
            "name": "新线索",
            "lead_source": "fair",
            "investor_name": "杭州某科技有限公司",
            "total_investment": "52000",
            "park": county["units"]["工业园"].pk,
            "industrial": "on",
        },
    )
    assert response.status_code == 302
    project = Project.objects.get(name="新线索")
    assert project.total_investment == Decimal("520000000") and project.size_class == "500m"


def test_recompute_form_drives_the_evaluation_month(client, users, make_project):
    today = timezone.localdate()
    project = make_project(
        stage=Stage.SIGNED,
        signed_on=today - dt.timedelta(days=300),
        start_deadline=today - dt.timedelta(days=10),
    )
    client.force_login(users["office"])
    client.post("/projects/lights/recompute/", {"month": "2026-05"})
    project.refresh_from_db()
    assert (project.light, project.light_month) == ("yellow", dt.date(2026, 5, 1))
    client.post("/projects/lights/recompute/", {"month": "2026-07"})
    project.refresh_from_db()
    assert (project.light, project.light_month) == ("yellow", dt.date(2026, 7, 1))


def test_import_pages(client, users, make_project):
    project = make_project(
        stage=Stage.BUILDING, signed_on=dt.date(2025, 1, 1), started_on=dt.date(2025, 3, 1)
    )
    client.force_login(users["office"])
    template = client.get("/projects/import/template/?month=2026-05")
    content = importers.template_xlsx(user=users["office"], month=dt.date(2026, 5, 1))
    assert template.content[:2] == content[:2] == b"PK"
    from qiangxian.projects.tests.test_importers import xlsx

    month = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
    upload = xlsx([[project.code, project.name, f"{month:%Y-%m}", 10, None, 5, "是", ""]])
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post("/projects/import/", {"file": SimpleUploadedFile("进度.xlsx", upload)})
    batch = ProgressImportBatch.objects.get()
    assert response["Location"] == f"/projects/import/{batch.pk}/"
    assert "确认导入" in client.get(response["Location"]).content.decode()
    client.post(f"/projects/import/{batch.pk}/apply/")
    assert ProjectProgress.objects.filter(project=project).count() == 1
    client.post(f"/projects/import/{batch.pk}/rollback/")
    assert not ProjectProgress.objects.filter(project=project).exists()


def _fill(make_project, n):
    for i in range(n):
        project = make_project(
            stage=[Stage.SIGNED, Stage.BUILDING, Stage.SOURCING][i % 3],
            signed_on=dt.date(2026, 1, 1),
            light=["red", "yellow", "green"][i % 3],
        )
        ProjectProgress.objects.create(project=project, month=dt.date(2026, 1, 1), completed_investment=i)
        Problem.objects.create(
            project=project,
            title="问题",
            category="land",
            owner_unit=project.responsible_unit,
            raised_on=dt.date(2026, 1, 1),
            deadline=dt.date(2026, 2, 1),
        )


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        # The daily light refresh check reads the settings row; figures read their data month.
        # (The session is no longer written on every request; the user's unit is read with the user.)
        ("/projects/", 12),
        # The board is kept per scope: two more to fingerprint its data (a kept one needs only those).
        ("/projects/pipeline/", 11),
        ("/projects/list/", 9),
        ("/projects/signed-not-started/", 7),
        ("/projects/approvals/", 4),
        ("/projects/progress/", 3),
        ("/projects/problems/", 5),
    ],
)
def test_list_pages_have_a_fixed_number_of_queries(
    client, users, make_project, django_assert_num_queries, url, queries
):
    client.force_login(users["office"])
    client.get(url)  # settings row created on first use
    # New projects before each count: a page body kept in the cache is built afresh, and its
    # queries are what is counted.
    _fill(make_project, 6)
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
    _fill(make_project, 24)
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200


def test_office_saves_thresholds_and_targets(client, users):
    from qiangxian.projects.models import ProjectSettings, ProjectTarget

    client.force_login(users["office"])
    client.get("/projects/settings/")
    data = {
        "action": "settings",
        "pace_yellow_pp": "8",
        "approval_lookahead_days": "45",
        "pace_red_pp": "25",
        "default_start_months": "6",
        "signed_red_months": "3",
        "stats_yellow_months": "1",
        "stats_red_months": "2",
        "production_red_months": "3",
        "intensity_red_ratio": "0.8",
        "stats_threshold": "5000000",
        "lead_owner_days": "1",
        "lead_assess_days": "3",
    }
    assert client.post("/projects/settings/", data).status_code == 302
    assert ProjectSettings.objects.get().pace_red_pp == Decimal(25)
    response = client.post("/projects/settings/", {**data, "pace_red_pp": "5"})
    assert "红灯阈值应大于黄灯阈值。" in response.content.decode()
    target = {
        "action": "target",
        "year": "2027",
        "industrial_investment": "560000",
        "big_project_count": "8",
        "big_project_threshold": "50000",
        "funds_in_place": "450000",
        "funds_stretch_pct": "20",
        "note": "",
    }
    assert client.post("/projects/settings/", target).status_code == 302
    saved = ProjectTarget.objects.get(year=2027)
    assert saved.industrial_investment == Decimal("5600000000") and saved.big_project_count == 8


def test_the_board_is_kept_per_scope_and_shows_a_change_at_once(
    client, users, county, make_project, monkeypatch
):
    from qiangxian.projects import views

    units = county["units"]
    make_project(name="甲镇的项目", town=units["甲镇"], park=None)
    make_project(name="乙镇的项目", town=units["乙镇"], park=None)
    bodies = []
    real = views._pipeline_body
    monkeypatch.setattr(views, "_pipeline_body", lambda request: bodies.append(1) or real(request))

    def board(user) -> str:
        client.force_login(users[user])
        return client.get("/projects/pipeline/").content.decode()

    office = board("office")
    assert "甲镇的项目" in office and "乙镇的项目" in office
    town = board("town")  # the office's board is kept: the town gets its own
    assert "甲镇的项目" in town and "乙镇的项目" not in town
    assert board("town").count("甲镇的项目") == town.count("甲镇的项目") and len(bodies) == 2
    # The recompute form of the office carries the reader's token, never the placeholder.
    assert "qx-fragment-csrf-token" not in board("office")
    make_project(name="甲镇的新项目", town=units["甲镇"], park=None)
    assert "甲镇的新项目" in board("town") and len(bodies) == 3
