"""My account > API keys: create a key (shown once), list and revoke."""

from __future__ import annotations

import re

from tests.conftest import bearer, csrf_token, page_text
from webapp.auth.models import ApiKey
from webapp.extensions import db


def create(client, name="Zapier"):
    return client.post("/account/api-keys", data={"name": name, "csrf_token": csrf_token(client, "/account/api-keys")})


def test_a_new_key_is_shown_once_and_works(app, client, make_user, login):
    user = make_user()
    login(user)
    response = create(client)
    assert response.status_code == 200
    match = re.search(r"tbk_[A-Za-z0-9_-]{20,}", response.get_data(as_text=True))
    assert match
    key = match.group(0)
    assert key not in client.get("/account/api-keys").get_data(as_text=True)
    me = app.test_client().get("/api/v1/auth/me", headers=bearer(key))
    assert me.status_code == 200 and me.get_json()["email"] == user.email


def test_a_key_needs_a_name(client, make_user, login):
    login(make_user())
    response = create(client, name="")
    assert response.status_code == 422
    assert "This field is required." in page_text(response)


def test_revoking_a_key_stops_it(app, client, make_user, login):
    login(make_user())
    key = re.search(r"tbk_[A-Za-z0-9_-]{20,}", create(client, "Old script").get_data(as_text=True)).group(0)
    with app.app_context():
        key_id = db.session.scalar(db.select(ApiKey.id))
    response = client.post(f"/account/api-keys/{key_id}/revoke", data={"csrf_token": csrf_token(client, "/account/api-keys")})
    assert response.status_code == 200
    assert "The key “Old script” is revoked." in page_text(response)
    assert app.test_client().get("/api/v1/auth/me", headers=bearer(key)).status_code == 401


def test_someone_else_key_cannot_be_revoked(app, client, make_user, login):
    from tests.factories import make_api_key

    owner = make_user()
    with app.app_context():
        clear = make_api_key(owner.id)
        key_id = db.session.scalar(db.select(ApiKey.id))
    login(make_user())
    response = client.post(f"/account/api-keys/{key_id}/revoke", data={"csrf_token": csrf_token(client, "/account/api-keys")})
    assert response.status_code == 404
    assert app.test_client().get("/api/v1/auth/me", headers=bearer(clear)).status_code == 200
