"""Errors: the exceptions services raise, and the HTML and JSON answers for every error.

Services raise a ServiceError (or a subclass) with a snake_case code; the API turns it into
`{"error": {"code", "message", "fields"}}` and pages into a form message or an error page.
"""

from __future__ import annotations

import logging

from flask import Flask, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)


class ServiceError(Exception):
    status = 400
    code = "bad_request"
    default_message = _l("The request could not be handled.")

    def __init__(self, message: str | None = None, *, fields: dict[str, list[str]] | None = None):
        self.message = str(message or self.default_message)
        self.fields = fields or {}
        super().__init__(self.message)


class ValidationFailed(ServiceError):
    status = 422
    code = "validation_error"
    default_message = _l("Some fields need your attention.")


class Unauthorized(ServiceError):
    status = 401
    code = "unauthorized"
    default_message = _l("Please sign in first.")


class InvalidCredentials(ServiceError):
    status = 401
    code = "invalid_credentials"
    default_message = _l("The email or password is incorrect.")


class InvalidToken(ServiceError):
    status = 401
    code = "invalid_token"
    default_message = _l("The token is invalid or has expired.")


class TokenRevoked(ServiceError):
    status = 401
    code = "token_revoked"
    default_message = _l("This token has been revoked. Please sign in again.")


class Forbidden(ServiceError):
    status = 403
    code = "forbidden"
    default_message = _l("You do not have permission to do that.")


class AccountSuspended(ServiceError):
    status = 403
    code = "account_suspended"
    default_message = _l("This account is suspended. Contact an administrator.")


class NotFound(ServiceError):
    status = 404
    code = "not_found"
    default_message = _l("We could not find what you were looking for.")


class Conflict(ServiceError):
    status = 409
    code = "conflict"
    default_message = _l("That conflicts with something that already exists.")


class UserExists(Conflict):
    code = "user_exists"
    default_message = _l("An account with this email already exists.")


HTTP_ERROR_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "rate_limit_exceeded",
    500: "server_error",
    503: "service_unavailable",
}


def http_messages() -> dict[int, str]:
    return {
        400: _("The request was not understood."),
        401: _("Please sign in first."),
        403: _("You do not have permission to see this page."),
        404: _("We could not find this page."),
        405: _("This method is not allowed here."),
        413: _("The file or request is too large."),
        415: _("This type of content is not accepted."),
        416: _("The requested part of the file is not available."),
        429: _("Too many requests. Please wait a moment and try again."),
        500: _("Something went wrong on our side. It has been logged; please try again."),
        503: _("The service is temporarily unavailable."),
    }


def wants_json() -> bool:
    """API paths always answer JSON; elsewhere, a client that asks only for JSON gets it."""
    if request.path.startswith("/api/") or request.path == "/healthz":
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json" and not request.accept_mimetypes.accept_html


def error_payload(code: str, message: str, fields: dict | None = None, **extra) -> dict:
    error = {"code": code, "message": message}
    if fields:
        error["fields"] = fields
    error.update(extra)
    return {"error": error}


def json_error(status: int, code: str, message: str, fields: dict | None = None, **extra):
    response = jsonify(error_payload(code, message, fields, **extra))
    response.status_code = status
    return response


def html_error(status: int, message: str, **context):
    """An error page; for htmx, a message shown in the page's live region instead of a swap."""
    from webapp.core.htmx import is_htmx

    if is_htmx():
        response = make_response(render_template("errors/alert.html", status=status, message=message), status)
        response.headers["HX-Retarget"] = "#flash-region"
        response.headers["HX-Reswap"] = "innerHTML"
        return response
    template = f"errors/{status}.html" if status in (403, 404, 429, 500) else "errors/generic.html"
    return make_response(render_template(template, status=status, message=message, **context), status)


def sign_in_first():
    """Anonymous visitors of a page are sent to sign in, then brought back."""
    from flask import flash, url_for

    from webapp.core.htmx import redirect_to

    flash(_("Please sign in to open this page."), "info")
    target = request.full_path if request.query_string else request.path
    if request.method != "GET":
        target = request.referrer if request.referrer and request.referrer.startswith(request.host_url) else None
        target = target[len(request.host_url) - 1:] if target else None
    return redirect_to(url_for("auth.login", next=target))


def retry_after_seconds(error: HTTPException) -> int | None:
    from webapp.extensions import limiter

    current = getattr(limiter, "current_limit", None)
    if current is not None:
        from time import time

        return max(1, int(current.reset_at - time()))
    return None


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(ServiceError)
    def handle_service_error(error: ServiceError):
        if wants_json():
            return json_error(error.status, error.code, error.message, error.fields)
        if error.status == 401:
            return sign_in_first()
        return html_error(error.status, error.message)

    @app.errorhandler(CSRFError)
    def handle_csrf_error(error: CSRFError):
        message = _("Your form has expired or came from another site. Go back, reload the page and send it again.")
        if wants_json():
            return json_error(400, "csrf_failed", message)
        return html_error(400, message)

    @app.errorhandler(HTTPException)
    def handle_http_error(error: HTTPException):
        status = error.code or 500
        code = HTTP_ERROR_CODES.get(status, "error")
        # Werkzeug's own descriptions are English only: unusual statuses get a translated generic message.
        message = http_messages().get(status) or str(ServiceError.default_message)
        if status == 413:
            limit_mb = (app.config.get("MAX_CONTENT_LENGTH") or 0) // (1024 * 1024)
            message = _("The file is too large. The limit is %(mb)d MB.", mb=limit_mb)
        extra = {}
        if status == 429:
            retry = retry_after_seconds(error)
            if retry:
                message = _("Too many attempts. Please try again in %(seconds)d seconds.", seconds=retry)
                extra["retryAfter"] = retry
        if wants_json():
            response = json_error(status, code, message, **extra)
        elif status == 401:
            return sign_in_first()
        else:
            response = html_error(status, message, **extra)
        if status == 405 and hasattr(error, "valid_methods") and error.valid_methods:
            response.headers["Allow"] = ", ".join(error.valid_methods)
        return response

    @app.errorhandler(Exception)
    def handle_unexpected(error: Exception):
        from webapp.extensions import db

        log.exception("Unhandled error on %s %s", request.method, request.path)
        db.session.rollback()
        message = http_messages()[500]
        if wants_json():
            return json_error(500, "server_error", message)
        return html_error(500, message)
