"""The audit trail (安全审计): record who did what, from where; keep it; purge only the old.

Every request carries a context (:func:`current`): its id, the user and the client address,
set by ``RequestContextMiddleware``, so a record written deep inside a service still names the
person and the request. Records are append-only (``AuditEvent`` refuses updates and deletes);
:func:`purge` is the one way to remove them, and only past the legal retention.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .choices import AuditKind
from .models import AuditEvent


@dataclass
class RequestContext:
    """What the platform knows about the request being served."""

    request_id: str = ""
    ip: str | None = None
    request: object = None
    # Rows written by the exports of this request, and the watermark they carry.
    rows: int | None = None
    extra: dict = field(default_factory=dict)


_context: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar("qx_request", default=None)


def current() -> RequestContext | None:
    """The context of the request being served (None outside a request: commands, tasks)."""
    return _context.get()


def begin(request) -> contextvars.Token:
    """Open the context of one request; the id comes from the proxy's X-Request-ID when sane."""
    given = request.headers.get("X-Request-ID", "")
    request_id = given if given.isalnum() and len(given) <= 32 else uuid.uuid4().hex[:16]
    request.request_id = request_id
    return _context.set(RequestContext(request_id=request_id, ip=client_ip(request), request=request))


def end(token: contextvars.Token) -> None:
    _context.reset(token)


def client_ip(request) -> str | None:
    """The client's address: the proxy's X-Forwarded-For only when the platform is behind one."""
    address = request.META.get("REMOTE_ADDR")
    if getattr(settings, "QX_BEHIND_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            address = forwarded.split(",")[0].strip()
    return address or None


def current_user():
    """The authenticated user of the current request, if any."""
    ctx = current()
    request = ctx.request if ctx else None
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def count_rows(rows: int) -> None:
    """Called by the Excel writer: the current request's exports wrote this many rows."""
    ctx = current()
    if ctx is not None:
        ctx.rows = (ctx.rows or 0) + rows


def record(
    kind: str,
    *,
    user=None,
    username: str = "",
    target: str = "",
    rows: int | None = None,
    detail: dict | None = None,
    ip: str | None = None,
) -> AuditEvent:
    """Write one audit record; user, address and request id default to the current request's."""
    ctx = current()
    user = user if user is not None else current_user()
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    return AuditEvent.objects.create(
        kind=kind,
        user=user,
        username=username or (user.get_username() if user is not None else ""),
        ip=ip or (ctx.ip if ctx else None),
        request_id=ctx.request_id if ctx else "",
        target=target[:300],
        rows=rows,
        detail=detail or {},
    )


def retention_days() -> int:
    """At least 180 days: the 网络安全法 asks for six months of logs."""
    return max(180, int(getattr(settings, "QX_AUDIT_RETENTION_DAYS", 180)))


@transaction.atomic
def purge(*, before: dt.datetime, actor_name: str = "system") -> int:
    """Delete the records older than ``before``; refuses a date inside the retention period."""
    limit = timezone.now() - dt.timedelta(days=retention_days())
    if before > limit:
        day = timezone.localtime(limit)
        raise ValidationError(f"审计记录至少保留 {retention_days()} 天：只能清理 {day:%Y-%m-%d} 之前的记录。")
    old = AuditEvent.objects.filter(at__lt=before)
    # The one deletion the trail allows, below the model's refusal.
    deleted = old._raw_delete(old.db)
    record(
        AuditKind.PURGE,
        username=actor_name,
        rows=deleted,
        detail={"before": before.isoformat()},
    )
    return deleted


def record_import(kind: str, *, user, label: str, batch, rows: int | None = None) -> AuditEvent:
    """An import batch committed or rolled back (``label`` names the import, e.g. 月度报表)."""
    name = getattr(batch, "file_name", "") or ""
    return record(
        kind,
        user=user,
        target=f"{label}批次 {batch.pk}：{name}".rstrip("："),
        rows=rows,
        detail={"model": batch._meta.label, "batch": batch.pk},
    )


def record_enterprise_view(user, enterprise, *, page: str) -> None:
    """A view of an enterprise's detailed figures by someone outside its town, park or zone.

    Town, park, zone and enterprise users only ever reach their own enterprises (the access
    gate), so the views to record are those of county-wide and bureau users.
    """
    from .access import scope_of

    scope = scope_of(user)
    if scope.kind in ("town", "park", "zone", "enterprise") or not (scope.everything or scope.kind):
        return
    record(
        AuditKind.VIEW_OUTSIDE,
        user=user,
        target=f"{enterprise.name}（{getattr(enterprise, 'uscc', '')}）",
        detail={"enterprise": enterprise.pk, "page": page},
    )
