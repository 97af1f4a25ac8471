"""The public page of a profile and the QR code that leads to it.

A profile is reached from outside only through `public_token`: 32 random URL-safe
characters, never the unique code (which is guessable: MAM0001RAB, MAM0002RAB ...). The
page exists only while the owner publishes it (`published_at`) and the profile is active;
it shows the name and the fields the owner chose, nothing else. Revoking draws a new token:
the old URL and every QR code printed with it stop working at once.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from typing import Any

from flask import current_app, has_request_context, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from webapp.audit import services as audit
from webapp.core.db import utcnow
from webapp.core.errors import NotFound, ServiceError, ValidationFailed
from webapp.core.permissions import can, policy, require
from webapp.directory.models import DEFAULT_PUBLIC_FIELDS, PUBLISHABLE_FIELDS, Profile
from webapp.directory.reference import (
    AVAILABILITY_LABELS,
    LANGUAGE_LEVEL_LABELS,
    SKILL_LEVEL_LABELS,
    WORK_MODE_LABELS,
    language_name,
)
from webapp.extensions import db

TOKEN_BYTES = 24  # 24 random bytes = 32 URL-safe characters (192 bits: not guessable)
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{32}$")
CONTACT_FIELDS = ("email", "phone", "whatsapp", "cv")

FIELD_LABELS = {
    "photo": _l("Photo"),
    "headline": _l("Headline"),
    "bio": _l("Bio"),
    "city": _l("City"),
    "country": _l("Country"),
    "age": _l("Age"),
    "languages": _l("Languages"),
    "skills": _l("Skills"),
    "experience": _l("Experience and current position"),
    "education": _l("Education"),
    "availability": _l("Availability"),
    "work_mode": _l("Work mode"),
    "links": _l("Links (portfolio, website, LinkedIn, Instagram)"),
    "email": _l("Email address"),
    "phone": _l("Phone number"),
    "whatsapp": _l("WhatsApp number"),
    "cv": _l("CV (download)"),
}
assert set(FIELD_LABELS) == set(PUBLISHABLE_FIELDS)


class PublishingRefused(ServiceError):
    status = 403
    code = "publishing_not_allowed"
    default_message = _l("This profile cannot be published.")


# Who may do what ------------------------------------------------------------------------------

def _is_owner(user, profile) -> bool:
    return profile is not None and profile.user_id is not None and profile.user_id == user.id


@policy("profile.publish")
def _may_publish(user, profile) -> bool:
    """Only the person decides what of them is public: the owner of the profile, nobody else."""
    return _is_owner(user, profile)


@policy("profile.qr")
def _may_get_qr(user, profile) -> bool:
    """The owner, and staff who may see the profile, download its QR code and print its card."""
    return can(user, "profile.view", profile)


def publishing_problem(profile: Profile) -> str | None:
    """Why this profile may not have a public page now, or None. Inactive (hidden) profiles and
    CRM candidates never are public; a talent under 16 needs a guardian's name and consent first
    (the cinema module keeps the guardian)."""
    from webapp.casting.services import guardian_problem

    if not profile.is_active or profile.user_id is None:
        return str(PublishingRefused.default_message)
    return guardian_problem(profile)


def can_publish(profile: Profile) -> bool:
    """May this profile have a public page at all? (see publishing_problem)"""
    return publishing_problem(profile) is None


# The token ----------------------------------------------------------------------------------

def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def ensure_token(profile: Profile) -> str:
    """The profile's token, drawn the first time it is needed. It is an invisible random
    identifier (nothing is published by drawing it), so doing this while serving a GET is
    safe; the conditional UPDATE makes two first requests agree on one token."""
    if profile.public_token:
        return profile.public_token
    db.session.execute(update(Profile).where(Profile.id == profile.id, Profile.public_token.is_(None))
                       .values(public_token=new_token()))
    db.session.commit()
    db.session.refresh(profile)
    return profile.public_token


def public_path(token: str) -> str:
    return f"/p/{token}"


def public_url(profile: Profile) -> str:
    """The address the QR code holds: PUBLIC_BASE_URL (what a phone can reach) + /p/<token>."""
    token = ensure_token(profile)
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    if has_request_context():
        return base + url_for("directory.public_page", token=token)
    return base + public_path(token)


# Publication settings (owner only; every change dated and audited) --------------------------

def clean_fields(fields) -> list[str]:
    """The chosen fields, in the page's order; anything unknown is refused."""
    chosen = [str(name).strip() for name in (fields or []) if str(name).strip()]
    unknown = sorted(set(chosen) - set(PUBLISHABLE_FIELDS))
    if unknown:
        raise ValidationFailed(fields={"fields": [_("Unknown fields: %(names)s.", names=", ".join(unknown))]})
    return [name for name in PUBLISHABLE_FIELDS if name in chosen]


def public_fields_of(profile: Profile) -> list[str]:
    stored = profile.public_fields if profile.public_fields is not None else list(DEFAULT_PUBLIC_FIELDS)
    return [name for name in PUBLISHABLE_FIELDS if name in stored]


def publish(actor, profile: Profile, fields=None) -> Profile:
    require("profile.publish", profile, user=actor)
    problem = publishing_problem(profile)
    if problem:
        raise PublishingRefused(problem)
    if fields is not None:
        _set_fields(actor, profile, clean_fields(fields))
    ensure_token(profile)
    if profile.published_at is None:
        profile.published_at = utcnow()
        audit.record("profile.published", actor=actor, target=profile, fields=public_fields_of(profile))
    db.session.commit()
    return profile


def unpublish(actor, profile: Profile) -> Profile:
    require("profile.publish", profile, user=actor)
    if profile.published_at is not None:
        profile.published_at = None
        audit.record("profile.unpublished", actor=actor, target=profile)
        db.session.commit()
    return profile


def set_public_fields(actor, profile: Profile, fields) -> Profile:
    require("profile.publish", profile, user=actor)
    _set_fields(actor, profile, clean_fields(fields))
    db.session.commit()
    return profile


def _set_fields(actor, profile: Profile, chosen: list[str]) -> None:
    if chosen == public_fields_of(profile) and profile.public_fields is not None:
        return
    profile.public_fields = chosen
    profile.public_fields_changed_at = utcnow()
    audit.record("profile.public_fields_changed", actor=actor, target=profile, fields=chosen)


def revoke_token(actor, profile: Profile) -> Profile:
    """A new token: the old URL and QR code answer 404 from now on; publication stays as it was."""
    require("profile.publish", profile, user=actor)
    profile.public_token = new_token()
    audit.record("profile.public_token_revoked", actor=actor, target=profile)
    db.session.commit()
    return profile


# The public page ----------------------------------------------------------------------------

def published_profile(token: str) -> Profile:
    """The profile behind `token` if its page is public now; one NotFound for every other
    case (unknown, revoked, unpublished, hidden), so nothing can be learnt by guessing."""
    if not isinstance(token, str) or not TOKEN_RE.match(token):
        raise NotFound()
    profile = db.session.scalar(select(Profile).where(Profile.public_token == token))
    if profile is None or profile.published_at is None or not can_publish(profile):
        raise NotFound()
    return profile


@dataclass
class PublicView:
    """What the public page may show, and nothing more: the template never sees the profile."""

    token: str
    name: str
    initials: str
    fields: list[str]
    values: dict[str, Any] = field(default_factory=dict)

    def has(self, name: str) -> bool:
        return name in self.values


def public_view(profile: Profile) -> PublicView:
    chosen = public_fields_of(profile)
    view = PublicView(token=profile.public_token, name=profile.full_name, initials=profile.initials, fields=chosen)
    locale = str(get_locale() or "en")
    for name in chosen:
        value = _VALUES[name](profile, locale)
        if value not in (None, "", [], {}):
            view.values[name] = value
    return view


def _photo(profile, _locale):
    return url_for("directory.public_photo", token=profile.public_token) if profile.thumb_file_id or profile.photo_file_id else None


def _city(profile, _locale):
    return profile.city.name if profile.city is not None else None


def _country(profile, locale):
    return profile.country.name(locale) if profile.country is not None else None


def _languages(profile, locale):
    return [(language_name(link.code, locale), str(LANGUAGE_LEVEL_LABELS.get(link.level, link.level)))
            for link in profile.languages]


def _skills(profile, locale):
    return [(link.skill.emoji, link.skill.name(locale), str(SKILL_LEVEL_LABELS.get(link.level, "")), link.level)
            for link in profile.skills if link.skill is not None and link.skill.is_active]


def _experience(profile, _locale):
    parts = {}
    if profile.years_experience is not None:
        parts["years"] = profile.years_experience
    if profile.current_position:
        parts["position"] = profile.current_position
    if profile.current_company:
        parts["company"] = profile.current_company
    return parts


def _links(profile, _locale):
    names = (("portfolio_url", _("Portfolio")), ("website", _("Website")), ("linkedin", "LinkedIn"),
             ("instagram", "Instagram"))
    return [(label, getattr(profile, key)) for key, label in names if getattr(profile, key)]


def _whatsapp(profile, _locale):
    if not profile.whatsapp:
        return None
    digits = re.sub(r"\D", "", profile.whatsapp)
    return {"number": profile.whatsapp, "link": f"https://wa.me/{digits}"}


def _cv(profile, _locale):
    return url_for("directory.public_cv", token=profile.public_token) if profile.cv_file_id else None


_VALUES = {
    "photo": _photo,
    "headline": lambda p, _l: p.headline,
    "bio": lambda p, _l: p.bio,
    "city": _city,
    "country": _country,
    "age": lambda p, _l: p.age,
    "languages": _languages,
    "skills": _skills,
    "experience": _experience,
    "education": lambda p, _l: p.education,
    "availability": lambda p, _l: str(AVAILABILITY_LABELS[p.availability]) if p.availability else None,
    "work_mode": lambda p, _l: str(WORK_MODE_LABELS[p.work_mode]) if p.work_mode else None,
    "links": _links,
    "email": lambda p, _l: p.email,
    "phone": lambda p, _l: p.phone,
    "whatsapp": _whatsapp,
    "cv": _cv,
}
assert set(_VALUES) == set(PUBLISHABLE_FIELDS)


def public_file(token: str, which: str):
    """The photo (thumbnail) or CV of a published profile, only if the owner shows it."""
    profile = published_profile(token)
    chosen = public_fields_of(profile)
    if which == "photo" and "photo" in chosen:
        file = profile.thumb or profile.photo
    elif which == "cv" and "cv" in chosen:
        file = profile.cv
    else:
        file = None
    if file is None or file.status != "ready":
        raise NotFound()
    return file


# What the settings section shows --------------------------------------------------------------

@dataclass
class Settings:
    profile: Profile
    url: str
    published: bool
    allowed: bool
    fields: list[str]
    choices: list[tuple[str, object, bool]]  # (name, label, is contact)
    problem: str | None = None  # why it cannot be published now


def settings_of(profile: Profile) -> Settings:
    return Settings(
        profile=profile,
        url=public_url(profile),
        published=profile.is_published and can_publish(profile),
        allowed=can_publish(profile),
        problem=publishing_problem(profile),
        fields=public_fields_of(profile),
        choices=[(name, FIELD_LABELS[name], name in CONTACT_FIELDS) for name in PUBLISHABLE_FIELDS],
    )
