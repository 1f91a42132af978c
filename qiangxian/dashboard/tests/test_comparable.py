"""A blank is not a zero: new entrants and a stalled enterprise, the same on page, API and export."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal as D

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from qiangxian.enterprises.models import Cluster, ClusterMembership
from qiangxian.statistics import calc, indicators, rollup
from qiangxian.statistics.models import MonitorSettings
from qiangxian.statistics.tests.factories import fact

pytestmark = pytest.mark.django_db
MARCH = dt.date(2026, 3, 1)
# name: (1-3月 output, reported 上年同期 or None for a blank cell)
CASE = {
    "甲镇园区鞋业有限公司": (D(1_200_000), D(1_000_000)),  # grew 20%
    "乙镇机械有限公司": (D(0), D(500_000)),  # stalled: 0 is a value, so comparable
    "甲镇食品有限公司": (D(300_000), None),  # new entrant (blank prior year, no row last year)
    "乙镇电子有限公司": (D(100_000), None),  # new entrant
}
VALUE = D(1_600_000)
BASE = D(1_500_000)
COMPARABLE_VALUE = D(1_200_000)
NEW_VALUE = D(400_000)


@pytest.fixture
def entrants(county):
    firms = county["enterprises"]
    firms["乙镇电子有限公司"].above_scale = True
    firms["乙镇电子有限公司"].save()
    for name, (value, prior) in CASE.items():
        fact(firms[name], MARCH, gross_output_ytd=value, gross_output_ytd_ly=prior)
    cluster = Cluster.objects.create(name="鞋服纺织")
    ClusterMembership.objects.create(enterprise=firms["甲镇园区鞋业有限公司"], cluster=cluster)
    rollup.refresh_months([MARCH], follow=False)
    return county


def _sheet(content: bytes, name: str) -> list[list]:
    return CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_name(name).to_python()


def test_the_stored_rollup_keeps_new_entrants_out_of_the_growth(entrants):
    item = indicators.value("gross_output", month=MARCH)
    assert (item.value, item.base, item.comparable_value) == (VALUE, BASE, COMPARABLE_VALUE)
    assert (item.n_reported, item.n_comparable, item.n_new, item.new_value) == (4, 2, 2, NEW_VALUE)
    assert item.growth == D(-300_000) / BASE  # −20%: the stall is visible
    assert item.new_pull() == NEW_VALUE / BASE
    # The town breakdown's pulls add up to the comparable growth; shares count everyone.
    total, towns = indicators.breakdown("gross_output", month=MARCH, group_kind="town")
    assert abs(sum(t.pull for t in towns) - total.growth) < D("1e-20")
    assert sum(t.share for t in towns) == 1
    # The enterprises in no cluster have their own row, not ranked.
    _, clusters = indicators.breakdown("gross_output", month=MARCH, group_kind="cluster")
    outside = next(c for c in clusters if c.group_key == indicators.NO_CLUSTER_KEY)
    assert (outside.label, outside.value, outside.n_comparable, outside.rank) == (
        "不属于任何产业集群",
        D(400_000),
        1,
        None,
    )
    # The drill-down marks the entrants and still sums to the aggregate.
    rows = indicators.enterprise_values("gross_output", month=MARCH)
    assert sum(r.value for r in rows) == VALUE and sum(r.base for r in rows) == BASE
    assert sorted(r.label for r in rows if r.extra["new_entrant"]) == ["乙镇电子有限公司", "甲镇食品有限公司"]


def test_page_api_and_export_say_the_same(entrants, users, client):
    client.force_login(users["leader"])
    line = (
        "可比企业 2/4户；新投产企业 2户，工业总产值 40.00万元，拉动 26.7个百分点（无上年同期数，未计入增速）"
    )
    html = client.get(reverse("dashboard:index")).content.decode()
    assert line in html
    assert 'data-testid="kpi-growth-gross_output"><span class="qx-down" title="下降">▼ 20.0%' in html
    assert "可比口径" in html and "甲镇食品有限公司" in html  # the new entrants' own list

    api = client.get("/api/dashboard/summary").json()
    head = api["headlines"][0]
    assert api["growth_basis"] == "comparable"
    assert D(head["growth"]) == D("-0.2")
    assert (head["n_comparable"], head["n_reported"], head["new_entrants"]) == (2, 4, 2)
    assert D(head["new_value"]) == NEW_VALUE and D(head["new_pull"]) == NEW_VALUE / BASE
    assert head["comparable_note"] == line
    assert {r["name"] for r in api["new_entrants"]} == {"甲镇食品有限公司", "乙镇电子有限公司"}

    content = client.get(reverse("dashboard:index"), {"export": "xlsx"}).content
    main = _sheet(content, "主要指标")
    assert main[0][3] == "同比增速（%，可比口径）"
    assert main[1][0] == "工业总产值" and main[1][3] == -20.0 and main[1][4:6] == [2, 4]
    assert line in main[1][9]
    towns = _sheet(content, "按乡镇")
    assert towns[1][0] == "合计（测试县）" and towns[1][3] == -20.0
    assert any(line in row[0] for row in _sheet(content, "说明"))

    # The breakdown page, its API and its export.
    params = {"indicator": "gross_output", "group": "cluster", "month": "2026-03"}
    page = client.get(reverse("statistics:breakdown"), params).content.decode()
    assert line in page and "不属于任何产业集群" in page
    assert 'data-testid="comparable-total">2/4<' in page
    api_b = client.get("/api/statistics/indicators/gross_output/breakdown", {"group_kind": "cluster"}).json()
    assert api_b["total"]["comparable_enterprises"] == 2 and api_b["total"]["new_entrants"] == 2
    assert D(api_b["total"]["growth"]) == D("-0.2")
    sheet = _sheet(
        client.get(reverse("statistics:breakdown"), {**params, "export": "xlsx"}).content, "工业总产值"
    )
    assert sheet[1][0] == "合计（测试县）" and sheet[1][3] == -20.0 and sheet[1][8:10] == [2, 4]
    assert "不属于任何产业集群" in [row[0] for row in sheet]


def test_the_other_convention_is_a_setting_shown_beside_the_growth(entrants, users, client):
    settings = MonitorSettings.current()
    settings.growth_basis = calc.ALL
    settings.save()
    client.force_login(users["leader"])
    html = client.get(reverse("dashboard:index")).content.decode()
    assert "增速口径：含新投产企业" in html and "已计入增速" in html
    assert "▲ 6.7%" in html
    api = client.get("/api/dashboard/summary").json()
    assert api["growth_basis_label"] == "含新投产企业"
    assert D(api["headlines"][0]["growth"]) == D(100_000) / BASE
    main = _sheet(client.get(reverse("dashboard:index"), {"export": "xlsx"}).content, "主要指标")
    assert main[0][3] == "同比增速（%，含新投产企业）" and main[1][3] == 6.7


def test_the_headline_shows_operating_revenue_when_no_main_revenue_is_received(entrants, users, client):
    firms = entrants["enterprises"]
    fact(firms["甲镇纺织有限公司"], dt.date(2026, 2, 1))  # another month, irrelevant
    from qiangxian.statistics.models import MonthlyFact

    MonthlyFact.objects.filter(month=MARCH).update(revenue_ytd=D(2_000_000))
    rollup.refresh_months([MARCH], follow=False)
    client.force_login(users["leader"])
    api = client.get("/api/dashboard/summary").json()
    revenue = api["headlines"][1]
    assert revenue["indicator"] == "revenue" and revenue["note"] == "本月未收到主营业务收入，显示营业收入"
    assert D(revenue["value"]) == D(8_000_000)
    html = client.get(reverse("dashboard:index")).content.decode()
    assert "本月未收到主营业务收入，显示营业收入" in html
    # A county that receives both may still choose; main revenue otherwise.
    MonthlyFact.objects.filter(month=MARCH).update(main_revenue_ytd=D(1_000_000))
    rollup.refresh_months([MARCH], follow=False)
    assert client.get("/api/dashboard/summary").json()["headlines"][1]["indicator"] == "main_revenue"
    settings = MonitorSettings.current()
    settings.headline_revenue = "revenue"
    settings.save()
    revenue = client.get("/api/dashboard/summary").json()["headlines"][1]
    assert revenue["indicator"] == "revenue" and revenue["note"] == "按本县设置显示营业收入"


def test_the_office_switches_the_convention_on_the_settings_page(entrants, users, client):
    client.force_login(users["office"])
    page = client.get(reverse("statistics:settings")).content.decode()
    assert "增速口径" in page and "可比口径" in page and "含新投产企业" in page and "驾驶舱收入指标" in page
    current = MonitorSettings.current()
    data = {
        "output_drop_pct": current.output_drop_pct,
        "stalled_months": current.stalled_months,
        "scale_threshold": current.scale_threshold,
        "disagreement_pp": current.disagreement_pp,
        "jump_pct": current.jump_pct,
        "target_slight_pp": current.target_slight_pp,
        "growth_basis": "all",
        "headline_revenue": "auto",
    }
    assert client.post(reverse("statistics:settings"), data).status_code == 302
    assert MonitorSettings.current().growth_basis == "all"
    client.force_login(users["leader"])
    assert "增速口径：含新投产企业" in client.get(reverse("dashboard:index")).content.decode()
