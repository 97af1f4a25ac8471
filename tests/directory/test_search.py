"""The directory search service: every criterion, text matching, orders and their keyset
pages, the count, who may search, bad input, and the full-text index kept in step."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import event, text

from tests import factories as f
from webapp.core.errors import Forbidden, Unauthorized, ValidationFailed
from webapp.directory import search
from webapp.directory import services as directory
from webapp.directory.search import Criteria, search_profiles
from webapp.extensions import db


@pytest.fixture
def world(ctx):
    """Reference data, a recruiter, an admin."""
    f.load_reference()
    return {"recruiter": f.make_user(role="recruiter"), "admin": f.make_user(role="admin")}


def years_ago(years: int) -> date:
    today = date.today()
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def born(years: int, days: int = 10) -> date:
    return years_ago(years) - timedelta(days=days)


def place(iso: str, city: str) -> dict:
    return {"nationality_id": f.country(iso).id, "residence_city_id": f.city(iso, city).id}


def candidate(world, first: str, last: str = "Test", **fields):
    fields.setdefault("gender", "F")
    return f.make_candidate(world["recruiter"], first, last, **fields)


def skills(*pairs) -> list[dict]:
    return [{"skill_id": f.skill(slug).id, "level": level} for slug, level in pairs]


def ids(world, criteria=None, viewer="recruiter", **kwargs) -> list[int]:
    hits, _cursor, _total = search_profiles(world[viewer], criteria or Criteria(**kwargs), limit=100)
    return [hit.id for hit in hits]


def names(world, **kwargs) -> set[str]:
    hits, _cursor, _total = search_profiles(world["recruiter"], Criteria(**kwargs), limit=100)
    return {hit.profile.first_name for hit in hits}


# Who may search ------------------------------------------------------------------------------

def test_recruiters_and_admins_search_talents_consultants_and_visitors_do_not(world):
    candidate(world, "Salma")
    assert names(world) == {"Salma"}
    assert len(ids(world, viewer="admin")) == 1
    for role in ("talent", "consultant"):
        with pytest.raises(Forbidden):
            search_profiles(f.make_user(role=role), Criteria())
    with pytest.raises(Unauthorized):
        search_profiles(None, Criteria())


def test_only_active_listed_profiles_appear_unless_an_admin_asks_for_inactive_ones(world):
    shown = candidate(world, "Shown")
    hidden = candidate(world, "Hidden")
    directory.set_active(world["admin"], hidden, False)
    talent = f.make_user(role="talent", full_name="Private Person")
    private = f.talent_profile(talent)
    private.directory_consent_at = None  # the talent withdrew their consent to be listed
    db.session.commit()
    assert ids(world) == [shown.id]
    admin_view = ids(world, viewer="admin", include_inactive=True)
    assert set(admin_view) == {shown.id, hidden.id}  # inactive, never the unconsenting talent
    with pytest.raises(Forbidden):
        search_profiles(world["recruiter"], Criteria(include_inactive=True))


# Text -----------------------------------------------------------------------------------------

def test_text_ignores_accents_and_case_and_matches_word_prefixes(world):
    candidate(world, "Hélène", "Lefèvre")
    candidate(world, "Mohamed", "El Idrissi")
    candidate(world, "Mehdi", "Tazi")
    assert names(world, q="helene") == {"Hélène"}
    assert names(world, q="HÉLÈNE LEFEVRE") == {"Hélène"}
    assert names(world, q="moh") == {"Mohamed"}  # a prefix
    assert names(world, q="m") == {"Hélène", "Mohamed", "Mehdi"}  # one letter: no text filter yet
    assert names(world, q="idriss moh") == {"Mohamed"}  # every word, in any order
    assert names(world, q="mohamed tazi") == set()


def test_text_covers_email_code_headline_bio_and_skills_in_both_languages(world):
    salma = candidate(world, "Salma", email="salma.b@example.com", headline="Comédienne de théâtre",
                      bio="Formée au conservatoire de Rabat.", skills=skills(("python", 4)), **place("MA", "RAB"))
    candidate(world, "Other", bio="Rien à voir.")
    assert names(world, q="salma.b@example.com") == {"Salma"}
    assert names(world, q=salma.code) == {"Salma"}
    assert names(world, q=salma.code[:6]) == {"Salma"}
    assert names(world, q="comedienne") == {"Salma"}
    assert names(world, q="conservatoire") == {"Salma"}
    assert names(world, q="python") == {"Salma"}
    machine = candidate(world, "Ines", skills=skills(("machine-learning", 3)))
    assert ids(world, q="apprentissage") == [machine.id]  # the French name of the skill
    assert ids(world, q="machine learning") == [machine.id]


def test_common_words_do_not_swamp_a_query(world):
    candidate(world, "Amina", bio="Actrice de cinéma et de théâtre.")
    candidate(world, "Karim", bio="Chef de cuisine et de pâtisserie.")
    assert names(world, q="actrice de") == {"Amina"}  # "de" alone would match both
    assert names(world, q="de") == {"Amina", "Karim"}


def test_the_index_follows_updates_and_deletes(world):
    salma = candidate(world, "Salma", "Alaoui")
    assert names(world, q="alaoui") == {"Salma"}
    directory.update_profile(world["recruiter"], salma, {"last_name": "Bennani"})
    assert names(world, q="alaoui") == set()
    assert names(world, q="bennani") == {"Salma"}
    directory.update_profile(world["recruiter"], salma, {"skills": skills(("photography", 3))})
    assert names(world, q="photographie") == {"Salma"}
    directory.delete_candidate(world["recruiter"], salma)
    assert names(world, q="bennani") == set()
    assert _index_hits("bennani") == 0  # gone from the index itself, not only filtered out


def _index_hits(word: str) -> int:
    if db.engine.dialect.name == "sqlite":
        return db.session.scalar(text("SELECT count(*) FROM profiles_fts WHERE profiles_fts MATCH :q"),
                                 {"q": f'"{word}"*'})
    return db.session.scalar(text("SELECT count(*) FROM profiles WHERE search_vector @@ to_tsquery('simple', :q)"),
                             {"q": f"{word}:*"})


# Filters --------------------------------------------------------------------------------------

def test_country_and_city_are_where_people_live_or_else_come_from(world):
    rabat = candidate(world, "Rabat", **place("MA", "RAB"))
    dakar = candidate(world, "Dakar", **place("SN", "DKR"))
    origin_only = candidate(world, "Origin", nationality_id=f.country("MA").id,
                            origin_city_id=f.city("MA", "CAS").id)
    assert set(ids(world, country=f.country("MA").id)) == {rabat.id, origin_only.id}
    assert ids(world, city=f.city("SN", "DKR").id) == [dakar.id]
    assert ids(world, city=f.city("MA", "CAS").id) == [origin_only.id]


def test_gender_availability_and_work_mode_accept_several_values(world):
    candidate(world, "Fatou", gender="F", availability="freelance", work_mode="remote")
    candidate(world, "Moussa", gender="M", availability="full_time", work_mode="onsite")
    candidate(world, "Sam", gender="N", availability="part_time", work_mode="hybrid")
    assert names(world, gender=("F",)) == {"Fatou"}
    assert names(world, gender=("F", "N")) == {"Fatou", "Sam"}
    assert names(world, availability=("full_time", "part_time")) == {"Moussa", "Sam"}
    assert names(world, work_mode=("remote",)) == {"Fatou"}
    assert names(world, gender=("M",), availability=("freelance",)) == set()


def test_skills_with_a_minimum_level_and_all_of_several(world):
    candidate(world, "Expert", skills=skills(("python", 5), ("devops", 2)))
    candidate(world, "Beginner", skills=skills(("python", 2)))
    candidate(world, "None")
    python, devops = f.skill("python").id, f.skill("devops").id
    assert names(world, skill=(python,)) == {"Expert", "Beginner"}
    assert names(world, skill=(python,), skill_level=4) == {"Expert"}
    assert names(world, skill=(python, devops)) == {"Expert"}
    assert names(world, skill=(python, devops), skill_level=3) == set()  # devops only at level 2


def test_age_range_by_birth_date(world):
    candidate(world, "Twenty", birth_date=born(20))
    candidate(world, "Thirty", birth_date=born(30))
    candidate(world, "Forty", birth_date=born(40))
    candidate(world, "Unknown")
    assert names(world, age_min=25, age_max=35) == {"Thirty"}
    assert names(world, age_min=30) == {"Thirty", "Forty"}
    assert names(world, age_max=30) == {"Twenty", "Thirty"}
    candidate(world, "Birthday", birth_date=years_ago(25))  # 25 today
    assert names(world, age_min=25, age_max=25) == {"Birthday"}
    candidate(world, "Tomorrow", birth_date=years_ago(25) + timedelta(days=1))  # still 24
    assert names(world, age_min=24, age_max=24) == {"Tomorrow"}


def test_years_of_experience_language_photo_and_cv(world):
    senior = candidate(world, "Senior", years_experience=12, languages=["fr:native", "wo:fluent"])
    junior = candidate(world, "Junior", years_experience=1, languages=["fr:fluent"])
    assert names(world, experience_min=10) == {"Senior"}
    assert names(world, experience_max=5) == {"Junior"}
    assert names(world, language=("wo",)) == {"Senior"}
    assert names(world, language=("fr", "wo")) == {"Senior"}
    directory.set_photo(world["recruiter"], senior, f.image_upload())
    directory.set_cv(world["recruiter"], junior, f.pdf_upload())
    assert names(world, has_photo=True) == {"Senior"}
    assert names(world, has_cv=True) == {"Junior"}


def test_candidates_only_or_talents_only(world):
    crm = candidate(world, "Crm")
    talent = f.talent_profile(f.make_user(role="talent", full_name="Talent Person"))
    assert ids(world, kind="candidates") == [crm.id]
    assert ids(world, kind="talents") == [talent.id]
    assert set(ids(world)) == {crm.id, talent.id}


def test_what_a_card_shows_is_loaded_with_the_rows(world):
    salma = candidate(world, "Salma", skills=skills(("python", 2), ("devops", 5), ("sales", 3)),
                      **place("MA", "CAS"))
    [hit], _cursor, total = search_profiles(world["recruiter"], Criteria())
    assert total == 1
    assert (hit.profile.id, hit.city.name, hit.country.iso_code) == (salma.id, "Casablanca", "MA")
    assert [(link.skill.slug, link.level) for link in hit.skills] == [("devops", 5), ("sales", 3), ("python", 2)]


def test_a_page_costs_the_same_number_of_queries_for_three_results_or_twenty(world):
    def queries_for_a_page() -> int:
        count = 0

        def counter(*_args):
            nonlocal count
            count += 1

        event.listen(db.engine, "before_cursor_execute", counter)
        try:
            search_profiles(world["recruiter"], Criteria(q="person", sort="name"))
        finally:
            event.remove(db.engine, "before_cursor_execute", counter)
        return count

    for n in range(3):
        candidate(world, f"Person{n}", skills=skills(("python", 3)), **place("MA", "RAB"))
    few = queries_for_a_page()
    for n in range(3, 20):
        candidate(world, f"Person{n}", skills=skills(("python", 3), ("sales", 2)), **place("SN", "DKR"))
    assert queries_for_a_page() == few


# Orders and keyset pages --------------------------------------------------------------------

def walk(world, criteria: Criteria, page_size: int) -> list[int]:
    """Every id, page after page by cursor."""
    seen, cursor = [], None
    for _ in range(100):
        hits, cursor, _total = search_profiles(world["recruiter"], criteria, after=cursor, limit=page_size,
                                               with_total=False)
        seen += [hit.id for hit in hits]
        if cursor is None:
            return seen
    raise AssertionError("the pages never ended")


@pytest.fixture
def crowd(world):
    """Thirteen people with many ties on score, experience and name."""
    people = []
    for n in range(13):
        fields = {"years_experience": (None, 3, 3, 7)[n % 4], "headline": "Actor" if n % 3 else None,
                  "bio": "Comédien de théâtre." * (1 + n % 2)}
        people.append(candidate(world, "Same" if n % 2 else f"Name{n:02d}", "Person", **fields))
    return people


@pytest.mark.parametrize("order", ["newest", "oldest", "name", "score", "experience", "relevance"])
def test_every_order_pages_through_everyone_once_whatever_the_page_size(world, crowd, order):
    criteria = Criteria(q="person" if order == "relevance" else "", sort=order)
    everyone, _cursor, total = search_profiles(world["recruiter"], criteria, limit=100)
    assert total == len(crowd) == len(everyone)
    expected = [hit.id for hit in everyone]
    for page_size in (1, 4, 5, 13):
        assert walk(world, criteria, page_size) == expected


def test_orders_sort_as_they_say(world, crowd):
    def profiles(order):
        hits, _c, _t = search_profiles(world["recruiter"], Criteria(sort=order), limit=100)
        return [hit.profile for hit in hits]

    newest = profiles("newest")
    assert [p.created_at for p in newest] == sorted((p.created_at for p in newest), reverse=True)
    assert [p.sort_name for p in profiles("name")] == sorted(p.sort_name for p in crowd)
    scores = [p.profile_score for p in profiles("score")]
    assert scores == sorted(scores, reverse=True)
    experience = [p.years_experience if p.years_experience is not None else -1 for p in profiles("experience")]
    assert experience == sorted(experience, reverse=True)  # unknown experience last


def test_relevance_puts_the_closer_match_first(world):
    close = candidate(world, "Youssef", "Cinema", headline="Cinéma")
    far = candidate(world, "Karim", bio="Du cinéma un peu, beaucoup de théâtre, de danse, de chant et de mime, "
                                        "avec des tournées, des stages et des ateliers pour enfants et adultes.")
    hits, _cursor, _total = search_profiles(world["recruiter"], Criteria(q="cinema"))
    assert [hit.id for hit in hits] == [close.id, far.id]
    assert hits[0].rank <= hits[1].rank


def test_new_rows_between_pages_neither_repeat_nor_skip_what_was_there(world, crowd):
    first, cursor, _total = search_profiles(world["recruiter"], Criteria(sort="name"), limit=5)
    candidate(world, "Aaron", "Aaa")  # sorts before every row already shown
    rest = walk_from(world, Criteria(sort="name"), cursor)
    shown = [hit.id for hit in first] + rest
    assert len(shown) == len(set(shown)) == len(crowd)


def walk_from(world, criteria, cursor) -> list[int]:
    seen = []
    while cursor:
        hits, cursor, _total = search_profiles(world["recruiter"], criteria, after=cursor, limit=4, with_total=False)
        seen += [hit.id for hit in hits]
    return seen


def test_a_tampered_cursor_or_one_from_another_order_is_a_clear_error(world, crowd):
    _hits, cursor, _total = search_profiles(world["recruiter"], Criteria(sort="name"), limit=2)
    for bad in (cursor[:-3] + "abc", "nonsense", cursor + "x"):
        with pytest.raises(ValidationFailed) as error:
            search_profiles(world["recruiter"], Criteria(sort="name"), after=bad)
        assert "after" in error.value.fields
    with pytest.raises(ValidationFailed) as error:
        search_profiles(world["recruiter"], Criteria(sort="score"), after=cursor)
    assert "after" in error.value.fields


def test_offset_pages_match_cursor_pages(world, crowd):
    criteria = Criteria(sort="name")
    second, _cursor, _total = search_profiles(world["recruiter"], criteria, limit=4, offset=4)
    assert [hit.id for hit in second] == walk(world, criteria, 4)[4:8]


# The count ------------------------------------------------------------------------------------

def test_the_count_follows_the_filters_and_is_capped(world, monkeypatch):
    for n in range(6):
        candidate(world, f"P{n}", gender="F" if n % 2 else "M", bio="Actrice." if n < 4 else "Chef.")
    assert search_profiles(world["recruiter"], Criteria(gender=("F",)))[2] == 3
    assert search_profiles(world["recruiter"], Criteria(q="actrice"))[2] == 4
    assert search_profiles(world["recruiter"], Criteria(q="actrice", sort="newest"))[2] == 4
    monkeypatch.setattr(search, "COUNT_CAP", 2)
    assert search_profiles(world["recruiter"], Criteria())[2] == 3  # "more than 2"
    assert search_profiles(world["recruiter"], Criteria(q="actrice"))[2] == 3
    assert search_profiles(world["recruiter"], Criteria(), with_total=False)[2] is None


# Bad input ------------------------------------------------------------------------------------

@pytest.mark.parametrize("criteria, field", [
    (Criteria(age_min=40, age_max=30), "age_max"),
    (Criteria(age_min=5), "age_min"),
    (Criteria(experience_min=9, experience_max=2), "experience_max"),
    (Criteria(gender=("X",)), "gender"),
    (Criteria(availability=("sometimes",)), "availability"),
    (Criteria(work_mode=("moon",)), "work_mode"),
    (Criteria(language=("klingon",)), "language"),
    (Criteria(kind="robots"), "kind"),
    (Criteria(sort="shoe_size"), "sort"),
    (Criteria(skill_level=9), "skill_level"),
    (Criteria(skill=(999_999,)), "skill"),
    (Criteria(country=999_999), "country"),
    (Criteria(city=999_999), "city"),
    (Criteria(q="x" * 201), "q"),
])
def test_criteria_that_cannot_mean_anything_are_refused_by_field(world, criteria, field):
    with pytest.raises(ValidationFailed) as error:
        search_profiles(world["recruiter"], criteria)
    assert field in error.value.fields


def test_a_city_outside_the_chosen_country_is_refused(world):
    with pytest.raises(ValidationFailed) as error:
        search_profiles(world["recruiter"], Criteria(country=f.country("SN").id, city=f.city("MA", "RAB").id))
    assert "city" in error.value.fields


# The schema: migrated or created, the same ------------------------------------------------------

def test_a_migrated_database_keeps_the_index_in_step_like_a_created_one(tmp_path):
    """`flask db upgrade` on a fresh SQLite file: the FTS table and its triggers exist and follow
    writes (db.create_all() gives the tests the same objects through the same DDL)."""
    from flask_migrate import upgrade

    from webapp import create_app
    from webapp.config import TestConfig, engine_options

    url = f"sqlite:///{tmp_path / 'migrated.db'}"
    app = create_app(TestConfig, overrides={"SQLALCHEMY_DATABASE_URI": url,
                                            "SQLALCHEMY_ENGINE_OPTIONS": engine_options(url)},
                     instance_path=str(tmp_path))
    with app.app_context():
        upgrade(directory=str(_migrations()))
        objects = {row[0] for row in db.session.execute(text(
            "SELECT name FROM sqlite_master WHERE name LIKE 'profiles_fts%' OR name LIKE '%search_version%'"))}
        assert {"profiles_fts", "profiles_fts_insert", "profiles_fts_update", "profiles_fts_delete",
                "profiles_search_version_update"} <= objects
        f.load_reference()
        recruiter = f.make_user(role="recruiter")
        profile = f.make_candidate(recruiter, "Zineb", "Berrada")
        hits, _c, _t = search_profiles(recruiter, Criteria(q="zin"))
        assert [hit.id for hit in hits] == [profile.id]
        directory.delete_candidate(recruiter, profile)
        assert search_profiles(recruiter, Criteria(q="zin"))[0] == []
        db.session.remove()
        db.engine.dispose()


def _migrations():
    from pathlib import Path

    return Path(__file__).resolve().parents[2] / "migrations"
