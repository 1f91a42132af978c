"""Logins, failures and logouts go to the audit trail (the platform's one login log)."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed


def _logged_in(sender, request, user, **kwargs):
    import time

    from . import audit, security
    from .choices import AuditKind

    security.address_reset(audit.client_ip(request))
    security.policy()  # read once here, so the first page after login is served like any other
    if hasattr(request, "session"):
        request.session["_qx_seen"] = int(time.time())  # the session is being saved anyway
    audit.record(AuditKind.LOGIN, user=user, ip=audit.client_ip(request))


def _logged_out(sender, request, user, **kwargs):
    from . import audit
    from .choices import AuditKind

    if user is not None:
        audit.record(AuditKind.LOGOUT, user=user, ip=audit.client_ip(request) if request else None)


def _login_failed(sender, credentials, request=None, **kwargs):
    from . import audit, security
    from .choices import AuditKind

    ip = audit.client_ip(request) if request is not None else None
    failures = security.address_failed(ip)
    audit.record(
        AuditKind.LOGIN_FAILED,
        username=str(credentials.get("username", ""))[:150],
        ip=ip,
        detail={"address_failures": failures},
    )


def connect() -> None:
    user_logged_in.connect(_logged_in, dispatch_uid="qx-audit-login")
    user_logged_out.connect(_logged_out, dispatch_uid="qx-audit-logout")
    user_login_failed.connect(_login_failed, dispatch_uid="qx-audit-login-failed")
