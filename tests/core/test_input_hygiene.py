"""A NUL character (which PostgreSQL text cannot hold) is bad input, never a 500."""

from __future__ import annotations

import pytest

from tests.conftest import bearer, csrf_token, page_text

NUL = "Amina\x00Tazi"
MESSAGE = "This text contains a character that is not allowed (NUL)."


@pytest.mark.parametrize("path,body", [
    ("/api/v1/auth/login", {"email": "x\x00@example.com", "password": "p"}),
    ("/api/v1/auth/register", {"email": "n@example.com", "password": "Sunny-day-42", "name": NUL}),
    ("/api/v1/password-reset/request", {"email": "a\x00@example.com"}),
])
def test_api_bodies_with_a_nul_are_422_naming_the_field(client, path, body):
    response = client.post(path, json=body)
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "validation_error" and error["message"] == MESSAGE
    assert set(error["fields"]) == {key for key, value in body.items() if "\x00" in value}


def test_nested_fields_are_named_too(app, client, make_user, api_login):
    tokens = api_login(make_user(), into=app.test_client())
    response = client.patch("/api/v1/users/me", headers=bearer(tokens["access_token"]),
                            json={"bio": "fine", "preferences": {"theme": "da\x00rk"}})
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {"theme"}


def test_a_form_with_a_nul_gets_a_clear_page(client, make_user, login):
    login(make_user())
    response = client.post("/account/", data={"full_name": NUL, "csrf_token": csrf_token(client, "/account/")})
    assert response.status_code == 422
    assert MESSAGE in page_text(response)


def test_a_query_argument_with_a_nul_is_refused(client, login, admin):
    login(admin)
    assert client.get("/admin/users?q=a%00b").status_code == 422


def test_a_nul_in_the_user_agent_is_dropped_not_stored(app, client, make_user):
    from webapp.auth.models import RefreshToken
    from webapp.extensions import db

    user = make_user()
    response = client.post("/api/v1/auth/login", json={"email": user.email, "password": "Secret-pass-1"},
                           headers={"User-Agent": "curl\x00/8"})
    assert response.status_code == 200
    with app.app_context():
        assert db.session.scalar(db.select(RefreshToken.user_agent)) == "curl/8"


def test_ordinary_text_passes(client, make_user, login):
    login(make_user())
    response = client.post("/account/", data={"full_name": "Amina Tazi — actrice", "bio": "Ligne 1\nLigne 2\t!",
                                              "csrf_token": csrf_token(client, "/account/")})
    assert response.status_code == 200


BIG = "99999999999999999999"


def test_an_id_too_big_for_the_database_is_a_404(app, client, make_user, api_login, login, admin):
    tokens = api_login(make_user(), into=app.test_client())
    api = client.delete(f"/api/v1/users/me/api-keys/{BIG}", headers=bearer(tokens["access_token"]))
    assert api.status_code == 404 and api.get_json()["error"]["code"] == "not_found"
    login(admin)
    token = csrf_token(client, "/admin/users")
    assert client.get(f"/admin/outbox/{BIG}").status_code == 404
    assert client.get(f"/files/avatar/{BIG}").status_code == 404
    assert client.post(f"/admin/users/{BIG}/status", data={"status": "active", "csrf_token": token}).status_code == 404
    assert client.post(f"/admin/invitations/{BIG}/revoke", data={"csrf_token": token}).status_code == 404
    assert client.post(f"/account/api-keys/{BIG}/revoke", data={"csrf_token": token}).status_code == 404
    assert client.get(f"/admin/outbox/{2**31 - 1}").status_code == 404  # the largest id still reaches the view
