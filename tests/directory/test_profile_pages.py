"""The profile pages as people use them: a talent's own editor (sections through htmx and
without JavaScript), inline checks, cities by country, photo and CV uploads, the staff
profile page, candidates added, edited and deleted, and who may open what."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import func, select

from tests import factories as f
from tests.conftest import csrf_token
from webapp.directory.models import Profile
from webapp.extensions import db

HX = {"HX-Request": "true"}


@pytest.fixture
def reference(app):
    with app.app_context():
        f.load_reference()
        return {"MA": f.country("MA").id, "RAB": f.city("MA", "RAB").id, "SN": f.country("SN").id,
                "DKR": f.city("SN", "DKR").id, "python": f.skill("python").id,
                "javascript": f.skill("javascript").id, "devops": f.skill("devops").id}


@pytest.fixture
def talent(client, login, make_user, reference):
    user = make_user(full_name="Fatou Diop")
    login(user)
    return user


def post(client, url, data=None, htmx=True, **kwargs):
    data = {"csrf_token": csrf_token(client, "/dashboard"), **(data or {})}
    return client.post(url, data=data, headers=HX if htmx else {}, **kwargs)


def profile_of(app, user) -> Profile:
    with app.app_context():
        profile = db.session.scalar(select(Profile).where(Profile.user_id == user.id))
        db.session.expunge(profile)
        return profile


# The talent's own editor ---------------------------------------------------------------------

def test_my_profile_shows_every_section_the_score_and_how_to_get_a_code(client, talent):
    html = client.get("/profile").get_data(as_text=True)
    for section in ("identity", "contact", "professional", "availability", "links", "skills", "languages",
                    "photo", "cv"):
        assert f'id="section-{section}"' in html, section
    assert 'data-testid="score-value">0%' in html
    assert "Give your nationality, your gender and your city to receive your code." in html
    assert 'href="#photo"' in html  # the next step links to its section
    assert "My profile" in html  # the navigation entry


def test_saving_a_section_through_htmx_answers_with_the_section_score_and_code(app, client, talent, reference):
    response = post(client, "/profile/identity", {
        "first_name": "Fatou", "last_name": "Diop", "gender": "F", "birth_date": "1995-04-12",
        "nationality_id": reference["SN"], "residence_country_id": reference["SN"],
        "residence_city_id": reference["DKR"]})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<form id="section-identity"')
    assert "Saved." in html
    assert 'id="profile-score" class="card mb-3 profile-score" hx-swap-oob="true"' in html
    assert "SNF0001DKR" in html
    assert profile_of(app, talent).code == "SNF0001DKR"


def test_bad_input_comes_back_as_a_422_fragment_with_messages_and_what_was_typed(app, client, talent):
    response = post(client, "/profile/contact", {"phone": "call me maybe", "whatsapp": "+221 77 000 00 00"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "<html" not in html
    assert "Enter a phone number with digits, spaces and an optional leading +." in html
    assert 'value="call me maybe"' in html and 'value="+221 77 000 00 00"' in html
    assert 'aria-invalid="true"' in html
    assert profile_of(app, talent).phone is None


def test_without_javascript_a_section_posts_and_redirects_back(client, talent):
    response = post(client, "/profile/professional", {"headline": "Actrice", "years_experience": "7"}, htmx=False)
    assert response.status_code == 302
    assert response.headers["Location"] == "/profile#professional"
    page = client.get("/profile").get_data(as_text=True)
    assert "Saved." in page and 'value="Actrice"' in page


def test_without_javascript_errors_show_the_whole_page_with_422(client, talent):
    response = post(client, "/profile/links", {"website": "not a site"}, htmx=False)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "<html" in html and "Enter a web address such as https://example.com." in html
    assert 'value="not a site"' in html


def test_a_field_is_checked_as_it_is_left(client, talent):
    response = post(client, "/profile/identity/check", {"_field": "birth_date", "birth_date": "2090-01-01",
                                                        "first_name": "Fatou"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'id="check-birth_date"' in html
    assert "The date of birth cannot be in the future." in html
    fine = post(client, "/profile/identity/check", {"_field": "first_name", "first_name": "Fatou",
                                                    "birth_date": "2090-01-01"})
    wrapper = re.search(r'<div id="check-first_name".*?</div>\s*</div>', fine.get_data(as_text=True), re.S).group(0)
    assert "invalid-feedback" not in wrapper  # only the field being checked gets a message
    assert post(client, "/profile/identity/check", {"_field": "password"}).status_code == 404


def test_choosing_a_country_loads_its_cities(client, talent, reference):
    response = client.get(f"/profile/city-options?residence_country_id={reference['MA']}", headers=HX)
    html = response.get_data(as_text=True)
    assert f'<option value="{reference["RAB"]}">Rabat</option>' in html
    assert "Dakar" not in html
    kept = client.get(f"/profile/city-options?residence_country_id={reference['MA']}"
                      f"&residence_city_id={reference['RAB']}").get_data(as_text=True)
    assert f'<option value="{reference["RAB"]}" selected>Rabat</option>' in kept  # a city chosen first stays
    everything = client.get("/profile/city-options?residence_country_id=").get_data(as_text=True)
    assert '<optgroup label="Senegal">' in everything and "Rabat" in everything


def test_skills_are_added_with_levels_changed_and_removed(app, client, talent, reference):
    post(client, "/profile/skills", {"new_skill": reference["python"], "new_level": "5"})
    post(client, "/profile/skills", {"skill": reference["python"], f"level-{reference['python']}": "4",
                                     "new_skill": reference["devops"], "new_level": "2"})
    with app.app_context():
        profile = db.session.scalar(select(Profile).where(Profile.user_id == talent.id))
        assert sorted((s.skill.slug, s.level) for s in profile.skills) == [("devops", 2), ("python", 4)]
    post(client, "/profile/skills", {"skill": [reference["python"], reference["devops"]],
                                     "remove_skill": reference["devops"]})
    with app.app_context():
        profile = db.session.scalar(select(Profile).where(Profile.user_id == talent.id))
        assert [s.skill.slug for s in profile.skills] == ["python"]
    refused = post(client, "/profile/skills", {"new_skill": "999999"})
    assert refused.status_code == 422 and "Choose skills from the list." in refused.get_data(as_text=True)


def test_languages_with_levels(app, client, talent):
    post(client, "/profile/languages", {"new_language": "fr", "new_language_level": "native"})
    response = post(client, "/profile/languages", {"language": "fr", "level-fr": "native", "new_language": "wo",
                                                   "new_language_level": "fluent"})
    assert response.status_code == 200 and "Wolof" in response.get_data(as_text=True)
    with app.app_context():
        profile = db.session.scalar(select(Profile).where(Profile.user_id == talent.id))
        assert [(lang.code, lang.level) for lang in profile.languages] == [("fr", "native"), ("wo", "fluent")]
    bad = post(client, "/profile/languages", {"new_language": "klingon"})
    assert bad.status_code == 422


def test_photo_is_re_encoded_with_a_thumbnail_and_can_be_removed(app, client, talent):
    response = post(client, "/profile/photo", {"photo": (io.BytesIO(f.image_bytes("JPEG", (800, 600))), "me.jpg")},
                    content_type="multipart/form-data")
    assert response.status_code == 200, response.get_data(as_text=True)[:400]
    html = response.get_data(as_text=True)
    assert 'data-testid="profile-photo"' in html and 'data-testid="profile-thumb"' in html
    profile = profile_of(app, talent)
    image = client.get(f"/files/{profile.photo_file_id}")
    assert image.mimetype == "image/webp"
    assert 'data-testid="score-value">15%' in html
    post(client, "/profile/photo", {"remove": "1"})
    assert profile_of(app, talent).photo_file_id is None


def test_a_disguised_cv_is_refused_with_a_clear_message(app, client, talent):
    response = post(client, "/profile/cv", {"cv": (io.BytesIO(f.image_bytes()), "cv.pdf")},
                    content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Its content decides, not its name." in response.get_data(as_text=True)
    assert profile_of(app, talent).cv_file_id is None
    ok = post(client, "/profile/cv", {"cv": (io.BytesIO(f.pdf_bytes()), "Mon CV.pdf")},
              content_type="multipart/form-data")
    assert ok.status_code == 200 and "Mon CV.pdf" in ok.get_data(as_text=True)


def test_an_upload_over_the_request_limit_gets_a_413_page_with_the_limit(app, client, talent):
    app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    data = {"cv": (io.BytesIO(b"%PDF-" + b"x" * (2 * 1024 * 1024)), "big.pdf")}
    page = post(client, "/profile/cv", data, htmx=False, content_type="multipart/form-data")
    assert page.status_code == 413
    assert "The file is too large. The limit is 1 MB." in page.get_data(as_text=True)
    data = {"cv": (io.BytesIO(b"%PDF-" + b"x" * (2 * 1024 * 1024)), "big.pdf")}
    fragment = post(client, "/profile/cv", data, content_type="multipart/form-data")
    assert fragment.status_code == 413 and fragment.headers["HX-Retarget"] == "#flash-region"


def test_the_score_rises_as_sections_are_filled(app, client, talent, reference):
    before = profile_of(app, talent).profile_score
    post(client, "/profile/professional", {"headline": "Développeuse", "years_experience": "4",
                                           "bio": "x" * 90, "education": "Master"})
    assert profile_of(app, talent).profile_score == before + 30


# Who may open what ---------------------------------------------------------------------------------

def test_anonymous_visitors_are_sent_to_sign_in(client, reference):
    for url in ("/profile", "/directory/1", "/directory/1/edit", "/directory/candidates/new"):
        response = client.get(url)
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"], url
    assert client.post("/profile/contact", data={}).status_code in (302, 400)


def test_a_talent_cannot_open_or_change_anothers_profile(app, client, login, make_user, talent):
    other = make_user()
    other_profile = profile_of(app, other)
    assert client.get(f"/directory/{other_profile.id}").status_code == 403
    assert client.get(f"/directory/{other_profile.id}/edit").status_code == 403
    refused = post(client, f"/directory/{other_profile.id}/edit/contact", {"phone": "+212 600 000 000"})
    assert refused.status_code == 403 and refused.headers["HX-Retarget"] == "#flash-region"
    assert post(client, f"/directory/{other_profile.id}/edit/contact/check", {"_field": "phone"}).status_code == 403
    assert client.get("/directory/candidates/new").status_code == 403
    assert profile_of(app, other).phone is None


def test_my_own_staff_page_leads_to_my_editor(app, client, talent):
    response = client.get(f"/directory/{profile_of(app, talent).id}")
    assert response.status_code == 302 and response.headers["Location"] == "/profile"


def test_staff_do_not_have_a_my_profile_page(client, login, make_user):
    login(make_user(role="recruiter"))
    assert client.get("/profile").status_code == 403
    assert "My profile" not in client.get("/dashboard").get_data(as_text=True)


# The staff profile page --------------------------------------------------------------------------------

def test_a_recruiter_sees_a_talent_with_contact_details_and_documents_but_cannot_edit(
        app, client, login, make_user, reference):
    from werkzeug.datastructures import FileStorage

    owner = make_user(full_name="Amina Tazi")
    with app.app_context():
        from webapp.directory import services as directory

        me = db.session.get(f.User, owner.id)
        profile = f.talent_profile(me, phone="+212 612 345 678", gender="F", nationality_id=reference["MA"],
                                   residence_city_id=reference["RAB"], birth_date="1990-01-01",
                                   skills=[{"skill_id": reference["python"], "level": 4}],
                                   languages=["fr:native"])
        directory.set_cv(me, profile, FileStorage(io.BytesIO(f.pdf_bytes()), "cv-amina.pdf"))
        pid = profile.id
    login(make_user(role="recruiter"))
    html = client.get(f"/directory/{pid}").get_data(as_text=True)
    assert "Amina Tazi" in html and "MAF0001RAB" in html
    assert 'href="mailto:' in html and 'href="tel:+212612345678"' in html
    assert 'href="https://wa.me/212612345678"' in html
    assert "cv-amina.pdf" in html and "Python" in html and "Level 4 of 5" in html
    assert "French" in html and "Native" in html
    assert "years old" in html
    assert f'/directory/{pid}/edit"' not in html  # no Edit button on a talent's own profile
    assert client.get(f"/directory/{pid}/edit").status_code == 403
    cv = re.search(r'href="(/files/\d+)" data-testid="cv-download"', html).group(1)
    assert client.get(cv).status_code == 200


def test_a_recruiter_adds_a_candidate_edits_and_deletes_them(app, client, login, make_user, reference):
    recruiter = make_user(role="recruiter", full_name="Rachid Recruteur")
    login(recruiter)
    assert "Add a candidate" in client.get("/dashboard").get_data(as_text=True)
    created = post(client, "/directory/candidates/new", {
        "first_name": "Youssef", "last_name": "Amrani", "email": "youssef@example.com", "source": "referral",
        "recruiter_notes": "Met at the Casablanca fair.",
        "cv": (io.BytesIO(f.docx_bytes()), "cv.docx")}, htmx=False, content_type="multipart/form-data")
    assert created.status_code == 302, created.get_data(as_text=True)[:500]
    page = client.get(created.headers["Location"]).get_data(as_text=True)
    assert "Youssef Amrani" in page and "Met at the Casablanca fair." in page and "Rachid Recruteur" in page
    assert "Referral" in page and "cv.docx" in page
    pid = int(created.headers["Location"].rsplit("/", 1)[1])
    assert client.get(f"/directory/{pid}/edit").status_code == 200
    saved = post(client, f"/directory/{pid}/edit/notes", {"recruiter_notes": "Called back on Monday."})
    assert saved.status_code == 200 and "Called back on Monday." in saved.get_data(as_text=True)
    contact = post(client, f"/directory/{pid}/edit/contact", {"email": "not-an-email"})
    assert contact.status_code == 422 and "Enter a valid email address." in contact.get_data(as_text=True)
    assert "Are you sure" not in client.get(f"/directory/{pid}/delete").get_data(as_text=True)
    gone = post(client, f"/directory/{pid}/delete", htmx=False)
    assert gone.status_code == 302
    assert client.get(f"/directory/{pid}").status_code == 404


def test_adding_a_candidate_needs_both_names_and_keeps_what_was_typed(app, client, login, make_user, reference):
    login(make_user(role="recruiter"))
    response = post(client, "/directory/candidates/new", {"first_name": "", "last_name": "",
                                                           "phone": "+212 600 000 000", "email": "x@"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert html.count("This field is required.") == 2
    assert "Enter a valid email address." in html and 'value="+212 600 000 000"' in html


def test_a_disguised_cv_adds_no_candidate(app, client, login, make_user, reference):
    login(make_user(role="recruiter"))
    response = post(client, "/directory/candidates/new", {
        "first_name": "Youssef", "last_name": "Amrani", "cv": (io.BytesIO(f.image_bytes()), "cv.pdf")},
        content_type="multipart/form-data")
    assert response.status_code == 422 and "Its content decides, not its name." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(Profile.id))) == 0


def test_admins_hide_show_and_delete_a_talent(app, client, login, make_user, reference):
    owner = make_user()
    pid = profile_of(app, owner).id
    login(make_user(role="admin"))
    html = client.get(f"/directory/{pid}").get_data(as_text=True)
    assert "Deactivate" in html and "Delete" in html
    post(client, f"/directory/{pid}/active", {"active": "0"}, htmx=False)
    assert profile_of(app, owner).is_active is False
    assert "Hidden" in client.get(f"/directory/{pid}").get_data(as_text=True)
    post(client, f"/directory/{pid}/active", {"active": "1"}, htmx=False)
    assert profile_of(app, owner).is_active is True
    assert post(client, f"/directory/{pid}/delete", htmx=False).status_code == 302
    with app.app_context():
        assert db.session.get(f.User, owner.id) is None


def test_recruiters_neither_moderate_nor_delete_talents(app, client, login, make_user, reference):
    pid = profile_of(app, make_user()).id
    login(make_user(role="recruiter"))
    html = client.get(f"/directory/{pid}").get_data(as_text=True)
    assert "Deactivate" not in html and f"/directory/{pid}/delete" not in html
    assert post(client, f"/directory/{pid}/active", {"active": "0"}, htmx=False).status_code == 403
    assert post(client, f"/directory/{pid}/delete", htmx=False).status_code == 403


def test_the_pages_speak_french(app, client, login, make_user, reference):
    login(make_user(locale="fr"))
    html = client.get("/profile").get_data(as_text=True)
    assert "Mon profil" in html and "Identité" in html
