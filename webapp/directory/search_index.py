"""The directory's full-text index and the indexes its keyset orders read, on both engines.

The index is kept in step by the database itself, so no code path can forget it:

- SQLite: an FTS5 table over `profiles.search_text` (external content: the text lives once,
  in `profiles`), filled and emptied by three triggers on `profiles`.
- PostgreSQL: a stored generated `tsvector` column (config 'simple': the text is folded
  already, no stemming) with a GIN index; prefixes are tsquery prefixes (`moh:*`). pg_trgm
  is not needed: token prefixes behave exactly like FTS5's, where trigram substrings would not.

Both split the folded text on anything that is not a letter or a digit, so a search finds
the same profiles on either engine ("amina" matches amina.tazi@example.com on both).

The same DDL runs from the migration (0005_directory_search) and after `db.create_all()`
(the test suite), through `install()`; `drop()` runs before the profiles table is dropped.

A SQLite migration that rebuilds the `profiles` table (batch mode "move and copy") drops
its triggers with it: such a migration must call `install()` again (it is idempotent), and
`tests/directory/test_search.py` checks that the migrated schema still keeps the index.
"""

from __future__ import annotations

from sqlalchemy import Index, event, func, literal_column, text

from webapp.directory.models import Profile

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
# counts are index-only. Listed in the migration too (0005_directory_search).
FILTER_COLUMNS = ("id", "is_active", "user_id", "directory_consent_at", "residence_country_id", "residence_city_id",
                  "origin_country_id", "origin_city_id", "gender", "availability", "work_mode", "birth_date",
                  "years_experience", "photo_file_id", "cv_file_id")
SEARCH_INDEXES = (
    Index("ix_profiles_search_filters", *(Profile.__table__.c[name] for name in FILTER_COLUMNS)),
    # sort by experience: people without a figure count as -1 (last when descending).
    Index("ix_profiles_experience_key", func.coalesce(Profile.years_experience, literal_column("-1")), Profile.id),
)


def install(connection) -> None:
    """Create the full-text index (if missing) and fill it from the profiles already there."""
    name = connection.dialect.name
    if name == "sqlite":
        existed = _sqlite_fts_exists(connection)
        for statement in SQLITE_INSTALL:
            connection.execute(text(statement))
        if not existed:
            connection.execute(text(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')"))
    elif name == "postgresql":
        for statement in PG_INSTALL:
            connection.execute(text(statement))


def drop(connection) -> None:
    name = connection.dialect.name
    statements = SQLITE_DROP if name == "sqlite" else PG_DROP if name == "postgresql" else ()
    for statement in statements:
        connection.execute(text(statement))


def rebuild(connection) -> None:
    """Re-read every profile's text into the index (after a bulk load that bypassed it)."""
    if connection.dialect.name == "sqlite":
        connection.execute(text(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')"))


def _sqlite_fts_exists(connection) -> bool:
    found = connection.execute(text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = :name"),
                               {"name": FTS_TABLE}).scalar()
    return bool(found)


@event.listens_for(Profile.__table__, "after_create")
def _after_create(_table, connection, **_kw) -> None:
    install(connection)


@event.listens_for(Profile.__table__, "before_drop")
def _before_drop(_table, connection, **_kw) -> None:
    drop(connection)
