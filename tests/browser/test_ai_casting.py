"""A casting agent describes a role, reads why the first talent fits, and shortlists her into
the project's role without leaving the results. In a real browser."""

from __future__ import annotations

import pytest

browser_kit = pytest.importorskip("tests.browser.conftest",
                                  reason="tests/browser/conftest.py (the browser fixtures) is not there")
expect = browser_kit.expect


@pytest.fixture
def world(app):
    from tests.ai.conftest import build_world

    return build_world(app)


def test_describe_a_role_then_shortlist_the_top_talent(app, page, live_server, sign_in, world):
    from webapp.casting.models import Assignment
    from webapp.extensions import db

    sign_in(page, world.recruiter.email)
    page.get_by_role("link", name="AI casting").click()
    page.get_by_label("Role description").fill("Actrice 25-35 ans, parlant arabe et anglais, cheveux bouclés")
    page.get_by_role("button", name="Find talents").click()

    first = page.get_by_test_id("ai-hit").first
    expect(first).to_contain_text("Fatima Benani")
    expect(first.get_by_test_id("reasons")).to_contain_text("Gender: woman")
    expect(first.get_by_test_id("reasons")).to_contain_text("Speaks Arabic and English")
    expect(page.get_by_test_id("understood")).to_contain_text("woman, 25–35 years old")
    expect(page.get_by_label("Role description")).to_have_value(
        "Actrice 25-35 ans, parlant arabe et anglais, cheveux bouclés")  # the form keeps what was typed

    first.get_by_test_id("shortlist-role").select_option(label="Protagoniste")
    first.get_by_test_id("shortlist-button").click()
    expect(first).to_contain_text("Shortlisted for Protagoniste (Le Désert Blanc)")
    expect(page).to_have_url(live_server("/cinema/ai-casting"))  # no page load: the control replaced itself
    with app.app_context():
        assert [(a.profile_id, a.role_id, a.stage) for a in db.session.query(Assignment)] == [
            (world.fits, world.role_id, "shortlisted")]
