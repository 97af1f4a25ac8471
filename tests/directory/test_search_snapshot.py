"""The directory's in-memory snapshot answers exactly what the SQL search answers: the same
profiles in the same order, the same sort keys (so the same cursors) and the same count, on
generated data, and still after writes (changed, added, deleted profiles), which the very
next search sees."""

from __future__ import annotations

import random
from datetime import date

import pytest
from sqlalchemy import select

from tests import factories as f
from webapp.directory import search_snapshot
from webapp.directory import services as directory
from webapp.directory.models import GENDERS, Profile
from webapp.directory.search import Criteria, search_page, search_profiles
from webapp.extensions import db
from webapp.taxonomy.models import City, Country, Skill


@pytest.fixture
def world(ctx, app):
    from webapp.demo.cli import load_reference_data
    from webapp.demo.profiles import generate

    load_reference_data()
    generate(400, rich=150)
    texts = [text for text in db.session.scalars(select(Profile.search_text)) if text]
    words = sorted({word for text in texts for word in search_snapshot.tokens(text) if len(word) >= 2})
    return {"recruiter": f.make_user(role="recruiter"), "admin": f.make_user(role="admin"), "words": words,
            "countries": list(db.session.scalars(select(Country.id))), "cities": list(db.session.scalars(select(City.id))),
            "skills": list(db.session.scalars(select(Skill.id)))}


@pytest.fixture
def sqlite_world(world):
    """The snapshot answers on SQLite only (PostgreSQL searches always ask the database)."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the directory snapshot serves SQLite only")
    return world


def _criteria(world, rng: random.Random) -> Criteria:
    words = [rng.choice(world["words"]) for _n in range(rng.choice((1, 1, 1, 2)))]
    words = [word[:rng.randint(2, len(word))] for word in words]
    fields = {}
    for name, make in (("country", lambda: rng.choice(world["countries"])), ("city", lambda: rng.choice(world["cities"])),
                       ("gender", lambda: (rng.choice(GENDERS),)), ("availability", lambda: ("full_time", "freelance")),
                       ("work_mode", lambda: ("remote",)), ("age_min", lambda: rng.randint(18, 30)),
                       ("age_max", lambda: rng.randint(31, 70)), ("experience_min", lambda: rng.randint(0, 5)),
                       ("language", lambda: (rng.choice(("fr", "en", "ar")),)), ("skill", lambda: (rng.choice(world["skills"]),)),
                       ("has_photo", lambda: True), ("kind", lambda: rng.choice(("all", "talents", "candidates")))):
        if rng.random() < 0.2:
            fields[name] = make()
    if "city" in fields and "country" in fields:
        del fields["country"]  # a city of another country is refused anyway
    return Criteria(q=" ".join(words), **fields)


def _both(app, viewer, criteria, **kwargs):
    app.config["DIRECTORY_SNAPSHOT"] = False
    sql = search_page(viewer, criteria, **kwargs)
    app.config["DIRECTORY_SNAPSHOT"] = True
    memory = search_page(viewer, criteria, **kwargs)
    return sql, memory


def _same_everywhere(app, world, seed: int, searches: int = 60) -> int:
    rng = random.Random(seed)
    compared = 0
    for _n in range(searches):
        criteria = _criteria(world, rng)
        after = None
        for _page in range(3):
            sql, memory = _both(app, world["recruiter"], criteria, after=after, limit=7)
            assert (memory.rows, memory.total, memory.next_cursor) == (sql.rows, sql.total, sql.next_cursor), criteria
            compared += len(sql.rows)
            after = sql.next_cursor
            if after is None:
                break
        sql, memory = _both(app, world["recruiter"], criteria, limit=5, offset=5)
        assert memory.rows == sql.rows
    return compared


def test_the_snapshot_answers_what_the_sql_answers(app, sqlite_world):
    world = sqlite_world
    assert search_snapshot.keeper().answer(Criteria(q="ab"), ["ab"]) is not None  # built and used
    assert _same_everywhere(app, world, seed=1) > 100
    admin_view = Criteria(q=world["words"][0][:2], include_inactive=True)
    sql, memory = _both(app, world["admin"], admin_view)
    assert memory.rows == sql.rows and memory.total == sql.total


def test_after_writes_the_next_search_sees_them_and_still_agrees(app, sqlite_world):
    world = sqlite_world
    recruiter = world["recruiter"]
    _same_everywhere(app, world, seed=2, searches=5)
    snapshot = search_snapshot.keeper().snapshot
    assert snapshot is not None
    someone = db.session.scalars(select(Profile).where(Profile.user_id.is_(None)).limit(3)).all()
    directory.update_profile(recruiter, someone[0], {"headline": "Zygomatic xylophonist"})
    added = f.make_candidate(recruiter, "Quentin", "Zygmunt", gender="M")
    directory.delete_candidate(recruiter, someone[1])
    someone[2].is_active = False
    db.session.commit()
    found = search_profiles(recruiter, Criteria(q="zyg"))[0]
    assert {hit.id for hit in found} == {someone[0].id, added.id}
    assert search_snapshot.keeper().snapshot is snapshot  # brought up to date, not built again
    assert len(snapshot.overlay) >= 2
    _same_everywhere(app, world, seed=3, searches=30)


def test_a_search_inside_a_transaction_that_wrote_asks_the_database(app, world):
    recruiter = world["recruiter"]
    profile = db.session.scalars(select(Profile).where(Profile.user_id.is_(None), Profile.is_active.is_(True))
                                 .order_by(Profile.id).limit(1)).first()
    profile.first_name = "Wolfgang"
    profile.search_text = profile.search_text + " wolfgangus"
    db.session.flush()
    assert search_snapshot.answer(Criteria(q="wolfgangus"), None, 20, 0) is None
    assert [hit.id for hit in search_profiles(recruiter, Criteria(q="wolfgangus"))[0]] == [profile.id]
    db.session.rollback()
    assert search_profiles(recruiter, Criteria(q="wolfgangus"))[0] == []


def test_ages_are_counted_on_the_day(world):
    assert search_snapshot._ordinal("1990-05-17") == date(1990, 5, 17).toordinal()


def test_a_directory_of_profiles_without_words_builds_and_answers(ctx, app):
    """A new site (or one whose profiles hold no searchable word yet) still gets its snapshot."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the directory snapshot serves SQLite only")
    recruiter = f.make_user(role="recruiter")
    db.session.execute(Profile.__table__.update().values(search_text=""))
    db.session.commit()
    built = search_snapshot.build()
    assert isinstance(built, search_snapshot.Snapshot) and built.postings == {}
    assert search_page(recruiter, Criteria(q="anyone")).rows == []
