"""Values every page of the shell needs."""

from __future__ import annotations

from . import navigation


def shell(request) -> dict:
    """The navigation and the user's unit and role for the page shell."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from . import search

    return {"nav_items": navigation.items_for(user, request.path), "can_search": search.available_for(user)}
