"""The left navigation: each module registers its entry when its app is ready.

Only installed modules appear, so the shell never links to a module that does not exist.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import get_script_prefix, get_urlconf, reverse

# The county's module order, whatever order the apps load in.
MODULE_ORDER = [
    "home",
    "portal",
    "dashboard",
    "counties",
    "enterprises",
    "enterprise_accounts",
    "tiers",
    "chains",
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

# An enterprise user sees only what a module opens to it by name: entries whose roles list
# "enterprise", and pages registered with ``open_to_enterprises`` (every other page answers 404).
ENTERPRISE_ROLE = "enterprise"


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
            # Every government user; an enterprise only where a module names it.
            if user.role == ENTERPRISE_ROLE:
                return False
            # The security and audit administrators have no business data: only the home page.
            return self.key == "home" or user.role not in NO_BUSINESS_ROLES
        return user.role in self.roles or (user.is_superuser and "admin" in self.roles)


_registry: dict[str, NavItem] = {}


def register(item: NavItem) -> None:
    """Register (or replace) a module's navigation entry."""
    _registry[item.key] = item


_enterprise_views: set[str] = set()
_homes: dict[str, str] = {}


def open_to_enterprises(*view_names: str) -> None:
    """Pages ("namespace:name") an enterprise user may open; every other page refuses it."""
    _enterprise_views.update(view_names)


def enterprise_may_open(view_name: str) -> bool:
    return view_name in _enterprise_views


def register_home(role: str, url_name: str) -> None:
    """A role whose first screen is a module's page rather than the common home page."""
    _homes[role] = url_name


def home_for(user) -> str | None:
    """The URL of the user's own first screen, when a module registered one for its role."""
    name = _homes.get(getattr(user, "role", ""))
    return reverse(name) if name else None


_urls: dict[tuple, str] = {}


def _url(name: str) -> str:
    """``reverse(name)``, kept per URL configuration: the shell reverses some hundred names per page."""
    key = (get_urlconf(), get_script_prefix(), name)
    url = _urls.get(key)
    if url is None:
        url = _urls[key] = reverse(name)
    return url


def items_for(user, path: str) -> list[dict]:
    """Navigation entries the user may use, with the active one marked."""
    result = []
    keys = sorted(_registry, key=lambda k: MODULE_ORDER.index(k) if k in MODULE_ORDER else 99)
    for key in keys:
        item = _registry[key]
        if not item.visible_for(user):
            continue
        children = [
            {"label": c.label, "url": _url(c.url_name), "active": path.startswith(_url(c.url_name))}
            for c in item.children
            if c.visible_for(user)
        ]
        url = _url(item.url_name)
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
