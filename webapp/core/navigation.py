"""The navigation bar, by role: each feature declares its entries, the layout shows the ones
the signed-in person may open (the same permission check the pages use)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from webapp.core.permissions import can


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: object  # a lazy translation
    icon: str
    permission: str
    order: int
    active_prefix: str
    badge: str | None = None  # the name of a counter declared with nav_badge


NAV: list[NavItem] = []
# name -> function(user) -> int: the counts shown beside nav entries (unread messages ...).
BADGES: dict[str, Callable[[object], int]] = {}


def nav_item(endpoint: str, label, icon: str, permission: str = "signed_in", order: int = 50,
             active_prefix: str = "", badge: str | None = None) -> None:
    if any(item.endpoint == endpoint for item in NAV):
        return
    NAV.append(NavItem(endpoint, label, icon, permission, order, active_prefix or endpoint.split(".")[0] + ".",
                       badge))
    NAV.sort(key=lambda item: item.order)


def nav_badge(name: str):
    """Declare a counter for nav entries; the page shows it as `#badge-<name>` (live updates
    swap that element)."""

    def register(fn: Callable[[object], int]) -> Callable[[object], int]:
        BADGES[name] = fn
        return fn

    return register


def badge_count(user, name: str) -> int:
    counter = BADGES.get(name)
    if user is None or counter is None:
        return 0
    return counter(user)


def nav_for(user) -> list[NavItem]:
    if user is None:
        return []
    return [item for item in NAV if can(user, item.permission)]
