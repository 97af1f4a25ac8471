"""/api/v1/exports: seed 003's direct downloads for admins, background exports with their
progress and file for recruiters' lists; every export audited."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from sqlalchemy import select

from tests import factories as f
from tests.conftest import bearer
from webapp.audit.models import AuditEvent
from webapp.casting import services as casting
from webapp.extensions import db


@pytest.fixture
def world(app):
    with app.app_context():
        f.load_reference()
        recruiter = f.make_user(role="recruiter")
        ma = f.country("MA")
        one = f.make_candidate(recruiter, "Élodie", "+Martin", gender="F", nationality_id=ma.id,
                               residence_city_id=f.city("MA", "CAS").id)
        two = f.make_candidate(recruiter, "Karim", "Alaoui", gender="M", nationality_id=ma.id,
                               residence_city_id=f.city("MA", "RAB").id)
        casting.update_cinema(recruiter, one, {"height_cm": 165, "talent_types": ["extra"]})
        production = casting.create_production(recruiter, {"name": "Atlas"})
        project = casting.create_project(recruiter, production, {"name": "Dune"})
        role = casting.add_role(recruiter, project, {"name": "Guard"})
        casting.assign(recruiter, role, one)
        casting.assign(recruiter, role, two)
        return {"recruiter": recruiter.id, "project": project.id}


@pytest.fixture
def tokens(app, api_login, make_user, world):
    with app.app_context():
        recruiter = db.session.get(f.User, world["recruiter"])
        db.session.expunge(recruiter)
    return {"admin": api_login(make_user(role="admin"))["access_token"],
            "recruiter": api_login(recruiter)["access_token"],
            "stranger": api_login(make_user(role="recruiter"))["access_token"],
            "talent": api_login(make_user())["access_token"]}


def test_admins_download_the_users_excel_directly(client, tokens):
    response = client.get("/api/v1/exports/users/excel", headers=bearer(tokens["admin"]))
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="talentbase-profiles-')
    assert response.headers["X-Export-Rows"] == "3"  # the two candidates and the talent's own profile
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    names = [(row[2], row[3]) for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names[:2] == [("Élodie", "'+Martin"), ("Karim", "Alaoui")] and len(names) == 3


def test_the_users_csv_takes_a_bom_and_a_semicolon(client, tokens):
    response = client.get("/api/v1/exports/users/csv?bom=true&delimiter=;", headers=bearer(tokens["admin"]))
    assert response.status_code == 200 and response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["Code", "Profile", "First name", "Last name"] and len(rows) == 4
    plain = client.get("/api/v1/exports/users/csv", headers=bearer(tokens["admin"]))
    assert not plain.data.startswith(b"\xef\xbb\xbf") and plain.data.startswith(b"Code,Profile,")


def test_the_cinema_excel_holds_the_cinema_talents(client, tokens):
    response = client.get("/api/v1/exports/cinema/excel", headers=bearer(tokens["admin"]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Cinema code" and len(rows) == 2 and rows[1][3] == "Élodie"


@pytest.mark.parametrize("path", ["/api/v1/exports/users/excel", "/api/v1/exports/users/csv",
                                  "/api/v1/exports/cinema/excel"])
def test_full_exports_are_for_admins_only(client, tokens, path):
    for who in ("recruiter", "talent"):
        response = client.get(path, headers=bearer(tokens[who]))
        assert response.status_code == 403 and response.get_json()["error"]["code"] == "forbidden"
    assert client.application.test_client().get(path).status_code == 401


def test_a_recruiter_exports_a_shortlist_in_the_background(client, tokens, world):
    response = client.post("/api/v1/exports", json={"kind": "shortlist", "project_id": world["project"],
                                                    "format": "csv"}, headers=bearer(tokens["recruiter"]))
    assert response.status_code == 202, response.get_json()
    export = response.get_json()
    assert export["kind"] == "shortlist" and export["rows_total"] == 2
    status = client.get(f"/api/v1/exports/{export['id']}", headers=bearer(tokens["recruiter"])).get_json()
    assert status["status"] == "ready" and status["progress"] == 100 and status["rows_done"] == 2
    assert status["download_url"].endswith(f"/api/v1/exports/{export['id']}/download")
    file = client.get(f"/api/v1/exports/{export['id']}/download", headers=bearer(tokens["recruiter"]))
    assert file.status_code == 200
    rows = list(csv.DictReader(io.StringIO(file.data.decode())))
    assert [row["First name"] for row in rows] == ["Élodie", "Karim"]
    assert all(row["Stage"] == "Shortlisted" and row["Assignment code"].startswith("PRJ-") for row in rows)
    listed = client.get("/api/v1/exports", headers=bearer(tokens["recruiter"])).get_json()
    assert [item["id"] for item in listed["items"]] == [export["id"]] and listed["total"] == 1


def test_someone_elses_export_is_403_and_an_unknown_one_404(client, tokens, world):
    export = client.post("/api/v1/exports", json={"kind": "shortlist", "filters": {"project": world["project"]}},
                         headers=bearer(tokens["recruiter"])).get_json()
    for path in (f"/api/v1/exports/{export['id']}", f"/api/v1/exports/{export['id']}/download"):
        assert client.get(path, headers=bearer(tokens["stranger"])).status_code == 403
        assert client.get(path, headers=bearer(tokens["admin"])).status_code == 200
    assert client.get("/api/v1/exports/999999", headers=bearer(tokens["admin"])).status_code == 404


def test_background_export_errors(client, tokens, world):
    recruiter = bearer(tokens["recruiter"])
    assert client.post("/api/v1/exports", json={"kind": "users"}, headers=recruiter).status_code == 403
    assert client.post("/api/v1/exports", json={"kind": "shortlist", "project_id": world["project"]},
                       headers=bearer(tokens["stranger"])).status_code == 403
    missing = client.post("/api/v1/exports", json={"kind": "shortlist"}, headers=recruiter)
    assert missing.status_code == 422 and "project" in missing.get_json()["error"]["fields"]
    wrong = client.post("/api/v1/exports", json={"kind": "all", "format": "pdf"}, headers=recruiter)
    assert wrong.status_code == 422 and {"kind", "format"} <= set(wrong.get_json()["error"]["fields"])
    talent = client.post("/api/v1/exports", json={"kind": "shortlist", "project_id": world["project"]},
                         headers=bearer(tokens["talent"]))
    assert talent.status_code == 403


def test_api_exports_are_audited(app, client, tokens, world):
    client.get("/api/v1/exports/users/excel", headers=bearer(tokens["admin"]))
    client.post("/api/v1/exports", json={"kind": "shortlist", "project_id": world["project"]},
                headers=bearer(tokens["recruiter"]))
    with app.app_context():
        events = list(db.session.scalars(select(AuditEvent).where(AuditEvent.action.like("export.%"))
                                         .order_by(AuditEvent.id)))
        assert [(e.action, e.details["rows"], e.details["how"]) for e in events] == [
            ("export.users", 3, "download"), ("export.shortlist", 2, "background")]
