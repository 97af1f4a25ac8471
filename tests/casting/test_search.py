"""The attribute search as casting agents use it: every filter of seed 003, the count beside
each choice (always in step with the data), the keyset cursor, grid and table, infinite scroll,
saved searches, and the API list."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from werkzeug.datastructures import MultiDict

from tests import factories as f
from tests.conftest import csrf_token
from webapp.accounts.models import User
from webapp.casting import facets, search_index
from webapp.casting import search as casting_search
from webapp.casting import services as casting
from webapp.casting.search_index import version
from webapp.core.errors import Forbidden, ValidationFailed
from webapp.directory import services as directory
from webapp.directory.models import Profile
from webapp.extensions import db
from webapp.taxonomy import services as taxonomy

HX = {"HX-Request": "true"}

PEOPLE = [
    # first, last, gender, age, city, height, eyes, hair, skin, types, languages, years
    ("Fatima", "Benani", "F", 28, ("MA", "CAS"), 168, "marron", "noir", "mat", ["lead-actor", "model"],
     ["fr:native", "ar:fluent"], 5),
    ("Salma", "Tazi", "F", 22, ("MA", "RAB"), 172, "vert", "chatain", "clair", ["model"], ["fr:fluent"], 1),
    ("Aminata", "Diallo", "F", 35, ("SN", "DKR"), 175, "noir", "noir", "ebene", ["supporting-actor"],
     ["fr:native", "wo:native"], 12),
    ("Omar", "El Idrissi", "M", 41, ("MA", "OZZ"), 181, "marron", "brun", "mat", ["extra", "stunt-performer"],
     ["ar:native"], 0),
    ("Hugo", "Bernard", "M", 30, ("FR", "PAR"), 185, "bleu", "blond", "clair", ["lead-actor"],
     ["fr:native", "en:fluent"], 8),
]


@pytest.fixture
def people(app):
    """Five cinema talents (CRM candidates) and the recruiter who keeps them."""
    facets.forget()
    with app.app_context():
        search_index.ensure_counter(db.session.connection())  # the suite empties code_sequences between tests
        f.load_reference()
        recruiter = f.make_user(role="recruiter")
        ids = {}
        for first, last, gender, age, place, height, eyes, hair, skin, types, languages, years in PEOPLE:
            profile = f.cinema_candidate(recruiter, first, last, gender=gender, age=age, place=place,
                                         height_cm=height, eye_color=eyes, hair_color=hair, skin_tone=skin,
                                         talent_types=types, languages_spoken=languages, years_of_experience=years)
            ids[first] = profile.id
        return SimpleNamespace(recruiter=SimpleNamespace(id=recruiter.id, email=recruiter.email), ids=ids)


def run(app, people, **args):
    with app.test_request_context():
        viewer = db.session.get(User, people.recruiter.id)
        criteria = casting_search.criteria_from(MultiDict(args))
        result = casting_search.search_talents(viewer, criteria, with_counts=True, limit=args.pop("limit", 24)
                                               if "limit" in args else 24)
        return SimpleNamespace(names=[c.profile.first_name for c in result.hits], total=result.total,
                               counts=result.counts, cursor=result.next_cursor)


def ids_of(app, list_name, *slugs):
    with app.app_context():
        return [taxonomy.list_value(list_name, slug).id for slug in slugs]


# Filters -----------------------------------------------------------------------------------

def test_every_seed_filter_narrows_the_list(app, people):
    assert run(app, people).total == 5
    assert set(run(app, people, gender="F").names) == {"Fatima", "Salma", "Aminata"}
    assert set(run(app, people, talent_type="lead-actor").names) == {"Fatima", "Hugo"}
    assert set(run(app, people, age_min="25", age_max="35").names) == {"Fatima", "Aminata", "Hugo"}
    assert set(run(app, people, height_min="170", height_max="180").names) == {"Salma", "Aminata"}
    assert set(run(app, people, eye_color="marron").names) == {"Fatima", "Omar"}
    assert set(run(app, people, hair_color="Noir").names) == {"Fatima", "Aminata"}  # a name, as the seed sends
    assert set(run(app, people, skin_tone="mat,clair").names) == {"Fatima", "Omar", "Salma", "Hugo"}
    assert set(run(app, people, country="SN").names) == {"Aminata"}
    assert set(run(app, people, country="Maroc").names) == {"Fatima", "Salma", "Omar"}
    assert set(run(app, people, language=["fr", "ar"]).names) == {"Fatima"}  # all of them
    assert set(run(app, people, experience="10_plus").names) == {"Aminata"}
    assert set(run(app, people, experience=["debutant", "1_5_ans"]).names) == {"Omar", "Salma", "Fatima"}
    assert run(app, people, q="benani").names == ["Fatima"]
    assert run(app, people, search="MASN").total == 0
    assert run(app, people, q="SNDKR").names == ["Aminata"]
    combined = run(app, people, gender="F", language="fr", height_min="170", talent_type="model,supporting-actor")
    assert set(combined.names) == {"Salma", "Aminata"}


def test_counts_beside_each_choice_ignore_their_own_group_only(app, people):
    counts = run(app, people, gender="F").counts
    assert counts.total == 3
    assert counts.gender == {"M": 2, "F": 3, "N": 0}  # ticking Female does not hide the men's count
    brown, green, black = ids_of(app, "eye_color", "marron", "vert", "noir")
    assert (counts.eye_color[brown], counts.eye_color[green], counts.eye_color[black]) == (1, 1, 1)
    with app.app_context():
        lead, model = (f.skill("lead-actor").id, f.skill("model").id)
    assert (counts.talent_type[lead], counts.talent_type[model]) == (1, 2)
    assert counts.language["fr"] == 3 and counts.language["wo"] == 1 and counts.language["ar"] == 1
    assert counts.experience == {"debutant": 0, "1_5_ans": 2, "5_10_ans": 0, "10_plus": 1}
    assert counts.age == {"0_15": 0, "16_25": 1, "26_35": 2, "36_50": 0, "51_plus": 0}
    assert counts.height["170_179"] == 2
    # with an eye colour ticked, the other colours still count (any of), the genders narrow
    both = run(app, people, gender="F", eye_color="marron").counts
    assert both.total == 1 and both.eye_color[green] == 1 and both.gender == {"M": 1, "F": 1, "N": 0}


def test_counts_follow_every_change_at_once(app, people):
    before = run(app, people, eye_color="vert").total
    with app.app_context():
        stamp = version(db.session)
        profile = db.session.get(Profile, people.ids["Omar"])
        casting.update_cinema(db.session.get(User, people.recruiter.id), profile, {"eye_color": "vert"})
        assert version(db.session) > stamp
    assert run(app, people, eye_color="vert").total == before + 1
    # a change of the profile alone (a language, the gender) moves the counts too
    with app.app_context():
        profile = db.session.get(Profile, people.ids["Omar"])
        directory.update_profile(db.session.get(User, people.recruiter.id), profile,
                                 {"languages": ["ar:native", "wo:basic"]})
    assert run(app, people, language="wo").total == 2
    # and a deactivated profile leaves the search
    with app.app_context():
        directory.set_active(f.make_user(role="admin"), db.session.get(Profile, people.ids["Omar"]), False)
    assert "Omar" not in run(app, people).names and run(app, people).total == 4


def test_bad_criteria_get_a_message_per_field(app, people):
    with app.test_request_context():
        with pytest.raises(ValidationFailed) as caught:
            casting_search.criteria_from(MultiDict({"age_min": "abc", "eye_color": "purple", "country": "Mars",
                                                    "language": "klingon", "talent_type": "python"}))
        assert set(caught.value.fields) == {"age_min", "eye_color", "country", "language", "talent_type"}
        with pytest.raises(ValidationFailed) as caught:
            casting_search.check(casting_search.criteria_from(MultiDict({"age_min": "40", "age_max": "20",
                                                                         "height_min": "20", "gender": "X"})))
        assert set(caught.value.fields) == {"age_max", "height_min", "gender"}


def test_only_casting_staff_search(app, people):
    with app.test_request_context(), pytest.raises(Forbidden):
        casting_search.search_talents(f.make_user(), casting_search.Criteria())


def test_the_cursor_pages_through_every_order_without_gaps(app, people):
    for sort in ("newest", "name", "experience", "height"):
        seen, cursor = [], None
        with app.test_request_context():
            viewer = db.session.get(User, people.recruiter.id)
            criteria = casting_search.Criteria(sort=sort)
            while True:
                result = casting_search.search_talents(viewer, criteria, after=cursor, limit=2, with_total=False)
                seen += [c.profile.first_name for c in result.hits]
                cursor = result.next_cursor
                if cursor is None:
                    break
        assert sorted(seen) == sorted(p[0] for p in PEOPLE), sort
    assert seen == ["Hugo", "Omar", "Aminata", "Salma", "Fatima"]  # tallest first
    with app.test_request_context():
        viewer = db.session.get(User, people.recruiter.id)
        with pytest.raises(ValidationFailed):
            casting_search.search_talents(viewer, casting_search.Criteria(sort="name"), after="forged")


def test_minors_and_unlisted_people_follow_the_directory_rules(app, people):
    with app.app_context():
        recruiter = db.session.get(User, people.recruiter.id)
        f.cinema_candidate(recruiter, "Rayan", "Benani", gender="M", age=12, height_cm=140)
        talent = f.make_user()
        profile = f.talent_profile(talent, gender="F", birth_date=f.born_years_ago(25))
        casting.update_cinema(talent, profile, {"height_cm": 160})
        profile.directory_consent_at = None  # withdrew their consent to be listed
        db.session.commit()
    names = run(app, people).names
    assert "Rayan" in names  # a minor is listed to staff (not assignable without a guardian)
    assert run(app, people).total == 6


# Pages ------------------------------------------------------------------------------------------

def test_the_search_page_shows_filters_with_counts_and_a_photo_grid(client, login, people):
    login(people.recruiter)
    page = client.get("/cinema/search?gender=F")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "3 talents" in html and html.count('data-testid="talent-card"') == 3
    assert '<span class="badge rounded-pill facet-count" id="fc-gender-M">2</span>' in html
    assert 'value="F" id="f-gender-F" checked' in html
    assert "Shortlist for…" not in html or "No open role" in html


def test_htmx_gets_the_results_and_fresh_counts_only(client, login, people):
    login(people.recruiter)
    response = client.get("/cinema/search?eye_color=marron&view=table", headers=HX)
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<div id="search-results"')
    assert "<html" not in html and html.count('data-testid="talent-row"') == 2
    assert 'id="fc-gender-M" hx-swap-oob="true">1<' in html
    assert "HX-Request" in response.headers.get("Vary", "")


def test_infinite_scroll_loads_the_next_page_after_the_last_card(client, login, people, monkeypatch):
    monkeypatch.setattr(casting_search, "PAGE_SIZE", 2)
    monkeypatch.setattr(casting_search.search_talents, "__defaults__", (None, 2))
    login(people.recruiter)
    html = client.get("/cinema/search?sort=name").get_data(as_text=True)
    assert html.count('data-testid="talent-card"') == 2
    marker = 'class="col-12 text-center search-more" hx-get="'
    assert marker in html and 'hx-trigger="revealed"' in html
    next_url = html.split(marker, 1)[1].split('"', 1)[0].replace("&amp;", "&")
    more = client.get(next_url, headers=HX).get_data(as_text=True)
    assert more.count('data-testid="talent-card"') == 2 and '<div id="search-results"' not in more
    assert "Fatima Benani" in html and "Hugo Bernard" in html  # by name: benani, bernard, diallo ...
    assert "Aminata Diallo" in more and "Omar El Idrissi" in more
    # without JavaScript the same link is a page of its own
    assert client.get(next_url).status_code == 200


def test_bad_filters_on_the_page_are_explained_with_422(client, login, people):
    login(people.recruiter)
    response = client.get("/cinema/search?age_min=abc&eye_color=purple")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Enter a whole number." in html and "Choose from the list." in html
    assert client.get("/cinema/search?after=forged&sort=name").status_code == 422


def test_find_talents_for_a_role_fills_the_filters_from_the_role(app, client, login, people):
    with app.app_context():
        _p, _project, role = f.production_with_role(db.session.get(User, people.recruiter.id), height_min=165)
        role_id = role.id
    login(people.recruiter)
    response = client.get(f"/cinema/search?role={role_id}")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "1 talent" in page  # women of 20 to 40, lead actors, of 165 cm or more
    assert "Fatima Benani" in page


def test_searches_are_saved_reopened_and_deleted(app, client, login, people, make_user):
    login(people.recruiter)
    token = csrf_token(client, "/cinema/search")
    response = client.post("/cinema/searches", data={"csrf_token": token, "name": "",
                                                     "query": "gender=F&eye_color=marron"}, headers=HX)
    assert response.status_code == 422 and "Give the search a name." in response.get_data(as_text=True)
    response = client.post("/cinema/searches", data={"csrf_token": token, "name": "Nothing", "query": ""}, headers=HX)
    assert response.status_code == 422
    response = client.post("/cinema/searches", data={"csrf_token": token, "name": "Brown-eyed actresses",
                                                     "query": "gender=F&eye_color=marron"}, headers=HX)
    assert response.status_code == 200 and "Brown-eyed actresses" in response.get_data(as_text=True)
    with app.app_context():
        saved = casting_search.saved_searches(db.session.get(User, people.recruiter.id))
        saved_id = saved[0].id
        assert saved[0].criteria["gender"] == ["F"]
    reopened = client.get(f"/cinema/searches/{saved_id}")
    assert reopened.status_code == 302
    page = client.get(reopened.headers["Location"]).get_data(as_text=True)
    assert "1 talent" in page and "Fatima Benani" in page
    # another recruiter cannot open or delete it
    client.post("/auth/logout", data={"csrf_token": token})
    login(make_user(role="recruiter"))
    assert client.get(f"/cinema/searches/{saved_id}").status_code == 404
    other_token = csrf_token(client, "/cinema/search")
    assert client.post(f"/cinema/searches/{saved_id}/delete", data={"csrf_token": other_token}).status_code == 404
    client.post("/auth/logout", data={"csrf_token": other_token})
    login(people.recruiter)
    token = csrf_token(client, "/cinema/search")
    assert client.post(f"/cinema/searches/{saved_id}/delete", data={"csrf_token": token}, headers=HX).status_code == 200
    with app.app_context():
        assert casting_search.saved_searches(db.session.get(User, people.recruiter.id)) == []


def test_shortlisting_from_the_results(app, client, login, people):
    with app.app_context():
        _p, project, role = f.production_with_role(db.session.get(User, people.recruiter.id))
        casting.update_project(db.session.get(User, people.recruiter.id), project, {"status": "casting"})
        role_id = role.id
    login(people.recruiter)
    page = client.get("/cinema/search?q=benani").get_data(as_text=True)
    assert "Shortlist for…" in page and f'<option value="{role_id}">Protagoniste</option>' in page
    token = csrf_token(client, "/cinema/search")
    response = client.post(f"/cinema/profiles/{people.ids['Fatima']}/shortlist",
                           data={"csrf_token": token, "role_id": role_id}, headers=HX)
    assert response.status_code == 200 and "Le Désert Blanc · Protagoniste" in response.get_data(as_text=True)


# API ----------------------------------------------------------------------------------------------

def test_the_api_lists_talents_with_the_seed_filters_and_shape(client, login, people):
    login(people.recruiter)
    body = client.get("/api/v1/cinema/talents?gender=F&eye_color=Marron&per_page=1").get_json()
    assert (body["total"], body["page"], body["per_page"], body["pages"]) == (1, 1, 1, 1)
    item = body["items"][0]
    assert (item["unique_code"], item["first_name"], item["height"], item["eye_color"]) == (
        "MACAS000001F", "Fatima", 168, "Brown")
    assert item["talent_types"] == ["Lead actor", "Model"] and item["languages_spoken"] == ["French", "Arabic"]
    assert "ethnicities" not in item  # never in the list shape
    paged = client.get("/api/v1/cinema/talents?per_page=2&page=3&sort=name").get_json()
    assert paged["total"] == 5 and paged["pages"] == 3 and len(paged["items"]) == 1
    bad = client.get("/api/v1/cinema/talents?height_min=tall")
    assert bad.status_code == 422 and "height_min" in bad.get_json()["error"]["fields"]
    bad = client.get("/api/v1/cinema/talents?country=Mars&eye_color=purple")
    assert bad.status_code == 422 and set(bad.get_json()["error"]["fields"]) == {"country", "eye_color"}
    assert client.get("/api/v1/cinema/talents?per_page=1000").status_code == 422


def test_talents_cannot_list_cinema_talents_through_the_api(client, login, make_user, people):
    login(make_user())
    response = client.get("/api/v1/cinema/talents")
    assert response.status_code == 403 and response.get_json()["error"]["code"] == "forbidden"


def _snapshot_rows(snapshot):
    """Every row of a snapshot with its talent types and languages, comparable across loads."""
    types = {}
    for row, skill in zip(snapshot.type_rows.tolist(), snapshot.type_ids.tolist(), strict=True):
        types.setdefault(int(snapshot.cinema_id[row]), set()).add(skill)
    spoken = {}
    for row, code in zip(snapshot.language_rows.tolist(), snapshot.language_codes.tolist(), strict=True):
        spoken.setdefault(int(snapshot.cinema_id[row]), set()).add(code)
    rows = {}
    for index, cinema_id in enumerate(snapshot.cinema_id.tolist()):
        rows[cinema_id] = (tuple(str(getattr(snapshot, name)[index]) for name in facets.ROW_FIELDS),
                           frozenset(types.get(cinema_id, ())), frozenset(spoken.get(cinema_id, ())))
    return rows


def test_a_patched_snapshot_equals_a_fresh_load(app, people):
    with app.app_context():
        before = facets.current()
        recruiter = db.session.get(User, people.recruiter.id)
        casting.update_cinema(recruiter, db.session.get(Profile, people.ids["Salma"]),
                              {"height_cm": 190, "talent_types": ["extra", "dancer"]})
        directory.update_profile(recruiter, db.session.get(Profile, people.ids["Hugo"]), {"languages": ["es:native"]})
        directory.delete_candidate(recruiter, db.session.get(Profile, people.ids["Omar"]))
        f.cinema_candidate(recruiter, "Nour", "Berrada", age=19, place=("MA", "TNG"), height_cm=163)
        stamp = version(db.session)
        changed = search_index.changed_since(db.session, before.version, stamp)
        assert 0 < len(changed) <= 4
        patched = facets.current()
        assert patched.version == stamp and patched is not before
        assert _snapshot_rows(patched) == _snapshot_rows(facets.load(stamp))
        assert list(patched.cinema_id) == sorted(patched.cinema_id)
