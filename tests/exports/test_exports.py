"""Exports as an admin or a recruiter meets them: start one, follow it, download it, open
the file, and find every person of the database with every cell right (formulas
neutralised, accents intact, never an ethnicity or a guardian)."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from tests import factories as f
from tests.conftest import csrf_token, page_text
from webapp.audit.models import AuditEvent
from webapp.casting import services as casting
from webapp.directory.models import Profile
from webapp.extensions import db
from webapp.insights import exports
from webapp.insights.models import Export

BASE = "http://127.0.0.1:5000"


@pytest.fixture
def people(app):
    """Three profiles with awkward values, a cinema talent with a consented ethnicity, a minor
    with a guardian, and a recruiter's project with two talents shortlisted."""
    with app.app_context():
        f.load_reference()
        recruiter = f.make_user(role="recruiter", email="rec@example.com")
        ma, sn = f.country("MA"), f.country("SN")
        emile = f.make_candidate(
            recruiter, "Émile", "=SUM(A1)+1", gender="M", nationality_id=ma.id,
            residence_country_id=ma.id, residence_city_id=f.city("MA", "CAS").id, email="emile@example.com",
            phone="+212 600 000 001", birth_date=date(1990, 5, 17), years_experience=7,
            headline="@admin -cmd|' /C calc'!A0", rate_min=300, rate_max=500, rate_currency="MAD", rate_unit="day",
            skills=[{"skill_id": f.skill("python").id, "level": 4}, {"skill_id": f.skill("extra").id, "level": 2}],
            languages=[{"code": "fr", "level": "native"}, {"code": "ar", "level": "fluent"}])
        awa = f.make_candidate(recruiter, "Awa", "Ndiaye-Sène", gender="F", nationality_id=sn.id,
                               residence_city_id=f.city("SN", "DKR").id, birth_date=date(1998, 1, 2))
        casting.update_cinema(recruiter, awa, {"height_cm": 172, "talent_types": ["lead-actor", "model"],
                                               "eye_color": "marron", "skin_tone": "mat"})
        casting.set_ethnicities(recruiter, awa, ["berbere"], consent=True)
        today = date.today()
        minor = f.make_candidate(recruiter, "Yanis", "Petit", gender="M", nationality_id=ma.id,
                                 residence_city_id=f.city("MA", "RAB").id,
                                 birth_date=today.replace(year=today.year - 12))
        casting.update_cinema(recruiter, minor, {"height_cm": 140, "talent_types": ["extra"]})
        casting.set_guardian(recruiter, minor, {"guardian_name": "Karima Gardienne", "guardian_consent": True,
                                                "guardian_phone": "+212 611 111 111",
                                                "guardian_email": "guardian@example.com"})
        production = casting.create_production(recruiter, {"name": "Atlas Films"})
        project = casting.create_project(recruiter, production, {"name": "Le Désert", "status": "casting"})
        role = casting.add_role(recruiter, project, {"name": "Lead", "gender": "any"})
        first = casting.assign(recruiter, role, awa, note="Très bien")
        casting.move_stage(recruiter, first, "auditioned")
        casting.assign(recruiter, role, minor)
        other = f.make_user(role="recruiter", email="other@example.com")
        return {"recruiter": recruiter.id, "other": other.id, "project": project.id, "emile": emile.id,
                "awa": awa.id, "minor": minor.id}


def start(client, **data):
    return client.post("/exports", data={**data, "csrf_token": csrf_token(client, "/exports")})


def latest_export(app) -> Export:
    with app.app_context():
        export = db.session.scalars(select(Export).order_by(Export.id.desc())).first()
        db.session.expunge(export)
        return export


def download(client, app):
    export = latest_export(app)
    response = client.get(f"/exports/{export.id}/download")
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return export, response


def sheet_rows(data: bytes) -> tuple[list, list[dict]]:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    return header, [dict(zip(header, row, strict=True)) for row in rows[1:]]


def all_text(data: bytes) -> str:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    return " ".join(str(cell) for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None)


def close_in_time(written: datetime, stored: datetime) -> bool:
    return abs(written.replace(tzinfo=UTC) - stored) < timedelta(seconds=1)


def expected_profile(profile: Profile) -> dict:
    """What the export must say about `profile`, worked out from the ORM objects."""
    from webapp.directory.reference import LANGUAGE_LEVEL_LABELS, LANGUAGES

    today = date.today()
    born = profile.birth_date
    age = None if born is None else today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    skills = ", ".join(f"{link.skill.name_en} ({link.level}/5)"
                       for link in sorted(profile.skills, key=lambda s: (-s.level, s.skill.name_en)))
    languages = ", ".join(f"{LANGUAGES[item.code][0]} ({LANGUAGE_LEVEL_LABELS[item.level]})"
                          for item in profile.languages)

    def risky(text):
        return "'" + text if text and text[0] in "=+-@\t\r" else text

    return {
        "Code": profile.code, "First name": profile.first_name, "Last name": risky(profile.last_name) or None,
        "Email": profile.email, "Phone": risky(profile.phone), "Gender": {"M": "Male", "F": "Female"}[profile.gender],
        "Birth date": datetime.combine(born, datetime.min.time()) if born else None, "Age": age,
        "Nationality": profile.nationality.name_en if profile.nationality else None,
        "Country": profile.country.name_en if profile.country else None,
        "City": profile.city.name if profile.city else None, "Headline": risky(profile.headline),
        "Years of experience": profile.years_experience, "Skills": skills or None, "Languages": languages or None,
        "Rate from": profile.rate_min, "Rate to": profile.rate_max, "Currency": profile.rate_currency,
        "Profile score": profile.profile_score, "Photo": profile.photo_file_id is not None,
        "CV": profile.cv_file_id is not None, "Active": profile.is_active, "Account": "Candidate (CRM)",
        "Source": "Added by a recruiter",
    }


# The users export ------------------------------------------------------------------------------

def test_the_users_excel_holds_every_profile_cell_by_cell(app, client, login, admin, people):
    login(admin)
    response = start(client, kind="users", format="xlsx")
    assert response.status_code == 302
    export, file = download(client, app)
    assert file.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in file.headers["Content-Disposition"] and export.download_name.endswith(".xlsx")
    header, rows = sheet_rows(file.data)
    assert "Ethnicity" not in header and not any("guardian" in title.lower() for title in header)
    with app.app_context():
        profiles = list(db.session.scalars(select(Profile).order_by(Profile.id)))
        assert len(rows) == len(profiles) == 3
        for row, profile in zip(rows, profiles, strict=True):
            for column, value in expected_profile(profile).items():
                assert row[column] == value, (column, row[column], value)
            assert row["Profile"] == f'=HYPERLINK("{BASE}/directory/{profile.id}","{profile.code or f"#{profile.id}"}")'
            assert close_in_time(row["Created"], profile.created_at)
            assert close_in_time(row["Updated"], profile.updated_at)


def test_formulas_are_neutralised_and_accents_kept(app, client, login, admin, people):
    login(admin)
    start(client, kind="users", format="xlsx")
    _export, file = download(client, app)
    _header, rows = sheet_rows(file.data)
    emile = next(row for row in rows if row["First name"] == "Émile")
    assert emile["Last name"] == "'=SUM(A1)+1"
    assert emile["Headline"] == "'@admin -cmd|' /C calc'!A0"
    assert emile["Phone"] == "'+212 600 000 001"
    assert any(row["Last name"] == "Ndiaye-Sène" for row in rows)
    sheet = openpyxl.load_workbook(io.BytesIO(file.data)).active
    formulas = [cell.value for row in sheet.iter_rows() for cell in row
                if isinstance(cell.value, str) and cell.value.startswith("=")]
    assert formulas and all(value.startswith("=HYPERLINK(") for value in formulas)  # only our own links


def test_real_numbers_dates_frozen_header_and_filter(app, client, login, admin, people):
    login(admin)
    start(client, kind="users", format="xlsx")
    _export, file = download(client, app)
    book = openpyxl.load_workbook(io.BytesIO(file.data))
    sheet = book.active
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref.startswith("A1:")
    header = [cell.value for cell in sheet[1]]
    emile = next(row for row in sheet.iter_rows(min_row=2) if row[header.index("First name")].value == "Émile")
    assert emile[header.index("Rate from")].data_type == "n" and emile[header.index("Rate from")].value == 300
    assert emile[header.index("Birth date")].is_date
    assert emile[header.index("Created")].is_date


def test_no_special_category_data_and_no_guardian_in_any_export(app, client, login, admin, people):
    login(admin)
    for kind, fmt in (("users", "xlsx"), ("cinema", "xlsx"), ("users", "csv"), ("cinema", "csv")):
        start(client, kind=kind, format=fmt)
        _export, file = download(client, app)
        text = all_text(file.data) if fmt == "xlsx" else file.get_data(as_text=True)
        for secret in ("Amazigh", "berbere", "Berber", "Karima", "Gardienne", "guardian@example.com", "611 111 111",
                       "Ethnicity", "Très bien"):  # the last one: a recruiter's note on a shortlist, not a profile's
            assert secret not in text, (kind, fmt, secret)


def test_the_csv_export_with_bom_and_semicolons(app, client, login, admin, people):
    login(admin)
    start(client, kind="users", format="csv", bom="1", semicolon="1")
    export, file = download(client, app)
    assert export.download_name.endswith(".csv") and file.mimetype == "text/csv"
    assert file.data.startswith(b"\xef\xbb\xbf")
    text = file.data.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert len(rows) == 3
    emile = next(row for row in rows if row["First name"] == "Émile")
    assert emile["Last name"] == "'=SUM(A1)+1" and emile["Birth date"] == "1990-05-17"
    assert emile["Profile"] == f"{BASE}/directory/{people['emile']}"
    assert emile["Skills"] == "Python (4/5), Extra (2/5)" and emile["Languages"] == "French (Native), Arabic (Fluent)"
    assert "\r\n" in text


def test_a_plain_csv_has_commas_and_no_bom(app, client, login, admin, people):
    login(admin)
    start(client, kind="users", format="csv")
    _export, file = download(client, app)
    assert not file.data.startswith(b"\xef\xbb\xbf")
    assert file.data.decode().splitlines()[0].startswith("Code,Profile,First name")


def test_a_french_admin_gets_french_headers_and_labels(app, client, login, make_user, people):
    french = make_user(role="admin", locale="fr")
    login(french)
    start(client, kind="users", format="xlsx")
    _export, file = download(client, app)
    header, rows = sheet_rows(file.data)
    assert {"Prénom", "Nom", "Pays", "Compétences"} <= set(header)
    emile = next(row for row in rows if row["Prénom"] == "Émile")
    assert emile["Pays"] == "Maroc" and emile["Genre"] == "Homme"


# The cinema export -----------------------------------------------------------------------------

def test_the_cinema_excel_holds_the_cinema_details(app, client, login, admin, people):
    login(admin)
    start(client, kind="cinema", format="xlsx")
    _export, file = download(client, app)
    header, rows = sheet_rows(file.data)
    assert len(rows) == 2
    awa = next(row for row in rows if row["First name"] == "Awa")
    with app.app_context():
        profile = db.session.get(Profile, people["awa"])
        assert awa["Cinema code"] == profile.cinema.cinema_code and awa["Code"] == profile.code
        assert awa["Height (cm)"] == 172 and awa["Eye colour"] == "Brown" and awa["Skin tone"] == "Olive"
        assert awa["Talent types"] == ", ".join(sorted(s.name_en for s in profile.cinema.talent_types))
        assert (awa["City"], awa["Country"], awa["Gender"]) == ("Dakar", "Senegal", "Female")
    minor = next(row for row in rows if row["First name"] == "Yanis")
    assert minor["Age"] == 12 and "Ethnicity" not in header


# The shortlist: a recruiter's list export ---------------------------------------------------------

def test_a_recruiter_exports_the_shortlist_of_their_project(app, client, login, people):
    with app.app_context():
        recruiter = db.session.get(f.User, people["recruiter"])
        db.session.expunge(recruiter)
    login(recruiter)
    response = start(client, kind="shortlist", project=str(people["project"]), format="xlsx")
    assert response.status_code == 302
    export, file = download(client, app)
    assert export.filters["project"] == people["project"]
    header, rows = sheet_rows(file.data)
    assert [row["First name"] for row in rows] == ["Awa", "Yanis"]
    awa = rows[0]
    assert re.fullmatch(r"PRJ-\d{3}-\d{3}", awa["Assignment code"])
    assert awa["Stage"] == "Auditioned" and awa["Role"] == "Lead" and awa["Notes"] == "Très bien"
    assert awa["Talent types"] and awa["Height (cm)"] == 172
    assert "Karima" not in all_text(file.data) and "Ethnicity" not in header


def test_another_productions_shortlist_is_refused(app, client, login, people):
    with app.app_context():
        other = db.session.get(f.User, people["other"])
        db.session.expunge(other)
    login(other)
    response = start(client, kind="shortlist", project=str(people["project"]), format="xlsx")
    assert response.status_code == 403
    with app.app_context():
        assert db.session.scalar(select(db.func.count(Export.id))) == 0


# Permissions -------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["users", "cinema"])
def test_a_recruiter_trying_a_full_export_gets_403(app, client, login, make_user, people, kind):
    login(make_user(role="recruiter"))
    response = start(client, kind=kind, format="xlsx")
    assert response.status_code == 403
    assert "You do not have permission" in page_text(response)
    with app.app_context():
        assert db.session.scalar(select(db.func.count(Export.id))) == 0


def test_a_recruiter_sees_no_full_export_buttons(client, login, make_user):
    login(make_user(role="recruiter"))
    html = client.get("/exports").get_data(as_text=True)
    assert 'data-testid="export-users"' not in html


@pytest.mark.parametrize("role", ["talent", "consultant"])
def test_talents_and_consultants_cannot_open_exports(client, login, make_user, role):
    login(make_user(role=role))
    assert client.get("/exports").status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/exports")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_only_the_owner_or_an_admin_downloads(app, client, login, make_user, admin, people):
    with app.app_context():
        recruiter = db.session.get(f.User, people["recruiter"])
        db.session.expunge(recruiter)
    login(recruiter)
    start(client, kind="shortlist", project=str(people["project"]), format="csv")
    export = latest_export(app)
    assert client.get(f"/exports/{export.id}/download").status_code == 200
    stranger = app.test_client()
    login(make_user(role="recruiter"), into=stranger)
    assert stranger.get(f"/exports/{export.id}/download").status_code == 403
    assert stranger.get(f"/exports/{export.id}").status_code == 403
    boss = app.test_client()
    login(admin, into=boss)
    assert boss.get(f"/exports/{export.id}/download").status_code == 200
    assert app.test_client().get(f"/exports/{export.id}/download").status_code == 302  # sign in first


# Progress, expiry, failure ------------------------------------------------------------------------

def test_the_progress_fragment_polls_until_ready_then_offers_the_download(app, client, login, admin, people):
    login(admin)
    with app.app_context():
        running = Export(user_id=admin.id, kind="users", format="xlsx", filters={}, options={}, status="running",
                         rows_total=200, rows_done=50, download_name="x.xlsx")
        db.session.add(running)
        db.session.commit()
        running_id = running.id
    fragment = client.get(f"/exports/{running_id}", headers={"HX-Request": "true"})
    html = fragment.get_data(as_text=True)
    assert html.lstrip().startswith("<li") and 'hx-trigger="every 1s"' in html
    assert '<progress' in html and 'value="25"' in html and "50 of 200 rows" in page_text(fragment)
    start(client, kind="users", format="xlsx")
    ready = latest_export(app)
    assert (ready.status, ready.rows_done, ready.rows_total) == ("ready", 3, 3)
    html = client.get(f"/exports/{ready.id}", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "hx-trigger" not in html and f"/exports/{ready.id}/download" in html
    page = client.get("/exports")
    assert f'id="export-{ready.id}"' in page.get_data(as_text=True) and "Download" in page_text(page)


def test_an_expired_export_is_removed_and_cannot_be_downloaded(app, client, login, admin, people):
    login(admin)
    start(client, kind="users", format="xlsx")
    export = latest_export(app)
    path = Path(app.config["EXPORT_DIR"]) / export.stored_name
    assert path.exists()
    with app.app_context():
        stored = db.session.get(Export, export.id)
        stored.expires_at = datetime.now(UTC) - timedelta(minutes=1)
        db.session.commit()
    response = client.get(f"/exports/{export.id}/download")
    assert response.status_code == 409 and "expired" in page_text(response)
    assert not path.exists()
    assert latest_export(app).status == "expired"


def test_a_failing_export_is_marked_failed_and_leaves_no_file(app, client, login, admin, people, monkeypatch):
    from webapp.insights import export_rows

    def broken(conn, selection, context):
        yield from ()
        raise RuntimeError("database went away")

    monkeypatch.setitem(export_rows.SOURCES, "users", export_rows.Source("x", export_rows.profile_columns, broken,
                                                                         export_rows.count_profiles))
    login(admin)
    start(client, kind="users", format="xlsx")
    export = latest_export(app)
    assert export.status == "failed" and export.stored_name is None
    assert not list(Path(app.config["EXPORT_DIR"]).glob("*.part"))
    assert "Failed" in page_text(client.get("/exports"))


def test_too_many_exports_at_once_are_refused(app, client, login, admin, people):
    login(admin)
    with app.app_context():
        for _ in range(exports.MAX_ACTIVE_PER_USER):
            db.session.add(Export(user_id=admin.id, kind="users", format="xlsx", filters={}, options={},
                                  status="queued", download_name="x.xlsx"))
        db.session.commit()
    response = start(client, kind="users", format="xlsx")
    assert response.status_code == 429 and "in progress" in page_text(response)


def test_unknown_kinds_and_formats_are_clear_errors(client, login, admin):
    login(admin)
    response = start(client, kind="everything", format="pdf")
    assert response.status_code == 422
    assert "Choose Excel or CSV." in page_text(response)


# The audit log ----------------------------------------------------------------------------------

def test_every_export_is_audited_with_who_what_filters_and_rows(app, client, login, admin, people):
    login(admin)
    start(client, kind="users", format="csv", semicolon="1")
    with app.app_context():
        recruiter = db.session.get(f.User, people["recruiter"])
        db.session.expunge(recruiter)
    other = app.test_client()
    login(recruiter, into=other)
    start(other, kind="shortlist", project=str(people["project"]), format="xlsx")
    with app.app_context():
        events = list(db.session.scalars(select(AuditEvent).where(AuditEvent.action.like("export.%"))
                                         .order_by(AuditEvent.id)))
        assert [(e.action, e.actor_id, e.details["rows"], e.details["format"]) for e in events] == [
            ("export.users", admin.id, 3, "csv"), ("export.shortlist", people["recruiter"], 2, "xlsx")]
        assert events[0].details["options"] == {"bom": False, "semicolon": True}
        assert events[1].details["filters"]["project"] == people["project"]
        assert events[1].target_type == "export"
    boss = app.test_client()
    login(admin, into=boss)
    log = page_text(boss.get("/admin/audit?action=export"))
    assert "export.shortlist" in log and "export.users" in log


# Export what I see: the casting search's own filters ------------------------------------------------

def test_a_recruiter_exports_the_casting_search_results(app, client, login, people):
    with app.app_context():
        recruiter = db.session.get(f.User, people["recruiter"])
        db.session.expunge(recruiter)
    login(recruiter)
    search = client.get("/cinema/search?gender=F")
    assert 'href="/exports/new?kind=casting&amp;gender=F"' in search.get_data(as_text=True)
    confirm = client.get("/exports/new?kind=casting&gender=F")
    assert confirm.status_code == 200 and "1 row will be exported" in page_text(confirm)
    response = client.post("/exports", data={"kind": "casting", "format": "xlsx", "f.gender": "F",
                                             "csrf_token": csrf_token(client, "/exports")})
    assert response.status_code == 302
    export, file = download(client, app)
    assert export.kind == "casting" and export.filters == {"gender": ["F"]}
    _header, rows = sheet_rows(file.data)
    assert [row["First name"] for row in rows] == ["Awa"]
    everyone = client.post("/exports", data={"kind": "casting", "format": "csv",
                                             "csrf_token": csrf_token(client, "/exports")})
    assert everyone.status_code == 302
    _export, file = download(client, app)
    assert sorted(row["First name"] for row in csv.DictReader(io.StringIO(file.get_data(as_text=True)))) == [
        "Awa", "Yanis"]


def test_bad_casting_filters_are_explained(client, login, people, app):
    with app.app_context():
        recruiter = db.session.get(f.User, people["recruiter"])
        db.session.expunge(recruiter)
    login(recruiter)
    response = client.get("/exports/new?kind=casting&height_min=tall")
    assert response.status_code == 422


def test_a_recruiter_exports_the_directory_search_results(app, client, login, people):
    with app.app_context():
        recruiter = db.session.get(f.User, people["recruiter"])
        db.session.expunge(recruiter)
    login(recruiter)
    response = client.post("/exports", data={"kind": "directory", "format": "csv", "f.gender": "F",
                                             "csrf_token": csrf_token(client, "/exports")})
    assert response.status_code == 302
    _export, file = download(client, app)
    assert [row["First name"] for row in csv.DictReader(io.StringIO(file.get_data(as_text=True)))] == ["Awa"]


def test_the_directory_results_offer_to_export_what_is_shown(app, client, login, people):
    with app.app_context():
        recruiter = db.session.get(f.User, people["recruiter"])
        db.session.expunge(recruiter)
    login(recruiter)
    html = client.get("/directory?gender=F").get_data(as_text=True)
    assert 'data-testid="export-results"' in html
    assert "/exports/new?" in html and "kind=directory" in html and "f.gender=F" in html
    crm = client.get("/directory?kind=candidates").get_data(as_text=True)
    assert "f.kind=candidates" in crm
    import re

    link = re.search(r'href="(/exports/new\?[^"]+)"', html).group(1).replace("&amp;", "&")
    assert client.get(link).status_code == 200


def test_an_export_interrupted_long_ago_is_marked_failed(app, client, login, admin):
    with app.app_context():
        stale = Export(user_id=admin.id, kind="users", format="xlsx", filters={}, options={}, status="running",
                       rows_total=10, rows_done=3, download_name="x.xlsx",
                       created_at=datetime.now(UTC) - timedelta(hours=7))
        db.session.add(stale)
        db.session.commit()
    login(admin)
    html = client.get("/exports").get_data(as_text=True)
    assert 'data-status="failed"' in html and "hx-trigger" not in html


def test_a_background_job_writes_in_the_language_of_whoever_asked(app, people, admin):
    """The job runs outside any request (a worker thread): every label follows the export's locale."""
    with app.app_context():
        export = Export(user_id=admin.id, kind="users", format="xlsx", filters={}, options={"locale": "fr"},
                        status="queued", download_name="x.xlsx")
        db.session.add(export)
        db.session.commit()
        exports.run(export.id)
        db.session.refresh(export)
        path = Path(app.config["EXPORT_DIR"]) / export.stored_name
    _header, rows = sheet_rows(path.read_bytes())
    emile = next(row for row in rows if row["Prénom"] == "Émile")
    assert (emile["Compte"], emile["Genre"], emile["Source"]) == ("Candidat (CRM)", "Homme", "Ajouté par un recruteur")
