"""Writes of the policy library: policies, clauses and clause versions, each validated in Chinese."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from qiangxian.core.access import issuing_unit_id, may_issue, require_own_level, scope_of
from qiangxian.core.concurrency import STALE, same_version
from qiangxian.rules.engine import RuleError

from ..calc import compile_base
from ..choices import BenefitKind, ExclusionRule, GrantMode, PolicyStatus
from ..models import Application, Clause, ClauseVersion, Policy

MAX_MONEY = Decimal("1e13")
MAX_REVIEW_DAYS = 60  # 快申快享: paid within 60 working days at most (直达快享 rules)

POLICY_FIELDS = (
    "title",
    "issuer",
    "issuer_name",
    "doc_number",
    "level",
    "effective_from",
    "effective_to",
    "full_text",
    "cap_per_enterprise_year",
    "guide_who",
    "guide_what",
    "guide_when",
    "guide_where",
    "guide_contact",
)
VERSION_FIELDS = (
    "effective_from",
    "quote",
    "eligibility",
    "benefit_kind",
    "benefit_amount",
    "benefit_rate",
    "benefit_base",
    "benefit_tiers",
    "cap_per_enterprise_year",
    "budget",
    "mode",
    "window_from",
    "window_to",
    "documents_required",
    "review_unit",
    "paying_unit",
    "review_days",
    "exclusion_group",
    "exclusion_rule",
    "note",
)


def can_manage_policies(user) -> bool:
    """The county office and administrators run matching and keep the grants of their county."""
    return bool(user and user.is_authenticated and (user.can_manage or user.is_superuser))


def can_keep_library(user) -> bool:
    """The office and administrators of a county, city or province write and publish their
    level's policies (a city's apply in all its counties): ``core.access.may_issue``."""
    return may_issue(user)


def _require_manager(actor, policy: Policy | None = None) -> None:
    if not can_keep_library(actor):
        raise PermissionDenied("只有领导小组办公室可以维护政策库。")
    if policy is not None:
        # A city's or province's policy is read and matched in its counties, never changed there;
        # a county's is read, never changed, by its city.
        require_own_level(actor, policy.issuer_id, "政策")


def _decimal(value, field: str, label: str, errors: dict) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        errors.setdefault(field, []).append(f"{label}应为数字。")
        return None
    if not number.is_finite() or abs(number) >= MAX_MONEY:
        errors.setdefault(field, []).append(f"{label}超出允许范围。")
        return None
    return number


def _tiers(raw, errors: dict) -> list[list[float]]:
    """Tiers as [[threshold, amount], …] in yuan, thresholds strictly increasing."""
    if isinstance(raw, str):
        rows = []
        for line in raw.replace("；", "\n").replace(";", "\n").splitlines():
            if not line.strip():
                continue
            parts = line.replace("：", ":").replace("，", ":").replace(",", ":").split(":")
            if len(parts) != 2:
                errors.setdefault("benefit_tiers", []).append(
                    f"分档“{line.strip()}”应写作“门槛:金额”（元）。"
                )
                return []
            rows.append(parts)
        raw = rows
    out: list[list[float]] = []
    for row in raw or []:
        try:
            threshold, amount = (float(Decimal(str(x).strip())) for x in row)
        except (InvalidOperation, ValueError, TypeError):
            errors.setdefault("benefit_tiers", []).append("分档的门槛和金额应为数字（元）。")
            return []
        if amount < 0 or threshold < 0:
            errors.setdefault("benefit_tiers", []).append("分档的门槛和金额不能小于0。")
            return []
        out.append([threshold, amount])
    if any(b[0] <= a[0] for a, b in itertools.pairwise(out)):
        errors.setdefault("benefit_tiers", []).append("分档门槛应从低到高排列，且不能重复。")
    return out


def validate_version(data: dict) -> dict:
    """Check a clause version's fields; returns cleaned values or raises ValidationError naming fields."""
    from .. import calc

    errors: dict[str, list[str]] = {}
    clean = {k: data.get(k) for k in VERSION_FIELDS if k in data}
    if not clean.get("effective_from"):
        errors["effective_from"] = ["请填写生效日期。"]
    if not (clean.get("quote") or "").strip():
        errors["quote"] = ["请填写条款原文摘录。"]
    text = (clean.get("eligibility") or "").strip()
    if not text:
        errors["eligibility"] = ["请填写享受条件（规则表达式）。"]
    else:
        try:
            calc.compile_for(text, calc.ResultType.BOOL)
        except RuleError as exc:
            errors["eligibility"] = [f"享受条件无法编译：{exc.message}"]
    clean["eligibility"] = text
    kind = clean.get("benefit_kind")
    if kind not in BenefitKind.values:
        errors["benefit_kind"] = ["请选择奖补方式。"]
    amount = _decimal(clean.get("benefit_amount"), "benefit_amount", "定额", errors)
    rate = _decimal(clean.get("benefit_rate"), "benefit_rate", "比例", errors)
    cap = _decimal(
        clean.get("cap_per_enterprise_year"), "cap_per_enterprise_year", "单个企业年度上限", errors
    )
    budget = _decimal(clean.get("budget"), "budget", "条款年度预算", errors)
    tiers = _tiers(clean.get("benefit_tiers"), errors)
    base = (clean.get("benefit_base") or "").strip()
    if kind == BenefitKind.FIXED and (amount is None or amount <= 0):
        errors.setdefault("benefit_amount", []).append("定额奖补的金额须大于0元，否则条款不给付任何资金。")
    if kind == BenefitKind.RATE and (rate is None or rate <= 0 or rate > 1):
        errors.setdefault("benefit_rate", []).append("比例须大于0且不超过100%（填写小数，如 0.1 即 10%）。")
    if kind == BenefitKind.TIERS and not any(a > 0 for _, a in tiers):
        errors.setdefault("benefit_tiers", []).append(
            "分档奖补至少要有一档金额大于0元，否则条款不给付任何资金。"
        )
    declared = (clean.get("mode") or "") == GrantMode.QUICK_APPLICATION
    if kind in (BenefitKind.RATE, BenefitKind.TIERS):
        if not base and not declared:
            errors.setdefault("benefit_base", []).append(
                "按比例或分档奖补须填写计算基数（金额表达式）；快申快享可由企业申报基数。"
            )
        elif base:
            try:
                compile_base(base)
            except RuleError as exc:
                errors.setdefault("benefit_base", []).append(f"计算基数无法编译：{exc.message}")
    if cap is not None and cap < 0:
        errors.setdefault("cap_per_enterprise_year", []).append("单个企业年度上限不能小于0元。")
    elif cap is not None and cap == 0:
        errors.setdefault("cap_per_enterprise_year", []).append("单个企业年度上限为0元，条款不给付任何资金。")
    if budget is not None and budget < 0:
        errors.setdefault("budget", []).append("条款年度预算不能小于0元。")
    mode = clean.get("mode") or GrantMode.AUTO_GRANT
    if mode not in GrantMode.values:
        errors["mode"] = ["请选择兑现方式。"]
    wf, wt = clean.get("window_from"), clean.get("window_to")
    if wf and wt and wt < wf:
        errors["window_to"] = ["申报截止日期不能早于申报开始日期。"]
    days = clean.get("review_days") or 15
    if not isinstance(days, int) or not 1 <= days <= MAX_REVIEW_DAYS:
        errors["review_days"] = [f"审核时限应为1至{MAX_REVIEW_DAYS}个工作日。"]
    rule = clean.get("exclusion_rule") or ExclusionRule.STACK
    group = (clean.get("exclusion_group") or "").strip()
    if rule not in ExclusionRule.values:
        errors["exclusion_rule"] = ["请选择互斥规则。"]
    elif rule != ExclusionRule.STACK and not group:
        errors["exclusion_group"] = ["选择“就高不就低”或“不重复享受”时须填写互斥组。"]
    docs = clean.get("documents_required") or []
    if isinstance(docs, str):
        docs = [d.strip() for d in docs.replace("；", "\n").replace("、", "\n").splitlines() if d.strip()]
    if errors:
        raise ValidationError(errors)
    clean.update(
        benefit_amount=amount if kind == BenefitKind.FIXED else None,
        benefit_rate=rate if kind == BenefitKind.RATE else None,
        benefit_tiers=tiers if kind == BenefitKind.TIERS else [],
        benefit_base=base if kind != BenefitKind.FIXED else "",
        cap_per_enterprise_year=cap,
        budget=budget,
        mode=mode,
        review_days=days,
        exclusion_rule=rule,
        exclusion_group=group,
        documents_required=docs,
        note=(clean.get("note") or "").strip(),
    )
    return clean


def _validate_policy(data: dict) -> dict:
    errors: dict[str, list[str]] = {}
    clean = {k: data[k] for k in POLICY_FIELDS if k in data}
    if not (clean.get("title") or "").strip():
        errors["title"] = ["请填写政策名称。"]
    if not clean.get("effective_from"):
        errors["effective_from"] = ["请填写施行日期。"]
    elif clean.get("effective_to") and clean["effective_to"] < clean["effective_from"]:
        errors["effective_to"] = ["有效期至不能早于施行日期。"]
    cap = _decimal(
        clean.get("cap_per_enterprise_year"), "cap_per_enterprise_year", "同一企业年度奖补上限", errors
    )
    if cap is not None and cap <= 0:
        errors.setdefault("cap_per_enterprise_year", []).append(
            "同一企业年度奖补上限须大于0元（不设上限请留空）。"
        )
    if errors:
        raise ValidationError(errors)
    clean["cap_per_enterprise_year"] = cap
    return clean


@transaction.atomic
def policy_save(
    *,
    actor,
    data: dict,
    policy: Policy | None = None,
    responsible_units=None,
    expected_updated_at: dt.datetime | None = None,
) -> Policy:
    """Create or update a policy document (its clauses are saved one by one with :func:`clause_save`)."""
    _require_manager(actor, policy)
    clean = _validate_policy(data)
    if policy is None:
        policy = Policy(created_by=actor)
    else:
        policy = Policy.objects.select_for_update().get(pk=policy.pk)
        if not same_version(policy.updated_at, expected_updated_at):
            raise ValidationError("该政策已被他人修改，请刷新后重试。", code=STALE)
    for key, value in clean.items():
        setattr(policy, key, value)
    if policy.issuer_id is None:
        # Issued in the actor's name: inside a city or province, a county's policy applies only
        # in that county (an unissued one would be read as shared by every county).
        policy.issuer_id = issuing_unit_id(actor)
    policy._change_reason = "编辑政策"
    policy._history_user = actor
    policy.save()
    if responsible_units is not None:
        policy.responsible_units.set(responsible_units)
    return policy


def _check_units_of_level(actor, clean: dict) -> None:
    """A city's or province's clause is reviewed and paid in each county (by its office when no
    unit is named): naming one county's bureau would send every county's applications there."""
    if not scope_of(actor).above_counties:
        return
    errors = {
        field: ["市级、省级政策的条款由各县审核和拨付：请留空，或选择本级单位。"]
        for field in ("review_unit", "paying_unit")
        if getattr(clean.get(field), "county_id", None) is not None
    }
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def clause_save(
    *,
    actor,
    policy: Policy,
    data: dict,
    clause: Clause | None = None,
    publish: bool = False,
) -> ClauseVersion:
    """Create a clause, or give an existing one a new version from ``effective_from``.

    A version that a decision (an application) already refers to is never changed: editing the
    clause from the same date is refused, and a later date adds a version beside it.
    """
    _require_manager(actor, policy)
    clean = validate_version(data)
    _check_units_of_level(actor, clean)
    title = (data.get("title") or "").strip()
    if clause is None and not title:
        raise ValidationError({"title": ["请填写条款名称。"]})
    if clause is None:
        clause = Clause(
            policy=policy,
            number=(data.get("number") or "").strip()[:30],
            title=title[:200],
            sort_order=data.get("sort_order") or policy.clauses.count() + 1,
            is_published=publish,
        )
        clause._history_user = actor
        clause.save()
    else:
        if clause.policy_id != policy.pk:
            raise ValidationError({"clause_id": ["该条款不属于这项政策。"]})
        clause = Clause.objects.select_for_update().get(pk=clause.pk)
        if title:
            clause.title = title[:200]
        if "number" in data:
            clause.number = (data.get("number") or "").strip()[:30]
        if publish:
            clause.is_published = True
        clause._history_user = actor
        clause.save()
    latest = clause.versions.order_by("-effective_from", "-pk").first()
    day = clean["effective_from"]
    if latest is not None and day < latest.effective_from:
        raise ValidationError(
            {"effective_from": [f"生效日期不能早于现行版本的生效日期（{latest.effective_from:%Y-%m-%d}）。"]}
        )
    if latest is not None and day == latest.effective_from:
        if Application.objects.filter(clause_version=latest).exists():
            raise ValidationError(
                {
                    "effective_from": [
                        "现行版本已有兑现决定，不能在原生效日期上修改；请填写新的生效日期，已作出的决定保持不变。"
                    ]
                }
            )
        version = latest
    else:
        version = ClauseVersion(clause=clause, created_by=actor)
    for key, value in clean.items():
        setattr(version, key, value)
    version.created_by = actor
    version._history_user = actor
    version.save()
    return version


@transaction.atomic
def policy_publish(*, actor, policy: Policy) -> Policy:
    """Confirm a policy and all its clauses: only then does matching read them."""
    _require_manager(actor, policy)
    policy = Policy.objects.select_for_update().get(pk=policy.pk)
    clauses = list(policy.clauses.all())
    if not clauses:
        raise ValidationError("政策尚无条款，不能发布。")
    without = [str(c) for c in clauses if not c.versions.exists()]
    if without:
        raise ValidationError(f"以下条款尚未填写规则，不能发布：{'、'.join(without)}")
    policy.clauses.update(is_published=True)
    policy.status = PolicyStatus.PUBLISHED
    policy._change_reason = "发布政策"
    policy._history_user = actor
    policy.save()
    return policy
