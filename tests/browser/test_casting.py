"""A casting agent in a real browser: filters talents by their attributes (the counts beside
each choice follow), switches to the table, shortlists a talent for a role from the results,
then moves them through the stages on the project page, with a note, all through htmx.

The live server and browser come from tests/browser/conftest.py (which also fails the test on
any console error or CSP violation).
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests import factories as f
from webapp.casting import facets, search_index
from webapp.casting import services as casting
from webapp.extensions import db

pytestmark = pytest.mark.browser

@pytest.fixture
def casting_world(app):
    facets.forget()
    with app.app_context():
        search_index.ensure_counter(db.session.connection())
        f.load_reference()
        agent = f.make_user(role="recruiter", email="agent@example.com", full_name="Youssef El Amrani")
        _production, project, role = f.production_with_role(agent, gender="F", age_min=20, age_max=40)
        casting.update_project(agent, project, {"status": "casting"})
        for first, last, gender, age, eyes in (("Fatima", "Benani", "F", 28, "marron"), ("Salma", "Tazi", "F", 24, "vert"),
                                                ("Omar", "Alaoui", "M", 35, "marron"),
                                                ("Aminata", "Diallo", "F", 31, "marron")):
            f.cinema_candidate(agent, first, last, gender=gender, age=age, eye_color=eyes, height_cm=170,
                               talent_types=["lead-actor"])
        return SimpleNamespace(email=agent.email, project_id=project.id, role_id=role.id)


def count_text(page) -> str:
    return page.get_by_test_id("result-count").inner_text()


def test_a_casting_agent_filters_shortlists_and_moves_a_talent_through_the_stages(live_server, page, casting_world):
    from playwright.sync_api import expect

    page.goto(live_server("/auth/login"))
    page.fill("input[name=email]", casting_world.email)
    page.fill("input[name=password]", f.DEFAULT_PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/dashboard")

    page.goto(live_server("/cinema/search"))
    expect(page.get_by_test_id("result-count")).to_have_text("4 talents")
    expect(page.locator("#fc-gender-F")).to_have_text("3")

    # Women only: the results and the other groups' counts follow, the genders keep theirs.
    page.check("#f-gender-F")
    expect(page.get_by_test_id("result-count")).to_have_text("3 talents")
    expect(page.locator("#fc-gender-M")).to_have_text("1")
    brown = page.locator("input[name=eye_color]").first
    brown_id = brown.get_attribute("value")
    expect(page.locator(f"#fc-eye_color-{brown_id}")).to_have_text("2")
    brown.check()
    expect(page.get_by_test_id("result-count")).to_have_text("2 talents")
    assert "gender=F" in page.url and f"eye_color={brown_id}" in page.url  # the address keeps the search
    expect(page.get_by_test_id("talent-card")).to_have_count(2)

    # The same results as a table.
    page.get_by_test_id("view-table").click()
    expect(page.get_by_test_id("talent-row")).to_have_count(2)
    assert "view=table" in page.url

    # Shortlist Fatima for the role, right from her row.
    row = page.get_by_test_id("talent-row").filter(has_text="Fatima Benani")
    row.get_by_test_id("shortlist-role").select_option(str(casting_world.role_id))
    row.get_by_test_id("shortlist-button").click()
    expect(row).to_contain_text("Le Désert Blanc · Protagoniste")

    # On the project page, move her through the stages with a note.
    page.goto(live_server(f"/cinema/projects/{casting_world.project_id}"))
    assignment = page.locator(".assignment").filter(has_text="Fatima Benani")
    expect(assignment.get_by_test_id("assignment-code")).to_have_text("PRJ-001-001")
    assignment.get_by_test_id("stage-select").select_option("contacted")
    assignment.locator("input[name=note]").fill("Called on Monday")
    assignment.get_by_test_id("stage-button").click()
    expect(assignment.get_by_test_id("assignment-stage")).to_have_text("Contacted")
    assignment.get_by_test_id("stage-select").select_option("auditioned")
    assignment.get_by_test_id("stage-button").click()
    expect(assignment.get_by_test_id("assignment-stage")).to_have_text("Auditioned")
    assignment.locator("summary").click()
    history = assignment.get_by_test_id("assignment-history")
    expect(history).to_contain_text("Shortlisted")
    expect(history).to_contain_text("Called on Monday")
    expect(history.locator("li")).to_have_count(3)
