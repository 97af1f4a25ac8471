"""The migrations are the schema: `flask db upgrade` on an empty database gives exactly the
models' tables, columns, indexes and foreign keys (`flask db check` finds nothing to add),
and `downgrade base` undoes it. On SQLite always, on PostgreSQL when TEST_DATABASE_URL is one."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, make_url, text

from webapp.config import normalise_database_url
from webapp.directory import search_index
from webapp.extensions import db

ROOT = Path(__file__).resolve().parent.parent


def flask_db(url: str, *args: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("TEST_", "REDIS_URL", "MAIL_URL", "FLASK_"))}
    env.update(DATABASE_URL=url, SECRET_KEY="migration-test-key", APP_ENV="development", LOG_LEVEL="WARNING")
    return subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "db", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def differences(url: str) -> list:
    engine = create_engine(normalise_database_url(url))
    try:
        with engine.connect() as connection:
            # The options of migrations/env.py and register_extensions (compare_type=True).
            context = MigrationContext.configure(connection, opts={"compare_type": True, "render_as_batch": True,
                                                                   "include_object": search_index.include_object})
            return compare_metadata(context, db.metadata)
    finally:
        engine.dispose()


def tables(url: str) -> set[str]:
    engine = create_engine(normalise_database_url(url))
    try:
        names = set(inspect(engine).get_table_names()) - {"alembic_version"}
        return {name for name in names if not search_index.made_here(name, "table")}
    finally:
        engine.dispose()


def check_migrations(url: str) -> None:
    upgrade = flask_db(url, "upgrade")
    assert upgrade.returncode == 0, upgrade.stderr
    assert tables(url) == set(db.metadata.tables)
    # What `flask db check` compares (it would say "No new upgrade operations detected").
    assert differences(url) == []
    downgrade = flask_db(url, "downgrade", "base")
    assert downgrade.returncode == 0, downgrade.stderr
    assert tables(url) == set()


def test_migrations_on_a_fresh_sqlite_file(tmp_path):
    check_migrations(f"sqlite:///{tmp_path / 'fresh.db'}")


@pytest.mark.postgres
def test_migrations_on_a_fresh_postgresql_database():
    base = make_url(normalise_database_url(os.environ["TEST_DATABASE_URL"]))
    name = f"{base.database}_migrations_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        check_migrations(base.set(database=name).render_as_string(hide_password=False))
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
