"""The directory's list endpoints: seed 003's /users and /talents/{id}/users, seed 001's
/candidates/ and candidate search (with its alias): shapes, filters, pages and cursors,
permissions, and errors as JSON with field messages."""

from __future__ import annotations

from datetime import date

import pytest

from tests import factories as f
from webapp.extensions import db


@pytest.fixture
def api(app, client, login, make_user):
    """A recruiter's session, and profiles: 12 CRM candidates and 3 talents."""
    with app.app_context():
        f.load_reference()
        recruiter = f.make_user(role="recruiter", email="rec@example.com")
        ma, sn = f.country("MA").id, f.country("SN").id
        python = f.skill("python").id
        for n in range(12):
            f.make_candidate(recruiter, "Youssef" if n < 4 else f"Cand{n:02d}", f"Family{n:02d}",
                             gender="M" if n % 2 else "F", nationality_id=ma if n < 8 else sn,
                             residence_city_id=f.city("MA", "CAS").id if n < 8 else f.city("SN", "DKR").id,
                             availability="freelance" if n % 3 == 0 else "full_time",
                             birth_date=date(1990 + n, 1, 1), years_experience=n,
                             skills=[{"skill_id": python, "level": 1 + n % 5}], languages=["fr:native"])
        for n in range(3):
            user = f.make_user(role="talent", full_name=f"Talent Person{n}")
            f.talent_profile(user, gender="F", nationality_id=ma, residence_city_id=f.city("MA", "RAB").id)
        db.session.expunge_all()
    login(make_user(role="recruiter", email="rec2@example.com"))
    client.ids = {"python": python, "ma": ma, "sn": sn}
    return client


ITEM_KEYS = {"id", "unique_code", "first_name", "last_name", "email", "gender", "age", "country", "city",
             "photo_url", "talents", "availability", "profile_score", "created_at"}


def test_users_lists_in_the_seed_shape(api):
    answer = api.get("/api/v1/users?per_page=5")
    assert answer.status_code == 200
    body = answer.get_json()
    assert {"items", "total", "page", "per_page", "pages", "next_cursor"} <= set(body)
    assert (body["total"], body["page"], body["per_page"], body["pages"]) == (15, 1, 5, 3)
    item = body["items"][0]
    assert set(item) >= ITEM_KEYS
    assert set(item["country"]) == {"id", "name", "code"} and set(item["city"]) == {"id", "name", "code"}
    with_talents = next(i for i in body["items"] if i["talents"])
    assert set(with_talents["talents"][0]) >= {"id", "name", "emoji", "category"}


def test_users_filters_by_the_seed_parameters(api):
    def total(query: str) -> int:
        answer = api.get(f"/api/v1/users?{query}")
        assert answer.status_code == 200, answer.get_json()
        return answer.get_json()["total"]

    assert total("search=youss") == 4
    assert total(f"country_id={api.ids['sn']}") == 4
    assert total("gender=M") == 6
    assert total("gender=M&gender=F") == total("gender=M,F") == 15
    assert total("availability=freelance") == 4
    assert total(f"talent_id={api.ids['python']}") == 12
    assert total(f"talent_id={api.ids['python']}&skill_level=5") == 2
    assert total("experience_min=10") == 2
    assert total("kind=talents") == 3
    assert total("language=fr") == 12
    this_year = date.today().year
    assert total(f"age_max={this_year - 1990 - 1}&kind=candidates") == 11  # born 1991 and after


def test_pages_and_cursors_walk_the_same_rows(api):
    by_page = []
    for page in (1, 2, 3):
        body = api.get(f"/api/v1/users?sort=name&per_page=6&page={page}").get_json()
        by_page += [item["id"] for item in body["items"]]
    by_cursor, cursor = [], None
    while True:
        url = "/api/v1/users?sort=name&per_page=4" + (f"&cursor={cursor}" if cursor else "")
        body = api.get(url).get_json()
        by_cursor += [item["id"] for item in body["items"]]
        cursor = body["next_cursor"]
        if not cursor:
            assert body["page"] is None or body["page"] == 1
            break
    assert by_page == by_cursor and len(set(by_page)) == 15


def test_deep_pages_point_to_the_cursor(api):
    answer = api.get("/api/v1/users?page=600&per_page=20")
    assert answer.status_code == 422
    error = answer.get_json()["error"]
    assert error["code"] == "validation_error" and "cursor" in error["fields"]["page"][0]


@pytest.mark.parametrize("query, field", [
    ("age_min=40&age_max=30", "age_max"),
    ("gender=X", "gender.0"),
    ("country_id=abc", "country_id"),
    ("country_id=99999", "country_id"),
    ("talent_id=99999", "talent_id"),
    ("cursor=tampered", "cursor"),
    ("sort=shoe_size", "sort"),
    ("skill_level=0", "skill_level"),
])
def test_bad_input_is_a_422_naming_the_field(api, query, field):
    answer = api.get(f"/api/v1/users?{query}")
    assert answer.status_code == 422
    assert field in answer.get_json()["error"]["fields"]


def test_talent_users_name_the_talent_and_count_its_people(api):
    body = api.get(f"/api/v1/talents/{api.ids['python']}/users?per_page=3").get_json()
    assert body["talent"]["id"] == api.ids["python"] and body["talent"]["users_count"] == 12
    assert body["total"] == 12 and len(body["items"]) == 3
    assert all(any(t["id"] == api.ids["python"] for t in item["talents"]) for item in body["items"])
    missing = api.get("/api/v1/talents/99999/users")
    assert missing.status_code == 404 and missing.get_json()["error"]["code"] == "not_found"


def test_candidates_list_the_crm_newest_first_with_seed_001_paging(api):
    body = api.get("/api/v1/candidates/?size=5&sort=-created_at").get_json()
    assert body["total"] == 12 and body["size"] == body["per_page"] == 5
    stamps = [item["created_at"] for item in body["items"]]
    assert stamps == sorted(stamps, reverse=True)
    assert all(item["is_candidate"] for item in body["items"])
    assert api.get("/api/v1/candidates?kind=all").get_json()["total"] == 15


def test_candidate_search_takes_a_query_and_filters_and_has_an_alias(api):
    payload = {"query": "youssef", "filters": {"gender": ["M"]}, "per_page": 10}
    body = api.post("/api/v1/candidates/search", json=payload).get_json()
    assert body["total"] == 2 and {"items", "total"} <= set(body)
    flat = api.post("/api/v1/search/candidates", json={"query": "youssef", "gender": "M"}).get_json()
    assert flat["total"] == 2
    everyone = api.post("/api/v1/search/candidates", json={"kind": "all"}).get_json()
    assert everyone["total"] == 15
    bad = api.post("/api/v1/candidates/search", json={"filters": {"age_min": 70, "age_max": 20}})
    assert bad.status_code == 422 and "age_max" in bad.get_json()["error"]["fields"]


def test_only_recruiters_and_admins_may_list_profiles(app, client, login, make_user):
    assert client.get("/api/v1/users").status_code == 401
    assert client.get("/api/v1/candidates/").status_code == 401
    for role in ("talent", "consultant"):
        login(make_user(role=role))
        for answer in (client.get("/api/v1/users"), client.get("/api/v1/candidates/"),
                       client.post("/api/v1/candidates/search", json={})):
            assert answer.status_code == 403
            assert answer.get_json()["error"]["code"] == "forbidden"
        client.post("/auth/logout", data={"csrf_token": _csrf(client)})
    login(make_user(role="admin"))
    assert client.get("/api/v1/users?include_inactive=true").status_code == 200


def test_recruiters_may_not_ask_for_inactive_profiles(api):
    answer = api.get("/api/v1/users?include_inactive=true")
    assert answer.status_code == 403


def test_the_openapi_document_describes_the_list_endpoints(client):
    paths = client.get("/api/openapi.json").get_json()["paths"]
    assert {"/api/v1/users", "/api/v1/talents/{talent_id}/users", "/api/v1/candidates/",
            "/api/v1/candidates/search", "/api/v1/search/candidates"} <= set(paths)
    params = {p["name"] for p in paths["/api/v1/users"]["get"]["parameters"]}
    assert {"search", "country_id", "city_id", "gender", "availability", "talent_id", "page", "per_page",
            "cursor"} <= params


def _csrf(client):
    from tests.conftest import csrf_token

    return csrf_token(client, "/dashboard")
