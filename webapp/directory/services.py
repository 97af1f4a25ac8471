"""Profiles: creating them, who may see and change them, their fields, skills, languages,
photo and CV, the completeness score, and the derived columns the search reads.

Every page, fragment and API endpoint about a profile goes through these functions.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload
from werkzeug.datastructures import FileStorage

from webapp.accounts.signals import account_created, account_updated
from webapp.audit import services as audit
from webapp.core.db import utcnow
from webapp.core.errors import NotFound, ValidationFailed
from webapp.core.permissions import Role, policy, require
from webapp.core.text import fold
from webapp.directory import codes
from webapp.directory.models import (
    AVAILABILITIES,
    CURRENCIES,
    GENDERS,
    LANGUAGE_LEVELS,
    RATE_UNITS,
    SOURCES,
    WORK_MODES,
    Profile,
    ProfileLanguage,
    ProfileSkill,
)
from webapp.directory.reference import LANGUAGES
from webapp.extensions import db
from webapp.files import services as files
from webapp.files import sniff
from webapp.taxonomy.models import City, Country, Skill

PHOTO_MAX_BYTES = 8 * 1024 * 1024
CV_MAX_BYTES = 10 * 1024 * 1024
PHOTO_SIDE, THUMB_SIDE = 1600, 320
CV_TYPES = (sniff.PDF, sniff.DOCX)
PHONE_RE = re.compile(r"^\+?[0-9 ().-]{6,24}$")
MAX_SKILLS, MAX_LANGUAGES = 30, 12


# Who may do what (pages, fragments, files and API all ask these) ---------------------------

def _is_owner(user, profile) -> bool:
    return profile is not None and profile.user_id is not None and profile.user_id == user.id


def _is_directory_staff(user) -> bool:
    return user.role in (Role.RECRUITER, Role.ADMIN)


@policy("directory.search")
def _may_search(user, _obj) -> bool:
    return _is_directory_staff(user)


@policy("profile.view")
def _may_view(user, profile) -> bool:
    return _is_owner(user, profile) or _is_directory_staff(user)


@policy("profile.edit")
def _may_edit(user, profile) -> bool:
    """Talents edit their own profile; recruiters and admins edit only CRM candidates."""
    if profile is None:
        return False
    return _is_owner(user, profile) or (profile.is_candidate and _is_directory_staff(user))


@policy("profile.mine")
def _has_own_profile(user, _obj) -> bool:
    """Talents keep a profile of their own (the "My profile" pages)."""
    return user.role == Role.TALENT


@policy("profile.moderate")
def _may_moderate(user, _profile) -> bool:
    return user.role == Role.ADMIN


@policy("candidate.create")
def _may_create_candidate(user, _obj) -> bool:
    return _is_directory_staff(user)


@policy("candidate.delete")
def _may_delete_candidate(user, profile) -> bool:
    return profile is not None and profile.is_candidate and _is_directory_staff(user)


# Lookups --------------------------------------------------------------------------------------

def get_profile(profile_id: int, viewer=None, action: str = "profile.view") -> Profile:
    """The profile, if it exists and `viewer` may do `action` on it (else NotFound / Forbidden)."""
    # With its account: the policies and the pages read it (the email, whether one may message).
    profile = db.session.get(Profile, profile_id, options=[joinedload(Profile.user)])
    if profile is None:
        raise NotFound(_("This profile does not exist."))
    require(action, profile, user=viewer)
    return profile


def get_by_code(code: str, viewer=None) -> Profile:
    profile = db.session.scalar(select(Profile).where(Profile.code == (code or "").strip().upper()))
    if profile is None:
        raise NotFound(_("No profile has this code."))
    require("profile.view", profile, user=viewer)
    return profile


def profile_of_user(user) -> Profile | None:
    if user is None:
        return None
    return db.session.scalar(select(Profile).where(Profile.user_id == user.id))


def my_profile(user) -> Profile:
    """The signed-in talent's own profile, made on first use for accounts that predate it."""
    profile = profile_of_user(user)
    if profile is None:
        if user.role != Role.TALENT:
            raise NotFound(_("Only talents have a profile."))
        profile = _new_profile_for(user)
        db.session.commit()
    return profile


# Cleaning what people type (shared by forms and API) -------------------------------------

def _text(limit: int, required: str | None = None) -> Callable[[Any, Profile], str | None]:
    def clean(value, _profile):
        text = " ".join(str(value or "").split()) if limit <= 300 else str(value or "").strip()
        if not text:
            if required:
                raise ValueError(required)
            return None
        if len(text) > limit:
            raise ValueError(_("Use at most %(n)d characters.", n=limit))
        return text

    return clean


def _name(value, _profile) -> str:
    text = " ".join(str(value or "").split())
    if not text:
        raise ValueError(_("This field is required."))
    if len(text) > 60:
        raise ValueError(_("Use at most %(n)d characters.", n=60))
    return text


def _optional_name(value, _profile) -> str:
    text = " ".join(str(value or "").split())
    if len(text) > 60:
        raise ValueError(_("Use at most %(n)d characters.", n=60))
    return text


def _choice(values: tuple[str, ...]) -> Callable[[Any, Profile], str | None]:
    def clean(value, _profile):
        value = (str(value).strip() if value is not None else "") or None
        if value is not None and value not in values:
            raise ValueError(_("Choose one of the options."))
        return value

    return clean


def _integer(low: int, high: int) -> Callable[[Any, Profile], int | None]:
    def clean(value, _profile):
        if value in (None, ""):
            return None
        try:
            number = int(str(value).strip())
        except (TypeError, ValueError):
            raise ValueError(_("Enter a whole number.")) from None
        if not low <= number <= high:
            raise ValueError(_("Enter a number between %(low)d and %(high)d.", low=low, high=high))
        return number

    return clean


def _birth_date(value, _profile) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(_("Enter a date as YYYY-MM-DD.")) from None
    if not isinstance(value, date):
        raise ValueError(_("Enter a date as YYYY-MM-DD."))
    today = date.today()
    if value > today:
        raise ValueError(_("The date of birth cannot be in the future."))
    if value.year < today.year - 110:
        raise ValueError(_("Check the year of birth."))
    return value


def _phone(value, _profile) -> str | None:
    phone = str(value or "").strip()
    if not phone:
        return None
    if not PHONE_RE.match(phone):
        raise ValueError(_("Enter a phone number with digits, spaces and an optional leading +."))
    return phone


def _email(value, profile) -> str | None:
    from webapp.accounts.services import normalise_email

    text = str(value or "").strip()
    if not text:
        return None
    try:
        return normalise_email(text)
    except ValidationFailed:
        raise ValueError(_("Enter a valid email address.")) from None


def _url(value, _profile) -> str | None:
    text = str(value or "").strip()
    if not text:
        return None
    if "://" not in text:
        text = "https://" + text
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or "." not in parts.netloc or len(text) > 300:
        raise ValueError(_("Enter a web address such as https://example.com."))
    return text


def _country(value, _profile) -> int | None:
    if value in (None, ""):
        return None
    try:
        country = db.session.get(Country, int(value))
    except (TypeError, ValueError):
        country = None
    if country is None:
        raise ValueError(_("Choose a country from the list."))
    return country.id


def _city(value, _profile) -> int | None:
    if value in (None, ""):
        return None
    try:
        city = db.session.get(City, int(value))
    except (TypeError, ValueError):
        city = None
    if city is None:
        raise ValueError(_("Choose a city from the list."))
    return city.id


def _currency(value, _profile) -> str | None:
    value = (str(value or "").strip().upper()) or None
    if value is not None and value not in CURRENCIES:
        raise ValueError(_("Choose one of the options."))
    return value


CLEANERS: dict[str, Callable[[Any, Profile], Any]] = {
    "first_name": _name,
    "last_name": _optional_name,
    "gender": _choice(GENDERS),
    "birth_date": _birth_date,
    "nationality_id": _country,
    "origin_country_id": _country,
    "origin_city_id": _city,
    "residence_country_id": _country,
    "residence_city_id": _city,
    "email": _email,
    "phone": _phone,
    "whatsapp": _phone,
    "headline": _text(140),
    "bio": _text(4000),
    "years_experience": _integer(0, 70),
    "education": _text(2000),
    "current_position": _text(140),
    "current_company": _text(140),
    "availability": _choice(AVAILABILITIES),
    "work_mode": _choice(WORK_MODES),
    "rate_min": _integer(0, 10_000_000),
    "rate_max": _integer(0, 10_000_000),
    "rate_currency": _currency,
    "rate_unit": _choice(RATE_UNITS),
    "portfolio_url": _url,
    "website": _url,
    "linkedin": _url,
    "instagram": _url,
    "recruiter_notes": _text(4000),
}
# Fields that only staff write (on candidates); an account's email is changed from the account.
STAFF_ONLY_FIELDS = {"recruiter_notes"}

# The sections of the profile editor, each a form of its own.
SECTIONS: dict[str, tuple[str, ...]] = {
    "identity": ("first_name", "last_name", "gender", "birth_date", "nationality_id", "origin_country_id",
                 "origin_city_id", "residence_country_id", "residence_city_id"),
    "contact": ("email", "phone", "whatsapp"),
    "professional": ("headline", "current_position", "current_company", "years_experience", "bio", "education"),
    "availability": ("availability", "work_mode", "rate_min", "rate_max", "rate_currency", "rate_unit"),
    "links": ("portfolio_url", "website", "linkedin", "instagram"),
}


def clean_changes(profile: Profile, changes: dict, actor=None) -> dict:
    """Check every known field in `changes`; all problems are reported at once."""
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    for key, value in changes.items():
        cleaner = CLEANERS.get(key)
        if cleaner is None:
            continue
        if key == "email" and profile.user_id is not None:
            continue  # an account's address changes from the account's security page
        if key in STAFF_ONLY_FIELDS and not (actor is not None and _is_directory_staff(actor)):
            continue
        try:
            values[key] = cleaner(value, profile)
        except ValueError as exc:
            errors[key] = [str(exc)]
    _check_consistency(profile, values, errors)
    if errors:
        raise ValidationFailed(fields=errors)
    return values


def _check_consistency(profile: Profile, values: dict, errors: dict) -> None:
    """Rules between fields: a city lies in its country, a range goes upwards."""
    for country_key, city_key in (("origin_country_id", "origin_city_id"),
                                  ("residence_country_id", "residence_city_id")):
        if city_key in errors or country_key in errors:
            continue
        city_id = values.get(city_key, getattr(profile, city_key))
        country_id = values.get(country_key, getattr(profile, country_key))
        if city_id is None:
            continue
        city = db.session.get(City, city_id)
        if country_id is None:
            values[country_key] = city.country_id
        elif city.country_id != country_id:
            errors[city_key] = [_("This city is not in the chosen country.")]
    low = values.get("rate_min", profile.rate_min)
    high = values.get("rate_max", profile.rate_max)
    if low is not None and high is not None and low > high and "rate_max" not in errors:
        errors["rate_max"] = [_("The maximum must not be below the minimum.")]


# Creating ---------------------------------------------------------------------------------

def _split_name(full_name: str) -> tuple[str, str]:
    parts = " ".join((full_name or "").split()).split(" ", 1)
    first = parts[0][:60] if parts and parts[0] else "?"
    return first, (parts[1][:60] if len(parts) > 1 else "")


def _new_profile_for(user) -> Profile:
    first, last = _split_name(user.full_name)
    profile = Profile(user_id=user.id, first_name=first, last_name=last, email=user.email, phone=user.phone,
                      bio=user.bio, source="registration", directory_consent_at=utcnow())
    db.session.add(profile)
    refresh_derived(profile)
    return profile


@account_created.connect
def _profile_for_new_talent(user, **_extra) -> None:
    """Every talent account is one person with one profile, made with the account."""
    if user.role == Role.TALENT and profile_of_user(user) is None:
        _new_profile_for(user)


@account_updated.connect
def _follow_account(user, changes: dict | None = None, **_extra) -> None:
    """Name, phone, bio and email typed on the account page are the profile's too."""
    profile = profile_of_user(user)
    if profile is None or not changes:
        return
    if "full_name" in changes:
        profile.first_name, profile.last_name = _split_name(changes["full_name"])
    for key in ("phone", "bio", "email"):
        if key in changes:
            setattr(profile, key, changes[key])
    refresh_derived(profile)


def create_candidate(actor, data: dict) -> Profile:
    """A recruiter adds a person who has no account (a CRM candidate)."""
    require("candidate.create", user=actor)
    profile = Profile(first_name="", source="recruiter", created_by_id=actor.id)
    # A candidate is known by both names (a talent's account may carry a single name).
    errors = {} if " ".join(str(data.get("last_name") or "").split()) else {"last_name": [_("This field is required.")]}
    try:
        values = clean_changes(profile, {"first_name": data.get("first_name"), **data}, actor)
    except ValidationFailed as failed:
        errors = {**failed.fields, **errors}
    if errors:
        raise ValidationFailed(fields=errors)
    skills = clean_skills(data["skills"]) if data.get("skills") is not None else None
    languages = clean_languages(data["languages"]) if data.get("languages") is not None else None
    source = data.get("source") or "recruiter"
    if source not in SOURCES or source == "registration":
        raise ValidationFailed(fields={"source": [_("Choose one of the options.")]})
    for key, value in values.items():
        setattr(profile, key, value)
    profile.source = source
    db.session.add(profile)
    db.session.flush()
    if skills is not None:
        _apply_skills(profile, skills)
    if languages is not None:
        _apply_languages(profile, languages)
    refresh_derived(profile)
    audit.record("candidate.created", actor=actor, target=profile)
    db.session.commit()
    return profile


def delete_candidate(actor, profile: Profile) -> None:
    require("candidate.delete", profile, user=actor)
    stored = _files_of_profile(profile)
    audit.record("candidate.deleted", actor=actor, target=profile, code=profile.code)
    for record in stored:
        # Deleted through the session (not only by the database's cascade), so their names
        # stay readable after the commit for removing the bytes.
        db.session.delete(record)
    db.session.delete(profile)
    db.session.commit()
    files.delete_stored(stored)


def _files_of_profile(profile: Profile):
    from webapp.files.models import File

    return list(db.session.scalars(select(File).where(File.profile_id == profile.id)))


# Changing ---------------------------------------------------------------------------------

def update_profile(actor, profile: Profile, changes: dict) -> Profile:
    """Change any of the fields in CLEANERS (and `skills`, `languages`); keys absent stay."""
    require("profile.edit", profile, user=actor)
    values = clean_changes(profile, changes, actor)
    skills = clean_skills(changes["skills"]) if "skills" in changes and changes["skills"] is not None else None
    languages = (clean_languages(changes["languages"])
                 if "languages" in changes and changes["languages"] is not None else None)
    for key, value in values.items():
        setattr(profile, key, value)
    if skills is not None:
        _apply_skills(profile, skills)
    if languages is not None:
        _apply_languages(profile, languages)
    if profile.user is not None:
        _follow_profile(profile, values)
    refresh_derived(profile)
    db.session.commit()
    return profile


def set_active(actor, profile: Profile, active: bool) -> Profile:
    """Admins hide a profile from the directory (and its public page) or show it again."""
    require("profile.moderate", profile, user=actor)
    if profile.is_active != active:
        profile.is_active = active
        audit.record("profile.activated" if active else "profile.deactivated", actor=actor, target=profile)
        db.session.commit()
    return profile


def _follow_profile(profile: Profile, values: dict) -> None:
    """The account shows the same name, phone and bio as the talent's profile."""
    user = profile.user
    if "first_name" in values or "last_name" in values:
        user.full_name = profile.full_name[:120]
    if "phone" in values:
        user.phone = profile.phone
    if "bio" in values:
        user.bio = (profile.bio or "")[:2000] or None


def clean_skills(items: Iterable) -> list[tuple[int, int]]:
    """[(skill_id, level)] from [{"skill_id": 3, "level": 4}] or [(3, 4)] or ["3:4"]."""
    cleaned: dict[int, int] = {}
    try:
        for item in items:
            if isinstance(item, dict):
                skill_id, level = item.get("skill_id", item.get("id")), item.get("level", 3)
            elif isinstance(item, (list, tuple)):
                skill_id, level = item
            else:
                skill_id, _sep, level = str(item).partition(":")
                level = level or 3
            skill_id, level = int(skill_id), int(level)
            if not 1 <= level <= 5:
                raise ValidationFailed(fields={"skills": [_("A level goes from 1 to 5.")]})
            cleaned[skill_id] = level
    except (TypeError, ValueError):
        raise ValidationFailed(fields={"skills": [_("Choose skills from the list.")]}) from None
    if len(cleaned) > MAX_SKILLS:
        raise ValidationFailed(fields={"skills": [_("Choose at most %(n)d skills.", n=MAX_SKILLS)]})
    known = set(db.session.scalars(select(Skill.id).where(Skill.id.in_(cleaned)))) if cleaned else set()
    if known != set(cleaned):
        raise ValidationFailed(fields={"skills": [_("Choose skills from the list.")]})
    return list(cleaned.items())


def _apply_skills(profile: Profile, skills: list[tuple[int, int]]) -> None:
    wanted = dict(skills)
    for link in list(profile.skills):
        if link.skill_id not in wanted:
            profile.skills.remove(link)
        else:
            link.level = wanted.pop(link.skill_id)
    for skill_id, level in wanted.items():
        profile.skills.append(ProfileSkill(skill_id=skill_id, level=level))


def clean_languages(items: Iterable) -> list[tuple[str, str]]:
    cleaned: dict[str, str] = {}
    try:
        for item in items:
            if isinstance(item, dict):
                code, level = item.get("code"), item.get("level", "fluent")
            elif isinstance(item, (list, tuple)):
                code, level = item
            else:
                code, _sep, level = str(item).partition(":")
                level = level or "fluent"
            code = str(code).strip().lower()
            if code not in LANGUAGES or level not in LANGUAGE_LEVELS:
                raise ValueError
            cleaned[code] = level
    except (TypeError, ValueError):
        raise ValidationFailed(fields={"languages": [_("Choose languages and levels from the list.")]}) from None
    if len(cleaned) > MAX_LANGUAGES:
        raise ValidationFailed(fields={"languages": [_("Choose at most %(n)d languages.", n=MAX_LANGUAGES)]})
    return list(cleaned.items())


def _apply_languages(profile: Profile, languages: list[tuple[str, str]]) -> None:
    profile.languages.clear()
    db.session.flush()
    for position, (code, level) in enumerate(languages):
        profile.languages.append(ProfileLanguage(code=code, level=level, position=position))


# Photo and CV -------------------------------------------------------------------------------

def set_photo(actor, profile: Profile, upload: FileStorage | None) -> Profile:
    """A JPEG, PNG or WebP, re-encoded (metadata dropped) with a thumbnail for lists."""
    require("profile.edit", profile, user=actor)
    data = files.read_upload(upload, "photo", max_bytes=PHOTO_MAX_BYTES)
    photo, thumb = photo_versions(data)
    owner = profile.user_id or None
    return use_photo(actor, profile, files.save(owner, "photo", upload.filename, photo, profile_id=profile.id),
                     files.save(owner, "photo_thumb", upload.filename, thumb, profile_id=profile.id))


def photo_versions(data: bytes, field: str = "photo") -> tuple[files.StoredBytes, files.StoredBytes]:
    """The photo as stored (re-encoded, at most PHOTO_SIDE) and its thumbnail."""
    return files.reencode_image(data, field, PHOTO_SIDE), files.reencode_image(data, field, THUMB_SIDE)


def use_photo(actor, profile: Profile, photo, thumb) -> Profile:
    """Make stored files the profile's photo and thumbnail (the old ones are removed)."""
    require("profile.edit", profile, user=actor)
    old = [f for f in (profile.photo, profile.thumb) if f is not None]
    photo.profile_id = thumb.profile_id = profile.id
    profile.photo, profile.thumb = photo, thumb
    _replace(old, profile)
    return profile


def remove_photo(actor, profile: Profile) -> Profile:
    require("profile.edit", profile, user=actor)
    old = [f for f in (profile.photo, profile.thumb) if f is not None]
    profile.photo = profile.thumb = None
    _replace(old, profile)
    return profile


def set_cv(actor, profile: Profile, upload: FileStorage | None) -> Profile:
    """A PDF or DOCX, checked by its content; the file keeps its bytes as uploaded."""
    require("profile.edit", profile, user=actor)
    data = files.read_upload(upload, "cv", max_bytes=CV_MAX_BYTES)
    stored = files.check_document(data, "cv", CV_TYPES)
    return use_cv(actor, profile, files.save(profile.user_id or None, "cv", upload.filename, stored,
                                             profile_id=profile.id))


def use_cv(actor, profile: Profile, cv) -> Profile:
    """Make a stored, checked file the profile's CV (the old one is removed)."""
    require("profile.edit", profile, user=actor)
    old = [profile.cv] if profile.cv is not None else []
    cv.profile_id = profile.id
    profile.cv = cv
    _replace(old, profile)
    audit.record("profile.cv_uploaded", actor=actor, target=profile)
    db.session.commit()
    return profile


def remove_cv(actor, profile: Profile) -> Profile:
    require("profile.edit", profile, user=actor)
    old = [profile.cv] if profile.cv is not None else []
    profile.cv = None
    _replace(old, profile)
    return profile


def _replace(old: list, profile: Profile) -> None:
    """Commit the new state, then forget the old rows and bytes."""
    db.session.flush()
    for record in old:
        db.session.delete(record)
    refresh_derived(profile)
    db.session.commit()
    files.delete_stored(old)


# Derived columns and the completeness score -------------------------------------------------

@dataclass(frozen=True)
class Step:
    """One thing that makes a profile complete, with its weight in the score."""

    key: str
    label: object
    section: str
    weight: int
    done: Callable[[Profile], bool]


STEPS: tuple[Step, ...] = (
    Step("photo", _l("Add a photo"), "photo", 15, lambda p: p.photo_file_id is not None),
    Step("headline", _l("Write a headline"), "professional", 10, lambda p: bool(p.headline)),
    Step("bio", _l("Write a short bio (at least 80 characters)"), "professional", 10,
         lambda p: len(p.bio or "") >= 80),
    Step("skills", _l("Add at least three skills"), "skills", 15, lambda p: len(p.skills) >= 3),
    Step("cv", _l("Upload your CV"), "cv", 10, lambda p: p.cv_file_id is not None),
    Step("identity", _l("Give your gender, nationality and city"), "identity", 10,
         lambda p: bool(p.gender and p.nationality_id and (p.residence_city_id or p.origin_city_id))),
    Step("birth_date", _l("Give your date of birth"), "identity", 5, lambda p: p.birth_date is not None),
    Step("languages", _l("Say which languages you speak"), "languages", 5, lambda p: len(p.languages) > 0),
    Step("experience", _l("Give your years of experience"), "professional", 5,
         lambda p: p.years_experience is not None),
    Step("education", _l("Describe your education"), "professional", 5, lambda p: bool(p.education)),
    Step("availability", _l("Say when and how you can work"), "availability", 5,
         lambda p: bool(p.availability and p.work_mode)),
    Step("phone", _l("Add a phone number"), "contact", 3, lambda p: bool(p.phone)),
    Step("links", _l("Add a link to your portfolio, website or LinkedIn"), "links", 2,
         lambda p: bool(p.portfolio_url or p.website or p.linkedin or p.instagram)),
)
assert sum(step.weight for step in STEPS) == 100


@dataclass(frozen=True)
class Completeness:
    score: int
    missing: list[Step]

    @property
    def next_steps(self) -> list[Step]:
        """What to add next: the heaviest missing items first."""
        return sorted(self.missing, key=lambda step: -step.weight)[:3]


def completeness(profile: Profile) -> Completeness:
    missing = [step for step in STEPS if not step.done(profile)]
    return Completeness(100 - sum(step.weight for step in missing), missing)


def _digits(phone: str | None) -> str | None:
    digits = re.sub(r"\D", "", phone or "")
    # Compare the last nine digits: "+212 6 12 34 56 78" and "06 12 34 56 78" are one number.
    return digits[-9:] if len(digits) >= 6 else None


def search_text_of(profile: Profile) -> str:
    """Everything the directory's text search matches, folded (lower case, no accents)."""
    skills = []
    for link in profile.skills:
        skill = link.skill or db.session.get(Skill, link.skill_id)
        if skill is not None:
            skills.append(skill)
    return compose_search_text(profile, skills)


def compose_search_text(fields, skills: Iterable) -> str:
    """The folded search text from an object with the profile's fields and its skills (shared
    with the demo generator, which writes profiles in bulk)."""
    names = [name for skill in skills for name in (skill.name_en, skill.name_fr)]
    parts = [fields.first_name, fields.last_name, fields.email, fields.code, fields.headline,
             fields.current_position, fields.current_company, fields.bio, *names]
    return fold(" ".join(part for part in parts if part))


def refresh_derived(profile: Profile) -> None:
    """Keep the code, score, sort name, phone digits and search text in step with the fields."""
    db.session.flush()
    codes.assign_profile_code(profile)
    profile.sort_name = fold(f"{profile.last_name} {profile.first_name}")[:130]
    profile.phone_digits = _digits(profile.phone)
    profile.profile_score = completeness(profile).score
    profile.search_text = search_text_of(profile)


# Small reads the pages share -----------------------------------------------------------------

def skill_usage_counts() -> dict[int, int]:
    """How many active profiles carry each skill."""
    rows = db.session.execute(
        select(ProfileSkill.skill_id, func.count())
        .join(Profile, Profile.id == ProfileSkill.profile_id)
        .where(Profile.is_active.is_(True))
        .group_by(ProfileSkill.skill_id)
    )
    return dict(rows.all())
