"""The dashboard and the navigation show each person what their role gives them."""

from __future__ import annotations

import re

from tests import factories as f
from webapp.core.navigation import nav_for
from webapp.extensions import db


def cards(html: str) -> list[str]:
    return re.findall(r'data-card="([a-z_]+)"', html)


def test_a_talent_sees_their_profile_progress_castings_and_messages(app, client, make_user, login):
    user = make_user(role="talent")
    login(user)
    html = client.get("/dashboard").get_data(as_text=True)
    assert cards(html) == ["profile_progress", "my_castings", "messages", "account", "integrations"]
    assert "What to add next:" in html and "Add a photo" in html
    assert "Directory" not in html.split("<main", 1)[-1]


def test_a_recruiter_sees_the_directory_projects_and_figures(app, client, make_user, login):
    with app.app_context():
        f.load_reference()
    recruiter = make_user(role="recruiter")
    with app.app_context():
        f.make_candidate(db.session.get(f.User, recruiter.id))
    login(recruiter)
    html = client.get("/dashboard").get_data(as_text=True)
    assert cards(html) == ["directory", "projects", "messages", "platform", "account", "integrations"]
    assert "1 CRM candidate" in html
    assert "No open project." in html


def test_an_admin_sees_the_administration_first(client, make_user, login):
    login(make_user(role="admin"))
    html = client.get("/dashboard").get_data(as_text=True)
    assert cards(html)[0] == "admin"


def test_the_navigation_groups_a_recruiters_pages_into_menus(app, make_user):
    recruiter = make_user(role="recruiter")
    with app.test_request_context():
        entries = nav_for(db.session.get(f.User, recruiter.id))
        menus = {entry.group.name: [item.endpoint for item in entry.items] for entry in entries if entry.group}
        singles = [entry.items[0].endpoint for entry in entries if not entry.group]
    assert menus["directory"] == ["directory.index", "ai.search_page", "directory.new_candidate", "directory.duplicates"]
    assert menus["cinema"] == ["casting.search", "casting.projects", "casting.productions", "ai.casting_page"]
    assert menus["insights"] == ["insights.stats_overview", "insights.exports"]
    assert singles == ["main.dashboard", "messaging.inbox"]


def test_a_consultant_has_no_directory_or_cinema_menu(app, make_user):
    consultant = make_user(role="consultant")
    with app.test_request_context():
        names = [entry.group.name if entry.group else entry.items[0].endpoint
                 for entry in nav_for(db.session.get(f.User, consultant.id))]
    assert "directory" not in names and "cinema" not in names
