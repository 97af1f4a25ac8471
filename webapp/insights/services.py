"""Statistics of the directory and the cinema module (seed 003's figures), for the dashboards
and /api/v1/stats. Each figure is one aggregate query; a date range narrows what was
created in it ("new in 7 days" always counts back from now)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import case, func, select

from webapp.casting.models import ACTIVE_PROJECT_STATUSES, CastingProject, CinemaProfile, cinema_talent_types
from webapp.core.db import utcnow
from webapp.core.permissions import Role, policy
from webapp.directory.models import GENDERS, Profile, ProfileSkill
from webapp.extensions import db
from webapp.organisations.models import Organisation
from webapp.taxonomy.models import Country, Skill

TOP = 10
EXPERIENCE_BANDS = (("debutant", 0, 0), ("1_5_ans", 1, 5), ("5_10_ans", 6, 10), ("10_plus", 11, None))


@policy("stats.view")
def _may_view_stats(user, _obj) -> bool:
    return user.role in (Role.RECRUITER, Role.ADMIN)


@dataclass(frozen=True)
class Period:
    """Profiles created from `start` to `end` (both days included); None means unbounded."""

    start: date | None = None
    end: date | None = None

    def bounds(self) -> tuple[datetime | None, datetime | None]:
        from datetime import UTC

        low = datetime.combine(self.start, time.min, UTC) if self.start else None
        high = datetime.combine(self.end + timedelta(days=1), time.min, UTC) if self.end else None
        return low, high


def _in_period(stmt, column, period: Period):
    low, high = period.bounds()
    if low is not None:
        stmt = stmt.where(column >= low)
    if high is not None:
        stmt = stmt.where(column < high)
    return stmt


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def overview(period: Period = Period()) -> dict:
    week_ago = utcnow() - timedelta(days=7)
    profiles = db.session.execute(_in_period(
        select(func.count(Profile.id), func.count(case((Profile.created_at >= week_ago, 1)))),
        Profile.created_at, period)).one()
    cinema = db.session.execute(_in_period(
        select(func.count(CinemaProfile.id), func.count(case((CinemaProfile.created_at >= week_ago, 1)))),
        CinemaProfile.created_at, period)).one()
    projects = db.session.execute(_in_period(
        select(func.count(CastingProject.id),
               func.count(case((CastingProject.status.in_(ACTIVE_PROJECT_STATUSES), 1)))),
        CastingProject.created_at, period)).one()
    productions = db.session.scalar(select(func.count(Organisation.id)).where(Organisation.kind == "production"))
    return {
        "total_users": profiles[0],
        "total_cinema_talents": cinema[0],
        "total_productions": productions or 0,
        "total_projects": projects[0],
        "active_projects": projects[1],
        "new_users_7d": profiles[1],
        "new_cinema_7d": cinema[1],
    }


def _by_gender(column_source, period_column, period: Period, base=None) -> dict[str, int]:
    stmt = select(Profile.gender, func.count()).select_from(column_source)
    if base is not None:
        stmt = base(stmt)
    rows = dict(db.session.execute(_in_period(stmt, period_column, period).group_by(Profile.gender)).all())
    return {gender: rows.get(gender, 0) for gender in GENDERS}


def _by_country(join_cinema: bool, period: Period, locale: str) -> list[dict]:
    name = Country.name_fr if locale == "fr" else Country.name_en
    stmt = select(name, func.count(Profile.id)).select_from(Profile)
    if join_cinema:
        stmt = stmt.join(CinemaProfile, CinemaProfile.profile_id == Profile.id)
    stmt = stmt.join(Country, Country.id == func.coalesce(Profile.residence_country_id, Profile.nationality_id))
    stmt = _in_period(stmt, CinemaProfile.created_at if join_cinema else Profile.created_at, period)
    rows = db.session.execute(stmt.group_by(name).order_by(func.count(Profile.id).desc(), name).limit(TOP))
    return [{"country": country, "count": count} for country, count in rows]


def users(period: Period = Period(), locale: str = "en") -> dict:
    row = db.session.execute(_in_period(select(
        func.count(Profile.id),
        func.count(case((Profile.is_active.is_(True), 1))),
        func.avg(Profile.profile_score),
        func.count(Profile.photo_file_id),
        func.count(Profile.cv_file_id),
    ), Profile.created_at, period)).one()
    total, active, average, with_photo, with_cv = row
    skill_name = Skill.name_fr if locale == "fr" else Skill.name_en
    top = db.session.execute(_in_period(
        select(skill_name, func.count(ProfileSkill.profile_id)).select_from(ProfileSkill)
        .join(Skill, Skill.id == ProfileSkill.skill_id).join(Profile, Profile.id == ProfileSkill.profile_id),
        Profile.created_at, period).group_by(skill_name).order_by(func.count(ProfileSkill.profile_id).desc(),
                                                                  skill_name).limit(TOP))
    return {
        "total": total,
        "active": active,
        "inactive": total - active,
        "by_gender": _by_gender(Profile, Profile.created_at, period),
        "by_country": _by_country(False, period, locale),
        "top_talents": [{"talent": name, "count": count} for name, count in top],
        "avg_profile_score": round(float(average)) if average is not None else 0,
        "with_photo_pct": _percent(with_photo, total),
        "with_cv_pct": _percent(with_cv, total),
    }


def cinema(period: Period = Period(), locale: str = "en") -> dict:
    joined = select(func.count(CinemaProfile.id), func.avg(CinemaProfile.height_cm),
                    func.count(Profile.photo_file_id)).select_from(CinemaProfile).join(Profile)
    total, height, with_photo = db.session.execute(_in_period(joined, CinemaProfile.created_at, period)).one()
    skill_name = Skill.name_fr if locale == "fr" else Skill.name_en
    types = db.session.execute(_in_period(
        select(skill_name, func.count()).select_from(cinema_talent_types)
        .join(Skill, Skill.id == cinema_talent_types.c.skill_id)
        .join(CinemaProfile, CinemaProfile.id == cinema_talent_types.c.cinema_id),
        CinemaProfile.created_at, period).group_by(skill_name).order_by(func.count().desc(), skill_name))
    band = case(*[(Profile.years_experience.between(low, high) if high is not None
                   else Profile.years_experience >= low, name) for name, low, high in EXPERIENCE_BANDS],
                else_="debutant")
    bands = dict(db.session.execute(_in_period(
        select(band, func.count()).select_from(CinemaProfile).join(Profile), CinemaProfile.created_at, period)
        .group_by(band)).all())
    return {
        "total_talents": total,
        "by_gender": _by_gender(CinemaProfile, CinemaProfile.created_at, period,
                                base=lambda stmt: stmt.join(Profile, Profile.id == CinemaProfile.profile_id)),
        "by_talent_type": [{"type": name, "count": count} for name, count in types],
        "by_country": _by_country(True, period, locale),
        "by_experience": {name: bands.get(name, 0) for name, _low, _high in EXPERIENCE_BANDS},
        "with_photo_pct": _percent(with_photo, total),
        "avg_height": round(float(height)) if height is not None else None,
    }
