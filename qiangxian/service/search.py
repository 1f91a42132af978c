"""The top bar's search over enterprise demands: by number, title or enterprise."""

from __future__ import annotations

from django.urls import reverse

from qiangxian.core import search

from . import selectors
from .filters import DemandFilter

ROLES = ("admin", "leader", "office", "bureau", "park", "town")


def group(user, query: str, limit: int):
    return search.list_group(
        key="demands",
        label="企业诉求",
        url_name="service:demands",
        queryset=selectors.demand_list(user=user),
        filterset_class=DemandFilter,
        query=query,
        limit=limit,
        order_by=("-code", "pk"),
        hit=lambda d: search.Hit(
            title=f"{d.code} {d.title}",
            url=reverse("service:demand_detail", args=[d.pk]),
            note=f"{d.enterprise.name} · {d.get_state_display()}",
        ),
    )
