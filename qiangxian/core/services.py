"""Writes of org units, users, tokens and jobs. Keyword-only, one transaction, validated first."""

from __future__ import annotations

import hashlib
import secrets

from axes.utils import reset
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from .choices import ROLE_UNIT_KINDS, JobStatus, OrgUnitKind, Role
from .models import ApiToken, BackgroundJob, OrgUnit, User

# Which parent kinds each unit kind may hang under.
PARENT_KINDS: dict[str, set[str | None]] = {
    OrgUnitKind.COUNTY: {None},
    OrgUnitKind.OFFICE: {OrgUnitKind.COUNTY, OrgUnitKind.BUREAU},
    OrgUnitKind.BUREAU: {OrgUnitKind.COUNTY},
    OrgUnitKind.TOWN: {OrgUnitKind.COUNTY},
    OrgUnitKind.PARK: {OrgUnitKind.COUNTY},
    OrgUnitKind.ZONE: {OrgUnitKind.PARK},
    OrgUnitKind.ENTERPRISE: {OrgUnitKind.COUNTY, OrgUnitKind.TOWN, OrgUnitKind.PARK, OrgUnitKind.ZONE},
}


def _require_admin(actor) -> None:
    if not actor.can_administer:
        raise PermissionDenied("只有领导小组办公室和系统管理员可以管理单位和用户。")


def _check_unit(kind: str, parent: OrgUnit | None) -> None:
    allowed = PARENT_KINDS.get(kind, set())
    parent_kind = parent.kind if parent else None
    if parent_kind not in allowed:
        names = "、".join(OrgUnitKind(k).label for k in allowed if k) or "无（顶级单位）"
        raise ValidationError({"parent": f"“{OrgUnitKind(kind).label}”的上级单位应为：{names}。"})


@transaction.atomic
def org_unit_create(
    *, actor, name: str, kind: str, parent: OrgUnit | None, code: str = "", sort_order: int = 0
) -> OrgUnit:
    """Create an org unit under a parent of a fitting kind."""
    _require_admin(actor)
    _check_unit(kind, parent)
    unit = OrgUnit(name=name.strip(), kind=kind, parent=parent, code=code.strip(), sort_order=sort_order)
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
    unit.full_clean()
    unit._history_user = actor
    unit.save()
    return unit


def _check_role(role: str, unit: OrgUnit | None) -> None:
    if role == Role.ADMIN and unit is None:
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
) -> User:
    """Create a user in a unit that fits the role, with a password that passes the validators."""
    _require_admin(actor)
    if role == Role.ADMIN and actor.role != Role.ADMIN and not actor.is_superuser:
        raise PermissionDenied("只有系统管理员可以创建系统管理员账号。")
    _check_role(role, org_unit)
    user = User(
        username=username.strip(),
        display_name=display_name.strip(),
        role=role,
        org_unit=org_unit,
        phone=phone.strip(),
    )
    validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user._history_user = actor
    user.save()
    return user


@transaction.atomic
def user_update(*, actor, user: User, **fields) -> User:
    """Change a user's name, role, unit, phone or active flag."""
    _require_admin(actor)
    new_role = fields.get("role", user.role)
    if (
        new_role == Role.ADMIN
        and user.role != Role.ADMIN
        and actor.role != Role.ADMIN
        and not actor.is_superuser
    ):
        raise PermissionDenied("只有系统管理员可以授予系统管理员角色。")
    for key, value in fields.items():
        setattr(user, key, value)
    _check_role(user.role, user.org_unit)
    user.full_clean()
    user._history_user = actor
    user.save()
    return user


@transaction.atomic
def user_set_password(*, actor, user: User, password: str) -> None:
    """Set a new password (validated) and lift any lockout on the account."""
    if actor.pk != user.pk:
        _require_admin(actor)
    validate_password(password, user)
    user.set_password(password)
    user._history_user = actor
    user.save(update_fields=["password"])
    reset(username=user.username)


def user_unlock(*, actor, username: str) -> int:
    """Lift the login lockout of one account; returns how many attempt records were cleared."""
    _require_admin(actor)
    return reset(username=username)


@transaction.atomic
def api_token_create(*, actor, name: str) -> tuple[ApiToken, str]:
    """A new API token for the actor; the clear key is returned once and never stored."""
    if not name.strip():
        raise ValidationError({"name": "请填写令牌用途。"})
    key = "qx_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=actor, name=name.strip(), prefix=key[3:11], key_hash=hashlib.sha256(key.encode()).hexdigest()
    )
    return token, key


def api_token_revoke(*, actor, token: ApiToken) -> None:
    """Revoke one of the actor's tokens."""
    if token.user_id != actor.pk:
        raise PermissionDenied("只能吊销自己的令牌。")
    token.revoked = True
    token.save(update_fields=["revoked"])


def api_token_user(key: str) -> User | None:
    """The active user a token key belongs to, recording its use; None for unknown or revoked keys."""
    digest = hashlib.sha256(key.encode()).hexdigest()
    token = ApiToken.objects.select_related("user").filter(key_hash=digest, revoked=False).first()
    if token is None or not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user


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
