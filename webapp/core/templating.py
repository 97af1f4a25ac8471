"""What every template can use: locale, theme, navigation, avatars, dates, role names."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from flask import Flask, current_app, g, request, url_for
from flask_babel import format_date, format_datetime, format_number, get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import generate_csrf
from jinja2 import pass_context
from markupsafe import Markup, escape

from webapp.core.i18n import current_theme
from webapp.core.pagecache import PLACEHOLDER, PageCache, register_page_cache

ROLE_LABELS = {
    "talent": _l("talent"),
    "recruiter": _l("recruiter"),
    "consultant": _l("consultant"),
    "admin": _l("administrator"),
}
URL_RE = re.compile(r"https?://[^\s<>\"']+")


def role_label(role: str) -> str:
    return str(ROLE_LABELS.get(role, role))


def avatar_url(user) -> str | None:
    if user is None or not getattr(user, "id", None):
        return None
    cache = g.setdefault("_avatar_urls", {})
    if user.id not in cache:
        from flask_login import current_user

        from webapp.core.navigation import bar_facts
        from webapp.files.services import avatar_of

        if user.id == getattr(current_user, "id", None):  # the viewer's: read with the bar's badges
            file_id = bar_facts(user)["avatar_id"]
        else:
            file = avatar_of(user.id)
            file_id = file.id if file else None
        cache[user.id] = url_for("files.avatar", user_id=user.id, v=file_id) if file_id else None
    return cache[user.id]


def linkify(text: str | None) -> Markup:
    """Escape everything, then make the web addresses clickable (nothing else is interpreted)."""
    escaped = str(escape(text or ""))
    return Markup(URL_RE.sub(lambda m: f'<a href="{m.group(0)}" rel="noopener noreferrer">{m.group(0)}</a>', escaped))


def _date(value: datetime | None) -> str:
    return format_date(value, "medium") if value else ""


def _datetime(value: datetime | None) -> str:
    return format_datetime(value, "medium") if value else ""


class Deferred:
    """A sequence made the first time it is read."""

    __slots__ = ("_make", "_items")

    def __init__(self, make):
        self._make, self._items = make, None

    def _get(self):
        if self._items is None:
            self._items = self._make()
        return self._items

    def __iter__(self):
        return iter(self._get())

    def __len__(self) -> int:
        return len(self._get())

    def __bool__(self) -> bool:
        return bool(self._get())


# The navigation bar, rendered once per distinct look -----------------------------------------------

_NAVBARS = PageCache(size=512)


def _navbar_key(context, user) -> tuple:
    """Everything the bar shows: the entries the viewer may see, the page it marks active, the
    viewer's name, email, role and avatar, the counts on its badges, the site's name and
    whether sign-up is open, in the request's language. Only the CSRF token is left out (put
    back in each time)."""
    entries = tuple((entry.group.name if entry.group else None, tuple(item.endpoint for item in entry.items))
                    for entry in context.get("nav_items") or ())
    if user is not None and getattr(user, "is_authenticated", False):
        badges = [item.badge for entry in context.get("nav_items") or () for item in entry.items if item.badge]
        counts = tuple((name, context["badge_count"](name)) for name in (*badges, "notifications"))
        person = (user.id, user.first_name, user.email, user.role, user.initials, avatar_url(user), counts)
    else:
        person = None
    return (context.get("current_locale"), request.endpoint, context.get("site_name"),
            bool(context.get("registration_open")), entries, person)


@pass_context
def navbar(context) -> Markup:
    """`shared/navbar.html` for this request, from a small cache of rendered bars (two people
    with the same role see the same entries, one person the same bar page after page)."""
    from flask_login import current_user

    user = current_user._get_current_object() if current_user else None
    template = context.environment.get_template("shared/navbar.html")
    if current_app.jinja_env.auto_reload:
        return Markup(template.render(context.get_all()))
    key = _navbar_key(context, user)
    html = _NAVBARS.get(key)
    if html is None:
        html = template.render({**context.get_all(), "csrf_token": lambda: PLACEHOLDER})
        _NAVBARS.put(key, html)
    return Markup(html.replace(PLACEHOLDER, generate_csrf()) if PLACEHOLDER in html else html)


def register_templating(app: Flask) -> None:
    static_folder = Path(app.static_folder)

    @lru_cache(maxsize=64)
    def _fingerprint(filename: str, mtime: float) -> str:
        return hashlib.sha256((static_folder / filename).read_bytes()).hexdigest()[:10]

    def static_url(filename: str) -> str:
        """A static URL that changes when the file does, so browsers never keep a stale one."""
        path = static_folder / filename
        version = _fingerprint(filename, path.stat().st_mtime) if path.exists() else "0"
        return url_for("static", filename=filename, v=version)

    @app.context_processor
    def _globals():
        from webapp.core.navigation import badge_count, nav_for
        from webapp.core.permissions import actor
        from webapp.settings import services as settings

        user = actor()
        return {
            "current_locale": str(get_locale() or "en"),
            "current_theme": current_theme(),
            # Worked out only when a template shows the bar (a fragment never does).
            "nav_items": Deferred(lambda: nav_for(user)),
            "badge_count": lambda name: badge_count(user, name),
            "site_name": settings.site_name(),
            "registration_open": settings.registration_open(),
        }

    app.jinja_env.globals.update(avatar_url=avatar_url, role_label=role_label, static_url=static_url, navbar=navbar)
    register_page_cache(app)
    # number: 12,345 in English, 12 345 in French.
    app.jinja_env.filters.update(date=_date, datetime=_datetime, linkify=linkify, number=format_number)
