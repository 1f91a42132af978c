"""Writes of custom rules: keyword-only, one transaction, the expression checked first, history kept."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from qiangxian.core.access import issuing_unit_id, may_issue, scope_of
from qiangxian.core.concurrency import STALE

from .checking import compile_for, normalize
from .choices import ResultType
from .engine import RuleError
from .models import CustomRule

FORBIDDEN_MESSAGE = "只有领导小组办公室和系统管理员可以编辑自定义规则。"
EDITABLE_FIELDS = ("name", "description", "expression", "result_type", "is_active")


def can_edit_rules(user) -> bool:
    """Custom rules are written by the office and administrators of a county, city or province
    (``core.access.may_issue``); everybody else reads. A city's or province's office writes the
    shared rules it issues to the counties below (only its own: :func:`can_change_rule`)."""
    return may_issue(user)


def _require_editor(actor) -> None:
    if not can_edit_rules(actor):
        raise PermissionDenied(FORBIDDEN_MESSAGE)


def _require_issuer(actor, rule: CustomRule) -> None:
    """Among several counties a rule is managed by the level that issued it: a city's rule is read,
    never changed, by its counties, and a county's by nobody else."""
    if getattr(actor, "is_superuser", False) or scope_of(actor).counties is None:
        return
    if rule.issuer_id is None or rule.issuer_id != issuing_unit_id(actor):
        raise PermissionDenied("该规则由其他层级发布，只能查看和引用，不能修改或删除。")


def can_change_rule(user, rule: CustomRule) -> bool:
    """Whether the user may change or delete this rule: pages show its edit and delete buttons on
    this, so that none leads to a refusal (a county's rule read by its city, a city's by a county)."""
    if not can_edit_rules(user):
        return False
    try:
        _require_issuer(user, rule)
    except PermissionDenied:
        return False
    return True


def _clean(*, name: str, description: str, expression: str, result_type: str, exclude_pk=None) -> dict:
    """Validate the fields of a rule; the expression must compile for its result type."""
    errors: dict[str, list[str]] = {}
    name = (name or "").strip()
    expression = normalize(expression or "").strip()
    if not name:
        errors.setdefault("name", []).append("请填写规则名称。")
    elif len(name) > 100:
        errors.setdefault("name", []).append("规则名称最多 100 个字符。")
    elif CustomRule.objects.filter(name=name).exclude(pk=exclude_pk).exists():
        errors.setdefault("name", []).append(f"已有名为“{name}”的规则，请换一个名称。")
    if result_type not in ResultType.values:
        errors.setdefault("result_type", []).append("结果类型无效。")
    if not expression:
        errors.setdefault("expression", []).append("请填写表达式。")
    elif "result_type" not in errors:
        try:
            compile_for(expression, result_type)
        except RuleError as exc:
            errors.setdefault("expression", []).append(f"表达式有误，{exc}")
    if errors:
        raise ValidationError(errors)
    return {
        "name": name,
        "description": (description or "").strip(),
        "expression": expression,
        "result_type": result_type,
    }


def _stale_message(current: CustomRule) -> str:
    when = timezone.localtime(current.updated_at).strftime("%Y-%m-%d %H:%M")
    return (
        f"该规则已被{current.updated_by}于 {when} 修改（当前为第 {current.version} 版），"
        "您的修改未保存。请重新打开规则，在最新内容上修改。"
    )


@transaction.atomic
def custom_rule_create(
    *,
    actor,
    name: str,
    expression: str,
    result_type: str = ResultType.BOOL,
    description: str = "",
    is_active: bool = True,
) -> CustomRule:
    """Save a new custom rule after the engine has accepted its expression."""
    _require_editor(actor)
    data = _clean(name=name, description=description, expression=expression, result_type=result_type)
    rule = CustomRule(
        **data,
        is_active=bool(is_active),
        created_by=actor,
        updated_by=actor,
        issuer_id=issuing_unit_id(actor),
    )
    rule._history_user = actor
    rule.save()
    return rule


@transaction.atomic
def custom_rule_update(*, actor, rule: CustomRule, expected_version: int | None, **fields) -> CustomRule:
    """Change a rule, provided nobody has saved it since ``expected_version`` was read.

    ``expected_version`` is required: an update that does not say which version it edits could
    overwrite someone else's work, so it is refused like a stale one.
    """
    _require_editor(actor)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(f"不能修改的字段：{'、'.join(sorted(unknown))}")
    current = CustomRule.objects.select_for_update().select_related("updated_by").get(pk=rule.pk)
    _require_issuer(actor, current)
    if expected_version is None or int(expected_version) != current.version:
        raise ValidationError({"__all__": [ValidationError(_stale_message(current), code=STALE)]})
    values = {f: getattr(current, f) for f in EDITABLE_FIELDS}
    values.update(fields)
    data = _clean(
        name=values["name"],
        description=values["description"],
        expression=values["expression"],
        result_type=values["result_type"],
        exclude_pk=current.pk,
    )
    changed = any(getattr(current, k) != v for k, v in data.items()) or current.is_active != bool(
        values["is_active"]
    )
    if not changed:
        return current
    for key, value in data.items():
        setattr(current, key, value)
    current.is_active = bool(values["is_active"])
    current.version += 1
    current.updated_by = actor
    current._history_user = actor
    current.save()
    return current


@transaction.atomic
def custom_rule_delete(*, actor, rule: CustomRule, expected_version: int | None) -> None:
    """Delete a rule (its history keeps the deleted version), unless it changed meanwhile."""
    _require_editor(actor)
    current = CustomRule.objects.select_for_update().select_related("updated_by").get(pk=rule.pk)
    _require_issuer(actor, current)
    if expected_version is None or int(expected_version) != current.version:
        raise ValidationError({"__all__": [ValidationError(_stale_message(current), code=STALE)]})
    current._history_user = actor
    current.delete()
