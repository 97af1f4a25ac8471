"""The navigation bar, by role: each feature declares its entries, the layout shows the ones
the signed-in person may open (the same permission check the pages use).

Entries may belong to a group (declared with `nav_group`): a group with several entries the
person may open is one menu, a group with a single one shows that entry alone."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

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
    group: str | None = None


@dataclass(frozen=True)
class NavGroup:
    name: str
    label: object
    icon: str
    order: int


@dataclass(frozen=True)
class NavEntry:
    """What the bar shows: one link (`items` of one) or a menu of several."""

    group: NavGroup | None
    items: tuple[NavItem, ...]

    @property
    def active_prefixes(self) -> tuple[str, ...]:
        return tuple(item.active_prefix for item in self.items)


NAV: list[NavItem] = []
GROUPS: dict[str, NavGroup] = {}
# name -> function(user id) -> a scalar subquery counting what the entry's badge shows (unread
# messages ...): the bar asks for all of them, and the viewer's picture, in one statement.
BADGES: dict[str, Callable[[object], object]] = {}


def nav_item(endpoint: str, label, icon: str, permission: str = "signed_in", order: int = 50,
             active_prefix: str = "", badge: str | None = None, group: str | None = None) -> None:
    if any(item.endpoint == endpoint for item in NAV):
        return
    NAV.append(NavItem(endpoint, label, icon, permission, order, active_prefix or endpoint.split(".")[0] + ".",
                       badge, group))
    NAV.sort(key=lambda item: item.order)


def nav_group(name: str, label, icon: str, order: int) -> None:
    GROUPS.setdefault(name, NavGroup(name, label, icon, order))


def nav_badge(name: str):
    """Declare a counter for nav entries: a function of the user id (a bind parameter) that
    returns a scalar subquery (it stays SQL so that every badge of the bar comes in one
    statement). The page shows it as `#badge-<name>` (live updates swap that element)."""

    def register(fn: Callable[[object], object]) -> Callable[[object], object]:
        BADGES[name] = fn
        return fn

    return register


def bar_facts(user) -> dict:
    """What the bar shows of the viewer that lives in other tables: every badge's count and the
    id of their picture (None without one), read once per request in one statement."""
    from flask import g

    from webapp.extensions import db

    if user is None or not getattr(user, "id", None):
        return dict.fromkeys(BADGES, 0) | {"avatar_id": None}
    kept = g.get("_bar_facts")
    if kept is not None and kept[0] == user.id:
        return kept[1]
    row = db.session.execute(_bar_statement(), {"viewer_id": user.id}).one()._mapping
    facts = {name: row[name] or 0 for name in BADGES} | {"avatar_id": row["avatar_id"]}
    g._bar_facts = (user.id, facts)
    return facts


_BAR_STATEMENTS: dict[tuple, object] = {}


def _bar_statement():
    """`bar_facts`' statement, built once (building its subqueries cost more than running it)."""
    from sqlalchemy import Integer, bindparam, select

    from webapp.files.services import avatar_id_query

    names = tuple(BADGES)
    statement = _BAR_STATEMENTS.get(names)
    if statement is None:
        viewer = bindparam("viewer_id", type_=Integer)
        statement = _BAR_STATEMENTS[names] = select(*(BADGES[name](viewer).label(name) for name in names),
                                                    avatar_id_query(viewer).label("avatar_id"))
    return statement


def badge_count(user, name: str) -> int:
    if user is None or name not in BADGES:
        return 0
    return bar_facts(user)[name]


def nav_for(user) -> list[NavEntry]:
    """The bar's entries for `user`, in order: single links and menus of a group's links."""
    if user is None:
        return []
    visible = [item for item in NAV if can(user, item.permission)]
    entries: list[tuple[int, NavEntry]] = []
    grouped: dict[str, list[NavItem]] = {}
    for item in visible:
        if item.group in GROUPS:
            grouped.setdefault(item.group, []).append(item)
        else:
            entries.append((item.order, NavEntry(None, (item,))))
    for name, items in grouped.items():
        group = GROUPS[name]
        entries.append((group.order, NavEntry(group if len(items) > 1 else None, tuple(items))))
    return [entry for _order, entry in sorted(entries, key=lambda pair: pair[0])]


nav_group("directory", _l("Directory"), "people", order=20)
nav_group("cinema", _l("Cinema"), "film", order=40)
nav_group("insights", _l("Insights"), "bar-chart-line", order=60)
nav_group("me", _l("My profile"), "person-vcard", order=20)
