import datetime as dt
import json

import pytest
from django.urls import reverse

from qiangxian.supervision.choices import TaskStatus
from qiangxian.supervision.models import SourceDocument, Task


@pytest.mark.parametrize(
    ("username", "expected"),
    [(None, 302), ("enterprise", 404), ("park", 404), ("bureau", 200), ("leader", 200), ("office", 200)],
)
def test_task_detail_permission_matrix(client, users, make_task, username, expected):
    task = make_task()
    if username:
        client.force_login(users[username])
    response = client.get(reverse("supervision:task_detail", args=[task.pk]))
    assert response.status_code == expected


def test_list_filters_and_exports_only_visible_tasks(client, users, county, make_task):
    make_task(title="统计局事项")
    make_task(title="经信局事项", lead_unit=county["units"]["经信局"])
    client.force_login(users["bureau"])
    page = client.get(reverse("supervision:task_list")).content.decode()
    assert "统计局事项" in page and "经信局事项" not in page
    export = client.get(reverse("supervision:task_list") + "?export=xlsx")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_report_form_shows_chinese_errors_and_stale_message(client, users, make_task):
    task = make_task()
    client.force_login(users["bureau"])
    url = reverse("supervision:task_detail", args=[task.pk])
    response = client.post(url, {"action": "report", "month": "2026-01", "progress": ""})
    assert "请填写进展情况。" in response.content.decode()
    old = "2000-01-01T00:00:00+00:00"
    response = client.post(url, {"action": "report", "month": "2026-01", "progress": "进展", "version": old})
    assert "已被他人修改" in response.content.decode()


def test_office_only_pages(client, users):
    client.force_login(users["bureau"])
    assert client.get(reverse("supervision:draft")).status_code == 403
    assert client.get(reverse("supervision:settings")).status_code == 403
    client.force_login(users["office"])
    assert client.get(reverse("supervision:draft")).status_code == 200


def test_draft_confirm_some_and_drop_the_rest(client, users, county, meeting):
    client.force_login(users["office"])
    text = "今年力争规上工业企业达到96户。去年增长14.3%。统计局要加快推进数据核查，6月底前完成。"
    response = client.post(
        reverse("supervision:draft"),
        {"title": "讲话", "kind": "speech", "doc_date": "2026-02-20", "text": text, "meeting": meeting.pk},
    )
    document = SourceDocument.objects.get()
    assert response.url == reverse("supervision:draft_review", args=[document.pk])
    page = client.get(response.url).content.decode()
    assert "14.3" not in page.split("目标（")[1].split("任务（")[0]
    unit = county["units"]["统计局"].pk
    response = client.post(
        response.url,
        {
            "t0-confirm": "on",
            "t0-metric": "规上工业企业",
            "t0-value": "96",
            "t0-unit": "户",
            "t0-kind": "count",
            "t0-comparator": "≥",
            "t0-unit_id": unit,
            "k0-action": "加快推进数据核查",
            "k0-unit_id": unit,
            "k0-deadline": "2026-06-30",
        },
    )
    assert response.status_code == 302
    # The task was not ticked: only the target (as a task with a figure) exists.
    assert list(Task.objects.values_list("metric", flat=True)) == ["规上工业企业"]


def test_meeting_exports(client, users, make_task, meeting):
    make_task()
    client.force_login(users["leader"])
    url = reverse("supervision:meeting_detail", args=[meeting.pk])
    assert "梳理签约未开工项目" in client.get(url).content.decode()
    assert client.get(url + "?export=docx")["Content-Type"].endswith("document")
    assert client.get(url + "?export=xlsx")["Content-Type"].startswith("application/vnd.openxmlformats")


def test_unit_record_page(client, users, make_task):
    make_task(deadline=dt.date(2026, 2, 1), status=TaskStatus.OVERDUE)
    client.force_login(users["office"])
    page = client.get(reverse("supervision:unit_record") + "?year=2026").content.decode()
    assert "统计局" in page


def test_api_draft_and_scoping(client, users, make_task, county):
    mine = make_task()
    other = make_task(lead_unit=county["units"]["经信局"])
    client.force_login(users["bureau"])
    body = {"text": "去年增长14.3%，今年力争完成工业投资51亿元。", "date": "2026-02-20"}
    response = client.post("/api/supervision/draft", json.dumps(body), content_type="application/json")
    assert response.status_code == 200
    result = response.json()
    assert [(t["value"], t["unit"], t["comparator"]) for t in result["targets"]] == [("51", "亿元", "≥")]
    assert result["targets"][0]["quote"] in body["text"]
    assert client.get(f"/api/supervision/tasks/{other.pk}").status_code == 404
    assert client.get(f"/api/supervision/tasks/{mine.pk}").status_code == 200
    assert client.get("/api/supervision/tasks/99999999999999999999").status_code in (400, 422)
    response = client.post(
        f"/api/supervision/tasks/{mine.pk}/reports",
        json.dumps(
            {"month": "2026-01-01", "progress": "进展", "expected_updated_at": "2000-01-01T00:00:00Z"}
        ),
        content_type="application/json",
    )
    assert response.status_code == 409
    response = client.post(
        f"/api/supervision/tasks/{mine.pk}/close", json.dumps({}), content_type="application/json"
    )
    assert response.status_code == 403


def test_office_adds_edits_and_the_lead_unit_marks_a_milestone(client, users, make_task):
    import datetime as dt

    from qiangxian.supervision.models import Milestone

    task = make_task()
    url = f"/supervision/tasks/{task.pk}/"
    client.force_login(users["office"])
    client.post(url, {"action": "milestone", "title": "完成入库名单", "due_on": "2026-06-30"})
    milestone = Milestone.objects.get(task=task)
    response = client.post(url, {"action": "milestone", "title": "x", "due_on": "2027-03-01"})
    assert "节点时限应在2026-01-01至2026-12-31之间。" in response.content.decode()
    client.post(
        url,
        {
            "action": "milestone",
            "milestone": milestone.pk,
            "title": "完成第一批入库名单",
            "due_on": "2026-07-15",
        },
    )
    milestone.refresh_from_db()
    assert (milestone.title, milestone.due_on) == ("完成第一批入库名单", dt.date(2026, 7, 15))
    # Another unit may not mark it; the lead unit (统计局) may.
    client.force_login(users["park"])
    assert client.post(url, {"action": "milestone_done", "milestone": milestone.pk}).status_code == 404
    client.force_login(users["bureau"])
    client.post(url, {"action": "milestone_done", "milestone": milestone.pk})
    milestone.refresh_from_db()
    assert milestone.done_on is not None
    assert "撤销完成" in client.get(url).content.decode()


def test_the_overdue_sweep_runs_as_a_command(users, make_task):
    import datetime as dt
    from io import StringIO

    from django.core.management import call_command

    task = make_task(deadline=dt.date(2026, 3, 31))
    out = StringIO()
    call_command("supervision_overdue", "--date", "2026-04-01", stdout=out)
    task.refresh_from_db()
    assert task.status == "overdue" and "1 项" in out.getvalue()
