"""Registration through the page: a talent account, signed in at once, a confirmation mail."""

from __future__ import annotations

from sqlalchemy import select

from tests.conftest import csrf_token, page_text
from webapp.accounts.models import User
from webapp.extensions import db

GOOD = {"full_name": "Amina Tazi", "email": "amina@example.com", "password": "Sunny-day-42", "confirm": "Sunny-day-42"}


def post_register(client, **changes):
    data = {**GOOD, **changes, "csrf_token": csrf_token(client, "/auth/register")}
    return client.post("/auth/register", data=data)


def stored_user(app, email):
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        if user is not None:
            db.session.expunge(user)
        return user


def test_the_page_shows_the_form(client):
    response = client.get("/auth/register")
    assert response.status_code == 200
    text = page_text(response)
    assert "Full name" in text and "Repeat the password" in text and "Create my account" in text


def test_registering_creates_a_signed_in_talent_account(app, client, outbox):
    response = post_register(client)
    assert response.status_code == 302
    assert response.headers["Location"] == "/dashboard"
    user = stored_user(app, "amina@example.com")
    assert user.role == "talent" and user.status == "active"
    assert user.full_name == "Amina Tazi"
    assert not user.email_verified
    assert user.password_hash != GOOD["password"]
    dashboard = client.get("/dashboard")
    assert dashboard.status_code == 200
    assert "We sent a link to amina@example.com to confirm your address." in page_text(dashboard)
    mail = outbox.last("amina@example.com", "verify_email")
    assert "/auth/verify-email/" in mail.body_text


def test_the_email_is_stored_in_lower_case(app, client):
    post_register(client, email="Amina.TAZI@Example.COM")
    assert stored_user(app, "amina.tazi@example.com") is not None


def test_an_existing_email_is_refused_whatever_its_case(app, client, make_user):
    make_user(email="amina@example.com")
    response = post_register(client, email="AMINA@example.com")
    assert response.status_code == 422
    assert "An account with this email already exists." in page_text(response)
    with app.app_context():
        assert db.session.scalar(select(db.func.count(User.id))) == 1


def test_a_weak_password_is_explained_and_what_was_typed_is_kept(client):
    response = post_register(client, password="short", confirm="short")
    assert response.status_code == 422
    text = page_text(response)
    assert "Use at least 8 characters." in text
    assert "Mix letters with at least one digit or symbol." in text
    html = response.get_data(as_text=True)
    assert 'value="Amina Tazi"' in html and 'value="amina@example.com"' in html
    assert 'value="short"' not in html  # passwords are never sent back


def test_a_common_password_or_the_email_as_password_is_refused(client):
    assert "This password is too easy to guess." in page_text(post_register(client, password="password123",
                                                                            confirm="password123"))
    same = "amina@example.com"
    assert "This password is too easy to guess." in page_text(post_register(client, password=same, confirm=same))


def test_the_two_passwords_must_match(client):
    response = post_register(client, confirm="Other-pass-42")
    assert response.status_code == 422
    assert "The two passwords differ." in page_text(response)


def test_an_invalid_email_is_refused(client):
    response = post_register(client, email="not-an-email")
    assert response.status_code == 422
    assert "Enter a valid email address." in page_text(response)


def test_a_name_longer_than_120_characters_is_refused(client):
    response = post_register(client, full_name="A" * 121)
    assert response.status_code == 422
    assert stored_user(client.application, GOOD["email"]) is None


def test_htmx_registration_errors_come_back_as_the_form_fragment(client):
    response = client.post("/auth/register", data={**GOOD, "email": "bad", "csrf_token": csrf_token(client)},
                           headers={"HX-Request": "true"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith("<form") and "<html" not in html


def test_a_signed_in_person_is_sent_to_the_dashboard(client, make_user, login):
    login(make_user())
    response = client.get("/auth/register")
    assert response.status_code == 302 and response.headers["Location"] == "/dashboard"


def test_the_account_speaks_the_language_it_was_created_in(app, client):
    client.get("/auth/register", headers={"Accept-Language": "fr-FR,fr;q=0.9"})
    client.post("/auth/register", data={**GOOD, "csrf_token": csrf_token(client, "/auth/register")},
                headers={"Accept-Language": "fr-FR,fr;q=0.9"})
    assert stored_user(app, GOOD["email"]).locale == "fr"
