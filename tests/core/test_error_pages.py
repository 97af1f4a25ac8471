"""Error answers: HTML pages for browsers, JSON for the API and for clients asking only JSON."""

from __future__ import annotations

import pytest

from tests.conftest import page_text


def test_404_page_for_a_browser(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404 and response.mimetype == "text/html"
    text = page_text(response)
    assert "We could not find this page." in text and "Back to the home page" in text


def test_404_as_json_for_a_client_asking_only_json(client):
    response = client.get("/no/such/page", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.get_json() == {"error": {"code": "not_found", "message": "We could not find this page."}}


def test_a_browser_accepting_everything_gets_html(client):
    response = client.get("/no/such/page", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert response.mimetype == "text/html"


def test_403_page(client, make_user, login):
    login(make_user())
    response = client.get("/admin/users")
    assert response.status_code == 403 and response.mimetype == "text/html"
    assert "You do not have permission to do that." in page_text(response)


def test_403_as_json(client, make_user, login):
    login(make_user())
    response = client.get("/admin/users", headers={"Accept": "application/json"})
    assert response.status_code == 403 and response.get_json()["error"]["code"] == "forbidden"


def test_405_page_names_the_allowed_methods(client):
    response = client.get("/auth/logout")
    assert response.status_code == 405 and "POST" in response.headers["Allow"]
    assert "This method is not allowed here." in page_text(response)


def test_500_page_for_a_browser(client, make_user, login, monkeypatch):
    from webapp.main import routes

    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    login(make_user())
    monkeypatch.setattr(routes, "render_template", explode)
    response = client.get("/dashboard")
    assert response.status_code == 500 and response.mimetype == "text/html"
    assert "Something went wrong on our side. It has been logged; please try again." in page_text(response)


def test_500_as_json_for_a_json_client(client, make_user, login, monkeypatch):
    from webapp.main import routes

    login(make_user())
    monkeypatch.setattr(routes, "render_template", lambda *a, **k: 1 / 0)
    response = client.get("/dashboard", headers={"Accept": "application/json"})
    assert response.status_code == 500
    assert response.get_json()["error"]["code"] == "server_error"


def test_a_500_rolls_back_what_the_request_had_changed(app, client, make_user, login, monkeypatch):
    from webapp.accounts import routes
    from webapp.accounts.models import User
    from webapp.extensions import db

    user = make_user(full_name="Before Change")
    login(user)

    def half_done(person, changes):
        person.full_name = "Half Done"
        raise RuntimeError("crash after a change")

    monkeypatch.setattr(routes.services, "update_profile", half_done)
    from tests.conftest import csrf_token

    response = client.post("/account/", data={"full_name": "X", "csrf_token": csrf_token(client, "/account/")})
    assert response.status_code == 500
    with app.app_context():
        assert db.session.get(User, user.id).full_name == "Before Change"


def test_429_page(app, client, make_user):
    from tests.conftest import csrf_token

    app.config["RATELIMIT_PASSWORD_RESET"] = "1 per 15 minutes"
    client.post("/auth/forgot-password", data={"email": "a@example.com", "csrf_token": csrf_token(client)})
    response = client.post("/auth/forgot-password", data={"email": "a@example.com", "csrf_token": csrf_token(client)})
    assert response.status_code == 429 and response.mimetype == "text/html"
    assert "This limit protects accounts from people guessing passwords." in page_text(response)


@pytest.mark.parametrize("language,expected", [("fr", "Nous n’avons pas trouvé cette page."),
                                               ("en", "We could not find this page.")])
def test_error_pages_speak_the_visitor_language(client, language, expected):
    response = client.get("/no/such/page", headers={"Accept-Language": language})
    assert expected in page_text(response)


def test_error_pages_carry_the_layout_and_a_sign_in_link_for_visitors(client):
    html = client.get("/no/such/page").get_data(as_text=True)
    assert '<html lang="en"' in html and "/auth/login?next=/no/such/page" in html
