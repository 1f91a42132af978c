"""Pages of the three administrators' split duties and of one's own password.

安全管理员: security settings, role-change approvals, account lockouts, everyone's API tokens.
审计管理员: the audit trail, searched and exported. 系统管理员 (and the office): role-change
requests. Each page refuses every other role, the superuser flag included.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from . import security, services
from .access import scope_of
from .choices import RequestStatus, Role, TokenScope
from .filters import AuditEventFilter
from .forms import OwnPasswordForm, RoleRequestForm, SecuritySettingsForm, apply_validation_error
from .lists import Column, render_list
from .models import ApiToken, AuditEvent, RoleChangeRequest, SecuritySettings
from .selectors import administered_users


def role_required(role: str, message: str):
    """A page for exactly one role."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            security.require_role(request.user, role, message)
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


security_only = role_required(Role.SECURITY, "只有安全管理员可以访问此页面。")
auditor_only = role_required(Role.AUDITOR, "只有审计管理员可以查看审计记录。")


# --- own password --------------------------------------------------------------------------


def password_change(request):
    """Change one's own password (forced for an initial or expired one)."""
    form = OwnPasswordForm(request.POST or None)
    forced = security.must_change_password(request.user)
    if request.method == "POST" and form.is_valid():
        if not request.user.check_password(form.cleaned_data["old_password"]):
            form.add_error("old_password", "当前密码不正确。")
        else:
            try:
                services.user_set_password(
                    actor=request.user, user=request.user, password=form.cleaned_data["password1"]
                )
            except ValidationError as error:
                form.add_error("password1", error.messages)
            else:
                update_session_auth_hash(request, request.user)
                messages.success(request, "密码已修改。")
                return redirect("core:home")
    return render(
        request,
        "core/password_change.html",
        {
            "title": "修改密码",
            "form": form,
            "forced": forced,
            "help": security.PolicyPasswordValidator().get_help_text(),
        },
    )


# --- security administrator ----------------------------------------------------------------


@security_only
def security_settings(request):
    current = security.policy()
    form = SecuritySettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            security.settings_update(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "安全设置已保存。")
            return redirect("core:security_settings")
    return render(request, "core/security_settings.html", {"title": "安全设置", "form": form})


@security_only
def lockouts(request):
    return render(
        request,
        "core/lockouts.html",
        {
            "title": "账号锁定",
            "lockouts": security.locked_accounts(administered_users(request.user))[:200],
            "policy": security.policy(),
        },
    )


@security_only
@require_POST
def user_unlock(request):
    username = request.POST.get("username", "")
    if username and not administered_users(request.user).filter(username=username).exists():
        messages.error(request, f"账号“{username}”不在您管理的范围内。")
        return redirect("core:login_logs")
    cleared = security.unlock(actor=request.user, username=username)
    messages.success(request, f"已解除账号“{username}”的锁定（清除 {cleared} 条记录）。")
    return redirect("core:login_logs")


TOKEN_COLUMNS = [
    Column("user", "用户", sort="user__username"),
    Column("name", "用途", sort="name"),
    Column("prefix", "前缀"),
    Column("scope", "权限", value=lambda t: t.get_scope_display()),
    Column("expires_at", "有效期至", sort="expires_at"),
    Column("last_used_at", "最近使用", sort="last_used_at"),
    Column("last_used_ip", "最近使用地址"),
    Column("revoked", "已吊销"),
]


@security_only
def token_admin(request):
    return render_list(
        request,
        queryset=ApiToken.objects.filter(user__in=administered_users(request.user)).select_related("user"),
        columns=TOKEN_COLUMNS,
        template="core/token_admin.html",
        title="API 令牌",
        default_sort="-created_at",
        export_name="API令牌",
    )


@security_only
@require_POST
def token_admin_revoke(request):
    prefix = request.POST.get("prefix", "").strip().rstrip("…")
    tokens = ApiToken.objects.filter(user__in=administered_users(request.user))
    token = get_object_or_404(tokens, prefix=prefix, revoked=False) if prefix else None
    if token is None:
        messages.error(request, "请填写要吊销的令牌前缀。")
        return redirect("core:token_admin")
    services.api_token_revoke(actor=request.user, token=token)
    messages.success(request, f"已吊销令牌“{token.name}”。")
    return redirect("core:token_admin")


# --- role changes --------------------------------------------------------------------------


def role_requests(request):
    """Requests: the system administrator and the office see theirs; the security administrator decides."""
    user = request.user
    if user.role == Role.SECURITY or user.can_administer:
        queryset = RoleChangeRequest.objects.filter(user__in=administered_users(user))
    else:
        raise PermissionDenied("您无权查看角色变更申请。")
    queryset = queryset.select_related("user", "requested_by", "decided_by", "old_unit", "new_unit")
    return render(
        request,
        "core/role_requests.html",
        {
            "title": "角色变更",
            "pending": queryset.filter(status=RequestStatus.PENDING),
            "decided": queryset.exclude(status=RequestStatus.PENDING)[:100],
            "can_decide": user.role == Role.SECURITY,
        },
    )


def role_request_create(request, pk):
    """The system administrator asks for a user's role change."""
    from .selectors import access_user_by_id

    if not request.user.can_administer:
        raise PermissionDenied("只有系统管理员可以申请角色变更。")
    target = access_user_by_id(request.user, pk)
    form = RoleRequestForm(
        request.POST or None, initial={"new_role": target.role, "new_unit": target.org_unit}
    )
    if request.method == "POST" and form.is_valid():
        try:
            security.role_change_request(actor=request.user, user=target, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "角色变更申请已提交，待安全管理员审批。")
            return redirect("core:role_requests")
    return render(
        request,
        "core/form_page.html",
        {
            "title": f"申请变更角色：{target}",
            "form": form,
            "cancel_url": reverse("core:user_detail", args=[target.pk]),
            "breadcrumbs": [("系统管理", reverse("core:user_list")), ("用户管理", reverse("core:user_list"))],
        },
    )


@security_only
@require_POST
def role_request_decide(request, pk):
    item = get_object_or_404(
        RoleChangeRequest.objects.filter(user__in=administered_users(request.user)), pk=pk
    )
    approve = request.POST.get("decision") == "approve"
    try:
        security.role_change_decide(actor=request.user, request=item, approve=approve)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, "；".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, "已批准，角色已变更。" if approve else "已驳回。")
    return redirect("core:role_requests")


# --- audit administrator -------------------------------------------------------------------


STEPS = {"requested": "申请", "approved": "批准", "rejected": "驳回"}


def _detail(event: AuditEvent) -> str:
    detail = event.detail or {}
    parts = []
    if detail.get("path"):
        parts.append(detail["path"])
    filters = detail.get("filters")
    if filters:
        parts.append("筛选：" + "；".join(f"{k}={','.join(v)}" for k, v in filters.items()))
    if detail.get("scope") in TokenScope.values:
        parts.append(f"权限：{TokenScope(detail['scope']).label}")
    if detail.get("step") in STEPS:
        parts.append(f"环节：{STEPS[detail['step']]}")
    if detail.get("previous"):
        parts.append(f"原地址：{detail['previous']}")
    if detail.get("changed"):
        names = {f.name: f.verbose_name for f in SecuritySettings._meta.fields}
        changes = "；".join(f"{names.get(k, k)} {v[0]}→{v[1]}" for k, v in detail["changed"].items())
        parts.append("修改：" + changes)
    return "  ".join(parts)


AUDIT_COLUMNS = [
    Column("at", "时间", sort="at", value=lambda e: timezone.localtime(e.at).replace(tzinfo=None)),
    Column("kind", "事件", sort="kind", value=lambda e: e.get_kind_display()),
    Column("username", "用户名", sort="username"),
    Column("ip", "地址"),
    Column("target", "对象"),
    Column("rows", "行数", numeric=True),
    Column("detail", "详情", value=_detail),
    Column("request_id", "请求编号"),
]


def audit_events(user):
    """The events of the accounts the auditor looks after (by account, or by the name typed at the
    login page when it names one of them); every event where there is no county boundary."""
    if scope_of(user).counties is None:
        return AuditEvent.objects.all()
    users = administered_users(user)
    return AuditEvent.objects.filter(
        Q(user_id__in=users.values("pk")) | Q(user__isnull=True, username__in=users.values("username"))
    )


@auditor_only
def audit_list(request):
    return render_list(
        request,
        queryset=audit_events(request.user),
        columns=AUDIT_COLUMNS,
        template="core/audit_list.html",
        title="安全审计",
        filterset_class=AuditEventFilter,
        default_sort="-at",
        export_name="审计记录",
    )
