"""Profiles' finished CSV lines, kept in the database (`export_lines`), so that a CSV export
of profiles reads one string per person instead of building some thirty cells from four
queries. Building a line costs about 15 µs of Python; reading a kept one, under 1 µs: the
users CSV goes from ~40,000 to several hundred thousand rows a second.

A kept line is never out of date, because the database itself deletes it the moment anything
it shows changes (triggers, so no code path can forget, bulk loads included):

- any update of the profile; any change to its skills or languages (`profile_skills`,
  `profile_languages`); a skill renamed or deleted (the lines of the people who have it);
- any change to a country or a city (every line: rare, and names appear in many lines);
- the age in a line changes on the person's birthday: a line is valid until then
  (`valid_until`), and then read as missing;
- a line is for one variant: the language, the delimiter, and a digest of the labels, the
  profile link and the code that wrote it (`variant_of`): a new release, a new
  PUBLIC_BASE_URL or new translations make new lines, the old ones are deleted by the next fill.

Lines are written only by `fill` (a background job), in a transaction that first shuts out
every writer of what the lines are made of, so nothing changes between its reading and its
writing: on SQLite `BEGIN IMMEDIATE` (the one writer); on PostgreSQL an exclusive advisory lock
(`FILL_LOCK`) that every watching trigger takes shared before it deletes a line. A write that
began before the fill holds the lock until it commits (the fill waits, then reads what it
wrote); one that begins during the fill waits in its trigger, then deletes the lines the fill
has just written. (SERIALIZABLE would not do: it only guards transactions that are all
serializable, and the app's writes are READ COMMITTED.) An export uses the lines there are and
makes the others as before (`csv_lines`), then asks for a fill of its variant.

The DDL is shared by the migration (0015_export_lines) and `db.create_all()` (the tests). A
SQLite migration that rebuilds one of the watched tables (batch "move and copy") drops its
triggers: it must call `install()` again (idempotent); tests/insights/test_export_lines.py
checks the migrated schema.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from datetime import date
from functools import cache
from itertools import islice
from operator import itemgetter
from pathlib import Path

from sqlalchemy import and_, delete, exists, func, insert, or_, select, text
from sqlalchemy.engine import Connection, Engine

from webapp.core.db import pg_tables, run_statements, with_the_tables
from webapp.directory.models import Profile
from webapp.exports.csvfile import line_writer
from webapp.exports.xlsx import Column
from webapp.extensions import db
from webapp.insights.export_rows import BATCH, Context, Selection, apply_selection, profile_records, stream_rows
from webapp.insights.models import ExportLine

FILL_CHUNK = 1000  # profiles per fill transaction: the write lock is held ~40 ms at a time
FILL_LOCK = 0x6578706F7274  # PostgreSQL advisory lock key ("export"): fills take it exclusive, triggers shared

# The code a line's text comes from: a change to any of them is a new variant.
_WRITERS = ("export_rows.py", "export_lines.py", "../exports/csvfile.py", "../exports/cells.py")


@cache
def _code_digest() -> str:
    here = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for name in _WRITERS:
        digest.update((here / name).read_bytes())
    return digest.hexdigest()


def variant_of(ctx: Context, delimiter: str) -> str:
    """The variant key: language and delimiter in clear (a fill drops the older digests of
    the same pair), then a digest of everything else a line depends on."""
    facts = json.dumps([_code_digest(), ctx.profile_url, {name: sorted(map(list, labels.items()), key=str)
                                                          for name, labels in ctx.labels.items()}],
                       sort_keys=True, default=str)
    return f"{ctx.locale}{delimiter}{hashlib.sha256(facts.encode()).hexdigest()[:20]}"


def _prefix(ctx: Context, delimiter: str) -> str:
    return f"{ctx.locale}{delimiter}"


def next_birthday(born: date | None, today: date) -> date | None:
    """The first day after `today` on which the age changes (a 29 February birthday counts
    on 1 March in other years); None without a birth date: the line never ages."""
    if born is None:
        return None
    for year in (today.year, today.year + 1):
        try:
            day = born.replace(year=year)
        except ValueError:  # 29 February in a common year
            day = date(year, 3, 1)
        if day > today:
            return day
    return None  # unreachable: next year's birthday is always after today


def _valid(variant: str, today: date):
    return and_(ExportLine.profile_id == Profile.id, ExportLine.variant == variant,
                or_(ExportLine.valid_until.is_(None), ExportLine.valid_until > today))


# Reading (the exports) ---------------------------------------------------------------------------

def csv_lines(conn: Connection, selection: Selection, columns: Sequence[Column], ctx: Context, delimiter: str,
              made: list[int]) -> Iterator[str]:
    """Every selected profile's line, in the selection's order: kept ones as they are, the
    others built now from the rows (their number is added to `made[0]`)."""
    write = line_writer(columns, delimiter)
    stmt = apply_selection(select(Profile.id, ExportLine.line).select_from(Profile)
                  .outerjoin(ExportLine, _valid(variant_of(ctx, delimiter), ctx.today)), selection, (Profile.id,))
    rows = stream_rows(conn, stmt)
    while batch := list(islice(rows, BATCH)):
        absent = [pid for pid, line in batch if line is None]
        if not absent:
            yield from map(itemgetter(1), batch)
            continue
        made[0] += len(absent)
        built = {pid: write(row) for pid, _born, row in _records_of(conn, absent, ctx)}
        yield from (line if line is not None else built[pid] for pid, line in batch)


def _records_of(conn: Connection, ids: list[int], ctx: Context) -> Iterator[tuple]:
    return profile_records(conn, Selection(conditions=(Profile.id.in_(ids),)), ctx)


# Writing (the background fill) -------------------------------------------------------------------

def fill(columns: Sequence[Column], ctx: Context, delimiter: str, engine: Engine | None = None) -> int:
    """Write every missing or outdated line of this variant, a chunk of profiles per
    transaction; returns how many were written. Safe to run in several processes at once."""
    engine = engine or db.engine
    variant, write = variant_of(ctx, delimiter), line_writer(columns, delimiter)
    _forget_older_variants(engine, _prefix(ctx, delimiter), variant)
    after, written = 0, 0
    while ids := _fill_chunk(engine, variant, write, ctx, after):
        after, written = ids[-1], written + len(ids)
    return written


def _fill_chunk(engine: Engine, variant: str, write, ctx: Context, after: int) -> list[int]:
    with engine.connect() as conn:
        _begin_writing(conn)
        # FOR KEY SHARE (PostgreSQL): the chunk's profiles cannot be deleted before the lines
        # are written (their foreign key), and one deleted meanwhile is left out of it.
        ids = list(conn.scalars(select(Profile.id).where(Profile.id > after, ~exists().where(_valid(variant, ctx.today)))
                                .order_by(Profile.id).limit(FILL_CHUNK)
                                .with_for_update(read=True, key_share=True, of=Profile)))
        if ids:
            lines = [{"profile_id": pid, "variant": variant, "line": write(row),
                      "valid_until": next_birthday(born, ctx.today)} for pid, born, row in _records_of(conn, ids, ctx)]
            conn.execute(delete(ExportLine).where(ExportLine.variant == variant, ExportLine.profile_id.in_(ids)))
            if lines:
                conn.execute(insert(ExportLine), lines)
        conn.commit()
        return ids


def _begin_writing(conn: Connection) -> None:
    """Shut out the writers of what lines are made of until this transaction ends (see the
    module's doc)."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    elif conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": FILL_LOCK})


def _forget_older_variants(engine: Engine, prefix: str, variant: str) -> None:
    with engine.begin() as conn:
        conn.execute(delete(ExportLine).where(func.substr(ExportLine.variant, 1, len(prefix)) == prefix,
                                              ExportLine.variant != variant))


def clear(engine: Engine | None = None) -> None:
    """Forget every kept line (the benchmark's cold start)."""
    with (engine or db.engine).begin() as conn:
        conn.execute(delete(ExportLine))


# The triggers ------------------------------------------------------------------------------------

_FORGET = "DELETE FROM export_lines WHERE profile_id = {who}"
_FORGET_SKILL = "DELETE FROM export_lines WHERE profile_id IN (SELECT profile_id FROM profile_skills WHERE skill_id = old.id)"
_FORGET_ALL = "DELETE FROM export_lines"
# (table, when, operation, statements over new/old) for SQLite, one trigger each.
_SQLITE_TRIGGERS = (
    ("profiles", "AFTER", "UPDATE", (_FORGET.format(who="old.id"),)),  # ids never change
    *((table, "AFTER", "INSERT", (_FORGET.format(who="new.profile_id"),))
      for table in ("profile_skills", "profile_languages")),
    *((table, "AFTER", "UPDATE", (_FORGET.format(who="old.profile_id"), _FORGET.format(who="new.profile_id")))
      for table in ("profile_skills", "profile_languages")),
    *((table, "AFTER", "DELETE", (_FORGET.format(who="old.profile_id"),))
      for table in ("profile_skills", "profile_languages")),
    # before: the people who have the skill are still linked to it
    ("skills", "BEFORE", "UPDATE", (_FORGET_SKILL,)),
    ("skills", "BEFORE", "DELETE", (_FORGET_SKILL,)),
    *((table, "AFTER", operation, (_FORGET_ALL,)) for table in ("countries", "cities")
      for operation in ("UPDATE", "DELETE")),
)
WATCHED = ("profiles", "profile_skills", "profile_languages", "skills", "countries", "cities")


def sqlite_trigger_names() -> list[str]:
    return [f"export_lines_{table}_{when}_{operation}".lower() for table, when, operation, _ in _SQLITE_TRIGGERS]


def _sqlite_ddl() -> list[str]:
    return [f"CREATE TRIGGER IF NOT EXISTS {name} {when} {operation} ON {table} BEGIN {'; '.join(statements)}; END"
            for name, (table, when, operation, statements) in zip(sqlite_trigger_names(), _SQLITE_TRIGGERS, strict=True)]


_PG_FUNCTIONS = {
    # profiles: the row's own id; profile_skills and profile_languages: their profile_id
    "export_lines_forget_profile": "IF TG_OP <> 'INSERT' THEN DELETE FROM export_lines WHERE profile_id = OLD.id; END IF;"
                                   " IF TG_OP <> 'DELETE' THEN DELETE FROM export_lines WHERE profile_id = NEW.id; END IF;"
                                   " RETURN NULL;",
    "export_lines_forget_owner": "IF TG_OP <> 'INSERT' THEN DELETE FROM export_lines WHERE profile_id = OLD.profile_id;"
                                 " END IF; IF TG_OP <> 'DELETE' THEN DELETE FROM export_lines"
                                 " WHERE profile_id = NEW.profile_id; END IF; RETURN NULL;",
    "export_lines_forget_skill": f"{_FORGET_SKILL.replace('old.', 'OLD.')}; IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;"
                                 " RETURN NEW;",
    "export_lines_forget_all": f"{_FORGET_ALL}; RETURN NULL;",
}
_PG_TRIGGERS = (
    ("profiles", "AFTER UPDATE", "FOR EACH ROW", "export_lines_forget_profile"),
    ("profile_skills", "AFTER INSERT OR UPDATE OR DELETE", "FOR EACH ROW", "export_lines_forget_owner"),
    ("profile_languages", "AFTER INSERT OR UPDATE OR DELETE", "FOR EACH ROW", "export_lines_forget_owner"),
    ("skills", "BEFORE UPDATE OR DELETE", "FOR EACH ROW", "export_lines_forget_skill"),
    ("countries", "AFTER UPDATE OR DELETE", "FOR EACH STATEMENT", "export_lines_forget_all"),
    ("cities", "AFTER UPDATE OR DELETE", "FOR EACH STATEMENT", "export_lines_forget_all"),
)


def _pg_ddl() -> list[str]:
    wait_for_fills = f"PERFORM pg_advisory_xact_lock_shared({FILL_LOCK});"
    statements = [f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {wait_for_fills} "
                  f"{body} END $$" for name, body in _PG_FUNCTIONS.items()]
    for table, when, each, function in _PG_TRIGGERS:
        statements += [f"DROP TRIGGER IF EXISTS export_lines_watch ON {table}",
                       f"CREATE TRIGGER export_lines_watch {when} ON {table} {each} EXECUTE FUNCTION {function}()"]
    return statements


def install(connection) -> None:
    """Create the triggers (idempotent)."""
    name = connection.dialect.name
    run_statements(connection, _sqlite_ddl() if name == "sqlite" else _pg_ddl() if name == "postgresql" else ())


def drop(connection) -> None:
    name = connection.dialect.name
    if name == "sqlite":
        statements = [f"DROP TRIGGER IF EXISTS {trigger}" for trigger in sqlite_trigger_names()]
    elif name == "postgresql":
        existing = pg_tables(connection)
        statements = [f"DROP TRIGGER IF EXISTS export_lines_watch ON {table}" for table in WATCHED if table in existing]
        statements += [f"DROP FUNCTION IF EXISTS {function}() CASCADE" for function in _PG_FUNCTIONS]
    else:
        statements = []
    run_statements(connection, statements)


# db.create_all() / drop_all() (the tests): once every watched table exists, and before any goes.
with_the_tables(db.metadata, install, drop)

