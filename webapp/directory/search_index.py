"""The directory's full-text index and the indexes its keyset orders read, on both engines.

The index is kept in step by the database itself, so no code path can forget it:

- SQLite: an FTS5 table over `profiles.search_text` (external content: the text lives once,
  in `profiles`), filled and emptied by three triggers on `profiles`.
- PostgreSQL: a stored generated `tsvector` column (config 'simple': the text is folded
  already, no stemming) with a GIN index; prefixes are tsquery prefixes (`moh:*`). pg_trgm
  is not needed: token prefixes behave exactly like FTS5's, where trigram substrings would not.

Both split the folded text on anything that is not a letter or a digit, so a search finds
the same profiles on either engine ("amina" matches amina.tazi@example.com on both).

The same DDL runs from the migration (0013_directory_search) and after `db.create_all()`
(the test suite), through `install()`; `drop()` runs before the tables are dropped.

A SQLite migration that rebuilds the `profiles` table (batch mode "move and copy") drops
its triggers with it: such a migration must call `install()` again (it is idempotent), and
`tests/directory/test_search.py` checks that the migrated schema still keeps the index.
"""

from __future__ import annotations

import secrets

from sqlalchemy import Index, func, literal_column, text

from webapp.core.db import pg_tables, run_statements, with_the_tables
from webapp.directory.models import Profile
from webapp.extensions import db

FTS_TABLE = "profiles_fts"
PG_VECTOR = "search_vector"

SQLITE_INSTALL = (
    # external content: the FTS table stores only the index, and reads text from profiles.
    f"""CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(
        search_text, content='profiles', content_rowid='id',
        tokenize="unicode61 remove_diacritics 2", prefix='2 3')""",
    f"""CREATE TRIGGER IF NOT EXISTS profiles_fts_insert AFTER INSERT ON profiles BEGIN
        INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS profiles_fts_delete AFTER DELETE ON profiles BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text) VALUES ('delete', old.id, old.search_text);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS profiles_fts_update AFTER UPDATE OF search_text ON profiles BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text) VALUES ('delete', old.id, old.search_text);
        INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text);
    END""",
)
SQLITE_DROP = (
    "DROP TRIGGER IF EXISTS profiles_fts_insert",
    "DROP TRIGGER IF EXISTS profiles_fts_delete",
    "DROP TRIGGER IF EXISTS profiles_fts_update",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
)

PG_INSTALL = (
    f"""ALTER TABLE profiles ADD COLUMN IF NOT EXISTS {PG_VECTOR} tsvector
        GENERATED ALWAYS AS (to_tsvector('simple'::regconfig,
            regexp_replace(search_text, '[^[:alnum:]]+', ' ', 'g'))) STORED""",
    f"CREATE INDEX IF NOT EXISTS ix_profiles_search_vector ON profiles USING gin ({PG_VECTOR})",
)
PG_DROP = (
    "DROP INDEX IF EXISTS ix_profiles_search_vector",
    f"ALTER TABLE profiles DROP COLUMN IF EXISTS {PG_VECTOR}",
)

# Indexes for the search's filters and keyset orders (besides the core's on profiles).
# Every filter column, after the id: after a full-text match, the filters of each matching
# profile are read from this narrow index instead of the wide row (a covering index), and
# counts are index-only. Listed in the migration too (0013_directory_search).
FILTER_COLUMNS = ("id", "is_active", "user_id", "directory_consent_at", "residence_country_id", "residence_city_id",
                  "origin_country_id", "origin_city_id", "gender", "availability", "work_mode", "birth_date",
                  "years_experience", "photo_file_id", "cv_file_id")
SEARCH_INDEXES = (
    Index("ix_profiles_search_filters", *(Profile.__table__.c[name] for name in FILTER_COLUMNS)),
    # sort by experience: people without a figure count as -1 (last when descending).
    Index("ix_profiles_experience_key", func.coalesce(Profile.years_experience, literal_column("-1")), Profile.id),
)


# The data version: a number that changes whenever anything a search reads changes, so that
# cached results (search_cache.py) are never served after a write. SQLite: one counter row
# bumped by triggers (SQLite has one writer at a time anyway). PostgreSQL: a sequence bumped
# by triggers deferred to commit time (a sequence takes no lock, so writers never wait on it).
VERSIONED_TABLES = ("profiles", "profile_skills", "profile_languages", "skills", "cities", "countries")
VERSION_TABLE = "directory_search_state"
VERSION_SEQUENCE = "directory_search_version"


def _sqlite_version_ddl() -> list[str]:
    statements = [
        f"CREATE TABLE IF NOT EXISTS {VERSION_TABLE} (id INTEGER PRIMARY KEY CHECK (id = 1), "
        "version INTEGER NOT NULL DEFAULT 0)",
        # a random start: a database made again never reuses the versions of the one before
        # (answers cached in Redis under them must not come back)
        f"INSERT OR IGNORE INTO {VERSION_TABLE} (id, version) VALUES (1, abs(random()) % 1000000000000)",
    ]
    for table_name in VERSIONED_TABLES:
        for operation in ("INSERT", "UPDATE", "DELETE"):
            statements.append(
                f"CREATE TRIGGER IF NOT EXISTS {table_name}_search_version_{operation.lower()} AFTER {operation} "
                f"ON {table_name} BEGIN UPDATE {VERSION_TABLE} SET version = version + 1 WHERE id = 1; END")
    return statements


def _sqlite_version_drop() -> list[str]:
    statements = [f"DROP TRIGGER IF EXISTS {t}_search_version_{op}" for t in VERSIONED_TABLES
                  for op in ("insert", "update", "delete")]
    return [*statements, f"DROP TABLE IF EXISTS {VERSION_TABLE}"]


def _pg_version_ddl() -> list[str]:
    statements = [
        f"CREATE SEQUENCE IF NOT EXISTS {VERSION_SEQUENCE} START WITH {secrets.randbelow(10**12) + 1}",
        f"""CREATE OR REPLACE FUNCTION {VERSION_SEQUENCE}_touch() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN PERFORM nextval('{VERSION_SEQUENCE}'); RETURN NULL; END $$""",
    ]
    for table_name in VERSIONED_TABLES:
        statements += [
            f"DROP TRIGGER IF EXISTS {table_name}_search_version ON {table_name}",
            f"""CREATE CONSTRAINT TRIGGER {table_name}_search_version AFTER INSERT OR UPDATE OR DELETE
                ON {table_name} DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
                EXECUTE FUNCTION {VERSION_SEQUENCE}_touch()""",
        ]
    return statements


def _pg_version_drop(existing: set[str]) -> list[str]:
    statements = [f"DROP TRIGGER IF EXISTS {t}_search_version ON {t}" for t in VERSIONED_TABLES if t in existing]
    return [*statements, f"DROP FUNCTION IF EXISTS {VERSION_SEQUENCE}_touch() CASCADE",
            f"DROP SEQUENCE IF EXISTS {VERSION_SEQUENCE}"]


def install(connection) -> None:
    """Create the full-text index (if missing, filled from the profiles already there) and the
    data version. Idempotent: a migration that rebuilt `profiles` runs it again."""
    name = connection.dialect.name
    if name == "sqlite":
        existed = _sqlite_fts_exists(connection)
        run_statements(connection, (*SQLITE_INSTALL, *_sqlite_version_ddl()))
        if not existed:
            connection.execute(text(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')"))
    elif name == "postgresql":
        run_statements(connection, (*PG_INSTALL, *_pg_version_ddl()))


def drop(connection) -> None:
    name = connection.dialect.name
    if name == "sqlite":
        statements = [*SQLITE_DROP, *_sqlite_version_drop()]
    elif name == "postgresql":
        existing = pg_tables(connection)
        statements = [*_pg_version_drop(existing), *(PG_DROP if "profiles" in existing else ())]
    else:
        statements = []
    run_statements(connection, statements)


def rebuild(connection) -> None:
    """Re-read every profile's text into the index (after a bulk load that bypassed it)."""
    if connection.dialect.name == "sqlite":
        connection.execute(text(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')"))


def data_version(connection) -> int:
    """The current data version (see above); it only grows."""
    if connection.dialect.name == "postgresql":
        return int(connection.execute(text(f"SELECT last_value FROM {VERSION_SEQUENCE}")).scalar() or 0)
    if connection.dialect.name == "sqlite":
        return int(connection.execute(text(f"SELECT version FROM {VERSION_TABLE} WHERE id = 1")).scalar() or 0)
    return 0


def current_version() -> int:
    """The data version for this request: read once, and again whenever the request's own
    transaction has written since (its triggers move it)."""
    from flask import g, has_request_context

    connection = db.session.connection()
    if not has_request_context() or _wrote(connection):
        return data_version(connection)
    kept = g.get("_directory_data_version")
    if kept is None or kept[0] != id(connection):
        kept = g._directory_data_version = (id(connection), data_version(connection))
    return kept[1]


def _wrote(connection) -> bool:
    """Whether the connection holds a transaction that wrote (SQLite); on PostgreSQL a
    transaction is always open, so there the version is read each time it is asked."""
    if connection.dialect.name != "sqlite":
        return True
    return bool(connection.connection.dbapi_connection.in_transaction)


def made_here(name: str | None, type_: str) -> bool:
    """Objects this module makes that the models do not declare (the FTS table and its shadow
    tables, the version table, the tsvector column and its index)."""
    name = name or ""
    if type_ == "table":
        return name.startswith(FTS_TABLE) or name == VERSION_TABLE
    if type_ == "column":
        return name == PG_VECTOR
    if type_ == "index":
        return name == "ix_profiles_search_vector"
    return False


def include_object(_object, name, type_, reflected, compare_to) -> bool:
    """For Alembic's autogenerate and `flask db check`: leave the objects above alone."""
    return not (reflected and compare_to is None and made_here(name, type_))


def _sqlite_fts_exists(connection) -> bool:
    found = connection.execute(text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = :name"),
                               {"name": FTS_TABLE}).scalar()
    return bool(found)


# db.create_all() / drop_all() (the tests): after every table exists (the version triggers
# watch tables created after profiles), and before any is dropped.
with_the_tables(db.metadata, install, drop)
