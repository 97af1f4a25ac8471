"""The seeds' rate limits, each from its own setting: over a limit, 429 with Retry-After and
X-RateLimit-* headers, as a page for browsers and JSON for the API."""

from __future__ import annotations

import pytest

from tests.conftest import csrf_token, page_text


def login_form(client, email, password="Wrong-pass-1", **headers):
    return client.post("/auth/login", headers=headers,
                       data={"email": email, "password": password, "csrf_token": csrf_token(client)})


def assert_limited_page(response):
    assert response.status_code == 429
    assert response.mimetype == "text/html"
    retry = int(response.headers["Retry-After"])
    assert retry > 0
    text = page_text(response)
    assert "Too many requests" in text
    assert f"Too many attempts. Please try again in {retry} seconds." in text
    for name in ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"):
        assert name in response.headers
    assert response.headers["X-RateLimit-Remaining"] == "0"


def test_sign_in_failures_are_limited_per_email(app, client, make_user):
    app.config["RATELIMIT_LOGIN"] = "2 per 15 minutes"
    user = make_user()
    assert login_form(client, user.email).status_code == 422
    assert login_form(client, user.email).status_code == 422
    assert_limited_page(login_form(client, user.email, password="Secret-pass-1"))
    # Another account from the same browser is not locked out by this one.
    other = make_user()
    assert login_form(client, other.email, password="Secret-pass-1").status_code == 302


def test_the_email_counter_ignores_case(app, client, make_user):
    app.config["RATELIMIT_LOGIN"] = "1 per 15 minutes"
    user = make_user()
    login_form(client, user.email)
    assert login_form(client, user.email.upper()).status_code == 429


def test_successful_sign_ins_do_not_count_against_the_email(app, make_user, login):
    app.config["RATELIMIT_LOGIN"] = "1 per 15 minutes"
    user = make_user()
    for _ in range(3):
        login(user, into=app.test_client())


def test_sign_in_is_also_limited_per_ip(app, client, make_user):
    app.config["RATELIMIT_LOGIN_IP"] = "3 per 15 minutes"
    for _ in range(3):
        assert login_form(client, make_user().email).status_code == 422
    assert_limited_page(login_form(client, make_user().email))


def test_the_api_sign_in_shares_the_per_email_limit(app, client, make_user):
    app.config["RATELIMIT_LOGIN"] = "2 per 15 minutes"
    user = make_user()
    for _ in range(2):
        assert client.post("/api/v1/auth/login", json={"email": user.email, "password": "x"}).status_code == 401
    response = client.post("/api/v1/auth/login", json={"email": user.email, "password": "Secret-pass-1"})
    assert response.status_code == 429
    assert response.get_json()["error"]["code"] == "rate_limit_exceeded"
    assert int(response.headers["Retry-After"]) > 0
    # ... and the page, the other door, is locked too.
    assert login_form(app.test_client(), user.email, password="Secret-pass-1").status_code == 429


def test_registration_is_limited_per_ip(app, client):
    app.config["RATELIMIT_REGISTER"] = "1 per 15 minutes"

    def register(n):
        return client.post("/api/v1/auth/register", json={"email": f"r{n}@example.com", "password": "Sunny-day-42"})

    assert register(1).status_code == 201
    limited = register(2)
    assert limited.status_code == 429 and "Retry-After" in limited.headers
    page = app.test_client()
    response = page.post("/auth/register", data={"full_name": "A B", "email": "r3@example.com",
                                                 "password": "Sunny-day-42", "confirm": "Sunny-day-42",
                                                 "csrf_token": csrf_token(page, "/auth/register")})
    assert_limited_page(response)


def test_failed_registrations_do_not_use_up_the_limit(app, client):
    app.config["RATELIMIT_REGISTER"] = "1 per 15 minutes"
    for _ in range(3):
        assert client.post("/api/v1/auth/register", json={"email": "bad", "password": "x"}).status_code == 422
    assert client.post("/api/v1/auth/register", json={"email": "ok@example.com",
                                                      "password": "Sunny-day-42"}).status_code == 201


def test_password_reset_is_limited_per_email(app, client, make_user, outbox):
    app.config["RATELIMIT_PASSWORD_RESET"] = "2 per 15 minutes"
    user = make_user()
    for _ in range(2):
        assert client.post("/api/v1/password-reset/request", json={"email": user.email}).status_code == 202
    assert client.post("/api/v1/auth/forgot-password", json={"email": user.email}).status_code == 429
    page = app.test_client()
    response = page.post("/auth/forgot-password", data={"email": user.email, "csrf_token": csrf_token(page)})
    assert_limited_page(response)
    assert len(outbox.messages(user.email, "password_reset")) == 2
    other = client.post("/api/v1/password-reset/request", json={"email": "someone.else@example.com"})
    assert other.status_code == 202


def test_verification_mails_are_limited(app, client, make_user, login):
    app.config["RATELIMIT_VERIFY_EMAIL"] = "1 per 15 minutes"
    login(make_user(verified=False))
    token = csrf_token(client, "/dashboard")
    assert client.post("/auth/verify-email/resend", data={"csrf_token": token}).status_code == 302
    assert client.post("/auth/verify-email/resend", data={"csrf_token": token}).status_code == 429


def test_the_api_is_limited_per_user_not_per_address(app, make_user, api_login):
    app.config["RATELIMIT_API"] = "2 per 15 minutes"
    first, second = api_login(make_user(), into=app.test_client()), api_login(make_user(), into=app.test_client())
    client = app.test_client()

    def me(tokens):
        return client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {tokens['access_token']}"})

    assert [me(first).status_code for _ in range(3)] == [200, 200, 429]
    assert me(second).status_code == 200


def test_anonymous_api_calls_are_limited_per_ip(app, client):
    app.config["RATELIMIT_API"] = "2 per 15 minutes"
    statuses = [client.get("/api/v1/auth/me").status_code for _ in range(3)]
    assert statuses == [401, 401, 429]


def test_an_htmx_request_over_the_limit_gets_the_message_in_the_live_region(app, client, make_user):
    app.config["RATELIMIT_LOGIN"] = "1 per 15 minutes"
    user = make_user()
    login_form(client, user.email)
    response = login_form(client, user.email, **{"HX-Request": "true"})
    assert response.status_code == 429
    assert response.headers["HX-Retarget"] == "#flash-region"
    assert "Too many attempts." in response.get_data(as_text=True)


def test_retry_after_is_only_sent_when_limited(client):
    response = client.get("/api/v1/auth/me")
    assert "X-RateLimit-Limit" in response.headers and "Retry-After" not in response.headers


def test_the_limits_follow_the_setting_written_in_other_units(app, client, make_user):
    app.config["RATELIMIT_LOGIN"] = "1/hour"
    user = make_user()
    login_form(client, user.email)
    response = login_form(client, user.email)
    assert response.status_code == 429
    assert 900 < int(response.headers["Retry-After"]) <= 3600


def test_health_and_api_docs_are_never_limited(app, client):
    app.config["RATELIMIT_API"] = "1 per minute"
    for _ in range(3):
        assert client.get("/healthz").status_code == 200


@pytest.mark.redis
def test_counters_live_in_redis_when_configured(app, client, make_user):
    import redis

    app.config["RATELIMIT_LOGIN"] = "1 per 15 minutes"
    user = make_user()
    login_form(client, user.email)
    keys = redis.Redis.from_url(app.config["REDIS_URL"]).keys("*talentbase*")
    assert any(b"login-email" in key for key in keys), keys
    assert login_form(client, user.email).status_code == 429
