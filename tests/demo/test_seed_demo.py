"""`flask --app wsgi seed-demo`: an account for every role, the countries with their city
codes, and a bilingual taxonomy of talents."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import func, select

from webapp.accounts.models import User
from webapp.demo.cli import DEMO_ACCOUNTS
from webapp.extensions import db
from webapp.taxonomy.models import City, Country, Skill


def seed(app, *args):
    return app.test_cli_runner().invoke(args=["seed-demo", *args])


def count(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_it_makes_one_account_per_role_with_the_given_password(app, login):
    result = seed(app, "--password", "Demo-pass-2024")
    assert result.exit_code == 0, result.output
    with app.app_context():
        users = list(db.session.scalars(select(User)))
        for user in users:
            db.session.expunge(user)
    assert sorted(user.role for user in users) == ["admin", "consultant", "recruiter", "talent"]
    assert all(user.email_verified and user.is_active for user in users)
    for user in users:
        assert user.email in result.output
        login(user, password="Demo-pass-2024", into=app.test_client())
    logins = Path(app.instance_path) / "demo-logins.txt"
    assert "Demo-pass-2024" in logins.read_text()
    assert oct(logins.stat().st_mode)[-3:] == "600"


def test_without_password_a_random_one_is_printed_and_works(app, login):
    result = seed(app)
    assert result.exit_code == 0
    password = re.search(r"password: (\S+)", result.output).group(1)
    with app.app_context():
        admin = db.session.scalar(select(User).where(User.role == "admin"))
        db.session.expunge(admin)
    login(admin, password=password, into=app.test_client())


def test_the_countries_and_their_main_cities_have_codes(app):
    seed(app, "--password", "Demo-pass-2024")
    with app.app_context():
        countries = {c.iso_code: c for c in db.session.scalars(select(Country))}
        assert set(countries) == {"MA", "SN", "CI", "TN", "DZ", "FR", "BE"}
        assert countries["MA"].name("fr") == "Maroc" and countries["CI"].name("en") == "Côte d'Ivoire"
        morocco = {city.code: city.name for city in countries["MA"].cities}
        assert morocco["RAB"] == "Rabat" and morocco["CAS"] == "Casablanca"
        for country in countries.values():
            assert len(country.cities) >= 5
            assert all(re.fullmatch(r"[A-Z]{3}", city.code) for city in country.cities)
        assert {c.code for c in countries["SN"].cities} >= {"DKR"}


def test_the_taxonomy_is_in_english_and_french_with_cinema_talents(app):
    seed(app, "--password", "Demo-pass-2024")
    with app.app_context():
        skills = list(db.session.scalars(select(Skill)))
        assert len(skills) >= 30
        assert all(skill.name_en and skill.name_fr and skill.category_en and skill.category_fr for skill in skills)
        assert {skill.tag for skill in skills} == {"general", "cinema"}
        by_slug = {skill.slug: skill for skill in skills}
        assert by_slug["machine-learning"].name("fr") == "Apprentissage automatique"
        assert "ml" in by_slug["machine-learning"].synonym_list


def test_running_it_twice_duplicates_nothing(app):
    seed(app, "--password", "Demo-pass-2024")
    before = (count(app, User), count(app, Country), count(app, City), count(app, Skill))
    result = seed(app, "--password", "Demo-pass-2024")
    assert result.exit_code == 0
    assert "the demo accounts already exist" in result.output
    assert (count(app, User), count(app, Country), count(app, City), count(app, Skill)) == before


def test_if_empty_does_nothing_when_accounts_exist(app, make_user):
    make_user()
    result = seed(app, "--if-empty")
    assert result.exit_code == 0
    assert "The database already has accounts: demo data not loaded." in result.output
    assert count(app, User) == 1 and count(app, Country) == 0


def test_if_empty_loads_everything_on_an_empty_database(app):
    result = seed(app, "--if-empty", "--password", "Demo-pass-2024")
    assert result.exit_code == 0
    assert count(app, User) == len(DEMO_ACCOUNTS) and count(app, Country) == 7


def test_a_weak_password_is_refused(app):
    result = seed(app, "--password", "weak")
    assert result.exit_code != 0
    assert "--password: Use at least 8 characters." in result.output
    assert count(app, User) == 0 and count(app, Country) == 0
