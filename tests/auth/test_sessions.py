"""What ends a session: sign-out, suspension, deletion; remember cookies die with them;
CSRF on every form; `next` stays on this site."""

from __future__ import annotations

import pytest

from tests.conftest import csrf_token, page_text
from webapp.accounts import services as accounts
from webapp.accounts.models import User
from webapp.extensions import db


def remembered_browser(app, login, user):
    browser = app.test_client()
    login(user, remember=True, into=browser)
    return browser, browser.get_cookie("talentbase_remember").value


def replay(app, remember):
    client = app.test_client()
    client.set_cookie("talentbase_remember", remember)
    return client.get("/dashboard")


def test_a_suspension_ends_sessions_and_remember_cookies(app, make_user, login, admin):
    user = make_user()
    browser, remember = remembered_browser(app, login, user)
    with app.app_context():
        accounts.set_status(db.session.get(User, admin.id), db.session.get(User, user.id), "suspended")
    assert browser.get("/dashboard").status_code == 302
    assert replay(app, remember).status_code == 302


def test_a_reactivated_account_does_not_revive_old_cookies(app, make_user, login, admin):
    user = make_user()
    _browser, remember = remembered_browser(app, login, user)
    with app.app_context():
        accounts.set_status(db.session.get(User, admin.id), db.session.get(User, user.id), "suspended")
        accounts.set_status(db.session.get(User, admin.id), db.session.get(User, user.id), "active")
    assert replay(app, remember).status_code == 302


def test_a_deleted_account_old_cookies_open_nothing(app, make_user, login):
    user = make_user()
    browser, remember = remembered_browser(app, login, user)
    session_cookie = browser.get_cookie("talentbase_session").value
    browser.post("/account/privacy/delete", data={"password": "Secret-pass-1", "confirm": "y",
                                                  "csrf_token": csrf_token(browser, "/account/privacy")})
    assert replay(app, remember).status_code == 302
    thief = app.test_client()
    thief.set_cookie("talentbase_session", session_cookie)
    assert thief.get("/dashboard").status_code == 302


def test_a_new_account_with_the_same_email_is_not_opened_by_old_cookies(app, make_user, login):
    user = make_user(email="reuse@example.com")
    browser, remember = remembered_browser(app, login, user)
    browser.post("/account/privacy/delete", data={"password": "Secret-pass-1", "confirm": "y",
                                                  "csrf_token": csrf_token(browser, "/account/privacy")})
    make_user(email="reuse@example.com")
    assert replay(app, remember).status_code == 302


def test_a_suspended_person_signed_in_elsewhere_is_sent_to_sign_in(app, client, make_user, login, admin):
    user = make_user()
    login(user)
    with app.app_context():
        accounts.set_status(db.session.get(User, admin.id), db.session.get(User, user.id), "suspended")
    response = client.get("/account/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/auth/login")


def test_the_sign_in_page_tells_a_suspended_person_why(client, make_user):
    user = make_user(status="suspended")
    response = client.post("/auth/login", data={"email": user.email, "password": "Secret-pass-1",
                                                "csrf_token": csrf_token(client)})
    assert "This account is suspended. Contact an administrator." in page_text(response)


def test_a_suspended_person_with_a_wrong_password_learns_nothing(client, make_user):
    user = make_user(status="suspended")
    response = client.post("/auth/login", data={"email": user.email, "password": "Wrong-pass-1",
                                                "csrf_token": csrf_token(client)})
    text = page_text(response)
    assert "The email or password is incorrect." in text and "suspended" not in text


def test_sign_in_records_the_time(app, make_user, login):
    user = make_user()
    login(user)
    with app.app_context():
        assert db.session.get(User, user.id).last_login_at is not None


def test_sign_in_without_remember_sets_no_remember_cookie(client, make_user, login):
    login(make_user())
    assert client.get_cookie("talentbase_remember") is None


def test_after_sign_out_the_page_says_so(client, make_user, login):
    login(make_user())
    response = client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/dashboard")})
    assert response.headers["Location"] == "/auth/login"
    assert "You are signed out on every device." in page_text(client.get("/auth/login"))


def test_signing_out_when_not_signed_in_is_harmless(client):
    response = client.post("/auth/logout", data={"csrf_token": csrf_token(client)})
    assert response.status_code == 302


def test_a_signed_in_visitor_of_the_sign_in_page_goes_on_to_next(client, make_user, login):
    login(make_user())
    assert client.get("/auth/login?next=/account/").headers["Location"] == "/account/"
    assert client.get("/auth/login?next=https://evil.example.org").headers["Location"] == "/dashboard"


def test_next_is_carried_by_the_sign_in_form(client):
    html = client.get("/auth/login?next=/account/security").get_data(as_text=True)
    assert 'value="/account/security"' in html


@pytest.mark.parametrize("target", [
    "https://evil.example.org/", "//evil.example.org", "///evil.example.org", "/\\evil.example.org",
    "\\\\evil.example.org", "javascript:alert(1)", "http:evil.example.org", " //evil.example.org",
    "/\t/evil.example.org", "evil.example.org",
])
def test_a_foreign_next_falls_back_to_the_dashboard(client, make_user, target):
    user = make_user()
    response = client.post("/auth/login", data={"email": user.email, "password": "Secret-pass-1", "next": target,
                                                "csrf_token": csrf_token(client)})
    assert response.status_code == 302
    assert response.headers["Location"] == "/dashboard"


def test_a_local_next_with_a_query_is_kept(client, make_user):
    user = make_user()
    response = client.post("/auth/login", data={"email": user.email, "password": "Secret-pass-1",
                                                "next": "/account/?tab=1", "csrf_token": csrf_token(client)})
    assert response.headers["Location"] == "/account/?tab=1"


# CSRF ------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/auth/login", "/auth/register", "/auth/forgot-password"])
def test_a_form_posted_without_its_csrf_token_gets_a_clear_400_page(client, path):
    response = client.post(path, data={"email": "someone@example.com", "password": "Secret-pass-1"})
    assert response.status_code == 400
    assert response.mimetype == "text/html"
    assert "Your form has expired or came from another site. Go back, reload the page and send it again." \
        in page_text(response)


def test_a_form_with_a_wrong_csrf_token_is_refused(client, make_user, login):
    user = make_user()
    login(user)
    response = client.post("/account/security/email", data={"new_email": "x@example.com", "password": "Secret-pass-1",
                                                             "csrf_token": "forged"})
    assert response.status_code == 400
    assert "Your form has expired" in page_text(response)


def test_an_htmx_post_without_csrf_shows_the_message_in_the_live_region(client):
    response = client.post("/auth/login", data={"email": "a@example.com"}, headers={"HX-Request": "true"})
    assert response.status_code == 400
    assert response.headers["HX-Retarget"] == "#flash-region"
    assert "Your form has expired" in response.get_data(as_text=True)


def test_an_htmx_post_with_the_csrf_header_is_accepted(client, make_user):
    user = make_user()
    token = csrf_token(client)
    response = client.post("/auth/login", data={"email": user.email, "password": "Secret-pass-1"},
                           headers={"HX-Request": "true", "X-CSRFToken": token})
    assert response.status_code == 200 and response.headers["HX-Redirect"] == "/dashboard"


def test_the_layout_gives_htmx_the_csrf_token(client):
    html = client.get("/auth/login").get_data(as_text=True)
    assert '<meta name="csrf-token" content="' in html
    script = (client.application.static_folder + "/js/app.js")
    with open(script) as source:
        assert "X-CSRFToken" in source.read()


def test_signing_out_of_the_pages_ends_the_api_token_sessions_too(app, client, make_user, login, api_login):
    user = make_user()
    tokens = api_login(user, into=app.test_client())
    login(user)
    client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/dashboard")})
    api = app.test_client()
    assert api.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {tokens['access_token']}"}).status_code == 401
    assert api.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}).status_code == 401
