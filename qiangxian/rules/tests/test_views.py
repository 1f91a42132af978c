"""Pages: a permission matrix (anonymous / read-only / office / town scope), the htmx panels, exports."""

from __future__ import annotations

import io
import re

import pytest
from python_calamine import CalamineWorkbook

from qiangxian.rules import services
from qiangxian.rules.models import CustomRule

from .conftest import SHARE_RULE

pytestmark = pytest.mark.django_db

ROLES = ["admin", "leader", "office", "bureau", "park", "zone", "town", "enterprise"]
PANEL = {"expression": SHARE_RULE, "result_type": "bool", "as_of": "2026-06-15"}


def _pages(rule):
    return [
        "/rules/workbench/",
        f"/rules/workbench/?rule={rule.pk}",
        "/rules/workbench/?expression=营业收入>0",
        "/rules/workbench/enterprises/?q=甲镇",
        "/rules/saved/",
        "/rules/saved/?export=xlsx",
        f"/rules/saved/{rule.pk}/",
        "/rules/reference/",
    ]


def _posts(rule, enterprise):
    return [
        ("/rules/workbench/check/", PANEL),
        ("/rules/workbench/match/", PANEL),
        ("/rules/workbench/match/export/", PANEL),
        ("/rules/workbench/try/", {**PANEL, "enterprise": enterprise.pk}),
        ("/rules/workbench/save/", {**PANEL, "name": "新规则"}),
        (f"/rules/saved/{rule.pk}/delete/", {"version": rule.version}),
    ]


def _without_token(response) -> str:
    return re.sub(r'"X-CSRFToken": "[^"]+"', "", response.content.decode())


def _sheet(response):
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    return book.get_sheet_by_name(book.sheet_names[0]).to_python()


def test_anonymous_users_are_sent_to_login(client, figures, rule):
    shoe = figures["enterprises"]["甲镇园区鞋业有限公司"]
    for url in ["/rules/", *_pages(rule), f"/rules/saved/{rule.pk}/matches/"]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/"), url
    for url, data in _posts(rule, shoe):
        response = client.post(url, data)
        assert response.status_code == 302 and response["Location"].startswith("/login/"), url
    assert CustomRule.objects.count() == 1


def test_the_rule_pages_are_refused_to_an_enterprise(client_as, figures, rule):
    client = client_as("enterprise")
    for url in _pages(rule):
        assert client.get(url).status_code == 404, url
    assert client.post("/rules/workbench/save/", {**PANEL, "name": "新规则"}).status_code == 404
    assert list(CustomRule.objects.values_list("name", flat=True)) == [rule.name]


@pytest.mark.parametrize("role", [r for r in ROLES if r != "enterprise"])
def test_every_role_reads_the_workbench_saved_rules_and_the_reference(client_as, figures, rule, role):
    client = client_as(role)
    assert client.get("/rules/").status_code == 302
    for url in _pages(rule):
        assert client.get(url).status_code == 200, url
    assert client.post("/rules/workbench/check/", PANEL).status_code == 200
    assert client.post("/rules/workbench/match/", PANEL).status_code == 200


@pytest.mark.parametrize("role", ["leader", "bureau", "park", "town"])
def test_readers_cannot_save_or_delete(client_as, figures, rule, role):
    client = client_as(role)
    page = client.get("/rules/workbench/").content.decode()
    assert 'data-testid="save-rule"' not in page and 'data-testid="delete-rule"' not in (
        client.get(f"/rules/saved/{rule.pk}/").content.decode()
    )
    assert client.post("/rules/workbench/save/", {**PANEL, "name": "新规则"}).status_code == 403
    assert client.post(f"/rules/saved/{rule.pk}/delete/", {"version": rule.version}).status_code == 403
    assert list(CustomRule.objects.values_list("name", flat=True)) == [rule.name]


def test_the_check_panel_points_at_the_error(client_as, users):
    client = client_as("leader")
    html = client.post(
        "/rules/workbench/check/", {"expression": "营业收入@上年 >= 3%", "result_type": "bool"}
    )
    body = html.content.decode()
    assert 'data-line="1" data-column="12"' in body and "类型错误" in body and "第 1 行，第 12 列" in body
    assert '<mark class="qx-rule-mark" data-testid="error-mark">3%</mark>' in body
    assert '<span class="qx-rule-ghost">营业收入@上年 &gt;= </span><span class="qx-rule-caret"' in body
    ok = client.post(
        "/rules/workbench/check/", {"expression": "营业收入@上年>=2000万", "result_type": "bool"}
    )
    assert "表达式正确" in ok.content.decode() and "营业收入@上年 ≥ 2000万" in ok.content.decode()
    money = client.post(
        "/rules/workbench/check/", {"expression": "营业收入@上年>=2000万", "result_type": "money"}
    )
    assert (
        "结果类型为金额，此处得到" not in money.content.decode()
        and "此处应得到数值" in money.content.decode()
    )
    empty = client.post("/rules/workbench/check/", {"expression": "  ", "result_type": "bool"})
    assert 'data-testid="check-empty"' in empty.content.decode()


def test_the_match_panel_counts_and_lists_within_the_users_scope(client_as, figures):
    office = client_as("office").post("/rules/workbench/match/", PANEL).content.decode()
    assert "在您可查看的 5 家企业中计算" in office
    assert office.count("/enterprises/") == 2 and "乙镇机械有限公司" in office
    town = client_as("town")
    body = town.post("/rules/workbench/match/", {**PANEL, "outcome": ""}).content.decode()
    assert "在您可查看的 3 家企业中计算" in body
    assert "乙镇" not in body.split('data-testid="match-table"')[1]
    assert body.count('href="/enterprises/') == 3
    unknown = town.post("/rules/workbench/match/", {**PANEL, "outcome": "unknown"}).content.decode()
    assert "甲镇食品有限公司" in unknown and "研发费用（上年）、营业收入（上年）" in unknown
    impossible_date = town.post("/rules/workbench/match/", {**PANEL, "as_of": "2026-02-30"}).content.decode()
    assert "评价日期 2026-02-30" not in impossible_date and 'data-testid="match-result"' in impossible_date
    invalid = town.post("/rules/workbench/match/", {**PANEL, "expression": "营业收入 >"}).content.decode()
    assert "表达式有误，请先修正后再统计" in invalid


def test_the_match_list_pages(client_as, figures, monkeypatch):
    from qiangxian.rules import views

    monkeypatch.setattr(views, "MATCH_PAGE_SIZE", 2)
    client = client_as("office")
    first = client.post("/rules/workbench/match/", {**PANEL, "outcome": ""}).content.decode()
    assert "第 1 / 3 页" in first and 'data-testid="match-next"' in first
    third = client.post("/rules/workbench/match/", {**PANEL, "outcome": "", "page": "3"}).content.decode()
    assert "第 3 / 3 页" in third and third.count('href="/enterprises/') == 1


def test_the_workbench_export_holds_the_chosen_outcome_in_scope(client_as, figures):
    response = client_as("town").post("/rules/workbench/match/export/", {**PANEL, "outcome": ""})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = _sheet(response)
    assert rows[0] == ["企业名称", "统一社会信用代码", "乡镇", "园区", "结果", "缺少的数据"]
    assert sorted(r[0] for r in rows[1:]) == ["甲镇园区鞋业有限公司", "甲镇纺织有限公司", "甲镇食品有限公司"]
    met = _sheet(client_as("office").post("/rules/workbench/match/export/", {**PANEL, "outcome": "met"}))
    assert [r[4] for r in met[1:]] == ["满足", "满足"]
    bad = client_as("office").post("/rules/workbench/match/export/", {**PANEL, "expression": "("})
    assert bad.status_code == 302


def test_trying_a_rule_shows_the_trace(client_as, figures):
    textile = figures["enterprises"]["甲镇纺织有限公司"]
    body = (
        client_as("town").post("/rules/workbench/try/", {**PANEL, "enterprise": textile.pk}).content.decode()
    )
    assert "甲镇纺织有限公司" in body and "不满足" in body
    assert "18万元" in body and "统计局" in body and "2.0% ≥ 3.0% → 不满足" in body
    assert "约需增加研发费用 9万元" in body and "不代表官方认定" in body
    money = client_as("town").post(
        "/rules/workbench/try/",
        {**PANEL, "expression": "研发费用@上年 * 10%", "result_type": "money", "enterprise": textile.pk},
    )
    assert "结果 1.8万元" in money.content.decode()


def test_a_town_cannot_try_a_rule_on_another_towns_enterprise(client_as, figures):
    machine = figures["enterprises"]["乙镇机械有限公司"]
    client = client_as("town")
    other = client.post("/rules/workbench/try/", {**PANEL, "enterprise": machine.pk})
    missing = client.post("/rules/workbench/try/", {**PANEL, "enterprise": 999_999})
    assert other.status_code == missing.status_code == 404
    # The same page for both, apart from the per-response CSRF token.
    assert _without_token(other) == _without_token(missing)
    assert "未找到该页面或记录，或您无权查看。" in other.content.decode()
    assert client.post("/rules/workbench/try/", {**PANEL, "enterprise": "x"}).status_code == 404
    search = client.get("/rules/workbench/enterprises/?q=机械").content.decode()
    assert "乙镇机械有限公司" not in search and "没有找到企业" in search
    assert "甲镇纺织有限公司" in client.get("/rules/workbench/enterprises/?q=纺织").content.decode()


def test_the_office_saves_a_new_rule_and_then_a_new_version(client_as, figures, users):
    client = client_as("office")
    response = client.post(
        "/rules/workbench/save/", {**PANEL, "name": "研发强度", "description": "说明", "is_active": "on"}
    )
    rule = CustomRule.objects.get(name="研发强度")
    assert response.status_code == 302 and response["Location"] == f"/rules/saved/{rule.pk}/"
    page = client.get(f"/rules/workbench/?rule={rule.pk}").content.decode()
    assert 'name="version" value="1"' in page and "保存为第 2 版" in page
    response = client.post(
        "/rules/workbench/save/",
        {
            **PANEL,
            "expression": "研发费用@上年 / 营业收入@上年 >= 4%",
            "name": "研发强度",
            "rule": rule.pk,
            "version": 1,
        },
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.version == 2 and not rule.is_active and rule.expression.endswith("4%")
    detail = client.get(f"/rules/saved/{rule.pk}/").content.decode()
    assert 'data-testid="history"' in detail and "表达式" in detail and "修改" in detail


def test_saving_shows_errors_where_they_belong(client_as, figures, rule):
    client = client_as("office")
    body = client.post(
        "/rules/workbench/save/", {**PANEL, "expression": "营业收入 >", "name": ""}
    ).content.decode()
    assert 'data-field="expression"' in body and "表达式不完整" in body
    assert 'data-field="name"' in body
    duplicate = client.post("/rules/workbench/save/", {**PANEL, "name": rule.name}).content.decode()
    assert f"已有名为“{rule.name}”的规则" in duplicate and CustomRule.objects.count() == 1


def test_a_second_editor_is_told_the_rule_changed(client_as, figures, rule, users):
    services.custom_rule_update(actor=users["admin"], rule=rule, expected_version=1, description="管理员改过")
    client = client_as("office")
    body = client.post(
        "/rules/workbench/save/",
        {**PANEL, "name": rule.name, "description": "办公室的修改", "rule": rule.pk, "version": 1},
    ).content.decode()
    assert "该规则已被admin用户于" in body and "当前为第 2 版" in body and 'data-testid="form-errors"' in body
    rule.refresh_from_db()
    assert rule.description == "管理员改过"
    stale_delete = client.post(f"/rules/saved/{rule.pk}/delete/", {"version": 1}, follow=True)
    assert "您的修改未保存" in stale_delete.content.decode() and CustomRule.objects.exists()
    done = client.post(f"/rules/saved/{rule.pk}/delete/", {"version": 2}, follow=True)
    assert "已删除自定义规则" in done.content.decode() and not CustomRule.objects.exists()


def test_a_saved_rules_matches_panel_and_export(client_as, figures, rule):
    client = client_as("town")
    url = f"/rules/saved/{rule.pk}/matches/?as_of=2026-06-15"
    assert client.get(url).status_code == 302
    panel = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "在您可查看的 3 家企业中计算" in panel and "甲镇园区鞋业有限公司" in panel
    rows = _sheet(client.get(url + "&outcome=not_met&export=xlsx"))
    assert [r[0] for r in rows[1:]] == ["甲镇纺织有限公司"]
    CustomRule.objects.filter(pk=rule.pk).update(expression="研发费用率 > 3%")
    broken = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "表达式有误" in broken and "未知指标“研发费用率”" in broken
    assert "未知指标" in client.get(f"/rules/saved/{rule.pk}/").content.decode()


def test_missing_rules_are_not_found(client_as, rule):
    client = client_as("office")
    for url in ["/rules/saved/999999/", "/rules/workbench/?rule=999999", "/rules/saved/999999/matches/"]:
        assert client.get(url).status_code == 404, url


def test_the_reference_page_shows_every_example_error_and_rule_set(client_as):
    from qiangxian.rules import reference
    from qiangxian.rules.engine import builtin_rulesets

    body = client_as("town").get("/rules/reference/").content.decode()
    assert body.count('data-testid="reference-example"') == len(reference.all_examples())
    assert "第1行第9列：无法比较 金额 与 百分比" in body
    for rs in builtin_rulesets():
        assert rs.name in body and f'id="ruleset-{rs.code}-{rs.version}"' in body
    assert "2026-04-01 起施行" in body and "2022-08-01 至 2026-03-31" in body


def test_the_saved_rules_list_has_a_fixed_number_of_queries(client_as, users, django_assert_num_queries):
    client = client_as("office")
    # user, count, rows (authors joined), and the shell's own reads: never one per rule (the
    # session is read from the cache and no longer written on every request).
    for count in (3, 9):
        while CustomRule.objects.count() < count:
            n = CustomRule.objects.count()
            services.custom_rule_create(actor=users["office"], name=f"规则{n}", expression=SHARE_RULE)
        with django_assert_num_queries(3):
            body = client.get("/rules/saved/").content.decode()
        assert f"共 {count} 条" in body


def test_element_ids_are_unique_on_every_page(client_as, figures, rule):
    client = client_as("office")
    for url in [
        "/rules/workbench/",
        f"/rules/workbench/?rule={rule.pk}",
        f"/rules/saved/{rule.pk}/",
        "/rules/reference/",
    ]:
        ids = re.findall(r'\sid="([^"]+)"', client.get(url).content.decode())
        assert sorted({i for i in ids if ids.count(i) > 1}) == [], url
