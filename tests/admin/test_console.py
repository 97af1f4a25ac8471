"""Admin console: the user list's search and filters, deleting an account, the audit log with
its filters and pages, and seed 001's /api/v1/admin/users."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from tests import factories as f
from tests.conftest import bearer, csrf_token, page_text
from webapp.accounts.models import User
from webapp.audit import services as audit
from webapp.audit.models import AuditEvent
from webapp.core.db import utcnow
from webapp.directory.models import Profile
from webapp.extensions import db


@pytest.fixture
def accounts(app):
    with app.app_context():
        old = f.make_user(email="old@example.com", full_name="Old Timer", verified=False)
        old.created_at = utcnow() - timedelta(days=400)
        f.make_user(email="fresh@example.com", full_name="Fresh Face", role="recruiter")
        db.session.commit()


def names(response) -> str:
    return page_text(response)


def table(client, query: str = "") -> str:
    """The words of the audit log's table alone (the fragment htmx asks for)."""
    response = client.get(f"/admin/audit?{query}", headers={"HX-Request": "true"})
    assert response.status_code == 200
    return page_text(response)


# Users ----------------------------------------------------------------------------------------

def test_users_filter_by_verified_and_creation_days(client, login, admin, accounts):
    login(admin)
    unverified = names(client.get("/admin/users?verified=no"))
    assert "Old Timer" in unverified and "Fresh Face" not in unverified
    verified = names(client.get("/admin/users?verified=yes"))
    assert "Fresh Face" in verified and "Old Timer" not in verified
    since = (utcnow() - timedelta(days=30)).date().isoformat()
    recent = names(client.get(f"/admin/users?from={since}"))
    assert "Fresh Face" in recent and "Old Timer" not in recent
    until = (utcnow() - timedelta(days=300)).date().isoformat()
    older = names(client.get(f"/admin/users?to={until}&role=talent"))
    assert "Old Timer" in older and "Fresh Face" not in older


def test_a_bad_date_filter_is_explained(client, login, admin, accounts):
    login(admin)
    response = client.get("/admin/users?from=2026-02-31")
    assert response.status_code == 422 and "Enter a date as YYYY-MM-DD." in page_text(response)
    fragment = client.get("/admin/users?from=2026-05-02&to=2026-05-01", headers={"HX-Request": "true"})
    assert fragment.status_code == 422 and "The end date must not be before the start date." in page_text(fragment)


def test_an_admin_deletes_an_account_after_confirming(app, client, login, admin):
    with app.app_context():
        talent = f.make_user(email="leaving@example.com", full_name="Leila Leaving")
        f.talent_profile(talent, headline="Actor")
        talent_id = talent.id
    login(admin)
    confirm = client.get(f"/admin/users/{talent_id}/delete")
    assert confirm.status_code == 200 and "Delete the account of Leila Leaving?" in page_text(confirm)
    response = client.post(f"/admin/users/{talent_id}/delete",
                           data={"csrf_token": csrf_token(client, f"/admin/users/{talent_id}/delete")})
    assert response.status_code == 302 and response.headers["Location"] == "/admin/users"
    assert "is deleted" in page_text(client.get("/admin/users"))
    with app.app_context():
        assert db.session.get(User, talent_id) is None
        assert db.session.scalar(select(Profile).where(Profile.user_id == talent_id)) is None
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "account.deleted_by_admin"))
        assert event.actor_id == admin.id and event.target_id == str(talent_id)


def test_an_admin_cannot_delete_themselves_here(app, client, login, admin):
    login(admin)
    page = client.get(f"/admin/users/{admin.id}/delete")
    assert 'data-testid="confirm-delete"' not in page.get_data(as_text=True)
    response = client.post(f"/admin/users/{admin.id}/delete",
                           data={"csrf_token": csrf_token(client, "/admin/users")})
    assert response.status_code == 403
    with app.app_context():
        assert db.session.get(User, admin.id) is not None


def test_a_recruiter_cannot_delete_anyone(app, client, login, make_user):
    victim = make_user()
    login(make_user(role="recruiter"))
    response = client.post(f"/admin/users/{victim.id}/delete", data={"csrf_token": csrf_token(client, "/dashboard")})
    assert response.status_code == 403
    with app.app_context():
        assert db.session.get(User, victim.id) is not None


# The audit log ---------------------------------------------------------------------------------

@pytest.fixture
def events(app, admin, make_user):
    other = make_user(full_name="Rita Recruiter", email="rita@example.com", role="recruiter")
    with app.app_context():
        boss, rita = db.session.get(User, admin.id), db.session.get(User, other.id)
        audit.record("user.suspended", actor=boss, target=rita)
        audit.record("user.role_changed", actor=boss, target=rita, old="talent", new="recruiter")
        audit.record("export.users", actor=rita, kind="users", rows=12)
        old = audit.record("settings.changed", actor=boss)
        db.session.flush()
        old.created_at = utcnow() - timedelta(days=90)
        db.session.commit()
        return {"rita": other.id}


def test_the_audit_log_lists_events_newest_first(client, login, admin, events):
    login(admin)
    text = table(client)
    assert text.index("export.users") < text.index("user.role_changed") < text.index("settings.changed")
    assert "rows 12" in text and "old talent" in text


@pytest.mark.parametrize("query, shown, hidden", [
    ("actor=rita", ["export.users"], ["user.suspended", "settings.changed"]),
    ("action=user", ["user.suspended", "user.role_changed"], ["export.users", "settings.changed"]),
    ("action=user.suspended", ["user.suspended"], ["user.role_changed"]),
    ("target=user", ["user.suspended", "user.role_changed"], ["export.users"]),
])
def test_the_audit_log_filters(client, login, admin, events, query, shown, hidden):
    login(admin)
    text = table(client, query)
    for action in shown:
        assert action in text
    for action in hidden:
        assert f" {action} " not in f" {text} "


def test_the_audit_log_filters_by_target_id_and_days(client, login, admin, events):
    login(admin)
    by_target = table(client, f"target=user {events['rita']}")
    assert "user.suspended" in by_target and "export.users" not in by_target
    since = (utcnow() - timedelta(days=7)).date().isoformat()
    recent = table(client, f"from={since}")
    assert "user.suspended" in recent and " settings.changed " not in f" {recent} "
    until = (utcnow() - timedelta(days=30)).date().isoformat()
    old = table(client, f"to={until}")
    assert "settings.changed" in old and "user.suspended" not in old


def test_the_audit_log_pages_and_explains_bad_dates(app, client, login, admin):
    with app.app_context():
        boss = db.session.get(User, admin.id)
        for index in range(60):
            audit.record("demo.event", actor=boss, index=index)
        db.session.commit()
    login(admin)
    first = client.get("/admin/audit?action=demo")
    assert "60 events" in page_text(first) and "Page 1 of 2" in page_text(first)
    second = client.get("/admin/audit?action=demo&page=2", headers={"HX-Request": "true"})
    assert second.get_data(as_text=True).lstrip().startswith('<div id="audit-table">')
    bad = client.get("/admin/audit?from=soon")
    assert bad.status_code == 422 and "Enter a date as YYYY-MM-DD." in page_text(bad)


# /api/v1/admin/users -------------------------------------------------------------------------------

def test_the_api_lists_users_with_filters(client, api_login, admin, accounts):
    token = bearer(api_login(admin)["access_token"])
    body = client.get("/api/v1/admin/users?role=recruiter", headers=token).get_json()
    assert [item["email"] for item in body["items"]] == ["fresh@example.com"]
    assert body["total"] == 1 and body["page"] == 1
    unverified = client.get("/api/v1/admin/users?verified=false", headers=token).get_json()
    assert [item["email"] for item in unverified["items"]] == ["old@example.com"]
    searched = client.get("/api/v1/admin/users?q=timer", headers=token).get_json()
    assert searched["total"] == 1
    bad = client.get("/api/v1/admin/users?from=2026-99-01", headers=token)
    assert bad.status_code == 422 and "from" in bad.get_json()["error"]["fields"]


def test_the_api_changes_a_role(app, client, api_login, admin, make_user):
    token = bearer(api_login(admin)["access_token"])
    person = make_user()
    response = client.put(f"/api/v1/admin/users/{person.id}/role", json={"role": "consultant"}, headers=token)
    assert response.status_code == 200 and response.get_json()["role"] == "consultant"
    assert client.put(f"/api/v1/admin/users/{person.id}/role", json={"role": "king"},
                      headers=token).status_code == 422
    assert client.put("/api/v1/admin/users/999999/role", json={"role": "talent"}, headers=token).status_code == 404
    myself = client.put(f"/api/v1/admin/users/{admin.id}/role", json={"role": "talent"}, headers=token)
    assert myself.status_code == 403
    with app.app_context():
        assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.action == "user.role_changed"))


def test_the_admin_users_api_is_for_admins_only(client, api_login, make_user):
    token = bearer(api_login(make_user(role="recruiter"))["access_token"])
    assert client.get("/api/v1/admin/users", headers=token).status_code == 403
    target = make_user()
    assert client.put(f"/api/v1/admin/users/{target.id}/role", json={"role": "admin"},
                      headers=token).status_code == 403
    assert client.application.test_client().get("/api/v1/admin/users").status_code == 401
