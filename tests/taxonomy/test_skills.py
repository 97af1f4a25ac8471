"""The skills taxonomy as admins manage it: checks, search and filters, deactivate and
delete (and what profiles that carry the skill become), and the admin pages."""

from __future__ import annotations

import pytest

from tests import factories as f
from tests.conftest import csrf_token
from tests.directory.publishing_helpers import detach
from webapp.core.errors import Forbidden, ValidationFailed
from webapp.directory import services as directory
from webapp.extensions import db
from webapp.taxonomy import services as taxonomy
from webapp.taxonomy.models import Skill

GOOD = {"name_en": "Stage combat", "name_fr": "Combat scénique", "category_en": "Acting",
        "category_fr": "Interprétation", "emoji": "⚔️", "tag": "cinema", "synonyms": "fight\ncascade\n\nFIGHT\n"}


@pytest.fixture
def admin(ctx):
    f.load_reference()
    return f.make_user(role="admin")


def test_an_admin_creates_a_skill_with_a_slug_and_clean_synonyms(admin):
    skill = taxonomy.create_skill(admin, GOOD)
    assert skill.slug == "stage-combat"
    assert skill.synonym_list == ["fight", "cascade"]
    again = taxonomy.create_skill(admin, {**GOOD, "name_en": "Stage  combat!", "name_fr": "Combat de scène"})
    assert again.slug == "stage-combat-2"


def test_names_are_unique_whatever_their_case_and_accents(admin):
    taxonomy.create_skill(admin, GOOD)
    with pytest.raises(ValidationFailed) as error:
        taxonomy.create_skill(admin, {**GOOD, "name_en": "STAGE COMBAT", "name_fr": "combat scenique"})
    assert set(error.value.fields) == {"name_en", "name_fr"}


def test_every_problem_is_reported_at_once(admin):
    with pytest.raises(ValidationFailed) as error:
        taxonomy.create_skill(admin, {"name_en": "x" * 81, "name_fr": "", "category_en": "Acting",
                                      "category_fr": "", "emoji": "ab", "tag": "music",
                                      "synonyms": "y" * 81})
    assert set(error.value.fields) == {"name_en", "name_fr", "category_fr", "emoji", "tag", "synonyms"}


def test_the_emoji_is_optional(admin):
    assert taxonomy.create_skill(admin, {**GOOD, "emoji": ""}).emoji == ""


def test_only_admins_manage_skills(admin):
    for role in ("talent", "recruiter", "consultant"):
        with pytest.raises(Forbidden):
            taxonomy.create_skill(f.make_user(role=role), GOOD)


def test_search_covers_both_names_and_synonyms_without_accents(admin):
    def slugs(**criteria):
        return {s.slug for s in taxonomy.search_skills(taxonomy.SkillCriteria(**criteria))}

    assert "machine-learning" in slugs(q="intelligence artificielle")
    assert "machine-learning" in slugs(q="APPRENTISSAGE")
    assert "graphic-design" in slugs(q="graphiste")
    tech = slugs(category="Technologie")
    assert tech == slugs(category="technology") and "python" in tech and "graphic-design" not in tech
    assert all(s.tag == "cinema" for s in taxonomy.search_skills(taxonomy.SkillCriteria(tag="cinema")))


def test_deactivating_keeps_the_skill_on_profiles(admin):
    python = f.skill("python")
    profile = f.talent_profile(f.make_user(), skills=[{"skill_id": python.id, "level": 3}])
    taxonomy.set_skill_active(admin, python, False)
    assert [link.skill_id for link in profile.skills] == [python.id]
    assert python not in taxonomy.skills()
    assert {s.slug for s in taxonomy.search_skills(taxonomy.SkillCriteria(active="no"))} == {"python"}


def test_deleting_removes_it_from_profiles_and_their_search_text(admin):
    python = f.skill("python")
    profiles = [f.talent_profile(f.make_user(), skills=[{"skill_id": python.id, "level": 4}]) for _ in range(3)]
    assert all("python" in p.search_text for p in profiles)
    assert directory.skill_usage_counts()[python.id] == 3
    assert taxonomy.delete_skill(admin, python) == 3
    db.session.expire_all()
    assert db.session.get(Skill, python.id) is None
    for profile in profiles:
        assert profile.skills == [] and "python" not in profile.search_text


def test_renaming_refreshes_the_search_text_of_profiles(admin):
    python = f.skill("python")
    profile = f.talent_profile(f.make_user(), skills=[{"skill_id": python.id, "level": 4}])
    taxonomy.update_skill(admin, python, {"name_en": "Python 3", "name_fr": "Python trois"})
    db.session.expire_all()
    assert "python trois" in profile.search_text


# The admin pages -------------------------------------------------------------------------------------

@pytest.fixture
def signed_in_admin(app, client, login):
    with app.app_context():
        f.load_reference()
        user = detach(f.make_user(role="admin"))
    login(user)
    return client


def test_the_list_filters_and_shows_how_many_profiles_have_each_skill(app, signed_in_admin):
    with app.app_context():
        python = f.skill("python")
        f.talent_profile(f.make_user(), skills=[{"skill_id": python.id, "level": 4}])
    html = signed_in_admin.get("/admin/skills?q=django").get_data(as_text=True)
    assert "1 skill" in html and "Python" in html and '<td class="text-end" data-testid="usage">1</td>' in html
    fragment = signed_in_admin.get("/admin/skills?tag=cinema", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert fragment.lstrip().startswith('<div id="skills-table">') and "Python" not in fragment
    assert "Skills" in signed_in_admin.get("/admin/users").get_data(as_text=True)  # the tab


def test_the_form_creates_and_keeps_what_was_typed_when_wrong(app, signed_in_admin):
    token = csrf_token(signed_in_admin, "/admin/skills/new")
    bad = signed_in_admin.post("/admin/skills/new", data={**GOOD, "name_fr": "", "csrf_token": token, "is_active": "y"})
    assert bad.status_code == 422
    html = bad.get_data(as_text=True)
    assert "This field is required." in html and 'value="Stage combat"' in html
    good = signed_in_admin.post("/admin/skills/new", data={**GOOD, "csrf_token": token, "is_active": "y"})
    assert good.status_code == 302
    with app.app_context():
        skill = f.skill("stage-combat")
        assert skill.is_active and skill.name_fr == "Combat scénique"
        skill_id = skill.id
    edit = signed_in_admin.post(f"/admin/skills/{skill_id}/edit", data={**GOOD, "emoji": "", "csrf_token": token})
    assert edit.status_code == 302
    with app.app_context():
        assert db.session.get(Skill, skill_id).emoji == "" and not db.session.get(Skill, skill_id).is_active


def test_delete_asks_first_with_the_number_of_profiles(app, signed_in_admin):
    with app.app_context():
        python = f.skill("python")
        for _ in range(2):
            f.talent_profile(f.make_user(), skills=[{"skill_id": python.id, "level": 4}])
        skill_id = python.id
    page = signed_in_admin.get(f"/admin/skills/{skill_id}/delete").get_data(as_text=True)
    assert "2 profiles will lose this skill." in page
    with app.app_context():
        assert db.session.get(Skill, skill_id) is not None  # nothing changed on GET
    response = signed_in_admin.post(f"/admin/skills/{skill_id}/delete",
                                    data={"csrf_token": csrf_token(signed_in_admin, "/admin/skills")})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Skill, skill_id) is None


@pytest.mark.parametrize("role", ["talent", "recruiter", "consultant"])
def test_only_admins_open_the_skills_pages(app, client, login, make_user, role):
    login(make_user(role=role))
    assert client.get("/admin/skills").status_code == 403
    assert client.get("/admin/skills/new").status_code == 403
