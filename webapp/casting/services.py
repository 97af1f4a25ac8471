"""Cinema details, productions, casting projects, roles and assignments: the rules and the
writes, shared by pages, fragments and the API.

Signals (blinker) let other features follow without this module knowing them:
`assignment_changed(assignment, actor=..., stage=..., note=...)` after a talent is assigned
or moves to another stage (messaging notifies the talent).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import Any

from blinker import Namespace
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from webapp.audit import services as audit
from webapp.casting.models import (
    GALLERY_MAX,
    GENDER_WANTED,
    PROJECT_STATUSES,
    STAGES,
    Assignment,
    AssignmentEvent,
    CastingProject,
    CinemaPhoto,
    CinemaProfile,
    ProjectRole,
)
from webapp.core.db import utcnow
from webapp.core.errors import Conflict, NotFound, ValidationFailed
from webapp.core.permissions import Role, can, policy, require
from webapp.core.text import fold
from webapp.directory import codes
from webapp.directory import services as directory
from webapp.directory.models import Profile
from webapp.extensions import db
from webapp.files import services as files
from webapp.organisations.models import SIZES, Organisation, OrganisationMember
from webapp.taxonomy import services as taxonomy
from webapp.taxonomy.models import City, Country, Skill

_signals = Namespace()
assignment_changed = _signals.signal("assignment-changed")

STATUS_LABELS = {
    "en_preparation": _l("In preparation"),
    "casting": _l("Casting"),
    "en_tournage": _l("Shooting"),
    "post_production": _l("Post-production"),
    "termine": _l("Completed"),
    "annule": _l("Cancelled"),
}
STAGE_LABELS = {
    "shortlisted": _l("Shortlisted"),
    "contacted": _l("Contacted"),
    "auditioned": _l("Auditioned"),
    "booked": _l("Booked"),
    "released": _l("Released"),
}
# The attributes that are chosen from a managed list: field -> list name.
LIST_FIELDS = {
    "eye_color": "eye_color",
    "hair_color": "hair_color",
    "hair_type": "hair_type",
    "skin_tone": "skin_tone",
    "build": "build",
    "id_document_type": "id_document_type",
}
MAX_TALENT_TYPES, MAX_OTHER_TALENTS = 8, 20


# Who may do what -----------------------------------------------------------------------------

def _is_casting_staff(user) -> bool:
    return user.role in (Role.RECRUITER, Role.ADMIN)


def is_member(user, organisation_id: int | None) -> bool:
    if organisation_id is None:
        return False
    return db.session.scalar(
        select(func.count()).select_from(OrganisationMember)
        .where(OrganisationMember.organisation_id == organisation_id, OrganisationMember.user_id == user.id)
    ) > 0


@policy("casting.search")
def _may_search(user, _obj) -> bool:
    return _is_casting_staff(user)


@policy("cinema.own")
def _has_own_cinema_details(user, _obj) -> bool:
    """Talents keep cinema details of their own (staff edit candidates' from their pages)."""
    return user.role == Role.TALENT


@policy("cinema.view")
def _may_view_cinema(user, profile) -> bool:
    return can(user, "profile.view", profile)


@policy("cinema.edit")
def _may_edit_cinema(user, profile) -> bool:
    return can(user, "profile.edit", profile)


@policy("production.view")
def _may_view_production(user, _organisation) -> bool:
    """Production companies are known to every casting agent (their projects are not)."""
    return _is_casting_staff(user)


@policy("production.verify")
def _may_verify_production(user, _organisation) -> bool:
    return user.role == Role.ADMIN


@policy("cinema.view_ethnicity")
def _may_view_ethnicity(user, profile) -> bool:
    """Special-category data: the person and casting staff only (never public, never exported by default)."""
    return profile is not None and ((profile.user_id is not None and profile.user_id == user.id)
                                    or _is_casting_staff(user))


@policy("production.create")
def _may_create_production(user, _obj) -> bool:
    return _is_casting_staff(user)


@policy("production.manage")
def _may_manage_production(user, organisation) -> bool:
    return organisation is not None and (user.role == Role.ADMIN or
                                         (user.role == Role.RECRUITER and is_member(user, organisation.id)))


@policy("project.view")
def _may_view_project(user, project) -> bool:
    """Recruiters see and work on their own productions' projects; admins on all."""
    return project is not None and can(user, "production.manage", project.organisation)


@policy("project.edit")
def _may_edit_project(user, project) -> bool:
    return _may_view_project(user, project)


# Cleaning ------------------------------------------------------------------------------------

def _int_in(value, low: int, high: int, field: str, errors: dict) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        errors[field] = [_("Enter a whole number.")]
        return None
    if not low <= number <= high:
        errors[field] = [_("Enter a number between %(low)d and %(high)d.", low=low, high=high)]
        return None
    return number


def _skills_of_tag(items: Iterable, field: str, limit: int, errors: dict) -> list[Skill] | None:
    """Cinema skills (tag "cinema") by id or slug."""
    keys = [item for item in (items or []) if item not in (None, "")]
    if len(keys) > limit:
        errors[field] = [_("Choose at most %(n)d.", n=limit)]
        return None
    found: list[Skill] = []
    for key in keys:
        stmt = select(Skill).where(Skill.tag == "cinema", Skill.is_active.is_(True))
        stmt = stmt.where(Skill.id == int(key)) if str(key).isdigit() else stmt.where(Skill.slug == str(key))
        skill = db.session.scalar(stmt)
        if skill is None:
            errors[field] = [_("Choose from the list.")]
            return None
        if skill not in found:
            found.append(skill)
    return found


def _required_name(value, limit: int, errors: dict) -> str:
    name = " ".join(str(value or "").split())
    if not name:
        errors["name"] = [_("This field is required.")]
    elif len(name) > limit:
        errors["name"] = [_("Use at most %(n)d characters.", n=limit)]
    return name


def _optional_texts(data: dict, limits: tuple[tuple[str, int], ...], values: dict, errors: dict) -> None:
    """Free texts that may be empty (stored as None), each within its length."""
    for key, limit in limits:
        if key in data:
            text = str(data.get(key) or "").strip()
            if len(text) > limit:
                errors[key] = [_("Use at most %(n)d characters.", n=limit)]
            values[key] = text or None


def mask_document_number(number: str) -> str | None:
    """Only the first two and last two characters of an ID number are ever kept: AB***23."""
    cleaned = re.sub(r"[^0-9A-Za-z]", "", number or "").upper()
    if not cleaned:
        return None
    if len(cleaned) <= 4:
        return cleaned[0] + "***"
    return f"{cleaned[:2]}***{cleaned[-2:]}"


# Cinema details ------------------------------------------------------------------------------

def cinema_of(profile: Profile) -> CinemaProfile | None:
    return db.session.scalar(select(CinemaProfile).where(CinemaProfile.profile_id == profile.id))


def get_cinema(cinema_id: int, viewer=None) -> CinemaProfile:
    cinema = db.session.get(CinemaProfile, cinema_id)
    if cinema is None:
        raise NotFound(_("This cinema profile does not exist."))
    require("cinema.view", cinema.profile, user=viewer)
    return cinema


def get_cinema_by_code(code: str, viewer=None) -> CinemaProfile:
    cinema = db.session.scalar(select(CinemaProfile).where(CinemaProfile.cinema_code == (code or "").strip().upper()))
    if cinema is None:
        raise NotFound(_("No cinema profile has this code."))
    require("cinema.view", cinema.profile, user=viewer)
    return cinema


def update_cinema(actor, profile: Profile, changes: dict) -> CinemaProfile:
    """Create or change the cinema details. List fields take an id or a slug; talent types
    and other talents are cinema skills of the one taxonomy; an ID number is kept masked only;
    years of experience and spoken languages are the profile's own fields."""
    require("cinema.edit", profile, user=actor)
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    if "height_cm" in changes or "height" in changes:
        values["height_cm"] = _int_in(changes.get("height_cm", changes.get("height")), 40, 250, "height_cm", errors)
    for field, list_name in LIST_FIELDS.items():
        if field in changes:
            key = changes[field]
            value = taxonomy.list_value(list_name, key)
            if key not in (None, "") and value is None:
                errors[field] = [_("Choose from the list.")]
            values[f"{field}_id"] = value.id if value else None
    if "previous_productions" in changes:
        text = str(changes["previous_productions"] or "").strip()
        if len(text) > 4000:
            errors["previous_productions"] = [_("Use at most %(n)d characters.", n=4000)]
        values["previous_productions"] = text or None
    if "id_document_number" in changes:
        values["id_document_initials"] = mask_document_number(str(changes["id_document_number"] or ""))
    talent_types = other_talents = None
    if "talent_types" in changes:
        talent_types = _skills_of_tag(changes["talent_types"], "talent_types", MAX_TALENT_TYPES, errors)
    if "other_talents" in changes:
        other_talents = _skills_of_tag(changes["other_talents"], "other_talents", MAX_OTHER_TALENTS, errors)
    profile_changes = {}
    if "years_of_experience" in changes:
        profile_changes["years_experience"] = changes["years_of_experience"]
    if "languages_spoken" in changes:
        profile_changes["languages"] = changes["languages_spoken"]
    if profile_changes:
        renamed = {"years_experience": "years_of_experience", "languages": "languages_spoken"}
        checks = [lambda: directory.clean_changes(profile, profile_changes, actor)]
        if profile_changes.get("languages") is not None:
            checks.append(lambda: directory.clean_languages(profile_changes["languages"]))
        for check in checks:  # every problem at once, not only the first
            try:
                check()
            except ValidationFailed as exc:
                errors.update({renamed.get(k, k): v for k, v in exc.fields.items()})
    if errors:
        raise ValidationFailed(fields=errors)

    cinema = cinema_of(profile) or CinemaProfile(profile=profile)
    db.session.add(cinema)
    for key, value in values.items():
        setattr(cinema, key, value)
    if talent_types is not None:
        cinema.talent_types = talent_types
    if other_talents is not None:
        cinema.other_talents = other_talents
    if profile_changes:
        directory.update_profile(actor, profile, profile_changes)  # commits the profile's part
    refresh_cinema(cinema)
    db.session.commit()
    return cinema


def _cinema_for_write(profile: Profile) -> CinemaProfile:
    """The cinema details to change, started (empty) when the person has none yet."""
    cinema = cinema_of(profile)
    if cinema is None:
        cinema = CinemaProfile(profile=profile)
        db.session.add(cinema)
        refresh_cinema(cinema)
    return cinema


def refresh_cinema(cinema: CinemaProfile) -> None:
    db.session.flush()
    codes.assign_cinema_code(cinema)
    names = [name for skill in [*cinema.talent_types, *cinema.other_talents] for name in (skill.name_en, skill.name_fr)]
    cinema.search_text = fold(" ".join([*names, cinema.previous_productions or "", cinema.cinema_code or ""]))


def set_ethnicities(actor, profile: Profile, value_keys: Iterable, consent: bool) -> CinemaProfile:
    """Ethnicity is special-category data: stored only with the person's explicit consent."""
    require("cinema.edit", profile, user=actor)
    if not consent:
        raise ValidationFailed(fields={"ethnicity_consent": [
            _("Tick the consent box to record your ethnicity, or leave it blank.")]})
    cinema = _cinema_for_write(profile)
    chosen = []
    for key in value_keys or []:
        value = taxonomy.list_value("ethnicity", key)
        if value is None:
            raise ValidationFailed(fields={"ethnicities": [_("Choose from the list.")]})
        if value not in chosen:
            chosen.append(value)
    cinema.ethnicities = chosen
    cinema.ethnicity_consent_at = utcnow() if chosen else None
    audit.record("cinema.ethnicity_consent_given" if chosen else "cinema.ethnicity_cleared", actor=actor,
                 target=profile)
    db.session.commit()
    return cinema


def withdraw_ethnicity_consent(actor, profile: Profile) -> CinemaProfile | None:
    """Withdrawing consent erases what was recorded, at once."""
    require("cinema.edit", profile, user=actor)
    cinema = cinema_of(profile)
    if cinema is None:
        return None
    cinema.ethnicities = []
    cinema.ethnicity_consent_at = None
    audit.record("cinema.ethnicity_consent_withdrawn", actor=actor, target=profile)
    db.session.commit()
    return cinema


def set_guardian(actor, profile: Profile, data: dict) -> CinemaProfile:
    """A minor's guardian: name, relationship, contact and a dated consent."""
    require("cinema.edit", profile, user=actor)
    errors: dict[str, list[str]] = {}
    name = " ".join(str(data.get("guardian_name") or "").split())
    if not name:
        errors["guardian_name"] = [_("Give the guardian's name.")]
    elif len(name) > 120:
        errors["guardian_name"] = [_("Use at most %(n)d characters.", n=120)]
    if not data.get("guardian_consent"):
        errors["guardian_consent"] = [_("The guardian's consent is needed.")]
    contact = {}
    for key, cleaner in (("guardian_phone", directory.CLEANERS["phone"]), ("guardian_email", directory.CLEANERS["email"])):
        try:
            contact[key] = cleaner(data.get(key), profile)
        except ValueError as exc:
            errors[key] = [str(exc)]
    if errors:
        raise ValidationFailed(fields=errors)
    cinema = _cinema_for_write(profile)
    cinema.guardian_name = name
    cinema.guardian_relationship = (str(data.get("guardian_relationship") or "").strip()[:40]) or None
    cinema.guardian_phone, cinema.guardian_email = contact["guardian_phone"], contact["guardian_email"]
    cinema.guardian_consent_at = utcnow()
    audit.record("cinema.guardian_consent", actor=actor, target=profile)
    db.session.commit()
    return cinema


def guardian_problem(profile: Profile) -> str | None:
    """Why a minor may not be published or assigned yet, or None when nothing stands in the way."""
    cinema = cinema_of(profile)
    age = profile.age
    if age is None or age >= 16:
        return None
    if cinema is not None and cinema.has_guardian_consent:
        return None
    return _("This talent is under 16: a guardian's name and consent are needed first.")


# Gallery --------------------------------------------------------------------------------------

def add_gallery_photo(actor, profile: Profile, upload: FileStorage | None, caption: str | None = None) -> CinemaPhoto:
    require("cinema.edit", profile, user=actor)
    cinema = _cinema_for_write(profile)
    if len(cinema.gallery) >= GALLERY_MAX:
        raise ValidationFailed(fields={"photo": [_("The gallery holds %(n)d photos at most; remove one first.",
                                                   n=GALLERY_MAX)]})
    data = files.read_upload(upload, "photo", max_bytes=directory.PHOTO_MAX_BYTES)
    full = files.reencode_image(data, "photo", directory.PHOTO_SIDE)
    thumb = files.reencode_image(data, "photo", directory.THUMB_SIDE)
    owner = profile.user_id or None
    photo = CinemaPhoto(
        cinema=cinema,
        file=files.save(owner, "gallery", upload.filename, full, profile_id=profile.id),
        thumb=files.save(owner, "gallery_thumb", upload.filename, thumb, profile_id=profile.id),
        position=max((p.position for p in cinema.gallery), default=-1) + 1,
        caption=(caption or "").strip()[:140] or None,
    )
    db.session.add(photo)
    db.session.commit()
    return photo


def remove_gallery_photo(actor, profile: Profile, photo_id: int) -> None:
    require("cinema.edit", profile, user=actor)
    cinema = cinema_of(profile)
    photo = db.session.get(CinemaPhoto, photo_id)
    if cinema is None or photo is None or photo.cinema_id != cinema.id:
        raise NotFound()
    stored = [f for f in (photo.file, photo.thumb) if f is not None]
    db.session.delete(photo)
    for record in stored:
        db.session.delete(record)
    db.session.commit()
    files.delete_stored(stored)


def reorder_gallery(actor, profile: Profile, photo_ids: list[int]) -> list[CinemaPhoto]:
    """Put the photos in the given order (ids not mentioned keep their place after them)."""
    require("cinema.edit", profile, user=actor)
    cinema = cinema_of(profile)
    if cinema is None:
        raise NotFound()
    by_id = {photo.id: photo for photo in cinema.gallery}
    if any(pid not in by_id for pid in photo_ids):
        raise ValidationFailed(fields={"order": [_("Some photos are not in this gallery.")]})
    ordered = [by_id[pid] for pid in photo_ids] + [p for p in cinema.gallery if p.id not in photo_ids]
    for position, photo in enumerate(ordered):
        photo.position = position
    db.session.commit()
    return ordered


# Productions ------------------------------------------------------------------------------------

def _clean_organisation(data: dict, errors: dict) -> dict:
    values: dict[str, Any] = {}
    if "name" in data:
        values["name"] = _required_name(data.get("name"), 140, errors)
    _optional_texts(data, (("description", 4000), ("specialization", 200)), values, errors)
    if "founded_year" in data:
        values["founded_year"] = _int_in(data.get("founded_year"), 1850, date.today().year, "founded_year", errors)
    if "employees_count" in data:
        values["employees_count"] = _int_in(data.get("employees_count"), 1, 1_000_000, "employees_count", errors)
    for key in ("email", "phone", "website"):
        if key in data:
            cleaner = directory.CLEANERS["website" if key == "website" else key]
            try:
                values[key] = cleaner(data.get(key), None)
            except ValueError as exc:
                errors[key] = [str(exc)]
    for key, cleaner in (("country_id", directory.CLEANERS["residence_country_id"]),
                         ("city_id", directory.CLEANERS["residence_city_id"])):
        if key in data:
            try:
                values[key] = cleaner(data.get(key), None)
            except ValueError as exc:
                errors[key] = [str(exc)]
    if "size" in data:
        size = str(data.get("size") or "").strip() or None
        if size is not None and size not in SIZES:
            errors["size"] = [_("Choose one of the options.")]
        values["size"] = size
    if values.get("city_id") and "city_id" not in errors and "country_id" not in errors:
        city = db.session.get(City, values["city_id"])
        if values.get("country_id") is None:
            values["country_id"] = city.country_id
        elif city.country_id != values["country_id"]:
            errors["city_id"] = [_("This city is not in the chosen country.")]
    return values


def create_production(actor, data: dict) -> Organisation:
    """A production company; the recruiter who creates it becomes its owner."""
    require("production.create", user=actor)
    errors: dict[str, list[str]] = {}
    values = _clean_organisation({"name": data.get("name"), **data}, errors)
    if errors:
        raise ValidationFailed(fields=errors)
    organisation = Organisation(kind="production", **values)
    db.session.add(organisation)
    db.session.flush()
    if actor.role == Role.RECRUITER:
        db.session.add(OrganisationMember(organisation_id=organisation.id, user_id=actor.id, role="owner"))
    audit.record("production.created", actor=actor, target=organisation)
    db.session.commit()
    return organisation


def update_production(actor, organisation: Organisation, data: dict) -> Organisation:
    require("production.manage", organisation, user=actor)
    errors: dict[str, list[str]] = {}
    values = _clean_organisation(data, errors)
    if errors:
        raise ValidationFailed(fields=errors)
    for key, value in values.items():
        setattr(organisation, key, value)
    if "is_verified" in data and actor.role == Role.ADMIN:
        organisation.is_verified = bool(data["is_verified"])
        organisation.verified_at = utcnow() if organisation.is_verified else None
    db.session.commit()
    return organisation


def add_member(actor, organisation: Organisation, user, role: str = "member") -> OrganisationMember:
    require("production.manage", organisation, user=actor)
    if user.role != Role.RECRUITER:
        raise ValidationFailed(fields={"user": [_("Only recruiters can join a production.")]})
    member = db.session.get(OrganisationMember, (organisation.id, user.id))
    if member is None:
        member = OrganisationMember(organisation_id=organisation.id, user_id=user.id, role=role)
        db.session.add(member)
        audit.record("production.member_added", actor=actor, target=organisation, user_id=user.id)
        db.session.commit()
    return member


def get_production(organisation_id: int, viewer=None) -> Organisation:
    """The production company; with `viewer`, only if they may see productions."""
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None or organisation.kind != "production":
        raise NotFound(_("This production company does not exist."))
    if viewer is not None:
        require("production.view", organisation, user=viewer)
    return organisation


def productions_of(user) -> list[Organisation]:
    """The production companies the person works for (all of them for an admin)."""
    stmt = select(Organisation).where(Organisation.kind == "production")
    if user.role != Role.ADMIN:
        stmt = stmt.join(OrganisationMember).where(OrganisationMember.user_id == user.id)
    return list(db.session.scalars(stmt.order_by(Organisation.name)))


# Projects and roles -----------------------------------------------------------------------------

def _clean_project(data: dict, errors: dict) -> dict:
    values: dict[str, Any] = {}
    if "name" in data:
        values["name"] = _required_name(data.get("name"), 160, errors)
    if "production_type" in data:
        value = taxonomy.list_value("production_type", data.get("production_type"))
        if data.get("production_type") not in (None, "") and value is None:
            errors["production_type"] = [_("Choose from the list.")]
        values["production_type_id"] = value.id if value else None
    if "origin_country_id" in data:
        try:
            values["origin_country_id"] = directory.CLEANERS["residence_country_id"](data.get("origin_country_id"), None)
        except ValueError as exc:
            errors["origin_country_id"] = [str(exc)]
    _optional_texts(data, (("shooting_locations", 300), ("description", 4000)), values, errors)
    for key in ("start_date", "end_date"):
        if key in data:
            raw = data.get(key)
            if raw in (None, ""):
                values[key] = None
            elif isinstance(raw, date):
                values[key] = raw
            else:
                try:
                    values[key] = date.fromisoformat(str(raw).strip())
                except ValueError:
                    errors[key] = [_("Enter a date as YYYY-MM-DD.")]
    if "status" in data:
        if data.get("status") not in PROJECT_STATUSES:
            errors["status"] = [_("Choose one of the options.")]
        else:
            values["status"] = data["status"]
    return values


def create_project(actor, organisation: Organisation, data: dict) -> CastingProject:
    require("production.manage", organisation, user=actor)
    errors: dict[str, list[str]] = {}
    values = _clean_project({"name": data.get("name"), **data}, errors)
    _check_dates(values, None, errors)
    if errors:
        raise ValidationFailed(fields=errors)
    project = CastingProject(organisation_id=organisation.id, number=codes.next_number("project"),
                             created_by_id=actor.id, **values)
    db.session.add(project)
    db.session.flush()
    audit.record("project.created", actor=actor, target=project, organisation_id=organisation.id)
    db.session.commit()
    return project


def _check_dates(values: dict, project: CastingProject | None, errors: dict) -> None:
    start = values.get("start_date", project.start_date if project else None)
    end = values.get("end_date", project.end_date if project else None)
    if start and end and end < start and "end_date" not in errors:
        errors["end_date"] = [_("The end date must not be before the start date.")]


def update_project(actor, project: CastingProject, data: dict) -> CastingProject:
    require("project.edit", project, user=actor)
    errors: dict[str, list[str]] = {}
    values = _clean_project(data, errors)
    _check_dates(values, project, errors)
    if errors:
        raise ValidationFailed(fields=errors)
    old_status = project.status
    for key, value in values.items():
        setattr(project, key, value)
    if project.status != old_status:
        audit.record("project.status_changed", actor=actor, target=project, old=old_status, new=project.status)
    db.session.commit()
    return project


def get_project(project_id: int, viewer=None) -> CastingProject:
    project = db.session.get(CastingProject, project_id)
    if project is None:
        raise NotFound(_("This casting project does not exist."))
    require("project.view", project, user=viewer)
    return project


def project_talent_accounts(project: CastingProject) -> list:
    """The accounts of the talents assigned to the project (those who have one, active), once each."""
    from webapp.accounts.models import User
    from webapp.directory.models import Profile

    stmt = (select(User).join(Profile, Profile.user_id == User.id).join(Assignment, Assignment.profile_id == Profile.id)
            .where(Assignment.project_id == project.id, User.status == "active").distinct().order_by(User.full_name))
    return list(db.session.scalars(stmt))


def projects_query(viewer, status: str | None = None, organisation_id: int | None = None):
    """The projects `viewer` may see, newest first (a statement, for pages and the API to page)."""
    require("casting.search", user=viewer)
    stmt = select(CastingProject)
    if viewer.role != Role.ADMIN:
        stmt = stmt.join(OrganisationMember, OrganisationMember.organisation_id == CastingProject.organisation_id)
        stmt = stmt.where(OrganisationMember.user_id == viewer.id)
    if status:
        if status not in PROJECT_STATUSES:
            raise ValidationFailed(fields={"status": [_("Choose one of the options.")]})
        stmt = stmt.where(CastingProject.status == status)
    if organisation_id:
        stmt = stmt.where(CastingProject.organisation_id == organisation_id)
    return stmt.order_by(CastingProject.id.desc())


def _clean_role(data: dict, errors: dict) -> dict:
    values: dict[str, Any] = {}
    if "name" in data:
        values["name"] = _required_name(data.get("name"), 140, errors)
    if "talent_type" in data:
        found = _skills_of_tag([data["talent_type"]] if data.get("talent_type") else [], "talent_type", 1, errors)
        values["talent_type_id"] = found[0].id if found else None
    if "gender" in data:
        gender = data.get("gender") or "any"
        if gender not in GENDER_WANTED:
            errors["gender"] = [_("Choose one of the options.")]
        values["gender"] = gender
    for key, low, high in (("age_min", 0, 110), ("age_max", 0, 110), ("height_min", 40, 250),
                           ("height_max", 40, 250), ("positions", 1, 1000)):
        if key in data:
            values[key] = _int_in(data.get(key), low, high, key, errors)
    if values.get("positions", 1) is None:
        values["positions"] = 1
    for low, high in (("age_min", "age_max"), ("height_min", "height_max")):
        if values.get(low) is not None and values.get(high) is not None and values[low] > values[high]:
            errors[high] = [_("The maximum must not be below the minimum.")]
    _optional_texts(data, (("description", 4000),), values, errors)
    return values


def add_role(actor, project: CastingProject, data: dict) -> ProjectRole:
    require("project.edit", project, user=actor)
    errors: dict[str, list[str]] = {}
    values = _clean_role({"name": data.get("name"), **data}, errors)
    if errors:
        raise ValidationFailed(fields=errors)
    role = ProjectRole(project_id=project.id, position=len(project.roles), **values)
    db.session.add(role)
    db.session.commit()
    return role


def update_role(actor, role: ProjectRole, data: dict) -> ProjectRole:
    require("project.edit", role.project, user=actor)
    errors: dict[str, list[str]] = {}
    values = _clean_role(data, errors)
    merged = {k: values.get(k, getattr(role, k)) for k in ("age_min", "age_max", "height_min", "height_max")}
    for low, high in (("age_min", "age_max"), ("height_min", "height_max")):
        if merged[low] is not None and merged[high] is not None and merged[low] > merged[high]:
            errors.setdefault(high, [_("The maximum must not be below the minimum.")])
    if errors:
        raise ValidationFailed(fields=errors)
    for key, value in values.items():
        setattr(role, key, value)
    db.session.commit()
    return role


def delete_role(actor, role: ProjectRole) -> None:
    require("project.edit", role.project, user=actor)
    db.session.delete(role)
    db.session.commit()


def get_role(role_id: int, viewer=None) -> ProjectRole:
    role = db.session.get(ProjectRole, role_id)
    if role is None:
        raise NotFound(_("This role does not exist."))
    require("project.view", role.project, user=viewer)
    return role


# Assignments ------------------------------------------------------------------------------------

def assign(actor, role: ProjectRole, profile: Profile, note: str | None = None) -> Assignment:
    """Shortlist a talent for a role: a project code PRJ-001-042 and the first dated stage."""
    require("project.edit", role.project, user=actor)
    require("profile.view", profile, user=actor)
    problem = guardian_problem(profile)
    if problem:
        raise ValidationFailed(problem, fields={"profile": [problem]})
    if not profile.is_active:
        raise ValidationFailed(fields={"profile": [_("This profile is not active.")]})
    existing = db.session.scalar(select(Assignment).where(Assignment.role_id == role.id,
                                                          Assignment.profile_id == profile.id))
    if existing is not None:
        raise Conflict(_("This talent is already on this role."))
    project = role.project
    number = codes.next_number(f"assignment:{project.id}")
    assignment = Assignment(project_id=project.id, role_id=role.id, profile_id=profile.id,
                            code=codes.project_assignment_code(project.number, number),
                            stage="shortlisted", notes=(note or "").strip() or None, assigned_by_id=actor.id)
    assignment.history.append(AssignmentEvent(stage="shortlisted", note=assignment.notes, actor_id=actor.id))
    db.session.add(assignment)
    db.session.flush()  # the audit event names the assignment by its id
    audit.record("assignment.created", actor=actor, target=assignment, profile_id=profile.id, role_id=role.id)
    db.session.commit()
    assignment_changed.send(assignment, actor=actor, stage="shortlisted", note=assignment.notes)
    return assignment


def move_stage(actor, assignment: Assignment, stage: str, note: str | None = None) -> Assignment:
    """Move to another stage (any order: a casting can go back); the history keeps each step."""
    require("project.edit", assignment.project, user=actor)
    if stage not in STAGES:
        raise ValidationFailed(fields={"stage": [_("Choose one of the options.")]})
    note = (note or "").strip() or None
    if note and len(note) > 2000:
        raise ValidationFailed(fields={"note": [_("Use at most %(n)d characters.", n=2000)]})
    if stage == assignment.stage and not note:
        return assignment
    assignment.stage = stage
    assignment.history.append(AssignmentEvent(stage=stage, note=note, actor_id=actor.id))
    audit.record("assignment.stage_changed", actor=actor, target=assignment, stage=stage)
    db.session.commit()
    assignment_changed.send(assignment, actor=actor, stage=stage, note=note)
    return assignment


def remove_assignment(actor, assignment: Assignment) -> None:
    require("project.edit", assignment.project, user=actor)
    audit.record("assignment.removed", actor=actor, target=assignment, code=assignment.code)
    db.session.delete(assignment)
    db.session.commit()


def get_assignment(assignment_id: int, viewer=None) -> Assignment:
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None:
        raise NotFound(_("This assignment does not exist."))
    require("project.view", assignment.project, user=viewer)
    return assignment


def country_name(country: Country | None, locale: str) -> str | None:
    return country.name(locale) if country is not None else None


# Reads the pages and the API share --------------------------------------------------------------

# Projects still casting or shooting: their roles are offered in "Shortlist for...".
OPEN_STATUSES = ("en_preparation", "casting", "en_tournage")


def visible_ethnicities(viewer, cinema: CinemaProfile | None) -> list:
    """The recorded ethnicities, only for the person and casting staff, and only under consent."""
    if cinema is None or cinema.ethnicity_consent_at is None or viewer is None:
        return []
    if not can(viewer, "cinema.view_ethnicity", cinema.profile):
        return []
    return list(cinema.ethnicities)


def clear_guardian(actor, profile: Profile) -> CinemaProfile | None:
    """Forget the guardian and their consent (a minor then can be neither published nor assigned)."""
    require("cinema.edit", profile, user=actor)
    cinema = cinema_of(profile)
    if cinema is None:
        return None
    cinema.guardian_name = cinema.guardian_relationship = None
    cinema.guardian_phone = cinema.guardian_email = None
    cinema.guardian_consent_at = None
    audit.record("cinema.guardian_cleared", actor=actor, target=profile)
    db.session.commit()
    return cinema


def primary_thumb(profile: Profile):
    """The picture lists show for a talent: the profile photo, else the first gallery photo."""
    if profile.thumb is not None:
        return profile.thumb
    cinema = profile.cinema
    if cinema is not None and cinema.gallery:
        first = cinema.gallery[0]
        return first.thumb or first.file
    return None


def primary_photo(profile: Profile):
    if profile.photo is not None:
        return profile.photo
    cinema = profile.cinema
    if cinema is not None and cinema.gallery:
        return cinema.gallery[0].file
    return None


def productions_query(viewer, search: str | None = None):
    """Every production company, by name (a statement for pages and the API to page)."""
    require("production.view", user=viewer)
    stmt = select(Organisation).where(Organisation.kind == "production")
    text = fold(search or "").strip()
    if text:
        stmt = stmt.where(func.lower(Organisation.name).contains(text, autoescape=True))
    return stmt.order_by(Organisation.name, Organisation.id)


def project_counts(organisation_ids: Iterable[int]) -> dict[int, int]:
    ids = list(organisation_ids)
    if not ids:
        return {}
    rows = db.session.execute(select(CastingProject.organisation_id, func.count())
                              .where(CastingProject.organisation_id.in_(ids))
                              .group_by(CastingProject.organisation_id))
    return dict(rows.all())


def talent_counts(project_ids: Iterable[int]) -> dict[int, int]:
    """How many talents are on each project (a talent on two roles counts once)."""
    ids = list(project_ids)
    if not ids:
        return {}
    rows = db.session.execute(select(Assignment.project_id, func.count(func.distinct(Assignment.profile_id)))
                              .where(Assignment.project_id.in_(ids)).group_by(Assignment.project_id))
    return dict(rows.all())


def members_of(organisation: Organisation) -> list[OrganisationMember]:
    return sorted(organisation.members, key=lambda m: (m.role != "owner", fold(m.user.full_name)))


def add_member_by_email(actor, organisation: Organisation, email: str | None) -> OrganisationMember:
    """An owner (or an admin) adds a recruiter who already has an account, by their email."""
    from webapp.accounts import services as accounts

    require("production.manage", organisation, user=actor)
    try:
        address = accounts.normalise_email(email)
    except ValidationFailed:
        raise ValidationFailed(fields={"email": [_("Enter a valid email address.")]}) from None
    user = accounts.get_by_email(address)
    if user is None:
        raise ValidationFailed(fields={"email": [_("Nobody has an account with this email. Ask an administrator "
                                                   "to invite them as a recruiter first.")]})
    if user.role != Role.RECRUITER:
        raise ValidationFailed(fields={"email": [_("Only recruiters can join a production.")]})
    if db.session.get(OrganisationMember, (organisation.id, user.id)) is not None:
        raise ValidationFailed(fields={"email": [_("%(name)s already works for this production.",
                                                   name=user.full_name)]})
    return add_member(actor, organisation, user)


def remove_member(actor, organisation: Organisation, user_id: int) -> None:
    require("production.manage", organisation, user=actor)
    member = db.session.get(OrganisationMember, (organisation.id, user_id))
    if member is None:
        raise NotFound(_("This person does not work for this production."))
    owners = [m for m in organisation.members if m.role == "owner"]
    if member.role == "owner" and len(owners) == 1 and actor.role != Role.ADMIN:
        raise ValidationFailed(_("A production keeps at least one owner."))
    audit.record("production.member_removed", actor=actor, target=organisation, user_id=user_id)
    db.session.delete(member)
    db.session.commit()


def verify_production(actor, organisation: Organisation, verified: bool) -> Organisation:
    """Only admins vouch for a production company (the badge casting agents and talents trust)."""
    require("production.verify", organisation, user=actor)
    organisation.is_verified = bool(verified)
    organisation.verified_at = utcnow() if verified else None
    audit.record("production.verified" if verified else "production.unverified", actor=actor, target=organisation)
    db.session.commit()
    return organisation


def set_production_logo(actor, organisation: Organisation, upload: FileStorage | None) -> Organisation:
    require("production.manage", organisation, user=actor)
    data = files.read_upload(upload, "logo", max_bytes=directory.PHOTO_MAX_BYTES)
    logo = files.reencode_image(data, "logo", 512)
    old = organisation.logo
    organisation.logo = files.save(actor.id, "logo", upload.filename, logo)
    db.session.flush()
    if old is not None:
        db.session.delete(old)
    db.session.commit()
    if old is not None:
        files.delete_stored([old])
    return organisation


def remove_production_logo(actor, organisation: Organisation) -> Organisation:
    require("production.manage", organisation, user=actor)
    old = organisation.logo
    if old is not None:
        organisation.logo = None
        db.session.flush()
        db.session.delete(old)
        db.session.commit()
        files.delete_stored([old])
    return organisation


def open_roles(viewer, profile: Profile | None = None) -> list[tuple[ProjectRole, Assignment | None]]:
    """The roles `viewer` may cast into now (projects still open), each with the talent's
    assignment to it when `profile` is already on it."""
    if profile is None:
        return [(role, None) for role in _open_roles(viewer)]
    return open_roles_for(viewer, [profile])[profile.id]


def _open_roles(viewer) -> list[ProjectRole]:
    if not can(viewer, "casting.search"):
        return []
    stmt = (select(ProjectRole).join(CastingProject, CastingProject.id == ProjectRole.project_id)
            .where(CastingProject.status.in_(OPEN_STATUSES), CastingProject.is_active.is_(True)))
    if viewer.role != Role.ADMIN:
        stmt = stmt.join(OrganisationMember, OrganisationMember.organisation_id == CastingProject.organisation_id)
        stmt = stmt.where(OrganisationMember.user_id == viewer.id)
    return list(db.session.scalars(stmt.order_by(CastingProject.id.desc(), ProjectRole.position, ProjectRole.id)
                                   .limit(200)))


def open_roles_for(viewer, profiles: Iterable[Profile]) -> dict[int, list[tuple[ProjectRole, Assignment | None]]]:
    """`open_roles` for a page of talents at once (two queries, whatever the page size)."""
    profiles = list(profiles)
    roles = _open_roles(viewer)
    taken: dict[tuple[int, int], Assignment] = {}
    if roles and profiles:
        rows = db.session.scalars(select(Assignment).where(
            Assignment.profile_id.in_([p.id for p in profiles]), Assignment.role_id.in_([r.id for r in roles])))
        taken = {(a.profile_id, a.role_id): a for a in rows}
    return {p.id: [(role, taken.get((p.id, role.id))) for role in roles] for p in profiles}


def assignments_of_profile(viewer, profile: Profile) -> list[Assignment]:
    """The talent's assignments on projects `viewer` may see (the talent sees all theirs)."""
    stmt = select(Assignment).where(Assignment.profile_id == profile.id).order_by(Assignment.id.desc())
    rows = list(db.session.scalars(stmt))
    if profile.user_id is not None and viewer is not None and profile.user_id == viewer.id:
        return rows
    return [a for a in rows if can(viewer, "project.view", a.project)]
