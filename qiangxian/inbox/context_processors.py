"""The unread count on the top bar, computed only when the page renders it (one COUNT query)."""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from . import selectors


def inbox(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"inbox_unread": SimpleLazyObject(lambda: selectors.unread_count(user=user))}
