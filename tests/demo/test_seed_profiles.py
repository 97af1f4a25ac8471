"""The demo generator: believable people (names of their country, its cities and languages,
skills of their line of work), codes in the seed's format, unique and continuing from run to
run, accounts nobody can sign in to, photos and CVs that are real files, and a search index
that knows them."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from sqlalchemy import func, select

from tests import factories as f
from webapp.accounts.models import User
from webapp.demo import people
from webapp.demo.profiles import generate
from webapp.directory import services as directory
from webapp.directory.models import CodeSequence, Profile, ProfileLanguage, ProfileSkill
from webapp.directory.search import Criteria, search_profiles
from webapp.extensions import db
from webapp.files import services as files
from webapp.files import sniff
from webapp.taxonomy.models import City, Country

CODE = re.compile(r"^(?P<country>[A-Z]{2})(?P<gender>[MFN])(?P<number>\d{4,})(?P<city>[A-Z]{3})$")


@pytest.fixture
def generated(ctx):
    f.load_reference()
    f.make_user(role="recruiter")
    report = generate(120, rich=6, batch_size=50)
    return report


def test_it_makes_the_number_asked_for_talents_and_candidates_alike(generated):
    assert generated.profiles == 120 == db.session.scalar(select(func.count(Profile.id)))
    assert generated.talents + generated.candidates == 120
    assert generated.candidates > 0 and generated.talents > generated.candidates
    talents = db.session.scalar(select(func.count(Profile.id)).where(Profile.user_id.is_not(None)))
    assert talents == generated.talents
    assert db.session.scalar(select(func.count(User.id)).where(User.role == "talent")) == generated.talents


def test_codes_are_unique_well_formed_and_match_the_person(generated):
    rows = db.session.execute(select(Profile.code, Profile.gender, Profile.nationality_id, Profile.residence_city_id))
    codes = []
    for code, gender, nationality_id, city_id in rows:
        match = CODE.match(code)
        assert match, code
        city = db.session.get(City, city_id)
        nationality = db.session.get(Country, nationality_id)
        assert (match["gender"], match["city"], match["country"]) == (gender, city.code, nationality.iso_code)
        codes.append(code)
    assert len(codes) == len(set(codes))


def test_a_second_run_adds_more_and_codes_continue(generated):
    before = {scope: value for scope, value in db.session.execute(select(CodeSequence.scope, CodeSequence.last_value))}
    generate(40, rich=0, batch_size=40)
    assert db.session.scalar(select(func.count(Profile.id))) == 160
    codes = list(db.session.scalars(select(Profile.code)))
    assert len(codes) == len(set(codes))
    after = {scope: value for scope, value in db.session.execute(select(CodeSequence.scope, CodeSequence.last_value))}
    for scope, value in before.items():
        assert after[scope] >= value
    # each scope's numbers run 1..N without a gap or a repeat
    numbers = Counter()
    for code in codes:
        match = CODE.match(code)
        numbers[(match["country"], match["gender"], match["city"])] += 1
    for (country, gender, city), count in numbers.items():
        assert after[f"profile:{country}:{gender}:{city}"] == count


def test_names_cities_and_languages_fit_the_country(generated):
    for profile in db.session.scalars(select(Profile)):
        iso = profile.nationality.iso_code
        _share, males, females, lasts = people.NAMES[iso]
        assert profile.first_name in males + females, (iso, profile.first_name)
        assert profile.last_name in lasts
        assert profile.residence_city.country.iso_code == iso
        spoken = {code for code, _chance, _levels in people.LANGUAGES_BY_COUNTRY[iso]}
        assert {language.code for language in profile.languages} <= spoken
        assert profile.languages, "everyone speaks something"


def test_skills_come_from_the_line_of_work_with_levels_one_to_five(generated):
    levels = list(db.session.scalars(select(ProfileSkill.level)))
    assert levels and all(1 <= level <= 5 for level in levels)
    assert db.session.scalar(select(func.count(ProfileLanguage.profile_id))) >= 120
    for profile in db.session.scalars(select(Profile).limit(30)):
        assert profile.skills
        assert profile.profile_score == directory.completeness(profile).score


def test_texts_and_ages_are_believable(generated):
    profiles = list(db.session.scalars(select(Profile)))
    assert all(18 <= p.age <= 63 for p in profiles)
    assert all(p.years_experience is None or p.years_experience <= p.age - 18 for p in profiles)
    bios = [p.bio for p in profiles if p.bio]
    assert len(bios) > 60
    assert any("expérience" in bio for bio in bios) and any("experience" in bio for bio in bios)
    assert all(p.email is None or p.email.endswith((".com", ".org", ".net", ".example")) for p in profiles)


def test_the_first_profiles_get_a_photo_and_some_a_cv_as_real_files(generated):
    with_photo = list(db.session.scalars(select(Profile).where(Profile.photo_file_id.is_not(None))))
    assert 0 < len(with_photo) <= 6 and generated.photos == len(with_photo)
    for profile in with_photo:
        assert sniff.sniff(files.path_of(profile.photo).read_bytes()) == "image/webp"
        assert profile.thumb is not None and files.path_of(profile.thumb).exists()
    for profile in db.session.scalars(select(Profile).where(Profile.cv_file_id.is_not(None))):
        assert sniff.sniff(files.path_of(profile.cv).read_bytes()) == sniff.PDF


def test_generated_talents_cannot_sign_in(generated, client):
    email = db.session.scalar(select(User.email).where(User.role == "talent").limit(1))
    from webapp.accounts import services as accounts

    user = accounts.get_by_email(email)
    assert not user.check_password("") and not user.check_password("!demo-profile-without-password")


def test_the_search_finds_generated_people_by_name_and_skill(generated):
    recruiter = db.session.scalar(select(User).where(User.role == "recruiter"))
    someone = db.session.scalar(select(Profile).where(Profile.is_active.is_(True),
                                                      Profile.directory_consent_at.is_not(None)).limit(1))
    hits, _cursor, _total = search_profiles(recruiter, Criteria(q=f"{someone.first_name} {someone.last_name}"))
    assert someone.id in [hit.id for hit in hits]
    skill = someone.skills[0].skill
    hits, _cursor, total = search_profiles(recruiter, Criteria(q=skill.name_fr), limit=100)
    assert someone.id in [hit.id for hit in hits] or total > 100
