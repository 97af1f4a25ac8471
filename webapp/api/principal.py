"""Who is calling the API: the session cookie, a Bearer access token, or a personal API key
(`Authorization: Bearer tbk_...` or `X-API-Key`). Cookie-authenticated writes must come
from this site: a foreign Origin is refused, and a non-JSON body needs the CSRF token."""

from __future__ import annotations

from dataclasses import dataclass

from flask import g, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_limiter.util import get_remote_address
from flask_login import current_user
from flask_wtf.csrf import CSRFError, validate_csrf

from webapp.auth import services as auth
from webapp.core.errors import Forbidden, ServiceError, Unauthorized

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class CrossSiteRefused(Forbidden):
    code = "csrf_failed"
    default_message = _l("Cross-site requests cannot change anything here.")


@dataclass
class Principal:
    user: object
    method: str  # "session", "token" or "api_key"
    family: str | None = None


def _credential() -> str | None:
    key = request.headers.get("X-API-Key")
    if key:
        return key.strip()
    header = request.headers.get("Authorization", "")
    scheme, _sep, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    if header:
        raise Unauthorized(_("Use 'Authorization: Bearer <token>'."))
    return None


def resolve() -> Principal | None:
    """The caller, or None when anonymous; bad credentials raise (and are remembered)."""
    if "api_principal" in g:
        cached = g.api_principal
        if isinstance(cached, ServiceError):
            raise cached
        return cached
    try:
        credential = _credential()
        if credential and credential.startswith(auth.API_KEY_PREFIX):
            user, _key = auth.user_for_api_key(credential)
            principal = Principal(user, "api_key")
        elif credential:
            user, family = auth.user_for_access_token(credential)
            principal = Principal(user, "token", family)
        elif current_user.is_authenticated:
            principal = Principal(current_user._get_current_object(), "session")
        else:
            principal = None
    except ServiceError as error:
        g.api_principal = error
        raise
    g.api_principal = principal
    g.api_user = principal.user if principal else None
    return principal


def _check_same_site(principal: Principal | None) -> None:
    if request.method in SAFE_METHODS:
        return
    origin = request.headers.get("Origin")
    if origin and origin.rstrip("/") != request.host_url.rstrip("/"):
        raise CrossSiteRefused()
    if principal is not None and principal.method == "session" and not request.is_json:
        try:
            validate_csrf(request.headers.get("X-CSRFToken") or request.form.get("csrf_token"))
        except (CSRFError, Exception):
            raise CrossSiteRefused(_("Send JSON, or the X-CSRFToken header, with cookie authentication.")) from None


def authenticate(required: bool = True) -> Principal | None:
    principal = resolve()
    _check_same_site(principal)
    if principal is None and required:
        raise Unauthorized(_("Authentication required: sign in, or send a Bearer token or an API key."))
    return principal


def rate_limit_key() -> str:
    """Per user when we know who calls, per IP otherwise; never raises."""
    try:
        principal = resolve()
    except ServiceError:
        principal = None
    return f"user:{principal.user.id}" if principal else f"ip:{get_remote_address()}"
