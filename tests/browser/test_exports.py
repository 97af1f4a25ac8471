"""An admin in a real browser: the statistics cards arrive by htmx with their charts, an
export starts and shows its download link, the file comes down through the browser's own
download and opens in openpyxl with every profile in it; the email template preview."""

from __future__ import annotations

import openpyxl
import pytest

from tests import factories as f
from tests.browser.conftest import expect

pytestmark = pytest.mark.browser


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


def test_an_admin_reads_the_dashboard_and_downloads_an_export(page, live_server, sign_in, directory, tmp_path):
    sign_in(page, directory)
    page.get_by_role("link", name="Statistics").first.click()
    page.wait_for_url(live_server("/stats"))
    expect(page.get_by_test_id("stat-card-directory")).to_contain_text("3")
    page.get_by_role("link", name="Users").first.click()
    gender = page.get_by_test_id("stat-card-gender")
    expect(gender).to_contain_text("Female")
    assert gender.locator("svg circle.donut-slice").count() == 2
    countries = page.get_by_test_id("stat-card-countries")
    countries.scroll_into_view_if_needed()  # the lower cards load when they are revealed
    expect(countries).to_contain_text("Morocco")

    page.goto(live_server("/exports"))
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


def test_an_admin_previews_an_email_template_in_its_frame(page, live_server, sign_in, directory):
    sign_in(page, directory)
    page.goto(live_server("/admin/email-templates/password_reset/en"))
    frame = page.frame_locator("iframe[name=mail-preview]")
    expect(frame.get_by_test_id("preview-subject")).to_have_text("Choose a new password")
    page.fill("input[name=subject]", "Hello {{ name|upper }} from {{ site_name }}")
    page.get_by_test_id("preview-button").click()
    expect(frame.get_by_test_id("preview-subject")).to_have_text("Hello FATOU from Talentbase")
    page.fill("input[name=subject]", "Hello {{ nobody }}")
    page.get_by_test_id("preview-button").click()
    expect(frame.locator("[role=alert]")).to_contain_text("Unknown variable")
    assert page.url.endswith("/admin/email-templates/password_reset/en")  # the editor stayed, nothing saved
