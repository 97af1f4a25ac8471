"""The directory's lists: `GET /api/v1/users` (seed 003), `GET /api/v1/talents/{id}/users`,
the CRM's `GET /api/v1/candidates/`, `POST /api/v1/candidates/search` (and its alias
`POST /api/v1/search/candidates`, seed 001). Every one validates its input into the same
`Criteria` the pages use and calls `search_profiles`.

Pagination: `page` and `per_page` (seed 001's `size`) for the first 10,000 results, served
with OFFSET on the keyset order (cheap that near the start); deeper than that an answer
is 422 with a pointer to `cursor`. Every answer carries `next_cursor`: passing it back as
`cursor` gives the next page by keyset, as fast at the millionth result as at the first.
"""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import datetime
from typing import Any, Literal

from flask import url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from pydantic import BaseModel, Field, field_validator

from webapp.api import bp
from webapp.api.framework import api_route
from webapp.api.principal import resolve
from webapp.api.schemas import Input, either
from webapp.core.errors import NotFound, ValidationFailed
from webapp.directory.reference import AVAILABILITY_LABELS
from webapp.directory.search import COUNT_CAP, MAX_LIMIT, Criteria, Hit, search_profiles
from webapp.extensions import db
from webapp.taxonomy.models import Skill

TAGS = ("directory",)
MAX_OFFSET = COUNT_CAP  # page * per_page beyond this: use the cursor
# API names of the criteria, where they differ (for the messages of fields that are wrong).
FIELD_NAMES = {"q": "search", "country": "country_id", "city": "city_id", "skill": "talent_id", "after": "cursor"}
# `sort` as the seeds write it, and the search's own names.
SORTS = {
    "relevance": "relevance", "-relevance": "relevance",
    "newest": "newest", "-created_at": "newest", "created_at": "oldest", "oldest": "oldest",
    "name": "name", "last_name": "name", "sort_name": "name",
    "score": "score", "-profile_score": "score", "-score": "score",
    "experience": "experience", "-years_experience": "experience", "-experience": "experience",
}
Gender = Literal["M", "F", "N"]
Availability = Literal["full_time", "part_time", "freelance", "flexible", "weekends", "unavailable"]
WorkMode = Literal["onsite", "remote", "hybrid"]


def _split(value: Any) -> Any:
    """`M,F` and ["M", "F"] alike; an empty string is no value."""
    if value is None:
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    if isinstance(value, (int, float)):
        return [value]
    return value


class Filters(Input):
    """The directory's filters, as query parameters or inside a JSON body."""

    country_id: int | None = Field(None, validation_alias=either("country_id", "country"),
                                   description="Country where the person lives (or comes from, when unknown).")
    city_id: int | None = Field(None, validation_alias=either("city_id", "city"))
    gender: list[Gender] = Field(default_factory=list, description="M, F or N; several: any of them.")
    availability: list[Availability] = Field(default_factory=list)
    talent_id: list[int] = Field(default_factory=list, validation_alias=either("talent_id", "skill_id", "skills", "talents"),
                                 description="Skills (the seeds' talents); several: all of them.")
    skill_level: int = Field(1, ge=1, le=5, validation_alias=either("skill_level", "min_level"),
                             description="Lowest level (1-5) of the skills asked for.")
    age_min: int | None = Field(None, ge=14, le=100)
    age_max: int | None = Field(None, ge=14, le=100)
    experience_min: int | None = Field(None, ge=0, le=70,
                                       validation_alias=either("experience_min", "years_experience_min"))
    experience_max: int | None = Field(None, ge=0, le=70,
                                       validation_alias=either("experience_max", "years_experience_max"))
    language: list[str] = Field(default_factory=list, validation_alias=either("language", "languages"),
                                description="ISO 639 codes (fr, ar, wo ...); several: all of them.")
    work_mode: list[WorkMode] = Field(default_factory=list)
    has_photo: bool = False
    has_cv: bool = False
    kind: Literal["all", "talents", "candidates"] = Field("all", description="Talents have an account; CRM "
                                                                             "candidates were added by recruiters.")
    include_inactive: bool = Field(False, description="Administrators only.")

    @field_validator("gender", "availability", "talent_id", "language", "work_mode", mode="before")
    @classmethod
    def _lists(cls, value: Any) -> Any:
        return _split(value)


class Paging(Input):
    page: int = Field(1, ge=1)
    per_page: int = Field(20, ge=1, validation_alias=either("per_page", "size", "limit"),
                          description="At most 100 (more is read as 100).")
    cursor: str | None = Field(None, validation_alias=either("cursor", "after", "next_cursor"),
                               description="`next_cursor` of the previous answer: the page after it.")
    sort: str | None = Field(None, description="relevance (with a search), newest (-created_at), oldest "
                                               "(created_at), name, score (-profile_score), experience.")


class UsersQuery(Filters, Paging):
    search: str = Field("", max_length=200, validation_alias=either("search", "q", "query"),
                        description="Words of the name, email, code, headline, bio or skills; each a prefix.")


class CandidatesQuery(UsersQuery):
    kind: Literal["all", "talents", "candidates"] = "candidates"


class CandidateSearchIn(Filters, Paging):
    """`{"query": "...", "filters": {...}}` (seed 001); the filters may also sit at the top level
    ("complex filter object" of `/search/candidates`)."""

    query: str = Field("", max_length=200, validation_alias=either("query", "search", "q"))
    filters: Filters | None = None
    kind: Literal["all", "talents", "candidates"] = "candidates"


class PlaceOut(BaseModel):
    id: int
    name: str
    code: str


class TalentOut(BaseModel):
    id: int
    name: str
    emoji: str
    category: str
    level: int | None = None


class ProfileItem(BaseModel):
    """A profile in a list (seed 003's user list item)."""

    id: int
    unique_code: str | None
    first_name: str
    last_name: str
    email: str | None
    gender: str | None
    age: int | None
    headline: str | None
    country: PlaceOut | None
    city: PlaceOut | None
    photo_url: str | None
    talents: list[TalentOut]
    availability: str | None
    availability_label: str | None
    years_experience: int | None
    profile_score: int
    is_candidate: bool
    source: str
    created_at: datetime


class ProfileListOut(BaseModel):
    items: list[ProfileItem]
    total: int = Field(description=f"Exact up to {COUNT_CAP:,}; {COUNT_CAP + 1:,} means more than that.")
    total_capped: bool
    page: int | None
    per_page: int
    pages: int
    next_cursor: str | None


class CandidateListOut(ProfileListOut):
    size: int = Field(description="The same as per_page (seed 001).")


class TalentRef(BaseModel):
    id: int
    name: str
    emoji: str
    category: str
    tag: str
    is_active: bool
    users_count: int


class TalentUsersOut(ProfileListOut):
    talent: TalentRef


# Turning input into criteria and hits into items -------------------------------------------

def _criteria(filters: Filters, text: str, sort: str | None, kind: str | None = None) -> Criteria:
    order = ""
    if sort:
        order = SORTS.get(sort.strip())
        if order is None:
            raise ValidationFailed(fields={"sort": [_("Cannot sort by “%(name)s”. Choose from: %(choices)s.",
                                                      name=sort, choices=", ".join(sorted(SORTS)))]})
    return Criteria(
        q=text.strip(), country=filters.country_id, city=filters.city_id, gender=tuple(filters.gender),
        availability=tuple(filters.availability), skill=tuple(filters.talent_id), skill_level=filters.skill_level,
        age_min=filters.age_min, age_max=filters.age_max, experience_min=filters.experience_min,
        experience_max=filters.experience_max, language=tuple(code.lower() for code in filters.language),
        work_mode=tuple(filters.work_mode), has_photo=filters.has_photo, has_cv=filters.has_cv,
        kind=kind or filters.kind, include_inactive=filters.include_inactive, sort=order,
    )


def _run(criteria: Criteria, paging: Paging, **extra) -> dict:
    per_page = min(paging.per_page, MAX_LIMIT)
    page = None if paging.cursor else paging.page
    offset = 0 if paging.cursor else (paging.page - 1) * per_page
    if offset + per_page > MAX_OFFSET:
        raise ValidationFailed(fields={"page": [_("Pages reach the first %(n)s results; to go further, pass the "
                                                 "answer's next_cursor as cursor.", n=f"{MAX_OFFSET:,}")]})
    try:
        hits, next_cursor, total = search_profiles(resolve().user, criteria, after=paging.cursor, limit=per_page,
                                                   offset=offset)
    except ValidationFailed as error:
        raise ValidationFailed(error.message, fields={FIELD_NAMES.get(k, k): v for k, v in error.fields.items()}) \
            from None
    locale = str(get_locale() or "en")
    return {
        "items": [item(hit, locale) for hit in hits],
        "total": total,
        "total_capped": total > COUNT_CAP,
        "page": page,
        "per_page": per_page,
        "pages": max(1, math.ceil(min(total, COUNT_CAP) / per_page)),
        "next_cursor": next_cursor,
        **extra,
    }


def item(hit: Hit, locale: str = "en") -> dict:
    """A hit in seed 003's list-item shape (plus headline, experience and CRM origin)."""
    p = hit.profile
    photo = p.photo_file_id or p.thumb_file_id
    return {
        "id": p.id,
        "unique_code": p.code,
        "first_name": p.first_name,
        "last_name": p.last_name,
        "email": p.email,
        "gender": p.gender,
        "age": p.age,
        "headline": p.headline,
        "country": {"id": hit.country.id, "name": hit.country.name(locale), "code": hit.country.iso_code}
        if hit.country else None,
        "city": {"id": hit.city.id, "name": hit.city.name, "code": hit.city.code} if hit.city else None,
        "photo_url": url_for("files.download", file_id=photo, _external=True) if photo else None,
        "talents": [{"id": link.skill.id, "name": link.skill.name(locale), "emoji": link.skill.emoji,
                     "category": link.skill.category(locale), "level": link.level} for link in hit.skills],
        "availability": p.availability,
        "availability_label": str(AVAILABILITY_LABELS[p.availability]) if p.availability else None,
        "years_experience": p.years_experience,
        "profile_score": p.profile_score,
        "is_candidate": p.user_id is None,
        "source": p.source,
        "created_at": p.created_at.isoformat(),
    }


# Endpoints ----------------------------------------------------------------------------------

@api_route(bp, "/users", "GET", summary="Search the directory's profiles", tags=TAGS, query=UsersQuery,
           response=ProfileListOut, permission="directory.search", errors=(401, 403, 422))
def list_users(query: UsersQuery):
    """Recruiters and administrators. Only active profiles that consent to be listed (administrators
    may add `include_inactive`). The same search as the directory page, with the same filters."""
    return _run(_criteria(query, query.search, query.sort), query)


@api_route(bp, "/talents/<int:talent_id>/users", "GET", summary="Profiles with a talent (skill)", tags=TAGS,
           query=UsersQuery, response=TalentUsersOut, permission="directory.search", errors=(401, 403, 404, 422))
def talent_users(talent_id: int, query: UsersQuery):
    """The directory search with this skill required (other filters may narrow it further)."""
    skill = db.session.get(Skill, talent_id)
    if skill is None:
        raise NotFound(_("This talent does not exist."))
    criteria = _criteria(query, query.search, query.sort)
    criteria = replace(criteria, skill=tuple(dict.fromkeys((talent_id, *criteria.skill))))
    locale = str(get_locale() or "en")
    answer = _run(criteria, query)
    answer["talent"] = {"id": skill.id, "name": skill.name(locale), "emoji": skill.emoji,
                        "category": skill.category(locale), "tag": skill.tag, "is_active": skill.is_active,
                        "users_count": answer["total"]}
    return answer


@api_route(bp, "/candidates/", "GET", summary="CRM candidates (paginated)", tags=TAGS, query=CandidatesQuery,
           response=CandidateListOut, permission="directory.search", errors=(401, 403, 422))
def list_candidates(query: CandidatesQuery):
    """Profiles recruiters added (no account) by default; `kind=all` adds the talents. Seed 001's
    `size` and `sort=-created_at` work."""
    answer = _run(_criteria(query, query.search, query.sort or "-created_at"), query)
    answer["size"] = answer["per_page"]
    return answer


@api_route(bp, "/candidates/search", "POST", summary="Search CRM candidates", tags=TAGS, body=CandidateSearchIn,
           response=CandidateListOut, permission="directory.search", errors=(401, 403, 422))
def search_candidates(body: CandidateSearchIn):
    """`{"query": "python", "filters": {"country_id": 1, "gender": ["F"]}, "per_page": 20}`: CRM
    candidates by default (`"kind": "all"` adds the talents)."""
    filters = body.filters or body
    kind = filters.kind if body.filters is not None and "kind" in body.filters.model_fields_set else body.kind
    answer = _run(_criteria(filters, body.query, body.sort, kind=kind), body)
    answer["size"] = answer["per_page"]
    return answer
