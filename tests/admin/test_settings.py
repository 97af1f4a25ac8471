"""Admin > Settings: the site name, registration open or closed and the default language,
stored in the database and applied at once (pages, mails, registration, API)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.conftest import bearer, csrf_token, page_text
from webapp.accounts.models import User
from webapp.audit.models import AuditEvent
from webapp.extensions import db


def save(client, **data):
    values = {"site_name": "Talentbase", "registration_open": "y", "default_language": "en", **data}
    values = {key: value for key, value in values.items() if value is not None}
    return client.post("/admin/settings", data={**values, "csrf_token": csrf_token(client, "/admin/settings")})


@pytest.mark.parametrize("role", ["talent", "recruiter", "consultant"])
def test_only_admins_open_the_settings(client, login, make_user, role):
    login(make_user(role=role))
    assert client.get("/admin/settings").status_code == 403
    assert client.get("/admin/email-templates").status_code == 403
    assert client.get("/admin/audit").status_code == 403


def test_the_form_shows_the_current_values(client, login, admin):
    login(admin)
    html = client.get("/admin/settings").get_data(as_text=True)
    assert 'value="Talentbase"' in html and 'name="registration_open"' in html and "checked" in html


def test_a_new_site_name_shows_at_once_in_the_layout_and_the_mails(app, client, login, admin, make_user, outbox):
    login(admin)
    response = save(client, site_name="Casting Maroc")
    assert response.status_code == 302
    page = client.get("/dashboard").get_data(as_text=True)
    assert "<title>" in page and "· Casting Maroc</title>" in page and "Casting Maroc" in page_text(
        client.get("/dashboard"))
    visitor = app.test_client()
    assert "Casting Maroc" in page_text(visitor.get("/"))
    person = make_user(email="lina@example.com")
    visitor.post("/auth/forgot-password", data={"email": person.email, "csrf_token": csrf_token(visitor,
                                                                                                "/auth/forgot-password")})
    mail = outbox.last(person.email, "password_reset")
    assert "Casting Maroc" in mail.body_text and "Casting Maroc" in mail.body_html and "Talentbase" not in mail.body_text


def test_closing_registration_refuses_the_page_and_the_api(app, client, login, admin):
    visitor = app.test_client()
    assert 'name="password"' in visitor.get("/auth/register").get_data(as_text=True)  # open (and kept)
    login(admin)
    save(client, registration_open=None)
    page = visitor.get("/auth/register")
    assert page.status_code == 200 and "Registration is closed" in page_text(page)
    assert 'name="password"' not in page.get_data(as_text=True)
    assert "Create an account" not in page_text(visitor.get("/auth/login"))
    posted = visitor.post("/auth/register", data={"email": "new@example.com", "password": "Secret-pass-1",
                                                  "full_name": "New Person",
                                                  "csrf_token": csrf_token(visitor, "/auth/login")})
    assert posted.status_code == 403 and "invitation only" in page_text(posted)
    api = visitor.post("/api/v1/auth/register", json={"email": "api@example.com", "password": "Secret-pass-1",
                                                      "full_name": "Api Person"})
    assert api.status_code == 403 and api.get_json()["error"]["code"] == "registration_closed"
    with app.app_context():
        assert db.session.scalar(select(User).where(User.email.in_(["new@example.com", "api@example.com"]))) is None
    save(client, registration_open="y")
    reopened = visitor.post("/api/v1/auth/register", json={"email": "api@example.com", "password": "Secret-pass-1",
                                                           "full_name": "Api Person"})
    assert reopened.status_code == 201


def test_invited_staff_can_still_join_while_registration_is_closed(app, client, login, admin, outbox):
    login(admin)
    save(client, registration_open=None)
    client.post("/admin/invitations", data={"email": "scout@example.com", "role": "recruiter",
                                            "csrf_token": csrf_token(client, "/admin/invitations")})
    link = outbox.link("scout@example.com", "invitation")
    guest = app.test_client()
    guest.get(link)
    response = guest.post(link, data={"full_name": "Scout", "password": "Secret-pass-1", "confirm": "Secret-pass-1",
                                      "csrf_token": csrf_token(guest, link)})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(User.role).where(User.email == "scout@example.com")) == "recruiter"


def test_the_default_language_serves_visitors_whose_browser_asks_for_neither(app, client, login, admin):
    visitor = app.test_client()
    assert 'lang="en"' in visitor.get("/", headers={"Accept-Language": "de"}).get_data(as_text=True)
    login(admin)
    save(client, default_language="fr")
    assert 'lang="fr"' in visitor.get("/", headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert 'lang="en"' in visitor.get("/", headers={"Accept-Language": "en-GB"}).get_data(as_text=True)


def test_bad_values_are_explained_and_kept(client, login, admin):
    login(admin)
    response = save(client, site_name="   ", default_language="de")
    assert response.status_code == 422
    text = page_text(response)
    assert "Enter the name of the site." in text and "Not a valid choice." in text


def test_changes_are_audited(app, client, login, admin):
    login(admin)
    save(client, site_name="Nouveau nom")
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "settings.changed"))
        assert event.actor_id == admin.id
        assert event.details["changes"] == {"site_name": {"old": "Talentbase", "new": "Nouveau nom"}}


def test_the_api_reads_and_changes_the_settings(client, make_user, api_login, admin):
    token = api_login(admin)["access_token"]
    assert client.get("/api/v1/admin/system-settings", headers=bearer(token)).get_json() == {
        "site_name": "Talentbase", "registration_open": True, "default_language": "en"}
    changed = client.put("/api/v1/admin/system-settings", json={"registration_open": False},
                         headers=bearer(token))
    assert changed.status_code == 200 and changed.get_json()["registration_open"] is False
    assert changed.get_json()["site_name"] == "Talentbase"
    bad = client.put("/api/v1/admin/system-settings", json={"default_language": "de", "site_name": ""},
                     headers=bearer(token))
    assert bad.status_code == 422 and set(bad.get_json()["error"]["fields"]) == {"default_language", "site_name"}
    recruiter = api_login(make_user(role="recruiter"))["access_token"]
    assert client.get("/api/v1/admin/system-settings", headers=bearer(recruiter)).status_code == 403
    assert client.put("/api/v1/admin/system-settings", json={"site_name": "x"},
                      headers=bearer(recruiter)).status_code == 403
