"""Every API error is JSON {"error": {"code", "message", "fields"?}} with the seeds' status."""

from __future__ import annotations

import pytest

from tests.conftest import bearer


def assert_error(response, status, code):
    assert response.status_code == status
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    return body["error"]


def test_401_unauthorized(client):
    assert_error(client.get("/api/v1/users/me"), 401, "unauthorized")


def test_403_forbidden_from_a_foreign_origin(client, make_user):
    response = client.post("/api/v1/auth/login", json={"email": "a@example.com", "password": "x"},
                           headers={"Origin": "https://evil.example.org"})
    assert_error(response, 403, "csrf_failed")


def test_404_for_an_unknown_path(client):
    error = assert_error(client.get("/api/v1/no/such/thing"), 404, "not_found")
    assert error["message"] == "We could not find this page."


def test_404_for_an_unknown_object(app, client, make_user, api_login):
    tokens = api_login(make_user(), into=app.test_client())
    assert_error(client.delete("/api/v1/users/me/api-keys/99999", headers=bearer(tokens["access_token"])),
                 404, "not_found")


def test_405_names_the_allowed_methods(client):
    response = client.delete("/api/v1/auth/login")
    assert_error(response, 405, "method_not_allowed")
    assert "POST" in response.headers["Allow"]


def test_422_lists_the_fields(client):
    error = assert_error(client.post("/api/v1/auth/login", json={"email": 1}), 422, "validation_error")
    assert set(error["fields"]) == {"email", "password"}


def test_400_for_a_body_that_is_not_json(client):
    response = client.post("/api/v1/auth/login", data="{not json", content_type="application/json")
    assert assert_error(response, 400, "bad_request")["message"] == "The body is not valid JSON."


def test_422_for_json_that_is_not_an_object(client):
    response = client.post("/api/v1/auth/login", json=["a", "b"])
    assert assert_error(response, 422, "validation_error")["message"] == "The body must be a JSON object."


def test_415_for_another_content_type(client):
    response = client.post("/api/v1/auth/login", data="email=a", content_type="text/plain")
    assert_error(response, 415, "unsupported_media_type")


def test_413_for_a_body_over_the_limit(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    response = client.post("/api/v1/auth/login", data="x" * 4096, content_type="application/json")
    assert_error(response, 413, "payload_too_large")


def test_429_with_retry_after_and_rate_limit_headers(app, client, make_user, api_login):
    app.config["RATELIMIT_API"] = "2 per 15 minutes"
    tokens = api_login(make_user(), into=app.test_client())
    headers = bearer(tokens["access_token"])
    first = client.get("/api/v1/users/me", headers=headers)
    assert first.headers["X-RateLimit-Limit"] == "2" and first.headers["X-RateLimit-Remaining"] == "1"
    assert "Retry-After" not in first.headers
    client.get("/api/v1/users/me", headers=headers)
    response = client.get("/api/v1/users/me", headers=headers)
    error = assert_error(response, 429, "rate_limit_exceeded")
    retry = int(response.headers["Retry-After"])
    assert 0 < retry <= 900
    assert error["retryAfter"] == retry
    assert error["message"] == f"Too many attempts. Please try again in {retry} seconds."
    assert response.headers["X-RateLimit-Remaining"] == "0" and int(response.headers["X-RateLimit-Reset"]) > 0


def test_500_is_json_without_details(app, client, make_user, api_login, monkeypatch):
    from webapp.api.schemas import UserOut

    tokens = api_login(make_user(), into=app.test_client())

    def explode(cls, user):
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(UserOut, "of", classmethod(explode))
    response = client.get("/api/v1/auth/me", headers=bearer(tokens["access_token"]))
    error = assert_error(response, 500, "server_error")
    assert "secret internal detail" not in response.get_data(as_text=True)
    assert "Traceback" not in response.get_data(as_text=True)
    assert error["message"] == "Something went wrong on our side. It has been logged; please try again."


@pytest.mark.parametrize("body", [{"email": None, "password": None}, {"email": {"a": 1}, "password": [1]},
                                  {"email": "a" * 10000 + "@example.com", "password": "x" * 10000}])
def test_odd_input_never_ends_in_a_500(client, body):
    for path in ("/api/v1/auth/login", "/api/v1/auth/register", "/api/v1/password-reset/request",
                 "/api/v1/password-reset/confirm", "/api/v1/auth/refresh", "/api/v1/auth/verify-email"):
        response = client.post(path, json=body)
        assert response.status_code < 500, (path, response.get_json())
        if response.status_code >= 400:
            assert "error" in response.get_json()


def test_errors_speak_the_language_asked_for(client):
    response = client.get("/api/v1/users/me", headers={"Accept-Language": "fr"})
    assert response.get_json()["error"]["message"] == (
        "Authentification requise : connectez-vous, ou envoyez un jeton Bearer ou une clé d’API.")
