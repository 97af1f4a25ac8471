"""The managed lists (eye colours, production types ...) as admins run them: names in both
languages, order, values taken out of use; nobody else gets in."""

from __future__ import annotations

import pytest

from tests import factories as f
from tests.conftest import csrf_token
from webapp.casting.forms import list_choices
from webapp.extensions import db
from webapp.taxonomy import services as taxonomy
from webapp.taxonomy.models import ListValue

HX = {"HX-Request": "true"}


@pytest.fixture
def reference(app):
    with app.app_context():
        f.load_reference()


def post(client, url, data):
    return client.post(url, data={"csrf_token": csrf_token(client, "/dashboard"), **data}, headers=HX)


def value(app, list_name, slug):
    with app.app_context():
        found = db.session.scalar(db.select(ListValue).where(ListValue.list_name == list_name, ListValue.slug == slug))
        db.session.expunge(found)
        return found


def test_only_admins_open_the_lists(client, login, make_user, reference):
    login(make_user(role="recruiter"))
    assert client.get("/admin/lists/eye_color").status_code == 403
    client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/dashboard")})
    login(make_user(role="admin"))
    page = client.get("/admin/lists/eye_color").get_data(as_text=True)
    assert "Eye colours" in page and "Noisette" in page and "Hazel" in page
    assert client.get("/admin/lists/passwords").status_code == 404


def test_an_admin_adds_renames_reorders_and_retires_a_value(app, client, login, make_user, reference):
    login(make_user(role="admin"))
    response = post(client, "/admin/lists/eye_color", {"name_en": "", "name_fr": "Ambre"})
    assert response.status_code == 422 and "This field is required." in response.get_data(as_text=True)
    assert post(client, "/admin/lists/eye_color", {"name_en": "Amber", "name_fr": "Ambre"}).status_code == 200
    amber = value(app, "eye_color", "ambre")
    assert (amber.name_en, amber.is_active) == ("Amber", True)
    assert post(client, f"/admin/lists/values/{amber.id}", {"name_en": "Amber", "name_fr": "Ambré"}).status_code == 200
    assert value(app, "eye_color", "ambre").is_active is False  # the box was left unticked
    with app.test_request_context():
        assert "ambre" not in [slug for slug, _name in list_choices("eye_color")]
    post(client, f"/admin/lists/values/{amber.id}/move", {"direction": "up"})
    with app.app_context():
        slugs = [v.slug for v in taxonomy.list_values("eye_color", include_inactive=True)]
    assert slugs[-2:] == ["ambre", "vairons"]
    assert post(client, f"/admin/lists/values/{amber.id}/move", {"direction": "sideways"}).status_code == 422
