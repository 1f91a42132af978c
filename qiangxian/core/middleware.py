"""Every page needs a logged-in user except the few listed here."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse

# The API authenticates on its own (session or token) and answers 401 in JSON, not a redirect.
PUBLIC_PREFIXES = ("/static/", "/healthz", "/api/", "/favicon.ico")


class LoginRequiredMiddleware:
    """Redirect anonymous users to the login page for everything but public paths."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.user.is_authenticated:
            return None
        path = request.path_info
        if path.startswith(PUBLIC_PREFIXES) or getattr(view_func, "login_not_required", False):
            return None
        if path == reverse(settings.LOGIN_URL):
            return None
        return redirect_to_login(request.get_full_path())


class EnterpriseGateMiddleware:
    """An enterprise user reaches only the pages its modules opened to it; the rest answer 404.

    The API is left to its selectors (each answers an enterprise its own records and refuses it
    the aggregates); pages are refused here whatever their view would have shown.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from django.http import Http404

        from . import navigation

        user = request.user
        if not user.is_authenticated or user.role != navigation.ENTERPRISE_ROLE:
            return None
        if request.path_info.startswith(PUBLIC_PREFIXES):
            return None
        match = request.resolver_match
        if match is not None and navigation.enterprise_may_open(match.view_name):
            return None
        raise Http404("未找到该页面，或企业账号无权访问。")


def _filename(disposition: str) -> str:
    """The file name of a Content-Disposition header (RFC 5987 form first)."""
    import re
    from urllib.parse import unquote

    encoded = re.search(r"filename\*=utf-8''([^;]+)", disposition, re.IGNORECASE)
    if encoded:
        return unquote(encoded.group(1))
    plain = re.search(r'filename="?([^";]+)"?', disposition)
    return plain.group(1) if plain else ""


# Query parameters that say how a list is shown or paged, not which rows it holds.
NOT_FILTERS = {"export", "page", "sort"}


class RequestContextMiddleware:
    """Give each request an id and a context (user, address) for logs and the audit trail.

    Every file the platform hands out passes here: it is marked ``Cache-Control: no-store``
    (no proxy or browser cache keeps a copy) and recorded in the audit trail with who took it,
    which page and filters, and how many rows the Excel writer put in it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from . import audit

        token = audit.begin(request)
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request.request_id
            disposition = response.get("Content-Disposition", "")
            if disposition.startswith("attachment"):
                response["Cache-Control"] = "no-store"
                response["Pragma"] = "no-cache"
                self._record(request, response, disposition, audit)
            return response
        finally:
            audit.end(token)

    @staticmethod
    def _record(request, response, disposition: str, audit) -> None:
        from .choices import AuditKind

        ctx = audit.current()
        filename = _filename(disposition)
        filters = {k: v for k, v in request.GET.lists() if k not in NOT_FILTERS}
        rows = ctx.rows if ctx is not None else None
        audit.record(
            AuditKind.EXPORT if rows is not None else AuditKind.DOWNLOAD,
            target=filename,
            rows=rows if rows is not None else getattr(response, "qx_rows", None),
            detail={"path": request.path, "filters": filters, "status": response.status_code},
        )


class SessionActivityMiddleware:
    """End a session idle longer than the security settings allow; refresh it at most once a minute.

    Django's SESSION_SAVE_EVERY_REQUEST wrote the session on every request; here the activity
    mark is written only when it is older than QX_SESSION_REFRESH_SECONDS, which keeps the idle
    limit exact to a minute for a fraction of the writes.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        import time

        from django.contrib.auth import logout

        from .security import policy

        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            now = int(time.time())
            seen = request.session.get("_qx_seen")
            idle = policy().session_idle_minutes * 60
            if seen is not None and now - seen > idle:
                logout(request)
                if not request.path_info.startswith(PUBLIC_PREFIXES):
                    return redirect_to_login(request.get_full_path())
            elif seen is None or now - seen >= settings.QX_SESSION_REFRESH_SECONDS:
                request.session["_qx_seen"] = now
        return self.get_response(request)


class PasswordChangeMiddleware:
    """Send a user whose password is initial or expired to the password page before anything else."""

    ALLOWED = ("/static/", "/healthz", "/favicon.ico")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from django.shortcuts import redirect

        from .security import must_change_password

        user = request.user
        if not user.is_authenticated or request.path_info.startswith(self.ALLOWED):
            return None
        if request.path_info in (reverse("core:password_change"), reverse("core:logout")):
            return None
        if not must_change_password(user):
            return None
        if request.path_info.startswith("/api/"):
            from django.http import JsonResponse

            return JsonResponse({"detail": "请先在页面上修改初始密码或已过期的密码。"}, status=403)
        return redirect("core:password_change")


class CurrentRequestMiddleware:
    """Keep the request being served where the access gate can find its user (form choices)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from .access import _current_request

        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)
