"""A talent hears about their castings: shortlisted, then each stage, in their own language,
without the casting staff's notes; candidates without an account are told nothing."""

from __future__ import annotations

import pytest

from tests import factories as f
from webapp.casting import notifications
from webapp.casting import services as casting


@pytest.fixture
def sent(monkeypatch):
    calls = []

    def fake_notify(user_id, kind, title, body="", link=None, data=None, topic=None):
        calls.append({"user_id": user_id, "kind": kind, "title": title, "body": body, "data": data, "topic": topic})

    monkeypatch.setattr(notifications, "notify", fake_notify)
    return calls


def test_the_talent_is_told_when_shortlisted_and_at_each_stage(ctx, sent):
    f.load_reference()
    recruiter = f.make_user(role="recruiter")
    talent = f.make_user(locale="fr")
    profile = f.talent_profile(talent, gender="F", birth_date=f.born_years_ago(30))
    _production, _project, role = f.production_with_role(recruiter)
    assignment = casting.assign(recruiter, role, profile, note="Internal: second choice")
    casting.move_stage(recruiter, assignment, "auditioned", "Internal: a bit stiff")
    assert [call["kind"] for call in sent] == ["assignment_stage", "assignment_stage"]
    first, second = sent
    assert first["user_id"] == talent.id and first["topic"] == f"assignment:{assignment.id}"
    assert "présélectionné" in first["title"].lower() and "Le Désert Blanc" in first["title"]
    assert "Auditionné" in second["title"] or "auditionné" in second["body"].lower()
    assert all("Internal" not in call["title"] + call["body"] for call in sent)
    assert second["data"] == {"assignment_id": assignment.id, "project_id": assignment.project_id,
                              "stage": "auditioned"}


def test_candidates_without_an_account_are_not_notified(ctx, sent):
    f.load_reference()
    recruiter = f.make_user(role="recruiter")
    _production, _project, role = f.production_with_role(recruiter)
    casting.assign(recruiter, role, f.cinema_candidate(recruiter))
    assert sent == []


def test_a_failing_notification_does_not_undo_the_casting(ctx, monkeypatch):
    f.load_reference()
    recruiter = f.make_user(role="recruiter")
    profile = f.talent_profile(f.make_user(), gender="M", birth_date=f.born_years_ago(30))
    _production, _project, role = f.production_with_role(recruiter, gender="any")

    def broken(*_args, **_kwargs):
        raise RuntimeError("mail server down")

    monkeypatch.setattr(notifications, "notify", broken)
    assignment = casting.assign(recruiter, role, profile)
    assert assignment.id is not None and assignment.stage == "shortlisted"


def test_the_notification_really_reaches_the_talent_in_their_language(ctx):
    from sqlalchemy import select

    from webapp.extensions import db
    from webapp.messaging.models import Notification

    f.load_reference()
    recruiter = f.make_user(role="recruiter")
    talent = f.make_user(locale="fr")
    profile = f.talent_profile(talent, gender="F", birth_date=f.born_years_ago(30))
    _production, _project, role = f.production_with_role(recruiter)
    assignment = casting.assign(recruiter, role, profile, note="Internal: second choice")
    casting.move_stage(recruiter, assignment, "booked")
    rows = list(db.session.scalars(select(Notification).where(Notification.user_id == talent.id)))
    assert len(rows) == 1  # one unread notification per casting, brought up to date
    assert rows[0].kind == "assignment_stage" and "Retenu" in rows[0].title
    assert "Internal" not in rows[0].title + rows[0].body
