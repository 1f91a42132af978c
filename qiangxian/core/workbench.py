"""The workbench (工作台): each role's first screen, built from what the apps contribute.

The core knows no domain. Each app registers, in ``AppConfig.ready()``, a callable that takes
the user and returns the sections it has for that user (an empty list when it has nothing), the
same way apps register their navigation. A section holds items: a count that links to the list
it was counted from, or a figure (a target's completion) that links to its page.

:func:`counted` builds a count item from the list's own queryset and filterset with the query
parameters of its link, so the number on the workbench is the number the list shows.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from types import SimpleNamespace
from urllib.parse import urlencode

from django.http import QueryDict
from django.urls import reverse

logger = logging.getLogger(__name__)

TONES = ("", "danger", "warning", "success", "muted")


@dataclass(frozen=True)
class Item:
    """One line of a section: a count with its list, or a figure with its page."""

    label: str
    count: int | None = None  # a count of rows of the list at ``url``
    url: str = ""
    value: str = ""  # a figure in words (e.g. "完成 86.2%"), when the item is not a count
    note: str = ""
    tone: str = ""  # danger / warning / success / muted / ""
    key: str = ""  # a stable name for tests and styling

    @property
    def is_count(self) -> bool:
        return self.count is not None


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    items: tuple[Item, ...] = ()
    order: int = 50
    icon: str = "circle"
    note: str = ""
    # An optional small table: (headers, rows of (cells, url)), e.g. the five things most behind.
    table_headers: tuple[str, ...] = ()
    table_rows: tuple[tuple[tuple[str, ...], str], ...] = field(default_factory=tuple)
    wide: bool = False


Contributor = Callable[[object], Iterable[Section]]


@dataclass(frozen=True)
class _Entry:
    key: str
    contribute: Contributor
    roles: frozenset[str] | None


_registry: dict[str, _Entry] = {}


def register(key: str, contribute: Contributor, *, roles: Iterable[str] | None = None) -> None:
    """Register (or replace) an app's workbench contributor; ``roles`` None: asked for every role."""
    _registry[key] = _Entry(key, contribute, frozenset(roles) if roles is not None else None)


def _role_of(user) -> str:
    return "admin" if getattr(user, "is_superuser", False) else getattr(user, "role", "")


def sections_for(user) -> list[Section]:
    """Every section the apps have for the user, in their order (none for roles nobody serves)."""
    role = _role_of(user)
    sections: list[Section] = []
    for entry in _registry.values():
        if (
            entry.roles is not None
            and role not in entry.roles
            and getattr(user, "role", "") not in entry.roles
        ):
            continue
        sections.extend(s for s in entry.contribute(user) if s.items or s.table_rows)
    return sorted(sections, key=lambda s: (s.order, s.key))


def link(url_name: str, params: dict | None = None, *, args=None) -> str:
    """A list's address with its filter parameters (empty values left out)."""
    url = reverse(url_name, args=args)
    clean = {k: v for k, v in (params or {}).items() if v not in (None, "")}
    return f"{url}?{urlencode(clean)}" if clean else url


def filtered(queryset, filterset_class=None, params: dict | None = None, user=None):
    """The queryset as the list page filters it for these parameters (the list's own filterset).

    ``user``: for filters that depend on who asks (they read ``self.request.user``)."""
    if filterset_class is None or not params:
        return queryset
    data = QueryDict(mutable=True)
    for key, value in params.items():
        if value not in (None, ""):
            data[key] = str(value)
    filterset = filterset_class(data, queryset=queryset, request=SimpleNamespace(user=user) if user else None)
    if not filterset.is_valid():
        logger.warning("workbench filter refused %s: %s", params, filterset.errors)
        return queryset.none()
    return filterset.qs


def counted(
    label: str,
    url_name: str,
    queryset,
    *,
    filterset_class=None,
    params: dict | None = None,
    args=None,
    tone: str = "",
    alert_tone: str = "",
    note: str = "",
    key: str = "",
    user=None,
) -> Item:
    """A count item: the rows of ``queryset`` the list at ``url_name`` shows for ``params``.

    ``alert_tone`` colours the item only when the count is not zero (an overdue count in red).
    """
    count = filtered(queryset, filterset_class, params, user=user).count()
    return Item(
        label=label,
        count=count,
        url=link(url_name, params, args=args),
        tone=(alert_tone if count else "muted") if alert_tone else tone,
        note=note,
        key=key,
    )
