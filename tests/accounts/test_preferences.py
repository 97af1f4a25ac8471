"""My account > Preferences: notifications, theme and language, applied at once."""

from __future__ import annotations

from tests.conftest import csrf_token, page_text
from webapp.accounts.models import User
from webapp.extensions import db


def save(client, headers=None, **fields):
    data = {"theme": "light", "language": "en", **fields, "csrf_token": csrf_token(client, "/account/preferences")}
    return client.post("/account/preferences", data=data, headers=headers or {})


def stored(app, user_id):
    with app.app_context():
        user = db.session.get(User, user_id)
        db.session.expunge(user)
        return user


def test_the_page_shows_the_current_choices(app, client, make_user, login):
    user = make_user(locale="fr")
    with app.app_context():
        db.session.get(User, user.id).theme = "dark"
        db.session.commit()
    login(user)
    html = client.get("/account/preferences").get_data(as_text=True)
    assert '<input checked class="form-check-input" id="theme-1" name="theme" type="radio" value="dark">' in html
    assert '<option selected value="fr">' in html


def test_notification_switches_are_saved(app, client, make_user, login):
    user = make_user()
    login(user)
    response = save(client, notifications_enabled="y")  # email_notifications left unticked
    assert response.status_code == 200
    assert "Your preferences are saved." in page_text(response)
    saved = stored(app, user.id)
    assert saved.notifications_enabled is True and saved.email_notifications is False


def test_dark_theme_applies_on_the_next_page_at_once(app, client, make_user, login):
    user = make_user()
    login(user)
    response = save(client, theme="dark")
    assert response.status_code == 302 and response.headers["Location"] == "/account/preferences"
    assert 'data-bs-theme="dark"' in client.get("/dashboard").get_data(as_text=True)
    assert stored(app, user.id).theme == "dark"


def test_htmx_save_of_a_new_language_reloads_the_page(client, make_user, login):
    login(make_user())
    response = save(client, headers={"HX-Request": "true"}, language="fr")
    assert response.status_code == 200 and response.headers["HX-Refresh"] == "true"
    page = client.get("/dashboard").get_data(as_text=True)
    assert '<html lang="fr"' in page
    assert "Tableau de bord" in page


def test_htmx_save_without_a_visible_change_answers_with_the_fragment(client, make_user, login):
    login(make_user())
    response = save(client, headers={"HX-Request": "true"}, notifications_enabled="y")
    assert response.status_code == 200 and "HX-Refresh" not in response.headers
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith("<form") and "Your preferences are saved." in html
    assert "HX-Request" in response.headers["Vary"]


def test_an_unknown_theme_or_language_is_refused(app, client, make_user, login):
    user = make_user()
    login(user)
    response = save(client, theme="neon", language="de")
    assert response.status_code == 422
    saved = stored(app, user.id)
    assert (saved.theme, saved.locale) == ("light", "en")


def test_the_language_switch_in_the_footer_saves_the_preference(app, client, make_user, login):
    user = make_user()
    login(user)
    response = client.post("/language", data={"language": "fr", "next": "/account/",
                                              "csrf_token": csrf_token(client, "/dashboard")})
    assert response.headers["Location"] == "/account/"
    assert stored(app, user.id).locale == "fr"


def test_the_theme_switch_works_for_visitors_with_a_cookie(client):
    response = client.post("/theme", data={"theme": "dark", "csrf_token": csrf_token(client)})
    assert response.status_code == 302
    assert 'data-bs-theme="dark"' in client.get("/auth/login").get_data(as_text=True)


def test_switches_ignore_unknown_values_and_foreign_next(client):
    token = csrf_token(client)
    response = client.post("/theme", data={"theme": "neon", "next": "https://evil.example.org", "csrf_token": token})
    assert response.headers["Location"] == "/"
    assert client.get_cookie("talentbase_theme") is None
    response = client.post("/language", data={"language": "xx", "csrf_token": token})
    assert client.get_cookie("talentbase_lang") is None


def test_switches_need_csrf(client):
    assert client.post("/language", data={"language": "fr"}).status_code == 400
