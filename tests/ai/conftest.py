"""A small cast for the AI tests: reference data, a recruiter with a production, a project
and an open role, and cinema talents and directory candidates written through the services."""

from __future__ import annotations

from datetime import date

import pytest

from tests import factories as f
from webapp.casting import services as casting


def born(years: int) -> str:
    return date(date.today().year - years, 1, 1).isoformat()


def actress(recruiter, first="Fatima", last="Benani", age=28, city="CAS", **cinema):
    profile = f.make_candidate(recruiter, first, last, gender="F", nationality_id=f.country("MA").id,
                               residence_city_id=f.city("MA", city).id, birth_date=born(age),
                               headline=cinema.pop("headline", "Comédienne"), bio=cinema.pop("bio", ""))
    casting.update_cinema(recruiter, profile, {"talent_types": ["lead-actor"], **cinema})
    return profile


def actor_man(recruiter, first="Karim", last="Tazi", age=40, city="RAB", **cinema):
    profile = f.make_candidate(recruiter, first, last, gender="M", nationality_id=f.country("MA").id,
                               residence_city_id=f.city("MA", city).id, birth_date=born(age), headline="Acteur")
    casting.update_cinema(recruiter, profile, {"talent_types": ["lead-actor"], **cinema})
    return profile


@pytest.fixture
def reference(ctx):
    f.load_reference()


@pytest.fixture
def recruiter(reference):
    return f.make_user(role="recruiter", full_name="Youssef Caster")


def make_open_role(recruiter):
    production = casting.create_production(recruiter, {"name": "Atlas Productions"})
    project = casting.create_project(recruiter, production, {"name": "Le Désert Blanc", "production_type": "film",
                                                             "status": "casting"})
    return casting.add_role(recruiter, project, {"name": "Protagoniste", "talent_type": "lead-actor", "gender": "F",
                                                 "age_min": 25, "age_max": 35,
                                                 "description": "Une cavalière, parle arabe et anglais"})


@pytest.fixture
def open_role(recruiter):
    return make_open_role(recruiter)


@pytest.fixture
def cast_list(recruiter):
    return make_cast(recruiter)


def make_cast(recruiter):
    """Three cinema talents: the one who fits, one too old, one man; and a developer."""
    fits = actress(recruiter, bio="Actrice de cinéma, cavalière, danse contemporaine.", height_cm=168,
                   hair_type="boucles", skin_tone="mat", languages_spoken=["ar:native", "en:fluent", "fr:fluent"])
    older = actress(recruiter, "Amina", "Rami", age=52, bio="Actrice de théâtre.",
                    languages_spoken=["ar:native", "fr:fluent"], hair_type="raides")
    man = actor_man(recruiter, languages_spoken=["ar:native", "en:fluent"])
    developer = f.make_candidate(recruiter, "Omar", "Dev", gender="M", headline="Développeur Python",
                                 bio="Django, PostgreSQL et Docker depuis 6 ans.", years_experience=6,
                                 skills=[{"skill_id": f.skill("python").id, "level": 5}],
                                 residence_city_id=f.city("MA", "CAS").id, nationality_id=f.country("MA").id)
    return {"fits": fits.id, "older": older.id, "man": man.id, "developer": developer.id}


@pytest.fixture
def world(app):
    return build_world(app)


def build_world(app):
    """The same cast for tests that go through the test client: built in an app context of
    its own (a context left open would be shared by every request of the client)."""
    from types import SimpleNamespace

    from webapp.extensions import db

    with app.app_context():
        f.load_reference()
        recruiter = f.make_user(role="recruiter", full_name="Youssef Caster")
        ids = make_cast(recruiter)
        role = make_open_role(recruiter)
        french = f.make_user(role="recruiter", full_name="Fanny Française", locale="fr")
        other = f.make_user(role="recruiter", full_name="Other Production")
        talent = f.make_user(full_name="Tala Talent")
        for user in (recruiter, french, other, talent):
            db.session.refresh(user)
            db.session.expunge(user)
        state = SimpleNamespace(recruiter=recruiter, french=french, other=other, talent=talent, role_id=role.id, **ids)
        db.session.remove()
    return state
