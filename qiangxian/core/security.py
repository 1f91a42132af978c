"""The security administrator's domain: password policy, login lockouts, sessions, tokens, role approvals.

三员分立: the system administrator manages users and units and asks for role changes; the
security administrator sets the rules here and decides role changes; the audit administrator
reads the audit trail. :func:`require_role` is the gate each of their pages and services uses.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.contrib.auth.hashers import check_password
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from . import audit
from .choices import ADMINISTRATOR_ROLES, AuditKind, RequestStatus, Role
from .models import PasswordRecord, RoleChangeRequest, SecuritySettings, User

SETTINGS_CACHE_KEY = "qx:security-settings"
SETTINGS_CACHE_SECONDS = 30


def require_role(user, role: str, message: str) -> None:
    """Refuse anyone but an active user holding exactly ``role`` (no superuser shortcut: 三员分立)."""
    if not (user.is_authenticated and user.is_active and user.role == role):
        raise PermissionDenied(message)


def policy() -> SecuritySettings:
    """The security settings, read at most every half minute per process."""
    cached = cache.get(SETTINGS_CACHE_KEY)
    if cached is None:
        cached = SecuritySettings.current()
        cache.set(SETTINGS_CACHE_KEY, cached, SETTINGS_CACHE_SECONDS)
    return cached


SETTING_FIELDS = [
    "password_min_length",
    "password_classes",
    "password_history",
    "password_max_age_days",
    "lockout_account_failures",
    "lockout_address_failures",
    "lockout_minutes",
    "session_idle_minutes",
    "token_max_days",
]
SETTING_BOUNDS = {
    "password_min_length": (8, 64),
    "password_classes": (1, 4),
    "password_history": (0, 24),
    "password_max_age_days": (0, 3650),
    "lockout_account_failures": (3, 100),
    "lockout_address_failures": (3, 100),
    "lockout_minutes": (1, 24 * 60),
    "session_idle_minutes": (5, 24 * 60),
    "token_max_days": (1, 3650),
}


@transaction.atomic
def settings_update(*, actor, **values) -> SecuritySettings:
    """Change the security settings (security administrator only); the change is audited."""
    require_role(actor, Role.SECURITY, "只有安全管理员可以修改安全设置。")
    current = SecuritySettings.current()
    errors = {}
    changed = {}
    for name, value in values.items():
        if name not in SETTING_FIELDS:
            raise ValidationError({name: "未知的设置项。"})
        low, high = SETTING_BOUNDS[name]
        if value is None or not low <= int(value) <= high:
            errors[name] = f"应在 {low} 到 {high} 之间。"
            continue
        if getattr(current, name) != int(value):
            changed[name] = [getattr(current, name), int(value)]
            setattr(current, name, int(value))
    if errors:
        raise ValidationError(errors)
    if changed:
        current._history_user = actor
        current.save()
        cache.delete(SETTINGS_CACHE_KEY)
        audit.record(AuditKind.SECURITY_CHANGE, user=actor, target="安全设置", detail={"changed": changed})
    return current


# --- passwords -----------------------------------------------------------------------------

CHARACTER_CLASSES = (
    ("大写字母", str.isupper),
    ("小写字母", str.islower),
    ("数字", str.isdigit),
    ("符号", lambda c: not c.isalnum()),
)


class PolicyPasswordValidator:
    """Length and character classes from the security settings."""

    def validate(self, password, user=None):
        rules = policy()
        errors = []
        if len(password) < rules.password_min_length:
            errors.append(
                ValidationError(f"密码至少 {rules.password_min_length} 位。", code="password_too_short")
            )
        used = sum(any(test(c) for c in password) for _, test in CHARACTER_CLASSES)
        if used < rules.password_classes:
            names = "、".join(name for name, _ in CHARACTER_CLASSES)
            errors.append(
                ValidationError(
                    f"密码应至少包含{names}中的 {rules.password_classes} 类。", code="password_classes"
                )
            )
        if errors:
            raise ValidationError(errors)

    def get_help_text(self):
        rules = policy()
        classes = "大写字母、小写字母、数字、符号"
        return f"至少 {rules.password_min_length} 位，包含{classes}中的至少 {rules.password_classes} 类。"


class PasswordHistoryValidator:
    """A new password may not repeat the current one or any of the last few."""

    def validate(self, password, user=None):
        if user is None or user.pk is None:
            return
        keep = policy().password_history
        if keep <= 0:
            return
        earlier = list(PasswordRecord.objects.filter(user=user).values_list("password", flat=True)[:keep])
        current = User.objects.filter(pk=user.pk).values_list("password", flat=True).first()
        if any(check_password(password, hashed) for hashed in [current, *earlier] if hashed):
            raise ValidationError(f"新密码不能与最近 {keep} 次使用过的密码相同。", code="password_reused")

    def get_help_text(self):
        return f"不能与最近 {policy().password_history} 次使用过的密码相同。"


def remember_password(user: User) -> None:
    """Keep the hash of the password just set, and only as many as the policy compares."""
    PasswordRecord.objects.create(user=user, password=user.password)
    keep = max(policy().password_history, 1)
    old = PasswordRecord.objects.filter(user=user).values_list("pk", flat=True)[keep:]
    PasswordRecord.objects.filter(pk__in=list(old)).delete()


def password_expired(user, now: dt.datetime | None = None) -> bool:
    """The password is older than the policy allows (0 days: never expires)."""
    days = policy().password_max_age_days
    if not days:
        return False
    since = user.password_changed_at or user.date_joined
    return since is not None and (now or timezone.now()) - since > dt.timedelta(days=days)


def must_change_password(user) -> bool:
    """The user must choose a new password before doing anything else."""
    return bool(user.is_authenticated and (user.must_change_password or password_expired(user)))


# --- lockouts ------------------------------------------------------------------------------
# The account is locked by django-axes after many failures; the address quickly, here, with a
# counter in the shared cache. An attacker typing a colleague's name from one address is stopped
# by the address lock long before the account would lock.


def account_failure_limit(request=None, credentials=None) -> int:
    return policy().lockout_account_failures


def lockout_cool_off(request=None) -> dt.timedelta:
    return dt.timedelta(minutes=policy().lockout_minutes)


def _address_key(ip: str | None, bucket: str = "login-fail") -> str:
    return f"qx:{bucket}:" + hashlib.sha256((ip or "-").encode()).hexdigest()[:32]


def address_count(ip: str | None, *, bucket: str, seconds: int) -> int:
    """Count one event of a kind (``bucket``) from an address; returns its count within ``seconds``."""
    key = _address_key(ip, bucket)
    if cache.add(key, 1, seconds):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, seconds)
        return 1


def address_events(ip: str | None, *, bucket: str) -> int:
    """Events of a kind counted from an address and not yet expired."""
    return cache.get(_address_key(ip, bucket)) or 0


def address_failed(ip: str | None) -> int:
    """Count one failure from an address; returns its failures within the lockout time."""
    return address_count(ip, bucket="login-fail", seconds=policy().lockout_minutes * 60)


def address_locked(ip: str | None) -> bool:
    return address_events(ip, bucket="login-fail") >= policy().lockout_address_failures


def address_reset(ip: str | None) -> None:
    cache.delete(_address_key(ip))


def account_locked(username: str) -> bool:
    """The account has reached the failure limit within the cool-off time (django-axes' records)."""

    return locked_accounts().filter(username=username).exists()


def locked_accounts(users=None):
    """Accounts locked now (failures summed over the addresses they came from, as axes counts);
    only those of ``users`` (a user queryset: the administrator's accounts) when given."""
    from axes.models import AccessAttempt
    from django.db.models import Max, Sum

    since = timezone.now() - lockout_cool_off()
    attempts = AccessAttempt.objects.filter(attempt_time__gte=since)
    if users is not None:
        attempts = attempts.filter(username__in=users.values("username"))
    return (
        attempts.values("username")
        .annotate(failures=Sum("failures_since_start"), last_attempt=Max("attempt_time"))
        .filter(failures__gte=account_failure_limit())
        .order_by("-last_attempt")
    )


def unlock(*, actor, username: str) -> int:
    """Lift an account's lockout (security administrator); audited."""
    from axes.utils import reset

    require_role(actor, Role.SECURITY, "只有安全管理员可以解除账号锁定。")
    cleared = reset(username=username)
    audit.record(AuditKind.SECURITY_CHANGE, user=actor, target=f"解除锁定：{username}", rows=cleared)
    return cleared


# --- role changes --------------------------------------------------------------------------


def role_change_request(*, actor, user: User, new_role: str, new_unit, reason: str = "") -> RoleChangeRequest:
    """The system administrator (or the office, for ordinary roles) asks for a role change."""
    from .services import check_role_unit, require_admin

    require_admin(actor)
    if new_role in ADMINISTRATOR_ROLES and actor.role != Role.ADMIN:
        raise PermissionDenied("只有系统管理员可以申请授予管理员角色。")
    if user.pk == actor.pk:
        raise PermissionDenied("不能为自己申请角色变更。")
    check_role_unit(new_role, new_unit)
    if new_role == user.role and new_unit == user.org_unit:
        raise ValidationError({"role": "角色和单位均未改变。"})
    if RoleChangeRequest.objects.filter(user=user, status=RequestStatus.PENDING).exists():
        raise ValidationError({"role": "该用户已有待审批的角色变更申请。"})
    request = RoleChangeRequest(
        user=user,
        old_role=user.role,
        new_role=new_role,
        old_unit=user.org_unit,
        new_unit=new_unit,
        reason=reason.strip()[:300],
        requested_by=actor,
    )
    request._history_user = actor
    request.save()
    audit.record(
        AuditKind.ROLE_CHANGE,
        user=actor,
        target=f"申请：{user.username} {user.get_role_display()} → {Role(new_role).label}",
        detail={"request": request.pk, "step": "requested", "new_unit": getattr(new_unit, "name", "")},
    )
    return request


@transaction.atomic
def role_change_decide(*, actor, request: RoleChangeRequest, approve: bool) -> RoleChangeRequest:
    """The security administrator approves (the role changes) or rejects a pending request."""
    require_role(actor, Role.SECURITY, "只有安全管理员可以审批角色变更。")
    request = RoleChangeRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != RequestStatus.PENDING:
        raise ValidationError("该申请已处理。")
    if request.user_id == actor.pk or request.requested_by_id == actor.pk:
        raise PermissionDenied("不能审批与自己有关的角色变更。")
    request.status = RequestStatus.APPROVED if approve else RequestStatus.REJECTED
    request.decided_by = actor
    request.decided_at = timezone.now()
    request._history_user = actor
    request.save()
    if approve:
        user = request.user
        user.role = request.new_role
        user.org_unit = request.new_unit
        user._history_user = actor
        user.save(update_fields=["role", "org_unit"])
    audit.record(
        AuditKind.ROLE_CHANGE,
        user=actor,
        target=(
            f"{'批准' if approve else '驳回'}：{request.user.username} "
            f"{Role(request.old_role).label} → {Role(request.new_role).label}"
        ),
        detail={"request": request.pk, "step": "approved" if approve else "rejected"},
    )
    return request
