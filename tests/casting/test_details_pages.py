"""The cinema details editor as a talent (and a recruiter keeping a candidate's) sees it:
sections that save through htmx, clear messages for bad input, the masked ID number, the
gallery, the ethnicity consent, the guardian of a minor, and who may open what.

Requests run outside any test app context (each gets its own, as in production); data is
made and checked inside `with app.app_context()` blocks."""

from __future__ import annotations

import io
import re
from types import SimpleNamespace

import pytest

from tests import factories as f
from tests.conftest import csrf_token
from webapp.casting import services as casting
from webapp.directory import services as directory
from webapp.directory.models import Profile
from webapp.extensions import db

HX = {"HX-Request": "true"}


def person(user, profile=None) -> SimpleNamespace:
    """What a test keeps of an account once its app context is gone."""
    return SimpleNamespace(id=user.id, email=user.email, profile_id=profile.id if profile else None)


@pytest.fixture
def reference(app):
    with app.app_context():
        f.load_reference()


@pytest.fixture
def talent(app, reference):
    """A talent with a gender and a city (so a cinema code can be issued)."""
    with app.app_context():
        user = f.make_user(full_name="Fatima Benani")
        profile = f.talent_profile(user, gender="F", birth_date="1996-03-20", nationality_id=f.country("MA").id,
                                   residence_city_id=f.city("MA", "CAS").id)
        return person(user, profile)


@pytest.fixture
def recruiter(app, reference):
    with app.app_context():
        return person(f.make_user(role="recruiter", full_name="Youssef El Amrani"))


def user_of(who):
    from webapp.accounts.models import User

    return db.session.get(User, who.id)


def profile_of(profile_id):
    return db.session.get(Profile, profile_id)


def editor(client, profile_id):
    return client.get(f"/cinema/profiles/{profile_id}/edit")


def post(client, url, data, htmx=True, **kwargs):
    token = csrf_token(client, "/dashboard")
    return client.post(url, data={"csrf_token": token, **data}, headers=HX if htmx else {}, **kwargs)


def cinema_of(app, profile_id, read):
    with app.app_context():
        cinema = casting.cinema_of(profile_of(profile_id))
        return read(cinema) if cinema is not None else None


# Who may open the editor ------------------------------------------------------------------------

def test_a_talent_reaches_their_own_cinema_details_from_the_menu(client, login, talent):
    login(talent)
    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert 'href="/cinema/me"' in dashboard
    response = client.get("/cinema/me")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/cinema/profiles/{talent.profile_id}/edit")
    page = editor(client, talent.profile_id).get_data(as_text=True)
    assert "My cinema details" in page
    assert "Eye colour" in page and "Brown" in page  # the managed list, in the talent's language


def test_the_profile_pages_lead_to_the_cinema_details(app, client, login, talent, recruiter):
    login(talent)
    page = client.get("/profile").get_data(as_text=True)
    assert 'data-testid="cinema-card"' in page and f"/cinema/profiles/{talent.profile_id}/edit" in page
    client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/dashboard")})
    with app.app_context():
        candidate_id = f.cinema_candidate(user_of(recruiter), "Omar", "Tazi", gender="M").id
        cinema_id = casting.cinema_of(profile_of(candidate_id)).id
    login(recruiter)
    staff_page = client.get(f"/directory/{candidate_id}").get_data(as_text=True)
    assert f"/cinema/profiles/{candidate_id}/edit" in staff_page and f"/cinema/talents/{cinema_id}" in staff_page
    # a talent's own profile page offers staff the cinema page, not the editor
    talent_page = client.get(f"/directory/{talent.profile_id}").get_data(as_text=True)
    assert f"/cinema/profiles/{talent.profile_id}/edit" not in talent_page


def test_the_lists_come_in_the_person_s_language(app, client, login, reference):
    with app.app_context():
        user = f.make_user(locale="fr")
        who = person(user, f.talent_profile(user))
    login(who)
    page = editor(client, who.profile_id).get_data(as_text=True)
    assert "Marron" in page and "Ondulés" in page


def test_nobody_opens_another_talent_s_cinema_details(app, client, login, talent, make_user):
    login(make_user())
    assert editor(client, talent.profile_id).status_code == 403
    response = post(client, f"/cinema/profiles/{talent.profile_id}/attributes", {"height_cm": "170"})
    assert response.status_code == 403
    assert cinema_of(app, talent.profile_id, lambda c: c) is None


def test_recruiters_edit_candidates_cinema_details_but_not_a_talent_s(app, client, login, talent, recruiter):
    with app.app_context():
        candidate_id = f.make_candidate(user_of(recruiter), "Omar", "Tazi").id
    login(recruiter)
    assert editor(client, talent.profile_id).status_code == 403
    page = editor(client, candidate_id)
    assert page.status_code == 200
    assert "Cinema details of Omar Tazi" in page.get_data(as_text=True)
    assert post(client, f"/cinema/profiles/{candidate_id}/attributes", {"height_cm": "181"}).status_code == 200
    assert cinema_of(app, candidate_id, lambda c: c.height_cm) == 181


def test_anonymous_visitors_are_asked_to_sign_in(client, talent):
    response = editor(client, talent.profile_id)
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_staff_have_no_cinema_details_of_their_own(client, login, recruiter):
    login(recruiter)
    assert client.get("/cinema/me").status_code == 403


# Saving the sections ----------------------------------------------------------------------------

def test_attributes_save_through_htmx_and_the_cinema_code_appears(app, client, login, talent):
    login(talent)
    response = post(client, f"/cinema/profiles/{talent.profile_id}/attributes",
                    {"height_cm": "168", "eye_color": "marron", "hair_color": "noir", "hair_type": "ondules",
                     "skin_tone": "mat", "build": "svelte"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith("<form") and "<html" not in html
    assert 'id="cinema-status" class="mb-3" hx-swap-oob="true"' in html
    assert "MACAS000001F" in html
    assert "Your changes are saved." in html
    assert cinema_of(app, talent.profile_id, lambda c: (c.height_cm, c.eye_color.slug, c.build.slug)) == (
        168, "marron", "svelte")


def test_bad_attributes_come_back_with_messages_and_what_was_typed(app, client, login, talent):
    login(talent)
    response = post(client, f"/cinema/profiles/{talent.profile_id}/attributes",
                    {"height_cm": "1680", "eye_color": "purple"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Enter a number between 40 and 250." in html
    assert "Choose from the list." in html
    assert 'value="1680"' in html
    assert cinema_of(app, talent.profile_id, lambda c: c) is None


def test_without_javascript_a_section_saves_and_comes_back_to_the_editor(client, login, talent):
    login(talent)
    response = post(client, f"/cinema/profiles/{talent.profile_id}/attributes", {"height_cm": "abc"}, htmx=False)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "<html" in html and "Enter a whole number." in html
    response = post(client, f"/cinema/profiles/{talent.profile_id}/attributes", {"height_cm": "172"}, htmx=False)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/cinema/profiles/{talent.profile_id}/edit#attributes")


def test_talents_experience_and_languages(app, client, login, talent):
    login(talent)
    assert post(client, f"/cinema/profiles/{talent.profile_id}/talents",
                {"talent_types": ["lead-actor", "model"], "other_talents": ["dancer"]}).status_code == 200
    response = post(client, f"/cinema/profiles/{talent.profile_id}/experience",
                    {"years_of_experience": "5", "previous_productions": "Film X (2022)", "lang_fr": "native",
                     "lang_ar": "fluent", "lang_en": ""})
    assert response.status_code == 200
    with app.app_context():
        cinema = casting.cinema_of(profile_of(talent.profile_id))
        assert [s.slug for s in cinema.talent_types] == ["lead-actor", "model"]
        assert [s.slug for s in cinema.other_talents] == ["dancer"]
        assert cinema.previous_productions == "Film X (2022)"
        assert cinema.profile.years_experience == 5
        assert {(lang.code, lang.level) for lang in cinema.profile.languages} == {("fr", "native"), ("ar", "fluent")}


def test_bad_talents_and_languages_are_explained(client, login, talent):
    login(talent)
    response = post(client, f"/cinema/profiles/{talent.profile_id}/talents", {"talent_types": ["python"]})
    assert response.status_code == 422
    assert "Choose from the list." in response.get_data(as_text=True)
    response = post(client, f"/cinema/profiles/{talent.profile_id}/experience",
                    {"years_of_experience": "200", "lang_fr": "superb"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Enter a number between 0 and 70." in html
    assert "Choose languages and levels from the list." in html


def test_only_a_masked_id_number_is_kept_and_shown(app, client, login, talent):
    login(talent)
    response = post(client, f"/cinema/profiles/{talent.profile_id}/document",
                    {"id_document_type": "cin", "id_document_number": "BE 123 4567"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "BE***67" in html
    assert "1234567" not in html and "BE 123 4567" not in html
    page = editor(client, talent.profile_id).get_data(as_text=True)
    assert "Recorded: BE***67" in page and "1234567" not in page
    # saving again without a number keeps the one recorded
    post(client, f"/cinema/profiles/{talent.profile_id}/document", {"id_document_type": "passport",
                                                                    "id_document_number": ""})
    assert cinema_of(app, talent.profile_id, lambda c: (c.id_document_type.slug, c.id_document_initials)) == (
        "passport", "BE***67")


# Gallery ---------------------------------------------------------------------------------------

def upload(client, profile_id, colour="red", name="photo.png", data=None):
    token = csrf_token(client, "/dashboard")
    body = {"csrf_token": token, "caption": f"A {colour} photo",
            "photo": (io.BytesIO(data if data is not None else f.image_bytes(color=colour)), name)}
    return client.post(f"/cinema/profiles/{profile_id}/gallery", data=body, headers=HX,
                       content_type="multipart/form-data")


def gallery_ids(app, profile_id):
    return cinema_of(app, profile_id, lambda c: [photo.id for photo in c.gallery]) or []


def test_gallery_photos_are_added_reordered_and_removed(app, client, login, talent):
    login(talent)
    pid = talent.profile_id
    for colour in ("red", "green", "blue"):
        assert upload(client, pid, colour).status_code == 200
    ids = gallery_ids(app, pid)
    assert len(ids) == 3
    # drag and drop sends the whole order
    response = post(client, f"/cinema/profiles/{pid}/gallery/order", {"order": f"{ids[2]},{ids[0]},{ids[1]}"})
    assert response.status_code == 200
    assert gallery_ids(app, pid) == [ids[2], ids[0], ids[1]]
    # the arrows do the same without JavaScript
    response = post(client, f"/cinema/profiles/{pid}/gallery/order", {"photo_id": ids[1], "move": "up"}, htmx=False)
    assert response.status_code == 302
    assert gallery_ids(app, pid) == [ids[2], ids[1], ids[0]]
    assert post(client, f"/cinema/profiles/{pid}/gallery/{ids[2]}/remove", {}).status_code == 200
    assert gallery_ids(app, pid) == [ids[1], ids[0]]
    file_id = cinema_of(app, pid, lambda c: c.gallery[0].file_id)
    assert client.get(f"/files/{file_id}").status_code == 200


def test_gallery_refuses_what_is_not_an_image_and_a_thirteenth_photo(client, login, talent):
    login(talent)
    response = upload(client, talent.profile_id, data=b"%PDF-1.4 not an image", name="cv.png")
    assert response.status_code == 422
    assert "JPEG, PNG or WebP" in response.get_data(as_text=True)
    for _n in range(12):
        assert upload(client, talent.profile_id).status_code == 200
    response = upload(client, talent.profile_id)
    assert response.status_code == 422
    assert "The gallery holds 12 photos at most" in response.get_data(as_text=True)


def test_an_order_or_removal_with_someone_else_s_photo_is_refused(app, client, login, talent, make_user):
    other = make_user()
    with app.app_context():
        other_profile_id = directory.profile_of_user(user_of(other)).id
    login(other)
    upload(client, other_profile_id)
    foreign = gallery_ids(app, other_profile_id)[0]
    client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/dashboard")})
    login(talent)
    upload(client, talent.profile_id)
    assert post(client, f"/cinema/profiles/{talent.profile_id}/gallery/order", {"order": f"{foreign}"}).status_code == 422
    assert post(client, f"/cinema/profiles/{talent.profile_id}/gallery/order", {"order": "x,y"}).status_code == 422
    assert post(client, f"/cinema/profiles/{talent.profile_id}/gallery/{foreign}/remove", {}).status_code == 404
    assert gallery_ids(app, other_profile_id) == [foreign]


# Ethnicity: consent, and erasure on withdrawal ----------------------------------------------------

def test_ethnicity_needs_the_consent_box_and_withdrawing_erases_it_at_once(app, client, login, talent):
    login(talent)
    pid = talent.profile_id
    response = post(client, f"/cinema/profiles/{pid}/ethnicity", {"ethnicities": ["arabe"]})
    assert response.status_code == 422
    assert "Tick the consent box" in response.get_data(as_text=True)
    assert not cinema_of(app, pid, lambda c: c.ethnicities)
    response = post(client, f"/cinema/profiles/{pid}/ethnicity",
                    {"ethnicities": ["arabe", "berbere"], "ethnicity_consent": "y"})
    assert response.status_code == 200
    assert "Consent given on" in response.get_data(as_text=True)
    assert cinema_of(app, pid, lambda c: (c.ethnicity_consent_at is not None, len(c.ethnicities))) == (True, 2)
    response = post(client, f"/cinema/profiles/{pid}/ethnicity", {"action": "withdraw"})
    assert response.status_code == 200
    assert "Your consent is withdrawn and your ethnicity is erased." in response.get_data(as_text=True)
    assert cinema_of(app, pid, lambda c: (c.ethnicities, c.ethnicity_consent_at)) == ([], None)


def test_ethnicity_is_shown_to_staff_only_while_consented(app, client, login, talent, recruiter):
    with app.app_context():
        user, profile = user_of(talent), profile_of(talent.profile_id)
        cinema_id = casting.update_cinema(user, profile, {"height_cm": 168}).id
        casting.set_ethnicities(user, profile, ["berbere"], consent=True)
    login(recruiter)
    page = client.get(f"/cinema/talents/{cinema_id}").get_data(as_text=True)
    assert 'data-testid="ethnicities"' in page and "Amazigh (Berber)" in page
    with app.app_context():
        casting.withdraw_ethnicity_consent(user_of(talent), profile_of(talent.profile_id))
    page = client.get(f"/cinema/talents/{cinema_id}").get_data(as_text=True)
    assert "Amazigh (Berber)" not in page


# Minors and their guardian -----------------------------------------------------------------------

def test_a_minor_s_editor_asks_for_a_guardian_and_records_the_consent(app, client, login, recruiter):
    with app.app_context():
        child_id = f.cinema_candidate(user_of(recruiter), "Rayan", "Benani", gender="M", age=12).id
    login(recruiter)
    page = editor(client, child_id).get_data(as_text=True)
    assert 'data-testid="guardian-warning"' in page and "under 16" in page
    response = post(client, f"/cinema/profiles/{child_id}/guardian",
                    {"guardian_name": "Khadija Benani", "guardian_relationship": "mother"})
    assert response.status_code == 422
    assert "consent is needed." in response.get_data(as_text=True)
    response = post(client, f"/cinema/profiles/{child_id}/guardian",
                    {"guardian_name": "Khadija Benani", "guardian_relationship": "mother",
                     "guardian_phone": "+212 6 12 34 56 78", "guardian_consent": "y"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Consent of Khadija Benani recorded on" in html
    assert 'data-testid="guardian-warning"' not in html  # the refreshed status no longer warns
    with app.app_context():
        assert casting.guardian_problem(profile_of(child_id)) is None
    post(client, f"/cinema/profiles/{child_id}/guardian", {"action": "clear"})
    with app.app_context():
        assert casting.guardian_problem(profile_of(child_id)) is not None


def test_a_bad_guardian_contact_is_explained(app, client, login, recruiter):
    with app.app_context():
        child_id = f.cinema_candidate(user_of(recruiter), "Lina", "Sarr", age=14).id
    login(recruiter)
    response = post(client, f"/cinema/profiles/{child_id}/guardian",
                    {"guardian_name": "Awa Sarr", "guardian_email": "not-an-email", "guardian_consent": "y"})
    assert response.status_code == 422
    assert "Enter a valid email address." in response.get_data(as_text=True)


# The staff's talent page ----------------------------------------------------------------------------

def test_the_talent_page_shows_attributes_contact_and_gallery_to_staff(app, client, login, talent, recruiter):
    with app.app_context():
        user, profile = user_of(talent), profile_of(talent.profile_id)
        cinema_id = casting.update_cinema(user, profile, {"height_cm": 168, "eye_color": "vert",
                                                          "talent_types": ["lead-actor"],
                                                          "languages_spoken": ["fr:native"]}).id
        directory.update_profile(user, profile, {"phone": "+212 600 000 000"})
    login(recruiter)
    page = client.get(f"/cinema/talents/{cinema_id}").get_data(as_text=True)
    for text in ("Fatima Benani", "MACAS000001F", "168 cm", "Green", "Lead actor", "French (Native)",
                 "+212 600 000 000", "Nationality: Moroccan", "Shortlist for a role"):
        assert text in page, text


def test_talents_cannot_open_another_talent_s_page(app, client, login, talent, make_user):
    with app.app_context():
        cinema_id = casting.update_cinema(user_of(talent), profile_of(talent.profile_id), {"height_cm": 168}).id
    login(make_user())
    assert client.get(f"/cinema/talents/{cinema_id}").status_code == 403
    assert client.get("/cinema/talents/999999").status_code == 404


def test_no_request_here_ends_in_a_server_error(client, login, talent):
    login(talent)
    pid = talent.profile_id
    for url, data in ((f"/cinema/profiles/{pid}/attributes", {"height_cm": "１６８", "eye_color": "\x00"}),
                      (f"/cinema/profiles/{pid}/experience", {"years_of_experience": "-1", "lang_xx": "fluent"}),
                      (f"/cinema/profiles/{pid}/talents", {"talent_types": ["9999"] * 30}),
                      (f"/cinema/profiles/{pid}/ethnicity", {"ethnicities": ["martian"], "ethnicity_consent": "y"}),
                      (f"/cinema/profiles/{pid}/gallery/order", {"order": ",,,"}),
                      (f"/cinema/profiles/{pid}/gallery/order", {"photo_id": "abc", "move": "up"}),
                      (f"/cinema/profiles/{pid}/guardian", {"guardian_name": "x" * 500})):
        response = post(client, url, data)
        assert response.status_code < 500, (url, response.status_code)
    assert client.get("/cinema/profiles/0/edit").status_code == 404
    assert re.search(r"<title>", editor(client, pid).get_data(as_text=True))
