"""API: anonymous 401, readers read, the office writes, versions conflict with 409, scope answers 404."""

from __future__ import annotations

import json

import pytest

from qiangxian.rules.models import CustomRule

from .conftest import SHARE_RULE

pytestmark = pytest.mark.django_db


def post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def put(client, url, data):
    return client.put(url, json.dumps(data), content_type="application/json")


def test_anonymous_callers_get_401(client, rule):
    assert client.get("/api/rules/custom-rules").status_code == 401
    assert post(client, "/api/rules/check", {"expression": "营业收入 > 0"}).status_code == 401
    assert client.get(f"/api/rules/custom-rules/{rule.pk}/evaluate").status_code == 401


def test_check_reports_the_position_or_the_canonical_form(client_as):
    client = client_as("town")
    bad = post(client, "/api/rules/check", {"expression": "营业收入@上年 >= 3%"}).json()
    assert bad["ok"] is False
    assert bad["error"] == {
        "kind": "type",
        "message": "无法比较 金额 与 百分比",
        "text": "第1行第12列：无法比较 金额 与 百分比",
        "line": 1,
        "column": 12,
        "offset": 11,
        "end": 13,
    }
    good = post(
        client, "/api/rules/check", {"expression": "研发费用@上年*10%", "result_type": "money"}
    ).json()
    assert good == {
        "ok": True,
        "result_type": "money",
        "canonical": "研发费用@上年 × 10%",
        "type": "金额",
        "uses": ["研发费用（上年）"],
        "error": None,
    }
    assert post(client, "/api/rules/check", {"expression": "1", "result_type": "text"}).status_code == 400


def test_catalogue_and_rule_sets(client_as):
    client = client_as("leader")
    catalogue = client.get("/api/rules/catalogue").json()
    revenue = next(i for i in catalogue["indicators"] if i["identifier"] == "revenue")
    assert revenue == {
        "identifier": "revenue",
        "name": "营业收入",
        "aliases": ["营收"],
        "unit": "金额",
        "description": "",
    }
    assert "高新技术企业" in catalogue["designations"]
    rulesets = client.get("/api/rules/rulesets").json()
    srdi = [r for r in rulesets if r["code"] == "srdi_sme"]
    assert {r["version"] for r in srdi} == {"2022", "2026"}
    assert all(c["clause"] and c["expression"] for r in srdi for c in r["criteria"])


def test_the_office_creates_updates_and_deletes_with_versions(client_as):
    client = client_as("office")
    created = post(client, "/api/rules/custom-rules", {"name": "研发强度", "expression": SHARE_RULE})
    assert created.status_code == 201, created.json()
    rule = created.json()
    assert (
        rule["version"] == 1
        and rule["created_by"] == "office用户"
        and rule["result_type_display"] == "条件（是/否）"
    )
    invalid = post(client, "/api/rules/custom-rules", {"name": "坏", "expression": "(营业收入 > 0"})
    assert invalid.status_code == 422
    assert invalid.json()["errors"] == {"expression": ["表达式有误，第1行第1列：缺少右括号"]}
    url = f"/api/rules/custom-rules/{rule['id']}"
    body = {"name": "研发强度", "expression": SHARE_RULE, "description": "新说明", "expected_version": 1}
    updated = put(client, url, body)
    assert updated.status_code == 200 and updated.json()["version"] == 2
    stale = put(client, url, {**body, "description": "旧版本上的修改"})
    assert stale.status_code == 409 and "当前为第 2 版" in stale.json()["detail"]
    assert CustomRule.objects.get().description == "新说明"
    assert client.delete(url + "?expected_version=1").status_code == 409
    assert client.delete(url + "?expected_version=2").status_code == 204
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("role", ["leader", "town", "bureau", "enterprise"])
def test_readers_list_and_read_but_cannot_write(client_as, rule, role):
    client = client_as(role)
    listed = client.get("/api/rules/custom-rules?q=研发").json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == rule.pk
    assert client.get("/api/rules/custom-rules?is_active=false").json()["count"] == 0
    assert client.get(f"/api/rules/custom-rules/{rule.pk}").json()["expression"] == SHARE_RULE
    forbidden = post(client, "/api/rules/custom-rules", {"name": "新", "expression": SHARE_RULE})
    assert forbidden.status_code == 403
    assert forbidden.json()["detail"] == "只有领导小组办公室和系统管理员可以编辑自定义规则。"
    body = {"name": "改", "expression": SHARE_RULE, "expected_version": 1}
    assert put(client, f"/api/rules/custom-rules/{rule.pk}", body).status_code == 403
    assert client.delete(f"/api/rules/custom-rules/{rule.pk}?expected_version=1").status_code == 403


def test_evaluate_covers_only_the_callers_enterprises(client_as, figures, rule):
    payload = {"expression": SHARE_RULE, "as_of": "2026-06-15"}
    office = post(client_as("office"), "/api/rules/evaluate", payload).json()
    assert office["total"] == 5 and office["counts"] == {"met": 2, "not_met": 2, "unknown": 1}
    town = post(client_as("town"), "/api/rules/evaluate", {**payload, "outcome": "met"}).json()
    assert town["total"] == 3 and town["count"] == 1
    assert [i["name"] for i in town["items"]] == ["甲镇园区鞋业有限公司"]
    saved = (
        client_as("town").get(f"/api/rules/custom-rules/{rule.pk}/evaluate?as_of=2026-06-15&limit=1").json()
    )
    assert saved["counts"] == town["counts"] and saved["count"] == 3 and len(saved["items"]) == 1
    bad = post(client_as("town"), "/api/rules/evaluate", {"expression": "营业收入 >"})
    assert bad.status_code == 422 and bad.json()["errors"]["expression"] == ["第1行第7列：表达式不完整"]


def test_explain_answers_404_outside_the_callers_scope(client_as, figures, rule):
    shoe = figures["enterprises"]["甲镇园区鞋业有限公司"]
    machine = figures["enterprises"]["乙镇机械有限公司"]
    client = client_as("town")
    payload = {"expression": SHARE_RULE, "as_of": "2026-06-15"}
    trace = post(client, "/api/rules/explain", {**payload, "enterprise_id": shoe.pk}).json()
    assert trace["outcome"] == 1 and trace["outcome_label"] == "满足"
    assert [(v["name"], v["period_label"], v["text"]) for v in trace["values"]] == [
        ("研发费用", "上年（2025年）", "160万元"),
        ("营业收入", "上年（2025年）", "5000万元"),
    ]
    other = post(client, "/api/rules/explain", {**payload, "enterprise_id": machine.pk})
    missing = post(client, "/api/rules/explain", {**payload, "enterprise_id": 999_999})
    assert other.status_code == missing.status_code == 404 and other.json() == missing.json()
    saved = client.get(f"/api/rules/custom-rules/{rule.pk}/explain/{shoe.pk}?as_of=2026-06-15").json()
    assert saved["checks"] == trace["checks"]
    assert client.get(f"/api/rules/custom-rules/{rule.pk}/explain/{machine.pk}").status_code == 404
    CustomRule.objects.filter(pk=rule.pk).update(expression="研发费用率 > 3%")
    broken = client.get(f"/api/rules/custom-rules/{rule.pk}/explain/{shoe.pk}")
    assert (
        broken.status_code == 422 and "已保存的表达式无法通过检查" in broken.json()["errors"]["expression"][0]
    )
