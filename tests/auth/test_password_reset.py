"""Password reset by mail: same answer for every email, a signed link that works once and
expires, and a new password that ends every session of the account."""

from __future__ import annotations

from tests.conftest import csrf_token, page_text
from webapp.accounts.models import User
from webapp.extensions import db

NEW = "Brand-new-pass-7"


def ask_reset(client, email):
    return client.post("/auth/forgot-password", data={"email": email, "csrf_token": csrf_token(client)})


def choose(client, link, password=NEW, confirm=None):
    return client.post(link, data={"new_password": password, "confirm": confirm or password,
                                   "csrf_token": csrf_token(client, link)})


def test_the_answer_is_the_same_for_a_known_and_an_unknown_email(client, make_user, outbox):
    user = make_user()
    known = ask_reset(client, user.email)
    unknown = ask_reset(client, "nobody@example.com")
    assert known.status_code == unknown.status_code == 200
    known_text = page_text(known).replace(user.email, "EMAIL")
    unknown_text = page_text(unknown).replace("nobody@example.com", "EMAIL")
    assert known_text == unknown_text
    assert "If an account exists for EMAIL, we have sent it a link" in known_text
    assert len(outbox.messages(user.email, "password_reset")) == 1
    assert outbox.messages("nobody@example.com") == []


def test_a_suspended_account_gets_no_link_but_the_same_answer(client, make_user, outbox):
    user = make_user(status="suspended")
    response = ask_reset(client, user.email)
    assert response.status_code == 200 and "Check your mail" in page_text(response)
    assert outbox.messages(user.email) == []


def test_an_invalid_email_is_explained(client):
    response = ask_reset(client, "not-an-email")
    assert response.status_code == 422
    assert "Enter a valid email address." in page_text(response)


def test_the_link_sets_a_new_password_and_leads_to_sign_in(app, client, make_user, outbox, login):
    user = make_user()
    ask_reset(client, user.email)
    link = outbox.link(user.email, "password_reset")
    assert link.startswith("/auth/reset-password/")
    page = client.get(link)
    assert page.status_code == 200 and "Choose a new password" in page_text(page)
    response = choose(client, link)
    assert response.status_code == 302
    assert response.headers["Location"].replace("%40", "@") == f"/auth/login?email={user.email}"
    assert "Your password is changed. Sign in with the new one." in page_text(client.get(response.headers["Location"]))
    login(user, password=NEW, into=app.test_client())
    old = app.test_client().post("/auth/login", data={"email": user.email, "password": "Secret-pass-1",
                                                      "csrf_token": csrf_token(client)})
    assert old.status_code in (400, 422)
    assert outbox.last(user.email, "password_changed")


def test_the_link_works_only_once(client, make_user, outbox):
    user = make_user()
    ask_reset(client, user.email)
    link = outbox.link(user.email, "password_reset")
    choose(client, link)
    again = client.get(link)
    assert again.status_code == 400
    assert "This reset link has already been used. Ask for a new one." in page_text(again)
    assert choose(client, link, password="Another-pass-8").status_code == 400


def test_an_older_link_dies_when_a_newer_one_is_used(client, make_user, outbox, age_links):
    user = make_user()
    ask_reset(client, user.email)
    first = outbox.link(user.email, "password_reset")
    age_links(5)  # a few seconds later
    ask_reset(client, user.email)
    second = outbox.link(user.email, "password_reset")
    assert first != second
    choose(client, second)
    assert client.get(first).status_code == 400


def test_an_expired_link_is_refused_and_offers_a_new_one(app, client, make_user, outbox, age_links):
    user = make_user()
    ask_reset(client, user.email)
    link = outbox.link(user.email, "password_reset")
    age_links(app.config["PASSWORD_RESET_TTL"] + 1)
    response = client.get(link)
    assert response.status_code == 400
    text = page_text(response)
    assert "This reset link has expired. Ask for a new one." in text
    assert 'href="/auth/forgot-password"' in response.get_data(as_text=True)
    assert choose(client, link).status_code == 400
    with app.app_context():
        assert db.session.get(User, user.id).check_password("Secret-pass-1")


def test_a_link_still_young_enough_works(app, client, make_user, outbox, age_links):
    user = make_user()
    ask_reset(client, user.email)
    link = outbox.link(user.email, "password_reset")
    age_links(app.config["PASSWORD_RESET_TTL"] - 60)
    assert choose(client, link).status_code == 302


def test_a_forged_link_is_refused(client):
    response = client.get("/auth/reset-password/forged.token.value")
    assert response.status_code == 400
    assert "This reset link is not valid. Ask for a new one." in page_text(response)


def test_a_weak_new_password_is_explained_and_the_link_still_works(client, make_user, outbox):
    user = make_user()
    ask_reset(client, user.email)
    link = outbox.link(user.email, "password_reset")
    response = choose(client, link, password="weak")
    assert response.status_code == 422
    assert "Use at least 8 characters." in page_text(response)
    assert choose(client, link).status_code == 302


def test_the_two_new_passwords_must_match(client, make_user, outbox):
    user = make_user()
    ask_reset(client, user.email)
    response = choose(client, outbox.link(user.email, "password_reset"), confirm="Different-pass-9")
    assert response.status_code == 422 and "The two passwords differ." in page_text(response)


def test_a_reset_ends_every_session_and_remember_cookie(app, client, make_user, outbox, login):
    user = make_user()
    browser = app.test_client()
    login(user, remember=True, into=browser)
    remember = browser.get_cookie("talentbase_remember").value
    ask_reset(client, user.email)
    choose(client, outbox.link(user.email, "password_reset"))
    assert browser.get("/dashboard").status_code == 302
    replay = app.test_client()
    replay.set_cookie("talentbase_remember", remember)
    assert replay.get("/dashboard").status_code == 302


def test_a_reset_confirms_the_email_address(app, client, make_user, outbox):
    user = make_user(verified=False)
    ask_reset(client, user.email)
    choose(client, outbox.link(user.email, "password_reset"))
    with app.app_context():
        assert db.session.get(User, user.id).email_verified


def test_the_mail_is_in_the_account_language(client, make_user, outbox):
    user = make_user(locale="fr")
    ask_reset(client, user.email)
    mail = outbox.last(user.email, "password_reset")
    assert "mot de passe" in (mail.subject + mail.body_text).lower()
