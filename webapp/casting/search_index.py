"""The version stamp and change log of the casting search's data, kept by the database itself.

The attribute search counts talents per choice (eye colour, talent type ...) from an
in-memory snapshot of the cinema profiles (webapp/casting/facets.py), because eight GROUP BY
passes over 30,000 rows cost more than the 50 ms the search has. The snapshot must never be
stale, whatever writes the data (a page, the API, a bulk import, a merge of duplicates, a
script in a shell): so triggers in the database, on every change the search reads,

- bump one counter, the row `cinema-search` of `code_sequences` (the stamp), and
- log the cinema profile concerned in `cinema_search_changes` with that stamp.

What they watch: cinema_profiles and cinema_talent_types (any insert, update or delete),
profile_languages (of people with cinema details), and profiles (an update of the columns in
PROFILE_COLUMNS, for people with cinema details).

The stamp changes in the writer's transaction, so a reader sees a new stamp exactly when it can
see the new rows. A reader whose snapshot has stamp V re-reads only the cinema profiles logged
with a stamp above V (a few milliseconds), or everything when too much changed.

- SQLite: row triggers; writers are serialised, so every change gets its own, growing stamp.
- PostgreSQL: deferred constraint triggers, run at commit: the first takes the next stamp (and
  holds the counter's row lock until the commit ends, so stamps are handed out in commit order
  and no two writers deadlock on it), the others of the same transaction reuse it (a
  transaction-local setting remembers it). A reader at stamp V has therefore seen every
  transaction with a stamp up to V, and the log's entries above V are exactly what it missed.

The log keeps the last KEEP stamps (older entries are pruned as new ones arrive); readers
further behind reload everything. `install()` runs from the migration (0008_casting_ui) and
after `db.create_all()` (the tests); it is idempotent. A SQLite migration that rebuilds one of
these tables drops its triggers: it must call `install()` again.
"""

from __future__ import annotations

from sqlalchemy import event, text

import webapp.casting.models  # noqa: F401  (the tables below must be in the metadata)
import webapp.directory.models  # noqa: F401

SCOPE = "cinema-search"
KEEP = 50_000
PRUNE_EVERY = 1_000
# The profile columns the casting search reads.
PROFILE_COLUMNS = ("gender", "birth_date", "residence_country_id", "origin_country_id", "years_experience",
                   "is_active", "directory_consent_at", "sort_name", "code", "user_id")

# Which cinema profile a change concerns, per table and row (SQLite's NEW / OLD).
_SQLITE_TARGETS = {
    "cinema_profiles": "{row}.id",
    "cinema_talent_types": "{row}.cinema_id",
    "profile_languages": "(SELECT id FROM cinema_profiles WHERE profile_id = {row}.profile_id)",
}


def _sqlite_log(target: str) -> str:
    return (f"UPDATE code_sequences SET last_value = last_value + 1 WHERE scope = '{SCOPE}'; "
            f"INSERT INTO cinema_search_changes (stamp, cinema_id) "
            f"SELECT last_value, {target} FROM code_sequences WHERE scope = '{SCOPE}' AND {target} IS NOT NULL;")


def _sqlite_statements() -> list[str]:
    statements = []
    for table, target in _SQLITE_TARGETS.items():
        for action, row in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")):
            when = (f" WHEN EXISTS (SELECT 1 FROM cinema_profiles WHERE profile_id = {row}.profile_id)"
                    if table == "profile_languages" else "")
            statements.append(f"CREATE TRIGGER IF NOT EXISTS casting_search_{table}_{action.lower()} "
                              f"AFTER {action} ON {table}{when} BEGIN {_sqlite_log(target.format(row=row))} END")
    statements.append(
        f"CREATE TRIGGER IF NOT EXISTS casting_search_profiles_update "
        f"AFTER UPDATE OF {', '.join(PROFILE_COLUMNS)} ON profiles "
        f"WHEN EXISTS (SELECT 1 FROM cinema_profiles WHERE profile_id = NEW.id) "
        f"BEGIN {_sqlite_log('(SELECT id FROM cinema_profiles WHERE profile_id = NEW.id)')} END")
    statements.append(
        f"CREATE TRIGGER IF NOT EXISTS casting_search_changes_prune AFTER INSERT ON cinema_search_changes "
        f"WHEN NEW.id % {PRUNE_EVERY} = 0 "
        f"BEGIN DELETE FROM cinema_search_changes WHERE stamp < NEW.stamp - {KEEP}; END")
    return statements


def _sqlite_drops() -> list[str]:
    names = [f"casting_search_{table}_{action}" for table in _SQLITE_TARGETS
             for action in ("insert", "update", "delete")]
    return [f"DROP TRIGGER IF EXISTS {name}"
            for name in [*names, "casting_search_profiles_update", "casting_search_changes_prune"]]


PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION casting_search_log() RETURNS trigger AS $$
DECLARE
    v_stamp bigint;
    changed bigint;
    item record;
BEGIN
    IF TG_OP = 'DELETE' THEN item := OLD; ELSE item := NEW; END IF;
    IF TG_TABLE_NAME = 'cinema_profiles' THEN
        changed := item.id;
    ELSIF TG_TABLE_NAME = 'cinema_talent_types' THEN
        changed := item.cinema_id;
    ELSIF TG_TABLE_NAME = 'profile_languages' THEN
        SELECT id INTO changed FROM cinema_profiles WHERE profile_id = item.profile_id;
    ELSE
        SELECT id INTO changed FROM cinema_profiles WHERE profile_id = item.id;
    END IF;
    IF changed IS NULL THEN
        RETURN NULL;
    END IF;
    v_stamp := nullif(current_setting('talentbase.casting_search_stamp', true), '')::bigint;
    IF v_stamp IS NULL THEN
        UPDATE code_sequences SET last_value = last_value + 1 WHERE scope = '{SCOPE}' RETURNING last_value INTO v_stamp;
        IF v_stamp IS NULL THEN
            RETURN NULL;
        END IF;
        PERFORM set_config('talentbase.casting_search_stamp', v_stamp::text, true);
        IF v_stamp % {PRUNE_EVERY} = 0 THEN
            DELETE FROM cinema_search_changes WHERE cinema_search_changes.stamp < v_stamp - {KEEP};
        END IF;
    END IF;
    INSERT INTO cinema_search_changes (stamp, cinema_id) VALUES (v_stamp, changed);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql
"""


def _pg_statements() -> list[str]:
    statements = [PG_FUNCTION]
    for table in _SQLITE_TARGETS:
        statements += [
            f"DROP TRIGGER IF EXISTS casting_search_{table} ON {table}",
            f"CREATE CONSTRAINT TRIGGER casting_search_{table} AFTER INSERT OR UPDATE OR DELETE ON {table} "
            f"DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION casting_search_log()",
        ]
    statements += [
        "DROP TRIGGER IF EXISTS casting_search_profiles ON profiles",
        f"CREATE CONSTRAINT TRIGGER casting_search_profiles AFTER UPDATE OF {', '.join(PROFILE_COLUMNS)} ON profiles "
        f"DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION casting_search_log()",
    ]
    return statements


def _pg_drops() -> list[str]:
    # CASCADE takes the triggers with the function, whichever of their tables is gone already.
    return ["DROP FUNCTION IF EXISTS casting_search_log() CASCADE"]


def ensure_counter(connection) -> None:
    """The counter row, made if missing (the migration makes it; a wiped table loses it). It
    starts at a random number: a snapshot cached before the row was lost can never match the
    new row's stamps by chance."""
    import secrets

    found = connection.execute(text("SELECT 1 FROM code_sequences WHERE scope = :scope"), {"scope": SCOPE}).scalar()
    if not found:
        connection.execute(text("INSERT INTO code_sequences (scope, last_value, updated_at) "
                                "VALUES (:scope, :start, CURRENT_TIMESTAMP)"),
                           {"scope": SCOPE, "start": 1_000_000 + secrets.randbelow(1_000_000_000)})


def install(connection) -> None:
    """Create the counter row and the triggers that keep it and the log (idempotent)."""
    dialect = connection.dialect.name
    if dialect not in ("sqlite", "postgresql"):
        return
    ensure_counter(connection)
    for statement in _sqlite_statements() if dialect == "sqlite" else _pg_statements():
        connection.execute(text(statement))


def drop(connection) -> None:
    dialect = connection.dialect.name
    statements = _sqlite_drops() if dialect == "sqlite" else _pg_drops() if dialect == "postgresql" else []
    for statement in statements:
        connection.execute(text(statement))


def version(session) -> int | None:
    """The current stamp; None when the counter row is missing (then nothing may be cached)."""
    return session.execute(text("SELECT last_value FROM code_sequences WHERE scope = :scope"),
                           {"scope": SCOPE}).scalar()


def changed_since(session, stamp: int, until: int) -> list[int]:
    """The cinema profiles logged with a stamp in (stamp, until]."""
    return list(session.execute(text("SELECT DISTINCT cinema_id FROM cinema_search_changes "
                                      "WHERE stamp > :low AND stamp <= :high"), {"low": stamp, "high": until}).scalars())


NEEDED = ("code_sequences", "profiles", "profile_languages", "cinema_profiles", "cinema_talent_types",
          "cinema_search_changes")


def _install_when_ready(_table, connection, **_kw) -> None:
    from sqlalchemy import inspect

    inspector = inspect(connection)
    if all(inspector.has_table(name) for name in NEEDED):
        install(connection)


def _drop_first(_table, connection, **_kw) -> None:
    drop(connection)


def _listen() -> None:
    """After create_all made the last of the tables the triggers need, install; before
    anything is dropped, drop."""
    from webapp.extensions import db

    # Whichever of them create_all makes last (the order among independent tables is not fixed).
    for name in NEEDED:
        event.listen(db.metadata.tables[name], "after_create", _install_when_ready)
    for name in ("cinema_talent_types", "cinema_search_changes", "cinema_profiles"):
        event.listen(db.metadata.tables[name], "before_drop", _drop_first)


_listen()
