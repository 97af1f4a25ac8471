"""One matching engine per process, kept in step with the database on SQLite and PostgreSQL.

Start: the engine is built from the database (webapp/ai/documents.py). Under gunicorn the
build starts in a background thread as soon as a worker boots (gunicorn.conf.py
`post_worker_init`, else the first request); a search that comes before it is ready gets
`WarmingUp` (the pages say so and retry, the API answers 503 with Retry-After). Building
100,000 profiles takes about 20 s on this machine, which no request should wait for; a
snapshot on disk was the other way, but it must be proven to match the database it was
taken from, and a rebuild is needed after taxonomy changes anyway. With
`AI_INDEX_BUILD=inline` (the tests) the first search builds it and waits.

Staying correct: before each search, `sync()` reads the change feed (`search_changes`) past
the engine's watermark (the last feed id applied) with one indexed query, loads the changed
profiles with one query per table and applies them (`Engine.apply`: deleted, deactivated
or no longer consenting profiles are removed; their old versions never match again).
A feed id that is missing below the newest one read belongs to a transaction not committed
yet (PostgreSQL hands out ids before commit): it is looked for again on the next syncs, for
`GAP_SECONDS`. A rebuild marker (a feed row without profile id) builds a new engine in the
background while the current one keeps answering; the new one replaces it when ready.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

from flask import Flask, current_app
from sqlalchemy import func, or_, select

from webapp.ai import documents
from webapp.ai.models import SearchChange
from webapp.core import warmup
from webapp.extensions import db
from webapp.matching import Engine

log = logging.getLogger(__name__)
GAP_SECONDS = 120.0
MAX_GAPS = 10_000
FEED_DAYS = 7       # feed rows kept this long (every build prunes older ones)
GAP_WINDOW = 1000   # feed ids below a new build's watermark checked for late commits


class WarmingUp(Exception):
    """The index is being built; try again in a moment."""

    def __init__(self, seconds_so_far: float = 0.0):
        self.seconds_so_far = seconds_so_far
        super().__init__("The AI index is warming up.")


@dataclass
class Status:
    state: str               # "cold", "building", "ready", "failed"
    profiles: int
    watermark: int
    build_seconds: float | None
    memory_bytes: int
    rebuilding: bool


class SearchIndex:
    def __init__(self, app: Flask):
        self.app = app
        self.engine: Engine | None = None
        self.state = "cold"
        self.build_seconds: float | None = None
        self.rebuilds = 0
        self._vocabulary: documents.Vocabulary | None = None
        self._gaps: dict[int, float] = {}       # feed id not seen yet -> when first missed
        self._sync_lock = threading.Lock()
        self._build_lock = threading.Lock()
        self._building_since: float | None = None
        self._thread: threading.Thread | None = None

    # ---------------------------------------------------------------- building
    def _build(self) -> tuple[Engine, documents.Vocabulary, dict[int, float]]:
        """A fresh engine over every indexed profile; its watermark is the newest feed id
        read *before* the rows, so changes made during the build are applied after it. Ids
        missing just below it may belong to transactions still open: they are gaps to watch."""
        started = time.perf_counter()
        watermark = db.session.scalar(select(func.max(SearchChange.id))) or 0
        recent = set(db.session.scalars(select(SearchChange.id).where(SearchChange.id > watermark - GAP_WINDOW)))
        now = time.monotonic()
        gaps = {i: now for i in range(max(1, watermark - GAP_WINDOW + 1), watermark + 1) if i not in recent}
        vocabulary = documents.load_vocabulary()
        engine = Engine(vocabulary.skills, vocabulary.places, vocabulary.values)
        engine.rebuild(documents.all_documents(vocabulary))
        engine.watermark = watermark
        db.session.rollback()  # end the read transaction (PostgreSQL: no idle-in-transaction)
        prune_feed()
        self.build_seconds = round(time.perf_counter() - started, 2)
        log.info("AI index built: %d profiles in %.1f s", len(engine), self.build_seconds)
        return engine, vocabulary, gaps

    def _install(self, engine: Engine, vocabulary: documents.Vocabulary, gaps: dict[int, float],
                 locked: bool = False) -> None:
        if not locked:
            with self._sync_lock:
                return self._install(engine, vocabulary, gaps, locked=True)
        if self.engine is not None:
            self.rebuilds += 1
        self.engine, self._vocabulary, self._gaps = engine, vocabulary, gaps
        self.state = "ready"

    def build_now(self) -> None:
        with self._build_lock:
            self._install(*self._build())

    def start_background_build(self) -> bool:
        """Build (or rebuild) in a thread; False when one is already running."""
        with self._build_lock:
            if self._thread is not None and self._thread.is_alive():
                return False
            if self.engine is None:
                self.state = "building"
            self._building_since = time.monotonic()
            self._thread = threading.Thread(target=self._run_build, name="ai-index-build", daemon=True)
            self._thread.start()
            return True

    def _run_build(self) -> None:
        try:
            with self.app.app_context():
                try:
                    built = self._build()
                finally:
                    db.session.remove()
            self._install(*built)
            warmup.settle()
        except Exception:  # noqa: BLE001 (a failed build must not kill the thread silently)
            log.exception("Building the AI index failed")
            if self.engine is None:
                self.state = "failed"
        finally:
            self._building_since = None

    @property
    def building(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    # ---------------------------------------------------------------- using
    def ready_engine(self) -> Engine:
        """The engine, up to date with every committed change (raises WarmingUp)."""
        if self.engine is None:
            if current_app.config.get("AI_INDEX_BUILD") == "inline":
                self.build_now()
            else:
                self.start_background_build()
                since = self._building_since
                raise WarmingUp(time.monotonic() - since if since else 0.0)
        self.sync()
        return self.engine

    def sync(self) -> int:
        """Apply the changes committed since the watermark; returns how many profiles changed."""
        with self._sync_lock:
            engine = self.engine
            if engine is None:
                return 0
            watermark = engine.watermark or 0
            # The watermark's own row comes back too: if it is gone, the feed was reset (a
            # database restored or emptied) and nothing past it can be trusted: rebuild.
            since = SearchChange.id >= watermark
            query = select(SearchChange.id, SearchChange.profile_id).where(
                or_(since, SearchChange.id.in_(list(self._gaps))) if self._gaps else since)
            rows = db.session.execute(query.order_by(SearchChange.id)).all()
            if watermark and all(row.id != watermark for row in rows) and watermark not in self._gaps:
                log.warning("The AI index change feed was reset: rebuilding")
                return self._rebuild_locked(0)
            rows = [row for row in rows if row.id != watermark]
            if not rows:
                self._expire_gaps()
                return 0
            seen = {row.id for row in rows}
            newest = max(watermark, max(seen))
            for gap_id in range(watermark + 1, newest):
                if gap_id not in seen and gap_id not in self._gaps and len(self._gaps) < MAX_GAPS:
                    self._gaps[gap_id] = time.monotonic()
            for found in seen & set(self._gaps):
                del self._gaps[found]
            self._expire_gaps()
            changed = {row.profile_id for row in rows if row.profile_id is not None}
            if any(row.profile_id is None for row in rows) and self._rebuild_locked(len(changed)) is not None:
                return len(changed)
            upserts, removals = documents.documents_for(changed, self._vocabulary) if changed else ([], [])
            engine.apply(upserts=upserts, removals=removals, watermark=newest)
            return len(changed)

    def _rebuild_locked(self, changed: int) -> int | None:
        """Rebuild (called under the sync lock): at once in inline mode (returns `changed`),
        else in the background while the current engine answers and follows changes (None)."""
        if current_app.config.get("AI_INDEX_BUILD") == "inline":
            with self._build_lock:
                self._install(*self._build(), locked=True)
            return changed
        self.start_background_build()
        return None

    def _expire_gaps(self) -> None:
        now = time.monotonic()
        for gap_id, since in list(self._gaps.items()):
            if now - since > GAP_SECONDS:
                del self._gaps[gap_id]

    @property
    def vocabulary(self) -> documents.Vocabulary | None:
        return self._vocabulary

    def status(self) -> Status:
        engine = self.engine
        return Status(self.state, len(engine) if engine else 0, (engine.watermark or 0) if engine else 0,
                      self.build_seconds, engine.memory_bytes() if engine else 0, self.building)


def prune_feed(keep_days: int = FEED_DAYS) -> int:
    """Forget feed rows older than `keep_days` (the newest row always stays). A process idle
    longer than that finds its watermark row gone and rebuilds: nothing is ever missed."""
    from datetime import timedelta

    from sqlalchemy import delete

    from webapp.core.db import utcnow

    newest = db.session.scalar(select(func.max(SearchChange.id))) or 0
    result = db.session.execute(delete(SearchChange).where(SearchChange.changed_at < utcnow() - timedelta(days=keep_days),
                                                           SearchChange.id < newest))
    db.session.commit()
    return result.rowcount or 0


def index_of(app: Flask | None = None) -> SearchIndex:
    app = app or current_app._get_current_object()
    index = app.extensions.get("ai_index")
    if index is None:
        index = app.extensions.setdefault("ai_index", SearchIndex(app))
    return index


def start_warmup(app: Flask) -> None:
    """Begin building this process's index now (a gunicorn worker that just booted)."""
    if isinstance(app, Flask) and app.config.get("AI_INDEX_BUILD") != "inline":
        index_of(app).start_background_build()
