"""/api/v1/users/{id}, /users/code/{code}, the seed 001 candidates and the internal
/api/countries, /api/cities/{id}, /api/talents: shapes, checks, errors and who may do what."""

from __future__ import annotations

import io

import pytest

from tests import factories as f
from webapp.directory.models import Profile
from webapp.extensions import db


@pytest.fixture
def reference(app):
    with app.app_context():
        f.load_reference()


@pytest.fixture
def ids(app, reference):
    """Reference ids the tests send: Morocco, Rabat, Senegal, a skill."""
    with app.app_context():
        return {"MA": f.country("MA").id, "RAB": f.city("MA", "RAB").id, "SN": f.country("SN").id,
                "DKR": f.city("SN", "DKR").id, "python": f.skill("python").id}


def talent_with_profile(app, make_user, **fields):
    user = make_user(full_name="Amina Tazi")
    with app.app_context():
        profile = f.talent_profile(db.session.get(f.User, user.id), **fields)
        return user, profile.id


def candidate_id(app, recruiter, **fields) -> int:
    with app.app_context():
        return f.make_candidate(db.session.get(f.User, recruiter.id), **fields).id


# GET /users/{id} ----------------------------------------------------------------------------------

def test_the_owner_reads_their_profile_in_the_seed_shape(app, client, login, make_user, ids):
    user, pid = talent_with_profile(app, make_user)
    login(user)
    client.put(f"/api/v1/users/{pid}", json={
        "gender": "F", "nationality_id": ids["MA"], "residence_city_id": ids["RAB"], "date_of_birth": "1994-03-02",
        "availability": "Temps plein", "work_mode": "hybrid", "rate_min": 500, "rate_max": 800,
        "rate_currency": "MAD", "rate_unit": "day", "talents": [{"id": ids["python"], "level": 4}],
        "languages": "fr, en"})
    response = client.get(f"/api/v1/users/{pid}")
    assert response.status_code == 200
    body = response.get_json()
    for key in ("unique_code", "first_name", "last_name", "email", "phone", "whatsapp", "date_of_birth", "age",
                "gender", "nationality", "bio", "years_experience", "education", "languages", "availability",
                "work_mode", "rate_range", "country", "city", "residence_country", "residence_city", "talents",
                "photo_url", "cv_url", "qr_code_url", "portfolio_url", "website", "linkedin", "instagram",
                "profile_score", "account_active", "created_at", "updated_at"):
        assert key in body, key
    assert body["unique_code"] == "MAF0001RAB"
    assert body["residence_city"] == {"id": ids["RAB"], "name": "Rabat", "code": "RAB"}
    assert body["residence_country"]["code"] == "MA"
    assert body["nationality"] == "Moroccan"
    assert body["availability"] == "full_time" and body["availability_label"] == "Full time"
    assert body["rate_range"] == "500-800 MAD per day"
    assert body["languages"] == "French, English"
    assert body["talents"][0]["level"] == 4 and body["talents"][0]["name"] == "Python"
    assert body["recruiter_notes"] is None
    assert body["qr_code_url"] is None


def test_names_come_in_the_callers_language(app, client, login, make_user, ids):
    user = make_user(locale="fr")
    with app.app_context():
        pid = f.talent_profile(db.session.get(f.User, user.id), nationality_id=ids["MA"],
                               availability="part_time").id
    login(user)
    body = client.get(f"/api/v1/users/{pid}").get_json()
    assert body["nationality"] == "Marocaine"
    assert body["availability_label"] == "Temps partiel"
    assert body["nationality_country"]["name"] == "Maroc"


def test_another_talent_gets_403_and_anonymous_401(app, client, login, make_user, reference):
    _owner, pid = talent_with_profile(app, make_user)
    anonymous = client.get(f"/api/v1/users/{pid}")
    assert anonymous.status_code == 401
    assert anonymous.get_json()["error"]["code"] == "unauthorized"
    login(make_user())
    response = client.get(f"/api/v1/users/{pid}")
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "forbidden"
    assert client.put(f"/api/v1/users/{pid}", json={"bio": "hacked"}).status_code == 403


def test_unknown_profile_is_a_json_404_and_me_still_works(client, login, make_user):
    login(make_user())
    response = client.get("/api/v1/users/999999")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"
    assert client.get("/api/v1/users/me").get_json()["role"] == "talent"


def test_recruiters_read_everyone_with_notes_but_edit_only_candidates(app, client, login, make_user, ids):
    _owner, pid = talent_with_profile(app, make_user)
    recruiter = make_user(role="recruiter")
    cid = candidate_id(app, recruiter, recruiter_notes="Met at the fair.")
    login(recruiter)
    assert client.get(f"/api/v1/users/{pid}").status_code == 200
    assert client.get(f"/api/v1/users/{cid}").get_json()["recruiter_notes"] == "Met at the fair."
    refused = client.put(f"/api/v1/users/{pid}", json={"bio": "changed by a recruiter"})
    assert refused.status_code == 403
    changed = client.put(f"/api/v1/users/{cid}", json={"bio": "Actrice et chanteuse."})
    assert changed.status_code == 200 and changed.get_json()["bio"] == "Actrice et chanteuse."


def test_bad_values_come_back_under_the_names_sent(app, client, login, make_user, reference):
    user, pid = talent_with_profile(app, make_user)
    login(user)
    response = client.put(f"/api/v1/users/{pid}", json={"date_of_birth": "2090-01-01", "website": "not a site",
                                                        "rate_min": 900, "rate_max": 100, "gender": "X"})
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "validation_error"
    assert set(error["fields"]) == {"date_of_birth", "website", "rate_max", "gender"}
    wrong_type = client.put(f"/api/v1/users/{pid}", json={"years_experience": "many"})
    assert wrong_type.status_code == 422 and "years_experience" in wrong_type.get_json()["error"]["fields"]
    assert client.put(f"/api/v1/users/{pid}", data="not json", content_type="application/json").status_code == 400


def test_only_admins_set_account_active_and_a_refused_part_changes_nothing(app, client, login, make_user, reference):
    user, pid = talent_with_profile(app, make_user)
    login(user)
    response = client.put(f"/api/v1/users/{pid}", json={"bio": "Hello there", "account_active": False})
    assert response.status_code == 403
    with app.app_context():
        profile = db.session.get(Profile, pid)
        assert profile.bio is None and profile.is_active
    admin_client = app.test_client()
    login(make_user(role="admin"), into=admin_client)
    hidden = admin_client.put(f"/api/v1/users/{pid}", json={"account_active": False})
    assert hidden.status_code == 200 and hidden.get_json()["account_active"] is False
    # ... but an admin does not rewrite a talent's own words.
    assert admin_client.put(f"/api/v1/users/{pid}", json={"bio": "by admin"}).status_code == 403


def test_code_lookup(app, client, login, make_user, ids):
    _owner, pid = talent_with_profile(app, make_user, gender="M", nationality_id=ids["MA"],
                                      residence_city_id=ids["RAB"])
    login(make_user(role="recruiter"))
    response = client.get("/api/v1/users/code/mam0001rab")
    assert response.status_code == 200 and response.get_json()["id"] == pid
    assert client.get("/api/v1/users/code/XXX0000XXX").status_code == 404


# DELETE /users/{id} ---------------------------------------------------------------------------------

def test_staff_delete_candidates_and_admins_delete_talent_accounts(app, client, login, make_user, reference):
    owner, pid = talent_with_profile(app, make_user)
    recruiter = make_user(role="recruiter")
    cid = candidate_id(app, recruiter)
    login(recruiter)
    assert client.delete(f"/api/v1/users/{pid}", headers={"X-CSRFToken": _csrf(client)}).status_code == 403
    assert client.delete(f"/api/v1/users/{cid}", headers={"X-CSRFToken": _csrf(client)}).status_code == 204
    assert client.get(f"/api/v1/users/{cid}").status_code == 404
    admin_client = app.test_client()
    login(make_user(role="admin"), into=admin_client)
    assert admin_client.delete(f"/api/v1/users/{pid}", headers={"X-CSRFToken": _csrf(admin_client)}).status_code == 204
    with app.app_context():
        assert db.session.get(Profile, pid) is None
        assert db.session.get(f.User, owner.id) is None


def test_a_talent_cannot_delete_through_the_admin_endpoint(app, client, login, make_user, reference):
    user, pid = talent_with_profile(app, make_user)
    login(user)
    assert client.delete(f"/api/v1/users/{pid}", headers={"X-CSRFToken": _csrf(client)}).status_code == 403


# Candidates (seed 001) ---------------------------------------------------------------------------------

def test_a_recruiter_adds_reads_updates_and_deletes_a_candidate(client, login, make_user, ids):
    login(make_user(role="recruiter"))
    created = client.post("/api/v1/candidates/", json={"first_name": "Youssef", "last_name": "Amrani",
                                                      "email": "Youssef@Example.com", "phone": "+212 612 345 678",
                                                      "talents": [ids["python"]], "source": "referral"})
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert body["email"] == "youssef@example.com" and body["source"] == "referral" and body["has_account"] is False
    cid = body["id"]
    assert client.get(f"/api/v1/candidates/{cid}").get_json()["full_name"] == "Youssef Amrani"
    updated = client.put(f"/api/v1/candidates/{cid}", json={"headline": "Data engineer"})
    assert updated.status_code == 200 and updated.get_json()["headline"] == "Data engineer"
    profile = client.put(f"/api/v1/candidates/{cid}/profile", json={"years_experience": 6, "city_id": ids["DKR"]})
    assert profile.status_code == 200
    assert profile.get_json()["country"]["code"] == "SN"
    assert client.get(f"/api/v1/candidates/{cid}/profile").get_json()["talents"][0]["id"] == ids["python"]
    assert client.delete(f"/api/v1/candidates/{cid}", headers={"X-CSRFToken": _csrf(client)}).status_code == 204
    assert client.get(f"/api/v1/candidates/{cid}").status_code == 404


def test_a_candidate_needs_both_names(client, login, make_user, reference):
    login(make_user(role="recruiter"))
    response = client.post("/api/v1/candidates/", json={"first_name": " ", "email": "bad"})
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {"first_name", "last_name", "email"}


def test_talents_and_consultants_cannot_use_the_crm(client, login, make_user, reference):
    login(make_user())
    response = client.post("/api/v1/candidates/", json={"first_name": "A", "last_name": "B"})
    assert response.status_code == 403
    assert client.get("/api/v1/candidates/1").status_code == 403


def test_a_talent_profile_is_not_edited_as_a_candidate(app, client, login, make_user, reference):
    _owner, pid = talent_with_profile(app, make_user)
    login(make_user(role="recruiter"))
    assert client.get(f"/api/v1/candidates/{pid}").status_code == 200
    assert client.put(f"/api/v1/candidates/{pid}", json={"bio": "x"}).status_code == 403
    assert client.delete(f"/api/v1/candidates/{pid}", headers={"X-CSRFToken": _csrf(client)}).status_code == 403


def test_upload_a_candidates_cv_by_content(app, client, login, make_user, reference):
    recruiter = make_user(role="recruiter")
    cid = candidate_id(app, recruiter)
    login(recruiter)
    ok = client.post(f"/api/v1/candidates/{cid}/upload-cv",
                     data={"file": (io.BytesIO(f.docx_bytes()), "cv.docx")}, content_type="multipart/form-data",
                     headers={"X-CSRFToken": _csrf(client)})
    assert ok.status_code == 201, ok.get_json()
    assert ok.get_json()["success"] is True and "/files/" in ok.get_json()["file_path"]
    disguised = client.post(f"/api/v1/candidates/{cid}/upload-cv",
                            data={"file": (io.BytesIO(f.image_bytes()), "cv.pdf")},
                            content_type="multipart/form-data", headers={"X-CSRFToken": _csrf(client)})
    assert disguised.status_code == 422
    error = disguised.get_json()["error"]
    assert error["code"] == "unsupported_file_type" and "file" in error["fields"]
    download = client.get(ok.get_json()["file_path"])
    assert download.status_code == 200
    assert download.headers["Content-Disposition"].startswith("attachment")


def _csrf(client) -> str:
    from tests.conftest import csrf_token

    return csrf_token(client, "/dashboard")


# Internal endpoints (seed 003) ------------------------------------------------------------------------------

def test_countries_cities_and_talents_for_the_forms(client, ids):
    countries = client.get("/api/countries")
    assert countries.status_code == 200
    morocco = next(c for c in countries.get_json()["items"] if c["code"] == "MA")
    assert morocco["name"] == "Morocco"
    french = client.get("/api/countries", headers={"Accept-Language": "fr"}).get_json()["items"]
    assert any(c["name"] == "Maroc" for c in french)
    cities = client.get(f"/api/cities/{ids['MA']}").get_json()["items"]
    assert {"id": ids["RAB"], "name": "Rabat", "code": "RAB", "country_id": ids["MA"]} in cities
    talents = client.get("/api/talents").get_json()["items"]
    assert any(t["id"] == ids["python"] for t in talents)


def test_internal_endpoints_answer_json_errors(client, reference):
    missing = client.get("/api/cities/999999")
    assert missing.status_code == 404 and missing.get_json()["error"]["code"] == "not_found"
    bad = client.get("/api/cities/rabat")
    assert bad.status_code == 404 and bad.is_json


def test_openapi_lists_the_new_paths(client):
    paths = client.get("/api/openapi.json").get_json()["paths"]
    for path in ("/api/v1/users/{profile_id}", "/api/v1/users/code/{unique_code}", "/api/v1/candidates/",
                 "/api/v1/candidates/{candidate_id}/upload-cv", "/api/v1/files", "/api/v1/files/upload-url",
                 "/api/v1/files/uploads/{token}", "/api/v1/files/complete", "/api/v1/files/{file_id}"):
        assert path in paths, path

