"""Duplicates: flagged by a shared email (any case) or phone (any spelling), dismissed as
different people, or merged into one person by a recruiter, with the rules of who survives."""

from __future__ import annotations

import pytest
from flask import render_template
from flask_login import login_user
from sqlalchemy import func, select

from tests import factories as f
from tests.conftest import csrf_token
from tests.directory.publishing_helpers import detach, pdf_upload, png_upload
from webapp.audit.models import AuditEvent
from webapp.core.errors import Forbidden
from webapp.directory import services as directory
from webapp.directory.duplicates import services as duplicates
from webapp.directory.models import DuplicateDismissal, Profile
from webapp.extensions import db
from webapp.files.models import File


@pytest.fixture
def recruiter(ctx):
    f.load_reference()
    return f.make_user(role="recruiter")


def candidate(recruiter, first="Salma", last="Alaoui", **fields):
    return f.make_candidate(recruiter, first, last, **fields)


def identity(city="RAB", gender="F"):
    return {"gender": gender, "nationality_id": f.country("MA").id, "residence_city_id": f.city("MA", city).id}


# Finding --------------------------------------------------------------------------------------------

def test_same_email_in_any_case_and_same_phone_in_any_spelling_are_flagged(recruiter):
    first = candidate(recruiter, email="Salma.Alaoui@Example.com")
    by_email = candidate(recruiter, email="salma.alaoui@example.com")
    by_phone = candidate(recruiter, "S.", "Alaoui", phone="06 12 34 56 78")
    phone_twin = candidate(recruiter, "Salma", "A.", phone="+212 6 12 34 56 78")
    stranger = candidate(recruiter, "Omar", "Idrissi", email="omar@example.com", phone="0700000000")
    assert [(m.profile.id, m.reasons) for m in duplicates.duplicates_of(first)] == [(by_email.id, ["email"])]
    assert [m.profile.id for m in duplicates.duplicates_of(by_phone)] == [phone_twin.id]
    assert duplicates.duplicates_of(stranger) == []


def test_groups_join_everyone_linked_by_email_or_phone(recruiter):
    a = candidate(recruiter, email="a@example.com")
    b = candidate(recruiter, email="a@example.com", phone="0611111111")
    c = candidate(recruiter, phone="+212 611 111 111")
    other = candidate(recruiter, "Karim", "B", email="k@example.com")
    also = candidate(recruiter, "Karim", "Ben", email="k@example.com")
    found = duplicates.duplicate_groups(recruiter)
    assert found.total == 2
    members = sorted(sorted(p.id for p in group.members) for group in found.groups)
    assert members == sorted([sorted([a.id, b.id, c.id]), sorted([other.id, also.id])])


def test_not_the_same_person_stops_the_flag(recruiter):
    a = candidate(recruiter, email="same@example.com")
    b = candidate(recruiter, "Salma", "Bennani", email="same@example.com")
    duplicates.dismiss(recruiter, a, b)
    assert duplicates.duplicates_of(a) == [] and duplicates.duplicates_of(b) == []
    assert duplicates.duplicate_groups(recruiter).total == 0
    duplicates.dismiss(recruiter, b, a)  # twice is fine
    assert db.session.scalar(select(func.count()).select_from(DuplicateDismissal)) == 1


def test_only_recruiters_and_admins_handle_duplicates(recruiter):
    for role in ("talent", "consultant"):
        with pytest.raises(Forbidden):
            duplicates.duplicate_groups(f.make_user(role=role))


# Merging two candidates ---------------------------------------------------------------------------

def test_merging_unites_skills_and_languages_moves_files_and_keeps_the_survivors_code(recruiter):
    python, design = f.skill("python"), f.skill("graphic-design")
    keep = candidate(recruiter, email="s@example.com", headline="Old headline", **identity(),
                     skills=[{"skill_id": python.id, "level": 2}], languages=[{"code": "fr", "level": "fluent"}])
    gone = candidate(recruiter, email="s@example.com", headline="Better headline", phone="0611223344",
                     **identity("CAS"), skills=[{"skill_id": python.id, "level": 5}, {"skill_id": design.id, "level": 3}],
                     languages=[{"code": "fr", "level": "native"}, {"code": "en", "level": "basic"}],
                     recruiter_notes="Met at the Rabat casting.")
    directory.set_cv(recruiter, gone, pdf_upload("gone-cv.pdf"))
    directory.set_photo(recruiter, gone, png_upload())
    code, gone_id, gone_code = keep.code, gone.id, gone.code
    assert code == "MAF0001RAB" and gone_code == "MAF0001CAS"

    merged = duplicates.merge(recruiter, keep.id, gone.id, keep.id,
                              {"headline": "other", "phone": "other", "photo": "other"})

    assert db.session.get(Profile, gone_id) is None
    assert merged.code == code
    assert merged.headline == "Better headline" and merged.phone == "0611223344"
    assert {link.skill_id: link.level for link in merged.skills} == {python.id: 5, design.id: 3}
    assert {link.code: link.level for link in merged.languages} == {"fr": "native", "en": "basic"}
    assert merged.residence_city.code == "RAB"  # not picked: the survivor's value stays
    files = list(db.session.scalars(select(File).where(File.profile_id == merged.id)))
    assert {file.kind for file in files} == {"cv", "photo", "photo_thumb"}
    assert merged.cv.original_name == "gone-cv.pdf"  # the survivor had none: filled by default
    assert merged.photo_file_id is not None
    assert "Met at the Rabat casting." in merged.recruiter_notes
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "profile.merged"))
    assert event.details["merged_code"] == gone_code and event.details["kept_code"] == code
    assert set(event.details["taken_from_merged"]) >= {"headline", "phone", "photo"}


def test_an_empty_field_is_filled_from_the_other_by_default(recruiter):
    keep = candidate(recruiter, email="x@example.com")
    gone = candidate(recruiter, email="x@example.com", headline="Danseuse")
    directory.set_cv(recruiter, gone, pdf_upload())
    merged = duplicates.merge(recruiter, keep.id, gone.id, keep.id, {})
    assert merged.headline == "Danseuse"
    assert merged.cv is not None and merged.cv.original_name == "cv.pdf"


def test_the_recruiter_may_keep_either_candidate(recruiter):
    first = candidate(recruiter, email="y@example.com", **identity())
    second = candidate(recruiter, email="y@example.com", **identity("CAS"))
    merged = duplicates.merge(recruiter, first.id, second.id, second.id, {})
    assert merged.id == second.id and merged.code == "MAF0001CAS"


def test_merge_hooks_let_later_features_move_their_references(recruiter):
    seen = []
    hook = duplicates.register_hook(lambda survivor, other: seen.append((survivor.id, other.id)))
    try:
        a = candidate(recruiter, email="z@example.com")
        b = candidate(recruiter, email="z@example.com")
        duplicates.merge(recruiter, a.id, b.id, a.id, {})
    finally:
        duplicates.MERGE_HOOKS.remove(hook)
    assert seen == [(a.id, b.id)]
    assert (File, "profile_id") in duplicates.MERGE_REFERENCES


def test_dismissals_of_the_merged_record_carry_over(recruiter):
    a = candidate(recruiter, email="w@example.com", phone="0612000000")
    b = candidate(recruiter, email="w@example.com")
    c = candidate(recruiter, "Other", "Person", phone="0612000000")
    duplicates.dismiss(recruiter, b, c)
    duplicates.dismiss(recruiter, a, c)
    duplicates.merge(recruiter, a.id, b.id, a.id, {})
    assert duplicates.duplicates_of(c) == []


# An account and a candidate, two accounts ---------------------------------------------------------

def test_the_account_survives_and_keeps_what_its_owner_wrote(recruiter):
    user = f.make_user(email="fatou@example.com", full_name="Fatou Diop")
    mine = f.talent_profile(user, headline="Mine")
    crm = candidate(recruiter, "Fatou", "D.", email="fatou@example.com", headline="CRM headline",
                    education="Master", **identity())
    comparison = duplicates.compare(recruiter, crm.id, mine.id, keep_id=crm.id)
    assert comparison.survivor.id == mine.id and comparison.survivor_fixed
    with pytest.raises(duplicates.MergeRefused):
        duplicates.merge(recruiter, crm.id, mine.id, crm.id, {"headline": "other"})
    merged = duplicates.merge(recruiter, crm.id, mine.id, crm.id, {"education": "other"})
    assert merged.id == mine.id and merged.user_id == user.id
    assert merged.headline == "Mine" and merged.education == "Master"
    assert merged.email == "fatou@example.com" and merged.full_name == "Fatou Diop"
    assert db.session.get(Profile, crm.id) is None


def test_two_accounts_are_never_merged(recruiter):
    one = f.talent_profile(f.make_user(email="one@example.com"), phone="0612345678")
    two = f.talent_profile(f.make_user(email="two@example.com"), phone="+212612345678")
    assert [m.profile.id for m in duplicates.duplicates_of(one)] == [two.id]
    comparison = duplicates.compare(recruiter, one.id, two.id)
    assert comparison.refusal and "Two accounts cannot be merged" in comparison.refusal
    with pytest.raises(duplicates.MergeRefused):
        duplicates.merge(recruiter, one.id, two.id, None, {})
    assert db.session.get(Profile, one.id) and db.session.get(Profile, two.id)


def test_bad_choices_are_refused(recruiter):
    a = candidate(recruiter, email="v@example.com")
    b = candidate(recruiter, email="v@example.com")
    from webapp.core.errors import ValidationFailed

    for picks in ({"password": "other"}, {"headline": "both"}):
        with pytest.raises(ValidationFailed):
            duplicates.merge(recruiter, a.id, b.id, a.id, picks)


# The pages ------------------------------------------------------------------------------------------

@pytest.fixture
def pair(app):
    with app.app_context():
        f.load_reference()
        recruiter = f.make_user(role="recruiter")
        a = candidate(recruiter, email="pair@example.com", headline="First")
        b = candidate(recruiter, "Salma", "Alaoui-B", email="PAIR@example.com", headline="Second")
        return detach(recruiter), a.id, b.id


def test_the_recruiter_sees_the_groups_compares_and_merges(app, client, login, pair):
    recruiter, a, b = pair
    login(recruiter)
    listing = client.get("/directory/duplicates").get_data(as_text=True)
    assert "Salma Alaoui-B" in listing and "same email" in listing
    compare = client.get(f"/directory/duplicates/{a}/{b}")
    assert compare.status_code == 200
    html = compare.get_data(as_text=True)
    assert 'name="choice-headline" value="other"' in html and "Which record remains?" in html
    response = client.post(f"/directory/duplicates/{a}/{b}/merge", data={
        "csrf_token": csrf_token(client, f"/directory/duplicates/{a}/{b}"), "keep": str(a), "choice-headline": "other"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Profile, b) is None
        assert db.session.get(Profile, a).headline == "Second"
    assert "No possible duplicates" in client.get("/directory/duplicates").get_data(as_text=True)


def test_the_recruiter_dismisses_a_pair_from_the_page(app, client, login, pair):
    recruiter, a, b = pair
    login(recruiter)
    client.post(f"/directory/duplicates/{a}/{b}/dismiss",
                data={"csrf_token": csrf_token(client, "/directory/duplicates")})
    assert "No possible duplicates" in client.get("/directory/duplicates").get_data(as_text=True)


def test_the_page_explains_why_two_accounts_cannot_be_merged(app, client, login, make_user):
    with app.app_context():
        one = f.talent_profile(f.make_user(), phone="0612345678").id
        two = f.talent_profile(f.make_user(), phone="0612345678").id
    login(make_user(role="admin"))
    html = client.get(f"/directory/duplicates/{one}/{two}").get_data(as_text=True)
    assert 'data-testid="merge-refused"' in html
    response = client.post(f"/directory/duplicates/{one}/{two}/merge",
                           data={"csrf_token": csrf_token(client, "/directory/duplicates")})
    assert response.status_code == 409
    assert "Two accounts cannot be merged" in response.get_data(as_text=True)


@pytest.mark.parametrize("role", ["talent", "consultant"])
def test_others_cannot_see_or_merge_duplicates(client, login, make_user, pair, role):
    _recruiter, a, b = pair
    login(make_user(role=role))
    assert client.get("/directory/duplicates").status_code == 403
    assert client.get(f"/directory/duplicates/{a}/{b}").status_code == 403
    response = client.post(f"/directory/duplicates/{a}/{b}/merge", data={"csrf_token": csrf_token(client, "/")})
    assert response.status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, pair):
    assert client.get("/directory/duplicates").status_code == 302


def test_an_unknown_pair_is_404(client, login, pair):
    login(pair[0])
    assert client.get(f"/directory/duplicates/{pair[1]}/999999").status_code == 404
    assert client.get(f"/directory/duplicates/{pair[1]}/{pair[1]}").status_code == 404


def test_the_notice_partial_shows_only_to_staff_who_handle_duplicates(app, pair):
    recruiter, a, b = pair
    with app.test_request_context():
        profile = db.session.get(Profile, a)
        login_user(db.session.get(type(recruiter), recruiter.id))
        html = render_template("directory/duplicates/partials/notice.html", profile=profile)
        assert 'data-testid="duplicate-notice"' in html and "Salma Alaoui-B" in html
        login_user(f.make_user(role="consultant"))
        assert "duplicate-notice" not in render_template("directory/duplicates/partials/notice.html", profile=profile)


# What other features keep about a person moves too (found in the schema) --------------------------

def test_cinema_details_and_assignments_move_to_the_survivor(recruiter):
    from webapp.casting import services as casting

    keep = candidate(recruiter, email="c@example.com", **identity("CAS"))
    gone = candidate(recruiter, email="c@example.com", **identity("CAS"))
    cinema = casting.update_cinema(recruiter, gone, {"height_cm": 172})
    cinema_id, cinema_code = cinema.id, cinema.cinema_code
    production = casting.create_production(recruiter, {"name": "Atlas Productions", "city_id": f.city("MA", "CAS").id})
    project = casting.create_project(recruiter, production, {"name": "Le Désert Blanc", "production_type": "film",
                                                             "start_date": "2026-09-01", "end_date": "2026-12-15"})
    role = casting.add_role(recruiter, project, {"name": "Protagoniste", "talent_type": "lead-actor", "gender": "F"})
    assignment = casting.assign(recruiter, role, gone)
    assignment_id = assignment.id
    merged = duplicates.merge(recruiter, keep.id, gone.id, keep.id, {})
    assert casting.cinema_of(merged).id == cinema_id and casting.cinema_of(merged).cinema_code == cinema_code
    from webapp.casting.models import Assignment

    assert db.session.get(Assignment, assignment_id).profile_id == merged.id
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "profile.merged"))
    assert event.details["moved"]["cinema_profiles.profile_id"] == 1


def test_where_only_one_is_allowed_the_survivors_is_kept(recruiter):
    from webapp.casting import services as casting

    keep = candidate(recruiter, email="d@example.com", **identity("CAS"))
    gone = candidate(recruiter, email="d@example.com", **identity("RAB"))
    kept = casting.update_cinema(recruiter, keep, {"height_cm": 160}).id
    casting.update_cinema(recruiter, gone, {"height_cm": 180})
    merged = duplicates.merge(recruiter, keep.id, gone.id, keep.id, {})
    assert casting.cinema_of(merged).id == kept and casting.cinema_of(merged).height_cm == 160
