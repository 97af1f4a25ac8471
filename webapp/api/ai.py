"""AI casting, AI search and CV analysis: /api/v1/cinema/ai-search, /api/v1/ai-search,
/api/v1/ai/analyze-cv. They call the services the pages call (webapp/ai/services.py)."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_babel import get_locale
from pydantic import BaseModel, Field

from webapp.ai import serialize, services
from webapp.api import bp
from webapp.api.framework import api_route
from webapp.api.principal import resolve
from webapp.api.schemas import Input, either
from webapp.core.pagination import page_args

TAGS = ("ai",)
Many = list[str | int] | str | int | None


class CastIn(Input):
    role_description: str = Field(validation_alias=either("role_description", "description"),
                                  description="The role, in French or English.")
    gender: str | None = Field(None, description="M, F or N (\"any\" or empty: no condition).")
    age_min: int | None = None
    age_max: int | None = None
    height_min: int | None = Field(None, description="Centimetres.")
    height_max: int | None = None
    skin_tone: Many = Field(None, description="Slug, id or name of the managed list value (\"Mat\"), or a list.")
    eye_color: Many = None
    hair_color: Many = None
    hair_type: Many = None
    build: Many = None
    languages: Many = Field(None, validation_alias=either("languages", "language", "languages_spoken"),
                            description="ISO 639 codes or names; all of them must be spoken.")
    talent_type: Many = Field(None, validation_alias=either("talent_type", "talent_types"))
    country: Many = Field(None, description="ISO code or id of the country of residence.")
    city: Many = Field(None, description="City id.")
    experience_min: int | None = None


class MatchIn(Input):
    job_description: str | None = Field(None, validation_alias=either("job_description", "description"),
                                        description="The job; or send a `file` (multipart: PDF, DOCX or text).")
    file: Any = Field(None, description="Multipart only: the job description as a file.", exclude=True)
    country: Many = None
    city: Many = None
    availability: Many = None
    work_mode: Many = None
    experience_min: int | None = None
    experience_max: int | None = None


class AnalyzeIn(Input):
    cv_text: str | None = Field(None, validation_alias=either("cv_text", "text"))
    job_id: str | None = Field(None, description="Accepted for seed 001; not used yet.")
    file: Any = Field(None, description="Multipart only: the CV as PDF, DOCX or text.", exclude=True)


class AiPageOut(BaseModel):
    items: list[dict]
    total: int
    page: int
    per_page: int
    pages: int
    understood: dict


class AnalysisOut(BaseModel):
    language: str
    skills: list[dict]
    sections: list[str]
    conditions: list[dict]
    keywords: list[str]
    word_count: int
    suggestions: list[str]


def _locale() -> str:
    locale = get_locale()
    return str(locale.language) if locale else "en"


def _data(body: BaseModel) -> dict:
    return {k: v for k, v in body.model_dump(exclude_none=True).items() if k != "file"}


@api_route(bp, "/cinema/ai-search", "POST", summary="AI casting: talents for a role description", tags=TAGS,
           body=CastIn, response=AiPageOut, permission="casting.search", errors=(401, 403, 422, 503))
def ai_casting(body: CastIn):
    """Cinema talents ranked for the role, each with its score, structured reasons and an
    explanation in the caller's language; `understood` says what was read from the text."""
    page, per_page = page_args(request.args)
    outcome = services.cast(resolve().user, _data(body), page=page, per_page=per_page)
    return serialize.cast_payload(outcome)


@api_route(bp, "/ai-search", "POST", summary="AI search: directory profiles for a job description", tags=TAGS,
           body=MatchIn, response=AiPageOut, permission="directory.search", errors=(401, 403, 413, 422, 503))
def ai_search(body: MatchIn):
    """JSON `{job_description}` or multipart with `file` (PDF, DOCX or text, 5 MB at most):
    profiles with matched and missing skills (with levels) and the reasons of each score."""
    page, per_page = page_args(request.args)
    outcome = services.match(resolve().user, _data(body), request.files.get("file"), page=page, per_page=per_page)
    return serialize.match_payload(outcome)


@api_route(bp, "/ai/analyze-cv", "POST", summary="Analyse a CV: skills with evidence, sections, suggestions",
           tags=TAGS, body=AnalyzeIn, response=AnalysisOut, permission="directory.search",
           errors=(401, 403, 413, 422, 503))
def analyze_cv(body: AnalyzeIn):
    """Seed 001: `{cv_text}` (or multipart with `file`)."""
    return services.analyze_text(resolve().user, body.cv_text, request.files.get("file"))
