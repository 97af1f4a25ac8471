"""The index follows the database: every change written (profile, skills, languages, cinema
details, deletion) is in the next search, in this process and in another one."""

from __future__ import annotations

import pytest
from sqlalchemy import func, insert, select, update

from tests import factories as f
from webapp import config, create_app
from webapp.accounts.models import User
from webapp.ai import services
from webapp.ai.feed import mark_rebuild
from webapp.ai.index import WarmingUp, index_of
from webapp.ai.models import SearchChange
from webapp.casting import services as casting
from webapp.core.db import utcnow
from webapp.directory import services as directory
from webapp.directory.models import Profile
from webapp.extensions import db


def staff(user) -> User:
    return db.session.get(User, user.id)


def cast_ids(recruiter, text: str, **filters) -> list[int]:
    return [hit.profile.id for hit in services.cast(staff(recruiter), {"role_description": text, **filters}).hits]


def match_ids(recruiter, text: str, **filters) -> list[int]:
    return [hit.profile.id for hit in services.match(staff(recruiter), {"job_description": text, **filters}).hits]


def test_every_profile_write_adds_a_feed_row_in_the_same_transaction(recruiter):
    before = db.session.scalar(select(func.count(SearchChange.id)))
    profile = f.make_candidate(recruiter, "Nora", "Feed")
    rows = db.session.scalars(select(SearchChange.profile_id).where(SearchChange.id > before)).all()
    assert profile.id in rows
    # A change rolled back leaves no row behind.
    count = db.session.scalar(select(func.count(SearchChange.id)))
    profile.headline = "Changed"
    db.session.flush()
    db.session.rollback()
    assert db.session.scalar(select(func.count(SearchChange.id))) == count


def test_a_profile_changed_is_found_by_its_new_words_and_not_by_its_old_ones(recruiter, cast_list):
    assert cast_ids(recruiter, "cavalière") == [cast_list["fits"]]
    profile = db.session.get(Profile, cast_list["older"])
    directory.update_profile(staff(recruiter), profile, {"bio": "Escrimeuse et cascadeuse."})
    assert cast_ids(recruiter, "escrimeuse") == [cast_list["older"]]
    directory.update_profile(staff(recruiter), profile, {"bio": "Chanteuse."})
    assert cast_ids(recruiter, "escrimeuse") == []


def test_a_deleted_profile_never_comes_back(recruiter, cast_list):
    assert cast_list["fits"] in cast_ids(recruiter, "actrice")
    directory.delete_candidate(staff(recruiter), db.session.get(Profile, cast_list["fits"]))
    assert cast_list["fits"] not in cast_ids(recruiter, "actrice")
    # Later changes to other rows, a rebuild marker and a full rebuild keep it out.
    f.make_candidate(recruiter, "Other", "Person")
    mark_rebuild(db.session)
    db.session.commit()
    assert cast_list["fits"] not in cast_ids(recruiter, "actrice")


def test_an_account_deleted_takes_its_profile_out_of_the_index(recruiter, ctx):
    from webapp.accounts import services as accounts

    talent = f.make_user(full_name="Salma Talent")
    f.talent_profile(talent, headline="Danseuse orientale", gender="F")
    assert match_ids(recruiter, "danseuse orientale")
    accounts.delete_account(db.session.get(User, talent.id), f.DEFAULT_PASSWORD)
    assert match_ids(recruiter, "danseuse orientale") == []


def test_skills_and_languages_changes_count_at_the_next_search(recruiter, cast_list):
    developer = db.session.get(Profile, cast_list["developer"])
    assert developer.id not in match_ids(recruiter, "Comptabilité")
    directory.update_profile(staff(recruiter), developer,
                             {"skills": [{"skill_id": f.skill("accounting").id, "level": 4}]})
    hits = services.match(staff(recruiter), {"job_description": "Comptabilité"}).hits
    assert hits[0].profile.id == developer.id
    assert [(s.name, s.level) for s in hits[0].match.matched_skills] == [("Accounting", 4)]
    directory.update_profile(staff(recruiter), developer, {"languages": ["es:fluent"]})
    assert match_ids(recruiter, "Comptable parlant espagnol") == [developer.id]


def test_cinema_details_changes_count_at_the_next_search(recruiter, cast_list):
    older = db.session.get(Profile, cast_list["older"])
    assert older.id not in cast_ids(recruiter, "actrice", height_min=180)
    casting.update_cinema(staff(recruiter), older, {"height_cm": 182, "talent_types": ["model"]})
    assert cast_ids(recruiter, "actrice", height_min=180) == [older.id]
    assert cast_ids(recruiter, "mannequin", talent_type="model") == [older.id]


def test_deactivating_a_profile_hides_it_and_reactivating_shows_it(recruiter, cast_list):
    admin = f.make_user(role="admin")
    profile = db.session.get(Profile, cast_list["man"])
    directory.set_active(admin, profile, False)
    assert profile.id not in cast_ids(recruiter, "acteur")
    directory.set_active(admin, profile, True)
    assert profile.id in cast_ids(recruiter, "acteur")


def test_a_taxonomy_change_rebuilds_the_index_with_the_new_words(recruiter, cast_list):
    index = index_of()
    cast_ids(recruiter, "actrice")
    before = index.rebuilds
    skill = f.skill("lead-actor")
    skill.synonyms = skill.synonyms + "\nhéroïne"
    db.session.commit()
    hits = services.cast(staff(recruiter), {"role_description": "héroïne"}).hits
    assert index.rebuilds == before + 1
    assert {h.profile.id for h in hits} >= {cast_list["fits"], cast_list["older"]}


def test_bulk_statements_on_profile_tables_ask_for_a_rebuild(recruiter, cast_list):
    cast_ids(recruiter, "actrice")
    db.session.execute(update(Profile).where(Profile.id == cast_list["older"]).values(headline="Trapéziste"))
    db.session.commit()
    assert cast_ids(recruiter, "trapéziste") == [cast_list["older"]]


def test_a_feed_id_committed_late_is_still_applied(recruiter, cast_list):
    """PostgreSQL hands out ids before commit: a row may appear below the watermark later.
    Simulated with explicit ids past the sequence, written on the connection (no ORM events)."""
    cast_ids(recruiter, "actrice")
    index = index_of()
    table = SearchChange.__table__
    late = db.session.scalar(select(func.max(SearchChange.id))) + 1000
    connection = db.session.connection()
    connection.execute(insert(table).values(id=late + 1, profile_id=cast_list["man"], changed_at=utcnow()))
    db.session.commit()
    index.sync()
    assert late in index._gaps  # seen missing below the newest row
    connection = db.session.connection()
    connection.execute(update(Profile.__table__).where(Profile.__table__.c.id == cast_list["older"])
                       .values(bio="Jongleuse."))
    connection.execute(insert(table).values(id=late, profile_id=cast_list["older"], changed_at=utcnow()))
    db.session.commit()
    assert cast_ids(recruiter, "jongleuse") == [cast_list["older"]]
    assert late not in index._gaps


@pytest.fixture
def other_app(app, instance_dir):
    """A second app on the same database: another process, with its own index."""
    second = create_app(config.TestConfig, instance_path=str(instance_dir))
    yield second
    with second.app_context():
        db.session.remove()


def test_a_change_written_through_one_instance_is_seen_by_the_other(app, other_app, recruiter, cast_list):
    def search_in(application, text):
        with application.test_request_context():
            return [h.profile.id for h in services.cast(staff(recruiter), {"role_description": text}).hits]

    assert search_in(other_app, "funambule") == []
    assert index_of(other_app) is not index_of(app)
    with app.test_request_context():
        directory.update_profile(staff(recruiter), db.session.get(Profile, cast_list["man"]),
                                 {"bio": "Funambule et acrobate."})
    assert search_in(other_app, "funambule") == [cast_list["man"]]
    with app.test_request_context():
        directory.delete_candidate(staff(recruiter), db.session.get(Profile, cast_list["man"]))
    assert search_in(other_app, "funambule") == []


def test_a_background_build_answers_warming_up_until_it_is_ready(app, other_app, recruiter, cast_list):
    other_app.config["AI_INDEX_BUILD"] = "background"
    index = index_of(other_app)
    with other_app.test_request_context():
        with pytest.raises(WarmingUp):
            services.cast(staff(recruiter), {"role_description": "actrice"})
        index._thread.join(timeout=30)
        assert index.state == "ready"
        assert services.cast(staff(recruiter), {"role_description": "actrice"}).hits


def test_old_feed_rows_are_pruned_and_an_idle_process_rebuilds_instead_of_missing_changes(recruiter, cast_list):
    from datetime import timedelta

    from webapp.ai.index import prune_feed
    from webapp.core.db import utcnow

    index = index_of()
    cast_ids(recruiter, "actrice")
    db.session.execute(update(SearchChange).values(changed_at=utcnow() - timedelta(days=30)))
    db.session.commit()
    newest = db.session.scalar(select(func.max(SearchChange.id)))
    assert prune_feed() > 0
    assert db.session.scalars(select(SearchChange.id)).all() == [newest]
    before = index.rebuilds
    profile = db.session.get(Profile, cast_list["older"])
    directory.update_profile(staff(recruiter), profile, {"bio": "Ventriloque."})
    assert cast_ids(recruiter, "ventriloque") == [cast_list["older"]]
    assert index.rebuilds == before  # its watermark row (the newest) was kept: no rebuild needed
