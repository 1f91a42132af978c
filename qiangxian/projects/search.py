"""The top bar's search over projects: name, code or investor."""

from __future__ import annotations

from django.urls import reverse

from qiangxian.core import search

from . import selectors
from .filters import ProjectFilter

ROLES = ("admin", "leader", "office", "bureau", "park", "town")


def group(user, query: str, limit: int):
    return search.list_group(
        key="projects",
        label="项目",
        url_name="projects:list",
        queryset=selectors.project_list(user=user),
        filterset_class=ProjectFilter,
        query=query,
        limit=limit,
        order_by=("name", "pk"),
        hit=lambda p: search.Hit(
            title=p.name,
            url=reverse("projects:detail", args=[p.pk]),
            note=f"{p.code} · {p.get_stage_display()}",
        ),
    )
