"""/api/v1/stats/overview|users|cinema: seed 003's figures, the ones the dashboards show.
Each answer is the figures object itself; `from` and `to` (YYYY-MM-DD) narrow what counts
to what was created in those days (both included)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from flask import request
from flask_babel import get_locale
from pydantic import BaseModel, Field

from webapp.api import bp
from webapp.api.framework import api_route
from webapp.api.schemas import Input, either
from webapp.insights import services as stats
from webapp.insights.forms import period_from

TAGS = ("stats",)


class StatsQuery(Input):
    from_: date | None = Field(None, validation_alias=either("from", "start_date", "date_from"),
                               description="First day counted (YYYY-MM-DD).")
    to: date | None = Field(None, validation_alias=either("to", "end_date", "date_to"),
                            description="Last day counted (YYYY-MM-DD).")
    lang: Literal["en", "fr"] | None = Field(None, description="Language of country and talent names.")


class OverviewOut(BaseModel):
    total_users: int
    total_cinema_talents: int
    total_productions: int
    total_projects: int
    active_projects: int
    new_users_7d: int = Field(description="Profiles created in the last seven days (whatever the range).")
    new_cinema_7d: int


class CountryCount(BaseModel):
    country: str
    count: int


class TalentCount(BaseModel):
    talent: str
    count: int


class TypeCount(BaseModel):
    type: str
    count: int


class UserStatsOut(BaseModel):
    total: int
    active: int
    inactive: int
    by_gender: dict[str, int]
    by_country: list[CountryCount]
    top_talents: list[TalentCount]
    avg_profile_score: int
    with_photo_pct: int
    with_cv_pct: int


class ExperienceBands(BaseModel):
    debutant: int
    one_to_five: int = Field(alias="1_5_ans", serialization_alias="1_5_ans")
    five_to_ten: int = Field(alias="5_10_ans", serialization_alias="5_10_ans")
    ten_plus: int = Field(alias="10_plus", serialization_alias="10_plus")


class CinemaStatsOut(BaseModel):
    total_talents: int
    by_gender: dict[str, int]
    by_talent_type: list[TypeCount]
    by_country: list[CountryCount]
    by_experience: ExperienceBands
    with_photo_pct: int
    avg_height: int | None


def _period():
    # The same checks as the dashboards' form (dates, the end not before the start).
    return period_from(request.args)


def _locale(query: StatsQuery) -> str:
    return query.lang or str(get_locale() or "en")


@api_route(bp, "/stats/overview", "GET", summary="Overview figures", tags=TAGS, query=StatsQuery,
           response=OverviewOut, permission="stats.view", errors=(401, 403, 422))
def stats_overview(query: StatsQuery):
    """Profiles, cinema talents, productions and projects (recruiters and administrators)."""
    return stats.overview(_period())


@api_route(bp, "/stats/users", "GET", summary="Profile figures", tags=TAGS, query=StatsQuery, response=UserStatsOut,
           permission="stats.view", errors=(401, 403, 422))
def stats_users(query: StatsQuery):
    """Totals, active and inactive, by gender and country, top talents, profile quality."""
    return stats.users(_period(), _locale(query))


@api_route(bp, "/stats/cinema", "GET", summary="Cinema figures", tags=TAGS, query=StatsQuery, response=CinemaStatsOut,
           permission="stats.view", errors=(401, 403, 422))
def stats_cinema(query: StatsQuery):
    """Cinema talents by gender, talent type, country and experience; photos; average height."""
    return stats.cinema(_period(), _locale(query))
