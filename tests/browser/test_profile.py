"""A talent completes their profile in a real browser: section by section through htmx,
cities loaded for the chosen country, a field checked as it is left, a photo and a CV
uploaded with a progress bar, a disguised file refused, and the score rising all along.

The live server and the browser are the shared ones of tests/browser/conftest.py (skipped,
and said so, when Chromium is not installed).
"""

from __future__ import annotations

import pytest

from tests import factories as f
from tests.browser.conftest import new_context
from webapp.extensions import db


@pytest.fixture
def base(live_server) -> str:
    return live_server.url


@pytest.fixture
def page(browser, console):
    """A phone-sized page on the session's browser (tests/browser/conftest.py)."""
    context = new_context(browser, console, 390, 844)
    tab = context.new_page()
    tab.errors = []
    tab.on("pageerror", lambda error: tab.errors.append(str(error)))
    yield tab
    context.close()


@pytest.fixture
def files_on_disk(tmp_path):
    from PIL import Image

    photo = tmp_path / "me.jpg"
    Image.new("RGB", (1600, 1200), (200, 120, 60)).save(photo, "JPEG", quality=95)
    cv = tmp_path / "cv.pdf"
    cv.write_bytes(f.pdf_bytes("x" * (3 * 1024 * 1024)))  # large enough for progress events
    disguised = tmp_path / "cv-disguised.pdf"
    disguised.write_bytes(f.image_bytes())
    return {"photo": str(photo), "cv": str(cv), "disguised": str(disguised)}


def score(page) -> int:
    return int(page.get_by_test_id("score-value").inner_text().rstrip("%").strip())


def save(page, section: str):
    from playwright.sync_api import expect

    page.locator(f"#section-{section} button[type=submit]").last.click()
    expect(page.locator(f"#section-{section} [data-testid=section-saved]")).to_be_visible()


WATCH_PROGRESS = """() => {
  window.__progress = {shown: false, max: 0};
  new MutationObserver(() => {
    document.querySelectorAll('.upload-progress').forEach((box) => {
      if (!box.hidden) window.__progress.shown = true;
      const bar = box.querySelector('progress');
      if (bar) window.__progress.max = Math.max(window.__progress.max, bar.value);
    });
  }).observe(document.body, {subtree: true, attributes: true, childList: true, attributeFilter: ['hidden', 'value']});
}"""


def test_a_talent_completes_the_profile_and_the_score_rises(app, base, page, files_on_disk):
    from playwright.sync_api import expect

    with app.app_context():
        f.load_reference()
        user = f.make_user(email="fatou@example.com", full_name="Fatou Diop")
        senegal, dakar = f.country("SN").id, f.city("SN", "DKR").id
        skills = [f.skill(slug).id for slug in ("python", "javascript", "devops")]
        db.session.remove()
    del user

    page.goto(base + "/auth/login")
    page.fill("input[name=email]", "fatou@example.com")
    page.fill("input[name=password]", f.DEFAULT_PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url("**/dashboard")
    page.get_by_role("button", name="Open the menu").click()
    page.get_by_role("link", name="My profile").click()
    page.wait_for_url("**/profile")
    scores = [score(page)]
    assert scores == [0]
    expect(page.get_by_test_id("profile-code")).to_contain_text("Give your nationality, your gender and your city")

    # Identity: the country loads its cities; a date in the future is flagged when the field is left.
    page.select_option("#gender", "F")
    page.select_option("#nationality_id", str(senegal))
    page.select_option("#residence_country_id", str(senegal))
    expect(page.locator("#residence_city_id optgroup")).to_have_count(0)  # only Senegal's cities now
    page.select_option("#residence_city_id", str(dakar))
    page.fill("#birth_date", "2090-01-01")
    page.locator("#birth_date").blur()
    expect(page.locator("#check-birth_date .invalid-feedback")).to_have_text("The date of birth cannot be in the future.")
    page.fill("#birth_date", "1995-04-12")
    save(page, "identity")
    expect(page.get_by_test_id("profile-code")).to_contain_text("SNF0001DKR")
    scores.append(score(page))

    # Professional, with an error first: what was typed stays.
    page.fill("#headline", "Actrice et chanteuse")
    page.fill("#years_experience", "200")
    page.locator("#section-professional button[type=submit]").click()
    expect(page.locator("#check-years_experience .invalid-feedback")).to_be_visible()
    expect(page.locator("#headline")).to_have_value("Actrice et chanteuse")
    page.fill("#years_experience", "9")
    page.fill("#bio", "Comédienne depuis neuf ans, je joue au théâtre et au cinéma, je chante en wolof et en français.")
    save(page, "professional")
    scores.append(score(page))

    # Three skills, each with its level.
    for skill_id in skills:
        page.select_option("#new_skill", str(skill_id))
        page.select_option("#new_level", "4")
        page.locator("#section-skills button[name=add]").click()
        expect(page.locator(f"#section-skills input[name=skill][value='{skill_id}']")).to_have_count(1)
    scores.append(score(page))

    # A disguised CV is refused; the real one and a photo go up with a progress bar.
    page.set_input_files("#cv-file", files_on_disk["disguised"])
    page.locator("#section-cv button[type=submit]").first.click()
    expect(page.locator("#section-cv .invalid-feedback")).to_contain_text("Its content decides, not its name.")
    page.evaluate(WATCH_PROGRESS)
    page.set_input_files("#photo-file", files_on_disk["photo"])
    page.locator("#section-photo button[type=submit]").first.click()
    expect(page.get_by_test_id("profile-thumb")).to_be_visible()
    scores.append(score(page))
    page.set_input_files("#cv-file", files_on_disk["cv"])
    page.locator("#section-cv button[type=submit]").first.click()
    expect(page.get_by_test_id("profile-cv")).to_contain_text("cv.pdf")
    progress = page.evaluate("window.__progress")
    assert progress["shown"] and progress["max"] == 100
    scores.append(score(page))

    assert scores == sorted(set(scores)), scores  # it rose at every step
    assert scores[-1] >= 70
    # What the page shows survives a reload (it was saved, not just swapped in).
    page.reload()
    expect(page.get_by_test_id("profile-cv")).to_be_visible()
    assert score(page) == scores[-1]
    assert page.errors == []


def test_without_javascript_the_sections_still_save(app, base, browser, console, files_on_disk):
    """The same journey's first step with JavaScript off: plain posts and redirects."""
    from playwright import sync_api

    with app.app_context():
        f.load_reference()
        f.make_user(email="omar@example.com", full_name="Omar Kabbaj")
        db.session.remove()
    context = new_context(browser, console, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(base + "/auth/login")
        page.fill("input[name=email]", "omar@example.com")
        page.fill("input[name=password]", f.DEFAULT_PASSWORD)
        page.click("form button[type=submit]")
        page.goto(base + "/profile")
        page.fill("#headline", "Data engineer")
        page.locator("#section-professional button[type=submit]").click()
        page.wait_for_url("**/profile#professional")
        sync_api.expect(page.locator("#headline")).to_have_value("Data engineer")
        page.set_input_files("#cv-file", files_on_disk["cv"])
        page.locator("#section-cv button[type=submit]").first.click()
        page.wait_for_url("**/profile#cv")
        sync_api.expect(page.get_by_test_id("profile-cv")).to_be_visible()
    finally:
        context.close()

