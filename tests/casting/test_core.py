"""The cinema module's rules as the services keep them: codes, masked documents, consent,
guardians of minors, project codes and stages, and who works on which project."""

from __future__ import annotations

from datetime import date

import pytest

from tests import factories as f
from webapp.casting import services as casting
from webapp.core.errors import Conflict, Forbidden, ValidationFailed
from webapp.directory import services as directory


@pytest.fixture
def reference(ctx):
    f.load_reference()


def born_years_ago(years: int) -> str:
    """A birth date that makes the person `years` old today (born on the 1st of January)."""
    return date(date.today().year - years, 1, 1).isoformat()


def actress(recruiter, age=28, city="CAS"):
    return f.make_candidate(recruiter, "Fatima", "Benani", gender="F", nationality_id=f.country("MA").id,
                            residence_city_id=f.city("MA", city).id, birth_date=born_years_ago(age))


def production_with_project(recruiter, name="Le Désert Blanc"):
    production = casting.create_production(recruiter, {"name": "Atlas Productions", "city_id": f.city("MA", "CAS").id})
    project = casting.create_project(recruiter, production, {"name": name, "production_type": "film",
                                                             "start_date": "2026-09-01", "end_date": "2026-12-15"})
    role = casting.add_role(recruiter, project, {"name": "Protagoniste", "talent_type": "lead-actor", "gender": "F",
                                                 "age_min": 25, "age_max": 35})
    return production, project, role


def test_cinema_details_get_the_seed_code_and_keep_attributes(reference):
    recruiter = f.make_user(role="recruiter")
    profile = actress(recruiter)
    cinema = casting.update_cinema(recruiter, profile, {
        "height_cm": 168, "eye_color": "marron", "hair_color": "noir", "hair_type": "ondules", "skin_tone": "mat",
        "build": "svelte", "talent_types": ["lead-actor", "model"], "other_talents": ["dancer", "singer"],
        "languages_spoken": ["fr:native", "ar:fluent", "en:conversational"], "years_of_experience": 5,
    })
    assert cinema.cinema_code == "MACAS000001F"
    assert cinema.eye_color.name("fr") == "Marron"
    assert [s.slug for s in cinema.talent_types] == ["lead-actor", "model"]
    assert profile.years_experience == 5
    assert [lang.code for lang in profile.languages] == ["fr", "ar", "en"]
    assert "acteur principal" in cinema.search_text and "chanteur(se)" in cinema.search_text


def test_bad_cinema_values_are_reported_and_nothing_is_kept(reference):
    recruiter = f.make_user(role="recruiter")
    profile = actress(recruiter)
    with pytest.raises(ValidationFailed) as caught:
        casting.update_cinema(recruiter, profile, {"height_cm": 400, "eye_color": "purple",
                                                   "talent_types": ["python"], "languages_spoken": ["xx:fluent"]})
    assert set(caught.value.fields) == {"height_cm", "eye_color", "talent_types", "languages_spoken"}
    assert casting.cinema_of(profile) is None


def test_only_a_masked_form_of_the_id_number_is_kept(reference):
    recruiter = f.make_user(role="recruiter")
    cinema = casting.update_cinema(recruiter, actress(recruiter),
                                   {"id_document_type": "cin", "id_document_number": "ab 123 4523"})
    assert cinema.id_document_initials == "AB***23"


def test_ethnicity_needs_consent_and_withdrawing_erases_it(reference):
    user = f.make_user()
    profile = directory.profile_of_user(user)
    directory.update_profile(user, profile, {"gender": "F", "residence_city_id": f.city("MA", "RAB").id})
    casting.update_cinema(user, profile, {"height_cm": 170})
    with pytest.raises(ValidationFailed):
        casting.set_ethnicities(user, profile, ["arabe"], consent=False)
    cinema = casting.set_ethnicities(user, profile, ["arabe", "berbere"], consent=True)
    assert cinema.ethnicity_consent_at is not None and len(cinema.ethnicities) == 2
    casting.withdraw_ethnicity_consent(user, profile)
    assert cinema.ethnicities == [] and cinema.ethnicity_consent_at is None


def test_a_minor_needs_a_guardian_before_being_assigned(reference):
    recruiter = f.make_user(role="recruiter")
    _production, _project, role = production_with_project(recruiter)
    child = actress(recruiter, age=12)
    casting.update_cinema(recruiter, child, {"height_cm": 140})
    with pytest.raises(ValidationFailed):
        casting.assign(recruiter, role, child)
    with pytest.raises(ValidationFailed):
        casting.set_guardian(recruiter, child, {"guardian_name": "Khadija Benani"})  # no consent ticked
    casting.set_guardian(recruiter, child, {"guardian_name": "Khadija Benani", "guardian_relationship": "mother",
                                            "guardian_consent": True})
    assert casting.assign(recruiter, role, child).stage == "shortlisted"


def test_assignments_get_project_codes_and_a_dated_history(reference):
    recruiter = f.make_user(role="recruiter")
    _production, project, role = production_with_project(recruiter)
    first = casting.assign(recruiter, role, actress(recruiter))
    second = casting.assign(recruiter, role, actress(recruiter, city="RAB"))
    assert project.code == "PRJ-001"
    assert (first.code, second.code) == ("PRJ-001-001", "PRJ-001-002")
    casting.move_stage(recruiter, first, "contacted", "Called on Monday")
    casting.move_stage(recruiter, first, "auditioned")
    assert [e.stage for e in first.history] == ["shortlisted", "contacted", "auditioned"]
    assert first.history[1].note == "Called on Monday"
    with pytest.raises(ValidationFailed):
        casting.move_stage(recruiter, first, "famous")
    with pytest.raises(Conflict):
        casting.assign(recruiter, role, first.profile)


def test_the_audit_log_names_each_new_assignment(reference):
    from sqlalchemy import select

    from webapp.audit.models import AuditEvent
    from webapp.extensions import db

    recruiter = f.make_user(role="recruiter")
    _production, _project, role = production_with_project(recruiter)
    assignment = casting.assign(recruiter, role, actress(recruiter))
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "assignment.created"))
    assert (event.target_type, event.target_id, event.actor_id) == ("assignment", str(assignment.id), recruiter.id)


def test_recruiters_work_only_on_their_own_productions_projects(reference):
    owner, other = f.make_user(role="recruiter"), f.make_user(role="recruiter")
    _production, project, role = production_with_project(owner)
    with pytest.raises(Forbidden):
        casting.get_project(project.id, other)
    with pytest.raises(Forbidden):
        casting.update_project(other, project, {"status": "annule"})
    with pytest.raises(Forbidden):
        casting.assign(other, role, actress(other))
    assert casting.get_project(project.id, f.make_user(role="admin")) is project
    with pytest.raises(Forbidden):
        casting.get_project(project.id, f.make_user(role="talent"))


def test_project_dates_and_role_ranges_are_checked(reference):
    recruiter = f.make_user(role="recruiter")
    production, project, role = production_with_project(recruiter)
    with pytest.raises(ValidationFailed) as caught:
        casting.update_project(recruiter, project, {"end_date": "2026-01-01"})
    assert "end_date" in caught.value.fields
    with pytest.raises(ValidationFailed) as caught:
        casting.update_role(recruiter, role, {"age_min": 40})
    assert "age_max" in caught.value.fields
