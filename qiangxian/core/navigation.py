"""The left navigation: each module registers its entry when its app is ready.

Only installed modules appear, so the shell never links to a module that does not exist.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse

# The county's module order, whatever order the apps load in.
MODULE_ORDER = [
    "home",
    "dashboard",
    "enterprises",
    "tiers",
    "statistics",
    "projects",
    "land",
    "policies",
    "demands",
    "supervision",
    "rules",
    "reports",
    "admin",
    "security",
    "audit",
]


NO_BUSINESS_ROLES = frozenset({"security", "auditor"})


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str
    url_name: str
    icon: str = "circle"
    roles: frozenset[str] | None = None  # None: every logged-in user
    children: tuple[NavItem, ...] = field(default_factory=tuple)
    url_prefix: str = ""
    # A further condition on the user (e.g. "sits above several counties"); None: none.
    when: Callable[[object], bool] | None = None

    def visible_for(self, user) -> bool:
        if self.when is not None and not self.when(user):
            return False
        if self.roles is None:
            # The security and audit administrators have no business data: only the home page.
            return self.key == "home" or user.role not in NO_BUSINESS_ROLES
        return user.role in self.roles or (user.is_superuser and "admin" in self.roles)


_registry: dict[str, NavItem] = {}


def register(item: NavItem) -> None:
    """Register (or replace) a module's navigation entry."""
    _registry[item.key] = item


def items_for(user, path: str) -> list[dict]:
    """Navigation entries the user may use, with the active one marked."""
    result = []
    keys = sorted(_registry, key=lambda k: MODULE_ORDER.index(k) if k in MODULE_ORDER else 99)
    for key in keys:
        item = _registry[key]
        if not item.visible_for(user):
            continue
        children = [
            {"label": c.label, "url": reverse(c.url_name), "active": path.startswith(reverse(c.url_name))}
            for c in item.children
            if c.visible_for(user)
        ]
        url = reverse(item.url_name)
        prefix = item.url_prefix or url
        active = path.startswith(prefix) if prefix != "/" else path == "/"
        result.append(
            {
                "key": key,
                "label": item.label,
                "icon": item.icon,
                "url": url,
                "active": active,
                "children": children,
            }
        )
    return result
