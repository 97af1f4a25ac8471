"""HTMX helpers: the one place that decides whether a request came from htmx.

A page includes its fragments; an htmx request gets the fragment alone. Responses that
branch on the request's origin say so with `Vary: HX-Request` so caches keep both.
"""

from __future__ import annotations

from flask import Flask, Response, get_flashed_messages, make_response, redirect, render_template, request


def is_htmx() -> bool:
    """True for requests htmx sent to swap part of a page (not a full-page history restore)."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def render(template: str, fragment: str | None = None, status: int = 200, **context) -> Response:
    """Render the whole page `template`, or only `fragment` when htmx asked for it."""
    template = fragment if fragment and is_htmx() else template
    response = make_response(render_template(template, **context), status)
    if fragment:
        response.vary.add("HX-Request")
    return response


def redirect_to(url: str) -> Response:
    """A redirect that works for both: htmx follows HX-Redirect with a full page load."""
    if is_htmx():
        response = make_response("", 200)
        response.headers["HX-Redirect"] = url
        return response
    return redirect(url)


def refresh_page(fallback_url: str) -> Response:
    """Reload the current page (after a change of language or theme)."""
    if is_htmx():
        response = make_response("", 200)
        response.headers["HX-Refresh"] = "true"
        return response
    return redirect(fallback_url)


def _append_flashes(response: Response) -> Response:
    """Deliver pending flash messages with an htmx fragment response, into the live region."""
    if (
        not is_htmx()
        or response.status_code in (204, 304)
        or response.direct_passthrough
        or response.mimetype != "text/html"
        or "HX-Redirect" in response.headers
        or "HX-Refresh" in response.headers
    ):
        return response
    from flask import session

    if not session.get("_flashes"):
        return response
    messages = get_flashed_messages(with_categories=True)
    partial = render_template("shared/partials/flash_partial.html", messages=messages)
    response.set_data(response.get_data() + partial.encode())
    return response


def register_htmx(app: Flask) -> None:
    app.after_request(_append_flashes)
