"""Live events: the bus between processes, the hub of this process's sockets, and /ws.

A service publishes an event (a small JSON dict naming its `recipients`) after its commit.
The bus carries it to every process: in-process by default, Redis pub/sub when REDIS_URL
is set (so two gunicorn processes, or two hosts, deliver to each other's sockets). Each
process's hub hands the event to the sockets of the recipients it holds; each socket's own
thread renders the event as HTML fragments for its person (in their language, "mine" or
"theirs") and sends them to htmx's websocket extension, which swaps them out of band.

A socket tells on connecting what its page shows (`conversation`, `after`, `from`, `list`,
`view`); the server first sends what the page may have missed (messages after `after`,
deletions between `from` and `after`, receipts, badge counts), so a page that reconnects
after a dropped connection catches up. Since the recipients of an event are read from the
database when it is published, someone removed from a conversation stops receiving at once.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from urllib.parse import urlsplit

from flask import Flask, current_app, g, request

log = logging.getLogger(__name__)

MAX_QUEUE = 1000  # events waiting for one socket; a socket this far behind is closed (it resyncs)
IDLE_WAKE = 10.0  # an idle socket looks at its state this often (a close may slip past a wake-up)


# The bus ------------------------------------------------------------------------------------

class LocalBus:
    """One process: an event goes straight to this process's hub."""

    name = "local"

    def __init__(self, dispatch: Callable[[dict], None]):
        self.dispatch = dispatch

    def publish(self, event: dict) -> None:
        self.dispatch(event)

    def start(self) -> None:
        pass

    def close(self) -> None:
        pass


class RedisBus:
    """Many processes: events go through one Redis pub/sub channel; each process listens on a
    thread of its own and dispatches to its own sockets. Its own events come back the same way,
    so each event reaches each socket exactly once."""

    name = "redis"

    def __init__(self, url: str, channel: str, dispatch: Callable[[dict], None],
                 on_reconnect: Callable[[], None] | None = None):
        import redis

        self.url = url
        self.channel = channel
        self.dispatch = dispatch
        self.on_reconnect = on_reconnect
        self.client = redis.Redis.from_url(url, health_check_interval=30)
        self._thread: threading.Thread | None = None
        self._pid: int | None = None
        self._stop = threading.Event()
        self.ready = threading.Event()
        self._lock = threading.Lock()

    def publish(self, event: dict) -> None:
        self.client.publish(self.channel, json.dumps(event, separators=(",", ":")))

    def start(self) -> None:
        """Listen from this process (once; again after a fork, which does not copy threads)."""
        with self._lock:
            if self._thread is not None and self._thread.is_alive() and self._pid == os.getpid():
                return
            self._pid = os.getpid()
            self._stop.clear()
            self.ready.clear()
            self._thread = threading.Thread(target=self._listen, name="realtime-redis", daemon=True)
            self._thread.start()
        # A socket's first frame goes out once this process listens: nothing after it is missed.
        self.ready.wait(5)

    def close(self) -> None:
        self._stop.set()

    def _listen(self) -> None:
        import redis

        delay, first = 0.5, True
        while not self._stop.is_set():
            pubsub = self.client.pubsub(ignore_subscribe_messages=True)
            try:
                pubsub.subscribe(self.channel)
                self.ready.set()
                if not first and self.on_reconnect:
                    self.on_reconnect()  # events may have been missed: every socket catches up
                first, delay = False, 0.5
                while not self._stop.is_set():
                    message = pubsub.get_message(timeout=1.0)
                    if message and message.get("type") == "message":
                        self._dispatch(message["data"])
            except (redis.ConnectionError, redis.TimeoutError, OSError) as exc:
                self.ready.clear()
                log.warning("realtime: Redis subscription lost (%s); retrying in %.1fs", exc, delay)
                time.sleep(delay)
                delay = min(delay * 2, 10.0)
            finally:
                with contextlib.suppress(Exception):  # closing a broken connection may fail too
                    pubsub.close()

    def _dispatch(self, raw) -> None:
        try:
            event = json.loads(raw)
        except (ValueError, TypeError):
            log.warning("realtime: ignored a malformed event")
            return
        try:
            self.dispatch(event)
        except Exception:
            log.exception("realtime: dispatching %s failed", event.get("type"))


def channel_for(url: str) -> str:
    """Pub/sub ignores Redis database numbers: the channel carries it, so apps sharing one
    Redis on different databases stay apart."""
    path = urlsplit(url).path.strip("/") or "0"
    return f"talentbase:{path}:events"


# The hub of this process's sockets ----------------------------------------------------------

class Shared:
    """What the sockets an event goes to have in common: each distinct fragment (per language,
    per way of seeing it) is rendered once and each distinct frame encoded once, whatever the
    number of sockets. Rendering outside a request (a job, the Redis listener) happens in a
    request context made for it, entered on the first render only."""

    def __init__(self, event: dict, render_context: Callable | None = None):
        self.event = event
        self.pieces: dict = {}
        self.frames: dict = {}
        self._render_context = render_context
        self._stack: contextlib.ExitStack | None = None

    def enter(self) -> None:
        from flask import has_request_context

        if self._stack is None and self._render_context is not None and not has_request_context():
            self._stack = contextlib.ExitStack()
            self._stack.enter_context(self._render_context())

    def piece(self, key, make: Callable[[], str]) -> str:
        value = self.pieces.get(key)
        if value is None:
            self.enter()
            value = self.pieces[key] = make()
        return value

    def close(self) -> None:
        if self._stack is not None:
            self._stack.close()
            self._stack = None


class Hub:
    def __init__(self, render_context: Callable | None = None):
        self._lock = threading.Lock()
        self._by_user: dict[int, set] = defaultdict(set)
        self.render_context = render_context

    def add(self, connection) -> None:
        with self._lock:
            self._by_user[connection.user_id].add(connection)

    def remove(self, connection) -> None:
        with self._lock:
            held = self._by_user.get(connection.user_id)
            if held is not None:
                held.discard(connection)
                if not held:
                    del self._by_user[connection.user_id]

    def connections(self, user_id: int | None = None) -> list:
        with self._lock:
            if user_id is not None:
                return list(self._by_user.get(user_id, ()))
            return [c for held in self._by_user.values() for c in held]

    def dispatch(self, event: dict) -> None:
        """Hand the event to the recipients' sockets: a socket that can take a frame made of
        shared fragments gets it written at once from this thread; the others (a page whose
        frame is its own: the sender's, an inbox list) get the event queued for their thread."""
        shared = Shared(event, self.render_context)
        try:
            for user_id in event.get("recipients", ()):
                for connection in self.connections(int(user_id)):
                    deliver_now = getattr(connection, "deliver_now", None)
                    try:
                        done = deliver_now is not None and deliver_now(event, shared)
                    except Exception:
                        log.exception("realtime: a shared frame for %s failed", event.get("type"))
                        done = False
                    if not done:
                        connection.push(event)
        finally:
            shared.close()

    def resync_all(self) -> None:
        for connection in self.connections():
            connection.push({"type": "resync"})


class Realtime:
    def __init__(self, app: Flask):
        base_url = app.config.get("PUBLIC_BASE_URL") or "http://localhost/"
        self.hub = Hub(render_context=lambda: app.test_request_context(base_url=base_url))
        url = app.config.get("REDIS_URL")
        if url:
            channel = app.config.get("REALTIME_CHANNEL") or channel_for(url)
            self.bus = RedisBus(url, channel, self.hub.dispatch, self.hub.resync_all)
        else:
            self.bus = LocalBus(self.hub.dispatch)

    def publish(self, event: dict) -> None:
        try:
            self.bus.publish(event)
        except Exception:
            # The change is committed; pages catch up when they reconnect or reload.
            log.exception("realtime: could not publish %s", event.get("type"))


def current() -> Realtime:
    return current_app.extensions["talentbase.realtime"]


def publish(event: dict) -> None:
    current().publish(event)


# The socket -----------------------------------------------------------------------------------

class WakeEvent(threading.Event):
    """simple-websocket signals incoming data with this event; our socket loop listens to it
    too, so one thread waits for both what the browser sends and what the bus brings."""

    def __init__(self):
        super().__init__()
        self.listener: threading.Event | None = None

    def set(self) -> None:
        super().set()
        listener = self.listener
        if listener is not None:
            listener.set()


class RateLimiter:
    """A token bucket: `rate` messages per `per` seconds, bursts up to `rate`."""

    def __init__(self, rate: int, per: float):
        self.capacity = float(max(1, rate))
        self.tokens = self.capacity
        self.refill = self.capacity / per
        self.stamp = time.monotonic()
        self.refused = 0

    def allow(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.refill)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        self.refused += 1
        return False


def allowed_origins() -> set[str]:
    origins = {request.host_url.rstrip("/")}
    base = current_app.config.get("PUBLIC_BASE_URL")
    if base:
        parts = urlsplit(base)
        origins.add(f"{parts.scheme}://{parts.netloc}")
    return origins


def check_handshake():
    """Before the socket is accepted: only a signed-in person, only from this site's pages.
    A browser always sends Origin with a websocket; another site's page is refused (403).
    Clients that are not browsers send none, and cannot borrow someone's cookie anyway."""
    from flask_login import current_user

    from webapp.core.errors import json_error

    origin = request.headers.get("Origin")
    if origin and origin.rstrip("/") not in allowed_origins():
        log.warning("realtime: refused a socket from origin %s", origin)
        return json_error(403, "forbidden_origin", "This socket only accepts this site's own pages.")
    if not (current_user.is_authenticated and current_user.is_active):
        return json_error(401, "unauthorized", "Sign in first.")
    g.ws_user_id = current_user.id
    # No permessage-deflate: the frames are small fragments, and each compressed socket would
    # keep about 300 KiB of zlib state on the server, idle or not.
    request.environ.pop("HTTP_SEC_WEBSOCKET_EXTENSIONS", None)
    return None


def register_realtime(app: Flask) -> None:
    """Bind the bus and the hub to the app and set the socket's limits."""
    app.extensions["talentbase.realtime"] = Realtime(app)
    options = dict(app.config.get("SOCK_SERVER_OPTIONS") or {})
    options.setdefault("event_class", WakeEvent)
    # The socket loop closes anything over WS_MAX_MESSAGE_BYTES with 1009; simple-websocket's
    # own cap (which drops the connection without a close frame) only bounds memory.
    options.setdefault("max_message_size", max(16 * int(app.config.get("WS_MAX_MESSAGE_BYTES", 4096)), 65536))
    options.setdefault("ping_interval", app.config.get("WS_PING_INTERVAL", 25))
    app.config["SOCK_SERVER_OPTIONS"] = options
