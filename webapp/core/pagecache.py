"""Pages every anonymous visitor gets alike, rendered once and kept.

The sign-in, registration and forgot-password pages are what most anonymous traffic asks for,
and for a visitor who is not signed in they depend only on the URL, the language, the theme
and whether htmx asked. The one part that differs between visitors is the CSRF token: the
page is kept with a placeholder where the token was, and each visitor gets their own token
put back in (`generate_csrf()` also stores its secret in their session, as rendering would).

Only views decorated with `@same_for_visitors` are kept, and only when the visitor is
anonymous, the request is a GET and no flash message is waiting. A view may only carry the
decorator if, for an anonymous visitor, it shows nothing else that depends on the request.
Put it above the view's rate limits: those count POSTs, and a kept page is only ever a GET,
so it is served without evaluating them. The cache is bounded (least recently used go first)
and off when templates auto-reload.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from functools import wraps

from flask import Flask, Response, current_app, g, make_response, request, session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from webapp.core.htmx import is_htmx
from webapp.core.i18n import current_theme

PLACEHOLDER = "\x00csrf-token\x00"  # can never occur in a rendered page
KEPT_HEADERS = ("Content-Type", "Vary")
EXTENSION = "talentbase.page_cache"


class PageCache:
    """A small thread-safe LRU of rendered pages: key -> (body, status, headers)."""

    def __init__(self, size: int = 256):
        self.size = size
        self._pages: OrderedDict[tuple, tuple[str, int, list[tuple[str, str]]]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple):
        with self._lock:
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def put(self, key: tuple, page) -> None:
        with self._lock:
            self._pages[key] = page
            self._pages.move_to_end(key)
            while len(self._pages) > self.size:
                self._pages.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()


def _cacheable_request() -> bool:
    return (
        request.method == "GET"
        and not current_app.jinja_env.auto_reload
        and not current_user.is_authenticated
        and not session.get("_flashes")
    )


def _key() -> tuple:
    from flask_babel import get_locale

    return (request.endpoint, request.full_path, str(get_locale()), current_theme(), is_htmx())


def _showed_flashes() -> bool:
    from flask.globals import request_ctx

    return bool(getattr(request_ctx, "flashes", None)) or bool(session.get("_flashes"))


def _keep(response: Response) -> tuple | None:
    if response.status_code != 200 or response.mimetype != "text/html" or response.direct_passthrough:
        return None
    if _showed_flashes():  # a message for this visitor only
        return None
    body = response.get_data(as_text=True)
    token = g.get("csrf_token")  # the token flask-wtf generated for this request, if the page used one
    if token:
        body = body.replace(token, PLACEHOLDER)
    headers = [(name, value) for name, value in response.headers.items() if name in KEPT_HEADERS]
    return body, response.status_code, headers


def _serve(page) -> Response:
    body, status, headers = page
    if PLACEHOLDER in body:
        body = body.replace(PLACEHOLDER, generate_csrf())
    return Response(body, status, headers)


def same_for_visitors(view):
    """Keep this view's page for anonymous visitors (see the module's docstring)."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not _cacheable_request():
            return view(*args, **kwargs)
        cache: PageCache = current_app.extensions[EXTENSION]
        key = _key()
        page = cache.get(key)
        if page is not None:
            return _serve(page)
        response = make_response(view(*args, **kwargs))
        kept = _keep(response)
        if kept is not None:
            cache.put(key, kept)
        return response

    return wrapped


def register_page_cache(app: Flask) -> None:
    app.extensions[EXTENSION] = PageCache()
