"""Admin > Users: the list, roles, suspension and reactivation; only admins get in."""

from __future__ import annotations

import pytest

from tests.conftest import bearer, csrf_token, page_text
from webapp.accounts.models import User
from webapp.audit.models import AuditEvent
from webapp.extensions import db


def stored(app, user_id):
    with app.app_context():
        user = db.session.get(User, user_id)
        db.session.expunge(user)
        return user


def post(client, path, **data):
    return client.post(path, data={**data, "csrf_token": csrf_token(client, "/admin/users")})


def actions(app):
    with app.app_context():
        return [event.action for event in db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.id))]


@pytest.mark.parametrize("role", ["talent", "recruiter", "consultant"])
@pytest.mark.parametrize("path", ["/admin/users", "/admin/invitations", "/admin/outbox", "/admin/outbox/1"])
def test_only_admins_get_in(client, make_user, login, role, path):
    login(make_user(role=role))
    response = client.get(path)
    assert response.status_code == 403
    assert "You do not have permission to do that." in page_text(response)


def test_non_admin_posts_are_refused_too(app, client, make_user, login):
    victim = make_user()
    login(make_user(role="recruiter"))
    response = client.post(f"/admin/users/{victim.id}/role", data={"role": "admin",
                                                                   "csrf_token": csrf_token(client, "/dashboard")})
    assert response.status_code == 403
    assert stored(app, victim.id).role == "talent"


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/admin/users")
    assert response.status_code == 302 and response.headers["Location"].startswith("/auth/login?next=")


def test_the_admin_link_shows_in_the_navigation_for_admins_only(client, app, make_user, login, admin):
    login(admin)
    assert 'href="/admin/users"' in client.get("/dashboard").get_data(as_text=True)
    other = app.test_client()
    login(make_user(role="consultant"), into=other)
    assert 'href="/admin/users"' not in other.get("/dashboard").get_data(as_text=True)


def test_the_list_shows_accounts_and_filters_them(client, make_user, login, admin):
    make_user(full_name="Fatou Diop", role="talent")
    make_user(full_name="Youssef Amrani", role="recruiter")
    login(admin)
    text = page_text(client.get("/admin/users"))
    assert "Fatou Diop" in text and "Youssef Amrani" in text and "3 accounts" in text
    text = page_text(client.get("/admin/users?q=fatou"))
    assert "Fatou Diop" in text and "Youssef Amrani" not in text
    text = page_text(client.get("/admin/users?role=recruiter"))
    assert "Youssef Amrani" in text and "Fatou Diop" not in text
    assert "No account matches." in page_text(client.get("/admin/users?q=nobody-at-all"))


def test_the_list_is_an_htmx_fragment_when_asked(client, login, admin):
    login(admin)
    response = client.get("/admin/users?q=x", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<div id="users-table">') and "<html" not in html
    assert "HX-Request" in response.headers["Vary"]


def test_a_bad_page_number_is_a_clear_error(client, login, admin):
    login(admin)
    response = client.get("/admin/users?page=abc")
    assert response.status_code == 422


def test_changing_a_role(app, client, make_user, login, admin):
    user = make_user(full_name="Fatou Diop")
    login(admin)
    response = post(client, f"/admin/users/{user.id}/role", role="consultant")
    assert response.status_code == 302
    assert "Fatou Diop is now consultant." in page_text(client.get("/admin/users"))
    assert stored(app, user.id).role == "consultant"
    assert "user.role_changed" in actions(app)


def test_an_unknown_role_is_refused(app, client, make_user, login, admin):
    user = make_user()
    login(admin)
    response = post(client, f"/admin/users/{user.id}/role", role="emperor")
    assert response.status_code == 422
    assert stored(app, user.id).role == "talent"


def test_an_admin_cannot_demote_themself(app, client, login, admin):
    login(admin)
    response = post(client, f"/admin/users/{admin.id}/role", role="talent")
    assert response.status_code == 403
    assert "You cannot remove your own administrator role." in page_text(response)
    assert stored(app, admin.id).role == "admin"


def test_an_unknown_user_is_a_404(client, login, admin):
    login(admin)
    assert post(client, "/admin/users/999999/role", role="talent").status_code == 404


def test_suspending_ends_every_session_and_token(app, client, make_user, login, admin, api_login):
    user = make_user(full_name="Fatou Diop")
    browser = app.test_client()
    login(user, remember=True, into=browser)
    remember = browser.get_cookie("talentbase_remember").value
    tokens = api_login(user, into=app.test_client())
    login(admin)
    response = post(client, f"/admin/users/{user.id}/status", status="suspended")
    assert response.status_code == 302
    assert "Fatou Diop is now suspended: every session has ended." in page_text(client.get("/admin/users"))
    assert stored(app, user.id).status == "suspended"
    assert browser.get("/dashboard").status_code == 302
    replay = app.test_client()
    replay.set_cookie("talentbase_remember", remember)
    assert replay.get("/dashboard").status_code == 302
    api = app.test_client()
    assert api.get("/api/v1/auth/me", headers=bearer(tokens["access_token"])).status_code in (401, 403)
    assert api.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}).status_code == 401
    signin = app.test_client()
    attempt = signin.post("/auth/login", data={"email": user.email, "password": "Secret-pass-1",
                                               "csrf_token": csrf_token(signin)})
    assert "This account is suspended." in page_text(attempt)
    assert "user.suspended" in actions(app)


def test_a_suspended_account_api_key_stops_working(app, client, make_user, login, admin):
    from tests.factories import make_api_key

    user = make_user()
    with app.app_context():
        key = make_api_key(user.id)
    login(admin)
    post(client, f"/admin/users/{user.id}/status", status="suspended")
    response = app.test_client().get("/api/v1/auth/me", headers=bearer(key))
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "account_suspended"


def test_reactivating_lets_the_person_sign_in_again(app, client, make_user, login, admin):
    user = make_user(full_name="Fatou Diop", status="suspended")
    login(admin)
    post(client, f"/admin/users/{user.id}/status", status="active")
    assert "Fatou Diop can sign in again." in page_text(client.get("/admin/users"))
    login(user, into=app.test_client())
    assert "user.reactivated" in actions(app)


def test_an_admin_cannot_suspend_themself(app, client, login, admin):
    login(admin)
    response = post(client, f"/admin/users/{admin.id}/status", status="suspended")
    assert response.status_code == 403
    assert "You cannot suspend your own account." in page_text(response)
    assert client.get("/admin/users").status_code == 200


def test_an_unknown_status_is_refused(app, client, make_user, login, admin):
    user = make_user()
    login(admin)
    assert post(client, f"/admin/users/{user.id}/status", status="banished").status_code == 422
    assert stored(app, user.id).status == "active"


def test_admin_actions_need_csrf(app, client, make_user, login, admin):
    user = make_user()
    login(admin)
    response = client.post(f"/admin/users/{user.id}/status", data={"status": "suspended"})
    assert response.status_code == 400
    assert stored(app, user.id).status == "active"
