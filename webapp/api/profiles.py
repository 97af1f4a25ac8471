"""Profiles in the API: seed 003's user detail (`/users/{id}`, `/users/code/{code}`) and
seed 001's candidates (`/candidates/...`). The same services as the pages decide and check."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import request, url_for
from pydantic import BaseModel, Field

from webapp.accounts import services as accounts
from webapp.api import bp
from webapp.api.framework import api_route
from webapp.api.principal import resolve
from webapp.api.schemas import Input, either
from webapp.core.errors import Forbidden, ValidationFailed
from webapp.core.permissions import can, require
from webapp.directory import display, reference
from webapp.directory import services as directory
from webapp.directory.models import Profile

TAGS = ("users",)
CANDIDATE_TAGS = ("candidates",)

# Service field -> the name the seeds use for it (errors come back under the caller's names).
API_NAMES = {"birth_date": "date_of_birth", "origin_country_id": "country_id", "origin_city_id": "city_id",
             "skills": "talents"}


# Shapes ---------------------------------------------------------------------------------------

class PlaceOut(BaseModel):
    id: int
    name: str
    code: str


class TalentOut(BaseModel):
    id: int
    name: str
    emoji: str
    category: str
    level: int = Field(description="1 (notions) to 5 (expert).")


class LanguageOut(BaseModel):
    code: str
    name: str
    level: str


class UserDetailOut(BaseModel):
    """A profile as seed 003's user detail, plus the codes behind its labels."""

    id: int
    unique_code: str | None
    first_name: str
    last_name: str
    full_name: str
    email: str | None
    phone: str | None
    whatsapp: str | None
    date_of_birth: date | None
    age: int | None
    gender: str | None
    gender_label: str | None
    nationality: str | None = Field(description="The nationality, in the caller's language.")
    nationality_country: PlaceOut | None
    headline: str | None
    bio: str | None
    years_experience: int | None
    education: str | None
    current_position: str | None
    current_company: str | None
    languages: str = Field(description="The languages spoken, as a line (seed 003).")
    language_levels: list[LanguageOut]
    availability: str | None = Field(description="A code: full_time, part_time, freelance, flexible, weekends, "
                                                 "unavailable.")
    availability_label: str | None
    work_mode: str | None
    rate_range: str | None
    rate_min: int | None
    rate_max: int | None
    rate_currency: str | None
    rate_unit: str | None
    country: PlaceOut | None = Field(description="Country of origin.")
    city: PlaceOut | None = Field(description="City of origin.")
    residence_country: PlaceOut | None
    residence_city: PlaceOut | None
    talents: list[TalentOut]
    photo_url: str | None
    thumbnail_url: str | None
    cv_url: str | None
    qr_code_url: str | None
    portfolio_url: str | None
    website: str | None
    linkedin: str | None
    instagram: str | None
    profile_score: int
    account_active: bool
    has_account: bool
    source: str
    created_by_id: int | None
    recruiter_notes: str | None = Field(description="Staff only; null for anyone else.")
    created_at: datetime
    updated_at: datetime


class CandidateOut(BaseModel):
    """Seed 001's candidate: who the person is and how to reach them."""

    id: int
    unique_code: str | None
    first_name: str
    last_name: str
    full_name: str
    email: str | None
    phone: str | None
    whatsapp: str | None
    headline: str | None
    source: str
    has_account: bool
    created_by_id: int | None
    profile_score: int
    photo_url: str | None
    cv_url: str | None
    created_at: datetime
    updated_at: datetime


class ProfileIn(Input):
    """Fields left out keep their value; null clears a field."""

    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    phone: str | None = None
    whatsapp: str | None = None
    birth_date: str | None = Field(None, validation_alias=either("date_of_birth", "birth_date", "dateOfBirth"))
    gender: str | None = None
    nationality_id: int | None = None
    origin_country_id: int | None = Field(None, validation_alias=either("country_id", "origin_country_id"))
    origin_city_id: int | None = Field(None, validation_alias=either("city_id", "origin_city_id"))
    residence_country_id: int | None = None
    residence_city_id: int | None = None
    headline: str | None = None
    bio: str | None = None
    years_experience: int | None = None
    education: str | None = None
    current_position: str | None = None
    current_company: str | None = None
    availability: str | None = None
    work_mode: str | None = None
    rate_min: int | None = None
    rate_max: int | None = None
    rate_currency: str | None = None
    rate_unit: str | None = None
    portfolio_url: str | None = None
    website: str | None = None
    linkedin: str | None = None
    instagram: str | None = None
    recruiter_notes: str | None = None
    skills: list[Any] | None = Field(None, validation_alias=either("talents", "skills"),
                                     description='[{"id": 3, "level": 4}] (level 1-5), or skill ids.')
    languages: list[Any] | str | None = Field(None, description='[{"code": "fr", "level": "native"}], '
                                                                  '["fr:native"] or "fr, en".')

    def changes(self) -> dict:
        data = self.model_dump(exclude_unset=True)
        for key, labels in (("availability", reference.AVAILABILITY_LABELS), ("work_mode", reference.WORK_MODE_LABELS),
                            ("gender", reference.GENDER_LABELS), ("rate_unit", reference.RATE_UNIT_LABELS)):
            if key in data:
                data[key] = display.code_for(data[key], labels)
        if data.get("skills") is not None:
            data["skills"] = [{"skill_id": item, "level": 3} if isinstance(item, int) else item
                              for item in data["skills"]]
        if isinstance(data.get("languages"), str):
            data["languages"] = [part.strip() for part in data["languages"].split(",") if part.strip()]
        if data.get("skills") is None:
            data.pop("skills", None)
        if data.get("languages") is None:
            data.pop("languages", None)
        return data


class ProfileUpdateIn(ProfileIn):
    account_active: bool | None = Field(None, description="Administrators only: show or hide the profile.")


class CandidateIn(ProfileIn):
    source: str | None = Field(None, description="recruiter (default), import or referral.")


class CvUploadOut(BaseModel):
    success: bool = True
    file_path: str = Field(description="Where to download the CV (seed 001).")
    file_id: int


# Building the shapes ------------------------------------------------------------------------------

def _place(item) -> PlaceOut | None:
    if item is None:
        return None
    if hasattr(item, "iso_code"):
        return PlaceOut(id=item.id, name=item.name(display.locale()), code=item.iso_code)
    return PlaceOut(id=item.id, name=item.name, code=item.code)


def _file_url(file) -> str | None:
    return url_for("files.download", file_id=file.id, _external=True) if file is not None else None


def qr_code_url(profile: Profile) -> str | None:
    """The hook for the QR code (publishing lane): its URL once QR codes exist."""
    from flask import current_app

    for endpoint in ("directory.qr_png", "publishing.qr_png"):
        if endpoint in current_app.view_functions:
            return url_for(endpoint, profile_id=profile.id, _external=True)
    return None


def detail_of(profile: Profile, viewer) -> UserDetailOut:
    staff = viewer is not None and can(viewer, "directory.search")
    lang = display.locale()
    talents = [TalentOut(id=link.skill.id, name=link.skill.name(lang), emoji=link.skill.emoji or "",
                         category=link.skill.category(lang), level=link.level) for link in profile.skills]
    return UserDetailOut(
        id=profile.id, unique_code=profile.code, first_name=profile.first_name, last_name=profile.last_name,
        full_name=profile.full_name, email=profile.email, phone=profile.phone, whatsapp=profile.whatsapp,
        date_of_birth=profile.birth_date, age=profile.age, gender=profile.gender,
        gender_label=display.gender_label(profile), nationality=display.nationality_label(profile),
        nationality_country=_place(profile.nationality), headline=profile.headline, bio=profile.bio,
        years_experience=profile.years_experience, education=profile.education,
        current_position=profile.current_position, current_company=profile.current_company,
        languages=display.languages_text(profile),
        language_levels=[LanguageOut(code=link.code, name=display.language_name(link.code), level=link.level)
                         for link in profile.languages],
        availability=profile.availability, availability_label=display.availability_label(profile),
        work_mode=profile.work_mode, rate_range=display.rate_range(profile), rate_min=profile.rate_min,
        rate_max=profile.rate_max, rate_currency=profile.rate_currency, rate_unit=profile.rate_unit,
        country=_place(profile.origin_country), city=_place(profile.origin_city),
        residence_country=_place(profile.residence_country), residence_city=_place(profile.residence_city),
        talents=talents, photo_url=_file_url(profile.photo), thumbnail_url=_file_url(profile.thumb),
        cv_url=_file_url(profile.cv), qr_code_url=qr_code_url(profile), portfolio_url=profile.portfolio_url,
        website=profile.website, linkedin=profile.linkedin, instagram=profile.instagram,
        profile_score=profile.profile_score, account_active=profile.is_active, has_account=not profile.is_candidate,
        source=profile.source, created_by_id=profile.created_by_id,
        recruiter_notes=profile.recruiter_notes if staff else None,
        created_at=profile.created_at, updated_at=profile.updated_at,
    )


def candidate_of(profile: Profile) -> CandidateOut:
    return CandidateOut(
        id=profile.id, unique_code=profile.code, first_name=profile.first_name, last_name=profile.last_name,
        full_name=profile.full_name, email=profile.email, phone=profile.phone, whatsapp=profile.whatsapp,
        headline=profile.headline, source=profile.source, has_account=not profile.is_candidate,
        created_by_id=profile.created_by_id, profile_score=profile.profile_score,
        photo_url=_file_url(profile.photo), cv_url=_file_url(profile.cv),
        created_at=profile.created_at, updated_at=profile.updated_at,
    )


def _caller():
    principal = resolve()
    return principal.user if principal else None


def _seed_names(error: ValidationFailed) -> ValidationFailed:
    error.fields = {API_NAMES.get(key, key): messages for key, messages in error.fields.items()}
    return error


def _update(profile: Profile, body: ProfileIn) -> Profile:
    try:
        return directory.update_profile(_caller(), profile, body.changes())
    except ValidationFailed as error:
        raise _seed_names(error) from None


# /users/{id} ----------------------------------------------------------------------------------------

@api_route(bp, "/users/<int:profile_id>", "GET", summary="A profile (seed 003 user detail)", tags=TAGS,
           response=UserDetailOut, errors=(403, 404))
def get_user(profile_id: int):
    """Talents see only their own; recruiters and admins see every profile."""
    return detail_of(directory.get_profile(profile_id, _caller()), _caller())


@api_route(bp, "/users/<int:profile_id>", "PUT", summary="Update a profile", tags=TAGS, body=ProfileUpdateIn,
           response=UserDetailOut, errors=(403, 404, 422))
def put_user(profile_id: int, body: ProfileUpdateIn):
    """A talent updates their own profile, staff a CRM candidate's. Administrators may show or hide
    any profile with `account_active`. Fields left out keep their value."""
    caller = _caller()
    profile = directory.get_profile(profile_id, caller)
    changes = body.changes()
    active = changes.pop("account_active", None)
    # Check every permission first, so a refused part changes nothing.
    if changes:
        require("profile.edit", profile, user=caller)
    if active is not None:
        require("profile.moderate", profile, user=caller)
    if changes:
        try:
            directory.update_profile(caller, profile, changes)
        except ValidationFailed as error:
            raise _seed_names(error) from None
    if active is not None:
        directory.set_active(caller, profile, active)
    return detail_of(profile, caller)


@api_route(bp, "/users/<int:profile_id>", "DELETE", summary="Delete a profile", tags=TAGS, status=204,
           errors=(403, 404))
def delete_user(profile_id: int):
    """Staff delete CRM candidates; an administrator may delete a talent's account with all its data."""
    caller = _caller()
    profile = directory.get_profile(profile_id, caller)
    if profile.is_candidate:
        directory.delete_candidate(caller, profile)
    elif can(caller, "admin"):
        accounts.admin_delete_account(caller, profile.user)
    else:
        raise Forbidden()
    return None


@api_route(bp, "/users/code/<string:unique_code>", "GET", summary="A profile by its unique code", tags=TAGS,
           response=UserDetailOut, errors=(403, 404))
def get_user_by_code(unique_code: str):
    return detail_of(directory.get_by_code(unique_code, _caller()), _caller())


# /candidates (seed 001; the list and search belong to the directory search) ------------------------

def _candidate(candidate_id: int, action: str = "profile.view") -> Profile:
    return directory.get_profile(candidate_id, _caller(), action)


@api_route(bp, "/candidates/", "POST", summary="Add a candidate to the CRM", tags=CANDIDATE_TAGS, body=CandidateIn,
           response=CandidateOut, status=201, permission="candidate.create", errors=(403, 422))
def create_candidate(body: CandidateIn):
    """First and last name are required; everything else is optional and checked like the profile's."""
    data = body.changes()
    try:
        profile = directory.create_candidate(_caller(), data)
    except ValidationFailed as error:
        raise _seed_names(error) from None
    return candidate_of(profile), 201


@api_route(bp, "/candidates/<int:candidate_id>", "GET", summary="A candidate", tags=CANDIDATE_TAGS,
           response=CandidateOut, permission="directory.search", errors=(403, 404))
def get_candidate(candidate_id: int):
    return candidate_of(_candidate(candidate_id))


@api_route(bp, "/candidates/<int:candidate_id>", "PUT", summary="Update a candidate", tags=CANDIDATE_TAGS,
           body=CandidateIn, response=CandidateOut, permission="directory.search", errors=(403, 404, 422))
def put_candidate(candidate_id: int, body: CandidateIn):
    """Only CRM candidates (people without an account) are edited by staff."""
    return candidate_of(_update(_candidate(candidate_id, "profile.edit"), body))


@api_route(bp, "/candidates/<int:candidate_id>", "DELETE", summary="Delete a candidate", tags=CANDIDATE_TAGS,
           status=204, permission="directory.search", errors=(403, 404))
def delete_candidate(candidate_id: int):
    profile = _candidate(candidate_id)
    directory.delete_candidate(_caller(), profile)
    return None


@api_route(bp, "/candidates/<int:candidate_id>/profile", "GET", summary="A candidate's full profile",
           tags=CANDIDATE_TAGS, response=UserDetailOut, permission="directory.search", errors=(403, 404))
def get_candidate_profile(candidate_id: int):
    return detail_of(_candidate(candidate_id), _caller())


@api_route(bp, "/candidates/<int:candidate_id>/profile", "PUT", summary="Update a candidate's full profile",
           tags=CANDIDATE_TAGS, body=ProfileIn, response=UserDetailOut, permission="directory.search",
           errors=(403, 404, 422))
def put_candidate_profile(candidate_id: int, body: ProfileIn):
    return detail_of(_update(_candidate(candidate_id, "profile.edit"), body), _caller())


@api_route(bp, "/candidates/<int:candidate_id>/upload-cv", "POST", summary="Upload a candidate's CV (PDF or DOCX)",
           tags=CANDIDATE_TAGS, response=CvUploadOut, status=201, permission="directory.search",
           errors=(403, 404, 413, 422), description="multipart/form-data with the file in `file` (or `cv`).")
def upload_candidate_cv(candidate_id: int):
    profile = _candidate(candidate_id, "profile.edit")
    upload = request.files.get("file") or request.files.get("cv")
    try:
        directory.set_cv(_caller(), profile, upload)
    except ValidationFailed as error:
        error.fields = {"file" if key == "cv" else key: value for key, value in error.fields.items()}
        raise
    return CvUploadOut(file_path=_file_url(profile.cv), file_id=profile.cv.id), 201

