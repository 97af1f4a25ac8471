"""The "Message" buttons of other features' pages: a person's staff profile and cinema page
(their direct conversation, started or reopened), and a casting project (a group with its
talents who have an account), each offered only where the one rule of who may write to whom
(policies.may_write_to) allows it."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests import factories as f
from tests.conftest import csrf_token
from webapp.accounts.models import User
from webapp.extensions import db
from webapp.messaging.models import Conversation


def post(client, url, **data):
    return client.post(url, data={"csrf_token": csrf_token(client, "/messages"), **data})


@pytest.fixture
def cast(app, people):
    """A casting agent's production with a project, one talent with an account assigned to it, a
    second one, and a CRM candidate without an account assigned too."""
    from webapp.casting import services as casting

    with app.app_context():
        f.load_reference()
        owner = f.make_user(role="recruiter", full_name="Youssef El Amrani")
        rival = f.make_user(role="recruiter", full_name="Claire Dubois")
        _production, project, role = f.production_with_role(owner)
        talents = []
        for name in ("Fatou Diop", "Omar Talent"):
            user = db.session.get(User, people["talent" if name == "Fatou Diop" else "other_talent"].id)
            profile = f.talent_profile(user, first_name=name.split()[0], last_name=name.split()[1], gender="F",
                                       nationality_id=f.country("MA").id, residence_city_id=f.city("MA", "CAS").id,
                                       birth_date=f.born_years_ago(25))
            casting.update_cinema(user, profile, {"height_cm": 170})
            casting.assign(db.session.get(User, owner.id), role, profile)
            talents.append(SimpleNamespace(id=user.id, profile_id=profile.id,
                                           cinema_id=casting.cinema_of(profile).id))
        candidate = f.cinema_candidate(owner, "Rayan", "Benani")
        casting.assign(db.session.get(User, owner.id), role, candidate)
        keep = lambda u: SimpleNamespace(id=u.id, email=u.email)  # noqa: E731
        return SimpleNamespace(owner=keep(owner), rival=keep(rival), project_id=project.id, talents=talents,
                               project_name=project.name)


def test_the_staff_profile_page_offers_a_message_button_that_opens_the_direct_conversation(
        app, client, login, people, cast):
    talent = cast.talents[0]
    login(cast.owner)
    page = client.get(f"/directory/{talent.profile_id}").get_data(as_text=True)
    assert 'data-testid="message-person"' in page and f"/messages/with/{talent.id}" in page
    first = post(client, f"/messages/with/{talent.id}")
    assert first.status_code == 302 and "/messages/" in first.headers["Location"]
    again = post(client, f"/messages/with/{talent.id}")
    assert again.headers["Location"] == first.headers["Location"]  # the same conversation, reopened
    with app.app_context():
        cid = int(first.headers["Location"].rstrip("/").rsplit("/", 1)[1])
        conversation = db.session.get(Conversation, cid)
        assert conversation.kind == "direct"
        assert sorted(p.user_id for p in conversation.active_participants) == sorted([cast.owner.id, talent.id])


def test_someone_who_left_the_direct_conversation_is_back_in_it(app, client, login, people, cast):
    talent = cast.talents[0]
    login(cast.owner)
    cid = int(post(client, f"/messages/with/{talent.id}").headers["Location"].rsplit("/", 1)[1])
    post(client, f"/messages/{cid}/participants/{cast.owner.id}/remove")
    assert client.get(f"/messages/{cid}").status_code == 404
    assert post(client, f"/messages/with/{talent.id}").headers["Location"].endswith(f"/messages/{cid}")
    assert client.get(f"/messages/{cid}").status_code == 200


def test_the_cinema_talent_page_offers_the_button_too(client, login, cast):
    talent = cast.talents[0]
    login(cast.owner)
    page = client.get(f"/cinema/talents/{talent.cinema_id}").get_data(as_text=True)
    assert f"/messages/with/{talent.id}" in page


def test_a_talent_may_not_write_to_another_talent(client, login, people, cast):
    login(people["talent"])
    assert post(client, f"/messages/with/{people['other_talent'].id}").status_code == 403
    assert post(client, "/messages/with/999999").status_code == 404
    assert client.post(f"/messages/with/{people['consultant'].id}").status_code == 400  # no CSRF token


def test_no_button_for_a_profile_without_an_account(app, client, login, cast):
    from webapp.directory.models import Profile

    login(cast.owner)
    with app.app_context():
        candidate = db.session.scalar(db.select(Profile).where(Profile.first_name == "Rayan"))
        candidate_id = candidate.id
    page = client.get(f"/directory/{candidate_id}").get_data(as_text=True)
    assert 'data-testid="message-person"' not in page


def test_a_project_page_starts_a_group_with_its_talents_who_have_an_account(app, client, login, cast):
    login(cast.owner)
    page = client.get(f"/cinema/projects/{cast.project_id}").get_data(as_text=True)
    assert 'data-testid="message-project"' in page and "Message the talents (2)" in page
    answer = post(client, f"/cinema/projects/{cast.project_id}/message")
    assert answer.status_code == 302
    cid = int(answer.headers["Location"].rsplit("/", 1)[1])
    with app.app_context():
        conversation = db.session.get(Conversation, cid)
        assert conversation.kind == "group" and conversation.subject == cast.project_name
        assert (conversation.context_type, conversation.context_id) == ("casting_project", cast.project_id)
        assert sorted(p.user_id for p in conversation.active_participants) == sorted(
            [cast.owner.id, *(t.id for t in cast.talents)])
    again = post(client, f"/cinema/projects/{cast.project_id}/message")
    assert again.headers["Location"].endswith(f"/messages/{cid}")  # the project's group, not a new one


def test_only_the_productions_recruiters_may_message_a_projects_talents(client, login, people, cast):
    login(cast.rival)
    assert post(client, f"/cinema/projects/{cast.project_id}/message").status_code in (403, 404)
    login(people["talent"])
    assert post(client, f"/cinema/projects/{cast.project_id}/message").status_code in (403, 404)
