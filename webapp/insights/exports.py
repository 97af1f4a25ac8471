"""Exports to Excel and CSV: who may export what, the background job with its progress, the
file under EXPORT_DIR and its download, and the direct streams of the seed's API endpoints.

Full exports (every profile, every cinema talent) are for administrators; list exports
(what a recruiter sees in the directory or the casting search, a project's shortlist) for
recruiters too. Every export is written to the audit log: who, what, filters, rows.
"""

from __future__ import annotations

import logging
import os
import re
import secrets
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

from flask import current_app
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from sqlalchemy import func, select, update

from webapp.audit import services as audit
from webapp.core import jobs
from webapp.core.db import utcnow
from webapp.core.errors import NotFound, ServiceError, ValidationFailed
from webapp.core.permissions import Role, policy, require
from webapp.exports.csvfile import stream_csv, stream_lines
from webapp.exports.xlsx import stream_xlsx
from webapp.extensions import SQLITE_MMAP_SIZE, db
from webapp.insights import export_lines, export_rows
from webapp.insights.export_rows import SOURCES, Selection
from webapp.insights.models import EXPORT_FORMATS, EXPORT_KINDS, Export

log = logging.getLogger(__name__)

FULL_KINDS = ("users", "cinema")
LIST_KINDS = ("directory", "casting", "shortlist")
MAX_ACTIVE_PER_USER = 3  # queued or running at once
PROGRESS_EVERY_ROWS = 2000
PROGRESS_EVERY_SECONDS = 0.5
MIMETYPES = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             "csv": "text/csv; charset=utf-8"}


class TooManyExports(ServiceError):
    status = 429
    code = "too_many_exports"


class ExportUnavailable(ServiceError):
    status = 409
    code = "export_not_ready"


# Who may do what -----------------------------------------------------------------------------

@policy("export.full")
def _may_export_everything(user, _obj) -> bool:
    return user.role == Role.ADMIN


@policy("export.list")
def _may_export_lists(user, _obj) -> bool:
    return user.role in (Role.RECRUITER, Role.ADMIN)


@policy("export.view")
def _may_see_export(user, export) -> bool:
    """An export's progress and file: its owner, or an administrator."""
    return export is not None and (export.user_id == user.id or user.role == Role.ADMIN)


# What an export asks for ---------------------------------------------------------------------

@dataclass(frozen=True)
class Request:
    kind: str
    format: str = "xlsx"
    filters: dict | None = None  # directory/casting: the search's query arguments; shortlist: {"project": id}
    bom: bool = False
    semicolon: bool = False

    @property
    def delimiter(self) -> str:
        return ";" if self.semicolon else ","


def _check_request(actor, wanted: Request) -> tuple[Selection, dict]:
    """The rows the request selects (after its permissions), and the filters to remember."""
    errors = {}
    if wanted.kind not in EXPORT_KINDS:
        errors["kind"] = [_("Choose one of the options.")]
    if wanted.format not in EXPORT_FORMATS:
        errors["format"] = [_("Choose Excel or CSV.")]
    if errors:
        raise ValidationFailed(fields=errors)
    require("export.full" if wanted.kind in FULL_KINDS else "export.list", user=actor)
    filters = dict(wanted.filters or {})
    if wanted.kind in FULL_KINDS:
        return Selection(), {}
    if wanted.kind == "shortlist":
        return _shortlist(actor, filters)
    return SELECTORS[wanted.kind](actor, filters)


def _shortlist(actor, filters: dict) -> tuple[Selection, dict]:
    from webapp.casting import services as casting

    raw = filters.get("project")
    try:
        project_id = int(raw)
    except (TypeError, ValueError):
        raise ValidationFailed(fields={"project": [_("Choose a project.")]}) from None
    project = casting.get_project(project_id, viewer=actor)  # 404, or 403 for another production's project
    return export_rows.shortlist_selection(project.id), {"project": project.id, "project_code": project.code,
                                                         "project_name": project.name}


def _casting(actor, filters: dict) -> tuple[Selection, dict]:
    """The casting search's own criteria and matches (webapp/casting/search.py), never a copy."""
    from webapp.casting import search

    criteria = search.criteria_from(filters)
    return Selection(ids=tuple(search.matching_ids(actor, criteria))), criteria.as_args()


def _directory(actor, filters: dict) -> tuple[Selection, dict]:
    """The directory search's own criteria, conditions and order (webapp/directory/search.py):
    its WHERE clauses and ORDER BY become the export's, so the file
    holds exactly the results, in the order seen (relevance, a rank, falls back to newest)."""
    from werkzeug.datastructures import MultiDict

    from webapp.core.errors import Forbidden
    from webapp.core.permissions import can
    from webapp.directory import search
    from webapp.directory.forms import criteria_from_args

    require("directory.search", user=actor)
    args = MultiDict([(key, item) for key, value in filters.items()
                      for item in (value if isinstance(value, (list, tuple)) else [value])])
    criteria = criteria_from_args(args)
    if criteria.include_inactive and not can(actor, "profile.moderate"):
        raise Forbidden(_("Only administrators can include inactive profiles."))
    search.check(criteria)
    conditions = list(search.filter_conditions(criteria))
    if criteria.words:
        conditions.append(search.TextMatch(criteria.words).condition())
    order = criteria.order if criteria.order in search.ORDERS and criteria.order != "relevance" else "newest"
    return (Selection(conditions=tuple(conditions), order=tuple(search.ORDERS[order].clauses()), by_id=False),
            criteria.as_args())


# The searches turn their criteria into a Selection (their query, not a copy).
SELECTORS = {"directory": _directory, "casting": _casting}


def register_selector(kind: str, selector) -> None:
    SELECTORS[kind] = selector


def _locale() -> str:
    return str(get_locale() or "en")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "export"


def download_name(kind: str, fmt: str, filters: dict) -> str:
    from webapp.settings import services as settings

    what = {"users": "profiles", "directory": "directory", "cinema": "cinema-talents", "casting": "casting",
            "shortlist": f"shortlist-{filters.get('project_code', '')}"}[kind]
    return f"{_slug(settings.site_name())}-{_slug(what)}-{date.today().isoformat()}.{fmt}"


@dataclass
class Prepared:
    """What the writer needs besides the rows, made once in the requester's language."""

    columns: list
    sheet: str
    context: export_rows.Context


def profile_link_prefix() -> str:
    """PUBLIC_BASE_URL and the staff profile page's path, up to the id (works outside a request)."""
    marker = "2147483647"
    path = current_app.url_map.bind("localhost").build("directory.profile_page", {"profile_id": int(marker)})
    return current_app.config["PUBLIC_BASE_URL"] + path.removesuffix(marker)


def prepare(kind: str, locale: str) -> Prepared:
    source = SOURCES[kind]
    with force_locale(locale):
        return Prepared(list(source.columns()), str(source.sheet),
                        export_rows.make_context(locale, profile_link_prefix()))


LINE_KINDS = ("users", "directory")  # the profile exports, whose CSV lines are kept (export_lines.py)


def write_chunks(conn, wanted: Request, selection: Selection, prepared: Prepared,
                 counter: list[int] | None = None, built: list[int] | None = None) -> Iterator[bytes]:
    """The file's bytes, rows read from `conn` as they are written (no Flask needed here).
    A profiles CSV takes the kept lines and builds the others, counting them in `built`."""
    def count(rows):
        return rows if counter is None else _counting(rows, counter)

    if wanted.format != "csv":
        rows = SOURCES[wanted.kind].rows(conn, selection, prepared.context)
        return stream_xlsx(prepared.columns, count(rows), sheet_name=prepared.sheet)
    context, delimiter = replace(prepared.context, iso_text=True), wanted.delimiter
    if wanted.kind in LINE_KINDS:
        lines = export_lines.csv_lines(conn, selection, prepared.columns, context, delimiter,
                                       built if built is not None else [0])
        return stream_lines(prepared.columns, count(lines), delimiter, bom=wanted.bom)
    rows = SOURCES[wanted.kind].rows(conn, selection, context)
    return stream_csv(prepared.columns, count(rows), delimiter, bom=wanted.bom)


def fill_lines(locale: str, delimiter: str) -> None:
    """The background job after a profiles CSV that had to build lines: keep them for the next
    (every profile's, in this language and with this delimiter)."""
    prepared = prepare("users", locale)
    with _filling_lock:
        if (locale, delimiter) in _filling:
            return  # this process fills them already
        _filling.add((locale, delimiter))
    try:
        written = export_lines.fill(prepared.columns, replace(prepared.context, iso_text=True), delimiter)
        log.info("kept %d CSV lines (%s, %r)", written, locale, delimiter)
    finally:
        with _filling_lock:
            _filling.discard((locale, delimiter))


_filling: set[tuple[str, str]] = set()
_filling_lock = threading.Lock()


def _keep_lines_after(wanted: Request, locale: str, built: list[int]) -> None:
    if built[0] and wanted.format == "csv" and wanted.kind in LINE_KINDS:
        jobs.enqueue(fill_lines, locale, wanted.delimiter)


def _counting(rows, counter: list[int]):
    for row in rows:
        counter[0] += 1
        yield row


def _reading_connection(engine=None):
    """A connection of its own for the rows, so progress can be committed beside it; on
    PostgreSQL one snapshot for the main and the list queries (REPEATABLE READ). On SQLite
    without memory-mapping: an export reads every page once, and mapped pages would count in
    the worker's memory for as long as the file is mapped (the small page cache suffices)."""
    conn = (engine or db.engine).connect()
    if conn.dialect.name == "postgresql":
        conn = conn.execution_options(isolation_level="REPEATABLE READ")
    elif conn.dialect.name == "sqlite":
        conn.exec_driver_sql("PRAGMA mmap_size=0")
    return conn


def _release(conn) -> None:
    """Back to the pool as the engine made it (searches want their memory-mapping back)."""
    try:
        if conn.dialect.name == "sqlite":
            conn.rollback()
            conn.exec_driver_sql(f"PRAGMA mmap_size={SQLITE_MMAP_SIZE}")
    finally:
        conn.close()


def _audit(actor, wanted: Request, filters: dict, rows: int, how: str, export: Export | None = None) -> None:
    details = {"kind": wanted.kind, "format": wanted.format, "filters": filters, "rows": rows, "how": how}
    if wanted.format == "csv":
        details["options"] = {"bom": wanted.bom, "semicolon": wanted.semicolon}
    audit.record(f"export.{wanted.kind}", actor=actor, target=export, **details)


# Direct streams (the seed's GET /api/v1/exports/... answer the file itself) ------------------

@dataclass
class Stream:
    chunks: Iterator[bytes]
    filename: str
    mimetype: str
    rows: int


def stream(actor, wanted: Request) -> Stream:
    """The file, streamed as it is written (constant memory); counted and audited first."""
    selection, filters = _check_request(actor, wanted)
    rows = SOURCES[wanted.kind].count(db.session, selection)
    _audit(actor, wanted, filters, rows, "download")
    db.session.commit()
    locale = _locale()
    prepared = prepare(wanted.kind, locale)
    engine, app, built = db.engine, current_app._get_current_object(), [0]

    def generate():
        conn = _reading_connection(engine)
        try:
            yield from write_chunks(conn, wanted, selection, prepared, built=built)
        finally:
            _release(conn)
        with app.app_context():  # the response is sent by now: keep the lines for the next
            _keep_lines_after(wanted, locale, built)

    return Stream(generate(), download_name(wanted.kind, wanted.format, filters), MIMETYPES[wanted.format], rows)


# Background exports ----------------------------------------------------------------------------

def export_dir() -> Path:
    return Path(current_app.config["EXPORT_DIR"])


def start(actor, wanted: Request) -> Export:
    """Queue an export; it runs in the background and its file can be downloaded when ready."""
    selection, filters = _check_request(actor, wanted)
    purge_expired()
    active = db.session.scalar(select(func.count(Export.id)).where(Export.user_id == actor.id,
                                                                      Export.status.in_(("queued", "running"))))
    if active >= MAX_ACTIVE_PER_USER:
        raise TooManyExports(_("You already have %(n)d exports in progress. Wait for one to finish.",
                               n=MAX_ACTIVE_PER_USER))
    rows = SOURCES[wanted.kind].count(db.session, selection)
    export = Export(user_id=actor.id, kind=wanted.kind, format=wanted.format, filters=filters,
                    options={"bom": wanted.bom, "semicolon": wanted.semicolon, "locale": _locale()},
                    status="queued", rows_total=rows, rows_done=0,
                    download_name=download_name(wanted.kind, wanted.format, filters))
    db.session.add(export)
    db.session.flush()
    _audit(actor, wanted, filters, rows, "background", export)
    db.session.commit()
    jobs.enqueue(run, export.id)
    return export


def _selection_of(export: Export) -> Selection:
    from webapp.accounts.models import User

    if export.kind in FULL_KINDS:
        return Selection()
    if export.kind == "shortlist":
        return export_rows.shortlist_selection(int(export.filters["project"]))
    owner = db.session.get(User, export.user_id)
    return SELECTORS[export.kind](owner, export.filters)[0]


def _set_progress(export_id: int, **values) -> None:
    db.session.execute(update(Export).where(Export.id == export_id).values(**values))
    db.session.commit()


def run(export_id: int) -> None:
    """The job: write the rows to a file under EXPORT_DIR, telling how far it got."""
    export = db.session.get(Export, export_id)
    if export is None or export.status != "queued":
        return
    wanted = Request(export.kind, export.format, export.filters, bool(export.options.get("bom")),
                     bool(export.options.get("semicolon")))
    folder = export_dir()
    folder.mkdir(parents=True, exist_ok=True)
    stored = f"{secrets.token_hex(16)}.{export.format}"
    partial = folder / f"{stored}.part"
    counter, built = [0], [0]
    locale = export.options.get("locale", "en")
    _set_progress(export_id, status="running", started_at=utcnow())
    try:
        selection = _selection_of(export)
        conn = _reading_connection()
        try:
            with partial.open("wb") as out:
                last_rows, last_time = 0, time.monotonic()
                prepared = prepare(export.kind, locale)
                for chunk in write_chunks(conn, wanted, selection, prepared, counter, built):
                    out.write(chunk)
                    if counter[0] - last_rows >= PROGRESS_EVERY_ROWS or \
                            time.monotonic() - last_time >= PROGRESS_EVERY_SECONDS:
                        _set_progress(export_id, rows_done=counter[0])
                        last_rows, last_time = counter[0], time.monotonic()
        finally:
            _release(conn)
        os.replace(partial, folder / stored)
    except Exception as exc:
        log.exception("export %s failed", export_id)
        partial.unlink(missing_ok=True)
        db.session.rollback()
        _set_progress(export_id, status="failed", finished_at=utcnow(), rows_done=counter[0],
                      error=type(exc).__name__)
        return
    now = utcnow()
    _set_progress(export_id, status="ready", stored_name=stored, size=(folder / stored).stat().st_size,
                  rows_done=counter[0], finished_at=now,
                  expires_at=now + timedelta(hours=current_app.config["EXPORT_TTL_HOURS"]))
    _keep_lines_after(wanted, locale, built)


def get(export_id: int, viewer) -> Export:
    export = db.session.get(Export, export_id)
    if export is None:
        raise NotFound(_("This export does not exist."))
    require("export.view", export, user=viewer)
    return export


def mine(viewer, limit: int = 20) -> list[Export]:
    require("export.list", user=viewer)
    purge_expired()
    stmt = select(Export).where(Export.user_id == viewer.id).order_by(Export.id.desc()).limit(limit)
    return list(db.session.scalars(stmt))


def file_of(export: Export, viewer) -> Path:
    """The file to download (owner or admin; ready and not expired)."""
    require("export.view", export, user=viewer)
    if export.status != "ready" or not export.stored_name:
        raise ExportUnavailable(_("This export is not ready to download."))
    if export.expires_at and export.expires_at <= utcnow():
        purge_expired()
        raise ExportUnavailable(_("This export has expired. Start it again."))
    path = export_dir() / export.stored_name
    if not path.exists():
        raise ExportUnavailable(_("This export's file is no longer there. Start it again."))
    return path


STALE_AFTER = timedelta(hours=6)  # an export still "running" this long after it began was interrupted


def purge_expired() -> int:
    """Remove the files of expired exports (and mark them expired); exports left queued or
    running by a process that stopped are marked failed, so nobody waits for them forever."""
    now = utcnow()
    db.session.execute(update(Export).where(Export.status.in_(("queued", "running")),
                                            Export.created_at < now - STALE_AFTER)
                       .values(status="failed", error="interrupted", finished_at=now))
    expired = list(db.session.scalars(select(Export).where(Export.status == "ready", Export.expires_at <= now)))
    for export in expired:
        if export.stored_name:
            (export_dir() / export.stored_name).unlink(missing_ok=True)
        export.status = "expired"
        export.stored_name = None
    db.session.commit()
    return len(expired)


def count(actor, wanted: Request) -> int:
    """How many rows the export would hold (its permissions and filters checked)."""
    selection, _filters = _check_request(actor, wanted)
    return SOURCES[wanted.kind].count(db.session, selection)
