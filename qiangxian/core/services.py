"""Writes of org units, users, tokens and jobs. Keyword-only, one transaction, validated first."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from axes.utils import reset
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from . import audit
from .choices import ADMINISTRATOR_ROLES, ROLE_UNIT_KINDS, AuditKind, JobStatus, OrgUnitKind, Role, TokenScope
from .models import ApiToken, BackgroundJob, OrgUnit, User

# Which parent kinds each unit kind may hang under.
PARENT_KINDS: dict[str, set[str | None]] = {
    OrgUnitKind.PROVINCE: {None},
    OrgUnitKind.CITY: {None, OrgUnitKind.PROVINCE},
    OrgUnitKind.COUNTY: {None, OrgUnitKind.CITY, OrgUnitKind.PROVINCE},
    OrgUnitKind.OFFICE: {OrgUnitKind.PROVINCE, OrgUnitKind.CITY, OrgUnitKind.COUNTY, OrgUnitKind.BUREAU},
    OrgUnitKind.BUREAU: {OrgUnitKind.COUNTY},
    OrgUnitKind.TOWN: {OrgUnitKind.COUNTY},
    OrgUnitKind.PARK: {OrgUnitKind.COUNTY},
    OrgUnitKind.ZONE: {OrgUnitKind.PARK},
    OrgUnitKind.ENTERPRISE: {OrgUnitKind.COUNTY, OrgUnitKind.TOWN, OrgUnitKind.PARK, OrgUnitKind.ZONE},
}


def require_admin(actor) -> None:
    """Users and units are managed by the office and the system administrator only."""
    if not actor.can_administer:
        raise PermissionDenied("只有领导小组办公室和系统管理员可以管理单位和用户。")


_require_admin = require_admin


def _check_unit(kind: str, parent: OrgUnit | None) -> None:
    allowed = PARENT_KINDS.get(kind, set())
    parent_kind = parent.kind if parent else None
    if parent_kind not in allowed:
        names = "、".join(OrgUnitKind(k).label for k in allowed if k) or "无（顶级单位）"
        raise ValidationError({"parent": f"“{OrgUnitKind(kind).label}”的上级单位应为：{names}。"})


def _check_county_boundary(unit: OrgUnit) -> None:
    """A county with no city or province above it carries no county boundary (``core.access``: it
    is the whole installation), so it must be the only county: a second county comes only once the
    first has been placed under a city or province, and then every county sits under one."""
    if unit.kind != OrgUnitKind.COUNTY:
        return
    others = OrgUnit.objects.filter(kind=OrgUnitKind.COUNTY).exclude(pk=unit.pk)
    if unit.parent_id is None and others.exists():
        raise ValidationError({"parent": "已有其他县：县应设在市或省之下，各县的数据才互不可见。"})
    lone = others.filter(parent__isnull=True).first()
    if lone is not None:
        raise ValidationError({"parent": f"请先为“{lone.name}”设置上级市或省，再增加其他县。"})


@transaction.atomic
def org_unit_create(
    *, actor, name: str, kind: str, parent: OrgUnit | None, code: str = "", sort_order: int = 0
) -> OrgUnit:
    """Create an org unit under a parent of a fitting kind."""
    _require_admin(actor)
    _check_unit(kind, parent)
    unit = OrgUnit(name=name.strip(), kind=kind, parent=parent, code=code.strip(), sort_order=sort_order)
    _check_county_boundary(unit)
    unit.full_clean()
    unit._history_user = actor
    unit.save()
    return unit


@transaction.atomic
def org_unit_update(*, actor, unit: OrgUnit, **fields) -> OrgUnit:
    """Change an org unit; the kind/parent rule still holds and a unit cannot become its own ancestor."""
    _require_admin(actor)
    for key, value in fields.items():
        setattr(unit, key, value)
    _check_unit(unit.kind, unit.parent)
    node = unit.parent
    while node is not None:
        if node.pk == unit.pk:
            raise ValidationError({"parent": "上级单位不能是本单位或其下级单位。"})
        node = node.parent
    _check_county_boundary(unit)
    unit.full_clean()
    unit._history_user = actor
    unit.save()
    return unit


def check_role_unit(role: str, unit: OrgUnit | None) -> None:
    """The unit fits the role; the three administrators may belong to no unit."""
    if role in ADMINISTRATOR_ROLES and unit is None:
        return
    if unit is None:
        raise ValidationError({"org_unit": "请选择所属单位。"})
    if unit.kind not in ROLE_UNIT_KINDS[role]:
        kinds = "、".join(OrgUnitKind(k).label for k in ROLE_UNIT_KINDS[role])
        raise ValidationError({"org_unit": f"“{Role(role).label}”应属于以下类型的单位：{kinds}。"})


@transaction.atomic
def user_create(
    *,
    actor,
    username: str,
    display_name: str,
    role: str,
    org_unit: OrgUnit | None,
    password: str,
    phone: str = "",
    is_unit_leader: bool = False,
) -> User:
    """Create a user in a unit that fits the role, with a password that passes the validators."""
    _require_admin(actor)
    if role in ADMINISTRATOR_ROLES and actor.role != Role.ADMIN and not actor.is_superuser:
        raise PermissionDenied("只有系统管理员可以创建管理员账号。")
    return user_open(
        actor=actor,
        username=username,
        display_name=display_name,
        role=role,
        org_unit=org_unit,
        password=password,
        phone=phone,
        is_unit_leader=is_unit_leader,
    )


@transaction.atomic
def user_open(
    *,
    actor,
    username: str,
    display_name: str,
    role: str,
    org_unit: OrgUnit | None,
    password: str = "",
    password_hash: str = "",
    phone: str = "",
    is_unit_leader: bool = False,
) -> User:
    """Open an account once the caller has checked the actor may (``user_create``, or a module that
    opens its own users' accounts, such as an enterprise's). A password typed by someone else is an
    initial one, changed at first login; ``password_hash`` is one the owner chose and keeps."""
    check_role_unit(role, org_unit)
    user = User(
        username=username.strip(),
        display_name=display_name.strip(),
        role=role,
        org_unit=org_unit,
        phone=phone.strip(),
        is_unit_leader=is_unit_leader,
        # The initial password is known to whoever set it: its owner changes it at first login.
        must_change_password=not password_hash,
        password_changed_at=timezone.now(),
    )
    if password_hash:
        user.password = password_hash
    else:
        validate_password(password, user)
        user.set_password(password)
    user.full_clean()
    user._history_user = actor
    user.save()
    _remember_password(user)
    audit.record(
        AuditKind.ROLE_CHANGE,
        user=actor,
        target=f"新建账号：{user.username}（{user.get_role_display()}）",
        detail={"role": role, "unit": getattr(org_unit, "name", "")},
    )
    return user


def _remember_password(user: User) -> None:
    from .security import remember_password

    remember_password(user)


@transaction.atomic
def user_update(*, actor, user: User, **fields) -> User:
    """Change a user's name, unit (within the role), phone, unit-leader or active flag.

    A role is never changed here: the change is asked for (``security.role_change_request``)
    and decided by the security administrator. Changes of unit or active flag are audited.
    """
    _require_admin(actor)
    if "role" in fields and fields["role"] != user.role:
        raise PermissionDenied("角色变更须提交申请，由安全管理员审批。")
    fields.pop("role", None)
    if user.role in ADMINISTRATOR_ROLES and actor.role != Role.ADMIN and not actor.is_superuser:
        raise PermissionDenied("只有系统管理员可以修改管理员账号。")
    audited = ("org_unit_id", "is_active", "is_unit_leader")
    before = {name.removesuffix("_id"): getattr(user, name) for name in audited}
    for key, value in fields.items():
        setattr(user, key, value)
    check_role_unit(user.role, user.org_unit)
    user.full_clean()
    user._history_user = actor
    user.save()
    after = {name.removesuffix("_id"): getattr(user, name) for name in audited}
    if after != before:
        audit.record(
            AuditKind.ACCOUNT_CHANGE,
            user=actor,
            target=f"账号：{user.username}",
            detail={"before": before, "after": after},
        )
    return user


@transaction.atomic
def user_set_password(*, actor, user: User, password: str) -> None:
    """Set a new password (validated) and lift any lockout on the account."""
    if actor.pk != user.pk:
        _require_admin(actor)
        if user.role in ADMINISTRATOR_ROLES and actor.role != Role.ADMIN and not actor.is_superuser:
            raise PermissionDenied("只有系统管理员可以重置管理员账号的密码。")
    validate_password(password, user)
    user.set_password(password)
    user.password_changed_at = timezone.now()
    # A password set by someone else is an initial one: its owner must replace it.
    user.must_change_password = actor.pk != user.pk
    user._history_user = actor
    user.save(update_fields=["password", "password_changed_at", "must_change_password"])
    _remember_password(user)
    reset(username=user.username)
    if actor.pk != user.pk:
        audit.record(AuditKind.ACCOUNT_CHANGE, user=actor, target=f"重置密码：{user.username}")


@transaction.atomic
def api_token_create(
    *, actor, name: str, scope: str = TokenScope.READ, days: int | None = None
) -> tuple[ApiToken, str]:
    """A new API token for the actor, read-only unless asked, expiring within the policy's limit.

    The clear key is returned once and never stored; the creation is audited.
    """
    from .security import policy

    if not name.strip():
        raise ValidationError({"name": "请填写令牌用途。"})
    if scope not in TokenScope.values:
        raise ValidationError({"scope": "请选择令牌权限。"})
    limit = policy().token_max_days
    days = limit if days is None else days
    if not 1 <= days <= limit:
        raise ValidationError({"days": f"有效期应在 1 到 {limit} 天之间。"})
    key = "qx_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=actor,
        name=name.strip(),
        prefix=key[3:11],
        key_hash=hashlib.sha256(key.encode()).hexdigest(),
        scope=scope,
        expires_at=timezone.now() + dt.timedelta(days=days),
    )
    audit.record(
        AuditKind.TOKEN_CREATED,
        user=actor,
        target=str(token),
        detail={"scope": scope, "expires_at": token.expires_at.isoformat()},
    )
    return token, key


def api_token_revoke(*, actor, token: ApiToken) -> None:
    """Revoke a token: one's own, or anyone's for the security administrator (audited then)."""
    if token.user_id != actor.pk and actor.role != Role.SECURITY:
        raise PermissionDenied("只能吊销自己的令牌。")
    ApiToken.objects.filter(pk=token.pk).update(revoked=True)
    token.revoked = True
    if token.user_id != actor.pk:
        audit.record(AuditKind.SECURITY_CHANGE, user=actor, target=f"吊销令牌：{token}（{token.user}）")


def api_token_lookup(key: str, *, ip: str | None = None) -> ApiToken | None:
    """The token of a key if it may be used now: not revoked, not expired, its user active and
    not locked out. Its use is recorded (at most once a minute), and a use from an address it
    was not used from before is audited."""
    from .security import account_locked

    digest = hashlib.sha256(key.encode()).hexdigest()
    token = ApiToken.objects.select_related("user").filter(key_hash=digest, revoked=False).first()
    now = timezone.now()
    if token is None or (token.expires_at is not None and token.expires_at <= now):
        return None
    if not token.user.is_active or account_locked(token.user.username):
        return None
    new_address = ip is not None and ip != token.last_used_ip
    if new_address:
        audit.record(
            AuditKind.TOKEN_NEW_ADDRESS,
            user=token.user,
            target=str(token),
            ip=ip,
            detail={"previous": token.last_used_ip},
        )
    if new_address or token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
        # One write a minute, not one a request.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now, last_used_ip=ip or token.last_used_ip)
    return token


def api_token_user(key: str, *, ip: str | None = None) -> User | None:
    """The user a usable token key belongs to; None for unknown, revoked, expired or locked."""
    token = api_token_lookup(key, ip=ip)
    return token.user if token is not None else None


def job_create(*, owner, kind: str, title: str, params: dict | None = None) -> BackgroundJob:
    """Record a background job before its task is enqueued, so the page can show it at once."""
    return BackgroundJob.objects.create(owner=owner, kind=kind, title=title, params=params or {})


def job_progress(job: BackgroundJob, *, done: int, total: int | None = None, message: str = "") -> None:
    """Report progress from inside a task."""
    job.status = JobStatus.RUNNING
    job.done = done
    if total is not None:
        job.total = total
    if message:
        job.message = message
    job.save(update_fields=["status", "done", "total", "message"])


def job_finish(job: BackgroundJob, *, ok: bool, message: str = "", result_file: str = "") -> None:
    """Mark a job finished, successfully or not, with a message for the user."""
    job.status = JobStatus.SUCCEEDED if ok else JobStatus.FAILED
    job.message = message
    job.result_file = result_file
    job.finished_at = timezone.now()
    if ok:
        job.done = job.total
    job.save(update_fields=["status", "message", "result_file", "finished_at", "done"])
