"""Pages: every page renders for the office, and the permission matrix holds."""

from __future__ import annotations

import pytest
from django.urls import reverse

from qiangxian.policies import services
from qiangxian.policies.models import Application


@pytest.fixture
def notified(users, run):
    services.notify_run(actor=users["office"], run=run)
    return Application.objects.get(enterprise__name="甲镇园区鞋业有限公司")


def _get(client, user, url):
    client.force_login(user)
    return client.get(url)


def test_every_page_renders_for_the_office(client, users, notified, rd_clause, run, policy):
    pages = [
        reverse("policies:list"),
        reverse("policies:list") + "?export=xlsx",
        reverse("policies:detail", args=[policy.pk]),
        reverse("policies:edit", args=[policy.pk]),
        reverse("policies:create"),
        reverse("policies:clause_create", args=[policy.pk]),
        reverse("policies:clause_edit", args=[policy.pk, rd_clause.pk]),
        reverse("policies:clause", args=[rd_clause.pk]),
        reverse("policies:clause", args=[rd_clause.pk]) + "?show=near",
        reverse("policies:clause", args=[rd_clause.pk]) + "?export=xlsx",
        reverse("policies:runs"),
        reverse("policies:run", args=[run.pk]),
        reverse("policies:run", args=[run.pk]) + "?export=xlsx",
        reverse("policies:notices_export", args=[run.pk]),
        reverse("policies:exposure"),
        reverse("policies:enterprise", args=[notified.enterprise_id]),
        reverse("policies:applications"),
        reverse("policies:applications") + "?export=xlsx",
        reverse("policies:application", args=[notified.pk]),
        reverse("policies:batch_review", args=[rd_clause.pk]),
        reverse("policies:figures"),
        reverse("policies:figures") + "?export=xlsx",
        reverse("policies:draft"),
        reverse("policies:sandbox") + f"?clause={rd_clause.pk}",
    ]
    for url in pages:
        response = _get(client, users["office"], url)
        assert response.status_code == 200, url
        body = response.content if "xlsx" in url else response.content.decode()
        if "xlsx" not in url:
            assert "None" not in body.replace("None;", ""), url


def test_enterprise_sees_only_its_own(client, users, notified, county):
    own = reverse("policies:application", args=[notified.pk])
    other = Application.objects.get(enterprise__name="乙镇机械有限公司")
    assert _get(client, users["enterprise"], own).status_code == 200
    assert (
        _get(client, users["enterprise"], reverse("policies:application", args=[other.pk])).status_code == 404
    )
    mine = _get(client, users["enterprise"], reverse("policies:mine"))
    assert mine.status_code == 200 and "研发投入奖励" in mine.content.decode()
    other_ent = county["enterprises"]["乙镇机械有限公司"].pk
    assert (
        _get(client, users["enterprise"], reverse("policies:enterprise", args=[other_ent])).status_code == 404
    )
    # The government's pages are refused to an enterprise user (the portal shows its side).
    assert _get(client, users["enterprise"], reverse("policies:runs")).status_code == 404
    assert _get(client, users["enterprise"], reverse("policies:draft")).status_code == 404


@pytest.mark.parametrize(
    ("username", "status"),
    [("office", 200), ("leader", 200), ("town", 200), ("park", 200), ("enterprise", 200), ("bureau", 404)],
)
def test_application_permission_matrix(client, users, notified, username, status):
    # 甲镇园区鞋业 is in 甲镇 and the 工业园's 东片区; the 统计局 is not its reviewer.
    url = reverse("policies:application", args=[notified.pk])
    assert _get(client, users[username], url).status_code == status


def test_bureau_reviewer_sees_its_clause_items(client, users, notified, county, rd_clause):
    from qiangxian.policies.models import ClauseVersion

    ClauseVersion.objects.filter(clause=rd_clause).update(review_unit=county["units"]["统计局"])
    assert (
        _get(client, users["bureau"], reverse("policies:application", args=[notified.pk])).status_code == 200
    )


def test_anonymous_is_sent_to_login(client, notified):
    response = client.get(reverse("policies:application", args=[notified.pk]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_stale_approval_on_page_is_told(client, users, notified):
    services.willingness_confirm(
        actor=users["enterprise"], application=notified, bank_name="银行", bank_account="12345678"
    )
    client.force_login(users["office"])
    url = reverse("policies:application", args=[notified.pk])
    first = client.post(url, {"action": "approve", "expected_status": "submitted"})
    assert first.status_code == 302
    second = client.post(url, {"action": "approve", "expected_status": "submitted"}, follow=True)
    assert "已被他人处理" in second.content.decode()


def test_clause_form_names_the_field(client, users, policy):
    client.force_login(users["office"])
    response = client.post(
        reverse("policies:clause_create", args=[policy.pk]),
        {
            "title": "测试",
            "effective_from": "2026-01-01",
            "quote": "原文",
            "eligibility": "研发费用@上年 >=",
            "benefit_kind": "fixed",
            "benefit_amount": "0",
            "cap_per_enterprise_year": "-5",
            "mode": "auto_grant",
            "review_days": "5",
            "exclusion_rule": "stack",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "享受条件无法编译" in body and "不给付任何资金" in body and "不能小于0元" in body


def test_sandbox_shows_who_changes(client, users, run, rd_clause):
    client.force_login(users["office"])
    response = client.post(
        reverse("policies:sandbox"), {"clause": rd_clause.pk, "eligibility": "研发费用@上年 >= 400万"}
    )
    body = response.content.decode()
    assert "甲镇纺织有限公司" in body and "新增符合（1）" in body


def test_draft_page_saves_unpublished(client, users):
    client.force_login(users["office"])
    text = "一、对上年度研发费用超过500万元的企业，给予一次性奖励20万元。（责任单位：县经信局、县财政局）"
    response = client.post(reverse("policies:draft"), {"text": text, "title": "测试政策", "save": "1"})
    assert response.status_code == 302
    from qiangxian.policies.models import Policy

    policy = Policy.objects.get(title="测试政策")
    assert policy.status == "draft" and not policy.clauses.filter(is_published=True).exists()
    version = policy.clauses.get().versions.get()
    assert version.eligibility == "研发费用@上年 > 500万" and version.benefit_amount == 200_000


PAGE_QUERIES = 7  # session+user, run, the enterprise's slice, its clauses, applications, payments, own


def test_enterprise_page_reads_a_fixed_number_of_queries(
    client, users, notified, rd_clause, policy, django_assert_num_queries
):
    from .conftest import version_data

    url = reverse("policies:enterprise", args=[notified.enterprise_id])
    client.force_login(users["office"])
    with django_assert_num_queries(PAGE_QUERIES):
        assert client.get(url).status_code == 200
    # More clauses and another run: not one query more (no per-clause reads or evaluation).
    for k in range(3):
        services.clause_save(
            actor=users["office"], policy=policy, data={"title": f"条款{k}", **version_data()}, publish=True
        )
    policy.refresh_from_db()
    second = services.run_matching(actor=users["office"], as_of=notified.match.run.as_of)
    assert second.clause_count == 4
    with django_assert_num_queries(PAGE_QUERIES):
        body = client.get(url).content.decode()
    assert body.count("研发投入奖励") >= 1 and body.count("条款2") >= 1


def test_run_counts_for_the_county_equal_the_rows(users, run):
    from django.db.models import Count, Q, Sum

    from qiangxian.policies import selectors
    from qiangxian.policies.models import Match
    from qiangxian.policies.outcomes import materialise

    packed = selectors.clause_summaries(user=users["office"], run=run)
    packed_top = selectors.exposure_by_enterprise(user=users["office"], run=run)
    materialise(run)
    rows = Match.objects.filter(run=run)
    by_clause = rows.values("clause_id").annotate(
        met=Count("pk", filter=Q(outcome="met")),
        near=Count("pk", filter=Q(near=True)),
        unknown=Count("pk", filter=Q(outcome="unknown")),
        cost=Sum("amount", filter=Q(outcome="met")),
    )
    assert [(r["clause_id"], r["met"], r["near"], r["unknown"], r["cost"]) for r in packed] == [
        (r["clause_id"], r["met"], r["near"], r["unknown"], r["cost"]) for r in by_clause
    ]
    by_enterprise = (
        rows.filter(outcome="met").values("enterprise_id").annotate(t=Sum("amount"), n=Count("pk"))
    )
    assert sorted((r["enterprise_id"], r["total"], r["clauses"]) for r in packed_top) == sorted(
        (r["enterprise_id"], r["t"], r["n"]) for r in by_enterprise
    )
