"""The seeds' rate limits, each set by its own environment variable (flask-limiter notation).

Sign-in counts failed attempts per email (and all attempts per IP); registration counts
accounts created per IP; password reset and verification mails count per email; the API
counts requests per user (per IP when anonymous). Over a limit: 429 with Retry-After and
X-RateLimit-* headers. Counters live in Redis when REDIS_URL is set.
"""

from __future__ import annotations

from flask import current_app, request
from flask_limiter.util import get_remote_address

from webapp.extensions import limiter


def _setting(name: str):
    return lambda: current_app.config[name]


def _posted_email() -> str:
    email = request.form.get("email")
    if email is None:
        body = request.get_json(silent=True)
        email = body.get("email") if isinstance(body, dict) else None
    email = (email or "").strip().lower() if isinstance(email, str) else ""
    return f"email:{email}" if email else f"ip:{get_remote_address()}"


def _failed(response) -> bool:
    return response.status_code in (400, 401, 403, 422)


def _succeeded(response) -> bool:
    return response.status_code < 400


def _compose(*decorators):
    def apply(view):
        for decorate in reversed(decorators):
            view = decorate(view)
        return view

    return apply


login_limits = _compose(
    limiter.shared_limit(_setting("RATELIMIT_LOGIN"), scope="login-email", key_func=_posted_email,
                         methods=["POST"], deduct_when=_failed),
    limiter.shared_limit(_setting("RATELIMIT_LOGIN_IP"), scope="login-ip", key_func=get_remote_address,
                         methods=["POST"]),
)

register_limits = limiter.shared_limit(_setting("RATELIMIT_REGISTER"), scope="register",
                                       key_func=get_remote_address, methods=["POST"], deduct_when=_succeeded)

password_reset_limits = limiter.shared_limit(_setting("RATELIMIT_PASSWORD_RESET"), scope="password-reset",
                                             key_func=_posted_email, methods=["POST"])


def _signed_in_key() -> str:
    from webapp.core.permissions import actor

    user = actor()
    return f"user:{user.id}" if user is not None else f"ip:{get_remote_address()}"


verify_email_limits = limiter.shared_limit(_setting("RATELIMIT_VERIFY_EMAIL"), scope="verify-email",
                                           key_func=_signed_in_key, methods=["POST"])


def api_limits():
    """The per-user API limit, applied to the whole /api/v1 blueprint."""
    from webapp.api.principal import rate_limit_key

    return limiter.limit(_setting("RATELIMIT_API"), key_func=rate_limit_key)
