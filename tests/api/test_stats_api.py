"""/api/v1/stats/*: the dashboards' figures in seed 003's shapes, for recruiters and admins."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests import factories as f
from tests.conftest import bearer
from webapp.casting import services as casting
from webapp.core.db import utcnow
from webapp.extensions import db
from webapp.insights import services as stats


@pytest.fixture
def population(app):
    with app.app_context():
        f.load_reference()
        recruiter = f.make_user(role="recruiter")
        ma = f.country("MA")
        for name, gender, years in (("Fatima", "F", 0), ("Omar", "M", 3), ("Idriss", "M", 12)):
            profile = f.make_candidate(recruiter, name, "Test", gender=gender, nationality_id=ma.id,
                                       years_experience=years, skills=[{"skill_id": f.skill("python").id, "level": 3}])
            casting.update_cinema(recruiter, profile, {"height_cm": 170, "talent_types": ["extra"]})
        old = f.make_candidate(recruiter, "Ancien", "Profil", gender="F", nationality_id=ma.id)
        old.created_at = utcnow() - timedelta(days=60)
        db.session.commit()


@pytest.fixture
def token(app, make_user, api_login):
    return api_login(make_user(role="recruiter"))["access_token"]


def test_the_overview_is_the_figures_object_itself(app, client, token, population):
    response = client.get("/api/v1/stats/overview", headers=bearer(token))
    assert response.status_code == 200
    body = response.get_json()
    assert body == {"total_users": 4, "total_cinema_talents": 3, "total_productions": 0, "total_projects": 0,
                    "active_projects": 0, "new_users_7d": 3, "new_cinema_7d": 3}
    with app.app_context():
        assert body == stats.overview()


def test_user_figures_have_the_seed_shape(client, token, population):
    body = client.get("/api/v1/stats/users", headers=bearer(token)).get_json()
    assert set(body) == {"total", "active", "inactive", "by_gender", "by_country", "top_talents",
                         "avg_profile_score", "with_photo_pct", "with_cv_pct"}
    assert body["by_gender"] == {"M": 2, "F": 2, "N": 0}
    assert body["by_country"] == [{"country": "Morocco", "count": 4}]
    assert body["top_talents"] == [{"talent": "Python", "count": 3}]


def test_cinema_figures_have_the_seed_shape(client, token, population):
    body = client.get("/api/v1/stats/cinema", headers=bearer(token)).get_json()
    assert body["total_talents"] == 3 and body["avg_height"] == 170
    assert body["by_experience"] == {"debutant": 1, "1_5_ans": 1, "5_10_ans": 0, "10_plus": 1}
    assert body["by_talent_type"] == [{"type": "Extra", "count": 3}]


def test_from_and_to_narrow_the_figures_and_lang_names_them(client, token, population):
    today = date.today()
    body = client.get(f"/api/v1/stats/users?from={(today - timedelta(days=7)).isoformat()}&to={today.isoformat()}"
                      "&lang=fr", headers=bearer(token)).get_json()
    assert body["total"] == 3 and body["by_country"] == [{"country": "Maroc", "count": 3}]
    older = client.get(f"/api/v1/stats/overview?to={(today - timedelta(days=30)).isoformat()}",
                       headers=bearer(token)).get_json()
    assert older["total_users"] == 1


@pytest.mark.parametrize("query, field", [("from=2026-13-01", "from"), ("from=2026-05-02&to=2026-05-01", "to"),
                                          ("lang=de", "lang")])
def test_bad_parameters_are_a_validation_error(client, token, query, field):
    response = client.get(f"/api/v1/stats/users?{query}", headers=bearer(token))
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "validation_error" and field in error["fields"]


def test_talents_get_403_and_anonymous_401(client, make_user, api_login):
    talent = api_login(make_user())["access_token"]
    for path in ("/api/v1/stats/overview", "/api/v1/stats/users", "/api/v1/stats/cinema"):
        assert client.get(path, headers=bearer(talent)).get_json()["error"]["code"] == "forbidden"
        response = client.application.test_client().get(path)
        assert response.status_code == 401 and response.get_json()["error"]["code"] == "unauthorized"
