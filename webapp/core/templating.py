"""What every template can use: locale, theme, navigation, avatars, dates, role names."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from flask import Flask, g, url_for
from flask_babel import format_date, format_datetime, format_number, get_locale
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from webapp.core.i18n import current_theme
from webapp.core.pagecache import register_page_cache

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
        from webapp.files.services import avatar_of

        file = avatar_of(user.id)
        cache[user.id] = url_for("files.avatar", user_id=user.id, v=file.id) if file else None
    return cache[user.id]


def linkify(text: str | None) -> Markup:
    """Escape everything, then make the web addresses clickable (nothing else is interpreted)."""
    escaped = str(escape(text or ""))
    return Markup(URL_RE.sub(lambda m: f'<a href="{m.group(0)}" rel="noopener noreferrer">{m.group(0)}</a>', escaped))


def _date(value: datetime | None) -> str:
    return format_date(value, "medium") if value else ""


def _datetime(value: datetime | None) -> str:
    return format_datetime(value, "medium") if value else ""


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
            "nav_items": nav_for(user),
            "badge_count": lambda name: badge_count(user, name),
            "site_name": settings.site_name(),
            "registration_open": settings.registration_open(),
        }

    app.jinja_env.globals.update(avatar_url=avatar_url, role_label=role_label, static_url=static_url)
    register_page_cache(app)
    # number: 12,345 in English, 12 345 in French.
    app.jinja_env.filters.update(date=_date, datetime=_datetime, linkify=linkify, number=format_number)
