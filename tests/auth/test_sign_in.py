"""Signing in and out through the pages, and what a session is worth afterwards."""

from __future__ import annotations

from tests.conftest import csrf_token


def post_login(client, email, password, **extra):
    return client.post("/auth/login", data={"email": email, "password": password,
                                            "csrf_token": csrf_token(client), **extra})


def test_sign_in_lands_on_the_dashboard_with_a_greeting(client, make_user):
    user = make_user(full_name="Amina Tazi")
    response = post_login(client, user.email, "Secret-pass-1")
    assert response.status_code == 302
    assert response.headers["Location"] == "/dashboard"
    page = client.get("/dashboard").get_data(as_text=True)
    assert "Welcome back, Amina." in page
    assert "Hello, Amina" in page


def test_wrong_password_shows_the_form_again_with_a_message(client, make_user):
    user = make_user()
    response = post_login(client, user.email, "Not-the-password-9")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "The email or password is incorrect." in html
    assert f'value="{user.email}"' in html  # what was typed is kept
    assert client.get("/dashboard").status_code == 302


def test_unknown_email_gets_the_same_answer_as_a_wrong_password(client, make_user):
    response = post_login(client, "nobody@example.com", "Whatever-pass-1")
    assert response.status_code == 422
    assert "The email or password is incorrect." in response.get_data(as_text=True)


def test_empty_fields_are_explained_field_by_field(client):
    response = post_login(client, "", "")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert html.count("This field is required.") == 2


def test_htmx_sign_in_errors_come_back_as_a_422_fragment(client, make_user):
    user = make_user()
    response = client.post("/auth/login", data={"email": user.email, "password": "nope-nope-1",
                                                "csrf_token": csrf_token(client)},
                           headers={"HX-Request": "true"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith("<form")
    assert "<html" not in html
    assert "HX-Request" in response.headers.get("Vary", "")


def test_htmx_sign_in_success_redirects_the_whole_page(client, make_user):
    user = make_user()
    response = client.post("/auth/login", data={"email": user.email, "password": "Secret-pass-1",
                                                "csrf_token": csrf_token(client)},
                           headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.headers["HX-Redirect"] == "/dashboard"


def test_suspended_account_cannot_sign_in(client, make_user):
    user = make_user(status="suspended")
    response = post_login(client, user.email, "Secret-pass-1")
    assert response.status_code == 422
    assert "suspended" in response.get_data(as_text=True)


def test_next_leads_back_to_a_local_page(client, make_user):
    user = make_user()
    response = post_login(client, user.email, "Secret-pass-1", next="/account/security")
    assert response.headers["Location"] == "/account/security"


def test_next_never_leads_to_another_site(client, make_user):
    user = make_user()
    for target in ("https://evil.example.org/", "//evil.example.org/x", "/\\evil.example.org", "javascript:alert(1)",
                   "http:evil.example.org"):
        client.post("/auth/logout", data={"csrf_token": csrf_token(client)})
        response = post_login(client, user.email, "Secret-pass-1", next=target)
        assert response.headers["Location"] == "/dashboard", target


def test_a_protected_page_sends_anonymous_visitors_to_sign_in_and_back(client):
    response = client.get("/account/security")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login?next=")
    assert "%2Faccount%2Fsecurity" in response.headers["Location"] or "/account/security" in response.headers["Location"]


def test_sign_in_clears_what_the_session_held_before(client, make_user):
    user = make_user()
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    post_login(client, user.email, "Secret-pass-1")
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"].startswith(f"{user.id}:")


def test_sign_out_needs_a_post_with_csrf(client, make_user, login):
    user = make_user()
    login(user)
    assert client.get("/auth/logout").status_code == 405
    response = client.post("/auth/logout")
    assert response.status_code == 400  # no CSRF token
    assert client.get("/dashboard").status_code == 200


def test_sign_out_ends_every_session_of_the_account(app, make_user, login):
    user = make_user()
    laptop, phone = app.test_client(), app.test_client()
    login(user, into=laptop)
    login(user, into=phone)
    laptop.post("/auth/logout", data={"csrf_token": csrf_token(laptop, "/dashboard")})
    assert laptop.get("/dashboard").status_code == 302
    assert phone.get("/dashboard").status_code == 302


def test_an_old_session_cookie_is_useless_after_sign_out(app, make_user, login):
    user = make_user()
    browser = app.test_client()
    login(user, into=browser)
    stolen = browser.get_cookie("talentbase_session").value
    browser.post("/auth/logout", data={"csrf_token": csrf_token(browser, "/dashboard")})
    thief = app.test_client()
    thief.set_cookie("talentbase_session", stolen)
    assert thief.get("/dashboard").status_code == 302


def test_remember_me_keeps_the_person_signed_in_without_the_session(app, make_user, login):
    user = make_user()
    browser = app.test_client()
    login(user, remember=True, into=browser)
    remember = browser.get_cookie("talentbase_remember")
    assert remember is not None and remember.http_only
    fresh = app.test_client()
    fresh.set_cookie("talentbase_remember", remember.value)
    assert fresh.get("/dashboard").status_code == 200


def test_sign_out_kills_the_remember_cookie_everywhere(app, make_user, login):
    user = make_user()
    browser = app.test_client()
    login(user, remember=True, into=browser)
    remember = browser.get_cookie("talentbase_remember").value
    other = app.test_client()
    login(user, into=other)
    other.post("/auth/logout", data={"csrf_token": csrf_token(other, "/dashboard")})
    replay = app.test_client()
    replay.set_cookie("talentbase_remember", remember)
    assert replay.get("/dashboard").status_code == 302


def test_cookies_are_httponly_and_samesite_lax(client, make_user):
    user = make_user()
    post_login(client, user.email, "Secret-pass-1", remember="y")
    session_cookie = client.get_cookie("talentbase_session")
    assert session_cookie.http_only
    assert session_cookie.same_site == "Lax"
    assert client.get_cookie("talentbase_remember").same_site == "Lax"
