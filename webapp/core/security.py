"""Security helpers: token hashing, signed links, access tokens, safe redirects, headers."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
import zlib
from urllib.parse import urlsplit

from flask import Flask, current_app, request, session
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from itsdangerous.encoding import base64_encode
from itsdangerous.url_safe import URLSafeSerializerMixin


def new_token(nbytes: int = 32) -> str:
    return secrets.token_urlsafe(nbytes)


def token_hash(token: str) -> str:
    """Tokens and keys are stored only as this hash; the clear value is shown once."""
    return hashlib.sha256(token.encode()).hexdigest()


def fingerprint(*parts: str) -> str:
    """A short digest of values a signed link depends on (it dies when they change)."""
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:20]


# Signed links (email verification, password reset, email change) ----------------------

class LinkExpired(Exception):
    pass


class LinkInvalid(Exception):
    pass


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"talentbase.{purpose}")


def sign_link(purpose: str, payload: dict) -> str:
    return _serializer(purpose).dumps(payload)


def read_link(purpose: str, token: str, max_age: int) -> dict:
    try:
        return _serializer(purpose).loads(token, max_age=max_age)
    except SignatureExpired as exc:
        raise LinkExpired from exc
    except BadSignature as exc:
        raise LinkInvalid from exc


# Access tokens: compact HS256 JSON Web Tokens ---------------------------------------------

def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _jwt_key() -> bytes:
    return hmac.new(current_app.config["SECRET_KEY"].encode(), b"access-token", hashlib.sha256).digest()


def encode_jwt(claims: dict, ttl: int) -> str:
    now = int(time.time())
    body = {**claims, "iat": now, "exp": now + ttl}
    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
    payload = _b64(json.dumps(body, separators=(",", ":")).encode())
    signing_input = f"{header}.{payload}".encode()
    signature = _b64(hmac.new(_jwt_key(), signing_input, hashlib.sha256).digest())
    return f"{header}.{payload}.{signature}"


def decode_jwt(token: str) -> dict | None:
    """The claims of a valid, unexpired token; None for anything else."""
    try:
        header, payload, signature = token.split(".")
        expected = _b64(hmac.new(_jwt_key(), f"{header}.{payload}".encode(), hashlib.sha256).digest())
        if not hmac.compare_digest(signature, expected):
            return None
        if json.loads(_unb64(header)).get("alg") != "HS256":
            return None
        claims = json.loads(_unb64(payload))
    except (ValueError, TypeError, json.JSONDecodeError):
        return None
    if not isinstance(claims, dict) or int(claims.get("exp", 0)) < time.time():
        return None
    return claims


# Redirects ---------------------------------------------------------------------------------

def safe_next(target: str | None, fallback: str) -> str:
    """`next` may only lead to a page of this site: a path, never another host or scheme."""
    if not target:
        return fallback
    target = target.strip()
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return fallback
    if any(ord(ch) < 32 for ch in target):
        return fallback
    return target


# Response headers ---------------------------------------------------------------------------

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "font-src 'self'; connect-src 'self'; media-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
# Swagger UI sets style attributes in its markup; only /api/docs allows that.
CSP_API_DOCS = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")


BASE_HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
    ("X-Frame-Options", "DENY"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
)
HSTS = ("Strict-Transport-Security", "max-age=31536000; includeSubDomains")


def _security_headers(response):
    """Add the headers a view has not set itself (one pass over the response's headers)."""
    csp = CSP_API_DOCS if request.path == "/api/docs" else CSP
    wanted = [("Content-Security-Policy", csp), *BASE_HEADERS]
    if current_app.config.get("SESSION_COOKIE_SECURE"):
        wanted.append(HSTS)
    present = {name.lower() for name, _value in response.headers}
    # (the session is read for pages only: reading it adds "Vary: Cookie" to the answer)
    if response.mimetype == "text/html" and "cache-control" not in present and session.get("_user_id"):
        # A signed-in person's pages are kept by no cache, and the back button after signing
        # out asks the server again (which asks to sign in) instead of showing them.
        wanted.append(("Cache-Control", "no-store"))
    response.headers.extend([(name, value) for name, value in wanted if name.lower() not in present])
    return response


class _SessionSerializer(URLSafeTimedSerializer):
    """itsdangerous' cookie format, without trying zlib on small payloads: a session is a few
    dozen bytes, which compression never shortens, but each try sets up a quarter of a
    megabyte of deflate state. Cookies written either way read the same."""

    SMALL = 512

    def dump_payload(self, obj) -> bytes:
        json = super(URLSafeSerializerMixin, self).dump_payload(obj)  # the JSON, not yet compressed
        if len(json) > self.SMALL:
            compressed = zlib.compress(json)
            if len(compressed) < len(json) - 1:
                return b"." + base64_encode(compressed)
        return base64_encode(json)


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, with the signing serializer made once per secret key
    instead of twice per request (opening and saving).

    A permanent session slides: each answer may send the cookie again with a new expiry. Flask
    re-signs it on every request; here an unchanged session is sent again only when its cookie
    was signed more than SESSION_REFRESH_SECONDS ago (the expiry then lags by at most that
    much, against PERMANENT_SESSION_LIFETIME of hours). A changed session is always sent."""

    def __init__(self):
        self._serializers: dict[tuple, URLSafeTimedSerializer] = {}

    def open_session(self, app: Flask, request):
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        value = request.cookies.get(self.get_cookie_name(app))
        if not value:
            return self.session_class()
        max_age = int(app.permanent_session_lifetime.total_seconds())
        try:
            data, signed_at = serializer.loads(value, max_age=max_age, return_timestamp=True)
        except BadSignature:
            return self.session_class()
        opened = self.session_class(data)
        opened.signed_at = signed_at.timestamp()
        return opened

    def should_set_cookie(self, app: Flask, session) -> bool:
        if session.modified:
            return True
        if not (session.permanent and app.config["SESSION_REFRESH_EACH_REQUEST"]):
            return False
        signed_at = getattr(session, "signed_at", None)
        refresh = app.config.get("SESSION_REFRESH_SECONDS", 0)
        return signed_at is None or time.time() - signed_at >= refresh

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        if not app.secret_key:
            return None
        keys = (*(app.config.get("SECRET_KEY_FALLBACKS") or ()), app.secret_key)  # current key last
        serializer = self._serializers.get(keys)
        if serializer is None:
            serializer = self._serializers[keys] = _SessionSerializer(
                list(keys), salt=self.salt, serializer=self.serializer,
                signer_kwargs={"key_derivation": self.key_derivation, "digest_method": self.digest_method},
            )
        return serializer


# Input hygiene --------------------------------------------------------------------------------

def _nul_fields(value, name: str = "body") -> list[str]:
    """The names of the values that hold a NUL character (PostgreSQL text cannot store one)."""
    if isinstance(value, str):
        return [name] if "\x00" in value else []
    if isinstance(value, dict):
        return [found for key, item in value.items() for found in _nul_fields(item, str(key))] + \
            [name for key in value if isinstance(key, str) and "\x00" in key]
    if isinstance(value, list):
        return [found for item in value for found in _nul_fields(item, name)]
    return []


def _refuse_nul_characters():
    """No browser sends a NUL, but scripts and fuzzers do: refuse it as bad input (a 422 that
    names the field) before it reaches a query and ends in a database error."""
    from flask_babel import gettext as _

    from webapp.core.errors import ValidationFailed

    # A NUL can only reach the query string percent-encoded: most requests need no parsing.
    query = request.query_string
    fields = _nul_fields(request.args.to_dict(flat=False)) if b"%00" in query or b"\x00" in query else []
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        fields += _nul_fields(request.form.to_dict(flat=False))
    elif request.is_json:
        fields += _nul_fields(request.get_json(silent=True))
    if fields:
        message = _("This text contains a character that is not allowed (NUL).")
        raise ValidationFailed(message, fields={name: [message] for name in dict.fromkeys(fields)})


def register_security(app: Flask) -> None:
    app.session_interface = SessionInterface()
    app.before_request(_refuse_nul_characters)
    app.after_request(_security_headers)
    if app.config.get("TRUSTED_PROXIES"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        n = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)
