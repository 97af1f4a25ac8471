"""The directory page as a recruiter uses it: the form, the results fragment for htmx, the next
page by cursor (with and without JavaScript), the candidates view, errors, who may open it."""

from __future__ import annotations

import re

import pytest

from tests import factories as f
from webapp.directory import services as directory
from webapp.extensions import db

HX = {"HX-Request": "true"}


@pytest.fixture
def staff(app, login, client):
    """Reference data, a recruiter signed in, and a few profiles."""
    with app.app_context():
        f.load_reference()
        recruiter = f.make_user(role="recruiter", email="rec@example.com")
        ma, rabat = f.country("MA").id, f.city("MA", "RAB").id
        for n in range(25):
            f.make_candidate(recruiter, "Mohamed" if n % 5 == 0 else f"Person{n:02d}", f"Family{n:02d}",
                             gender="M" if n % 2 else "F", nationality_id=ma, residence_city_id=rabat,
                             headline="Comédien" if n % 3 == 0 else "Développeur")
        talent = f.make_user(role="talent", full_name="Amina Talent", email="talent@example.com")
        f.talent_profile(talent, headline="Actrice")
        db.session.expunge_all()
    login(recruiter_user(app))
    return client


def recruiter_user(app):
    from sqlalchemy import select

    from webapp.accounts.models import User

    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "rec@example.com"))
        db.session.expunge(user)
        return user


def cards(html: str) -> list[str]:
    return re.findall(r'data-profile-id="(\d+)"', html)


def next_link(html: str) -> str:
    match = re.search(r'data-testid="next-page"[^>]*hx-get="([^"]+)"', html)
    assert match, "no next page"
    return match.group(1).replace("&amp;", "&")


def test_the_page_shows_the_form_the_count_and_twenty_cards(staff):
    page = staff.get("/directory")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert '<form id="directory-search" method="get"' in html
    assert 'name="csrf_token"' not in html.split('id="directory-search"')[1].split("</form>")[0]  # GET, no CSRF
    assert "26 profiles" in html
    assert len(cards(html)) == 20
    assert 'href="/directory"' in html and ">Directory<" in html  # the navigation entry
    assert "Vary" in page.headers and "HX-Request" in page.headers["Vary"]


def test_htmx_gets_only_the_results_fragment(staff):
    page = staff.get("/directory?q=moh&gender=F", headers=HX)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "<html" not in html and "<form" not in html
    assert html.lstrip().startswith('<section id="directory-results"')
    assert "3 profiles" in html  # Mohamed 00, 10, 20 are F (even n)
    assert len(cards(html)) == 3
    assert "HX-Request" in page.headers["Vary"]


def test_scrolling_loads_the_next_cards_through_the_cursor_without_repeats(staff):
    first = staff.get("/directory?sort=name", headers=HX).get_data(as_text=True)
    url = next_link(first)
    assert "after=" in url and "sort=name" in url
    second = staff.get(url, headers=HX).get_data(as_text=True)
    assert "<section" not in second  # just the next cards (and no count)
    assert len(cards(second)) == 6
    assert 'data-testid="next-page"' not in second
    assert set(cards(first)).isdisjoint(cards(second))
    assert "That is everyone matching this search." in second


def test_without_javascript_a_next_page_link_follows_the_cursor(staff):
    first = staff.get("/directory").get_data(as_text=True)
    link = re.search(r'<a class="btn btn-outline-secondary" href="([^"]+)"', first).group(1).replace("&amp;", "&")
    second = staff.get(link)
    html = second.get_data(as_text=True)
    assert second.status_code == 200 and "<html" in html
    assert len(cards(html)) == 6
    assert "Back to the first results" in html


def test_the_crm_view_lists_only_candidates_with_a_button_to_add_one(staff):
    html = staff.get("/directory?kind=candidates").get_data(as_text=True)
    assert "25 profiles" in html
    assert "Add a candidate" in html
    assert re.search(r'class="nav-link active" aria-current="page"\s+href="/directory\?kind=candidates"', html)
    talents = staff.get("/directory?kind=talents", headers=HX).get_data(as_text=True)
    assert "1 profile" in talents and "Amina Talent" in talents


def test_the_form_keeps_what_was_typed(staff):
    html = staff.get("/directory?q=Moh&gender=M&age_min=20&sort=name").get_data(as_text=True)
    assert 'value="Moh"' in html
    assert 'id="gender-M" value="M" checked' in html
    assert 'name="age_min" value="20"' in html
    assert '<option value="name" selected>' in html


@pytest.mark.parametrize("query, message", [
    ("age_min=40&age_max=30", "The maximum must not be below the minimum."),
    ("gender=X", "Choose one of the options."),
    ("age_min=old", "Enter a whole number."),
    ("country=abc", "Choose one of the options."),
    ("skill=99999", "Choose skills from the list."),
    ("after=tampered", "This link to more results is not valid"),
])
def test_bad_input_gets_422_with_the_message_not_a_500(staff, query, message):
    for headers in ({}, HX):
        page = staff.get(f"/directory?{query}", headers=headers)
        assert page.status_code == 422
        assert message in page.get_data(as_text=True)


def test_talents_consultants_and_visitors_may_not_search(app, client, login, make_user):
    talent = make_user(role="talent")
    consultant = make_user(role="consultant")
    anonymous = client.get("/directory")
    assert anonymous.status_code == 302 and "/auth/login" in anonymous.headers["Location"]
    assert "HX-Redirect" in client.get("/directory", headers=HX).headers
    for user in (talent, consultant):
        login(user)
        assert client.get("/directory").status_code == 403
        assert client.get("/directory?q=a", headers=HX).status_code == 403
        assert ">Directory<" not in client.get("/dashboard").get_data(as_text=True)
        client.post("/auth/logout", data={"csrf_token": _token(client)})


def _token(client):
    from tests.conftest import csrf_token

    return csrf_token(client, "/dashboard")


def test_a_change_shows_at_once_even_for_a_search_seen_before(app, staff):
    url = "/directory?q=family03"
    before = staff.get(url, headers=HX).get_data(as_text=True)
    assert "Family03" in before
    with app.app_context():
        from sqlalchemy import select

        from webapp.directory.models import Profile

        profile = db.session.scalar(select(Profile).where(Profile.last_name == "Family03"))
        directory.update_profile(recruiter_user_in_session(), profile, {"last_name": "Renamed"})
    after = staff.get(url, headers=HX).get_data(as_text=True)
    assert "Family03" not in after and "No profile matches this search." in after
    assert "Renamed" in staff.get("/directory?q=renamed", headers=HX).get_data(as_text=True)


def recruiter_user_in_session():
    from sqlalchemy import select

    from webapp.accounts.models import User

    return db.session.scalar(select(User).where(User.email == "rec@example.com"))


def test_cards_link_to_the_profile_page(staff):
    html = staff.get("/directory?q=family07", headers=HX).get_data(as_text=True)
    [profile_id] = cards(html)
    assert f'href="/directory/{profile_id}"' in html
    page = staff.get(f"/directory/{profile_id}")
    assert page.status_code == 200 and "Family07" in page.get_data(as_text=True)
