"""What the rendering caches keep must never show: the staff profile page's body is kept per
profile version, language and viewer's powers; the navigation bar per look; the session
cookie is signed again only now and then. A write shows on the next page; each viewer's
powers are checked on every request; no GET writes to the database."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import event

from tests import factories as f
from tests.conftest import csrf_token
from webapp.directory.models import Profile
from webapp.extensions import db


@pytest.fixture
def reference(app):
    with app.app_context():
        f.load_reference()
        return {"python": f.skill("python").id, "devops": f.skill("devops").id}


def _talent(app, make_user, **fields):
    owner = make_user(full_name="Amina Tazi")
    with app.app_context():
        me = db.session.get(f.User, owner.id)
        profile = f.talent_profile(me, **fields)
        return owner, profile.id


def test_a_write_shows_on_the_next_profile_page(app, client, login, make_user, reference):
    from webapp.directory import services as directory

    owner, pid = _talent(app, make_user, skills=[{"skill_id": reference["python"], "level": 4}])
    recruiter = make_user(role="recruiter")
    login(recruiter)
    for _n in range(2):  # made, then kept
        html = client.get(f"/directory/{pid}").get_data(as_text=True)
        assert "Level 4 of 5" in html and "Stage manager" not in html
    with app.app_context():
        profile = db.session.get(Profile, pid)
        directory.update_profile(db.session.get(f.User, owner.id), profile, {"headline": "Stage manager and data analyst",
                                                  "skills": [{"skill_id": reference["devops"], "level": 2}]})
        db.session.commit()
    again = client.get(f"/directory/{pid}").get_data(as_text=True)
    assert "Stage manager and data analyst" in again
    assert "Level 2 of 5" in again and "Level 4 of 5" not in again


def test_each_viewer_gets_the_buttons_of_their_own_powers(app, client, login, make_user, reference):
    _owner, pid = _talent(app, make_user)
    login(make_user(role="admin"))
    assert "Deactivate" in client.get(f"/directory/{pid}").get_data(as_text=True)
    other = app.test_client()
    login(make_user(role="recruiter"), into=other)
    html = other.get(f"/directory/{pid}").get_data(as_text=True)
    assert "Amina Tazi" in html and "Deactivate" not in html and f"/directory/{pid}/delete" not in html
    talent_client = app.test_client()
    login(make_user(), into=talent_client)
    assert talent_client.get(f"/directory/{pid}").status_code == 403


def test_the_kept_body_carries_each_visitors_own_csrf_token(app, client, login, make_user, reference):
    _owner, pid = _talent(app, make_user)
    admins = []
    for _n in range(2):
        browser = app.test_client()
        login(make_user(role="admin"), into=browser)
        admins.append(browser)
    for browser in admins:
        html = browser.get(f"/directory/{pid}").get_data(as_text=True)
        form = re.search(r'action="/directory/\d+/active">\s*<input id="csrf_token" name="csrf_token" '
                         r'type="hidden" value="([^"]+)"', html)
        assert form and "\x00" not in html
        hidden = browser.post(f"/directory/{pid}/active", data={"csrf_token": form.group(1), "active": "0"})
        assert hidden.status_code == 302
        browser.post(f"/directory/{pid}/active", data={"csrf_token": form.group(1), "active": "1"})


def test_who_added_a_candidate_is_read_afresh(app, client, login, make_user, reference):
    from webapp.accounts.models import User

    recruiter = make_user(role="recruiter", full_name="Rachid Recruteur")
    login(recruiter)
    created = client.post("/directory/candidates/new", data={
        "first_name": "Youssef", "last_name": "Amrani", "source": "referral", "csrf_token": csrf_token(client)})
    page = client.get(created.headers["Location"]).get_data(as_text=True)
    assert "Rachid Recruteur" in page
    with app.app_context():
        db.session.get(User, recruiter.id).full_name = "Rachid Benali"
        db.session.commit()
    assert "Rachid Benali" in client.get(created.headers["Location"]).get_data(as_text=True)


def test_a_profile_page_writes_nothing(app, client, login, make_user, reference):
    _owner, pid = _talent(app, make_user)
    login(make_user(role="recruiter"))
    client.get(f"/directory/{pid}")
    written = []

    def keep(_conn, _cursor, statement, *_args):
        if not statement.lstrip().upper().startswith(("SELECT", "PRAGMA", "WITH")):
            written.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", keep)
    try:
        assert client.get(f"/directory/{pid}").status_code == 200
        assert client.get("/directory?q=amina", headers={"HX-Request": "true"}).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    assert written == []


def test_the_navigation_bar_follows_its_viewer(app, client, login, make_user):
    login(make_user(role="recruiter", full_name="Rachid Recruteur"))
    assert "Rachid" in client.get("/dashboard").get_data(as_text=True)
    other = app.test_client()
    login(make_user(role="admin", full_name="Nadia Admin"), into=other)
    html = other.get("/dashboard").get_data(as_text=True)
    assert "Nadia" in html and "Rachid" not in html
    token = csrf_token(other, "/dashboard")
    assert f'name="csrf_token" value="{token}"' in html  # the sign-out form carries this visitor's token


def test_the_session_cookie_is_signed_again_only_after_a_while(app, client, login, make_user):
    login(make_user(role="recruiter"))
    client.get("/dashboard")  # shows (and so takes out of the session) the welcome message
    assert "Set-Cookie" not in client.get("/dashboard").headers  # just signed: nothing to send again
    app.config["SESSION_REFRESH_SECONDS"] = 0
    refreshed = client.get("/dashboard").headers.get("Set-Cookie", "")
    assert refreshed.startswith("talentbase_session=")
    assert client.get("/dashboard").status_code == 200
