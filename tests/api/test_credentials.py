"""How an API caller proves who it is: Bearer access tokens, rotating refresh tokens (reuse
revokes the family), personal API keys, the session cookie (never writable cross-site)."""

from __future__ import annotations

from datetime import timedelta

from tests.conftest import bearer, csrf_token
from tests.factories import make_api_key
from webapp.auth.models import ApiKey, RefreshToken
from webapp.core.db import utcnow
from webapp.extensions import db


def refresh(client, token, field="refresh_token"):
    return client.post("/api/v1/auth/refresh", json={field: token})


# Access tokens -------------------------------------------------------------------------------

def test_a_bearer_token_opens_the_api_without_a_cookie(app, make_user, api_login):
    tokens = api_login(make_user(), into=app.test_client())
    response = app.test_client().get("/api/v1/users/me", headers=bearer(tokens["access_token"]))
    assert response.status_code == 200


def test_a_tampered_or_garbage_token_is_401_invalid_token(app, make_user, api_login):
    tokens = api_login(make_user(), into=app.test_client())
    header, payload, signature = tokens["access_token"].split(".")
    for token in (f"{header}.{payload}.{signature[::-1]}", "garbage", f"{header}.{payload}"):
        response = app.test_client().get("/api/v1/auth/me", headers=bearer(token))
        assert response.status_code == 401
        assert response.get_json()["error"]["code"] == "invalid_token"


def test_an_expired_access_token_is_refused(app, make_user, api_login):
    app.config["ACCESS_TOKEN_TTL"] = -5
    tokens = api_login(make_user(), into=app.test_client())
    response = app.test_client().get("/api/v1/auth/me", headers=bearer(tokens["access_token"]))
    assert response.status_code == 401 and response.get_json()["error"]["code"] == "invalid_token"


def test_an_unknown_authorization_scheme_is_explained(client):
    response = client.get("/api/v1/auth/me", headers={"Authorization": "Basic dXNlcjpwYXNz"})
    assert response.status_code == 401
    assert response.get_json()["error"]["message"] == "Use 'Authorization: Bearer <token>'."


def test_an_access_token_of_a_deleted_account_is_refused(app, make_user, api_login):
    user = make_user()
    tokens = api_login(user, into=app.test_client())
    app.test_client().delete("/api/v1/users/me", headers=bearer(tokens["access_token"]),
                             json={"password": "Secret-pass-1"})
    assert app.test_client().get("/api/v1/auth/me", headers=bearer(tokens["access_token"])).status_code == 401


# Refresh tokens ------------------------------------------------------------------------------

def test_refresh_swaps_the_token_for_a_new_pair(app, client, make_user, api_login):
    user = make_user()
    first = api_login(user, into=app.test_client())
    response = refresh(client, first["refresh_token"])
    assert response.status_code == 200
    second = response.get_json()
    assert second["refresh_token"] != first["refresh_token"]
    assert second["user"]["id"] == user.id
    assert client.get("/api/v1/auth/me", headers=bearer(second["access_token"])).status_code == 200
    assert refresh(client, second["refresh_token"]).status_code == 200


def test_both_spellings_of_the_refresh_token_are_accepted(app, client, make_user, api_login):
    tokens = api_login(make_user(), into=app.test_client())
    assert refresh(client, tokens["refresh_token"], field="refreshToken").status_code == 200


def test_refresh_reads_the_httponly_cookie_when_the_body_has_none(make_user, client):
    user = make_user()
    client.post("/api/v1/auth/login", json={"email": user.email, "password": "Secret-pass-1"})
    response = client.post("/api/v1/auth/refresh", json={})
    assert response.status_code == 200
    assert client.get_cookie("refreshToken", path="/api/v1/auth").value == response.get_json()["refresh_token"]


def test_reusing_a_refresh_token_revokes_the_whole_family(app, client, make_user, api_login):
    first = api_login(make_user(), into=app.test_client())
    second = refresh(client, first["refresh_token"]).get_json()
    replay = refresh(client, first["refresh_token"])
    assert replay.status_code == 401
    assert replay.get_json()["error"]["code"] == "token_revoked"
    # The thief and the owner both lose the session: the newest pair is dead too.
    assert refresh(client, second["refresh_token"]).status_code == 401
    assert client.get("/api/v1/auth/me", headers=bearer(second["access_token"])).status_code == 401


def test_reuse_leaves_the_other_sessions_of_the_account_alone(app, client, make_user, api_login):
    user = make_user()
    laptop = api_login(user, into=app.test_client())
    phone = api_login(user, into=app.test_client())
    refresh(client, laptop["refresh_token"])
    refresh(client, laptop["refresh_token"])
    assert client.get("/api/v1/auth/me", headers=bearer(phone["access_token"])).status_code == 200
    assert refresh(client, phone["refresh_token"]).status_code == 200


def test_an_expired_refresh_token_is_refused(app, client, make_user, api_login):
    tokens = api_login(make_user(), into=app.test_client())
    with app.app_context():
        for row in db.session.scalars(db.select(RefreshToken)):
            row.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    response = refresh(client, tokens["refresh_token"])
    assert response.status_code == 401
    assert response.get_json()["error"]["message"] == "This refresh token has expired. Please sign in again."


def test_an_unknown_or_missing_refresh_token_is_401(client):
    assert refresh(client, "made-up").get_json()["error"]["code"] == "invalid_token"
    missing = client.post("/api/v1/auth/refresh", json={})
    assert missing.status_code == 401
    assert missing.get_json()["error"]["message"] == "A refresh token is required."


def test_refresh_of_a_suspended_account_is_refused(app, client, make_user, api_login):
    from webapp.accounts.models import User

    user = make_user()
    tokens = api_login(user, into=app.test_client())
    with app.app_context():
        # Set directly, so the refresh token is still unrevoked (suspension through the admin
        # page revokes it too: tests/admin/test_users.py).
        db.session.get(User, user.id).status = "suspended"
        db.session.commit()
    response = refresh(client, tokens["refresh_token"])
    assert response.status_code == 403 and response.get_json()["error"]["code"] == "account_suspended"


def test_refresh_tokens_are_stored_hashed(app, make_user, api_login):
    tokens = api_login(make_user(), into=app.test_client())
    with app.app_context():
        hashes = list(db.session.scalars(db.select(RefreshToken.token_hash)))
    assert tokens["refresh_token"] not in hashes and len(hashes) == 1


# API keys -------------------------------------------------------------------------------------

def test_an_api_key_works_as_bearer_or_x_api_key(app, make_user):
    user = make_user()
    with app.app_context():
        key = make_api_key(user.id)
    client = app.test_client()
    assert client.get("/api/v1/users/me", headers=bearer(key)).get_json()["id"] == user.id
    assert client.get("/api/v1/users/me", headers={"X-API-Key": key}).get_json()["id"] == user.id
    with app.app_context():
        assert db.session.scalar(db.select(ApiKey.last_used_at)) is not None
        assert db.session.scalar(db.select(ApiKey.key_hash)) != key


def test_api_keys_are_created_listed_and_revoked_through_the_api(app, client, make_user, api_login):
    user = make_user()
    tokens = api_login(user, into=app.test_client())
    auth = bearer(tokens["access_token"])
    created = client.post("/api/v1/users/me/api-keys", headers=auth, json={"name": "Zapier"})
    assert created.status_code == 201
    body = created.get_json()
    assert body["key"].startswith("tbk_") and body["prefix"] == body["key"][:12] and body["active"] is True
    listing = client.get("/api/v1/users/me/api-keys", headers=auth).get_json()
    assert listing["total"] == 1 and listing["page"] == 1 and listing["pages"] == 1
    assert "key" not in listing["items"][0] and listing["items"][0]["name"] == "Zapier"
    assert app.test_client().get("/api/v1/auth/me", headers=bearer(body["key"])).status_code == 200
    revoked = client.delete(f"/api/v1/users/me/api-keys/{body['id']}", headers=auth)
    assert revoked.status_code == 204 and revoked.data == b""
    refused = app.test_client().get("/api/v1/auth/me", headers=bearer(body["key"]))
    assert refused.status_code == 401
    assert refused.get_json()["error"]["message"] == "This API key is not valid or has been revoked."


def test_an_api_key_needs_a_name(app, client, make_user, api_login):
    tokens = api_login(make_user(), into=app.test_client())
    response = client.post("/api/v1/users/me/api-keys", headers=bearer(tokens["access_token"]), json={"name": "  "})
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {"name": ["Give the key a name, to recognise it later."]}


def test_someone_else_key_is_a_404(app, client, make_user, api_login):
    owner = make_user()
    with app.app_context():
        make_api_key(owner.id)
        key_id = db.session.scalar(db.select(ApiKey.id))
    tokens = api_login(make_user(), into=app.test_client())
    response = client.delete(f"/api/v1/users/me/api-keys/{key_id}", headers=bearer(tokens["access_token"]))
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"


def test_a_made_up_api_key_is_refused(client):
    assert client.get("/api/v1/auth/me", headers={"X-API-Key": "tbk_made_up"}).status_code == 401


# The session cookie and other sites -----------------------------------------------------------

def signed_in_client(app, login, user):
    client = app.test_client()
    login(user, into=client)
    return client


def test_the_session_cookie_reads_the_api(app, make_user, login):
    client = signed_in_client(app, login, make_user())
    response = client.get("/api/v1/auth/verify")
    assert response.status_code == 200 and response.get_json()["auth_method"] == "session"


def test_a_cookie_write_with_a_json_body_from_this_site_works(app, make_user, login):
    client = signed_in_client(app, login, make_user())
    response = client.patch("/api/v1/users/me", json={"bio": "Hello"}, headers={"Origin": "http://localhost"})
    assert response.status_code == 200 and response.get_json()["bio"] == "Hello"


def test_a_cookie_write_from_another_origin_is_refused(app, make_user, login):
    client = signed_in_client(app, login, make_user())
    response = client.patch("/api/v1/users/me", json={"bio": "pwned"}, headers={"Origin": "https://evil.example.org"})
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "csrf_failed"
    assert client.get("/api/v1/users/me").get_json()["bio"] is None


def test_a_cookie_write_with_a_form_body_needs_the_csrf_token(app, make_user, login):
    client = signed_in_client(app, login, make_user())
    refused = client.patch("/api/v1/users/me", data={"bio": "pwned"})
    assert refused.status_code == 403
    assert refused.get_json()["error"] == {"code": "csrf_failed",
                                           "message": "Send JSON, or the X-CSRFToken header, with cookie authentication."}
    token = csrf_token(client, "/dashboard")
    accepted = client.patch("/api/v1/users/me", data={"bio": "fine"}, headers={"X-CSRFToken": token})
    assert accepted.status_code == 200 and accepted.get_json()["bio"] == "fine"


def test_a_cross_site_delete_of_the_account_is_refused(app, make_user, login):
    client = signed_in_client(app, login, make_user())
    response = client.delete("/api/v1/users/me", data={"password": "Secret-pass-1"},
                             headers={"Origin": "https://evil.example.org"})
    assert response.status_code == 403
    assert client.get("/api/v1/users/me").status_code == 200


def test_a_token_request_needs_no_csrf(app, make_user, api_login):
    tokens = api_login(make_user(), into=app.test_client())
    response = app.test_client().patch("/api/v1/users/me", data={"bio": "form"}, headers=bearer(tokens["access_token"]))
    assert response.status_code == 200
