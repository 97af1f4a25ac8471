"""An admin in a real browser: the statistics cards arrive by htmx with their charts, an
export starts and shows its download link, the file comes down through the browser's own
download and opens in openpyxl with every profile in it.

The live server and browser fixtures are local to this file until the shared ones
(tests/browser/conftest.py) land; skipped when Chromium is not installed.
"""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import openpyxl
import pytest

from tests import factories as f

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture
def live_server(app):
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def page():
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM,
                                             args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
        tab = context.new_page()
        tab.problems = []
        tab.on("pageerror", lambda error: tab.problems.append(str(error)))
        tab.on("console", lambda message: tab.problems.append(message.text)
               if message.type == "error" else None)
        yield tab
        browser.close()


@pytest.fixture
def directory(app):
    with app.app_context():
        f.load_reference()
        recruiter = f.make_user(role="recruiter")
        for first, last, gender in (("Élodie", "=Dupont", "F"), ("Karim", "Alaoui", "M"), ("Awa", "Sène", "F")):
            f.make_candidate(recruiter, first, last, gender=gender, nationality_id=f.country("MA").id,
                             skills=[{"skill_id": f.skill("python").id, "level": 3}])
        f.make_user(role="admin", email="boss@example.com", full_name="Nadia Benali")
        return "boss@example.com"


def sign_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/auth/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", f.DEFAULT_PASSWORD)
    page.locator("form#login-form button[type=submit]").click()
    page.wait_for_url(f"{base}/dashboard")


def test_an_admin_reads_the_dashboard_and_downloads_an_export(page, live_server, directory, tmp_path):
    from playwright.sync_api import expect

    sign_in(page, live_server, directory)
    page.get_by_role("link", name="Statistics").first.click()
    page.wait_for_url(f"{live_server}/stats")
    expect(page.get_by_test_id("stat-card-directory")).to_contain_text("3")
    page.get_by_role("link", name="Users").first.click()
    gender = page.get_by_test_id("stat-card-gender")
    expect(gender).to_contain_text("Female")
    assert gender.locator("svg circle.donut-slice").count() == 2
    countries = page.get_by_test_id("stat-card-countries")
    countries.scroll_into_view_if_needed()  # the lower cards load when they are revealed
    expect(countries).to_contain_text("Morocco")

    page.goto(f"{live_server}/exports")
    page.get_by_test_id("export-users").click()
    link = page.locator("[data-testid^=download-]").first
    expect(link).to_be_visible()
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    sheet = openpyxl.load_workbook(saved).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Code", "Profile", "First name", "Last name")
    names = {(row[2], row[3]) for row in rows[1:]}
    assert {("Élodie", "'=Dupont"), ("Karim", "Alaoui"), ("Awa", "Sène")} <= names
    assert not [problem for problem in page.problems if "Content Security Policy" in problem or "Error" in problem]


def test_an_admin_previews_an_email_template_in_its_frame(page, live_server, directory):
    from playwright.sync_api import expect

    sign_in(page, live_server, directory)
    page.goto(f"{live_server}/admin/email-templates/password_reset/en")
    frame = page.frame_locator("iframe[name=mail-preview]")
    expect(frame.get_by_test_id("preview-subject")).to_have_text("Choose a new password")
    page.fill("input[name=subject]", "Hello {{ name|upper }} from {{ site_name }}")
    page.get_by_test_id("preview-button").click()
    expect(frame.get_by_test_id("preview-subject")).to_have_text("Hello FATOU from Talentbase")
    page.fill("input[name=subject]", "Hello {{ nobody }}")
    page.get_by_test_id("preview-button").click()
    expect(frame.locator("[role=alert]")).to_contain_text("Unknown variable")
    assert page.url.endswith("/admin/email-templates/password_reset/en")  # the editor stayed, nothing saved
