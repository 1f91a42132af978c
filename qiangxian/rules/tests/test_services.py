"""Writes of custom rules: the engine validates first, versions stop lost updates, only the office writes."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from qiangxian.core.concurrency import is_stale
from qiangxian.rules import services
from qiangxian.rules.choices import ResultType
from qiangxian.rules.models import CustomRule

from .conftest import SHARE_RULE

pytestmark = pytest.mark.django_db


def _create(actor, **fields):
    values = {"name": "测试规则", "expression": SHARE_RULE}
    values.update(fields)
    return services.custom_rule_create(actor=actor, **values)


def test_create_saves_the_rule_with_its_author_and_history(users):
    rule = _create(users["office"], description="  说明  ", expression="  营业收入@上年 >= 2000万\r\n")
    assert rule.version == 1 and rule.is_active
    assert rule.created_by == users["office"] and rule.updated_by == users["office"]
    assert rule.expression == "营业收入@上年 >= 2000万" and rule.description == "说明"
    record = rule.history.get()
    assert record.history_type == "+" and record.history_user == users["office"]


def test_a_syntax_error_is_refused_with_its_position_in_chinese(users):
    with pytest.raises(ValidationError) as info:
        _create(users["office"], expression="(营业收入@上年 > 2000万")
    assert info.value.message_dict == {"expression": ["表达式有误，第1行第1列：缺少右括号"]}
    assert not CustomRule.objects.exists()


def test_unknown_names_and_unit_mismatches_are_refused(users):
    with pytest.raises(ValidationError) as info:
        _create(users["office"], expression="研发费用率 > 3%")
    assert "未知指标“研发费用率”" in info.value.message_dict["expression"][0]
    with pytest.raises(ValidationError) as info:
        _create(users["office"], expression="营业收入@上年 >= 3%")
    assert info.value.message_dict["expression"] == ["表达式有误，第1行第12列：无法比较 金额 与 百分比"]


def test_the_result_type_must_match_the_expression(users):
    with pytest.raises(ValidationError) as info:
        _create(users["office"], expression=SHARE_RULE, result_type=ResultType.NUMBER)
    assert "此处应得到数值" in info.value.message_dict["expression"][0]
    with pytest.raises(ValidationError) as info:
        _create(users["office"], expression="研发费用@上年 / 营业收入@上年", result_type=ResultType.MONEY)
    assert info.value.message_dict["expression"] == [
        "表达式有误，第1行第1列：结果类型为金额，此处得到 百分比"
    ]
    money = _create(
        users["office"], expression="最小(研发费用@上年 * 10%, 100万)", result_type=ResultType.MONEY
    )
    assert money.result_type == ResultType.MONEY
    points = _create(
        users["office"], name="得分", expression="分档(研发费用@上年, 100万:5, 0)", result_type="number"
    )
    assert points.result_type == ResultType.NUMBER


def test_name_and_expression_are_required_and_names_unique(users):
    with pytest.raises(ValidationError) as info:
        _create(users["office"], name=" ", expression="")
    assert info.value.message_dict == {"name": ["请填写规则名称。"], "expression": ["请填写表达式。"]}
    _create(users["office"])
    with pytest.raises(ValidationError) as info:
        _create(users["admin"])
    assert info.value.message_dict == {"name": ["已有名为“测试规则”的规则，请换一个名称。"]}
    with pytest.raises(ValidationError) as info:
        _create(users["office"], name="其他", result_type="text")
    assert info.value.message_dict == {"result_type": ["结果类型无效。"]}


@pytest.mark.parametrize("role", ["leader", "bureau", "park", "town", "enterprise"])
def test_only_the_office_and_administrators_write(users, role):
    with pytest.raises(PermissionDenied) as info:
        _create(users[role])
    assert str(info.value) == "只有领导小组办公室和系统管理员可以编辑自定义规则。"
    rule = _create(users["admin"])
    with pytest.raises(PermissionDenied):
        services.custom_rule_update(actor=users[role], rule=rule, expected_version=1, name="改名")
    with pytest.raises(PermissionDenied):
        services.custom_rule_delete(actor=users[role], rule=rule, expected_version=1)
    assert CustomRule.objects.get().name == "测试规则"


def test_update_bumps_the_version_and_keeps_the_history(users):
    rule = _create(users["office"])
    updated = services.custom_rule_update(
        actor=users["admin"], rule=rule, expected_version=1, expression="研发费用@上年 / 营业收入@上年 >= 4%"
    )
    assert (
        updated.version == 2
        and updated.updated_by == users["admin"]
        and updated.created_by == users["office"]
    )
    latest = updated.history.first()
    assert latest.history_type == "~" and latest.history_user == users["admin"]
    delta = latest.diff_against(updated.history.last())
    assert {c.field for c in delta.changes} == {"expression", "version", "updated_by"}


def test_an_update_without_changes_keeps_the_version(users):
    rule = _create(users["office"])
    same = services.custom_rule_update(actor=users["office"], rule=rule, expected_version=1, name="测试规则")
    assert same.version == 1 and rule.history.count() == 1


def test_a_stale_update_is_refused_and_says_who_changed_the_rule(users):
    rule = _create(users["office"])
    first_copy = CustomRule.objects.get(pk=rule.pk)
    second_copy = CustomRule.objects.get(pk=rule.pk)
    services.custom_rule_update(
        actor=users["office"], rule=first_copy, expected_version=1, description="第一人"
    )
    with pytest.raises(ValidationError) as info:
        services.custom_rule_update(
            actor=users["admin"], rule=second_copy, expected_version=second_copy.version, description="第二人"
        )
    assert is_stale(info.value)
    message = info.value.message_dict["__all__"][0]
    assert (
        message.startswith("该规则已被office用户于 ")
        and "当前为第 2 版" in message
        and "您的修改未保存" in message
    )
    assert CustomRule.objects.get().description == "第一人"


def test_an_update_that_names_no_version_is_refused(users):
    rule = _create(users["office"])
    with pytest.raises(ValidationError) as info:
        services.custom_rule_update(actor=users["office"], rule=rule, expected_version=None, name="改名")
    assert is_stale(info.value)


def test_an_invalid_update_changes_nothing(users):
    rule = _create(users["office"])
    with pytest.raises(ValidationError) as info:
        services.custom_rule_update(
            actor=users["office"], rule=rule, expected_version=1, expression="营业收入 >"
        )
    assert info.value.message_dict == {"expression": ["表达式有误，第1行第7列：表达式不完整"]}
    assert not is_stale(info.value)
    with pytest.raises(ValidationError):
        services.custom_rule_update(actor=users["office"], rule=rule, expected_version=1, owner="x")
    assert CustomRule.objects.get().version == 1


def test_delete_checks_the_version_and_leaves_the_history(users):
    rule = _create(users["office"])
    services.custom_rule_update(actor=users["office"], rule=rule, expected_version=1, is_active=False)
    with pytest.raises(ValidationError) as info:
        services.custom_rule_delete(actor=users["admin"], rule=rule, expected_version=1)
    assert is_stale(info.value)
    services.custom_rule_delete(actor=users["admin"], rule=rule, expected_version=2)
    assert not CustomRule.objects.exists()
    deleted = CustomRule.history.filter(id=rule.pk).first()
    assert deleted.history_type == "-" and deleted.history_user == users["admin"]
