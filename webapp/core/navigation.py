"""The navigation bar, by role: each feature declares its entries, the layout shows the ones
the signed-in person may open (the same permission check the pages use)."""

from __future__ import annotations

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


NAV: list[NavItem] = []


def nav_item(endpoint: str, label, icon: str, permission: str = "signed_in", order: int = 50,
             active_prefix: str = "") -> None:
    if any(item.endpoint == endpoint for item in NAV):
        return
    NAV.append(NavItem(endpoint, label, icon, permission, order, active_prefix or endpoint.split(".")[0] + "."))
    NAV.sort(key=lambda item: item.order)


def nav_for(user) -> list[NavItem]:
    if user is None:
        return []
    return [item for item in NAV if can(user, item.permission)]
