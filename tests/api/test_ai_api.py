"""/api/v1/cinema/ai-search, /api/v1/ai-search and /api/v1/ai/analyze-cv, and the seed's
internal paths POST /cinema/ai-search and POST /ai-search answering JSON."""

from __future__ import annotations

import io

import pytest

from tests import factories as f
from tests.ai.conftest import build_world
from tests.ai.test_extract import docx_bytes, pdf_bytes
from tests.conftest import bearer, csrf_token

ROLE = {"role_description": "Recherche actrice 25-35 ans parlant arabe et anglais", "gender": "F", "age_min": 25,
        "age_max": 35, "skin_tone": "Mat"}


@pytest.fixture
def world(app):
    return build_world(app)


@pytest.fixture
def token(app, world, api_login):
    return bearer(api_login(world.recruiter, into=app.test_client())["access_token"])


def test_ai_casting_answers_the_seed_body_with_talents_scores_and_reasons(client, world, token):
    response = client.post("/api/v1/cinema/ai-search", json=ROLE, headers=token)
    assert response.status_code == 200
    body = response.get_json()
    assert body["total"] == 1 and body["page"] == 1
    item = body["items"][0]
    talent = item["talent"]
    assert talent["profile_id"] == world.fits and talent["unique_code"] == "MACAS000001F"
    assert talent["first_name"] == "Fatima" and talent["age"] == 28 and talent["skin_tone"] == "Olive"
    assert talent["talent_types"] == ["Lead actor"] and set(talent["languages_spoken"]) == {"Arabic", "English",
                                                                                             "French"}
    assert 0 < item["score"] <= 1
    filters = {c["field"]: c for c in item["reasons"]["filters"]}
    assert filters["gender"]["held"] and filters["gender"]["source"] == "given"
    assert filters["age"]["expected"] == [25, 35] and filters["age"]["actual"] == 28
    assert filters["skin_tones"]["expected"] == ["mat"] and filters["skin_tones"]["actual"] == "mat"
    assert filters["languages"]["source"] == "text" and filters["languages"]["held"]
    assert "Gender: woman ✓" in item["explanation"]
    understood = body["understood"]
    assert understood["filters"]["languages"] == ["ar", "en"] and understood["filters"]["gender"] == "F"
    assert "speaks Arabic and English" in understood["read"]["filters"]


def test_ai_search_takes_json_or_a_file_and_lists_matched_and_missing_skills(client, world, token):
    body = client.post("/api/v1/ai-search", json={"job_description": "Développeur Python et JavaScript"},
                       headers=token).get_json()
    first = body["items"][0]
    assert first["profile"]["id"] == world.developer
    assert [(s["name"], s["level"]) for s in first["matched_skills"]] == [("Python", 5)]
    assert [s["name"] for s in first["missing_skills"]] == ["JavaScript"]
    upload = client.post("/api/v1/ai-search", headers=token, content_type="multipart/form-data",
                         data={"file": (io.BytesIO(pdf_bytes("Senior Python developer with Django")), "job.pdf")})
    assert upload.status_code == 200
    assert upload.get_json()["items"][0]["profile"]["id"] == world.developer
    assert upload.get_json()["extracted_from"] == "job.pdf"


@pytest.mark.parametrize("path, body", [
    ("/api/v1/cinema/ai-search", {"role_description": "   "}),
    ("/api/v1/cinema/ai-search", {"gender": "F"}),
    ("/api/v1/cinema/ai-search", {"role_description": "Actrice", "age_min": 40, "age_max": 20}),
    ("/api/v1/cinema/ai-search", {"role_description": "Actrice", "skin_tone": "purple", "languages": ["xx"]}),
    ("/api/v1/cinema/ai-search", {"role_description": "Actrice", "age_min": "old"}),
    ("/api/v1/cinema/ai-search", {"role_description": "x" * 6000}),
    ("/api/v1/ai-search", {"job_description": ""}),
    ("/api/v1/ai-search", {"job_description": "Python", "work_mode": "space"}),
    ("/api/v1/ai/analyze-cv", {"cv_text": ""}),
])
def test_bad_input_is_a_422_naming_the_field(client, world, token, path, body):
    response = client.post(path, json=body, headers=token)
    assert response.status_code == 422, response.get_json()
    assert response.get_json()["error"]["code"] == "validation_error"
    assert response.get_json()["error"]["fields"]


@pytest.mark.parametrize("data, name, status", [(f.image_bytes(), "job.pdf", 422), (pdf_bytes(None), "scan.pdf", 422),
                                                (b"x" * (5 * 1024 * 1024 + 10), "big.txt", 413)])
def test_bad_files_are_refused_clearly(client, world, token, data, name, status):
    response = client.post("/api/v1/ai-search", headers=token, content_type="multipart/form-data",
                           data={"file": (io.BytesIO(data), name)})
    assert response.status_code == status
    assert response.get_json()["error"]["fields"]["file"]


def test_talents_get_403_and_anonymous_callers_401(app, client, world, api_login):
    talent = bearer(api_login(world.talent, into=app.test_client())["access_token"])
    for path, body in (("/api/v1/cinema/ai-search", ROLE), ("/api/v1/ai-search", {"job_description": "Python"}),
                       ("/api/v1/ai/analyze-cv", {"cv_text": "Python"})):
        assert client.post(path, json=body, headers=talent).status_code == 403
        assert client.post(path, json=body).status_code == 401


def test_analyze_cv_finds_skills_with_evidence_sections_and_suggestions(client, world, token):
    cv = "Profil\nDéveloppeur Python et Django.\nExpérience\n2019-2024 Backend chez Atlas\nLangues\nAnglais courant"
    body = client.post("/api/v1/ai/analyze-cv", json={"cv_text": cv, "job_id": "12"}, headers=token).get_json()
    assert {s["name"] for s in body["skills"]} >= {"Python"}
    assert next(s for s in body["skills"] if s["name"] == "Python")["evidence"]
    assert {"summary", "experience", "languages"} <= set(body["sections"])
    assert any("education" in s for s in body["suggestions"])
    from_file = client.post("/api/v1/ai/analyze-cv", headers=token, content_type="multipart/form-data",
                            data={"file": (io.BytesIO(docx_bytes("Compétences", "Python, Django")), "cv.docx")})
    assert from_file.status_code == 200 and from_file.get_json()["skills"]


def test_the_seed_internal_paths_answer_json_when_asked(client, login, world):
    login(world.recruiter)
    token = csrf_token(client, "/cinema/ai-casting")
    cast = client.post("/cinema/ai-search", json=ROLE, headers={"X-CSRFToken": token})
    assert cast.status_code == 200 and cast.get_json()["items"][0]["talent"]["profile_id"] == world.fits
    search = client.post("/ai-search", json={"job_description": "Python", "file": None},
                         headers={"X-CSRFToken": token})
    assert search.status_code == 200 and search.get_json()["items"][0]["profile"]["id"] == world.developer
    bad = client.post("/cinema/ai-search", json={"role_description": ""}, headers={"X-CSRFToken": token})
    assert bad.status_code == 422 and bad.get_json()["error"]["fields"]["role_description"]
    assert client.post("/cinema/ai-search", json=ROLE).status_code == 400  # no CSRF token


def test_the_openapi_document_lists_the_ai_endpoints(client):
    paths = client.get("/api/openapi.json").get_json()["paths"]
    assert {"/api/v1/cinema/ai-search", "/api/v1/ai-search", "/api/v1/ai/analyze-cv"} <= set(paths)
