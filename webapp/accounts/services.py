"""Accounts: creating them, what their owner may change, their data, and their end."""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Callable
from datetime import datetime

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from sqlalchemy import delete, func, select, update
from werkzeug.datastructures import FileStorage

from webapp.accounts.models import LANGUAGES, ROLES, THEMES, User
from webapp.accounts.signals import account_created, account_updated
from webapp.audit import services as audit
from webapp.core.db import utcnow
from webapp.core.errors import Forbidden, NotFound, UserExists, ValidationFailed
from webapp.core.permissions import STAFF_ROLES, Role
from webapp.core.security import LinkExpired, LinkInvalid, fingerprint, read_link, sign_link
from webapp.core.urls import external_url
from webapp.extensions import db
from webapp.files import services as files
from webapp.mail import services as mail

COMMON_PASSWORDS = {
    "password", "password1", "password123", "12345678", "123456789", "1234567890", "qwertyuiop",
    "azertyuiop", "motdepasse", "iloveyou", "admin123", "welcome1", "letmein1", "abc12345",
}
USERNAME_RE = re.compile(r"^[A-Za-z0-9_.-]{3,40}$")
PHONE_RE = re.compile(r"^\+?[0-9 ().-]{6,24}$")


# Checks shared by pages and API ---------------------------------------------------------

def normalise_email(email: str | None, field: str = "email") -> str:
    try:
        return validate_email((email or "").strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        raise ValidationFailed(fields={field: [_("Enter a valid email address.")]}) from None


def password_problems(password: str | None, email: str | None = None) -> list[str]:
    password = password or ""
    problems = []
    if len(password) < 8:
        problems.append(_("Use at least 8 characters."))
    if len(password) > 128:
        problems.append(_("Use at most 128 characters."))
    if not re.search(r"[A-Za-z]", password) or not re.search(r"[^A-Za-z]", password):
        problems.append(_("Mix letters with at least one digit or symbol."))
    lowered = password.lower()
    if lowered in COMMON_PASSWORDS or (email and lowered == email.lower()):
        problems.append(_("This password is too easy to guess."))
    return problems


def check_password_strength(password: str | None, email: str | None = None, field: str = "password") -> None:
    problems = password_problems(password, email)
    if problems:
        raise ValidationFailed(fields={field: problems})


def clean_name(full_name: str | None, field: str = "full_name") -> str:
    name = " ".join((full_name or "").split())
    if not name:
        raise ValidationFailed(fields={field: [_("Enter your name.")]})
    if len(name) > 120:
        raise ValidationFailed(fields={field: [_("Use at most 120 characters.")]})
    return name


def clean_phone(phone: str | None) -> str | None:
    phone = (phone or "").strip()
    if not phone:
        return None
    if not PHONE_RE.match(phone):
        raise ValidationFailed(fields={"phone": [_("Enter a phone number with digits, spaces and an optional leading +.")]})
    return phone


def clean_username(username: str | None, user_id: int | None = None) -> str | None:
    username = (username or "").strip()
    if not username:
        return None
    if not USERNAME_RE.match(username):
        raise ValidationFailed(fields={"username": [_("Use 3 to 40 letters, digits, dots, dashes or underscores.")]})
    taken = db.session.scalar(select(User.id).where(func.lower(User.username) == username.lower()))
    if taken and taken != user_id:
        raise ValidationFailed(fields={"username": [_("This username is taken.")]})
    return username


# Lookups ------------------------------------------------------------------------------------

def get_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email.strip().lower()))


def get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound()
    return user


# Creating ----------------------------------------------------------------------------------

def create_account(
    email: str,
    password: str,
    full_name: str,
    role: str = Role.TALENT,
    username: str | None = None,
    verified: bool = False,
    locale: str = "en",
) -> User:
    """A new account (talent unless said otherwise); the caller commits."""
    errors: dict[str, list[str]] = {}
    for check in (
        lambda: normalise_email(email),
        lambda: clean_name(full_name),
        lambda: check_password_strength(password, email),
        lambda: clean_username(username),
    ):
        try:
            check()
        except ValidationFailed as exc:
            errors.update(exc.fields)
    if errors:
        raise ValidationFailed(fields=errors)
    if role not in ROLES:
        raise ValidationFailed(fields={"role": [_("Unknown role.")]})
    address = normalise_email(email)
    if get_by_email(address):
        raise UserExists(fields={"email": [_("An account with this email already exists.")]})
    user = User(
        email=address,
        full_name=clean_name(full_name),
        role=str(role),
        username=clean_username(username),
        locale=locale if locale in LANGUAGES else "en",
    )
    user.set_password(password)
    if verified:
        user.mark_verified()
    db.session.add(user)
    db.session.flush()
    account_created.send(user)
    return user


# What the owner changes ---------------------------------------------------------------

def update_profile(user: User, changes: dict) -> User:
    """Change any of full_name, phone, bio, username (keys absent are left alone)."""
    errors: dict[str, list[str]] = {}
    values = {}
    checks: dict[str, Callable] = {
        "full_name": clean_name,
        "phone": clean_phone,
        "bio": lambda v: (v or "").strip()[:2000] or None,
        "username": lambda v: clean_username(v, user.id),
    }
    for key, check in checks.items():
        if key in changes:
            try:
                values[key] = check(changes[key])
            except ValidationFailed as exc:
                errors.update(exc.fields)
    if errors:
        raise ValidationFailed(fields=errors)
    for key, value in values.items():
        setattr(user, key, value)
    account_updated.send(user, changes=values)
    db.session.commit()
    return user


def preferences_of(user: User) -> dict:
    return {
        "notifications_enabled": user.notifications_enabled,
        "email_notifications": user.email_notifications,
        "theme": user.theme,
        "language": user.locale,
    }


def update_preferences(user: User, changes: dict) -> dict:
    errors: dict[str, list[str]] = {}
    if "theme" in changes and changes["theme"] not in THEMES:
        errors["theme"] = [_("Choose light or dark.")]
    if "language" in changes and changes["language"] not in LANGUAGES:
        errors["language"] = [_("Choose English or French.")]
    if errors:
        raise ValidationFailed(fields=errors)
    for key in ("notifications_enabled", "email_notifications"):
        if key in changes and changes[key] is not None:
            setattr(user, key, bool(changes[key]))
    if changes.get("theme"):
        user.theme = changes["theme"]
    if changes.get("language"):
        user.locale = changes["language"]
    db.session.commit()
    if changes.get("language"):
        from flask_babel import refresh

        refresh()  # what this request still says (a flash message) is in the new language
    return preferences_of(user)


def set_avatar(user: User, upload: FileStorage | None) -> User:
    data = files.read_upload(upload, "avatar", max_bytes=5 * 1024 * 1024)
    stored = files.reencode_image(data, "avatar", files.AVATAR_SIZE)
    old = files.files_of(user.id, "avatar")
    files.save(user.id, "avatar", upload.filename, stored)
    for record in old:
        db.session.delete(record)
    db.session.commit()
    files.delete_stored(old)
    return user


def remove_avatar(user: User) -> None:
    old = files.files_of(user.id, "avatar")
    for record in old:
        db.session.delete(record)
    db.session.commit()
    files.delete_stored(old)


# Sessions and credentials ---------------------------------------------------------------

def end_all_sessions(user: User) -> None:
    """Every session cookie, remember cookie, refresh token and access token of the account
    stops working (access tokens die with their refresh family)."""
    from webapp.auth.models import RefreshToken

    user.rotate_session_token()
    db.session.execute(
        update(RefreshToken)
        .where(RefreshToken.user_id == user.id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def verify_password(user: User, password: str | None, field: str = "password") -> None:
    if not user.check_password(password or ""):
        raise ValidationFailed(fields={field: [_("Your password is not correct.")]})


def change_password(user: User, current_password: str, new_password: str) -> None:
    verify_password(user, current_password, "current_password")
    check_password_strength(new_password, user.email, "new_password")
    user.set_password(new_password)
    end_all_sessions(user)
    audit.record("account.password_changed", actor=user, target=user)
    db.session.commit()
    mail.send(user.email, "password_changed", locale=user.locale, user=user)


def request_email_change(user: User, password: str, new_email: str) -> str:
    """Send a confirmation link to the new address; the email changes when it is opened."""
    verify_password(user, password)
    address = normalise_email(new_email, "new_email")
    if address == user.email:
        raise ValidationFailed(fields={"new_email": [_("This is already your email address.")]})
    if get_by_email(address):
        raise ValidationFailed(fields={"new_email": [_("An account with this email already exists.")]})
    token = sign_link("change-email", {"uid": user.id, "new": address, "fp": fingerprint(user.email, user.password_hash)})
    mail.send(address, "email_change", locale=user.locale, user=user, new_email=address,
              link=external_url("auth.confirm_email_change", token=token))
    return address


def confirm_email_change(token: str) -> User:
    from flask import current_app

    try:
        data = read_link("change-email", token, current_app.config["EMAIL_VERIFY_TTL"])
    except LinkExpired:
        raise ValidationFailed(_("This link has expired. Ask for the change again from your account.")) from None
    except LinkInvalid:
        raise ValidationFailed(_("This link is not valid.")) from None
    user = db.session.get(User, data.get("uid"))
    if user is None or fingerprint(user.email, user.password_hash) != data.get("fp"):
        raise ValidationFailed(_("This link has already been used or is no longer valid."))
    if get_by_email(data["new"]):
        raise ValidationFailed(_("An account with this email already exists."))
    old = user.email
    user.email = data["new"]
    user.email_verified_at = utcnow()
    account_updated.send(user, changes={"email": user.email})
    audit.record("account.email_changed", actor=user, target=user, old=old, new=user.email)
    db.session.commit()
    mail.send(old, "email_changed_notice", locale=user.locale, user=user, new_email=user.email)
    return user


# Personal data ------------------------------------------------------------------------------

# Later features add their part of "download my data" here: name -> function(user) -> JSON data.
DATA_EXPORTERS: dict[str, Callable[[User], object]] = {}


def data_exporter(name: str):
    def register(fn):
        DATA_EXPORTERS[name] = fn
        return fn

    return register


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


@data_exporter("account")
def _export_account(user: User) -> dict:
    return {
        "id": user.id,
        "email": user.email,
        "username": user.username,
        "full_name": user.full_name,
        "phone": user.phone,
        "bio": user.bio,
        "role": user.role,
        "status": user.status,
        "subscription_tier": user.subscription_tier,
        "email_verified_at": _iso(user.email_verified_at),
        "created_at": _iso(user.created_at),
        "last_login_at": _iso(user.last_login_at),
        "preferences": preferences_of(user),
    }


@data_exporter("api_keys")
def _export_api_keys(user: User) -> list:
    from webapp.auth.models import ApiKey

    keys = db.session.scalars(select(ApiKey).where(ApiKey.user_id == user.id).order_by(ApiKey.id))
    return [
        {"name": k.name, "prefix": k.prefix, "created_at": _iso(k.created_at),
         "last_used_at": _iso(k.last_used_at), "revoked_at": _iso(k.revoked_at)}
        for k in keys
    ]


@data_exporter("activity")
def _export_activity(user: User) -> list:
    return [
        {"action": e.action, "at": _iso(e.created_at), "ip_address": e.ip_address, "details": e.details}
        for e in audit.events_by(user.id)
    ]


def export_data(user: User) -> bytes:
    """A ZIP of everything the account holds: one JSON file per part, and the files themselves."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, exporter in DATA_EXPORTERS.items():
            archive.writestr(f"{name}.json", json.dumps(exporter(user), ensure_ascii=False, indent=2))
        stored = files.files_of(user.id)
        listing = []
        for index, record in enumerate(stored, start=1):
            arcname = f"files/{index:03d}-{_safe_filename(record.original_name)}"
            path = files.path_of(record)
            if path.exists():
                archive.write(path, arcname)
            listing.append({"kind": record.kind, "name": record.original_name, "path": arcname,
                            "content_type": record.content_type, "size": record.size,
                            "sha256": record.checksum, "uploaded_at": _iso(record.created_at)})
        archive.writestr("files.json", json.dumps(listing, ensure_ascii=False, indent=2))
    audit.record("account.data_exported", actor=user, target=user)
    db.session.commit()
    return buffer.getvalue()


def _safe_filename(name: str) -> str:
    cleaned = re.sub(r"[^\w.\- ]+", "_", name).strip(" .")
    return cleaned[:100] or "file"


def delete_account(user: User, password: str) -> None:
    """Remove the account with its rows, files, sessions and tokens (the rows cascade)."""
    verify_password(user, password)
    audit.record("account.deleted", actor=None, target=user, email_domain=user.email.split("@")[-1])
    _erase(user)


def _erase(user: User) -> None:
    """Delete the account (its rows cascade), then the bytes of every file it or its profile had."""
    from webapp.audit.models import AuditEvent
    from webapp.directory.models import Profile
    from webapp.files.models import File
    from webapp.mail.models import OutboxMessage

    profile_ids = select(Profile.id).where(Profile.user_id == user.id)
    stored = list(db.session.scalars(select(File).where((File.owner_id == user.id) | File.profile_id.in_(profile_ids))))
    for record in stored:
        db.session.delete(record)  # through the session, so their names outlive the commit
    # The mails sent to them are their data too (the export holds them), and so is the log of
    # what they did, unless they were staff: what staff did (exports, deletions, role changes)
    # is the organisation's record, kept under who they were.
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.to_address == user.email))
    if user.role in STAFF_ROLES:
        _keep_the_trail_of(user, AuditEvent)
    else:
        db.session.execute(delete(AuditEvent).where(AuditEvent.actor_id == user.id))
    db.session.delete(user)
    db.session.commit()
    files.delete_stored(stored)


def _keep_the_trail_of(user: User, AuditEvent) -> None:
    """The staff member's events outlive the account: the row goes (actor_id becomes NULL by
    the foreign key), their name and role stay in each event's details."""
    former = {"id": user.id, "name": user.full_name, "role": user.role}
    for event in db.session.scalars(select(AuditEvent).where(AuditEvent.actor_id == user.id)):
        event.details = {**(event.details or {}), "former_actor": former}
        event.actor_id = None


# Administration -------------------------------------------------------------------------

def admin_delete_account(admin: User, user: User) -> None:
    """An administrator erases someone's account: rows (profile included), files, sessions, keys."""
    from webapp.core.permissions import require

    require("admin", user=admin)
    if user.id == admin.id:
        raise Forbidden(_("Delete your own account from your privacy page."))
    audit.record("account.deleted_by_admin", actor=admin, target=user, email_domain=user.email.split("@")[-1])
    _erase(user)


def set_status(admin: User, user: User, status: str) -> User:
    if user.id == admin.id:
        raise Forbidden(_("You cannot suspend your own account."))
    if status not in ("active", "suspended"):
        raise ValidationFailed(fields={"status": [_("Unknown status.")]})
    if user.status == status:
        return user
    user.status = status
    if status == "suspended":
        user.suspended_at = utcnow()
        end_all_sessions(user)
    else:
        user.suspended_at = None
    audit.record(f"user.{'suspended' if status == 'suspended' else 'reactivated'}", actor=admin, target=user)
    db.session.commit()
    return user


def set_role(admin: User, user: User, role: str) -> User:
    if role not in ROLES:
        raise ValidationFailed(fields={"role": [_("Unknown role.")]})
    if user.id == admin.id and role != Role.ADMIN:
        raise Forbidden(_("You cannot remove your own administrator role."))
    if user.role != role:
        audit.record("user.role_changed", actor=admin, target=user, old=user.role, new=role)
        user.role = role
        db.session.commit()
    return user


def users_page(page: int, per_page: int, search: str = "", role: str = "", status: str = "", verified: str = "",
               created_from=None, created_to=None):
    """The admin's list of accounts, newest first: text in the email or name, role, status,
    verified ("yes"/"no") and the days the account was created in (both included)."""
    from webapp.core.dates import day_bounds
    from webapp.core.pagination import paginate

    stmt = select(User)
    if search:
        like = f"%{search.strip().lower()}%"
        stmt = stmt.where(func.lower(User.email).like(like) | func.lower(User.full_name).like(like))
    if role in ROLES:
        stmt = stmt.where(User.role == role)
    if status in ("active", "suspended"):
        stmt = stmt.where(User.status == status)
    if verified == "yes":
        stmt = stmt.where(User.email_verified_at.is_not(None))
    elif verified == "no":
        stmt = stmt.where(User.email_verified_at.is_(None))
    low, high = day_bounds(created_from, created_to)
    if low is not None:
        stmt = stmt.where(User.created_at >= low)
    if high is not None:
        stmt = stmt.where(User.created_at < high)
    return paginate(stmt.order_by(User.id.desc()), page, per_page)
