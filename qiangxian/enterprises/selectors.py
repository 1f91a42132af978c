"""Reads of the registry, always through ``Enterprise.objects.visible_to(user)``."""

from __future__ import annotations

from django.db.models import Count, Q

from qiangxian.core.access import get_visible_or_404

from .models import Enterprise


def enterprise_list(*, user, query: str = ""):
    """Enterprises the user may see, with their places joined for display."""
    qs = Enterprise.objects.visible_to(user).select_related("town", "park", "zone")
    if query:
        qs = qs.filter(enterprise_search_q(query))
    return qs


def enterprise_search_q(query: str) -> Q:
    """Match by name, short name, code or pinyin initials (e.g. "qsxy" for 青山鞋业)."""
    query = query.strip()
    q = Q(name__icontains=query) | Q(short_name__icontains=query) | Q(uscc__icontains=query.upper())
    if query.isascii() and query.isalpha():
        q |= Q(pinyin_initials__icontains=query.lower())
    return q


def access_enterprise_by_id(user, pk) -> Enterprise:
    """One enterprise, or the same "not found" for missing and forbidden."""
    return get_visible_or_404(Enterprise.objects.select_related("town", "park", "zone"), user, pk)


def enterprise_overview(*, user) -> dict:
    """Counts for the landing page, within the user's scope."""
    qs = Enterprise.objects.visible_to(user)
    totals = qs.aggregate(total=Count("pk"), above=Count("pk", filter=Q(above_scale=True)),
                          in_park=Count("pk", filter=Q(park__isnull=False)))
    by_town = list(qs.values("town__name").annotate(n=Count("pk"), above=Count("pk", filter=Q(above_scale=True)))
                   .order_by("-n", "town__name"))
    return {**totals, "by_town": by_town}
