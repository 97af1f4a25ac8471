"""`flask --app wsgi create-admin EMAIL --password P`."""

from __future__ import annotations

import re

from tests.conftest import csrf_token
from webapp.accounts.models import User
from webapp.extensions import db


def run(app, *args):
    return app.test_cli_runner().invoke(args=["create-admin", *args])


def user_by_email(app, email):
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.email == email))
        if user is not None:
            db.session.expunge(user)
        return user


def test_it_creates_a_verified_admin_who_can_sign_in(app, login):
    result = run(app, "Boss@Example.com", "--password", "Admin-pass-42", "--name", "Nadia Benali")
    assert result.exit_code == 0, result.output
    assert "Administrator created: boss@example.com" in result.output
    user = user_by_email(app, "boss@example.com")
    assert (user.role, user.full_name, user.email_verified) == ("admin", "Nadia Benali", True)
    client = app.test_client()
    login(user, password="Admin-pass-42", into=client)
    assert client.get("/admin/users").status_code == 200


def test_without_password_a_random_one_is_printed_and_works(app, login):
    result = run(app, "boss@example.com")
    assert result.exit_code == 0
    password = re.search(r"Password: (\S+)", result.output).group(1)
    login(user_by_email(app, "boss@example.com"), password=password, into=app.test_client())


def test_an_existing_account_becomes_admin_and_its_sessions_end_when_the_password_changes(app, make_user, login):
    user = make_user(email="amina@example.com")
    browser = app.test_client()
    login(user, into=browser)
    result = run(app, "amina@example.com", "--password", "Admin-pass-42")
    assert result.exit_code == 0 and "amina@example.com is now an administrator." in result.output
    promoted = user_by_email(app, "amina@example.com")
    assert promoted.role == "admin" and promoted.check_password("Admin-pass-42")
    assert browser.get("/dashboard").status_code == 302


def test_promoting_without_a_password_keeps_the_old_one(app, make_user):
    make_user(email="amina@example.com")
    result = run(app, "amina@example.com")
    assert result.exit_code == 0 and "Password:" not in result.output
    assert user_by_email(app, "amina@example.com").check_password("Secret-pass-1")


def test_a_weak_password_or_a_bad_email_is_refused_clearly(app):
    weak = run(app, "boss@example.com", "--password", "short")
    assert weak.exit_code != 0 and "Use at least 8 characters." in weak.output
    assert user_by_email(app, "boss@example.com") is None
    bad = run(app, "not-an-email", "--password", "Admin-pass-42")
    assert bad.exit_code != 0 and "email" in bad.output


def test_the_new_admin_is_not_signed_in_anywhere_by_the_command(app):
    run(app, "boss@example.com", "--password", "Admin-pass-42")
    client = app.test_client()
    assert client.get("/admin/users").status_code == 302
    assert csrf_token(client)  # the sign-in page still opens
