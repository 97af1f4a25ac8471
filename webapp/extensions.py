"""The Flask extensions, created once here and bound to the app in register_extensions."""

from __future__ import annotations

import sqlite3

from flask import Flask
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sock import Sock
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

# Named constraints, so migrations can drop and alter them on SQLite and PostgreSQL alike.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address)
sock = Sock()
babel = Babel()


SQLITE_MMAP_SIZE = 268_435_456  # bytes of the database file each SQLite connection may map


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record):
    """WAL for concurrent readers, enforced foreign keys, and a busy timeout."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        # Read the file through the OS page cache (shared by every connection) instead of
        # copying pages into each connection's 2 MB cache: searches over 100,000 profiles
        # touch more than that. 256 MB of address space; memory is used only as pages are read.
        cursor.execute(f"PRAGMA mmap_size={SQLITE_MMAP_SIZE}")
        cursor.close()


def _retry_after_only_when_limited(response):
    if response.status_code not in (429, 503):
        response.headers.pop("Retry-After", None)
    return response


def register_extensions(app: Flask) -> None:
    from webapp.core.i18n import babel_locale, register_translations, select_timezone

    db.init_app(app)
    migrate.init_app(app, db, render_as_batch=True, compare_type=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    # Registered before the limiter, so it runs after the limiter has added its headers:
    # Retry-After belongs on 429 answers only (the X-RateLimit-* headers stay on all).
    app.after_request(_retry_after_only_when_limited)
    limiter.init_app(app)
    sock.init_app(app)
    babel.init_app(app, locale_selector=babel_locale, timezone_selector=select_timezone)
    register_translations(app)
