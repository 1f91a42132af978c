"""The monthly analysis: every number in it is the dashboard's number (one source), scoping,
bad input, the archive with what changed between two generations, the closing text kept."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from qiangxian.core import formatting
from qiangxian.projects.models import Project
from qiangxian.reports import services
from qiangxian.reports.models import GeneratedReport
from qiangxian.statistics import rollup
from qiangxian.statistics.models import MonthlyFact, Target
from qiangxian.statistics.templatetags.stats import format_value

from .conftest import docx_text, read_file

pytestmark = pytest.mark.django_db
MARCH = dt.date(2026, 3, 1)


def pct(value) -> str:
    number = formatting.percent_number(None if value is None else D(str(value)))
    return "—" if number is None else str(number)


def _generate(client, **params):
    return client.post(
        "/api/reports/", {"kind": "monthly", "month": "2026-03", **params}, content_type="application/json"
    )


@pytest.mark.parametrize(
    "role,scope",
    [("office", {}), ("office", {"scope_kind": "town", "scope_name": "甲镇"}), ("town", {}), ("park", {})],
)
def test_every_number_of_the_report_is_the_dashboards(facts, users, client, role, scope):
    """Headline values and growth, the 1-2月 comparison, every breakdown row (value, growth, share,
    pull), the rankings: each as the dashboard API gives it for the same month and scope."""
    Target.objects.create(indicator="gross_output", year=2026, value=D(30_000_000))
    for code, name, light, stage in (
        ("P1", "甲项目", "red", "signed"),
        ("P2", "乙项目", "yellow", "building"),
        ("P3", "丙项目", "red", "signed"),
    ):
        Project.objects.create(code=code, name=name, light=light, stage=stage, town=facts["units"]["甲镇"])
    client.force_login(users[role])
    params = {}
    if scope:
        params = {"scope_kind": scope["scope_kind"], "scope_id": facts["units"][scope["scope_name"]].pk}
    response = _generate(client, **params)
    assert response.status_code == 201, response.content
    report = GeneratedReport.objects.get(pk=response.json()["id"])
    board = client.get("/api/dashboard/summary", {"month": "2026-03", **params}).json()
    assert report.scope_label == board["scope_label"]
    text, tables = docx_text(read_file(report.file))
    head = next(h for h in board["headlines"] if h["indicator"] == "gross_output")
    value_text = format_value(D(str(head["value"])), "gross_output")
    growth = formatting.percent_number(D(str(head["growth"])))
    word = "增长" if growth > 0 else "下降"
    assert f"{board['scope_label']}规上工业总产值{value_text}，同比{word}{abs(growth)}%" in text
    # The change against 1-2月 uses the dashboard's own February growth.
    feb = client.get("/api/dashboard/summary", {"month": "2026-02", **params}).json()
    feb_growth = formatting.percent_number(
        D(str(next(h for h in feb["headlines"] if h["indicator"] == "gross_output")["growth"]))
    )
    gap = growth - feb_growth
    expected = "持平" if gap == 0 else f"{'提高' if gap > 0 else '回落'}{abs(gap)}个百分点"
    assert expected in text
    if role == "office" and not scope:
        assert f"完成年度目标的{pct(head['completion'])}%" in text
        # The projects' figures are the projects overview's (the dashboard's projects block).
        projects = client.get("/api/projects/summary", {"year": 2026, "month": 3}).json()
        lights = projects["lights"]
        assert (
            f"签约未开工项目{projects['signed_not_started']}个；红灯项目{lights['red']}个、"
            f"黄灯{lights['yellow']}个、绿灯{lights['green']}个" in text
        )
        targets_table = next(t for t in tables if t[0][0] == "指标" and "序时进度（%）" in t[0])
        assert targets_table[1][3:5] == [pct(head["completion"]), pct(head["elapsed_share"])]
    # Table 1: every headline's value and growth.
    headline_table = next(t for t in tables if t[0][0] == "指标" and "完成年度目标（%）" in t[0])
    rows = {r[0]: r for r in headline_table[1:]}
    for h in board["headlines"]:
        row = rows[h["name"]]
        assert row[1] == format_value(None if h["value"] is None else D(str(h["value"])), h["indicator"])
        assert row[2] == pct(h["growth"])
    # Every breakdown of the dashboard is a table with the same rows and ratios.
    for kind, items in board["breakdowns"].items():
        if not items:
            continue
        table = next(
            t
            for t in tables
            if t[0][1].endswith("）")
            and t[0][0]
            in {"town": "乡镇（街道）", "park": "园区", "zone": "片区", "cluster": "产业集群"}.values()
            and t[0][0]
            == {"town": "乡镇（街道）", "park": "园区", "zone": "片区", "cluster": "产业集群"}[kind]
        )
        unit = formatting.money_unit(D(str(i["value"])) for i in items if i["value"] is not None)
        body = {r[0]: r for r in table[1:]}
        assert set(body) == {i["label"] for i in items}
        for i in items:
            assert body[i["label"]][1:] == [
                formatting.format_in_unit(None if i["value"] is None else D(str(i["value"])), unit),
                pct(i["growth"]),
                pct(i["share"]),
                pct(i["pull"]),
            ]
    # The enterprises pulling most: names and pulls as ranked on the dashboard.
    for key in ("top_pull", "bottom_pull"):
        for r in board["rankings"].get(key, [])[:5]:
            assert r["name"] in text
    # The archive keeps the figures it was written from, and they are the board's.
    kept = {h["code"]: h for h in report.figures["headlines"]}
    for h in board["headlines"]:
        assert (kept[h["indicator"]]["value"] is None) == (h["value"] is None)
        if h["value"] is not None:
            assert D(kept[h["indicator"]]["value"]) == D(str(h["value"]))


def test_a_town_user_reports_on_its_town_only(facts, users, client):
    client.force_login(users["town"])
    other = facts["units"]["乙镇"]
    response = _generate(client, scope_kind="town", scope_id=other.pk)
    assert response.status_code == 404
    response = _generate(client, scope_kind="county")
    assert response.status_code == 404
    assert GeneratedReport.objects.count() == 0
    ok = _generate(client)
    assert ok.status_code == 201 and ok.json()["scope_label"] == "甲镇"
    # The county's reports are not in the town's archive, nor reachable by id.
    client.force_login(users["office"])
    county = _generate(client).json()["id"]
    client.force_login(users["town"])
    assert [r["id"] for r in client.get("/api/reports/").json()] == [ok.json()["id"]]
    assert client.get(f"/api/reports/{county}").status_code == 404
    assert client.get(f"/api/reports/{county}/file").status_code == 404


def test_leaders_and_enterprises_may_not_generate(facts, users, client):
    client.force_login(users["leader"])
    response = _generate(client)
    assert response.status_code == 403 and "办公室" in response.json()["detail"]
    client.force_login(users["enterprise"])
    assert _generate(client).status_code == 403
    assert GeneratedReport.objects.count() == 0


def test_a_month_without_data_is_refused_in_chinese(facts, users, client):
    client.force_login(users["office"])
    response = _generate(client, month="2026-07")
    assert response.status_code == 422
    assert "2026年7月暂无运行监测数据" in str(response.json()["errors"])
    assert _generate(client, month="2026-13").status_code == 400
    assert GeneratedReport.objects.count() == 0


def test_regenerating_after_a_correction_lists_what_changed(facts, users, client, settings):
    client.force_login(users["office"])
    first = _generate(client).json()
    assert first["version"] == 1 and first["changes"] == []
    shoes = facts["enterprises"]["甲镇园区鞋业有限公司"]
    MonthlyFact.objects.filter(enterprise=shoes, month=MARCH, source="stats").update(
        gross_output_ytd=D(9_000_000)
    )
    rollup.refresh_months([MARCH], follow=False)
    second = _generate(client).json()
    assert second["version"] == 2 and second["previous_id"] == first["id"]
    changed = {c["key"]: c for c in second["changes"]}
    assert changed["headline.gross_output.value"]["before"] != changed["headline.gross_output.value"]["after"]
    assert "town.{}.value".format(facts["units"]["甲镇"].pk) in changed
    # 乙镇's output did not change, so its value is not listed.
    assert "town.{}.value".format(facts["units"]["乙镇"].pk) not in changed
    # Both files are kept.
    old, new = GeneratedReport.objects.get(pk=first["id"]), GeneratedReport.objects.get(pk=second["id"])
    assert old.file.name != new.file.name and read_file(old.file) != read_file(new.file)
    # A third generation with no correction changes nothing.
    assert _generate(client).json()["changes"] == []


def test_the_closing_text_is_kept_between_generations(facts, users, client):
    client.force_login(users["office"])
    first = _generate(client).json()
    page = client.get(f"/reports/{first['id']}/")
    assert page.status_code == 200
    client.post(f"/reports/{first['id']}/", {"text": "一是抓好项目开工。\n二是做好要素保障。", "version": ""})
    second = _generate(client).json()
    text, _ = docx_text(read_file(GeneratedReport.objects.get(pk=second["id"]).file))
    assert "一是抓好项目开工。" in text and "二是做好要素保障。" in text
    assert text.index("下一步工作") < text.index("一是抓好项目开工。")


def test_a_stale_closing_text_is_refused(facts, users):
    note = services.note_save(actor=users["office"], month=MARCH, scope=("county", 0), text="甲")
    services.note_save(
        actor=users["office"], month=MARCH, scope=("county", 0), text="乙", version=note.version
    )
    from django.core.exceptions import ValidationError

    from qiangxian.core.concurrency import is_stale

    with pytest.raises(ValidationError) as error:
        services.note_save(
            actor=users["office"], month=MARCH, scope=("county", 0), text="丙", version=note.version
        )
    assert is_stale(error.value)


def test_the_report_page_and_archive_list(facts, users, client):
    client.force_login(users["office"])
    response = client.post("/reports/", {"kind": "monthly", "month": "2026-03", "scope": "county:0"})
    assert response.status_code == 302
    report = GeneratedReport.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert report.title in page and "综述" in page
    listing = client.get("/reports/").content.decode()
    assert report.title not in listing or "第1版" in listing
    download = client.get(f"/reports/{report.pk}/download/")
    assert download.status_code == 200 and download.content[:2] == b"PK"
    bad = client.post("/reports/", {"kind": "monthly", "month": "2026-09", "scope": "county:0"})
    assert bad.status_code == 200 and GeneratedReport.objects.count() == 1
