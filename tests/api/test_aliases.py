"""Where the seeds name one capability twice, the alias answers exactly like the canonical path."""

from __future__ import annotations

import re

import pytest

from tests.conftest import bearer
from webapp.api.aliases import ALIASES


@pytest.mark.parametrize(("method", "alias"), sorted(ALIASES))
def test_an_alias_answers_bad_input_exactly_like_its_canonical_path(app, make_user, api_login, method, alias):
    canonical = ALIASES[(method, alias)]
    # a recruiter: some aliases are staff endpoints (/search/candidates)
    tokens = api_login(make_user(role="recruiter"), into=app.test_client())
    answers = []
    for path in (canonical, alias):
        client = app.test_client()
        response = client.open("/api/v1" + _filled(path), method=method, json={"phone": ["not", "a", "string"]},
                               headers=bearer(tokens["access_token"]))
        answers.append((response.status_code, response.get_json()))
    assert answers[0] == answers[1]
    # A path with an id (/talents/{id}) names nothing in an empty database: the same 404.
    assert answers[0][0] in ((200, 202, 422) if _filled(alias) == alias else (404,))


def _filled(path: str) -> str:
    """The path with its parameters filled in (/talents/<int:skill_id> -> /talents/999999)."""
    return re.sub(r"<[^>]+>", "999999", path)


@pytest.mark.parametrize(("method", "alias"), sorted(ALIASES))
def test_an_alias_needs_the_same_credentials(app, method, alias):
    canonical = ALIASES[(method, alias)]
    statuses = [app.test_client().open("/api/v1" + _filled(path), method=method, json={}).status_code
                for path in (canonical, alias)]
    assert statuses[0] == statuses[1]


def test_the_seed_aliases_are_all_declared():
    assert ALIASES == {
        ("POST", "/auth/signup"): "/auth/register",
        ("POST", "/auth/forgot-password"): "/password-reset/request",
        ("POST", "/auth/reset-password"): "/password-reset/confirm",
        ("GET", "/users/profile"): "/users/me",
        ("PUT", "/users/profile"): "/users/me",
        ("DELETE", "/users/account"): "/users/me",
        ("GET", "/talents"): "/skills",
        ("GET", "/talents/<int:skill_id>"): "/skills/<int:skill_id>",
        ("GET", "/chat/conversations"): "/conversations",
        ("POST", "/chat/conversations"): "/conversations",
        ("GET", "/chat/conversations/<int:conversation_id>/messages"): "/conversations/<int:conversation_id>/messages",
        ("POST", "/chat/conversations/<int:conversation_id>/messages"): "/conversations/<int:conversation_id>/messages",
        ("GET", "/messaging/conversations"): "/conversations",
        ("POST", "/messaging/conversations"): "/conversations",
        ("POST", "/messaging/conversations/search"): "/conversations/search",
        ("GET", "/messaging/conversations/<int:conversation_id>"): "/conversations/<int:conversation_id>",
        ("GET", "/messaging/conversations/<int:conversation_id>/messages"):
            "/conversations/<int:conversation_id>/messages",
        ("POST", "/messaging/conversations/<int:conversation_id>/messages"):
            "/conversations/<int:conversation_id>/messages",
        ("PUT", "/messaging/messages/<int:message_id>/read"): "/messages/<int:message_id>/read",
        ("POST", "/search/candidates"): "/candidates/search",
    }


def test_get_profile_returns_the_same_body_as_me(app, make_user, api_login):
    # a recruiter: some aliases are staff endpoints (/search/candidates)
    tokens = api_login(make_user(role="recruiter"), into=app.test_client())
    client = app.test_client()
    me = client.get("/api/v1/users/me", headers=bearer(tokens["access_token"])).get_json()
    profile = client.get("/api/v1/users/profile", headers=bearer(tokens["access_token"])).get_json()
    assert me == profile
