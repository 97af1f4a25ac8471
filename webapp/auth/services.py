"""Signing in and out, registration, email verification, password reset, API credentials
and invitations. Pages and the API call these same functions."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import timedelta
from functools import cache

from flask import current_app, session
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import refresh as refresh_locale
from flask_login import login_user, logout_user
from sqlalchemy import bindparam, select, update
from werkzeug.security import check_password_hash, generate_password_hash

from webapp.accounts import services as accounts
from webapp.accounts.models import User
from webapp.audit import services as audit
from webapp.auth.models import ApiKey, Invitation, RefreshToken
from webapp.core.db import utcnow
from webapp.core.errors import (
    AccountSuspended,
    InvalidCredentials,
    InvalidToken,
    NotFound,
    ServiceError,
    TokenRevoked,
    ValidationFailed,
)
from webapp.core.permissions import Role
from webapp.core.security import (
    LinkExpired,
    LinkInvalid,
    decode_jwt,
    encode_jwt,
    fingerprint,
    new_token,
    read_link,
    sign_link,
    token_hash,
)
from webapp.core.urls import external_url
from webapp.extensions import db, login_manager
from webapp.mail import services as mail

# Checked when the email is unknown, so a wrong email costs the same time as a wrong password.
_DUMMY_HASH = generate_password_hash("not-a-real-password-0")
INVITABLE_ROLES = (Role.RECRUITER.value, Role.CONSULTANT.value)


# Web sessions -------------------------------------------------------------------------------

# Every signed-in request runs it: built once (on first use, when every model is mapped), its
# cache key and compiled form are reused (a `session.get` assembles its statement anew each time).
@cache
def _user_by_id():
    return select(User).where(User.id == bindparam("user_id"))


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """Session and remember cookies carry "<id>:<session token>"; a rotated token ends them."""
    user_id, _sep, token = session_id.partition(":")
    if not user_id.isdigit() or not token:
        return None
    user = db.session.scalars(_user_by_id(), {"user_id": int(user_id)}).first()
    if user is None or not user.is_active or not hmac.compare_digest(user.session_token, token):
        return None
    return user


def authenticate(email: str | None, password: str | None) -> User:
    user = accounts.get_by_email(email or "") if email else None
    if user is None:
        check_password_hash(_DUMMY_HASH, password or "")
        raise InvalidCredentials()
    if not user.check_password(password or ""):
        raise InvalidCredentials()
    if not user.is_active:
        raise AccountSuspended()
    return user


def start_session(user: User, remember: bool = False) -> None:
    """Sign in on this browser: a fresh session (nothing carried over from before sign-in)."""
    session.clear()
    login_user(user, remember=remember, fresh=True)
    session.permanent = True
    user.last_login_at = utcnow()
    db.session.commit()
    refresh_locale()  # the rest of this request (its flash message) speaks the account's language


def end_session(user: User | None) -> None:
    """Sign out: every session, remember cookie and API token family of the account stops
    working (personal API keys stay: they are revoked one by one)."""
    if user is not None and user.is_authenticated:
        accounts.end_all_sessions(user)
        db.session.commit()
    logout_user()
    session.clear()
    refresh_locale()  # back to the visitor's language (cookie or browser), as the next page will be


# Registration and email verification ----------------------------------------------------

class RegistrationClosed(ServiceError):
    status = 403
    code = "registration_closed"
    default_message = _l("Registration is closed for now: new accounts are made by invitation only. "
                         "Contact an administrator if you need one.")


def register(email: str, password: str, full_name: str, username: str | None = None, locale: str = "en") -> User:
    from webapp.settings import services as settings

    if not settings.registration_open():
        raise RegistrationClosed()
    user = accounts.create_account(email, password, full_name, username=username, locale=locale)
    audit.record("account.registered", actor=user, target=user)
    db.session.commit()
    send_verification(user)
    return user


def send_verification(user: User) -> None:
    token = sign_link("verify-email", {"uid": user.id, "email": user.email})
    mail.send(user.email, "verify_email", locale=user.locale, user=user,
              link=external_url("auth.verify_email", token=token))


def verify_email(token: str) -> User:
    try:
        data = read_link("verify-email", token, current_app.config["EMAIL_VERIFY_TTL"])
    except LinkExpired:
        raise ValidationFailed(_("This verification link has expired. Sign in and ask for a new one.")) from None
    except LinkInvalid:
        raise ValidationFailed(_("This verification link is not valid.")) from None
    user = db.session.get(User, data.get("uid"))
    if user is None or user.email != data.get("email"):
        raise ValidationFailed(_("This verification link is no longer valid."))
    user.mark_verified()
    db.session.commit()
    return user


# Password reset -------------------------------------------------------------------------

def _reset_fingerprint(user: User) -> str:
    # The link dies as soon as the password changes: that makes it single-use.
    return fingerprint(str(user.id), user.password_hash)


def request_password_reset(email: str | None) -> None:
    """Mail a reset link if the account exists; the answer to the visitor is the same either way."""
    user = accounts.get_by_email(email or "") if email else None
    if user is None or not user.is_active:
        return
    token = sign_link("password-reset", {"uid": user.id, "fp": _reset_fingerprint(user)})
    mail.send(user.email, "password_reset", locale=user.locale, user=user,
              link=external_url("auth.reset_password", token=token),
              minutes=current_app.config["PASSWORD_RESET_TTL"] // 60)


def user_for_reset(token: str) -> User:
    try:
        data = read_link("password-reset", token, current_app.config["PASSWORD_RESET_TTL"])
    except LinkExpired:
        raise InvalidToken(_("This reset link has expired. Ask for a new one.")) from None
    except LinkInvalid:
        raise InvalidToken(_("This reset link is not valid. Ask for a new one.")) from None
    user = db.session.get(User, data.get("uid"))
    if user is None or not user.is_active or data.get("fp") != _reset_fingerprint(user):
        raise InvalidToken(_("This reset link has already been used. Ask for a new one."))
    return user


def reset_password(token: str, new_password: str) -> User:
    user = user_for_reset(token)
    accounts.check_password_strength(new_password, user.email, "new_password")
    user.set_password(new_password)
    user.mark_verified()  # they proved they read mail at this address
    accounts.end_all_sessions(user)
    audit.record("account.password_reset", actor=user, target=user)
    db.session.commit()
    mail.send(user.email, "password_changed", locale=user.locale, user=user)
    return user


# API tokens -------------------------------------------------------------------------------

@dataclass
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int
    user: User


def _new_refresh(user: User, family_id: str, user_agent: str | None) -> str:
    clear = new_token(32)
    db.session.add(RefreshToken(
        user_id=user.id,
        family_id=family_id,
        token_hash=token_hash(clear),
        expires_at=utcnow() + timedelta(seconds=current_app.config["REFRESH_TOKEN_TTL"]),
        user_agent=(user_agent or "").replace("\x00", "")[:200] or None,
    ))
    return clear


def _access_for(user: User, family_id: str) -> str:
    return encode_jwt({"sub": str(user.id), "fam": family_id, "role": user.role},
                      current_app.config["ACCESS_TOKEN_TTL"])


def issue_tokens(user: User, user_agent: str | None = None) -> TokenPair:
    family_id = new_token(16)[:32]
    refresh = _new_refresh(user, family_id, user_agent)
    db.session.commit()
    return TokenPair(_access_for(user, family_id), refresh, current_app.config["ACCESS_TOKEN_TTL"], user)


def revoke_family(family_id: str) -> None:
    db.session.execute(
        update(RefreshToken)
        .where(RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def rotate_refresh(clear_token: str | None, user_agent: str | None = None) -> TokenPair:
    """Swap a refresh token for a new pair. A token used twice means it was stolen:
    the whole family is revoked and both holders must sign in again."""
    if not clear_token:
        raise InvalidToken(_("A refresh token is required."))
    row = db.session.scalar(select(RefreshToken).where(RefreshToken.token_hash == token_hash(clear_token)))
    if row is None:
        raise InvalidToken()
    if row.revoked_at is not None:
        raise TokenRevoked()
    now = utcnow()
    if row.used_at is not None:
        revoke_family(row.family_id)
        db.session.commit()
        raise TokenRevoked(_("This refresh token was already used; every token of its session is now revoked."))
    if row.expires_at < now:
        raise InvalidToken(_("This refresh token has expired. Please sign in again."))
    claimed = db.session.execute(
        update(RefreshToken).where(RefreshToken.id == row.id, RefreshToken.used_at.is_(None)).values(used_at=now)
    )
    if claimed.rowcount != 1:  # a concurrent request used it first
        revoke_family(row.family_id)
        db.session.commit()
        raise TokenRevoked()
    user = db.session.get(User, row.user_id)
    if user is None or not user.is_active:
        db.session.commit()
        raise AccountSuspended() if user is not None else InvalidToken()
    refresh = _new_refresh(user, row.family_id, user_agent)
    db.session.commit()
    return TokenPair(_access_for(user, row.family_id), refresh, current_app.config["ACCESS_TOKEN_TTL"], user)


def revoke_refresh(clear_token: str | None) -> None:
    if not clear_token:
        return
    row = db.session.scalar(select(RefreshToken).where(RefreshToken.token_hash == token_hash(clear_token)))
    if row is not None:
        revoke_family(row.family_id)
        db.session.commit()


def user_for_access_token(token: str) -> tuple[User, str]:
    claims = decode_jwt(token)
    if claims is None or not str(claims.get("sub", "")).isdigit():
        raise InvalidToken()
    user = db.session.get(User, int(claims["sub"]))
    if user is None:
        raise InvalidToken()
    family = str(claims.get("fam", ""))
    revoked = db.session.scalar(
        select(RefreshToken.id).where(RefreshToken.family_id == family, RefreshToken.revoked_at.is_not(None)).limit(1)
    )
    if revoked is not None:
        raise TokenRevoked()
    if not user.is_active:
        raise AccountSuspended()
    return user, family


# Personal API keys ------------------------------------------------------------------------

API_KEY_PREFIX = "tbk_"


def create_api_key(user: User, name: str) -> tuple[ApiKey, str]:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationFailed(fields={"name": [_("Give the key a name, to recognise it later.")]})
    if len(name) > 80:
        raise ValidationFailed(fields={"name": [_("Use at most 80 characters.")]})
    clear = API_KEY_PREFIX + new_token(30)
    key = ApiKey(user_id=user.id, name=name, prefix=clear[:12], key_hash=token_hash(clear))
    db.session.add(key)
    audit.record("api_key.created", actor=user, target=key, name=name)
    db.session.commit()
    return key, clear


def api_keys_of(user: User) -> list[ApiKey]:
    return list(db.session.scalars(select(ApiKey).where(ApiKey.user_id == user.id).order_by(ApiKey.id.desc())))


def revoke_api_key(user: User, key_id: int) -> ApiKey:
    key = db.session.get(ApiKey, key_id)
    if key is None or key.user_id != user.id:
        raise NotFound()
    if key.revoked_at is None:
        key.revoked_at = utcnow()
        audit.record("api_key.revoked", actor=user, target=key, name=key.name)
        db.session.commit()
    return key


def user_for_api_key(clear: str) -> tuple[User, ApiKey]:
    key = db.session.scalar(select(ApiKey).where(ApiKey.key_hash == token_hash(clear)))
    if key is None or key.revoked_at is not None:
        raise InvalidToken(_("This API key is not valid or has been revoked."))
    user = db.session.get(User, key.user_id)
    if user is None:
        raise InvalidToken()
    if not user.is_active:
        raise AccountSuspended()
    now = utcnow()
    # Note the last use at most once a minute, so reads do not all turn into writes.
    if key.last_used_at is None or (now - key.last_used_at).total_seconds() > 60:
        key.last_used_at = now
        db.session.commit()
    return user, key


# Invitations ------------------------------------------------------------------------------

def invite(admin: User, email: str, role: str, full_name: str = "") -> Invitation:
    address = accounts.normalise_email(email)
    if role not in INVITABLE_ROLES:
        raise ValidationFailed(fields={"role": [_("Invite a recruiter or a consultant.")]})
    if accounts.get_by_email(address):
        raise ValidationFailed(fields={"email": [_("This person already has an account; change their role in the user list.")]})
    clear = new_token(32)
    invitation = Invitation(
        email=address,
        full_name=" ".join((full_name or "").split())[:120],
        role=role,
        token_hash=token_hash(clear),
        invited_by_id=admin.id,
        expires_at=utcnow() + timedelta(seconds=current_app.config["INVITATION_TTL"]),
    )
    db.session.add(invitation)
    audit.record("user.invited", actor=admin, target=invitation, email=address, role=role)
    db.session.commit()
    mail.send(address, "invitation", locale=admin.locale, invitation=invitation, inviter=admin,
              link=external_url("auth.accept_invitation", token=clear),
              days=current_app.config["INVITATION_TTL"] // 86400)
    return invitation


def invitation_for(clear: str) -> Invitation:
    invitation = db.session.scalar(select(Invitation).where(Invitation.token_hash == token_hash(clear)))
    if invitation is None or invitation.state != "pending":
        raise InvalidToken(_("This invitation is not valid any more. Ask the administrator for a new one."))
    return invitation


def accept_invitation(clear: str, full_name: str, password: str, locale: str = "en") -> User:
    invitation = invitation_for(clear)
    user = accounts.create_account(invitation.email, password, full_name, role=invitation.role, verified=True,
                                   locale=locale)
    invitation.accepted_at = utcnow()
    audit.record("user.invitation_accepted", actor=user, target=user, role=invitation.role)
    db.session.commit()
    return user


def revoke_invitation(admin: User, invitation_id: int) -> Invitation:
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None:
        raise NotFound()
    if invitation.state == "pending":
        invitation.revoked_at = utcnow()
        audit.record("user.invitation_revoked", actor=admin, target=invitation, email=invitation.email)
        db.session.commit()
    return invitation


def invitations_page(page: int, per_page: int):
    from webapp.core.pagination import paginate

    return paginate(select(Invitation).order_by(Invitation.id.desc()), page, per_page)
