"""/api/v1/skills (seed 001) and its seed 003 aliases /talents, /talents/{id}."""

from __future__ import annotations

import pytest

from tests import factories as f
from tests.conftest import csrf_token
from tests.directory.publishing_helpers import detach
from webapp.extensions import db
from webapp.taxonomy.models import Skill

NEW = {"name_en": "Stage combat", "name_fr": "Combat scénique", "category_en": "Acting",
       "category_fr": "Interprétation", "emoji": "⚔️", "tag": "cinema", "synonyms": ["fight", "cascade"]}


@pytest.fixture
def as_role(app, client, login):
    def sign_in(role="talent", locale="en"):
        with app.app_context():
            f.load_reference()
            user = detach(f.make_user(role=role, locale=locale))
        return login(user)

    return sign_in


def test_the_list_has_the_envelope_and_each_skill_its_profile_count(app, client, as_role):
    as_role("recruiter")
    with app.app_context():
        python = f.skill("python")
        f.talent_profile(f.make_user(), skills=[{"skill_id": python.id, "level": 4}])
        python_id = python.id
    body = client.get("/api/v1/skills/?per_page=100").get_json()
    assert set(body) == {"items", "total", "page", "per_page", "pages"}
    item = next(i for i in body["items"] if i["id"] == python_id)
    assert item["users_count"] == 1 and item["name"] == "Python" and item["tag"] == "general"
    assert {"name_en", "name_fr", "category", "emoji", "synonyms", "is_active"} <= set(item)


def test_filters_q_category_and_tag(client, as_role):
    as_role()
    assert [i["slug"] for i in client.get("/api/v1/skills?q=django").get_json()["items"]] == ["python"]
    cinema = client.get("/api/v1/skills?tag=cinema&per_page=100").get_json()["items"]
    assert cinema and all(i["tag"] == "cinema" for i in cinema)
    by_path = client.get("/api/v1/skills/category/Technologie?per_page=100").get_json()
    by_query = client.get("/api/v1/skills?category=technology&per_page=100").get_json()
    assert by_path["total"] == by_query["total"] > 0
    assert client.get("/api/v1/skills/search?q=graphiste").get_json()["items"][0]["slug"] == "graphic-design"


def test_talents_are_the_same_answers_as_skills(client, as_role):
    as_role()
    assert client.get("/api/v1/talents?tag=cinema").get_json() == client.get("/api/v1/skills?tag=cinema").get_json()
    first = client.get("/api/v1/skills").get_json()["items"][0]
    assert client.get(f"/api/v1/talents/{first['id']}").get_json() == first


def test_names_come_in_the_callers_language(client, as_role):
    as_role(locale="fr")
    item = client.get("/api/v1/skills?q=graphic").get_json()["items"][0]
    assert (item["name"], item["category"]) == ("Graphisme", "Design")


def test_an_admin_creates_updates_and_deletes(app, client, as_role):
    as_role("admin")
    created = client.post("/api/v1/skills/", json=NEW)
    assert created.status_code == 201
    skill = created.get_json()
    assert skill["slug"] == "stage-combat" and skill["synonyms"] == ["fight", "cascade"] and skill["users_count"] == 0
    updated = client.put(f"/api/v1/skills/{skill['id']}", json={"emoji": "🤺", "is_active": False})
    assert updated.status_code == 200
    assert (updated.get_json()["emoji"], updated.get_json()["name_fr"]) == ("🤺", "Combat scénique")
    deleted = client.delete(f"/api/v1/skills/{skill['id']}", headers={"X-CSRFToken": csrf_token(client, "/")})
    assert deleted.status_code == 204
    assert client.get(f"/api/v1/skills/{skill['id']}").status_code == 404
    with app.app_context():
        assert db.session.get(Skill, skill["id"]) is None


def test_one_name_fills_both_languages(client, as_role):
    as_role("admin")
    body = client.post("/api/v1/skills", json={"name": "Juggling", "category": "Circus"}).get_json()
    assert (body["name_en"], body["name_fr"], body["category_fr"]) == ("Juggling", "Juggling", "Circus")


def test_bad_input_gets_a_validation_error_with_fields(client, as_role):
    as_role("admin")
    response = client.post("/api/v1/skills", json={**NEW, "name_en": "Python", "tag": "music"})
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "validation_error" and set(error["fields"]) >= {"name_en", "tag"}
    assert client.post("/api/v1/skills", data="nope", content_type="application/json").status_code == 400


@pytest.mark.parametrize("role", ["talent", "recruiter", "consultant"])
def test_only_admins_write(client, as_role, role):
    as_role(role)
    assert client.post("/api/v1/skills", json=NEW).status_code == 403
    first = client.get("/api/v1/skills").get_json()["items"][0]
    assert client.put(f"/api/v1/skills/{first['id']}", json={"emoji": "x"}).status_code == 403
    assert client.delete(f"/api/v1/skills/{first['id']}", headers={"X-CSRFToken": csrf_token(client, "/")}).status_code == 403


def test_anonymous_callers_must_authenticate(client):
    assert client.get("/api/v1/skills").status_code == 401
    assert client.post("/api/v1/skills", json=NEW).status_code == 401


def test_inactive_skills_are_for_admins_only(app, client, as_role):
    with app.app_context():
        f.load_reference()
        python = f.skill("python")
        python.is_active = False
        db.session.commit()
        python_id = python.id
    as_role()
    assert client.get(f"/api/v1/skills/{python_id}").status_code == 404
    assert all(i["id"] != python_id for i in client.get("/api/v1/skills?per_page=100&active=no").get_json()["items"])


def test_an_unknown_skill_is_a_json_404(client, as_role):
    as_role()
    response = client.get("/api/v1/skills/999999")
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"
