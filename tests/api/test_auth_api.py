"""/api/v1/auth and /api/v1/password-reset: the seeds' authentication endpoints."""

from __future__ import annotations

import pytest

from tests.conftest import bearer
from webapp.accounts.models import User
from webapp.extensions import db

USER_FIELDS = {"id", "email", "username", "full_name", "name", "phone", "bio", "avatar_url", "role", "status",
               "is_active", "email_verified", "email_verified_at", "subscription_tier", "preferences",
               "created_at", "updated_at", "last_login_at"}


def assert_token_answer(body, email):
    assert set(body) == {"access_token", "refresh_token", "token_type", "expires_in", "user"}
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 900
    assert body["access_token"].count(".") == 2
    assert set(body["user"]) == USER_FIELDS
    assert body["user"]["email"] == email


def stored(app, email):
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.email == email))
        if user is not None:
            db.session.expunge(user)
        return user


# Register ---------------------------------------------------------------------------------

def test_register_creates_a_talent_and_answers_201_with_tokens(app, client, outbox):
    response = client.post("/api/v1/auth/register", json={"email": "Omar@Example.com", "password": "Sunny-day-42",
                                                           "full_name": "Omar Idrissi"})
    assert response.status_code == 201
    body = response.get_json()
    assert_token_answer(body, "omar@example.com")
    assert body["user"]["role"] == "talent" and body["user"]["full_name"] == "Omar Idrissi"
    assert body["user"]["email_verified"] is False
    assert outbox.last("omar@example.com", "verify_email")
    assert client.get("/api/v1/auth/me", headers=bearer(body["access_token"])).status_code == 200


@pytest.mark.parametrize("path", ["/api/v1/auth/register", "/api/v1/auth/signup"])
@pytest.mark.parametrize("name_field", ["full_name", "name", "fullName"])
def test_register_and_its_alias_accept_every_spelling_of_the_name(client, path, name_field):
    response = client.post(path, json={"email": "fatou@example.com", "password": "Sunny-day-42", name_field: "Fatou Diop"})
    assert response.status_code == 201
    assert response.get_json()["user"]["name"] == "Fatou Diop"


def test_register_without_a_name_uses_the_username_or_the_address(client):
    body = client.post("/api/v1/auth/register", json={"email": "ali@example.com", "password": "Sunny-day-42"}).get_json()
    assert body["user"]["full_name"] == "ali"
    body = client.post("/api/v1/auth/register", json={"email": "b@example.com", "password": "Sunny-day-42",
                                                      "username": "bintou.k"}).get_json()
    assert body["user"]["username"] == "bintou.k" and body["user"]["full_name"] == "bintou.k"


def test_register_an_existing_email_is_409_user_exists(client, make_user):
    user = make_user()
    response = client.post("/api/v1/auth/register", json={"email": user.email.upper(), "password": "Sunny-day-42",
                                                           "name": "X Y"})
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert error["code"] == "user_exists"
    assert error["fields"] == {"email": ["An account with this email already exists."]}


def test_register_explains_every_bad_field_at_once(client):
    response = client.post("/api/v1/auth/register", json={"email": "nope", "password": "short", "username": "a b"})
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "validation_error"
    assert set(error["fields"]) == {"email", "password", "username"}
    assert "Use at least 8 characters." in error["fields"]["password"]


def test_register_missing_fields_are_listed(client):
    response = client.post("/api/v1/auth/register", json={})
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {"email": ["This field is required."],
                                                      "password": ["This field is required."]}


def test_register_accepts_a_form_encoded_body_too(client):
    response = client.post("/api/v1/auth/register", data={"email": "form@example.com", "password": "Sunny-day-42",
                                                           "name": "Form Person"})
    assert response.status_code == 201


# Login ------------------------------------------------------------------------------------

def test_login_answers_the_token_shape_and_sets_the_refresh_cookie(client, make_user):
    user = make_user()
    response = client.post("/api/v1/auth/login", json={"email": user.email, "password": "Secret-pass-1"})
    assert response.status_code == 200
    assert_token_answer(response.get_json(), user.email)
    cookie = client.get_cookie("refreshToken", path="/api/v1/auth")
    assert cookie is not None and cookie.http_only and cookie.same_site == "Strict"
    assert cookie.value == response.get_json()["refresh_token"]


def test_login_with_a_wrong_password_is_401_invalid_credentials(client, make_user):
    user = make_user()
    response = client.post("/api/v1/auth/login", json={"email": user.email, "password": "Wrong-pass-1"})
    assert response.status_code == 401
    assert response.get_json() == {"error": {"code": "invalid_credentials",
                                             "message": "The email or password is incorrect."}}


def test_login_with_an_unknown_email_is_the_same_401(client):
    response = client.post("/api/v1/auth/login", json={"email": "nobody@example.com", "password": "Wrong-pass-1"})
    assert response.status_code == 401 and response.get_json()["error"]["code"] == "invalid_credentials"


def test_login_of_a_suspended_account_is_403_account_suspended(client, make_user):
    user = make_user(status="suspended")
    response = client.post("/api/v1/auth/login", json={"email": user.email, "password": "Secret-pass-1"})
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "account_suspended"


def test_login_with_missing_fields_is_422(client):
    response = client.post("/api/v1/auth/login", json={"email": "a@example.com"})
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {"password": ["This field is required."]}


def test_login_also_opens_a_cookie_session(client, make_user):
    user = make_user()
    client.post("/api/v1/auth/login", json={"email": user.email, "password": "Secret-pass-1"})
    me = client.get("/api/v1/auth/verify")
    assert me.status_code == 200 and me.get_json()["auth_method"] == "session"
    assert client.get("/dashboard").status_code == 200


# Me and verify ------------------------------------------------------------------------------

def test_me_is_the_user_itself(client, make_user, api_login):
    user = make_user(full_name="Amina Tazi")
    tokens = api_login(user, into=client.application.test_client())
    body = client.get("/api/v1/auth/me", headers=bearer(tokens["access_token"])).get_json()
    assert set(body) == USER_FIELDS
    assert (body["id"], body["email"], body["full_name"], body["name"]) == (user.id, user.email, "Amina Tazi", "Amina Tazi")
    assert body["preferences"] == {"notifications_enabled": True, "email_notifications": True, "theme": "light",
                                   "language": "en"}
    assert "password_hash" not in body and "session_token" not in body


def test_me_without_credentials_is_401(client):
    response = client.get("/api/v1/auth/me")
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"


def test_verify_tells_how_the_caller_authenticated(app, client, make_user, api_login):
    from tests.factories import make_api_key

    user = make_user()
    tokens = api_login(user, into=app.test_client())
    with app.app_context():
        key = make_api_key(user.id)
    fresh = app.test_client()
    token_info = fresh.get("/api/v1/auth/verify", headers=bearer(tokens["access_token"])).get_json()
    assert token_info == {"id": user.id, "email": user.email, "role": "talent", "email_verified": True,
                          "auth_method": "token"}
    assert fresh.get("/api/v1/auth/verify", headers={"X-API-Key": key}).get_json()["auth_method"] == "api_key"


# Logout -------------------------------------------------------------------------------------

def test_logout_revokes_the_token_family(app, client, make_user, api_login):
    user = make_user()
    tokens = api_login(user, into=app.test_client())
    response = client.post("/api/v1/auth/logout", headers=bearer(tokens["access_token"]))
    assert response.status_code == 200
    assert response.get_json() == {"message": "Logged out successfully"}
    assert client.get("/api/v1/auth/me", headers=bearer(tokens["access_token"])).status_code == 401
    refresh = client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert refresh.status_code == 401 and refresh.get_json()["error"]["code"] == "token_revoked"


def test_logout_with_the_refresh_token_in_the_body(app, client, make_user, api_login):
    tokens = api_login(make_user(), into=app.test_client())
    client.post("/api/v1/auth/logout", json={"refreshToken": tokens["refresh_token"]})
    assert client.get("/api/v1/auth/me", headers=bearer(tokens["access_token"])).status_code == 401


def test_logout_of_a_cookie_session_ends_it_and_clears_the_refresh_cookie(client, make_user):
    user = make_user()
    client.post("/api/v1/auth/login", json={"email": user.email, "password": "Secret-pass-1"})
    response = client.post("/api/v1/auth/logout", json={})
    assert response.status_code == 200
    assert client.get_cookie("refreshToken", path="/api/v1/auth") is None
    assert client.get("/api/v1/auth/me").status_code == 401
    assert client.get("/dashboard").status_code == 302


def test_logout_without_credentials_is_harmless(client):
    assert client.post("/api/v1/auth/logout", json={}).status_code == 200


# Email verification -------------------------------------------------------------------------

def test_verify_email_with_the_mailed_token(app, client, outbox):
    client.post("/api/v1/auth/register", json={"email": "v@example.com", "password": "Sunny-day-42", "name": "V W"})
    token = outbox.link("v@example.com", "verify_email").rsplit("/", 1)[1]
    response = app.test_client().post("/api/v1/auth/verify-email", json={"token": token})
    assert response.status_code == 200 and response.get_json()["email_verified"] is True


def test_verify_email_with_a_bad_token_is_422(client):
    response = client.post("/api/v1/auth/verify-email", json={"token": "bad"})
    assert response.status_code == 422
    assert response.get_json()["error"]["message"] == "This verification link is not valid."


def test_resend_verification(app, client, make_user, api_login, outbox):
    user = make_user(verified=False)
    tokens = api_login(user, into=app.test_client())
    response = client.post("/api/v1/auth/verify-email/resend", headers=bearer(tokens["access_token"]))
    assert response.status_code == 200
    assert response.get_json() == {"message": "A new confirmation link has been sent."}
    assert len(outbox.messages(user.email, "verify_email")) == 1


# Password reset -----------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/api/v1/password-reset/request", "/api/v1/auth/forgot-password"])
def test_reset_request_answers_the_same_for_known_and_unknown_emails(client, make_user, outbox, path):
    user = make_user()
    known = client.post(path, json={"email": user.email})
    unknown = client.post(path, json={"email": "nobody@example.com"})
    assert known.status_code == unknown.status_code == 202
    assert known.get_json() == unknown.get_json() == {
        "message": "If an account exists for this email, a reset link has been sent."}
    assert len(outbox.messages(user.email, "password_reset")) == 1
    assert outbox.messages("nobody@example.com") == []


def test_reset_request_with_an_invalid_email_is_422(client):
    response = client.post("/api/v1/password-reset/request", json={"email": "not an email"})
    assert response.status_code == 422 and "email" in response.get_json()["error"]["fields"]


@pytest.mark.parametrize("path", ["/api/v1/password-reset/confirm", "/api/v1/auth/reset-password"])
@pytest.mark.parametrize("field", ["new_password", "newPassword", "password"])
def test_reset_confirm_accepts_each_spelling_and_works_once(app, client, make_user, outbox, path, field):
    user = make_user()
    client.post("/api/v1/password-reset/request", json={"email": user.email})
    token = outbox.link(user.email, "password_reset").rsplit("/", 1)[1]
    response = client.post(path, json={"token": token, field: "Brand-new-pass-7"})
    assert response.status_code == 200
    assert response.get_json() == {"message": "Password reset successfully"}
    again = client.post(path, json={"token": token, field: "Other-new-pass-8"})
    assert again.status_code == 401 and again.get_json()["error"]["code"] == "invalid_token"
    login = client.post("/api/v1/auth/login", json={"email": user.email, "password": "Brand-new-pass-7"})
    assert login.status_code == 200


def test_reset_confirm_with_an_expired_token_is_401(app, client, make_user, outbox, age_links):
    user = make_user()
    client.post("/api/v1/password-reset/request", json={"email": user.email})
    token = outbox.link(user.email, "password_reset").rsplit("/", 1)[1]
    age_links(app.config["PASSWORD_RESET_TTL"] + 1)
    response = client.post("/api/v1/password-reset/confirm", json={"token": token, "new_password": "Brand-new-pass-7"})
    assert response.status_code == 401
    assert response.get_json()["error"]["message"] == "This reset link has expired. Ask for a new one."


def test_reset_confirm_with_a_weak_password_is_422_and_keeps_the_token(client, make_user, outbox):
    user = make_user()
    client.post("/api/v1/password-reset/request", json={"email": user.email})
    token = outbox.link(user.email, "password_reset").rsplit("/", 1)[1]
    weak = client.post("/api/v1/password-reset/confirm", json={"token": token, "new_password": "abc"})
    assert weak.status_code == 422 and "new_password" in weak.get_json()["error"]["fields"]
    ok = client.post("/api/v1/password-reset/confirm", json={"token": token, "new_password": "Brand-new-pass-7"})
    assert ok.status_code == 200


def test_reset_ends_every_token_of_the_account(app, client, make_user, api_login, outbox):
    user = make_user()
    tokens = api_login(user, into=app.test_client())
    client.post("/api/v1/password-reset/request", json={"email": user.email})
    token = outbox.link(user.email, "password_reset").rsplit("/", 1)[1]
    client.post("/api/v1/password-reset/confirm", json={"token": token, "new_password": "Brand-new-pass-7"})
    assert client.get("/api/v1/auth/me", headers=bearer(tokens["access_token"])).status_code == 401


# Change password and email ------------------------------------------------------------------

@pytest.mark.parametrize("spelling", [("current_password", "new_password"), ("currentPassword", "newPassword")])
def test_change_password_returns_fresh_tokens_and_ends_the_old_ones(app, client, make_user, api_login, spelling):
    user = make_user()
    old = api_login(user, into=app.test_client())
    current, new = spelling
    response = client.post("/api/v1/auth/change-password", headers=bearer(old["access_token"]),
                           json={current: "Secret-pass-1", new: "Brand-new-pass-7"})
    assert response.status_code == 200
    fresh = response.get_json()
    assert_token_answer(fresh, user.email)
    assert client.get("/api/v1/auth/me", headers=bearer(old["access_token"])).status_code == 401
    assert client.get("/api/v1/auth/me", headers=bearer(fresh["access_token"])).status_code == 200


def test_change_password_with_a_wrong_current_password_is_422(app, client, make_user, api_login):
    user = make_user()
    tokens = api_login(user, into=app.test_client())
    response = client.post("/api/v1/auth/change-password", headers=bearer(tokens["access_token"]),
                           json={"current_password": "Wrong-pass-1", "new_password": "Brand-new-pass-7"})
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {"current_password": ["Your password is not correct."]}


def test_change_email_needs_the_password_then_mails_the_new_address(app, client, make_user, api_login, outbox):
    user = make_user()
    tokens = api_login(user, into=app.test_client())
    wrong = client.post("/api/v1/auth/change-email", headers=bearer(tokens["access_token"]),
                        json={"new_email": "new@example.com", "password": "Wrong-pass-1"})
    assert wrong.status_code == 422 and wrong.get_json()["error"]["fields"] == {
        "password": ["Your password is not correct."]}
    response = client.post("/api/v1/auth/change-email", headers=bearer(tokens["access_token"]),
                           json={"newEmail": "new@example.com", "password": "Secret-pass-1"})
    assert response.status_code == 202
    assert outbox.last("new@example.com", "email_change")
    assert stored(app, user.email) is not None  # unchanged until the link is used


def test_logout_with_a_token_signs_the_account_out_of_the_pages_too(app, client, make_user, api_login, login):
    user = make_user()
    browser = app.test_client()
    login(user, remember=True, into=browser)
    remember = browser.get_cookie("talentbase_remember").value
    tokens = api_login(user, into=app.test_client())
    client.post("/api/v1/auth/logout", headers=bearer(tokens["access_token"]))
    assert browser.get("/dashboard").status_code == 302
    replay = app.test_client()
    replay.set_cookie("talentbase_remember", remember)
    assert replay.get("/dashboard").status_code == 302


def test_register_cannot_choose_a_role_or_a_verified_address(client):
    response = client.post("/api/v1/auth/register", json={"email": "sly@example.com", "password": "Sunny-day-42",
                                                           "name": "Sly", "role": "admin", "email_verified": True,
                                                           "status": "active", "subscription_tier": "enterprise"})
    user = response.get_json()["user"]
    assert (user["role"], user["email_verified"], user["subscription_tier"]) == ("talent", False, "free")
