"""Reading and changing the system settings.

Each setting is declared once here with its default (from the environment's configuration)
and its check. Values are read from the database at most every SETTINGS_CACHE_SECONDS per
process (a query on every page was a quarter of the sign-in page's cost): a change applies
at once in the worker that made it, and within those seconds in every other worker.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app, g
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from webapp.audit import services as audit
from webapp.core.errors import ValidationFailed
from webapp.core.permissions import require
from webapp.extensions import db
from webapp.settings.models import Setting

SITE_NAME_MAX = 60
LANGUAGE_NAMES = {"en": "English", "fr": "Français"}


def _site_name(value) -> str:
    name = " ".join(str(value or "").split())
    if not name:
        raise ValueError(_("Enter the name of the site."))
    if len(name) > SITE_NAME_MAX:
        raise ValueError(_("Use at most %(n)d characters.", n=SITE_NAME_MAX))
    return name


def _flag(value) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("1", "true", "yes", "on", "open"):
        return True
    if isinstance(value, str) and value.strip().lower() in ("0", "false", "no", "off", "closed", ""):
        return False
    raise ValueError(_("Choose yes or no."))


def _language(value) -> str:
    if value not in current_app.config["LANGUAGES"]:
        raise ValueError(_("Choose English or French."))
    return value


@dataclass(frozen=True)
class Declared:
    key: str
    label: object  # a lazy translation
    default: Callable[[], object]
    clean: Callable[[object], object]


SETTINGS: dict[str, Declared] = {item.key: item for item in (
    Declared("site_name", _l("Site name"), lambda: current_app.config["SITE_NAME"], _site_name),
    Declared("registration_open", _l("Registration open"), lambda: current_app.config["REGISTRATION_OPEN"], _flag),
    Declared("default_language", _l("Default language"), lambda: current_app.config["BABEL_DEFAULT_LOCALE"],
             _language),
)}


_cache: dict = {"values": None, "read_at": 0.0, "app": None}
_cache_lock = threading.Lock()


def _read() -> dict | None:
    try:
        stored = dict(db.session.execute(select(Setting.key, Setting.value)).all())
    except SQLAlchemyError:  # the database is down or not migrated: error pages still render
        db.session.rollback()
        return None
    values = {}
    for key, item in SETTINGS.items():
        try:
            values[key] = item.clean(stored[key]) if key in stored else item.default()
        except ValueError:  # a value stored by hand that no longer passes: the default holds
            values[key] = item.default()
    return values


def current() -> dict:
    """Every setting's value: what the database holds, else the default."""
    cached = g.get("_system_settings")
    if cached is not None:
        return cached
    app = current_app._get_current_object()
    ttl = app.config.get("SETTINGS_CACHE_SECONDS", 2)
    with _cache_lock:
        fresh = _cache["app"] is app and time.monotonic() - _cache["read_at"] < ttl
        values = _cache["values"] if fresh else None
    if values is None:
        values = _read()
        if values is None:
            return {key: item.default() for key, item in SETTINGS.items()}
        with _cache_lock:
            _cache.update(values=values, read_at=time.monotonic(), app=app)
    g._system_settings = values
    return values


def forget() -> None:
    """Read the settings again on next use (after a change, and between tests)."""
    with _cache_lock:
        _cache.update(values=None, read_at=0.0)
    g.pop("_system_settings", None)


def get(key: str):
    return current()[key]


def site_name() -> str:
    return get("site_name")


def registration_open() -> bool:
    return bool(get("registration_open"))


def default_language() -> str:
    return get("default_language")


def update(actor, changes: dict) -> dict:
    """Change some settings (unknown keys are refused); every problem is reported at once."""
    require("admin", user=actor)
    errors: dict[str, list[str]] = {}
    cleaned = {}
    for key, value in changes.items():
        item = SETTINGS.get(key)
        if item is None:
            errors[key] = [_("Unknown setting.")]
            continue
        try:
            cleaned[key] = item.clean(value)
        except ValueError as exc:
            errors[key] = [str(exc)]
    if errors:
        raise ValidationFailed(fields=errors)
    before = current()
    changed = {key: {"old": before[key], "new": value} for key, value in cleaned.items() if before[key] != value}
    for key, value in cleaned.items():
        row = db.session.get(Setting, key)
        if row is None:
            db.session.add(Setting(key=key, value=value, updated_by_id=actor.id))
        elif row.value != value:
            row.value = value
            row.updated_by_id = actor.id
    if changed:
        audit.record("settings.changed", actor=actor, changes=changed)
    db.session.commit()
    forget()
    return current()
