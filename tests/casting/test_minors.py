"""A talent under 16 needs a guardian's name and consent before anything else: the profile is
not published (page, service) nor put forward for a role (pages, API); with the consent it is."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests import factories as f
from tests.conftest import csrf_token
from webapp.accounts.models import User
from webapp.casting import services as casting
from webapp.directory.models import Profile
from webapp.directory.publishing import services as publishing
from webapp.extensions import db


@pytest.fixture
def minor(app):
    with app.app_context():
        f.load_reference()
        user = f.make_user(full_name="Lina Sarr")
        profile = f.talent_profile(user, gender="F", birth_date=f.born_years_ago(14),
                                   nationality_id=f.country("SN").id, residence_city_id=f.city("SN", "DKR").id)
        casting.update_cinema(user, profile, {"height_cm": 150})
        return SimpleNamespace(id=user.id, email=user.email, profile_id=profile.id)


def test_a_minor_cannot_publish_without_a_guardian_and_can_with_one(app, client, login, minor):
    login(minor)
    page = client.get("/profile/sharing").get_data(as_text=True)
    assert 'data-testid="publishing-blocked"' in page and "under 16" in page
    response = client.post("/profile/sharing/publish", data={"csrf_token": csrf_token(client, "/profile/sharing"),
                                                            "fields-present": "1", "fields": ["headline"]})
    assert response.status_code in (403, 422)
    with app.app_context():
        profile = db.session.get(Profile, minor.profile_id)
        assert profile.published_at is None
        assert "guardian" in publishing.publishing_problem(profile)
    token = csrf_token(client, f"/cinema/profiles/{minor.profile_id}/edit")
    client.post(f"/cinema/profiles/{minor.profile_id}/guardian",
                data={"csrf_token": token, "guardian_name": "Awa Sarr", "guardian_relationship": "mother",
                      "guardian_consent": "y"})
    with app.app_context():
        profile = db.session.get(Profile, minor.profile_id)
        assert publishing.can_publish(profile)
        publishing.publish(db.session.get(User, minor.id), profile)
        assert profile.is_published
        # withdrawing the guardian takes the public page down at once
        casting.clear_guardian(db.session.get(User, minor.id), profile)
        token_value = profile.public_token
    assert client.get(f"/p/{token_value}").status_code == 404
