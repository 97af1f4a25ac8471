"""My account > My data: download everything as a ZIP, and delete the account for good."""

from __future__ import annotations

import io
import json
import zipfile

from sqlalchemy import func, select

from tests.conftest import bearer, csrf_token, page_text
from tests.factories import image_bytes, make_api_key
from webapp.accounts.models import User
from webapp.audit.models import AuditEvent
from webapp.auth.models import ApiKey, RefreshToken
from webapp.extensions import db
from webapp.files import services as files
from webapp.files.models import File
from webapp.mail.models import OutboxMessage


def export(client):
    return client.post("/account/privacy/export", data={"csrf_token": csrf_token(client, "/account/privacy")})


def delete(client, password="Secret-pass-1", confirm="y", **headers):
    return client.post("/account/privacy/delete", headers=headers, data={
        "password": password, "confirm": confirm, "csrf_token": csrf_token(client, "/account/privacy")})


def count(app, model, *where):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def add_avatar(client):
    client.post("/account/avatar", content_type="multipart/form-data", data={
        "avatar": (io.BytesIO(image_bytes()), "portrait.png"), "csrf_token": csrf_token(client, "/account/")})


# Export -----------------------------------------------------------------------------------

def test_the_download_is_a_zip_of_json_and_my_files(app, client, make_user, login):
    user = make_user(full_name="Amina Tazi")
    login(user)
    add_avatar(client)
    with app.app_context():
        make_api_key(user.id, "Zapier")
    response = export(client)
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    assert response.headers["Content-Disposition"] == 'attachment; filename="talentbase-my-data.zip"'
    assert response.headers["Cache-Control"] == "no-store"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    names = set(archive.namelist())
    assert {"account.json", "api_keys.json", "activity.json", "files.json"} <= names
    account = json.loads(archive.read("account.json"))
    assert account["email"] == user.email and account["full_name"] == "Amina Tazi"
    assert account["preferences"] == {"notifications_enabled": True, "email_notifications": True,
                                      "theme": "light", "language": "en"}
    assert "password_hash" not in account and "session_token" not in account
    [key] = json.loads(archive.read("api_keys.json"))
    assert key["name"] == "Zapier" and "key_hash" not in key
    [listed] = json.loads(archive.read("files.json"))
    assert listed["kind"] == "avatar" and listed["name"] == "portrait.png"
    assert archive.read(listed["path"])[:4] == b"RIFF"  # the stored WebP itself
    activity = json.loads(archive.read("activity.json"))
    assert "api_key.created" in [event["action"] for event in activity]


def test_the_download_holds_only_my_own_data(app, client, make_user, login):
    other = make_user(full_name="Someone Else")
    login(make_user())
    archive = zipfile.ZipFile(io.BytesIO(export(client).data))
    everything = b"".join(archive.read(name) for name in archive.namelist())
    assert other.email.encode() not in everything


def test_the_download_needs_a_post_with_csrf(client, make_user, login):
    login(make_user())
    assert client.get("/account/privacy/export").status_code == 405
    assert client.post("/account/privacy/export").status_code == 400


# Deletion ---------------------------------------------------------------------------------

def test_deleting_my_account_removes_rows_files_sessions_and_tokens(app, client, make_user, login, api_login):
    user = make_user()
    login(user)
    add_avatar(client)
    with app.app_context():
        clear_key = make_api_key(user.id)
        [path] = [files.path_of(f) for f in db.session.scalars(select(File).where(File.owner_id == user.id))]
    tokens = api_login(user, into=app.test_client())
    assert path.exists()
    response = delete(client)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "Your account and its data are deleted. Goodbye!" in page_text(client.get("/"))
    assert count(app, User, User.id == user.id) == 0
    assert count(app, File, File.owner_id == user.id) == 0
    assert count(app, ApiKey, ApiKey.user_id == user.id) == 0
    assert count(app, RefreshToken, RefreshToken.user_id == user.id) == 0
    assert count(app, OutboxMessage, OutboxMessage.to_address == user.email) == 0
    assert count(app, AuditEvent, AuditEvent.actor_id == user.id) == 0
    assert not path.exists()
    assert client.get("/dashboard").status_code == 302
    api = app.test_client()
    assert api.get("/api/v1/auth/me", headers=bearer(tokens["access_token"])).status_code == 401
    assert api.get("/api/v1/auth/me", headers=bearer(clear_key)).status_code == 401
    assert api.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}).status_code == 401


def test_deletion_leaves_other_accounts_alone(app, client, make_user, login):
    other = make_user()
    login(make_user())
    delete(client)
    assert count(app, User, User.id == other.id) == 1


def test_a_wrong_password_deletes_nothing(app, client, make_user, login):
    user = make_user()
    login(user)
    response = delete(client, password="Wrong-pass-1")
    assert response.status_code == 422
    assert "Your password is not correct." in page_text(response)
    assert count(app, User, User.id == user.id) == 1
    assert client.get("/dashboard").status_code == 200


def test_the_box_must_be_ticked(app, client, make_user, login):
    user = make_user()
    login(user)
    response = delete(client, confirm="")
    assert response.status_code == 422
    assert "Tick the box to confirm." in page_text(response)
    assert count(app, User, User.id == user.id) == 1


def test_htmx_deletion_redirects_the_whole_page(client, make_user, login):
    login(make_user())
    response = delete(client, **{"HX-Request": "true"})
    assert response.headers["HX-Redirect"] == "/"


def test_the_deletion_is_audited_without_the_address(app, client, make_user, login):
    user = make_user(email="amina@example.com")
    login(user)
    delete(client)
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "account.deleted"))
        assert event.target_id == str(user.id)
        assert event.details == {"email_domain": "example.com"}


def test_a_staff_member_who_leaves_stays_in_the_audit_log_under_their_name(app, client, make_user, login):
    from webapp.audit import services as audit

    recruiter = make_user(role="recruiter", full_name="Rania Recruiter")
    admin = make_user(role="admin", full_name="Adam Admin")
    with app.app_context():
        audit.record("export.users", actor=db.session.get(User, recruiter.id), rows=120, format="xlsx")
        db.session.commit()
    login(recruiter)
    assert delete(client).status_code == 302
    assert count(app, User, User.id == recruiter.id) == 0
    with app.app_context():
        [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "export.users")).all()
        assert event.actor_id is None
        assert event.details["former_actor"] == {"id": recruiter.id, "name": "Rania Recruiter", "role": "recruiter"}
        assert event.details["rows"] == 120
    client.get("/auth/logout")
    login(admin)
    html = client.get("/admin/audit?action=export.users").get_data(as_text=True)
    assert 'data-testid="former-actor">Rania Recruiter<' in html
    assert "account deleted" in html and "former_actor" not in html
