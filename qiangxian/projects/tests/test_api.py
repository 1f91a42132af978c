"""API: the same scoping as the pages (anonymous 401, other jurisdiction 404, allowed 200/201)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from qiangxian.projects.choices import Stage
from qiangxian.projects.models import Problem, ProjectProgress


@pytest.fixture
def records(projects, county):
    other = projects["other_park"]
    other.stage = Stage.BUILDING
    other.signed_on, other.started_on = dt.date(2025, 1, 1), dt.date(2025, 2, 1)
    other.save()
    progress = ProjectProgress.objects.create(
        project=other, month=dt.date(2026, 1, 1), completed_investment=100, completed_to_date=100
    )
    problem = Problem.objects.create(
        project=other,
        title="供电未接入",
        category="utilities",
        owner_unit=county["units"]["经信局"],
        raised_on=dt.date(2026, 5, 1),
        deadline=dt.date(2026, 5, 20),
    )
    return {"project": other, "progress": progress, "problem": problem}


def post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def put(client, url, data):
    return client.put(url, json.dumps(data), content_type="application/json")


def test_anonymous_gets_401_everywhere(client, records):
    p, g, b = records["project"].pk, records["progress"].pk, records["problem"].pk
    for url in [
        "/api/projects/",
        f"/api/projects/{p}",
        "/api/projects/progress",
        f"/api/projects/progress/{g}",
        "/api/projects/problems",
        f"/api/projects/problems/{b}",
        "/api/projects/summary?year=2026&month=5",
    ]:
        assert client.get(url).status_code == 401, url
    assert post(client, "/api/projects/", {"name": "x"}).status_code == 401
    assert post(client, "/api/projects/problems", {}).status_code == 401
    assert put(client, f"/api/projects/{p}", {"name": "x"}).status_code == 401


@pytest.mark.parametrize("role", ["park", "zone", "town", "bureau", "enterprise"])
def test_other_jurisdiction_gets_404(client, users, records, role):
    client.force_login(users[role])
    p, g, b = records["project"].pk, records["progress"].pk, records["problem"].pk
    for url in [f"/api/projects/{p}", f"/api/projects/progress/{g}", f"/api/projects/problems/{b}"]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.json()["detail"] == "未找到该记录，或您无权查看。"
    assert put(client, f"/api/projects/{p}", {"name": "x"}).status_code == 404
    assert (
        post(client, f"/api/projects/{p}/transition", {"target": "completed", "on": "2026-05-01"}).status_code
        == 404
    )
    assert (
        post(
            client,
            "/api/projects/progress",
            {"project_id": p, "month": "2026-02-01", "completed_investment": "1"},
        ).status_code
        == 404
    )
    assert (
        put(
            client,
            f"/api/projects/progress/{g}",
            {"project_id": p, "month": "2026-01-01", "completed_investment": "1"},
        ).status_code
        == 404
    )
    assert (
        post(
            client,
            "/api/projects/problems",
            {"project_id": p, "title": "x", "owner_unit_id": 1, "deadline": "2030-01-01"},
        ).status_code
        == 404
    )
    assert put(client, f"/api/projects/problems/{b}", {"note": "x"}).status_code == 404
    assert records["project"].name not in json.dumps(client.get("/api/projects/").json(), ensure_ascii=False)
    assert client.get("/api/projects/problems").json()["count"] == 0
    assert client.get("/api/projects/progress").json()["count"] == 0


def test_allowed_user_reads_lists_and_details(client, users, records):
    client.force_login(users["leader"])
    p, g, b = records["project"].pk, records["progress"].pk, records["problem"].pk
    assert client.get("/api/projects/").json()["count"] == 4
    assert client.get(f"/api/projects/?park={records['project'].park_id}").json()["count"] == 1
    assert client.get(f"/api/projects/{p}").json()["stage_display"] == "在建"
    assert client.get(f"/api/projects/progress?project={p}").json()["items"][0]["id"] == g
    assert client.get(f"/api/projects/progress/{g}").status_code == 200
    assert client.get("/api/projects/problems?state=overdue").json()["count"] == 1
    assert client.get(f"/api/projects/problems/{b}").json()["title"] == "供电未接入"
    summary = client.get("/api/projects/summary?year=2026&month=1").json()
    assert Decimal(summary["investment"]["actual"]) == 100


def test_leaders_cannot_write_through_the_api(client, users, records):
    client.force_login(users["leader"])
    assert post(client, "/api/projects/", {"name": "x", "investor_name": "y"}).status_code == 403
    assert put(client, f"/api/projects/problems/{records['problem'].pk}", {"note": "x"}).status_code == 403


def test_office_writes_through_the_api(client, users, county, records):
    client.force_login(users["office"])
    created = post(
        client,
        "/api/projects/",
        {
            "name": "API线索",
            "investor_name": "外地公司",
            "total_investment": "300000000",
            "park_id": county["units"]["工业园"].pk,
        },
    )
    assert created.status_code == 201
    project = created.json()
    assert project["size_class"] == "100m" and project["stage"] == "sourcing"
    invalid = post(
        client, f"/api/projects/{project['id']}/transition", {"target": "started", "on": str(dt.date.today())}
    )
    assert invalid.status_code == 422
    assert invalid.json()["errors"]["stage"] == ["项目尚未签约，不能登记开工。请先登记签约。"]
    stale = put(
        client,
        f"/api/projects/{project['id']}",
        {"name": "改名", "investor_name": "外地公司", "expected_updated_at": "2020-01-01T00:00:00Z"},
    )
    assert stale.status_code == 409 and "他人修改" in stale.json()["detail"]
    updated = put(
        client,
        f"/api/projects/{project['id']}",
        {
            "name": "改名",
            "investor_name": "外地公司",
            "total_investment": "600000000",
            "expected_updated_at": project["updated_at"],
        },
    )
    assert updated.status_code == 200, updated.json()
    assert updated.json()["size_class"] == "500m"
    other = records["project"]
    row = post(
        client,
        "/api/projects/progress",
        {"project_id": other.pk, "month": "2026-02-01", "completed_investment": "200", "in_statistics": True},
    )
    assert row.status_code == 201 and Decimal(row.json()["completed_to_date"]) == 300
    changed = put(
        client,
        f"/api/projects/progress/{row.json()['id']}",
        {"project_id": other.pk, "month": "2026-02-01", "completed_investment": "250"},
    )
    assert Decimal(changed.json()["completed_investment"]) == 250
    problem = post(
        client,
        "/api/projects/problems",
        {
            "project_id": other.pk,
            "title": "环评未批",
            "owner_unit_id": county["units"]["统计局"].pk,
            "deadline": "2030-01-01",
            "category": "environment",
        },
    )
    assert problem.status_code == 201
    solved = put(
        client, f"/api/projects/problems/{problem.json()['id']}", {"note": "已协调", "solution": "批复已下达"}
    )
    assert solved.json()["status"] == "solved"
