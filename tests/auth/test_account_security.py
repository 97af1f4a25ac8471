"""Change password and change email from My account > Security, and what each does to the
other sessions of the account."""

from __future__ import annotations

from tests.conftest import csrf_token, page_text
from webapp.accounts.models import User
from webapp.extensions import db

NEW = "Brand-new-pass-7"


def change_password(client, current="Secret-pass-1", new=NEW, confirm=None, **headers):
    return client.post("/account/security/password", headers=headers, data={
        "current_password": current, "new_password": new, "confirm": confirm or new,
        "csrf_token": csrf_token(client, "/account/security")})


def change_email(client, new_email, password="Secret-pass-1"):
    return client.post("/account/security/email", data={
        "new_email": new_email, "password": password, "csrf_token": csrf_token(client, "/account/security")})


def stored(app, user_id) -> User:
    with app.app_context():
        user = db.session.get(User, user_id)
        if user is not None:
            db.session.expunge(user)
        return user


# Password -------------------------------------------------------------------------------

def test_changing_the_password_keeps_this_session_and_ends_the_others(app, client, make_user, login, outbox):
    user = make_user()
    login(user)
    other = app.test_client()
    login(user, into=other)
    response = change_password(client)
    assert response.status_code == 200
    assert "Your password is changed. Every other device has been signed out." in page_text(response)
    assert client.get("/dashboard").status_code == 200
    assert other.get("/dashboard").status_code == 302
    assert stored(app, user.id).check_password(NEW)
    assert outbox.last(user.email, "password_changed")


def test_the_remember_cookie_dies_after_a_password_change(app, client, make_user, login):
    user = make_user()
    phone = app.test_client()
    login(user, remember=True, into=phone)
    remember = phone.get_cookie("talentbase_remember").value
    login(user)
    change_password(client)
    replay = app.test_client()
    replay.set_cookie("talentbase_remember", remember)
    assert replay.get("/dashboard").status_code == 302


def test_a_wrong_current_password_changes_nothing(app, client, make_user, login):
    user = make_user()
    login(user)
    response = change_password(client, current="Not-my-pass-1")
    assert response.status_code == 422
    assert "Your password is not correct." in page_text(response)
    assert stored(app, user.id).check_password("Secret-pass-1")


def test_a_weak_new_password_is_explained(app, client, make_user, login):
    login(make_user())
    response = change_password(client, new="abcdefgh")
    assert response.status_code == 422
    assert "Mix letters with at least one digit or symbol." in page_text(response)


def test_htmx_password_change_answers_with_the_form_fragment(client, make_user, login):
    login(make_user())
    response = change_password(client, current="wrong-pass-1", **{"HX-Request": "true"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "<html" not in html and "Your password is not correct." in html


def test_the_security_page_needs_a_signed_in_person(client):
    response = client.get("/account/security")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login?next=")


# Email ----------------------------------------------------------------------------------

def test_changing_the_email_asks_for_the_password(app, client, make_user, login, outbox):
    user = make_user()
    login(user)
    response = change_email(client, "new@example.com", password="Wrong-pass-1")
    assert response.status_code == 422
    assert "Your password is not correct." in page_text(response)
    assert outbox.messages("new@example.com") == []


def test_the_email_changes_only_when_the_link_sent_to_the_new_address_is_used(app, client, make_user, login, outbox):
    user = make_user()
    login(user)
    response = change_email(client, "New.Address@Example.com")
    assert response.status_code == 200
    assert "We sent a link to new.address@example.com. Your email changes when you open it." in page_text(response)
    assert stored(app, user.id).email == user.email
    link = outbox.link("new.address@example.com", "email_change")
    assert "Press the button to make this address the one you sign in with." in page_text(client.get(link))
    assert stored(app, user.id).email == user.email  # a GET changes nothing
    done = client.post(link, data={"csrf_token": csrf_token(client, link)})
    assert done.status_code == 302 and done.headers["Location"] == "/account/security"
    assert "Your email address is now new.address@example.com." in page_text(client.get("/account/security"))
    assert stored(app, user.id).email == "new.address@example.com"
    assert outbox.last(user.email, "email_changed_notice")  # the old address is told


def test_the_email_change_link_works_once(app, client, make_user, login, outbox):
    user = make_user()
    login(user)
    change_email(client, "new@example.com")
    link = outbox.link("new@example.com", "email_change")
    client.post(link, data={"csrf_token": csrf_token(client, link)})
    again = client.post(link, data={"csrf_token": csrf_token(client, link)})
    assert again.status_code == 400
    assert "This link has already been used or is no longer valid." in page_text(again)


def test_an_expired_email_change_link_is_refused(app, client, make_user, login, outbox, age_links):
    user = make_user()
    login(user)
    change_email(client, "new@example.com")
    link = outbox.link("new@example.com", "email_change")
    age_links(app.config["EMAIL_VERIFY_TTL"] + 1)
    response = client.post(link, data={"csrf_token": csrf_token(client, link)})
    assert response.status_code == 400
    assert "This link has expired." in page_text(response)
    assert stored(app, user.id).email == user.email


def test_the_new_email_must_be_free_and_different(client, make_user, login):
    user = make_user()
    taken = make_user()
    login(user)
    assert "An account with this email already exists." in page_text(change_email(client, taken.email))
    assert "This is already your email address." in page_text(change_email(client, user.email.upper()))
    assert "Enter a valid email address." in page_text(change_email(client, "nope"))


def test_an_address_taken_after_the_link_was_sent_is_not_stolen(app, client, make_user, login, outbox):
    user = make_user()
    login(user)
    change_email(client, "wanted@example.com")
    link = outbox.link("wanted@example.com", "email_change")
    make_user(email="wanted@example.com")
    response = client.post(link, data={"csrf_token": csrf_token(client, link)})
    assert response.status_code == 400
    assert stored(app, user.id).email == user.email


# Signing out everywhere -------------------------------------------------------------------

def test_sign_out_everywhere_ends_this_and_every_other_session(app, client, make_user, login, api_login):
    user = make_user()
    login(user)
    other = app.test_client()
    login(user, remember=True, into=other)
    tokens = api_login(user, into=app.test_client())
    response = client.post("/account/security/sign-out-everywhere",
                           data={"csrf_token": csrf_token(client, "/account/security")})
    assert response.headers["Location"] == "/auth/login"
    assert client.get("/dashboard").status_code == 302
    assert other.get("/dashboard").status_code == 302
    api = app.test_client().get("/api/v1/auth/me", headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert api.status_code == 401
    refresh = app.test_client().post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert refresh.status_code == 401
