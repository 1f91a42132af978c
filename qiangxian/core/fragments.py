"""Rendered parts of a page that every user of a scope sees the same, kept until their data changes.

A page's costly body (the dashboard's figures, a list's table) is rendered once per scope and kept
in the cache under a key made of:

- the reader's scope: role, superuser flag, unit and the jurisdiction :func:`access.scope_of`
  derives from them (so a town never gets another town's or county's fragment), plus whatever
  else of the reader changes the markup (permission flags, the user id where rows depend on the
  person, e.g. the enterprises he or she is liaison for), passed by the page;
- the request's query string (filters, sort, page);
- the fingerprint of the data the fragment reads (:mod:`core.versions`): any change to it gives
  a new key, so a kept fragment is never stale and old ones just age out.

A fragment never holds a CSRF token, the reader's name or messages: those stay in the page around
it. Forms inside a fragment are rendered with a placeholder for the token (:func:`render`), which
:func:`cached` replaces with the reader's own token each time the fragment is served.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.core.cache import cache
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from .access import scope_of
from .versions import digest

CACHE_SECONDS = 6 * 60 * 60
# What ``{% csrf_token %}`` writes inside a kept fragment, replaced by the reader's token when served.
CSRF_PLACEHOLDER = "qx-fragment-csrf-token"


def scope_parts(user) -> tuple:
    """What of the reader decides which rows and figures a scope-wide fragment shows."""
    scope = scope_of(user)
    return (
        user.role,
        user.is_superuser,
        user.org_unit_id,
        scope.everything,
        scope.kind,
        scope.unit_id,
        scope.counties,
        scope.level,
    )


def fragment_key(name: str, request, *, version: str, extra: Iterable[object] = ()) -> str:
    """The cache key of fragment ``name`` for this reader, query string and data version."""
    query = sorted((k, tuple(request.GET.getlist(k))) for k in request.GET)
    return f"qx:fragment:{name}:{digest([*scope_parts(request.user), query, version, *extra])}"


def render(template: str, context: dict, request) -> str:
    """A fragment's markup, its forms' CSRF token left as a placeholder."""
    return render_to_string(template, {**context, "csrf_token": CSRF_PLACEHOLDER}, request=request)


def cached(key: str, build: Callable[[], str], request=None) -> SafeString:
    """The fragment kept under ``key``, built (and kept) when missing; with ``request``, its forms
    get the reader's CSRF token."""
    html = cache.get(key)
    if html is None:
        html = str(build())
        cache.set(key, html, CACHE_SECONDS)
    if request is not None and CSRF_PLACEHOLDER in html:
        html = html.replace(CSRF_PLACEHOLDER, get_token(request))
    return mark_safe(html)  # markup rendered by our own templates
