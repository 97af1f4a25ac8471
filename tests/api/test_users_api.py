"""/api/v1/users/me (and its seed aliases /users/profile, /users/account), preferences, export."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from tests.conftest import bearer
from webapp.accounts.models import User
from webapp.extensions import db


@pytest.fixture
def auth(app, make_user, api_login):
    user = make_user(full_name="Amina Tazi")
    tokens = api_login(user, into=app.test_client())
    return user, bearer(tokens["access_token"])


@pytest.mark.parametrize("path", ["/api/v1/users/me", "/api/v1/users/profile"])
def test_get_me_and_profile_are_the_same_resource(client, auth, path):
    user, headers = auth
    body = client.get(path, headers=headers).get_json()
    assert body["id"] == user.id and body["full_name"] == "Amina Tazi"


@pytest.mark.parametrize("method,path", [("put", "/api/v1/users/me"), ("patch", "/api/v1/users/me"),
                                         ("put", "/api/v1/users/profile")])
@pytest.mark.parametrize("name_field", ["full_name", "name"])
def test_updates_accept_both_name_spellings(client, auth, method, path, name_field):
    _user, headers = auth
    response = getattr(client, method)(path, headers=headers, json={name_field: "Amina El Tazi", "phone": "+212 600 000 000"})
    assert response.status_code == 200
    body = response.get_json()
    assert body["full_name"] == body["name"] == "Amina El Tazi" and body["phone"] == "+212 600 000 000"


def test_fields_left_out_keep_their_value(client, auth):
    _user, headers = auth
    client.patch("/api/v1/users/me", headers=headers, json={"bio": "Actress", "phone": "+33 6 12 34 56 78"})
    body = client.put("/api/v1/users/me", headers=headers, json={"bio": "Director"}).get_json()
    assert body["bio"] == "Director" and body["phone"] == "+33 6 12 34 56 78" and body["full_name"] == "Amina Tazi"


def test_preferences_can_be_changed_inside_the_user(client, auth):
    _user, headers = auth
    body = client.patch("/api/v1/users/me", headers=headers, json={"preferences": {"theme": "dark"}}).get_json()
    assert body["preferences"]["theme"] == "dark"


def test_bad_fields_are_422_with_each_field_explained(app, client, auth):
    user, headers = auth
    response = client.patch("/api/v1/users/me", headers=headers, json={"phone": "call me", "full_name": " "})
    assert response.status_code == 422
    fields = response.get_json()["error"]["fields"]
    assert set(fields) == {"phone", "full_name"}
    with app.app_context():
        assert db.session.get(User, user.id).full_name == "Amina Tazi"


def test_a_wrong_type_is_422_not_500(client, auth):
    _user, headers = auth
    response = client.patch("/api/v1/users/me", headers=headers, json={"full_name": ["a"], "preferences": "dark"})
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {"full_name", "preferences"}


def test_a_taken_username_is_refused(client, auth, make_user, app):
    other = make_user()
    with app.app_context():
        db.session.get(User, other.id).username = "taken.name"
        db.session.commit()
    _user, headers = auth
    response = client.patch("/api/v1/users/me", headers=headers, json={"username": "Taken.Name"})
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {"username": ["This username is taken."]}


# Preferences ---------------------------------------------------------------------------------

def test_get_preferences(client, auth):
    _user, headers = auth
    assert client.get("/api/v1/users/preferences", headers=headers).get_json() == {
        "notifications_enabled": True, "email_notifications": True, "theme": "light", "language": "en"}


@pytest.mark.parametrize("method", ["put", "patch"])
def test_set_preferences_with_the_seed_spellings(client, auth, method):
    _user, headers = auth
    response = getattr(client, method)("/api/v1/users/preferences", headers=headers,
                                       json={"notifications": False, "emailUpdates": False, "theme": "dark",
                                             "locale": "fr"})
    assert response.status_code == 200
    assert response.get_json() == {"notifications_enabled": False, "email_notifications": False, "theme": "dark",
                                   "language": "fr"}


def test_preferences_apply_at_once_to_the_api_language(client, auth):
    _user, headers = auth
    client.patch("/api/v1/users/preferences", headers=headers, json={"language": "fr"})
    response = client.patch("/api/v1/users/me", headers=headers, json={"phone": "nope"})
    assert response.get_json()["error"]["message"] == "Certains champs sont à vérifier."


def test_an_unknown_theme_is_422(client, auth):
    _user, headers = auth
    response = client.put("/api/v1/users/preferences", headers=headers, json={"theme": "neon"})
    assert response.status_code == 422 and "theme" in response.get_json()["error"]["fields"]


# Export and deletion -------------------------------------------------------------------------

def test_export_is_a_zip_of_my_data(client, auth):
    user, headers = auth
    response = client.get("/api/v1/users/me/export", headers=headers)
    assert response.status_code == 200 and response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert json.loads(archive.read("account.json"))["email"] == user.email


@pytest.mark.parametrize("path", ["/api/v1/users/me", "/api/v1/users/account"])
def test_delete_needs_the_password_and_answers_204(app, client, auth, path):
    user, headers = auth
    wrong = client.delete(path, headers=headers, json={"password": "Wrong-pass-1"})
    assert wrong.status_code == 422
    assert wrong.get_json()["error"]["fields"] == {"password": ["Your password is not correct."]}
    missing = client.delete(path, headers=headers, json={})
    assert missing.status_code == 422
    response = client.delete(path, headers=headers, json={"password": "Secret-pass-1"})
    assert response.status_code == 204 and response.data == b""
    with app.app_context():
        assert db.session.get(User, user.id) is None
    assert client.get("/api/v1/users/me", headers=headers).status_code == 401


def test_every_users_endpoint_needs_credentials(client):
    for method, path in [("get", "/api/v1/users/me"), ("put", "/api/v1/users/me"), ("patch", "/api/v1/users/me"),
                         ("delete", "/api/v1/users/me"), ("get", "/api/v1/users/preferences"),
                         ("put", "/api/v1/users/preferences"), ("get", "/api/v1/users/me/export"),
                         ("get", "/api/v1/users/me/api-keys"), ("get", "/api/v1/users/profile"),
                         ("delete", "/api/v1/users/account")]:
        response = getattr(client, method)(path, json={})
        assert response.status_code == 401, (method, path)
        assert response.get_json()["error"]["code"] == "unauthorized"


# Pagination --------------------------------------------------------------------------------

def test_pagination_bounds(app, client, auth):
    from tests.factories import make_api_key

    user, headers = auth
    with app.app_context():
        for n in range(5):
            make_api_key(user.id, f"key {n}")
    page = client.get("/api/v1/users/me/api-keys?page=2&per_page=2", headers=headers).get_json()
    assert (page["total"], page["page"], page["per_page"], page["pages"], len(page["items"])) == (5, 2, 2, 3, 2)
    past = client.get("/api/v1/users/me/api-keys?page=9&per_page=2", headers=headers).get_json()
    assert past["items"] == [] and past["total"] == 5
    capped = client.get("/api/v1/users/me/api-keys?per_page=1000", headers=headers).get_json()
    assert capped["per_page"] == 100
    alias = client.get("/api/v1/users/me/api-keys?limit=1", headers=headers).get_json()
    assert alias["per_page"] == 1 and len(alias["items"]) == 1
    for bad in ("page=0", "page=-1", "page=abc", "per_page=0", "per_page=x"):
        response = client.get(f"/api/v1/users/me/api-keys?{bad}", headers=headers)
        assert response.status_code == 422, bad
        assert response.get_json()["error"]["code"] == "validation_error"


def test_a_huge_page_number_is_a_422_not_a_database_overflow(app, client, login, admin):
    login(admin)
    for path in ("/admin/users", "/admin/outbox", "/admin/invitations"):
        response = client.get(f"{path}?page=99999999999999999999")
        assert response.status_code == 422, path
    api = client.get("/api/v1/users/me/api-keys?page=99999999999999999999")
    assert api.status_code == 422
    assert api.get_json()["error"]["fields"] == {"page": ["Must be 1000000 or less."]}
    assert client.get("/admin/users?per_page=99999999999999999999").status_code == 200  # capped at 100


def test_an_update_cannot_change_role_status_email_or_tier(app, client, auth):
    user, headers = auth
    body = client.patch("/api/v1/users/me", headers=headers, json={
        "role": "admin", "status": "suspended", "email": "other@example.com", "subscription_tier": "pro",
        "bio": "only this"}).get_json()
    assert (body["role"], body["status"], body["email"], body["subscription_tier"], body["bio"]) == (
        "talent", "active", user.email, "free", "only this")
