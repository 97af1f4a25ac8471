"""/api/v1/skills (seed 001) and /api/v1/talents (seed 003): one taxonomy, one shape.

The seeds name the same thing twice ("skills" in the CRM, "talents" in the directory), so
/skills is canonical and /talents, /talents/{id} are aliases (webapp/api/aliases.py). The
shape is a superset of both seeds' items: seed 003's `name`, `emoji`, `category` (in the
caller's language), `tag`, `is_active`, `users_count`, plus both languages and synonyms.
Lists come in the envelope of DESIGN.md ({"items", "total", "page", "per_page", "pages"}).
"""

from __future__ import annotations

from datetime import datetime

from flask import request
from flask_babel import get_locale
from flask_babel import gettext as _
from pydantic import BaseModel, Field

from webapp.api import bp
from webapp.api.framework import api_route
from webapp.api.principal import resolve
from webapp.api.schemas import Input, either
from webapp.core.errors import NotFound
from webapp.core.pagination import Page, page_args
from webapp.directory.services import skill_usage_counts
from webapp.taxonomy import services as taxonomy

TAGS = ("skills",)


class SkillOut(BaseModel):
    id: int
    slug: str
    name: str = Field(description="In the caller's language (seed 003).")
    name_en: str
    name_fr: str
    category: str = Field(description="In the caller's language (seed 003).")
    category_en: str
    category_fr: str
    emoji: str
    tag: str = Field(examples=["general"], description="general or cinema")
    synonyms: list[str]
    is_active: bool
    users_count: int = Field(description="How many active profiles have this skill.")
    created_at: datetime

    @classmethod
    def of(cls, skill, counts: dict[int, int] | None = None) -> SkillOut:
        locale = str(get_locale() or "en")
        counts = skill_usage_counts() if counts is None else counts
        return cls(id=skill.id, slug=skill.slug, name=skill.name(locale), name_en=skill.name_en,
                   name_fr=skill.name_fr, category=skill.category(locale), category_en=skill.category_en,
                   category_fr=skill.category_fr, emoji=skill.emoji or "", tag=skill.tag,
                   synonyms=skill.synonym_list, is_active=skill.is_active, users_count=counts.get(skill.id, 0),
                   created_at=skill.created_at)


class SkillListOut(BaseModel):
    items: list[SkillOut]
    total: int
    page: int
    per_page: int
    pages: int


class SkillQuery(Input):
    q: str = Field("", validation_alias=either("q", "search", "query"))
    category: str = ""
    tag: str = Field("", description="general or cinema")
    active: str = Field("", description="yes / no (default: both for admins, active only for others)")


class SkillIn(Input):
    name: str | None = Field(None, description="Sets both languages' names unless they are given.")
    name_en: str | None = None
    name_fr: str | None = None
    category: str | None = Field(None, description="Sets both languages' categories unless they are given.")
    category_en: str | None = None
    category_fr: str | None = None
    emoji: str | None = None
    tag: str | None = None
    synonyms: list[str] | str | None = Field(None, description="A list, or one per line.")
    is_active: bool | None = None

    def changes(self) -> dict:
        data = self.model_dump(exclude_unset=True)
        for short, pair in (("name", ("name_en", "name_fr")), ("category", ("category_en", "category_fr"))):
            value = data.pop(short, None)
            if value is not None:
                for key in pair:
                    data.setdefault(key, value)
        return data


def _envelope(found: list) -> dict:
    page, per_page = page_args(request.args)
    counts = skill_usage_counts()
    window = found[(page - 1) * per_page: page * per_page]
    return Page(window, len(found), page, per_page).envelope(lambda s: SkillOut.of(s, counts).model_dump(mode="json"))


def _list(criteria: taxonomy.SkillCriteria) -> dict:
    principal = resolve()
    is_admin = principal is not None and principal.user.role == "admin"
    if not is_admin:
        criteria.active = "yes"  # inactive skills are an admin's business
    return _envelope(taxonomy.search_skills(criteria))


def _visible(skill_id: int):
    skill = taxonomy.get_skill(skill_id)
    principal = resolve()
    if not skill.is_active and (principal is None or principal.user.role != "admin"):
        raise NotFound(_("This skill does not exist."))  # the same answer as for a skill that never was
    return skill


@api_route(bp, "/skills", "GET", summary="List skills (also GET /talents)", tags=TAGS, query=SkillQuery,
           response=SkillListOut, errors=(401, 422))
def list_skills(query: SkillQuery):
    """Filters: `q` (names in both languages and synonyms, accent-insensitive), `category`
    (in either language), `tag` (general / cinema); admins also `active` (yes / no)."""
    return _list(taxonomy.SkillCriteria(q=query.q, category=query.category, tag=query.tag, active=query.active))


@api_route(bp, "/skills/search", "GET", summary="Search skills", tags=TAGS, query=SkillQuery, response=SkillListOut,
           errors=(401, 422))
def search_skills(query: SkillQuery):
    return _list(taxonomy.SkillCriteria(q=query.q, category=query.category, tag=query.tag, active=query.active))


@api_route(bp, "/skills/category/<path:category>", "GET", summary="Skills of a category", tags=TAGS,
           response=SkillListOut, errors=(401,))
def skills_of_category(category: str):
    """The category in English, in French, or as a slug (`technology`, `Technologie`)."""
    return _list(taxonomy.SkillCriteria(category=category))


@api_route(bp, "/skills/<int:skill_id>", "GET", summary="One skill (also GET /talents/{id})", tags=TAGS,
           response=SkillOut, errors=(401, 404))
def get_skill(skill_id: int):
    return SkillOut.of(_visible(skill_id))


@api_route(bp, "/skills", "POST", summary="Create a skill (admins)", tags=TAGS, body=SkillIn, response=SkillOut,
           status=201, permission="skills.manage", errors=(401, 403, 422))
def create_skill(body: SkillIn):
    return SkillOut.of(taxonomy.create_skill(resolve().user, body.changes()))


@api_route(bp, "/skills/<int:skill_id>", "PUT", summary="Update a skill (admins)", tags=TAGS, body=SkillIn,
           response=SkillOut, permission="skills.manage", errors=(401, 403, 404, 422))
def update_skill(skill_id: int, body: SkillIn):
    """Fields left out keep their value."""
    skill = taxonomy.get_skill(skill_id)
    return SkillOut.of(taxonomy.update_skill(resolve().user, skill, body.changes()))


@api_route(bp, "/skills/<int:skill_id>", "DELETE", summary="Delete a skill (admins)", tags=TAGS, status=204,
           permission="skills.manage", errors=(401, 403, 404))
def delete_skill(skill_id: int):
    """The profiles that had the skill lose it (the pages ask for confirmation first, with
    the count; to keep it on them, PUT `is_active: false` instead)."""
    taxonomy.delete_skill(resolve().user, taxonomy.get_skill(skill_id))
    return None
