"""What a worker builds in memory when it starts (the AI index, the directory snapshot), and
what it does once they are built.

Those structures live as long as the process. Python's garbage collector would otherwise walk
them on every full collection: about 125 ms on 100,000 profiles, a pause that every request in
flight waits through (it showed as p95 spikes of 100 ms on answers that take 2 ms). Once a
build is installed, `settle()` collects once and freezes what is alive then, so that later
collections only look at objects made since.
"""

from __future__ import annotations

import gc
import threading
import time

from flask import Flask

_settling = threading.Lock()


def settle() -> None:
    """Collect once (so that no garbage is kept for good), then freeze every object alive.
    Frozen objects are still freed by reference counting when the next build replaces them;
    only a reference cycle among them would stay (the builds make none)."""
    with _settling:
        gc.collect()
        gc.freeze()


def resettle() -> None:
    """settle() over the frozen objects too: garbage frozen with the living is freed. One full
    collection over everything alive (about 125 ms with the builds of 100,000 profiles)."""
    with _settling:
        gc.unfreeze()
        gc.collect()
        gc.freeze()


class LongLived:
    """The same for what lives long but is made one by one while serving: an open websocket
    keeps its thread, its connection state and its person for as long as the page is open.
    1,000 of them made each full collection walk about 190,000 more objects, a 60-80 ms pause
    every few seconds under load, which every message in flight waited through.

    Every `step` new ones, what is alive is frozen: after a young collection only (about a
    millisecond), so that fresh garbage is not frozen with them. Older garbage frozen then
    (cycles a collection had not reached yet) is freed by the next `resettle()`, done at most
    every `settle_seconds` when something was frozen since: one full collection now and then,
    instead of one every few seconds. Most of a socket that closes is freed by reference
    counting, frozen or not; what only a collection frees waits for the next `resettle()`."""

    def __init__(self, step: int = 100, settle_seconds: float = 600.0):
        self.step = step
        self.settle_seconds = settle_seconds
        self.made = 0  # since the last freeze
        self.frozen_since_settle = False
        self.settled_at = time.monotonic()
        self._lock = threading.Lock()

    def made_one(self) -> None:
        with self._lock:
            self.made += 1
            if self.made >= self.step:
                self.made = 0
                gc.collect(1)
                gc.freeze()
                self.frozen_since_settle = True
            if self.frozen_since_settle and time.monotonic() - self.settled_at >= self.settle_seconds:
                self.frozen_since_settle = False
                self.settled_at = time.monotonic()
                resettle()


SOCKETS = LongLived()


def in_progress(app: Flask) -> list[str]:
    """The names of this process's builds still running (for /healthz and the benchmarks,
    which measure a warmed-up worker, as production serves)."""
    running = []
    index = app.extensions.get("ai_index")
    if index is not None and index.building:
        running.append("ai_index")
    snapshot = app.extensions.get("directory_snapshot")
    if snapshot is not None and snapshot.building:
        running.append("directory_snapshot")
    return running
