"""The top bar's search: each app registers what it can find, the core knows no domain.

A provider takes the user, the words typed and a limit, and returns a :class:`Group` (or None):
the first hits and how many there are in all, with a link to the app's own list filtered by the
same words. :func:`list_group` builds such a group from the list's scoped queryset and its
filterset, so a hit is only ever a row the user may see and "全部 N 条" is the list's count.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .workbench import filtered, link

MAX_QUERY = 50


@dataclass(frozen=True)
class Hit:
    title: str
    url: str
    note: str = ""


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    hits: tuple[Hit, ...]
    total: int
    more_url: str


Provider = Callable[[object, str, int], "Group | None"]


@dataclass(frozen=True)
class _Entry:
    key: str
    provider: Provider
    roles: frozenset[str] | None
    order: int


_registry: dict[str, _Entry] = {}


def register(key: str, provider: Provider, *, roles: Iterable[str] | None = None, order: int = 50) -> None:
    _registry[key] = _Entry(key, provider, frozenset(roles) if roles is not None else None, order)


def available_for(user) -> bool:
    """Whether the top bar offers a search to this user (some app can search for the role)."""
    return any(_allowed(entry, user) for entry in _registry.values())


def _allowed(entry: _Entry, user) -> bool:
    if entry.roles is None:
        return True
    return user.role in entry.roles or (user.is_superuser and "admin" in entry.roles)


def clean_query(raw) -> str:
    return " ".join(str(raw or "").split())[:MAX_QUERY]


def search(user, query: str, *, limit: int = 5) -> list[Group]:
    """Every registered app's hits for the words, only rows the user may see; empty groups left out."""
    query = clean_query(query)
    if not query or not getattr(user, "is_authenticated", False):
        return []
    groups = []
    for entry in sorted(_registry.values(), key=lambda e: (e.order, e.key)):
        if not _allowed(entry, user):
            continue
        group = entry.provider(user, query, limit)
        if group is not None and group.total:
            groups.append(group)
    return groups


def list_group(
    *,
    key: str,
    label: str,
    url_name: str,
    queryset,
    filterset_class,
    query: str,
    limit: int,
    hit: Callable[[object], Hit],
    param: str = "q",
    order_by: tuple[str, ...] = ("pk",),
    user=None,
) -> Group:
    """A group from a list's own queryset and filterset, filtered by ``param`` = the words."""
    params = {param: query}
    rows = filtered(queryset, filterset_class, params, user=user)
    total = rows.count()
    first = [hit(obj) for obj in rows.order_by(*order_by)[:limit]] if total else []
    return Group(key=key, label=label, hits=tuple(first), total=total, more_url=link(url_name, params))
