"""Background work (mail today; exports and webhooks later).

`inline` runs the job at once (tests); `thread` runs it on a small in-process pool, inside
an app context, after the request's transaction has been committed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from flask import Flask, current_app

log = logging.getLogger(__name__)


class InlineRunner:
    def submit(self, app: Flask, fn: Callable, *args, **kwargs) -> None:
        _run(app, fn, args, kwargs)


class ThreadRunner:
    def __init__(self, workers: int = 2):
        self.workers = workers
        self._pool: ThreadPoolExecutor | None = None

    def submit(self, app: Flask, fn: Callable, *args, **kwargs) -> None:
        # The pool is made lazily so that each gunicorn worker (a fork) gets its own threads.
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="jobs")
        self._pool.submit(_run, app, fn, args, kwargs)


def _run(app: Flask, fn: Callable, args, kwargs) -> None:
    with app.app_context():
        try:
            fn(*args, **kwargs)
        except Exception:
            log.exception("background job %s failed", getattr(fn, "__name__", fn))
            from webapp.extensions import db

            db.session.rollback()


def enqueue(fn: Callable, *args, **kwargs) -> None:
    app = current_app._get_current_object()
    app.extensions["talentbase.jobs"].submit(app, fn, *args, **kwargs)


def register_jobs(app: Flask) -> None:
    backend = app.config.get("JOBS_BACKEND", "thread")
    app.extensions["talentbase.jobs"] = InlineRunner() if backend == "inline" else ThreadRunner()
