"""The socket at /ws: one per open page of a signed-in person.

Its thread waits for two things at once (what the browser sends, what the hub brings),
renders each event as HTML fragments for this person and sends them as htmx's websocket
extension expects: `{"content": "<html swapped out of band>", "swap": "none", ...}`.
The browser may send `{"type": "typing", "conversation_id": N}`,
`{"type": "read", "conversation_id": N, "message_id": M}` and `{"type": "search", "q": "..."}`
(the inbox's search changed: the list refreshed live stays filtered); anything else is ignored.
Messages are limited in size (WS_MAX_MESSAGE_BYTES, the socket closes with 1009) and rate
(WS_MESSAGES_PER_MINUTE; far over it, the socket closes with 1008).
"""

from __future__ import annotations

import contextlib
import json
import logging
import select
import socket as sockets
import threading
import time
from collections import deque
from dataclasses import dataclass

from flask import current_app, g, request
from flask_babel import force_locale, get_locale
from simple_websocket import ConnectionClosed

from webapp.core import warmup
from webapp.core.errors import ServiceError
from webapp.extensions import db, sock
from webapp.messaging import bp, realtime
from webapp.messaging import services as messaging
from webapp.messaging.presenters import MessageView, NotificationView, Receipts

log = logging.getLogger(__name__)


def _int(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number >= 0 else None


@dataclass
class PageState:
    """What the page holding the socket shows (sent as query arguments when it connects)."""

    conversation_id: int | None = None
    after: int | None = None  # the latest message the page has
    first: int | None = None  # the oldest message the page shows
    has_list: bool = False  # the conversation list is on the page
    view: str = ""  # "notifications" on the notifications page
    q: str = ""  # the inbox's search: the list, refreshed live, stays filtered by it

    @classmethod
    def from_args(cls, args) -> PageState:
        return cls(conversation_id=_int(args.get("conversation")), after=_int(args.get("after")),
                   first=_int(args.get("from")), has_list=args.get("list") == "1",
                   view=args.get("view", "")[:20], q=_search(args.get("q")))


def _search(value) -> str:
    return str(value or "").strip()[:100]


# Events whose frame a socket can take from the fragments shared by all (see deliver_now).
SHARED_KINDS = frozenset({"message.new", "message.deleted", "typing", "read", "notification.new",
                          "notification.read"})
HEAD = ("message", "typing_cleared", "receipts", "deleted", "typing")  # frame.html's order
BADGES = ("unread", "notification_count")
_badges: dict = {}  # (language, unread, notifications) -> the badges' HTML, for every event


def text_frame(payload: bytes) -> bytes:
    """One unfragmented, unmasked websocket text frame (what a server sends), to write as is
    to every socket that gets the same payload."""
    size = len(payload)
    if size < 126:
        return bytes((0x81, size)) + payload
    if size < 65536:
        return b"\x81\x7e" + size.to_bytes(2, "big") + payload
    return b"\x81\x7f" + size.to_bytes(8, "big") + payload


class SocketWriter:
    """Stands in for the socket under simple-websocket: every write (its own pings, pongs and
    closes, this socket's thread, the hub writing a shared frame from another thread) goes
    out whole and in order. A write never blocks the hub: what the kernel does not take at
    once waits here, and the socket's own thread writes it out (`flush`)."""

    def __init__(self, sock):
        self._sock = sock
        self._lock = threading.Lock()
        self.pending = bytearray()
        self.broken = False

    def __getattr__(self, name):
        return getattr(self._sock, name)

    def _try(self) -> None:  # the lock is held
        try:
            sent = self._sock.send(self.pending, sockets.MSG_DONTWAIT)
        except (BlockingIOError, InterruptedError):
            sent = 0
        del self.pending[:sent]

    def write(self, data: bytes) -> bool:
        """Write without waiting; False when some of it waits for `flush`."""
        with self._lock:
            self.pending += data
            try:
                self._try()
            except OSError:
                self.broken = True
                self.pending.clear()
            return not self.pending

    def flush(self) -> None:
        while True:
            with self._lock:
                if self.pending:
                    self._try()
                if not self.pending:
                    return
            select.select([], [self._sock], [], 1.0)

    def send(self, data) -> int:  # simple-websocket's writes: whole, in order, blocking
        with self._lock:
            self.pending += data
            self._try()
        self.flush()
        return len(data)

    def sendall(self, data) -> None:
        self.send(data)


class Connection:
    def __init__(self, ws, user, state: PageState, locale: str = "en"):
        self.ws = ws
        self.user = user
        self.user_id = user.id
        self.state = state
        self.locale = locale
        self.queue: deque = deque()
        # This socket's thread is writing what it took from the queue (or its first frame):
        # frames that come meanwhile queue up behind, so they keep their order.
        self.busy = True
        self.wake = threading.Event()
        config = current_app.config
        self.limiter = realtime.RateLimiter(int(config.get("WS_MESSAGES_PER_MINUTE", 120)), 60.0)
        if isinstance(ws.event, realtime.WakeEvent):
            ws.event.listener = self.wake
        self.writer = None
        sock = getattr(ws, "sock", None)
        if sock is not None and hasattr(sock, "fileno"):
            self.writer = ws.sock = SocketWriter(sock)

    # Called from the hub (any thread): cheap, never blocks.
    def push(self, event) -> None:
        if len(self.queue) >= realtime.MAX_QUEUE:
            self.queue.clear()
            self.queue.append({"type": "overflow"})
        else:
            self.queue.append(event)
        self.wake.set()

    def offer(self, data: bytes) -> None:
        """A ready frame: written now, unless this socket's thread has earlier frames to write."""
        if self.queue or self.busy or self.writer is None:
            self.push(data)
        elif not self.ws.connected or self.writer.broken:
            return
        elif not self.writer.write(data):
            self.wake.set()  # the rest waits for the socket's thread

    def deliver_now(self, event: dict, shared) -> bool:
        """The frame for this socket made of the fragments shared with the event's other
        sockets, written at once (True); False when this page needs a frame of its own."""
        kind = event.get("type")
        if kind not in SHARED_KINDS or self.state.has_list or self.writer is None:
            return False
        if kind == "message.new" and event["message"].get("sender_id") == self.user_id:
            return False  # "mine", with its delete button (this session's CSRF token)
        if kind == "notification.new" and self.state.view == "notifications":
            return False
        context = self._event_context(event, shared)
        if not context:
            return True
        head = tuple(k for k in HEAD if k in context)
        seen = (tuple(p.name for p in context["receipts"].seen_by(self.user_id))
                if "receipts" in context else None)
        badges = (context.get("unread"), context.get("notification_count"))
        toast = "toast" in context
        key = (self.locale, head, seen, badges, toast)
        data = shared.frames.get(key)
        if data is None:
            locale, viewer = self.locale, self.user_id
            content = ""
            if head:
                content += shared.piece(("head", locale, head, seen), lambda: _render_frame(
                    locale, viewer, {k: context[k] for k in head}))
            if badges != (None, None):
                badge_key = (locale, *badges)
                html = _badges.get(badge_key)
                if html is None:
                    if len(_badges) > 4096:
                        _badges.clear()
                    html = _badges[badge_key] = shared.piece(("badges", *badge_key), lambda: _render_frame(
                        locale, viewer, {k: context[k] for k in BADGES if k in context}))
                content += html
            if toast:
                content += shared.piece(("toast", locale), lambda: _render_frame(
                    locale, viewer, {"toast": context["toast"]}))
            data = shared.frames[key] = (
                text_frame(_frame_json(kind, content, _ids(event)).encode()) if content.strip() else b"")
        if data:
            self.offer(data)
        return True

    # The socket's own thread.
    def run(self) -> None:
        self.send_frame("resync", self.render_resync())
        self.busy = False
        while self.ws.connected:
            woken = self.wake.wait(timeout=realtime.IDLE_WAKE)
            self.wake.clear()
            received = 0
            while True:
                data = self.ws.receive(timeout=0)
                if data is None:
                    break
                received += 1
                self.receive(data)
            pending = self.writer is not None and self.writer.pending
            if pending:
                self.writer.flush()
            if woken and not received and not self.queue and not pending:
                # Woken with nothing to do: the socket is closing (simple-websocket signals
                # before it marks the socket closed); look again in a moment.
                time.sleep(0.05)
                continue
            self.busy = True
            try:
                while self.queue:
                    item = self.queue.popleft()
                    if isinstance(item, bytes):
                        if self.ws.connected:
                            self.writer.send(item)
                        continue
                    if item.get("type") == "overflow":
                        self.ws.close(1013, "Too far behind; reconnect")
                        return
                    self.deliver(item)
            finally:
                self.busy = False

    def send_frame(self, event_type: str, content: str, **extra) -> None:
        if not content.strip():
            return
        self.ws.send(_frame_json(event_type, content, extra))

    def deliver(self, event: dict) -> None:
        try:
            content = self.render(event)
        except Exception:
            log.exception("realtime: rendering %s failed", event.get("type"))
            content = ""
        finally:
            db.session.close()  # never hold a database connection while the socket idles
        if content:
            self.send_frame(event["type"], content, **_ids(event))

    # What the browser sends ------------------------------------------------------------------
    def _close(self, code: int, reason: str) -> None:
        with contextlib.suppress(ConnectionClosed):
            self.ws.close(code, reason)
        raise ConnectionClosed(code, reason)

    def receive(self, data) -> None:
        if len(data) > int(current_app.config.get("WS_MAX_MESSAGE_BYTES", 4096)):
            self._close(1009, "Message is too big")
        if not self.limiter.allow():
            if self.limiter.refused > int(current_app.config.get("WS_MESSAGES_PER_MINUTE", 120)):
                self._close(1008, "Too many messages")
            self.ws.send(json.dumps({"event": "error", "error": "rate_limited"}))
            return
        try:
            message = json.loads(data)
        except (TypeError, ValueError):
            return
        if not isinstance(message, dict):
            return
        kind = message.get("type")
        if kind == "search":
            self.state.q = _search(message.get("q"))
            return
        conversation_id = _int(message.get("conversation_id"))
        try:
            if kind == "typing" and conversation_id:
                messaging.typing(self.user, conversation_id)
            elif kind == "read" and conversation_id:
                conversation = messaging.get_conversation(self.user, conversation_id)
                messaging.mark_read(self.user, conversation, _int(message.get("message_id")))
        except ServiceError as error:
            # Not theirs (or no longer): say so, change nothing.
            self.ws.send(json.dumps({"event": "error", "error": error.code}))
        finally:
            db.session.close()

    # Rendering ---------------------------------------------------------------------------------
    def _frame(self, **context) -> str:
        # The fragments need no page context (menus, settings): the template alone, in this
        # socket's request (its language, its session's CSRF token).
        template = current_app.jinja_env.get_template("messaging/live/frame.html")
        return template.render(viewer_id=self.user_id, current_user=self.user, **context)

    def render_resync(self) -> str:
        """Everything the page may have missed: called on connecting and after a bus outage."""
        state = self.state
        context: dict = {
            "unread": messaging.unread_count(self.user),
            "notification_count": messaging.unread_notification_count(self.user),
        }
        try:
            if state.conversation_id:
                conversation = messaging.get_conversation(self.user, state.conversation_id)
                if state.after is not None:
                    window = messaging.conversation_messages(self.user, conversation, after=state.after,
                                                             limit=messaging.MAX_PAGE)
                    context["replay"] = window.messages
                    if state.first is not None:
                        context["deleted"] = messaging.deleted_between(conversation, state.first, state.after)
                context["receipts"] = messaging.receipts(conversation)
        except ServiceError:
            context["removed_from"] = state.conversation_id
            state.conversation_id = None
        if state.has_list:
            context["conversations"] = messaging.list_conversations(self.user, 1, 20, query=state.q).items
        if state.view == "notifications":
            context["notifications"] = messaging.list_notifications(self.user, 1, 20)
        try:
            return self._frame(**context)
        finally:
            db.session.close()

    def _event_context(self, event: dict, shared=None) -> dict:
        """What of the event this page shows (the part every kind of page shares)."""
        kind = event.get("type")
        me = str(self.user_id)
        state = self.state
        context: dict = {}
        in_view = state.conversation_id is not None and event.get("conversation_id") == state.conversation_id
        if "unread" in event and me in event["unread"]:
            context["unread"] = event["unread"][me]
        if "notifications" in event and me in event["notifications"]:
            context["notification_count"] = event["notifications"][me]
        if in_view and "receipts" in event:
            context["receipts"] = _parsed(shared, "receipts", lambda: Receipts.from_dict(event["receipts"]))
        if kind == "message.new":
            if in_view:
                message = _parsed(shared, "message", lambda: MessageView.from_dict(event["message"]))
                context["message"] = message
                context["typing_cleared"] = message.conversation_id
        elif kind == "message.deleted" and in_view:
            context["deleted"] = [event["message_id"]]
        elif kind == "typing" and in_view:
            context["typing"] = {"conversation_id": event["conversation_id"], "name": event["name"]}
        elif kind == "notification.new":
            notification = _parsed(shared, "notification",
                                   lambda: NotificationView.from_dict(event["notification"]))
            if event.get("toast"):
                context["toast"] = notification
            if state.view == "notifications":
                context["new_notification"] = notification
        return context

    def render(self, event: dict) -> str:
        kind = event.get("type")
        state = self.state
        context = self._event_context(event)
        if kind == "participant.removed" and event.get("user_id") == self.user_id:
            if state.conversation_id == event.get("conversation_id"):
                context["removed_from"] = state.conversation_id
                state.conversation_id = None
        elif kind == "resync":
            return self.render_resync()
        if state.has_list and kind in ("message.new", "message.deleted", "read", "conversation.new",
                                       "participant.removed"):
            context["conversations"] = messaging.list_conversations(self.user, 1, 20, query=state.q).items
        if not context:
            return ""
        return self._frame(**context)


def _parsed(shared, name: str, make):
    if shared is None:
        return make()
    return shared.piece(("parsed", name), make)


def _frame_json(event_type: str, content: str, extra: dict) -> str:
    return json.dumps({"event": event_type, "content": content, "swap": "none", **extra})


def _render_frame(locale: str, viewer_id: int, context: dict) -> str:
    """frame.html for any viewer with the same view of the event: no request-bound context
    (no context processors, no CSRF token), in the viewer's language."""
    template = current_app.jinja_env.get_template("messaging/live/frame.html")
    with force_locale(locale):
        return template.render(viewer_id=viewer_id, **context)


def _ids(event: dict) -> dict:
    extra = {}
    if event.get("conversation_id"):
        extra["conversation_id"] = event["conversation_id"]
    if event.get("type") == "message.new":
        extra["message_id"] = event["message"]["id"]
    elif event.get("message_id"):
        extra["message_id"] = event["message_id"]
    return extra


@bp.before_request
def _check_socket_handshake():
    if request.endpoint == "messaging.socket":
        return realtime.check_handshake()
    return None


@sock.route("/ws", bp=bp)
def socket(ws):
    """Live events for the signed-in person's page (htmx websocket extension)."""
    from flask_login import current_user

    user = current_user._get_current_object()
    state = PageState.from_args(request.args)
    db.session.close()
    live = realtime.current()
    live.bus.start()
    connection = Connection(ws, user, state, locale=str(get_locale() or "en"))
    live.hub.add(connection)
    warmup.SOCKETS.made_one()
    try:
        connection.run()
    finally:
        live.hub.remove(connection)
        db.session.close()
        g.pop("ws_user_id", None)
        _end_the_connection(ws)


def _end_the_connection(ws) -> None:
    """Once the close frames are exchanged the server ends the TCP connection (RFC 6455,
    7.1.1). Werkzeug's server (development, tests) would instead read on until the client
    hangs up, while the client waits for the server to hang up first: both would wait. Under
    gunicorn the worker closes the connection itself."""
    if getattr(ws, "mode", None) == "werkzeug" and not ws.connected:
        with contextlib.suppress(OSError):
            ws.sock.shutdown(sockets.SHUT_WR)
