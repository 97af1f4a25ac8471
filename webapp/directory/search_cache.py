"""Rendered search results, kept while nothing they show has changed.

The same searches come back again and again (the landing view of the directory, a team's
usual filters, the pages of an infinite scroll). An answer is stored under the database's
data version (search_index.py: triggers bump it on any write to profiles, their skills and
languages, skills, cities or countries), the locale, the day (ages and age filters move with
it) and the viewer's powers, so a write makes every stored answer unreachable at once: a
search never shows data older than the last commit. Entries also expire after
DIRECTORY_CACHE_SECONDS, a safety net for the instant between a PostgreSQL commit's trigger
and the commit itself.

In-process by default (an LRU of DIRECTORY_CACHE_SIZE answers); with REDIS_URL, in Redis,
shared by every process. DIRECTORY_CACHE_SIZE=0 turns it off.
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
import time
from collections import OrderedDict
from datetime import date

from flask import current_app

from webapp.directory import search_index
from webapp.extensions import db

_local: OrderedDict[str, tuple[float, str]] = OrderedDict()
_lock = threading.Lock()
_redis_clients: dict[str, object] = {}


def enabled() -> bool:
    return current_app.config.get("DIRECTORY_CACHE_SIZE", 0) > 0


def key(*parts) -> str:
    """A key for an answer: the data version first, then whatever else the answer depends on."""
    version = search_index.current_version()
    raw = "\x1f".join(str(part) for part in (version, date.today().isoformat(), *parts))
    return "tb:dirsearch:" + hashlib.sha256(raw.encode()).hexdigest()[:32]


def get(cache_key: str) -> str | None:
    client = _redis()
    if client is not None:
        try:
            value = client.get(cache_key)
        except Exception:  # noqa: BLE001 (Redis away: search without the cache)
            return None
        return value.decode() if value is not None else None
    with _lock:
        entry = _local.get(cache_key)
        if entry is None:
            return None
        stored_at, value = entry
        if time.monotonic() - stored_at > current_app.config["DIRECTORY_CACHE_SECONDS"]:
            del _local[cache_key]
            return None
        _local.move_to_end(cache_key)
        return value


def put(cache_key: str, value: str) -> None:
    client = _redis()
    if client is not None:
        with contextlib.suppress(Exception):  # Redis away: the answer is simply not kept
            client.setex(cache_key, current_app.config["DIRECTORY_CACHE_SECONDS"], value.encode())
        return
    limit = current_app.config["DIRECTORY_CACHE_SIZE"]
    with _lock:
        _local[cache_key] = (time.monotonic(), value)
        _local.move_to_end(cache_key)
        while len(_local) > limit:
            _local.popitem(last=False)


def clear() -> None:
    with _lock:
        _local.clear()
    CARDS.clear()
    PROFILE_BODIES.clear()


def _redis():
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    client = _redis_clients.get(url)
    if client is None:
        import redis

        client = _redis_clients[url] = redis.Redis.from_url(url, socket_timeout=0.5)
    return client


class RenderCache:
    """Rendered pieces of pages (a result card, the body of a profile page), kept in this
    process under the data version like the answers above, so a write makes them unreachable
    at once; they expire after DIRECTORY_CACHE_SECONDS too (the same safety net). Unlike the
    results cache they stay on with DIRECTORY_CACHE_SIZE=0: they only spare rendering the
    same rows again, every search still runs."""

    def __init__(self, size: int):
        self.size = size
        self._items: OrderedDict[tuple, tuple[float, str]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, item_key: tuple) -> str | None:
        with self._lock:
            entry = self._items.get(item_key)
            if entry is None:
                return None
            if time.monotonic() - entry[0] > current_app.config["DIRECTORY_CACHE_SECONDS"]:
                del self._items[item_key]
                return None
            self._items.move_to_end(item_key)
            return entry[1]

    def get_many(self, item_keys: list[tuple]) -> dict[tuple, str]:
        found = {}
        limit = current_app.config["DIRECTORY_CACHE_SECONDS"]
        now = time.monotonic()
        with self._lock:
            for item_key in item_keys:
                entry = self._items.get(item_key)
                if entry is not None and now - entry[0] <= limit:
                    self._items.move_to_end(item_key)
                    found[item_key] = entry[1]
        return found

    def put(self, item_key: tuple, value: str) -> None:
        with self._lock:
            self._items[item_key] = (time.monotonic(), value)
            self._items.move_to_end(item_key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


def version_stamp() -> tuple:
    """What a rendered piece depends on besides its own arguments: the database (its engine),
    the data version and the day (ages move with it)."""
    return (id(db.engine), search_index.current_version(), date.today().toordinal())


CARDS = RenderCache(size=4000)
PROFILE_BODIES = RenderCache(size=1000)
