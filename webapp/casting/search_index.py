"""The version stamp of the casting search's data, kept by the database itself.

The attribute search counts talents per choice (eye colour, talent type ...) from an
in-memory snapshot of the cinema profiles (webapp/casting/facets.py), because eight GROUP BY
passes over 30,000 rows cost more than the 50 ms the search has. The snapshot must never be
stale, whatever writes the data (a page, the API, a bulk import, a merge of duplicates, a
script in a shell): so triggers in the database bump one counter, the row `cinema-search` of
`code_sequences`, whenever something the search reads changes:

- cinema_profiles: any insert, update or delete;
- cinema_talent_types and profile_languages: any insert, update or delete;
- profiles: an update of gender, birth date, places, years of experience, activity, consent or
  names (SQLite: only for profiles with cinema details; PostgreSQL: per statement).

The counter changes in the writer's transaction, so a reader sees the new number exactly when
it can see the new rows; a reader reads the number first, then the rows, and reloads when the
number moved. On SQLite the triggers run per row (writes are serialised anyway). On
PostgreSQL they are deferred constraint triggers that bump at most once per transaction
(a transaction-local setting remembers it), at commit, after every row lock the transaction
takes: bulk loads stay cheap and two writers cannot deadlock on the counter.

`install()` runs from the migration (0008_casting_ui) and after `db.create_all()` (the
tests); it is idempotent. A SQLite migration that rebuilds one of these tables drops its
triggers: it must call `install()` again.
"""

from __future__ import annotations

from sqlalchemy import event, text

from webapp.casting.models import CinemaProfile

SCOPE = "cinema-search"
# The profile columns the casting search reads.
PROFILE_COLUMNS = ("gender", "birth_date", "residence_country_id", "origin_country_id", "residence_city_id",
                   "origin_city_id", "years_experience", "is_active", "directory_consent_at", "sort_name",
                   "first_name", "last_name", "user_id", "created_at")
WATCHED = ("cinema_profiles", "cinema_talent_types", "profile_languages")

_BUMP_SQLITE = f"UPDATE code_sequences SET last_value = last_value + 1 WHERE scope = '{SCOPE}';"


def _sqlite_statements() -> list[str]:
    statements = []
    for table in ("cinema_profiles", "cinema_talent_types"):
        for action in ("INSERT", "UPDATE", "DELETE"):
            statements.append(f"CREATE TRIGGER IF NOT EXISTS casting_search_{table}_{action.lower()} "
                              f"AFTER {action} ON {table} BEGIN {_BUMP_SQLITE} END")
    for action, row in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")):
        statements.append(
            f"CREATE TRIGGER IF NOT EXISTS casting_search_profile_languages_{action.lower()} "
            f"AFTER {action} ON profile_languages "
            f"WHEN EXISTS (SELECT 1 FROM cinema_profiles WHERE profile_id = {row}.profile_id) "
            f"BEGIN {_BUMP_SQLITE} END")
    statements.append(
        f"CREATE TRIGGER IF NOT EXISTS casting_search_profiles_update "
        f"AFTER UPDATE OF {', '.join(PROFILE_COLUMNS)} ON profiles "
        f"WHEN EXISTS (SELECT 1 FROM cinema_profiles WHERE profile_id = NEW.id) "
        f"BEGIN {_BUMP_SQLITE} END")
    return statements


def _sqlite_drops() -> list[str]:
    names = [f"casting_search_{table}_{action}" for table in ("cinema_profiles", "cinema_talent_types",
                                                               "profile_languages")
             for action in ("insert", "update", "delete")]
    return [f"DROP TRIGGER IF EXISTS {name}" for name in [*names, "casting_search_profiles_update"]]


PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION casting_search_bump() RETURNS trigger AS $$
BEGIN
    IF coalesce(current_setting('talentbase.casting_search_bumped', true), '') <> '1' THEN
        PERFORM set_config('talentbase.casting_search_bumped', '1', true);
        UPDATE code_sequences SET last_value = last_value + 1 WHERE scope = '{SCOPE}';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql
"""


def _pg_statements() -> list[str]:
    statements = [PG_FUNCTION]
    for table in WATCHED:
        statements += [
            f"DROP TRIGGER IF EXISTS casting_search_{table} ON {table}",
            f"CREATE CONSTRAINT TRIGGER casting_search_{table} AFTER INSERT OR UPDATE OR DELETE ON {table} "
            f"DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION casting_search_bump()",
        ]
    statements += [
        "DROP TRIGGER IF EXISTS casting_search_profiles ON profiles",
        f"CREATE CONSTRAINT TRIGGER casting_search_profiles AFTER UPDATE OF {', '.join(PROFILE_COLUMNS)} ON profiles "
        f"DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION casting_search_bump()",
    ]
    return statements


def _pg_drops() -> list[str]:
    # CASCADE takes the triggers with the function, whichever of their tables is gone already.
    return ["DROP FUNCTION IF EXISTS casting_search_bump() CASCADE"]


def ensure_counter(connection) -> None:
    """The counter row, made if missing (the migration makes it; a wiped table loses it)."""
    found = connection.execute(text("SELECT 1 FROM code_sequences WHERE scope = :scope"), {"scope": SCOPE}).scalar()
    if not found:
        connection.execute(text("INSERT INTO code_sequences (scope, last_value, updated_at) "
                                "VALUES (:scope, 1, CURRENT_TIMESTAMP)"), {"scope": SCOPE})


def install(connection) -> None:
    """Create the counter row and the triggers that keep it (idempotent)."""
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


def _install_when_ready(_table, connection, **_kw) -> None:
    install(connection)


def _drop_first(_table, connection, **_kw) -> None:
    drop(connection)


def _listen() -> None:
    """After create_all made cinema_talent_types (the last of the watched tables, as it needs
    cinema_profiles), install; before anything is dropped, drop."""
    from webapp.casting.models import cinema_talent_types

    event.listen(cinema_talent_types, "after_create", _install_when_ready)
    event.listen(cinema_talent_types, "before_drop", _drop_first)
    event.listen(CinemaProfile.__table__, "before_drop", _drop_first)


_listen()
