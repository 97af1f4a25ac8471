"""Email verification: the mailed link asks for a click (nothing changes on GET), then confirms."""

from __future__ import annotations

from tests.conftest import csrf_token, page_text
from webapp.accounts.models import User
from webapp.extensions import db


def is_verified(app, user_id) -> bool:
    with app.app_context():
        return db.session.get(User, user_id).email_verified


def confirm(client, link):
    return client.post(link, data={"csrf_token": csrf_token(client, link)})


def test_opening_the_link_asks_for_a_click_and_changes_nothing(app, client, make_user, outbox):
    from webapp.auth import services

    user = make_user(verified=False)
    with app.app_context():
        services.send_verification(db.session.get(User, user.id))
    link = outbox.link(user.email, "verify_email")
    response = client.get(link)
    assert response.status_code == 200
    assert "Press the button to confirm that this address is yours." in page_text(response)
    assert not is_verified(app, user.id)


def test_confirming_marks_the_address_verified_and_says_so(app, client, make_user, login, outbox):
    from webapp.auth import services

    user = make_user(verified=False)
    with app.app_context():
        services.send_verification(db.session.get(User, user.id))
    login(user)
    response = confirm(client, outbox.link(user.email, "verify_email"))
    assert response.status_code == 302 and response.headers["Location"] == "/dashboard"
    assert is_verified(app, user.id)
    page = page_text(client.get("/dashboard"))
    assert f"Thank you, your email address {user.email} is confirmed." in page
    assert "Please confirm your email address" not in page


def test_an_anonymous_visitor_can_confirm_and_is_sent_to_sign_in(app, client, make_user, outbox):
    from webapp.auth import services

    user = make_user(verified=False)
    with app.app_context():
        services.send_verification(db.session.get(User, user.id))
    response = confirm(client, outbox.link(user.email, "verify_email"))
    assert response.headers["Location"] == "/auth/login"
    assert is_verified(app, user.id)


def test_the_registration_mail_link_works(app, client, outbox):
    client.post("/auth/register", data={"full_name": "Omar Idrissi", "email": "omar@example.com",
                                        "password": "Sunny-day-42", "confirm": "Sunny-day-42",
                                        "csrf_token": csrf_token(client, "/auth/register")})
    assert "Please confirm your email address: we sent a link to omar@example.com." in page_text(client.get("/dashboard"))
    confirm(client, outbox.link("omar@example.com", "verify_email"))
    with app.app_context():
        assert db.session.scalar(db.select(User).where(User.email == "omar@example.com")).email_verified


def test_a_tampered_link_is_refused_with_a_clear_page(client):
    response = confirm(client, "/auth/verify-email/not-a-real-token")
    assert response.status_code == 400
    assert "This verification link is not valid." in page_text(response)


def test_an_expired_link_is_refused(app, client, make_user, outbox, age_links):
    from webapp.auth import services

    user = make_user(verified=False)
    with app.app_context():
        services.send_verification(db.session.get(User, user.id))
    link = outbox.link(user.email, "verify_email")
    age_links(app.config["EMAIL_VERIFY_TTL"] + 60)
    response = confirm(client, link)
    assert response.status_code == 400
    assert "This verification link has expired. Sign in and ask for a new one." in page_text(response)
    assert not is_verified(app, user.id)


def test_a_link_for_an_old_address_does_not_verify_the_new_one(app, client, make_user, outbox):
    from webapp.auth import services

    user = make_user(verified=False)
    with app.app_context():
        services.send_verification(db.session.get(User, user.id))
        db.session.get(User, user.id).email = "changed@example.com"
        db.session.commit()
    response = confirm(client, outbox.link(user.email, "verify_email"))
    assert response.status_code == 400
    assert "This verification link is no longer valid." in page_text(response)
    assert not is_verified(app, user.id)


def test_send_the_link_again_mails_a_new_one(client, make_user, login, outbox):
    user = make_user(verified=False)
    login(user)
    response = client.post("/auth/verify-email/resend", data={"csrf_token": csrf_token(client, "/dashboard"),
                                                              "next": "/dashboard"})
    assert response.status_code == 302 and response.headers["Location"] == "/dashboard"
    assert len(outbox.messages(user.email, "verify_email")) == 1
    assert f"We sent a new confirmation link to {user.email}." in page_text(client.get("/dashboard"))


def test_send_again_for_a_verified_address_sends_nothing(client, make_user, login, outbox):
    user = make_user(verified=True)
    login(user)
    client.post("/auth/verify-email/resend", data={"csrf_token": csrf_token(client, "/dashboard")})
    assert outbox.messages(user.email, "verify_email") == []
    assert "Your email address is already confirmed." in page_text(client.get("/dashboard"))


def test_send_again_needs_a_signed_in_person(client):
    response = client.post("/auth/verify-email/resend", data={"csrf_token": csrf_token(client)})
    assert response.status_code == 302 and response.headers["Location"].startswith("/auth/login")


def test_send_again_ignores_a_foreign_next(client, make_user, login):
    login(make_user(verified=False))
    response = client.post("/auth/verify-email/resend", data={"csrf_token": csrf_token(client, "/dashboard"),
                                                              "next": "https://evil.example.org/"})
    assert response.headers["Location"] == "/dashboard"
