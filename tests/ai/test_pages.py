"""The AI casting and AI search pages as a casting agent and a recruiter see them: results
with their reasons (in French for a French user), fragments for htmx, shortlisting, rights."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests import factories as f
from tests.conftest import csrf_token, page_text
from webapp.casting.models import Assignment
from webapp.extensions import db

HX = {"HX-Request": "true"}


@pytest.fixture
def agent(client, login, world):
    login(world.recruiter)
    return client


@pytest.fixture
def cast_list(world):
    return vars(world)


def assignments(app) -> list[tuple[int, int, str]]:
    with app.app_context():
        return [(a.profile_id, a.role_id, a.stage) for a in db.session.query(Assignment).all()]


def post_cast(client, path="/cinema/ai-search", headers=None, **fields):
    data = {"csrf_token": csrf_token(client, "/cinema/ai-casting"), **fields}
    return client.post(path, data=data, headers=headers or {})


def test_the_page_shows_the_form_and_the_nav_entry(agent):
    response = agent.get("/cinema/ai-casting")
    assert response.status_code == 200
    text = page_text(response)
    assert "AI casting" in text and "Role description" in text and "Find talents" in text
    assert 'href="/cinema/ai-casting"' in response.get_data(as_text=True)


def test_a_role_description_ranks_the_talent_who_fits_first_with_reasons(agent, cast_list):
    response = post_cast(agent, role_description="Actrice 25-35 ans, parlant arabe et anglais, cheveux bouclés")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    text = page_text(response)
    assert "Fatima Benani" in text and "Amina Rami" not in text and "Karim Tazi" not in text
    assert "Read from your text: woman, 25–35 years old, speaks Arabic and English" in text
    assert "Gender: woman" in text and "Age 25–35" in text and "Speaks Arabic and English" in text
    assert "Hair type: curly" in text and "28 years old" in text
    assert 'data-testid="score"' in html and "1 talent fits" in text


def test_reasons_are_in_french_for_a_french_user(client, login, world):
    login(world.french)
    text = page_text(post_cast(client, role_description="Actrice 25-35 ans, parlant arabe et anglais, cheveux bouclés"))
    assert "Lu dans votre texte" in text
    assert "femme" in text and "parle anglais et arabe" in text
    assert "Type de cheveux : bouclés" in text and "Âge 25–35 — 28 ans" in text
    assert "Speaks" not in text and "Read from your text" not in text


def test_htmx_gets_the_panel_fragment_alone(agent):
    response = post_cast(agent, headers=HX, role_description="Actrice")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.lstrip().startswith('<div class="ai-panel') and "<html" not in html
    assert "HX-Request" in response.headers.get("Vary", "")


def test_filters_hold_and_are_shown(agent, cast_list):
    text = page_text(post_cast(agent, role_description="Acteur ou actrice", gender="M"))
    assert "Karim Tazi" in text and "Fatima Benani" not in text
    assert "Gender: man" in text


def test_empty_or_wrong_input_is_a_422_that_keeps_what_was_typed(agent):
    response = post_cast(agent, role_description="  ", age_min="40", age_max="20", skin_tone="purple")
    assert response.status_code == 422
    text = page_text(response)
    assert "Describe what you are looking for." in text
    assert "The maximum must not be below the minimum." in text
    assert "Unknown value: purple" in text
    assert 'value="40"' in response.get_data(as_text=True)


def test_shortlisting_a_result_into_an_open_role(app, agent, cast_list, world):
    open_role = SimpleNamespace(id=world.role_id)
    response = post_cast(agent, role_description="Actrice 25-35 ans")
    assert "Shortlist for…" in page_text(response) and "Protagoniste" in page_text(response)
    token = csrf_token(agent, "/cinema/ai-casting")
    answer = agent.post("/cinema/ai-casting/shortlist", headers=HX,
                        data={"csrf_token": token, "role_id": open_role.id, "profile_id": cast_list["fits"]})
    assert answer.status_code == 200
    assert "Shortlisted for Protagoniste" in page_text(answer)
    assert assignments(app) == [(cast_list["fits"], open_role.id, "shortlisted")]
    again = agent.post("/cinema/ai-casting/shortlist", headers=HX,
                       data={"csrf_token": token, "role_id": open_role.id, "profile_id": cast_list["fits"]})
    assert again.status_code == 409


def test_shortlisting_without_javascript_comes_back_to_the_results(agent, cast_list, world):
    open_role = SimpleNamespace(id=world.role_id)
    token = csrf_token(agent, "/cinema/ai-casting")
    back = "/cinema/ai-casting?role_description=Actrice"
    answer = agent.post("/cinema/ai-casting/shortlist", data={"csrf_token": token, "role_id": open_role.id,
                                                              "profile_id": cast_list["fits"], "next": back})
    assert answer.status_code == 302 and answer.headers["Location"].endswith(back)
    page = agent.get(back)
    assert "is shortlisted for Protagoniste" in page_text(page)
    assert "Shortlisted for Protagoniste (Le Désert Blanc)" in page_text(page)


def test_someone_elses_role_cannot_be_used(app, client, login, cast_list, world):
    open_role = SimpleNamespace(id=world.role_id)
    login(world.other)
    token = csrf_token(client, "/cinema/ai-casting")
    answer = client.post("/cinema/ai-casting/shortlist", headers=HX,
                         data={"csrf_token": token, "role_id": open_role.id, "profile_id": cast_list["fits"]})
    assert answer.status_code == 403
    assert assignments(app) == []


def test_find_talents_for_a_role_prefills_and_searches(agent, cast_list, world):
    response = agent.get(f"/cinema/ai-casting?role_id={world.role_id}")
    assert response.status_code == 200
    html, text = response.get_data(as_text=True), page_text(response)
    assert "Une cavalière, parle arabe et anglais" in html
    assert '<option value="F" selected>' in html and 'value="25"' in html
    assert "Fatima Benani" in text and "Amina Rami" not in text


def test_talents_and_anonymous_visitors_are_kept_out(client, login, world):
    assert client.get("/cinema/ai-casting").status_code == 302
    assert client.get("/directory/ai-search").status_code == 302
    login(world.talent)
    assert client.get("/cinema/ai-casting").status_code == 403
    assert client.get("/directory/ai-search").status_code == 403
    token = csrf_token(client, "/dashboard")
    assert client.post("/cinema/ai-search", data={"csrf_token": token, "role_description": "x"}).status_code == 403
    assert client.post("/ai-search", data={"csrf_token": token, "job_description": "x"}).status_code == 403


def test_the_forms_need_their_csrf_token(agent):
    assert agent.post("/cinema/ai-search", data={"role_description": "Actrice"}).status_code == 400


# AI search ----------------------------------------------------------------------------------------

def post_search(client, headers=None, **fields):
    data = {"csrf_token": csrf_token(client, "/directory/ai-search"), **fields}
    return client.post("/ai-search", data=data, headers=headers or {}, content_type="multipart/form-data")


def test_a_job_description_lists_profiles_with_matched_and_missing_skills(agent, cast_list):
    response = post_search(agent, job_description="Développeur Python et JavaScript, Django, 5 ans d'expérience")
    assert response.status_code == 200
    text = page_text(response)
    assert "Omar Dev" in text
    assert "Python · 5/5" in text and "Missing: JavaScript" in text
    assert "Skills: Python (level 5, Expert)" in text


def test_the_search_filters_by_country_and_experience(agent, cast_list):
    assert "Omar Dev" not in page_text(post_search(agent, job_description="Python", country="SN"))
    assert "Omar Dev" in page_text(post_search(agent, job_description="Python", country="MA", experience_min="5"))
    assert "Omar Dev" not in page_text(post_search(agent, job_description="Python", experience_min="10"))


def test_a_job_description_uploaded_as_a_file_is_read(agent, cast_list):
    from io import BytesIO

    from tests.ai.test_extract import docx_bytes

    response = post_search(agent, file=(BytesIO(docx_bytes("Développeur Python", "Django et PostgreSQL")),
                                        "offre.docx"))
    assert response.status_code == 200
    text = page_text(response)
    assert "Text read from offre.docx" in text and "Omar Dev" in text


def test_a_png_named_pdf_is_refused_on_the_page(agent):
    from io import BytesIO

    response = post_search(agent, file=(BytesIO(f.image_bytes()), "offre.pdf"))
    assert response.status_code == 422
    assert "not an accepted type" in page_text(response)


def test_an_oversized_file_is_refused_on_the_page_and_the_text_stays(agent):
    from io import BytesIO

    response = post_search(agent, job_description="Comptable", file=(BytesIO(b"x" * (5 * 1024 * 1024 + 1)), "big.txt"))
    assert response.status_code == 413
    assert "The file is too large" in page_text(response) and ">Comptable</textarea>" in response.get_data(as_text=True)
