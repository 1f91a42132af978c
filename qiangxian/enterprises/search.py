"""The top bar's search over the registry: name, short name, former name, code or pinyin initials."""

from __future__ import annotations

from django.urls import reverse

from qiangxian.core import search

from . import selectors
from .filters import EnterpriseFilter

ROLES = ("admin", "leader", "office", "bureau", "park", "town")


def group(user, query: str, limit: int):
    return search.list_group(
        key="enterprises",
        label="企业",
        url_name="enterprises:list",
        queryset=selectors.enterprise_list(user=user),
        filterset_class=EnterpriseFilter,
        query=query,
        limit=limit,
        order_by=("name", "pk"),
        user=user,
        hit=lambda e: search.Hit(
            title=e.name,
            url=reverse("enterprises:detail", args=[e.pk]),
            note=" · ".join(x for x in (e.short_name, e.uscc, getattr(e.town, "name", "")) if x),
        ),
    )
