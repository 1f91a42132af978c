"""Judging at a date, the 规上 status across a year end, scopes, group gaps and pending confirmations."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pytest
from django.urls import reverse

from qiangxian.enterprises.models import Enterprise
from qiangxian.rules.tests import test_golden as golden
from qiangxian.statistics.models import MonthlyFact
from qiangxian.statistics.snapshot import build_snapshot
from qiangxian.tiers import tiers as tier_defs
from qiangxian.tiers.evaluation import NearRule, Status, evaluate_tier
from qiangxian.tiers.models import AssessmentJudgement
from qiangxian.tiers.selectors import row_detail

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}
WAN = Decimal(10_000)
COMPLIANCE = "产品不属于国家禁止、限制或淘汰类，近三年未发生重大安全、质量、环境污染等事故"


def _main_revenue(firm, month, wan):
    MonthlyFact.objects.create(enterprise=firm, month=month, source="stats", main_revenue_ytd=wan * WAN)


# ---- 规上: the last completed year ---------------------------------------------------------
def test_above_scale_reads_the_last_completed_year_across_a_year_end(county):
    firm = county["enterprises"]["甲镇纺织有限公司"]
    _main_revenue(firm, dt.date(2025, 12, 1), 1800)
    _main_revenue(firm, dt.date(2026, 11, 1), 2600)  # this year's running total is past 2000万
    _main_revenue(firm, dt.date(2026, 12, 1), 2700)
    above = tier_defs.TIER_BY_CODE["above_scale"]
    firms = Enterprise.objects.filter(pk=firm.pk)

    def status(on):
        ev = evaluate_tier(above, build_snapshot(enterprises=firms, as_of=on), on=on)
        return ev.status_of(firm.pk)

    # All through 2026 the status reads 2025 (1800万): not met, even in December.
    assert status(dt.date(2026, 12, 31)) is Status.NEAR
    # From 1 January 2027 the year just closed (2700万) is the last completed year.
    assert status(dt.date(2027, 1, 1)) is Status.MET


def test_a_non_industrial_enterprise_is_not_met_with_the_reason(client_as, county):
    firm = county["enterprises"]["甲镇纺织有限公司"]
    firm.industry_code = "5211"  # retail: section F
    firm.save()
    _main_revenue(firm, dt.date(2025, 12, 1), 9000)
    html = client_as("office").get(reverse("tiers:enterprise_panel", args=[firm.pk]), **HX).content.decode()
    assert "不在适用范围：属于工业法人单位" in html


# ---- judge at a date --------------------------------------------------------------------------
def test_the_tier_tab_judges_by_the_version_in_force_on_the_chosen_date(client_as, facts):
    shoe = Enterprise.objects.get(name="甲镇园区鞋业有限公司")
    url = reverse("tiers:enterprise_panel", args=[shoe.pk])
    before = client_as("office").get(url, {"on": "2026-03-31"}, **HX).content.decode()
    after = client_as("office").get(url, {"on": "2026-04-01"}, **HX).content.decode()
    assert 'data-testid="version-srdi_sme">（2022版）' in before
    assert 'data-testid="version-srdi_sme">（2026版）' in after
    assert "评价日期 2026-03-31" in before and "评价日期 2026-04-01" in after


def test_a_bad_date_is_named_and_today_is_used(client_as, facts):
    html = client_as("office").get(reverse("tiers:pool"), {"on": "2026-13-40"}).content.decode()
    assert "评价日期格式应为" in html
    assert response_date(html) == dt.date.today().isoformat()


def response_date(html: str) -> str:
    start = html.index('data-testid="pool-as-of">评价日期 ') + len('data-testid="pool-as-of">评价日期 ')
    return html[start : start + 10]


def test_pool_and_api_take_the_date(client_as, facts):
    html = (
        client_as("office")
        .get(reverse("tiers:pool"), {"on": "2026-03-31", "tier": "srdi_sme"})
        .content.decode()
    )
    assert response_date(html) == "2026-03-31" and "（2022版" in html
    data = client_as("office").get("/api/tiers/pool/srdi_sme/", {"on": "2026-04-01"}).json()
    assert data["as_of"] == "2026-04-01" and data["version"] == "2026"
    counts = client_as("office").get("/api/tiers/pool/", {"on": "2026-03-31"}).json()
    assert next(t for t in counts if t["code"] == "srdi_sme")["version"] == "2022"
    shoe = Enterprise.objects.get(name="甲镇园区鞋业有限公司")
    one = client_as("office").get(f"/api/tiers/enterprises/{shoe.pk}/", {"on": "2026-03-31"}).json()
    assert one["as_of"] == "2026-03-31"
    assert next(t for t in one["tiers"] if t["tier"] == "little_giant")["version"] == "2022"
    assert client_as("office").get("/api/tiers/pool/", {"on": "not-a-date"}).status_code == 400


# ---- scope and group minimums -------------------------------------------------------------------
def _golden_case(file: str, case_id: str, **values):
    data = golden.load(golden.GOLDEN_DIR / file)
    raw = next(c for c in data["cases"] if c["id"] == case_id)
    case = golden.merged_case(data, raw)
    case["values"] = {**case["values"], **values}
    on = case["date"]
    return golden.build_snapshot([case], golden.compiled(data["ruleset"], on), on), on


def test_too_large_for_an_sme_tier_is_never_near():
    snap, on = _golden_case(
        "innovative_sme.toml", "typical", **{"从业人员@上年": "1001人", "营业收入@上年": "4.1亿"}
    )
    tier = tier_defs.TIER_BY_CODE["innovative_sme"]
    ev = evaluate_tier(tier, snap, on=on, near=NearRule(max_unmet=2, max_gap=0.99))
    assert ev.status_of(1) is Status.NOT_MET and np.isinf(ev.shortfall[0])
    assert ev.compiled.explain(snap, 1).summary.startswith("不在适用范围：属于中小企业")


def test_the_pool_gap_names_the_group_below_its_minimum():
    snap, on = _golden_case("innovative_sme.toml", "group_minimum_fails_named")
    ev = evaluate_tier(tier_defs.TIER_BY_CODE["innovative_sme"], snap, on=on)
    detail = row_detail(ev, snap, 1)
    assert ev.status_of(1) is Status.NEAR
    assert "分组得分未达最低分：创新能力 15分，最低 20分 → 不满足" in detail.gaps
    assert detail.unmet == ["评价得分"]


# ---- manual judgements: 待确认 and the bulk record --------------------------------------------
def test_pending_judgements_read_apart_from_missing_data_and_are_recorded_in_bulk(client_as, facts):
    client = client_as("office")
    html = client.get(reverse("tiers:pool"), {"tier": "innovative_sme", "list": "unknown"}).content.decode()
    assert "待确认" in html and COMPLIANCE in html
    assert 'data-testid="bulk-judgement"' in html
    firms = list(Enterprise.objects.filter(name__in=["甲镇纺织有限公司", "乙镇机械有限公司"]))
    response = client.post(
        reverse("tiers:bulk_judgement"),
        {
            "bulk-criterion": COMPLIANCE,
            "bulk-satisfied": "1",
            "bulk-reason": "经应急、环保、市场监管部门核查",
            "bulk-enterprises": [f.pk for f in firms],
            "next": "/tiers/?tier=innovative_sme&list=unknown",
        },
    )
    assert response.status_code == 302
    saved = AssessmentJudgement.objects.filter(criterion=COMPLIANCE, enterprise__in=firms)
    assert saved.count() == 2 and all(j.satisfied and j.judged_by.username == "office" for j in saved)


def test_bulk_judgement_is_all_or_nothing(client_as, facts):
    inside = Enterprise.objects.get(name="甲镇纺织有限公司")
    outside = Enterprise.objects.get(name="乙镇机械有限公司")
    payload = {
        "bulk-criterion": COMPLIANCE,
        "bulk-satisfied": "1",
        "bulk-reason": "经核查",
        "bulk-enterprises": [inside.pk, outside.pk],
    }
    response = client_as("town").post(reverse("tiers:bulk_judgement"), payload, follow=True)
    assert "未作任何记录" in response.content.decode()
    assert not AssessmentJudgement.objects.filter(criterion=COMPLIANCE).exists()
    response = client_as("office").post(
        reverse("tiers:bulk_judgement"), {**payload, "bulk-reason": ""}, follow=True
    )
    assert "判断依据" in response.content.decode()
    assert not AssessmentJudgement.objects.filter(criterion=COMPLIANCE).exists()


# ---- which year a value is for ---------------------------------------------------------------------
def test_a_value_for_a_year_no_rule_reads_is_warned_about(client_as, facts):
    shoe = Enterprise.objects.get(name="甲镇园区鞋业有限公司")
    today = dt.date.today()
    response = client_as("office").post(
        reverse("tiers:assessment", args=[shoe.pk]),
        {
            "form": "value",
            "value-indicator": "srdi_quality_score",
            "value-year": today.year - 1,
            "value-value": "66",
            "value-source_note": "梯度培育平台",
        },
        follow=True,
    )
    html = response.content.decode()
    assert f"规则读取本年（{today.year}年）的数值，{today.year - 1}年的数值不会被任何规则使用" in html
    page = client_as("office").get(reverse("tiers:assessment", args=[shoe.pk])).content.decode()
    assert "专精特新发展质量评价得分（数值）— 规则读取本年" in page
