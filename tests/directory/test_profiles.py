"""Profiles as the service keeps them: one per talent, codes in the seed's format, the
completeness score, the fields' checks, and who may see or change what."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlalchemy import func, select

from tests import factories as f
from webapp.core.errors import Forbidden, NotFound, ValidationFailed
from webapp.directory import services as directory
from webapp.directory.models import CodeSequence, Profile
from webapp.extensions import db


@pytest.fixture
def reference(ctx):
    f.load_reference()


def moroccan_identity(gender="M", city="RAB"):
    return {"gender": gender, "nationality_id": f.country("MA").id, "residence_city_id": f.city("MA", city).id}


# One person, one profile ------------------------------------------------------------------

def test_a_talent_account_comes_with_its_profile(ctx):
    user = f.make_user(role="talent", full_name="Amina El Idrissi")
    profile = directory.profile_of_user(user)
    assert profile is not None
    assert (profile.first_name, profile.last_name) == ("Amina", "El Idrissi")
    assert profile.email == user.email
    assert profile.source == "registration"
    assert profile.directory_consent_at is not None


def test_staff_accounts_have_no_profile(ctx):
    for role in ("recruiter", "consultant", "admin"):
        assert directory.profile_of_user(f.make_user(role=role)) is None


def test_changing_the_name_on_the_account_changes_the_profile_and_back(ctx):
    from webapp.accounts import services as accounts

    user = f.make_user(full_name="Amina Tazi")
    accounts.update_profile(user, {"full_name": "Amina Benjelloun", "phone": "+212 612 345 678"})
    profile = directory.profile_of_user(user)
    assert (profile.first_name, profile.last_name, profile.phone) == ("Amina", "Benjelloun", "+212 612 345 678")
    directory.update_profile(user, profile, {"last_name": "Tazi-Benjelloun", "bio": "Actrice."})
    assert user.full_name == "Amina Tazi-Benjelloun"
    assert user.bio == "Actrice."


# Codes ---------------------------------------------------------------------------------------

def test_the_code_has_the_seed_format_once_nationality_gender_and_city_are_known(reference):
    user = f.make_user()
    profile = directory.profile_of_user(user)
    assert profile.code is None  # nothing to build it from yet
    directory.update_profile(user, profile, moroccan_identity())
    assert profile.code == "MAM0001RAB"


def test_codes_count_within_country_gender_and_city(reference):
    recruiter = f.make_user(role="recruiter")
    first = f.make_candidate(recruiter, **moroccan_identity("F", "CAS"))
    second = f.make_candidate(recruiter, **moroccan_identity("F", "CAS"))
    other_city = f.make_candidate(recruiter, **moroccan_identity("F", "RAB"))
    man = f.make_candidate(recruiter, **moroccan_identity("M", "CAS"))
    assert [first.code, second.code, other_city.code, man.code] == [
        "MAF0001CAS", "MAF0002CAS", "MAF0001RAB", "MAM0001CAS"]


def test_a_code_never_changes_and_is_never_reused(reference):
    recruiter = f.make_user(role="recruiter")
    first = f.make_candidate(recruiter, **moroccan_identity())
    directory.update_profile(recruiter, first, {"residence_city_id": f.city("MA", "CAS").id})
    assert first.code == "MAM0001RAB"  # moving to Casablanca keeps the code
    directory.delete_candidate(recruiter, first)
    again = f.make_candidate(recruiter, **moroccan_identity())
    assert again.code == "MAM0002RAB"


def test_the_number_widens_past_9999_instead_of_wrapping(reference):
    db.session.add(CodeSequence(scope="profile:MA:M:RAB", last_value=9999))
    db.session.commit()
    recruiter = f.make_user(role="recruiter")
    assert f.make_candidate(recruiter, **moroccan_identity()).code == "MAM10000RAB"


def test_fifty_profiles_created_at_once_get_fifty_different_codes(app, reference):
    with app.app_context():
        recruiter_id = f.make_user(role="recruiter").id
        identity = moroccan_identity()
    errors, barrier = [], threading.Barrier(10)

    def create_five():
        try:
            barrier.wait()
            for _ in range(5):
                with app.app_context():
                    recruiter = db.session.get(f.User, recruiter_id)
                    f.make_candidate(recruiter, **identity)
                    db.session.remove()
        except Exception as exc:  # reported below, with the thread's error
            errors.append(exc)

    threads = [threading.Thread(target=create_five) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with app.app_context():
        codes = list(db.session.scalars(select(Profile.code).where(Profile.code.is_not(None))))
    assert len(codes) == 50
    assert sorted(codes) == [f"MAM{n:04d}RAB" for n in range(1, 51)]


# Fields ------------------------------------------------------------------------------------------

def test_bad_values_are_all_reported_at_once_and_nothing_changes(reference):
    user = f.make_user(full_name="Omar Kabbaj")
    profile = directory.profile_of_user(user)
    with pytest.raises(ValidationFailed) as caught:
        directory.update_profile(user, profile, {
            "first_name": " ", "gender": "X", "birth_date": "2090-01-01", "years_experience": "many",
            "website": "not a site", "phone": "call me", "rate_min": 500, "rate_max": 100,
        })
    fields = caught.value.fields
    assert set(fields) == {"first_name", "gender", "birth_date", "years_experience", "website", "phone", "rate_max"}
    db.session.refresh(profile)
    assert profile.first_name == "Omar"


def test_a_city_must_lie_in_the_chosen_country(reference):
    user = f.make_user()
    profile = directory.profile_of_user(user)
    with pytest.raises(ValidationFailed) as caught:
        directory.update_profile(user, profile, {"residence_country_id": f.country("SN").id,
                                                 "residence_city_id": f.city("MA", "RAB").id})
    assert "residence_city_id" in caught.value.fields


def test_choosing_a_city_fills_in_its_country(reference):
    user = f.make_user()
    profile = directory.profile_of_user(user)
    directory.update_profile(user, profile, {"residence_city_id": f.city("SN", "DKR").id})
    assert profile.residence_country.iso_code == "SN"


def test_age_follows_the_birth_date(reference):
    user = f.make_user()
    profile = directory.profile_of_user(user)
    today = date.today()
    directory.update_profile(user, profile, {"birth_date": date(today.year - 30, 1, 1).isoformat()})
    assert profile.age == 30 if (today.month, today.day) >= (1, 1) else 29


def test_skills_and_languages_are_checked_against_the_lists(reference):
    user = f.make_user()
    profile = directory.profile_of_user(user)
    python = f.skill("python")
    directory.update_profile(user, profile, {"skills": [{"skill_id": python.id, "level": 5}],
                                             "languages": [{"code": "fr", "level": "native"}, "ar:fluent"]})
    assert [(s.skill.slug, s.level) for s in profile.skills] == [("python", 5)]
    assert [(lang.code, lang.level) for lang in profile.languages] == [("fr", "native"), ("ar", "fluent")]
    with pytest.raises(ValidationFailed):
        directory.update_profile(user, profile, {"skills": [{"skill_id": 999999, "level": 3}]})
    with pytest.raises(ValidationFailed):
        directory.update_profile(user, profile, {"skills": [{"skill_id": python.id, "level": 9}]})
    with pytest.raises(ValidationFailed):
        directory.update_profile(user, profile, {"languages": ["klingon:fluent"]})


def test_search_text_is_folded_and_covers_names_code_and_skills(reference):
    user = f.make_user(full_name="Hélène Œuvray")
    profile = directory.profile_of_user(user)
    directory.update_profile(user, profile, {**moroccan_identity("F"), "headline": "Développeuse",
                                             "skills": [{"skill_id": f.skill("machine-learning").id, "level": 4}]})
    assert "helene oeuvray" in profile.search_text
    assert "developpeuse" in profile.search_text
    assert "apprentissage automatique" in profile.search_text
    assert profile.code.lower() in profile.search_text


# Completeness ------------------------------------------------------------------------------------

def test_the_score_grows_as_the_profile_fills_and_says_what_to_add_next(reference):
    user = f.make_user()
    profile = directory.profile_of_user(user)
    empty = directory.completeness(profile)
    assert empty.score == 0
    assert [step.key for step in empty.next_steps] == ["photo", "skills", "headline"]
    skills = [{"skill_id": f.skill(slug).id, "level": 3} for slug in ("python", "javascript", "devops")]
    directory.update_profile(user, profile, {"headline": "Full-stack developer", "skills": skills})
    assert profile.profile_score == 25
    assert "skills" not in [step.key for step in directory.completeness(profile).missing]


# Who may do what -------------------------------------------------------------------------------

def test_a_talent_sees_and_edits_only_their_own_profile(reference):
    owner, other = f.make_user(), f.make_user()
    profile = directory.profile_of_user(owner)
    assert directory.get_profile(profile.id, owner) is profile
    with pytest.raises(Forbidden):
        directory.get_profile(profile.id, other)
    with pytest.raises(Forbidden):
        directory.update_profile(other, profile, {"bio": "hacked"})


def test_recruiters_see_talents_but_edit_only_candidates(reference):
    recruiter = f.make_user(role="recruiter")
    talent = directory.profile_of_user(f.make_user())
    assert directory.get_profile(talent.id, recruiter) is talent
    with pytest.raises(Forbidden):
        directory.update_profile(recruiter, talent, {"bio": "changed by a recruiter"})
    candidate = f.make_candidate(recruiter)
    directory.update_profile(recruiter, candidate, {"bio": "Met at the Casablanca fair."})
    assert candidate.bio == "Met at the Casablanca fair."


def test_only_staff_add_candidates_and_only_candidates_are_deleted_by_them(reference):
    talent_user = f.make_user()
    with pytest.raises(Forbidden):
        f.make_candidate(talent_user)
    with pytest.raises(Forbidden):
        f.make_candidate(f.make_user(role="consultant"))
    admin = f.make_user(role="admin")
    with pytest.raises(Forbidden):
        directory.delete_candidate(admin, directory.profile_of_user(talent_user))


def test_an_unknown_profile_is_not_found(ctx):
    with pytest.raises(NotFound):
        directory.get_profile(424242, f.make_user(role="admin"))


def test_deleting_the_account_deletes_the_profile(reference):
    from webapp.accounts import services as accounts

    user = f.make_user()
    accounts.delete_account(user, f.DEFAULT_PASSWORD)
    assert db.session.scalar(select(func.count(Profile.id))) == 0
