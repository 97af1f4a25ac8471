"""The public page and its settings: it exists only while the owner publishes it, shows the
name and exactly the chosen fields, answers one plain 404 otherwise, and dies with a revoke."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests import factories as f
from tests.conftest import csrf_token
from tests.directory.publishing_helpers import detach, full_talent, normalised_404
from webapp.audit.models import AuditEvent
from webapp.core.errors import Forbidden
from webapp.directory import services as directory
from webapp.directory.models import DEFAULT_PUBLIC_FIELDS, PUBLISHABLE_FIELDS, Profile
from webapp.directory.publishing import services as publishing
from webapp.extensions import db

ALL_SHOWN = {"headline", "bio", "place", "age", "languages", "skills", "experience", "education", "availability",
             "links", "email", "phone", "whatsapp", "cv"}


@pytest.fixture
def talent(app):
    """(user, profile id, token) of a published talent who shows the default fields."""
    with app.app_context():
        user, profile = full_talent()
        publishing.publish(user, profile)
        detach(user)
        return user, profile.id, profile.public_token


def page(client, token):
    return client.get(f"/p/{token}")


def shown_fields(html: str) -> set[str]:
    return set(re.findall(r'data-field="([a-z_]+)"', html)) - {"contact"}


def choose(app, profile_id, fields):
    with app.app_context():
        profile = db.session.get(Profile, profile_id)
        publishing.set_public_fields(profile.user, profile, fields)


# What the page shows ------------------------------------------------------------------------------

def test_by_default_the_page_shows_no_contact_details(client, talent):
    _user, _pid, token = talent
    response = page(client, token)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Amina Tazi" in html
    assert shown_fields(html) == {"headline", "bio", "place", "skills", "languages", "experience"}
    for secret in ("amina@example.com", "612 345 678", "699 887 766", "mailto:", "tel:", "wa.me", "/cv"):
        assert secret not in html
    assert not set(DEFAULT_PUBLIC_FIELDS) & set(publishing.CONTACT_FIELDS)


@pytest.mark.parametrize("chosen", [["headline"], ["email", "phone"], ["skills", "age", "links", "cv"], []])
def test_the_page_shows_exactly_the_chosen_fields(app, client, talent, chosen):
    _user, profile_id, token = talent
    choose(app, profile_id, chosen)
    html = page(client, token).get_data(as_text=True)
    expected = {"place" if name in ("city", "country") else name for name in chosen} - {"photo"}
    assert shown_fields(html) == expected
    if "email" not in chosen:
        assert "amina@example.com" not in html
    if "phone" not in chosen:
        assert "612 345 678" not in html
    if "bio" not in chosen:
        assert "Comédienne depuis dix ans." not in html
    assert "MAF0001RAB" not in html  # the code is for staff, never public


def test_every_field_can_be_shown(app, client, talent):
    _user, profile_id, token = talent
    choose(app, profile_id, list(PUBLISHABLE_FIELDS))
    html = page(client, token).get_data(as_text=True)
    assert shown_fields(html) == ALL_SHOWN
    assert "mailto:amina@example.com" in html and "https://wa.me/212699887766" in html
    assert 'src="/p/' in html  # the photo, through the public token


def test_the_photo_and_cv_are_served_only_when_chosen(app, client, talent):
    _user, profile_id, token = talent
    assert client.get(f"/p/{token}/photo").status_code == 200  # photo is a default field
    assert client.get(f"/p/{token}/cv").status_code == 404
    choose(app, profile_id, ["cv"])
    assert client.get(f"/p/{token}/photo").status_code == 404
    cv = client.get(f"/p/{token}/cv")
    assert cv.status_code == 200
    assert cv.headers["Content-Disposition"].startswith("attachment")


def test_the_page_is_kept_out_of_search_engines_and_caches(client, talent):
    response = page(client, talent[2])
    assert response.headers["X-Robots-Tag"] == "noindex, nofollow"
    assert response.headers["Cache-Control"] == "no-store"
    assert '<meta name="robots" content="noindex, nofollow">' in response.get_data(as_text=True)
    assert "style=" not in response.get_data(as_text=True)


# One plain 404 for everything that is not a published page ------------------------------------------

def test_unpublished_revoked_unknown_and_malformed_tokens_get_the_same_404(app, client, talent):
    user, profile_id, token = talent
    answers = {}
    answers["unknown"] = (page(client, "A" * 32), "A" * 32)
    answers["malformed"] = (page(client, "not-a-token"), "not-a-token")
    with app.app_context():
        profile = db.session.get(Profile, profile_id)
        publishing.revoke_token(profile.user, profile)
        new_token = profile.public_token
    answers["revoked"] = (page(client, token), token)
    with app.app_context():
        profile = db.session.get(Profile, profile_id)
        publishing.unpublish(profile.user, profile)
    answers["unpublished"] = (page(client, new_token), new_token)
    bodies = set()
    for name, (response, used) in answers.items():
        assert response.status_code == 404, name
        bodies.add(normalised_404(response.get_data(as_text=True), used))
    assert len(bodies) == 1


def test_an_inactive_profile_is_not_public(app, client, talent):
    with app.app_context():
        admin = f.make_user(role="admin")
        directory.set_active(admin, db.session.get(Profile, talent[1]), False)
    assert page(client, talent[2]).status_code == 404


def test_revoking_kills_the_old_address_at_once_and_the_new_one_works(app, client, login, talent):
    user, _pid, old = talent
    login(user)
    response = client.post("/profile/sharing/revoke", data={"csrf_token": csrf_token(client, "/profile/sharing")})
    assert response.status_code == 302
    with app.app_context():
        new = db.session.get(Profile, talent[1]).public_token
    assert new != old and len(new) == 32
    assert page(client, old).status_code == 404
    assert client.get(f"/p/{old}/photo").status_code == 404
    assert page(client, new).status_code == 200


def test_guessing_is_rate_limited_per_ip(app, client, talent):
    app.config["RATELIMIT_PUBLIC_PAGE"] = "3 per minute"
    for _ in range(3):
        assert page(client, "B" * 32).status_code == 404
    assert page(client, "C" * 32).status_code == 429


# Staff who scan the code --------------------------------------------------------------------------

def test_a_signed_in_recruiter_is_offered_the_full_profile(app, client, login, make_user, talent):
    login(make_user(role="recruiter"))
    html = page(client, talent[2]).get_data(as_text=True)
    assert 'data-testid="staff-link"' in html
    assert "MAF0001RAB" in html  # the code, for staff
    if "directory.profile_page" in app.view_functions:
        assert f"/directory/{talent[1]}" in html


@pytest.mark.parametrize("who", ["anonymous", "talent", "consultant"])
def test_nobody_else_gets_the_staff_link(client, login, make_user, talent, who):
    if who != "anonymous":
        login(make_user(role=who))
    html = page(client, talent[2]).get_data(as_text=True)
    assert 'data-testid="staff-link"' not in html
    assert "MAF0001RAB" not in html


def test_the_owner_sees_a_link_to_change_the_page(client, login, talent):
    login(talent[0])
    assert 'data-testid="owner-note"' in page(client, talent[2]).get_data(as_text=True)


# The owner's settings --------------------------------------------------------------------------------

def test_a_talent_publishes_from_the_settings_page_with_the_fields_ticked(app, client, login, make_user):
    with app.app_context():
        user, profile = full_talent(email="sara@example.com")
        detach(user)
        profile_id = profile.id
    login(user)
    settings = client.get("/profile/sharing")
    assert settings.status_code == 200
    assert "Not published" in settings.get_data(as_text=True)
    response = client.post("/profile/sharing/publish", data={
        "csrf_token": csrf_token(client, "/profile/sharing"), "fields-present": "1", "fields": ["headline", "phone"]})
    assert response.status_code == 302
    with app.app_context():
        profile = db.session.get(Profile, profile_id)
        assert profile.published_at is not None and profile.public_fields_changed_at is not None
        assert profile.public_fields == ["headline", "phone"]
        token = profile.public_token
        actions = list(db.session.scalars(select(AuditEvent.action).where(AuditEvent.target_id == str(profile_id))))
    assert {"profile.published", "profile.public_fields_changed"} <= set(actions)
    html = page(client, token).get_data(as_text=True)
    assert shown_fields(html) == {"headline", "phone"}
    assert "Published" in client.get("/profile/sharing").get_data(as_text=True)


def test_the_htmx_settings_answer_is_the_section_alone(client, login, talent):
    login(talent[0])
    response = client.post("/profile/sharing/fields", data={
        "csrf_token": csrf_token(client, "/profile/sharing"), "fields": ["bio"]}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith("<section") and "<html" not in html
    assert 'value="bio" id="pub-bio" checked' in html


def test_an_unknown_field_is_refused_with_a_message(client, login, talent):
    login(talent[0])
    response = client.post("/profile/sharing/fields", data={
        "csrf_token": csrf_token(client, "/profile/sharing"), "fields": ["bio", "recruiter_notes"]})
    assert response.status_code == 422
    assert "Unknown fields: recruiter_notes." in response.get_data(as_text=True)


def test_unpublishing_is_dated_off_and_audited(app, client, login, talent):
    login(talent[0])
    client.post("/profile/sharing/unpublish", data={"csrf_token": csrf_token(client, "/profile/sharing")})
    with app.app_context():
        assert db.session.get(Profile, talent[1]).published_at is None
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "profile.unpublished")) is not None
    assert page(client, talent[2]).status_code == 404


def test_the_settings_need_a_signed_in_talent(client, login, make_user):
    assert client.get("/profile/sharing").status_code == 302  # to sign in
    login(make_user(role="recruiter"))
    assert client.get("/profile/sharing").status_code == 404  # staff have no profile to publish


# Who may publish -----------------------------------------------------------------------------------

def test_only_the_owner_publishes_revokes_or_chooses_fields(ctx):
    owner, profile = full_talent()
    for role in ("talent", "recruiter", "admin"):
        someone = f.make_user(role=role)
        for action, extra in ((publishing.publish, ()), (publishing.unpublish, ()), (publishing.revoke_token, ()),
                              (publishing.set_public_fields, (["bio"],))):
            with pytest.raises(Forbidden):
                action(someone, profile, *extra)
    assert profile.published_at is None


def test_posting_to_the_settings_changes_only_ones_own_profile(app, client, login, talent):
    with app.app_context():
        other = detach(f.make_user(role="talent"))
    login(other)
    client.post("/profile/sharing/revoke", data={"csrf_token": csrf_token(client, "/profile/sharing")})
    client.post("/profile/sharing/unpublish", data={"csrf_token": csrf_token(client, "/profile/sharing")})
    assert page(client, talent[2]).status_code == 200


def test_a_crm_candidate_cannot_be_published(ctx):
    recruiter = f.make_user(role="recruiter")
    candidate = f.make_candidate(recruiter)
    assert not publishing.can_publish(candidate)
    with pytest.raises(Forbidden):
        publishing.publish(recruiter, candidate)


def test_the_token_is_random_and_not_the_code(ctx):
    _user, profile = full_talent()
    token = publishing.ensure_token(profile)
    assert re.fullmatch(r"[A-Za-z0-9_-]{32}", token)
    assert profile.code not in token
    assert publishing.ensure_token(profile) == token  # drawn once, changed only by a revoke


def test_the_settings_partial_can_be_included_with_only_the_profile(app, talent):
    """How the talent's own profile page (/profile) includes it."""
    from flask import render_template
    from flask_login import login_user

    user, profile_id, token = talent
    with app.test_request_context("/profile"):
        profile = db.session.get(Profile, profile_id)
        login_user(profile.user)
        html = render_template("directory/publishing/partials/settings.html", profile=profile)
    assert 'id="publishing-settings"' in html and token in html
    assert 'name="next" value="/profile"' in html


def test_without_htmx_a_change_comes_back_to_the_including_page(client, login, talent):
    login(talent[0])
    response = client.post("/profile/sharing/fields", data={
        "csrf_token": csrf_token(client, "/profile/sharing"), "fields": ["bio"], "next": "/profile"})
    assert response.headers["Location"] == "/profile"
    response = client.post("/profile/sharing/fields", data={
        "csrf_token": csrf_token(client, "/profile/sharing"), "fields": ["bio"], "next": "https://evil.example"})
    assert response.headers["Location"] == "/profile/sharing"
