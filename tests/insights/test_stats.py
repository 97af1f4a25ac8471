"""The statistics of seed 003, computed from what the directory and cinema hold."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests import factories as f
from webapp.casting import services as casting
from webapp.core.db import utcnow
from webapp.directory import services as directory
from webapp.extensions import db
from webapp.insights import services as stats


@pytest.fixture
def population(ctx):
    f.load_reference()
    recruiter = f.make_user(role="recruiter")
    ma, sn = f.country("MA"), f.country("SN")
    people = [
        ("Fatima", "F", ma, "CAS", 168, 5, ["lead-actor"]),
        ("Omar", "M", ma, "RAB", 182, 12, ["extra"]),
        ("Awa", "F", sn, "DKR", 175, 0, ["extra", "model"]),
    ]
    made = []
    for name, gender, country, city, height, years, types in people:
        profile = f.make_candidate(recruiter, name, "Test", gender=gender, nationality_id=country.id,
                                   residence_city_id=f.city(country.iso_code, city).id, years_experience=years,
                                   skills=[{"skill_id": f.skill("python").id, "level": 3}])
        casting.update_cinema(recruiter, profile, {"height_cm": height, "talent_types": types})
        made.append(profile)
    plain = f.make_candidate(recruiter, "Nadia", "Test", gender="F", nationality_id=ma.id)
    directory.set_active(f.make_user(role="admin"), plain, False)
    production = casting.create_production(recruiter, {"name": "Atlas"})
    casting.create_project(recruiter, production, {"name": "Un", "status": "en_tournage"})
    casting.create_project(recruiter, production, {"name": "Deux", "status": "termine"})
    return made


def test_overview_counts_everything(population):
    figures = stats.overview()
    assert figures == {"total_users": 4, "total_cinema_talents": 3, "total_productions": 1, "total_projects": 2,
                       "active_projects": 1, "new_users_7d": 4, "new_cinema_7d": 3}


def test_user_figures(population):
    figures = stats.users(locale="fr")
    assert (figures["total"], figures["active"], figures["inactive"]) == (4, 3, 1)
    assert figures["by_gender"] == {"M": 1, "F": 3, "N": 0}
    assert figures["by_country"] == [{"country": "Maroc", "count": 3}, {"country": "Sénégal", "count": 1}]
    assert figures["top_talents"] == [{"talent": "Python", "count": 3}]
    assert figures["with_photo_pct"] == 0


def test_cinema_figures(population):
    figures = stats.cinema(locale="en")
    assert figures["total_talents"] == 3
    assert figures["by_talent_type"][0] == {"type": "Extra", "count": 2}
    assert figures["by_experience"] == {"debutant": 1, "1_5_ans": 1, "5_10_ans": 0, "10_plus": 1}
    assert figures["avg_height"] == 175
    assert figures["by_gender"] == {"M": 1, "F": 2, "N": 0}


def test_a_date_range_counts_only_what_was_created_in_it(population):
    old = population[0]
    old.created_at = utcnow() - timedelta(days=40)
    db.session.commit()
    recent = stats.Period(start=date.today() - timedelta(days=7), end=date.today())
    assert stats.users(recent)["total"] == 3
    assert stats.overview(stats.Period(end=date.today() - timedelta(days=30)))["total_users"] == 1


def test_empty_platform_gives_zeros_not_errors(ctx):
    assert stats.users()["avg_profile_score"] == 0
    assert stats.cinema()["avg_height"] is None
    assert stats.overview()["total_users"] == 0
