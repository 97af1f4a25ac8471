"""The cinema demo data: cinema details written in bulk get codes from the same counters the
services use, productions and projects get talents at every stage, and nobody is notified."""

from __future__ import annotations

from sqlalchemy import func, select

from tests import factories as f
from webapp.casting import services as casting
from webapp.casting.models import Assignment, AssignmentEvent, CastingProject, CinemaProfile
from webapp.demo import cinema as demo
from webapp.extensions import db
from webapp.organisations.models import Organisation


def test_bulk_cinema_details_follow_the_code_counters(ctx):
    f.load_reference()
    recruiter = f.make_user(role="recruiter")
    people = [f.make_candidate(recruiter, f"Salma{n}", "Tazi", gender="F", nationality_id=f.country("MA").id,
                               residence_city_id=f.city("MA", "CAS").id, birth_date="1995-01-01") for n in range(6)]
    report = demo.generate_cinema(share=0.5)
    assert report.cinema == 3
    codes = sorted(db.session.scalars(select(CinemaProfile.cinema_code)))
    assert codes == ["MACAS000001F", "MACAS000002F", "MACAS000003F"]
    # the services count on from there
    without = next(p for p in people if casting.cinema_of(p) is None)
    assert casting.update_cinema(recruiter, without, {"height_cm": 170}).cinema_code == "MACAS000004F"
    # a second run gives details only to profiles that have none
    assert demo.generate_cinema(share=1.0).cinema == 2


def test_the_small_demo_has_productions_projects_and_talents_at_every_stage(ctx, monkeypatch):
    f.load_reference()
    told = []
    monkeypatch.setattr("webapp.casting.notifications.notify", lambda *a, **k: told.append(a))
    recruiter = f.make_user(role="recruiter")
    talent = f.make_user()
    report = demo.seed_casting_demo(recruiter=recruiter, talent=talent)
    assert report.productions == len(demo.PRODUCTIONS)
    assert db.session.scalar(select(func.count(CastingProject.id))) == report.projects > 20
    stages = set(db.session.scalars(select(Assignment.stage)))
    assert stages == {"shortlisted", "contacted", "auditioned", "booked", "released"}
    assert db.session.scalar(select(func.count(AssignmentEvent.id))) > report.assignments
    assert told == []  # seeding tells nobody
    owned = casting.productions_of(recruiter)
    assert len(owned) == 3 and all(isinstance(o, Organisation) for o in owned)
    # one minor has a guardian's consent, the other not yet; neither is on a role without it
    minors = [c for c in db.session.scalars(select(CinemaProfile)) if c.needs_guardian]
    assert sorted(c.has_guardian_consent for c in minors) == [False, True]
    unconsented = next(c for c in minors if not c.has_guardian_consent)
    assert db.session.scalar(select(func.count()).where(Assignment.profile_id == unconsented.profile_id)) == 0
    # the demo talent has cinema details of their own
    from webapp.directory import services as directory

    assert casting.cinema_of(directory.profile_of_user(talent)).talent_types
