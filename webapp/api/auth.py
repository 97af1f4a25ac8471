"""/api/v1/auth and /api/v1/password-reset: the seeds' authentication endpoints."""

from __future__ import annotations

from flask import current_app, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user
from pydantic import Field

from webapp.accounts import services as accounts
from webapp.api import bp
from webapp.api.framework import api_route
from webapp.api.principal import resolve
from webapp.api.schemas import Input, MessageOut, TokenOut, UserOut, either
from webapp.auth import services as auth
from webapp.core.errors import Unauthorized
from webapp.core.i18n import select_locale
from webapp.core.ratelimit import login_limits, password_reset_limits, register_limits, verify_email_limits

REFRESH_COOKIE = "refreshToken"  # seed 002 keeps the refresh token in this httpOnly cookie
TAGS = ("auth",)


class RegisterIn(Input):
    email: str
    password: str
    full_name: str | None = Field(None, validation_alias=either("full_name", "name", "fullName"))
    username: str | None = None


class LoginIn(Input):
    email: str
    password: str


class RefreshIn(Input):
    refresh_token: str | None = Field(None, validation_alias=either("refresh_token", "refreshToken"))


class EmailIn(Input):
    email: str


class ResetConfirmIn(Input):
    token: str
    new_password: str = Field(validation_alias=either("new_password", "newPassword", "password"))


class ChangePasswordIn(Input):
    current_password: str = Field(validation_alias=either("current_password", "currentPassword", "old_password"))
    new_password: str = Field(validation_alias=either("new_password", "newPassword"))


class ChangeEmailIn(Input):
    new_email: str = Field(validation_alias=either("new_email", "newEmail", "email"))
    password: str


class VerifyEmailIn(Input):
    token: str


class TokenInfoOut(Input):
    id: int
    email: str
    role: str
    email_verified: bool
    auth_method: str = Field(description="session, token or api_key")


def _with_tokens(pair, status: int = 200):
    """The token answer, plus the seed 002 refresh cookie (httpOnly, only sent to /api/v1/auth)."""
    response = jsonify(TokenOut.of(pair).model_dump(mode="json"))
    response.status_code = status
    response.set_cookie(REFRESH_COOKIE, pair.refresh_token, max_age=current_app.config["REFRESH_TOKEN_TTL"],
                        httponly=True, samesite="Strict", path="/api/v1/auth",
                        secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response


@api_route(bp, "/auth/register", "POST", summary="Create a talent account", tags=TAGS, body=RegisterIn,
           response=TokenOut, status=201, auth="none", errors=(409, 422, 429))
@register_limits
def register(body: RegisterIn):
    """Creates a talent account, mails an address confirmation link, signs in, returns tokens."""
    name = body.full_name or body.username or body.email.split("@")[0]
    user = auth.register(body.email, body.password, name, username=body.username, locale=select_locale())
    auth.start_session(user)
    return _with_tokens(auth.issue_tokens(user, request.user_agent.string), 201)


@api_route(bp, "/auth/login", "POST", summary="Sign in", tags=TAGS, body=LoginIn, response=TokenOut, auth="none",
           errors=(401, 403, 422, 429))
@login_limits
def login(body: LoginIn):
    """Checks the password; returns an access token, a refresh token and the user, and also
    starts a cookie session (seed 003's integrations use the cookie)."""
    user = auth.authenticate(body.email, body.password)
    auth.start_session(user)
    return _with_tokens(auth.issue_tokens(user, request.user_agent.string))


@api_route(bp, "/auth/refresh", "POST", summary="Swap a refresh token for a new pair", tags=TAGS, body=RefreshIn,
           response=TokenOut, auth="none", errors=(401, 403))
def refresh(body: RefreshIn):
    """Refresh tokens rotate: each works once. Presenting a used one revokes its whole family."""
    clear = body.refresh_token or request.cookies.get(REFRESH_COOKIE)
    return _with_tokens(auth.rotate_refresh(clear, request.user_agent.string))


@api_route(bp, "/auth/logout", "POST", summary="Sign out", tags=TAGS, body=RefreshIn, response=MessageOut,
           auth="optional")
def logout(body: RefreshIn):
    """Revokes the refresh token sent (body or cookie); for a signed-in caller, ends every
    session, remember cookie and token family of the account, as signing out of the pages does."""
    principal = resolve()
    auth.revoke_refresh(body.refresh_token or request.cookies.get(REFRESH_COOKIE))
    auth.end_session(principal.user if principal is not None else None)
    response = jsonify(MessageOut(message=_("Logged out successfully")).model_dump())
    response.delete_cookie(REFRESH_COOKIE, path="/api/v1/auth")
    return response


@api_route(bp, "/auth/me", "GET", summary="The signed-in user", tags=TAGS, response=UserOut, errors=(401,))
def me():
    return UserOut.of(resolve().user)


@api_route(bp, "/auth/verify", "GET", summary="Check the current credentials", tags=TAGS, response=TokenInfoOut,
           errors=(401,))
def verify_token():
    principal = resolve()
    user = principal.user
    return TokenInfoOut(id=user.id, email=user.email, role=user.role, email_verified=user.email_verified,
                        auth_method=principal.method)


@api_route(bp, "/auth/verify-email", "POST", summary="Confirm an email address with the mailed token", tags=TAGS,
           body=VerifyEmailIn, response=UserOut, auth="none", errors=(422,))
def verify_email(body: VerifyEmailIn):
    return UserOut.of(auth.verify_email(body.token))


@api_route(bp, "/auth/verify-email/resend", "POST", summary="Mail a new confirmation link", tags=TAGS,
           response=MessageOut, errors=(401, 429))
@verify_email_limits
def resend_verification():
    user = resolve().user
    if user.email_verified:
        return MessageOut(message=_("Your email address is already confirmed."))
    auth.send_verification(user)
    return MessageOut(message=_("A new confirmation link has been sent."))


@api_route(bp, "/password-reset/request", "POST", summary="Ask for a password reset link", tags=TAGS, body=EmailIn,
           response=MessageOut, status=202, auth="none", errors=(422, 429))
@password_reset_limits
def password_reset_request(body: EmailIn):
    """The answer is the same whether or not an account has this email."""
    accounts.normalise_email(body.email)
    auth.request_password_reset(body.email)
    return MessageOut(message=_("If an account exists for this email, a reset link has been sent."))


@api_route(bp, "/password-reset/confirm", "POST", summary="Set a new password with the mailed token", tags=TAGS,
           body=ResetConfirmIn, response=MessageOut, auth="none", errors=(401, 422))
def password_reset_confirm(body: ResetConfirmIn):
    """The token works once and for a limited time; every session of the account ends."""
    auth.reset_password(body.token, body.new_password)
    return MessageOut(message=_("Password reset successfully"))


@api_route(bp, "/auth/change-password", "POST", summary="Change the password", tags=TAGS, body=ChangePasswordIn,
           response=TokenOut, errors=(401, 422))
def change_password(body: ChangePasswordIn):
    """Every other session and token of the account ends; the answer carries fresh tokens."""
    user = resolve().user
    accounts.change_password(user, body.current_password, body.new_password)
    if current_user.is_authenticated:
        auth.start_session(user)
    return _with_tokens(auth.issue_tokens(user, request.user_agent.string))


@api_route(bp, "/auth/change-email", "POST", summary="Ask to change the email address", tags=TAGS,
           body=ChangeEmailIn, response=MessageOut, status=202, errors=(401, 422))
def change_email(body: ChangeEmailIn):
    """Needs the password; the change happens when the link mailed to the new address is opened."""
    accounts.request_email_change(resolve().user, body.password, body.new_email)
    return MessageOut(message=_("A confirmation link has been sent to the new address."))


def _current_user_or_401():
    principal = resolve()
    if principal is None:
        raise Unauthorized()
    return principal.user
