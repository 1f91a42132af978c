"""The top bar's search over the policy library: by title."""

from __future__ import annotations

from django.urls import reverse

from qiangxian.core import search

from . import selectors
from .filters import PolicyFilter

ROLES = ("admin", "leader", "office", "bureau", "park", "town")


def group(user, query: str, limit: int):
    return search.list_group(
        key="policies",
        label="政策",
        url_name="policies:list",
        queryset=selectors.policy_list(user=user),
        filterset_class=PolicyFilter,
        query=query,
        limit=limit,
        order_by=("-effective_from", "title", "pk"),
        hit=lambda p: search.Hit(
            title=p.title,
            url=reverse("policies:detail", args=[p.pk]),
            note=" · ".join(x for x in (p.doc_number, p.get_status_display()) if x),
        ),
    )
