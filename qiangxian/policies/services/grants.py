"""Fulfilment: willingness (免申即享), short applications (快申快享), review, payment.

Every step is a django-fsm-2 transition saved in one transaction; the row keeps its history.
Two officers acting on the same item at once: the first write wins, the second is refused as a
lost update (``code=STALE``: 409 in the API, a message on the pages).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from pathlib import PurePath

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django_fsm import ConcurrentTransition, TransitionNotAllowed

from qiangxian.core.access import scope_of
from qiangxian.core.concurrency import STALE
from qiangxian.core.workdays import add_working_days
from qiangxian.enterprises.models import EnterpriseLiaison

from ..calc import BenefitSpec, scalar_amount
from ..choices import EVIDENCE_MAX_BYTES, EVIDENCE_TYPES, ApplicationStatus, GrantMode
from ..models import Application, Clause, Evidence, Payment
from .library import MAX_MONEY, can_manage_policies

CONCURRENT = "该事项已被他人处理（状态已变化），请刷新后查看。"


def _is_own_enterprise(user, enterprise) -> bool:
    scope = scope_of(user)
    return scope.kind == "enterprise" and enterprise.org_unit_id == scope.unit_id


def _is_liaison(user, enterprise) -> bool:
    return EnterpriseLiaison.objects.filter(user=user, enterprise=enterprise).exists()


def can_review(user, application: Application) -> bool:
    """The office, or the bureau named as the clause's reviewing unit."""
    if can_manage_policies(user):
        return True
    scope = scope_of(user)
    return scope.kind == "bureau" and scope.unit_id == application.clause_version.review_unit_id


def can_pay(user, application: Application) -> bool:
    """The office, or the bureau named as the clause's paying unit."""
    if can_manage_policies(user):
        return True
    scope = scope_of(user)
    return scope.kind == "bureau" and scope.unit_id == application.clause_version.paying_unit_id


def can_act_for(user, enterprise) -> tuple[bool, bool]:
    """(may confirm, on behalf): the enterprise itself, or its liaison / the office on its behalf."""
    if _is_own_enterprise(user, enterprise):
        return True, False
    if can_manage_policies(user) or _is_liaison(user, enterprise):
        return True, True
    return False, False


def _save(application: Application, reason: str, actor=None) -> None:
    application._change_reason = reason
    application._history_user = actor
    try:
        application.save()
    except ConcurrentTransition as exc:
        raise ValidationError(CONCURRENT, code=STALE) from exc


def _transition(application: Application, name: str) -> None:
    try:
        getattr(application, name)()
    except TransitionNotAllowed as exc:
        raise ValidationError(
            f"当前状态为“{application.get_status_display()}”，不能执行此操作。", code=STALE
        ) from exc


def _bank(bank_name: str, bank_account: str) -> tuple[str, str]:
    errors = {}
    bank_name, bank_account = (bank_name or "").strip(), (bank_account or "").replace(" ", "")
    if not bank_name:
        errors["bank_name"] = ["请填写开户银行。"]
    if not bank_account.isdigit() or not 8 <= len(bank_account) <= 30:
        errors["bank_account"] = ["银行账号应为8至30位数字。"]
    if errors:
        raise ValidationError(errors)
    return bank_name, bank_account


def _trace(application: Application) -> list[str]:
    """The reasons as judged now, kept with the decision so a later change cannot alter them."""
    from ..selectors import clause_trace_lines

    return clause_trace_lines(application.clause_version, application.enterprise)


@transaction.atomic
def willingness_confirm(*, actor, application: Application, bank_name: str, bank_account: str) -> Application:
    """The enterprise confirms it wants the benefit and where to pay it (or its liaison, recorded)."""
    allowed, on_behalf = can_act_for(actor, application.enterprise)
    if not allowed:
        raise PermissionDenied("只有本企业或其包联干部可以确认享受意愿。")
    bank_name, bank_account = _bank(bank_name, bank_account)
    _transition(application, "submit")
    now = timezone.now()
    application.bank_name, application.bank_account = bank_name, bank_account
    application.confirmed_at, application.confirmed_by, application.on_behalf = now, actor, on_behalf
    application.read_at = application.read_at or now
    application.review_deadline = add_working_days(
        timezone.localdate(), application.clause_version.review_days
    )
    application.trace = _trace(application)
    _save(application, "包联干部代企业确认享受意愿" if on_behalf else "企业确认享受意愿", actor)
    return application


@transaction.atomic
def application_mark_read(*, actor, application: Application) -> Application:
    """The enterprise opened the notice (read is tracked, nothing else changes)."""
    if application.read_at is None and _is_own_enterprise(actor, application.enterprise):
        Application.objects.filter(pk=application.pk, read_at__isnull=True).update(read_at=timezone.now())
        application.refresh_from_db()
    return application


def _declared(value) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError({"declared_base": ["申报基数应为数字（元）。"]}) from None
    if not number.is_finite() or number <= 0 or number >= MAX_MONEY:
        raise ValidationError({"declared_base": ["申报基数应大于0元且在合理范围内。"]})
    return number


@transaction.atomic
def quick_apply(
    *,
    actor,
    enterprise,
    clause: Clause,
    bank_name: str,
    bank_account: str,
    declared_base=None,
    form_data: dict | None = None,
    application: Application | None = None,
    on: dt.date | None = None,
) -> Application:
    """File (or resubmit after a return) a 快申快享 application; the window must be open."""
    allowed, on_behalf = can_act_for(actor, enterprise)
    if not allowed:
        raise PermissionDenied("只有本企业或其包联干部可以申报。")
    today = on or timezone.localdate()
    version = clause.version_on(today)
    if version is None or version.mode != GrantMode.QUICK_APPLICATION:
        raise ValidationError({"clause": ["该条款不接受快申快享申报。"]})
    if not version.window_open(today):
        window = f"{version.window_from or '不限'} 至 {version.window_to or '不限'}"
        raise ValidationError({"clause": [f"申报窗口已关闭（申报时间：{window}），不能申报。"]})
    bank_name, bank_account = _bank(bank_name, bank_account)
    spec = BenefitSpec.of(version)
    base = _declared(declared_base) if spec.kind != "fixed" else None
    amount = scalar_amount(spec, float(base) if base is not None else None) or 0.0
    if application is None:
        if Application.objects.filter(clause=clause, enterprise=enterprise, year=today.year).exists():
            raise ValidationError({"clause": ["本年度已申报过该条款，请在原申报中修改。"]})
        application = Application(
            clause=clause,
            clause_version=version,
            enterprise=enterprise,
            year=today.year,
            mode=GrantMode.QUICK_APPLICATION,
            notified_at=None,
        )
    elif application.enterprise_id != enterprise.pk:
        raise PermissionDenied("不能修改其他企业的申报。")
    application.declared_base = base
    application.estimated_amount = Decimal(str(round(amount, 2)))
    application.form_data = form_data or {}
    application.bank_name, application.bank_account = bank_name, bank_account
    _transition(application, "submit")
    now = timezone.now()
    application.confirmed_at, application.confirmed_by, application.on_behalf = now, actor, on_behalf
    application.review_deadline = add_working_days(today, version.review_days)
    application.trace = _trace(application)
    _save(application, "重新提交申报" if application.pk else "提交快申快享申报", actor)
    return application


def evidence_check(upload) -> tuple[str, str]:
    """A document's extension and content type agree, its first bytes are of that type, its size
    within the limit (also used for the evidence other modules take from enterprises).

    Returns the file's own name and its extension."""
    name = PurePath(upload.name or "").name
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    allowed_types = EVIDENCE_TYPES.get(ext)
    if allowed_types is None:
        raise ValidationError(
            {"file": [f"材料文件类型不支持（{ext or '无扩展名'}），请上传 PDF、图片、Excel 或 Word 文件。"]}
        )
    if upload.content_type not in allowed_types:
        raise ValidationError(
            {"file": [f"材料文件内容与扩展名不符（.{ext} 文件的类型应为 {allowed_types[0]}）。"]}
        )
    head = upload.read(8)
    upload.seek(0)
    signatures = {
        "pdf": b"%PDF",
        "png": b"\x89PNG",
        "jpg": b"\xff\xd8",
        "jpeg": b"\xff\xd8",
        "xlsx": b"PK",
        "docx": b"PK",
    }
    if not head.startswith(signatures[ext]):
        raise ValidationError({"file": [f"材料文件内容不是有效的 .{ext} 文件。"]})
    if upload.size > EVIDENCE_MAX_BYTES:
        raise ValidationError(
            {"file": [f"材料文件过大（{upload.size / 1048576:.1f}MB），单个文件不能超过 10MB。"]}
        )
    return name, ext


@transaction.atomic
def evidence_add(*, actor, application: Application, kind: str, upload) -> Evidence:
    """Attach a document: extension and content type must agree, size within the limit."""
    allowed, _ = can_act_for(actor, application.enterprise)
    if not allowed:
        raise PermissionDenied("只有本企业或其包联干部可以上传材料。")
    if application.status not in (
        ApplicationStatus.MATCHED,
        ApplicationStatus.SUBMITTED,
        ApplicationStatus.RETURNED,
    ):
        raise ValidationError({"file": ["当前状态不能再上传材料。"]})
    name, ext = evidence_check(upload)
    kind = (kind or "").strip()[:100] or "其他材料"
    evidence = Evidence(
        application=application, kind=kind, original_name=name[:200], size=upload.size, uploaded_by=actor
    )
    stamp = timezone.now().strftime("%Y%m%d%H%M%S%f")
    evidence.file.save(f"{stamp}.{ext}", upload, save=False)
    evidence.save()
    return evidence


def _require_review(actor, application: Application) -> None:
    if not can_review(actor, application):
        raise PermissionDenied("只有条款的审核单位或领导小组办公室可以审核。")


@transaction.atomic
def application_return(*, actor, application: Application, reason: str) -> Application:
    """Send a 快申快享 application back for correction, with the reasons."""
    _require_review(actor, application)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ["退回修改须填写原因。"]})
    if application.mode != GrantMode.QUICK_APPLICATION:
        raise ValidationError({"reason": ["免申即享事项不退回修改，如不符合请排除并说明原因。"]})
    _transition(application, "return_for_correction")
    application.return_reason = reason[:2000]
    application.reviewed_at, application.reviewed_by = timezone.now(), actor
    _save(application, "退回修改", actor)
    return application


def _approved_amount(application: Application, amount) -> Decimal:
    if amount in (None, ""):
        return application.estimated_amount
    try:
        value = Decimal(str(amount))
    except (InvalidOperation, ValueError):
        raise ValidationError({"amount": ["核定金额应为数字（元）。"]}) from None
    if not value.is_finite() or value <= 0:
        raise ValidationError({"amount": ["核定金额须大于0元。"]})
    cap = application.clause_version.cap_per_enterprise_year
    if cap is not None and value > cap:
        raise ValidationError({"amount": [f"核定金额不能超过单个企业年度上限 {cap:,.2f} 元。"]})
    return value


@transaction.atomic
def application_approve(*, actor, application: Application, amount=None) -> Application:
    """Approve an item (amount defaults to the estimate)."""
    _require_review(actor, application)
    approved = _approved_amount(application, amount)
    _transition(application, "approve")
    application.approved_amount = approved
    application.reviewed_at, application.reviewed_by = timezone.now(), actor
    _save(application, "审核通过", actor)
    return application


@transaction.atomic
def application_exclude(*, actor, application: Application, reason: str) -> Application:
    """Exclude an item from the batch, with the reason the enterprise will read."""
    _require_review(actor, application)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ["排除须填写原因。"]})
    _transition(application, "exclude")
    application.exclusion_reason = reason[:2000]
    application.reviewed_at, application.reviewed_by = timezone.now(), actor
    _save(application, "不予兑现", actor)
    return application


@transaction.atomic
def approve_batch(*, actor, applications, excluded: dict[int, str] | None = None) -> tuple[int, int]:
    """Review a batch: exclude the given ones with reasons, approve all the others.

    Returns (approved, excluded). Any refusal rolls the whole batch back.
    """
    excluded = excluded or {}
    approved_n = excluded_n = 0
    for application in applications:
        if application.pk in excluded:
            application_exclude(actor=actor, application=application, reason=excluded[application.pk])
            excluded_n += 1
        else:
            application_approve(actor=actor, application=application)
            approved_n += 1
    return approved_n, excluded_n


@transaction.atomic
def payment_record(
    *, actor, application: Application, amount, paid_on: dt.date, voucher_number: str, paying_unit=None
) -> Payment:
    """Record the money paid: no more than the approved amount, not in the future, with a voucher."""
    if not can_pay(actor, application):
        raise PermissionDenied("只有条款的拨付单位或领导小组办公室可以登记拨付。")
    errors: dict[str, list[str]] = {}
    try:
        value = Decimal(str(amount))
        if not value.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        raise ValidationError({"amount": ["拨付金额应为数字（元）。"]}) from None
    if value <= 0:
        errors["amount"] = ["拨付金额须大于0元。"]
    elif application.approved_amount is not None and value > application.approved_amount:
        errors["amount"] = [f"拨付金额不能大于核定金额 {application.approved_amount:,.2f} 元。"]
    if paid_on is None or paid_on > timezone.localdate():
        errors["paid_on"] = ["拨付日期不能为空，也不能晚于今天。"]
    voucher_number = (voucher_number or "").strip()
    if not voucher_number:
        errors["voucher_number"] = ["请填写凭证号。"]
    unit = paying_unit or application.clause_version.paying_unit
    if unit is None:
        errors["paying_unit"] = ["请选择拨付单位。"]
    if errors:
        raise ValidationError(errors)
    _transition(application, "pay")
    _save(application, "登记拨付", actor)
    return Payment.objects.create(
        application=application,
        amount=value,
        paid_on=paid_on,
        voucher_number=voucher_number[:60],
        paying_unit=unit,
        recorded_by=actor,
    )
