"""/api/v1/cinema as integrations use it: seed 003's shapes for talents, productions and
projects, the writes on projects, roles and assignments, the consent rules, and who may
reach what (another production's project is closed)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests import factories as f
from tests.conftest import csrf_token
from webapp.accounts.models import User
from webapp.casting import services as casting
from webapp.directory.models import Profile
from webapp.extensions import db


@pytest.fixture
def world(app):
    with app.app_context():
        f.load_reference()
        owner = f.make_user(role="recruiter", full_name="Youssef El Amrani")
        rival = f.make_user(role="recruiter", full_name="Claire Dubois")
        admin = f.make_user(role="admin")
        talent = f.make_user(full_name="Fatima Benani")
        profile = f.talent_profile(talent, gender="F", birth_date="1996-03-20", nationality_id=f.country("MA").id,
                                   residence_city_id=f.city("MA", "CAS").id, phone="+212600000000")
        cinema = casting.update_cinema(talent, profile, {
            "height_cm": 168, "eye_color": "marron", "hair_color": "noir", "hair_type": "ondules", "skin_tone": "mat",
            "build": "svelte", "talent_types": ["lead-actor", "model"], "other_talents": ["dancer", "singer"],
            "languages_spoken": ["fr:native", "ar:fluent"], "years_of_experience": 5,
            "previous_productions": "Film X (2022), Serie Y (2023)", "id_document_type": "cin",
            "id_document_number": "AB12345623"})
        casting.set_ethnicities(talent, profile, ["arabe", "berbere"], consent=True)
        production, project, role = f.production_with_role(owner)
        _p, rival_project, rival_role = f.production_with_role(rival, "Lagune Films", "Nuit d'Abidjan")
        child = f.cinema_candidate(owner, "Rayan", "Benani", gender="M", age=12)
        keep = lambda user: SimpleNamespace(id=user.id, email=user.email)  # noqa: E731
        return SimpleNamespace(owner=keep(owner), rival=keep(rival), admin=keep(admin), talent=keep(talent),
                               profile_id=profile.id, cinema_id=cinema.id, production_id=production.id,
                               project_id=project.id, role_id=role.id, rival_project_id=rival_project.id,
                               rival_role_id=rival_role.id, child_id=child.id)


def api(client, method, path, **kwargs):
    if method == "DELETE":  # no JSON body: a cookie session sends the CSRF header, as the pages' scripts do
        kwargs.setdefault("headers", {"X-CSRFToken": csrf_token(client, "/dashboard")})
    return client.open(f"/api/v1{path}", method=method, **kwargs)


def test_anonymous_callers_get_401_in_the_error_shape(client, world):
    response = api(client, "GET", f"/cinema/talents/{world.cinema_id}")
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"


def test_a_talent_detail_has_the_seed_shape_with_masked_document_and_consented_ethnicity(client, login, world):
    login(world.owner)
    body = api(client, "GET", f"/cinema/talents/{world.cinema_id}").get_json()
    assert body["unique_code"] == "MACAS000001F"
    assert (body["first_name"], body["last_name"], body["gender"], body["age"] > 20) == ("Fatima", "Benani", "F", True)
    assert body["date_of_birth"] == "1996-03-20"
    assert body["id_document_type"] == "National identity card"
    assert body["id_document_initials"] == "AB***23"
    assert "12345623" not in str(body)
    assert body["ethnicities"] == ["Arab", "Amazigh (Berber)"]
    assert (body["nationality"], body["country_of_residence"], body["city_of_residence"]) == (
        "Moroccan", "Morocco", "Casablanca")
    assert (body["height"], body["eye_color"], body["hair_type"], body["build"]) == (168, "Brown", "Wavy", "Slender")
    assert body["talent_types"] == ["Lead actor", "Model"]
    assert body["other_talents"] == ["Dancer", "Singer"]
    assert body["languages_spoken"] == ["French", "Arabic"]
    assert body["years_of_experience"] == 5 and body["previous_productions"] == "Film X (2022), Serie Y (2023)"
    assert body["phone"] == "+212600000000" and body["gallery_photos"] == []
    assert body["qr_code_url"].endswith(f"/directory/{world.profile_id}/qr.png")
    assert client.get(body["qr_code_url"]).status_code == 200
    for key in ("whatsapp", "website", "instagram", "qr_code_url", "is_active", "created_at", "updated_at"):
        assert key in body


def test_names_come_in_the_caller_s_language(client, login, world, app):
    with app.app_context():
        db.session.get(User, world.owner.id).locale = "fr"
        db.session.commit()
    login(world.owner)
    body = api(client, "GET", f"/cinema/talents/{world.cinema_id}").get_json()
    assert (body["eye_color"], body["hair_type"], body["nationality"]) == ("Marron", "Ondulés", "Marocaine")
    assert body["talent_types"] == ["Acteur principal", "Mannequin"]


def test_withdrawn_consent_removes_the_ethnicity_from_the_api(client, login, world, app):
    with app.app_context():
        casting.withdraw_ethnicity_consent(db.session.get(User, world.talent.id), db.session.get(Profile, world.profile_id))
    login(world.owner)
    body = api(client, "GET", f"/cinema/talents/{world.cinema_id}").get_json()
    assert body["ethnicities"] == [] and body["ethnicity_consent_at"] is None


def test_the_talent_sees_their_own_detail_but_no_one_else_s(client, login, world, make_user):
    login(world.talent)
    assert api(client, "GET", f"/cinema/talents/{world.cinema_id}").get_json()["ethnicities"]
    assert api(client, "GET", "/cinema/talents/code/MACAS000001F").status_code == 200
    assert api(client, "GET", "/cinema/projects").status_code == 403
    client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/dashboard")})
    login(make_user())
    response = api(client, "GET", f"/cinema/talents/{world.cinema_id}")
    assert response.status_code == 403 and response.get_json()["error"]["code"] == "forbidden"


def test_a_talent_by_code(client, login, world):
    login(world.rival)
    assert api(client, "GET", "/cinema/talents/code/macas000001f").get_json()["id"] == world.cinema_id
    assert api(client, "GET", "/cinema/talents/code/MAF0001CAS").get_json()["id"] == world.cinema_id
    response = api(client, "GET", "/cinema/talents/code/NOPE")
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"


def test_productions_list_in_the_list_shape(client, login, world):
    login(world.rival)
    body = api(client, "GET", "/cinema/productions?per_page=1").get_json()
    assert (body["total"], body["page"], body["per_page"], body["pages"]) == (2, 1, 1, 2)
    item = body["items"][0]
    assert item["name"] == "Atlas Productions" and item["productions_count"] == 1
    for key in ("logo_url", "description", "specialization", "city", "country", "founded_year", "employees_count",
                "is_verified", "email", "website"):
        assert key in item
    assert api(client, "GET", "/cinema/productions?search=lagune").get_json()["total"] == 1
    assert api(client, "GET", "/cinema/productions?per_page=500").status_code == 422


def test_productions_are_created_and_edited_by_their_recruiters_and_verified_by_admins(client, login, world):
    login(world.owner)
    response = api(client, "POST", "/cinema/productions", json={"name": "", "founded_year": 1500})
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {"name", "founded_year"}
    created = api(client, "POST", "/cinema/productions",
                  json={"name": "Médina Films", "specialization": "Documentaires", "is_verified": True})
    assert created.status_code == 201
    made = created.get_json()
    assert made["is_verified"] is False  # only admins verify
    assert made["recruiters"] == [{"user_id": world.owner.id, "full_name": "Youssef El Amrani", "role": "owner"}]
    updated = api(client, "PUT", f"/cinema/productions/{made['id']}", json={"city_id": None, "size": "1-10"})
    assert updated.status_code == 200 and updated.get_json()["size"] == "1-10"
    assert api(client, "PUT", f"/cinema/productions/{made['id']}", json={"size": "huge"}).status_code == 422
    assert api(client, "PUT", f"/cinema/productions/{made['id']}", json={"is_verified": True}).status_code == 403
    client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/dashboard")})
    login(world.rival)
    assert api(client, "PUT", f"/cinema/productions/{made['id']}", json={"name": "Mine"}).status_code == 403
    client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/dashboard")})
    login(world.admin)
    verified = api(client, "PUT", f"/cinema/productions/{made['id']}", json={"is_verified": True})
    assert verified.status_code == 200 and verified.get_json()["is_verified"] is True


def test_projects_list_only_the_caller_s_productions_with_filters(client, login, world):
    login(world.owner)
    body = api(client, "GET", "/cinema/projects").get_json()
    assert [p["name"] for p in body["items"]] == ["Le Désert Blanc"] and body["total"] == 1
    item = body["items"][0]
    assert item["production_company"] == {"id": world.production_id, "name": "Atlas Productions"}
    assert (item["status"], item["status_display"], item["code"]) == ("en_preparation", "In preparation", "PRJ-001")
    assert item["production_type"] == "Feature film" and item["talents_count"] == 0
    assert api(client, "GET", "/cinema/projects?status=casting").get_json()["total"] == 0
    assert api(client, "GET", f"/cinema/projects?production_id={world.rival_project_id + 99}").get_json()["total"] == 0
    assert api(client, "GET", "/cinema/projects?status=famous").status_code == 422
    client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/dashboard")})
    login(world.admin)
    assert api(client, "GET", "/cinema/projects").get_json()["total"] == 2


def test_another_production_s_project_is_closed_in_the_api(client, login, world):
    login(world.owner)
    for method, path, body in (("GET", f"/cinema/projects/{world.rival_project_id}", None),
                               ("PUT", f"/cinema/projects/{world.rival_project_id}", {"status": "annule"}),
                               ("POST", f"/cinema/projects/{world.rival_project_id}/roles", {"name": "Intrus"}),
                               ("GET", f"/cinema/roles/{world.rival_role_id}", None),
                               ("PUT", f"/cinema/roles/{world.rival_role_id}", {"name": "Mine"}),
                               ("DELETE", f"/cinema/roles/{world.rival_role_id}", None),
                               ("POST", f"/cinema/roles/{world.rival_role_id}/assignments",
                                {"profile_id": world.profile_id})):
        response = api(client, method, path, json=body) if body is not None else api(client, method, path)
        assert response.status_code == 403, (method, path)
        assert response.get_json()["error"]["code"] == "forbidden"
    assert api(client, "GET", "/cinema/projects/999999").status_code == 404


def test_a_casting_through_the_api_from_project_to_booked(client, login, world):
    login(world.owner)
    bad = api(client, "POST", "/cinema/projects", json={"name": "Sahara Blues"})
    assert bad.status_code == 422 and "production_id" in bad.get_json()["error"]["fields"]
    created = api(client, "POST", "/cinema/projects", json={
        "name": "Sahara Blues", "production_id": world.production_id, "production_type": "serie",
        "origin_country_id": None, "shooting_locations": "Merzouga", "start_date": "2027-04-01",
        "end_date": "2027-05-01", "status": "casting"})
    assert created.status_code == 201
    project = created.get_json()
    assert (project["code"], project["status_display"], project["production_type"]) == ("PRJ-003", "Casting",
                                                                                         "TV series")
    role = api(client, "POST", f"/cinema/projects/{project['id']}/roles", json={
        "name": "Actrice principale", "talent_type": "lead-actor", "gender": "F", "age_min": 25, "age_max": 35,
        "height_min": 160, "height_max": 175, "description": "Rôle de la protagoniste"})
    assert role.status_code == 201
    role_id = role.get_json()["id"]
    assert api(client, "PUT", f"/cinema/roles/{role_id}", json={"age_min": 40}).status_code == 422
    assignment = api(client, "POST", f"/cinema/roles/{role_id}/assignments",
                     json={"unique_code": "MACAS000001F", "note": "Vue dans Film X"})
    assert assignment.status_code == 201
    made = assignment.get_json()
    assert made["project_code"] == "PRJ-003-001" and made["stage"] == "shortlisted"
    assert made["talent"]["unique_code"] == "MACAS000001F" and made["talent_type"] == "Lead actor"
    again = api(client, "POST", f"/cinema/roles/{role_id}/assignments", json={"cinema_id": world.cinema_id})
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "conflict"
    for stage in ("contacted", "auditioned", "booked"):
        moved = api(client, "PUT", f"/cinema/assignments/{made['id']}/stage", json={"stage": stage})
        assert moved.status_code == 200
    assert [step["stage"] for step in moved.get_json()["history"]] == ["shortlisted", "contacted", "auditioned",
                                                                       "booked"]
    assert api(client, "PUT", f"/cinema/assignments/{made['id']}/stage", json={"stage": "famous"}).status_code == 422
    detail = api(client, "GET", f"/cinema/projects/{project['id']}").get_json()
    assert detail["talents_count"] == 1 and detail["roles"][0]["assigned_count"] == 1
    talent = detail["assigned_talents"][0]
    assert talent["project_code"] == "PRJ-003-001" and talent["role_description"] == "Rôle de la protagoniste"
    assert talent["talent"]["first_name"] == "Fatima" and talent["assigned_at"]
    assert api(client, "DELETE", f"/cinema/assignments/{made['id']}").status_code == 204
    assert api(client, "GET", f"/cinema/assignments/{made['id']}").status_code == 404
    assert api(client, "DELETE", f"/cinema/roles/{role_id}").status_code == 204
    assert api(client, "PUT", f"/cinema/projects/{project['id']}", json={"status": "annule", "is_active": False}
               ).get_json()["is_active"] is False


def test_a_minor_without_a_guardian_s_consent_cannot_be_assigned_through_the_api(client, login, world):
    login(world.owner)
    response = api(client, "POST", f"/cinema/roles/{world.role_id}/assignments", json={"profile_id": world.child_id})
    assert response.status_code == 422
    assert "under 16" in response.get_json()["error"]["message"]


def test_bad_bodies_never_end_in_a_server_error(client, login, world):
    login(world.owner)
    for method, path, body in (
            ("POST", "/cinema/projects", {"production_id": "abc"}),
            ("POST", "/cinema/projects", {"production_id": world.production_id, "name": "x", "start_date": "soon"}),
            ("POST", "/cinema/projects", {"production_id": world.production_id, "name": "x" * 500}),
            ("POST", f"/cinema/projects/{world.project_id}/roles", {"name": "x", "talent_type": "python"}),
            ("POST", f"/cinema/projects/{world.project_id}/roles", {"name": "x", "age_min": -5}),
            ("POST", f"/cinema/roles/{world.role_id}/assignments", {}),
            ("POST", f"/cinema/roles/{world.role_id}/assignments", {"profile_id": 999999}),
            ("POST", f"/cinema/roles/{world.role_id}/assignments", {"unique_code": "nope"}),
            ("POST", "/cinema/productions", {"name": "x", "website": "not a url", "email": "nope"}),
            ("POST", "/cinema/productions", ["a list"]),
    ):
        response = api(client, method, path, json=body)
        assert 400 <= response.status_code < 500, (path, body, response.status_code)
        assert "error" in response.get_json()
    response = api(client, "POST", "/cinema/projects", data="{not json", content_type="application/json")
    assert response.status_code == 400


def test_cookie_writes_from_another_site_are_refused(client, login, world):
    login(world.owner)
    response = api(client, "POST", "/cinema/productions", json={"name": "Evil"},
                   headers={"Origin": "https://evil.example.com"})
    assert response.status_code == 403 and response.get_json()["error"]["code"] == "csrf_failed"


def test_the_openapi_document_lists_the_cinema_endpoints(client):
    paths = client.get("/api/openapi.json").get_json()["paths"]
    for path in ("/api/v1/cinema/productions", "/api/v1/cinema/projects", "/api/v1/cinema/projects/{project_id}",
                 "/api/v1/cinema/talents/code/{unique_code}", "/api/v1/cinema/roles/{role_id}/assignments",
                 "/api/v1/cinema/assignments/{assignment_id}/stage"):
        assert path in paths, path
