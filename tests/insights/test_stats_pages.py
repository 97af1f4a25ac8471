"""The statistics dashboards as a recruiter or an admin sees them: a date range form, cards
that arrive one by one (each an HTMX fragment), charts drawn in SVG; nobody else gets in."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from tests import factories as f
from tests.conftest import page_text
from webapp.casting import services as casting
from webapp.core.db import utcnow
from webapp.extensions import db
from webapp.insights import cards

HX = {"HX-Request": "true"}


@pytest.fixture
def figures(app):
    with app.app_context():
        f.load_reference()
        recruiter = f.make_user(role="recruiter")
        ma, sn = f.country("MA"), f.country("SN")
        for name, gender, country, height, types in (("Fatima", "F", ma, 168, ["lead-actor"]),
                                                     ("Omar", "M", ma, 182, ["extra"]),
                                                     ("Awa", "F", sn, 176, ["extra", "model"])):
            profile = f.make_candidate(recruiter, name, "Test", gender=gender, nationality_id=country.id,
                                       skills=[{"skill_id": f.skill("python").id, "level": 3}])
            casting.update_cinema(recruiter, profile, {"height_cm": height, "talent_types": types})
        old = f.make_candidate(recruiter, "Ancien", "Profil", gender="M", nationality_id=ma.id)
        old.created_at = utcnow() - timedelta(days=100)
        db.session.commit()


@pytest.mark.parametrize("role", ["recruiter", "admin"])
def test_staff_find_statistics_in_the_navigation(client, login, make_user, role):
    login(make_user(role=role))
    html = client.get("/dashboard").get_data(as_text=True)
    assert 'href="/stats"' in html and "Statistics" in html


@pytest.mark.parametrize("role", ["talent", "consultant"])
@pytest.mark.parametrize("path", ["/stats", "/stats/users", "/stats/cinema", "/stats/users/cards/gender"])
def test_others_are_refused(client, login, make_user, role, path):
    login(make_user(role=role))
    assert client.get(path).status_code == 403
    assert 'href="/stats"' not in client.get("/dashboard").get_data(as_text=True)


def test_anonymous_visitors_sign_in_first(client):
    response = client.get("/stats/users")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


@pytest.mark.parametrize("page", ["overview", "users", "cinema"])
def test_each_page_holds_a_placeholder_per_card_loaded_by_htmx(client, login, make_user, page):
    login(make_user(role="recruiter"))
    url = "/stats" if page == "overview" else f"/stats/{page}"
    html = client.get(url + "?from=2026-01-01&to=2026-12-31").get_data(as_text=True)
    placeholders = re.findall(r'<div class="[^"]*" id="stat-([a-z]+)" hx-get="([^"]+)" hx-trigger="(load|revealed)"', html)
    assert [name for name, _url, _trigger in placeholders] == [card.name for card in cards.PAGES[page]]
    assert [trigger for _n, _u, trigger in placeholders][:3] == ["load"] * min(3, len(placeholders))
    assert all("from=2026-01-01" in link and "to=2026-12-31" in link for _n, link, _t in placeholders)
    assert "<svg" not in html  # the figures come with the cards, not with the page


def test_a_card_fragment_holds_its_figures_and_chart(client, login, make_user, figures):
    login(make_user(role="recruiter"))
    response = client.get("/stats/users/cards/gender", headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and html.lstrip().startswith('<div class="col-12')
    assert "<html" not in html and "<svg" in html and "style=" not in html
    text = page_text(response)
    assert "Male 2" in text and "Female 2" in text and "Not specified 0" in text
    assert "Vary" in response.headers and "HX-Request" in response.headers["Vary"]


def test_a_card_is_also_a_page_of_its_own_without_javascript(client, login, make_user, figures):
    login(make_user(role="recruiter"))
    response = client.get("/stats/cinema/cards/types")
    html = response.get_data(as_text=True)
    assert "<html" in html and 'data-testid="stat-card-types"' in html
    text = page_text(response)
    assert "Extra 2" in text and "Lead actor 1" in text and "Model 1" in text


def test_the_overview_cards_count_everything(client, login, make_user, figures):
    login(make_user(role="admin"))
    directory = page_text(client.get("/stats/overview/cards/directory", headers=HX))
    assert directory.startswith("Directory 4 profiles 3 new in the last 7 days")
    cinema = page_text(client.get("/stats/overview/cards/cinema", headers=HX))
    assert "3 cinema talents 3 new" in cinema


def test_a_date_range_narrows_the_figures(client, login, make_user, figures):
    login(make_user(role="recruiter"))
    today = date.today()
    recent = client.get(f"/stats/overview/cards/directory?from={(today - timedelta(days=30)).isoformat()}"
                        f"&to={today.isoformat()}", headers=HX)
    assert "3 profiles" in page_text(recent)
    old = client.get(f"/stats/overview/cards/directory?to={(today - timedelta(days=50)).isoformat()}", headers=HX)
    assert page_text(old).startswith("Directory 1 profiles")


def test_the_range_form_says_what_it_counts_and_offers_quick_choices(client, login, make_user):
    login(make_user(role="recruiter"))
    text = page_text(client.get("/stats?from=2026-03-01&to=2026-03-31"))
    assert "Counting what was created from Mar 1, 2026 to Mar 31, 2026." in text
    html = client.get("/stats").get_data(as_text=True)
    for label in ("7 days", "30 days", "12 months", "All time"):
        assert label in html
    assert "Counting everything, since the start." in page_text(client.get("/stats"))


@pytest.mark.parametrize("args, field, message", [
    ("from=2026-02-30", "from", "Enter a date as YYYY-MM-DD."),
    ("from=yesterday", "from", "Enter a date as YYYY-MM-DD."),
    ("from=2026-05-01&to=2026-04-01", "to", "The end date must not be before the start date."),
])
def test_bad_dates_are_explained_and_no_card_loads(client, login, make_user, args, field, message):
    login(make_user(role="recruiter"))
    response = client.get(f"/stats/users?{args}")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in page_text(response) and f'id="range-{field}-errors"' in html
    assert "hx-get" not in html.split('id="stats-cards"')[1]
    assert client.get(f"/stats/users/cards/gender?{args}", headers=HX).status_code == 422


def test_an_unknown_card_is_a_404(client, login, make_user):
    login(make_user(role="recruiter"))
    assert client.get("/stats/users/cards/nothing").status_code == 404
    assert client.get("/stats/nowhere/cards/gender").status_code == 404


def test_cards_say_so_when_there_is_nothing_to_show(client, login, make_user):
    login(make_user(role="recruiter"))
    assert "Nothing to show for this period." in page_text(client.get("/stats/users/cards/countries", headers=HX))
    assert "Nothing to show for this period." in page_text(client.get("/stats/cinema/cards/experience", headers=HX))


def test_admins_get_an_export_link_from_the_user_statistics(client, login, make_user, admin):
    login(admin)
    assert 'href="/exports?kind=users"' in client.get("/stats/users").get_data(as_text=True)
    other = client.application.test_client()
    login(make_user(role="recruiter"), into=other)
    assert 'href="/exports?kind=users"' not in other.get("/stats/users").get_data(as_text=True)


def test_a_french_recruiter_reads_french_names(client, login, make_user, figures):
    login(make_user(role="recruiter", locale="fr"))
    text = page_text(client.get("/stats/users/cards/countries", headers=HX))
    assert "Maroc" in text and "Sénégal" in text
