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
