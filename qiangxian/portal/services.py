"""Writes of the enterprise's portal: accounts, registrations, record corrections and data requests.

Every function is keyword-only, runs in one transaction, checks who acts before anything is saved
and keeps history (``_history_user``). Decisions lock the row and go through the django-fsm-2
transition, so two reviewers deciding at once: the second is refused (409 with ``STALE``).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django_fsm import TransitionNotAllowed

from qiangxian.core.access import scope_of
from qiangxian.core.choices import OrgUnitKind, Role
from qiangxian.core.concurrency import STALE
from qiangxian.core.models import OrgUnit, User
from qiangxian.core.services import user_open
from qiangxian.enterprises.models import Enterprise
from qiangxian.enterprises.uscc import validate_uscc

from .choices import CORRECTABLE_FIELDS, RegistrationState
from .models import CorrectionRequest, DataRequest, DataRequestItem, EnterpriseAccount, Registration

PHONE = re.compile(r"^1[3-9]\d{9}$")
USERNAME = re.compile(r"^[A-Za-z0-9_.@+-]{4,30}$")


# --- who may act ---------------------------------------------------------------------------------


def own_enterprise(user) -> Enterprise | None:
    """The enterprise an enterprise user signs in for (None for officials)."""
    if not user.is_authenticated or user.role != Role.ENTERPRISE or not user.org_unit_id:
        return None
    return Enterprise.objects.filter(org_unit_id=user.org_unit_id).select_related("town", "park").first()


def is_enterprise_admin(user, enterprise: Enterprise) -> bool:
    own = own_enterprise(user)
    return bool(
        own is not None
        and own.pk == enterprise.pk
        and EnterpriseAccount.objects.filter(user=user, enterprise=enterprise, is_admin=True).exists()
    )


def can_open_accounts(user, enterprise: Enterprise) -> bool:
    """The office, the enterprise's town, or the enterprise's own administrator."""
    if not user.is_authenticated:
        return False
    if user.can_manage:
        return Enterprise.objects.visible_to(user).filter(pk=enterprise.pk).exists()
    if user.role == Role.TOWN:
        return scope_of(user).unit_id == enterprise.town_id
    return is_enterprise_admin(user, enterprise)


def can_decide_registration(user, registration: Registration) -> bool:
    """The office (its county) or the town the enterprise lies in."""
    if not user.is_authenticated:
        return False
    if user.can_manage:
        return Registration.objects.visible_to(user).filter(pk=registration.pk).exists()
    return user.role == Role.TOWN and scope_of(user).unit_id == registration.enterprise.town_id


def _transition(obj, name: str) -> None:
    try:
        getattr(obj, name)()
    except TransitionNotAllowed:
        raise ValidationError(f"该申请当前为“{obj.get_state_display()}”，不能再办理。", code=STALE) from None


def _locked(model, pk):
    return model.objects.select_for_update().select_related("enterprise__town").get(pk=pk)


# --- accounts ------------------------------------------------------------------------------------


def enterprise_unit(*, actor, enterprise: Enterprise) -> OrgUnit:
    """The enterprise's org unit, its accounts' home; made under its town the first time."""
    if enterprise.org_unit_id:
        return enterprise.org_unit
    unit = OrgUnit(name=enterprise.name[:100], kind=OrgUnitKind.ENTERPRISE, parent=enterprise.town)
    unit._history_user = actor
    unit.save()
    enterprise.org_unit = unit
    enterprise._history_user = actor
    enterprise.save(update_fields=["org_unit"])
    return unit


def _check_new_username(username: str, errors: dict) -> str:
    username = (username or "").strip()
    if not USERNAME.match(username):
        errors.setdefault("username", []).append("用户名应为 4-30 位字母、数字或 _ . @ + -。")
    elif (
        User.objects.filter(username__iexact=username).exists()
        or Registration.objects.filter(username__iexact=username, state=RegistrationState.SUBMITTED).exists()
    ):
        errors.setdefault("username", []).append("该用户名已被使用，请换一个。")
    return username


def _check_phone(phone: str, errors: dict) -> str:
    phone = (phone or "").strip().replace(" ", "").replace("-", "")
    if not PHONE.match(phone):
        errors.setdefault("phone", []).append("请填写 11 位手机号码。")
    return phone


@transaction.atomic
def account_create(
    *,
    actor,
    enterprise: Enterprise,
    username: str,
    display_name: str,
    phone: str,
    password: str,
    is_admin: bool = False,
) -> EnterpriseAccount:
    """Open an account for an enterprise (office, its town, or its administrator). The first account
    of an enterprise is its administrator; an enterprise's administrator makes ordinary users."""
    if not can_open_accounts(actor, enterprise):
        raise PermissionDenied("您无权为该企业开通账号。")
    errors: dict[str, list[str]] = {}
    username = _check_new_username(username, errors)
    phone = _check_phone(phone, errors)
    if not (display_name or "").strip():
        errors["display_name"] = ["请填写姓名。"]
    if errors:
        raise ValidationError(errors)
    first = not EnterpriseAccount.objects.filter(enterprise=enterprise, user__is_active=True).exists()
    if is_admin and actor.role == Role.ENTERPRISE:
        raise PermissionDenied("企业管理员只能添加普通用户；更换管理员请联系所在乡镇或领导小组办公室。")
    unit = enterprise_unit(actor=actor, enterprise=enterprise)
    user = user_open(
        actor=actor,
        username=username,
        display_name=display_name,
        role=Role.ENTERPRISE,
        org_unit=unit,
        password=password,
        phone=phone,
    )
    account = EnterpriseAccount(user=user, enterprise=enterprise, is_admin=is_admin or first)
    account._history_user = actor
    account.save()
    return account


@transaction.atomic
def account_remove(*, actor, account: EnterpriseAccount) -> None:
    """Close one of the enterprise's accounts (the account is kept, inactive, with its history)."""
    if not can_open_accounts(actor, account.enterprise):
        raise PermissionDenied("您无权管理该企业的账号。")
    if account.user_id == actor.pk:
        raise ValidationError("不能停用自己的账号。")
    if account.is_admin and actor.role == Role.ENTERPRISE:
        raise PermissionDenied("企业管理员账号由所在乡镇或领导小组办公室管理。")
    user = account.user
    user.is_active = False
    user._history_user = actor
    user.save(update_fields=["is_active"])


# --- self-registration ---------------------------------------------------------------------------


@transaction.atomic
def registration_submit(
    *, uscc: str, contact_name: str, phone: str, username: str, password: str
) -> Registration:
    """An enterprise asks for an account with its USCC, a contact and a phone; its town decides."""
    errors: dict[str, list[str]] = {}
    checked = validate_uscc(uscc or "")
    enterprise = None
    if not checked.ok:
        errors["uscc"] = ["统一社会信用代码有误：" + "；".join(i.message for i in checked.errors) + "。"]
    else:
        enterprise = Enterprise.objects.filter(uscc=checked.normalized).select_related("town").first()
        if enterprise is None:
            errors["uscc"] = ["企业名录中没有该统一社会信用代码，请先联系所在乡镇或园区登记企业信息。"]
        elif Registration.objects.filter(enterprise=enterprise, state=RegistrationState.SUBMITTED).exists():
            errors["uscc"] = ["该企业已有一份注册申请在审核中，请等待审核结果。"]
    if not (contact_name or "").strip():
        errors["contact_name"] = ["请填写联系人姓名。"]
    phone = _check_phone(phone, errors)
    username = _check_new_username(username, errors)
    try:
        validate_password(password, User(username=username, role=Role.ENTERPRISE))
    except ValidationError as error:
        errors["password"] = list(error.messages)
    if errors:
        raise ValidationError(errors)
    registration = Registration(
        enterprise=enterprise,
        uscc=checked.normalized,
        contact_name=contact_name.strip(),
        phone=phone,
        username=username,
        password=make_password(password),
    )
    registration.full_clean(exclude=["password", "state"])
    registration.save()
    from qiangxian.inbox.services import notice_send

    notice_send(
        kind="portal.registration",
        title=f"企业账号注册待审核：{enterprise.name}",
        body=f"联系人 {registration.contact_name}，用户名 {username}。",
        link=f"/portal/registrations/{registration.pk}/",
        units=[enterprise.town_id],
        related=registration,
    )
    return registration


@transaction.atomic
def registration_decide(*, actor, registration: Registration, approve: bool, note: str = "") -> Registration:
    """通过 opens the account with the password the applicant chose; 不通过 needs a reason."""
    registration = _locked(Registration, registration.pk)
    if not can_decide_registration(actor, registration):
        raise PermissionDenied("只有企业所在乡镇或领导小组办公室可以审核注册申请。")
    note = (note or "").strip()
    if approve:
        _transition(registration, "approve")
        if User.objects.filter(username__iexact=registration.username).exists():
            raise ValidationError("申请的用户名已被占用，请退回后请企业重新注册。")
        unit = enterprise_unit(actor=actor, enterprise=registration.enterprise)
        user = user_open(
            actor=actor,
            username=registration.username,
            display_name=registration.contact_name,
            role=Role.ENTERPRISE,
            org_unit=unit,
            password_hash=registration.password,
            phone=registration.phone,
        )
        first = not EnterpriseAccount.objects.filter(
            enterprise=registration.enterprise, user__is_active=True
        ).exists()
        account = EnterpriseAccount(user=user, enterprise=registration.enterprise, is_admin=first)
        account._history_user = actor
        account.save()
        registration.user = user
    else:
        if not note:
            raise ValidationError({"note": "请填写不通过的理由。"})
        _transition(registration, "reject")
    registration.decided_by, registration.decided_at, registration.decision_note = actor, timezone.now(), note
    registration._history_user = actor
    registration.save()
    return registration


# --- record corrections --------------------------------------------------------------------------


@transaction.atomic
def correction_submit(*, actor, enterprise: Enterprise, changes: dict, reason: str) -> CorrectionRequest:
    """The enterprise asks to correct its registry record; nothing changes until the office agrees."""
    own = own_enterprise(actor)
    if own is None or own.pk != enterprise.pk:
        raise PermissionDenied("只有企业本身可以申请更正本企业信息。")
    asked = {}
    for field, value in (changes or {}).items():
        if field not in CORRECTABLE_FIELDS:
            continue
        value = (value or "").strip()
        if value != (getattr(enterprise, field) or ""):
            asked[field] = value
    errors: dict[str, list[str]] = {}
    if not asked:
        errors["__all__"] = ["没有与现有登记不同的内容，无需更正。"]
    if "name" in asked and not asked["name"]:
        errors["name"] = ["企业名称不能为空。"]
    if not (reason or "").strip():
        errors["reason"] = ["请填写更正理由（如营业执照变更）。"]
    if errors:
        raise ValidationError(errors)
    request = CorrectionRequest(
        enterprise=enterprise,
        changes=asked,
        before={f: getattr(enterprise, f) or "" for f in asked},
        reason=reason.strip(),
        requested_by=actor,
    )
    request._history_user = actor
    request.save()
    from qiangxian.inbox.services import notice_send

    offices = OrgUnit.objects.filter(
        kind=OrgUnitKind.OFFICE, is_active=True, county_id=enterprise.town.county_id
    )
    notice_send(
        kind="portal.correction",
        title=f"企业信息更正待审核：{enterprise.name}",
        body="、".join(CORRECTABLE_FIELDS[f] for f in asked),
        link=f"/portal/corrections/{request.pk}/",
        units=list(offices.values_list("pk", flat=True)),
        related=request,
    )
    return request


@transaction.atomic
def correction_decide(
    *, actor, request: CorrectionRequest, approve: bool, note: str = ""
) -> CorrectionRequest:
    """采纳 changes the registry record through the registry's own service (validated, history kept)."""
    from qiangxian.enterprises.services.registry import enterprise_update

    if not actor.can_manage:
        raise PermissionDenied("只有领导小组办公室可以审核企业信息更正。")
    request = _locked(CorrectionRequest, request.pk)
    if not CorrectionRequest.objects.visible_to(actor).filter(pk=request.pk).exists():
        raise PermissionDenied("您无权审核该企业的信息更正。")
    note = (note or "").strip()
    if approve:
        _transition(request, "approve")
        enterprise = Enterprise.objects.get(pk=request.enterprise_id)
        enterprise_update(
            actor=actor, enterprise=enterprise, expected_updated_at=enterprise.updated_at, **request.changes
        )
    else:
        if not note:
            raise ValidationError({"note": "请填写不采纳的理由。"})
        _transition(request, "reject")
    request.decided_by, request.decided_at, request.decision_note = actor, timezone.now(), note
    request._history_user = actor
    request.save()
    from qiangxian.inbox.services import notice_send

    notice_send(
        kind="portal.correction.decided",
        title=f"企业信息更正{request.get_state_display()}",
        body=note,
        link="/portal/record/",
        units=[request.enterprise.org_unit_id] if request.enterprise.org_unit_id else [],
        related=request,
    )
    return request


# --- data requests -------------------------------------------------------------------------------


def _indicator(identifier: str):
    from qiangxian.tiers import tiers as tier_defs
    from qiangxian.tiers.forms import input_unit

    found = tier_defs.catalogue().indicators.get(identifier)
    if found is None:
        raise ValidationError({"indicators": f"指标“{identifier}”不在指标目录中。"})
    return found, input_unit(found)


@transaction.atomic
def data_request_create(
    *,
    actor,
    enterprise: Enterprise,
    title: str,
    year: int,
    indicators: list[str],
    note: str = "",
    due_on: dt.date | None = None,
) -> DataRequest:
    """The office (or the enterprise's town or park) asks the enterprise for assessment data."""
    from qiangxian.tiers.services import can_assess

    if not can_assess(actor, enterprise):
        raise PermissionDenied("您无权向该企业发起数据填报。")
    errors: dict[str, list[str]] = {}
    if not (title or "").strip():
        errors["title"] = ["请填写事项（如：专精特新中小企业申报评价数据）。"]
    if not indicators:
        errors["indicators"] = ["请至少选择一项指标。"]
    if not 2000 <= int(year or 0) <= 2100:
        errors["year"] = ["数据年度应为四位年份。"]
    if due_on is not None and due_on < timezone.localdate():
        errors["due_on"] = ["截止日期不能早于今天。"]
    if errors:
        raise ValidationError(errors)
    request = DataRequest(
        enterprise=enterprise,
        title=title.strip(),
        year=int(year),
        note=(note or "").strip(),
        due_on=due_on,
        requested_by=actor,
    )
    request._history_user = actor
    request.save()
    for identifier in dict.fromkeys(indicators):
        found, (unit, _) = _indicator(identifier)
        item = DataRequestItem(request=request, indicator=found.identifier, label=found.name, unit=unit)
        item._history_user = actor
        item.save()
    from qiangxian.inbox.services import notice_send

    if enterprise.org_unit_id:
        notice_send(
            kind="portal.data_request",
            title=f"请填报：{request.title}",
            body=f"{request.year}年，{len(indicators)}项指标" + (f"，请于 {due_on} 前填报" if due_on else ""),
            link=f"/portal/data/{request.pk}/",
            units=[enterprise.org_unit_id],
            related=request,
        )
    return request


def _amount(raw, label: str, errors: dict, key: str) -> Decimal | None:
    if raw in (None, ""):
        return None
    try:
        value = Decimal(str(raw).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        errors[key] = [f"“{label}”应填数值。"]
        return None
    if not value.is_finite() or len(value.as_tuple().digits) > 15:
        errors[key] = [f"“{label}”数值不正确（最多 15 位有效数字）。"]
        return None
    return value


@transaction.atomic
def data_request_fill(
    *, actor, request: DataRequest, values: dict, evidence=None, submit: bool = True
) -> DataRequest:
    """The enterprise fills the values (in the units shown) with its evidence; held until approved."""
    request = _locked(DataRequest, request.pk)
    own = own_enterprise(actor)
    if own is None or own.pk != request.enterprise_id:
        raise PermissionDenied("只有企业本身可以填报。")
    if request.state not in ("requested", "returned"):
        raise ValidationError(f"该填报当前为“{request.get_state_display()}”，不能再修改。", code=STALE)
    errors: dict[str, list[str]] = {}
    items = list(request.items.all())
    for item in items:
        key = f"item_{item.pk}"
        item.value = _amount(values.get(key), item.label, errors, key)
        if submit and item.value is None and key not in errors:
            errors[key] = [f"请填写“{item.label}”。"]
    if evidence is not None:
        from qiangxian.policies.services.grants import evidence_check

        try:
            evidence_check(evidence)
        except ValidationError as error:
            errors["evidence"] = error.message_dict.get("file", error.messages)
    elif submit and not request.evidence:
        errors["evidence"] = ["请上传证明材料（如审计报告、专利证书）。"]
    if errors:
        raise ValidationError(errors)
    for item in items:
        item._history_user = actor
        item.save(update_fields=["value"])
    if evidence is not None:
        request.evidence.save(evidence.name, evidence, save=False)
    if submit:
        _transition(request, "submit")
        request.submitted_by, request.submitted_at = actor, timezone.now()
        from qiangxian.inbox.services import notice_send

        notice_send(
            kind="portal.data_request.submitted",
            title=f"企业已填报：{request.enterprise.name} · {request.title}",
            link=f"/portal/data/{request.pk}/",
            users=[request.requested_by_id],
            related=request,
        )
    request._history_user = actor
    request.save()
    return request


@transaction.atomic
def data_request_decide(*, actor, request: DataRequest, approve: bool, note: str = "") -> DataRequest:
    """采用 writes every value through the tiers' assessment service (source: this request);
    退回 sends it back with the reason. Until then the values count nowhere."""
    from qiangxian.tiers.services import assessment_value_save, can_assess

    request = _locked(DataRequest, request.pk)
    if not can_assess(actor, request.enterprise):
        raise PermissionDenied("您无权审核该企业的填报。")
    note = (note or "").strip()
    if approve:
        _transition(request, "approve")
        for item in request.items.all():
            _, (_, factor) = _indicator(item.indicator)
            assessment_value_save(
                actor=actor,
                enterprise=request.enterprise,
                indicator=item.indicator,
                year=request.year,
                value=item.value * factor,
                source_note=f"企业填报（{request.title}，审核人 {actor}）",
            )
    else:
        if not note:
            raise ValidationError({"note": "请填写退回的理由。"})
        _transition(request, "send_back")
    request.decided_by, request.decided_at, request.decision_note = actor, timezone.now(), note
    request._history_user = actor
    request.save()
    from qiangxian.inbox.services import notice_send

    if request.enterprise.org_unit_id:
        notice_send(
            kind="portal.data_request.decided",
            title=f"填报{request.get_state_display()}：{request.title}",
            body=note,
            link=f"/portal/data/{request.pk}/",
            units=[request.enterprise.org_unit_id],
            related=request,
        )
    return request
