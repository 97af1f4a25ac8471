"""Pages kept for anonymous visitors (webapp/core/pagecache.py), and private pages kept by no cache."""

from __future__ import annotations

import re

from tests.conftest import csrf_token

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf-token" content="([^"]+)"')


def tokens(html: str) -> set[str]:
    return {a or b for a, b in TOKEN.findall(html)}


def test_each_visitor_gets_their_own_working_csrf_token_from_the_kept_page(app, make_user):
    user = make_user()
    first, second = app.test_client(), app.test_client()
    page_one = first.get("/auth/login").get_data(as_text=True)
    page_two = second.get("/auth/login").get_data(as_text=True)  # served from the cache
    assert len(tokens(page_one)) == 1 and len(tokens(page_two)) == 1
    assert tokens(page_one) != tokens(page_two)
    token_two = tokens(page_two).pop()
    assert page_two.replace(token_two, "T") == page_one.replace(tokens(page_one).pop(), "T")
    response = second.post("/auth/login", data={"email": user.email, "password": "Secret-pass-1",
                                                 "csrf_token": token_two})
    assert response.status_code == 302 and response.headers["Location"] == "/dashboard"


def test_a_kept_page_follows_the_language_and_the_url(client):
    assert 'lang="en"' in client.get("/auth/login").get_data(as_text=True)
    client.set_cookie("talentbase_lang", "fr")
    french = client.get("/auth/login").get_data(as_text=True)
    assert 'lang="fr"' in french and "Connexion à Talentbase" in french
    prefilled = client.get("/auth/login?email=amina%40example.com").get_data(as_text=True)
    assert 'value="amina@example.com"' in prefilled
    assert 'value="amina@example.com"' not in client.get("/auth/login").get_data(as_text=True)


def test_a_waiting_message_is_shown_to_its_visitor_only(app, make_user, login):
    user = make_user()
    browser = app.test_client()
    login(user, into=browser)
    browser.post("/auth/logout", data={"csrf_token": csrf_token(browser, "/dashboard")})
    assert "You are signed out on every device." in browser.get("/auth/login").get_data(as_text=True)
    assert "You are signed out" not in app.test_client().get("/auth/login").get_data(as_text=True)
    assert "You are signed out" not in browser.get("/auth/login").get_data(as_text=True)


def test_signed_in_people_get_their_page_not_the_kept_one(app, make_user, login):
    app.test_client().get("/")  # the landing page is now kept for visitors
    user = make_user()
    browser = app.test_client()
    login(user, into=browser)
    assert browser.get("/").headers["Location"] == "/dashboard"
    assert browser.get("/auth/login").headers["Location"] == "/dashboard"


def test_private_pages_are_not_stored_by_any_cache_public_ones_may_be(client, make_user, login):
    assert "Cache-Control" not in client.get("/auth/login").headers
    login(make_user())
    assert client.get("/dashboard").headers["Cache-Control"] == "no-store"
    assert client.get("/account/").headers["Cache-Control"] == "no-store"
