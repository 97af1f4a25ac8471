"""Productions and casting projects as casting agents use them: creating a production (and
owning it), adding recruiters, the verified badge, projects with roles, shortlisting a talent
from their page, moving them through the stages, and nobody reaching another production's
projects by page or fragment."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests import factories as f
from tests.conftest import csrf_token
from webapp.accounts.models import User
from webapp.casting import services as casting
from webapp.casting.models import Assignment, CastingProject, ProjectRole
from webapp.directory.models import Profile
from webapp.extensions import db
from webapp.organisations.models import Organisation

HX = {"HX-Request": "true"}


@pytest.fixture
def world(app):
    """Two casting agents of two productions, an admin, a talent with cinema details, a minor."""
    with app.app_context():
        f.load_reference()
        owner = f.make_user(role="recruiter", full_name="Youssef El Amrani")
        rival = f.make_user(role="recruiter", full_name="Claire Dubois")
        admin = f.make_user(role="admin")
        production, project, role = f.production_with_role(owner)
        _rival_production, rival_project, rival_role = f.production_with_role(rival, "Lagune Films", "Nuit d'Abidjan")
        actress = f.cinema_candidate(owner, "Fatima", "Benani", height_cm=168, talent_types=["lead-actor"])
        child = f.cinema_candidate(owner, "Rayan", "Benani", gender="M", age=12)
        keep = lambda user: SimpleNamespace(id=user.id, email=user.email)  # noqa: E731
        return SimpleNamespace(
            owner=keep(owner), rival=keep(rival), admin=keep(admin), production_id=production.id,
            project_id=project.id, role_id=role.id, rival_project_id=rival_project.id, rival_role_id=rival_role.id,
            actress_id=actress.id, actress_cinema_id=casting.cinema_of(actress).id, child_id=child.id)


def post(client, url, data=None, htmx=True, headers=None, **kwargs):
    token = csrf_token(client, "/dashboard")
    return client.post(url, data={"csrf_token": token, **(data or {})},
                       headers={**(HX if htmx else {}), **(headers or {})}, **kwargs)


def user(who):
    return db.session.get(User, who.id)


# Productions ---------------------------------------------------------------------------------

def test_a_recruiter_creates_a_production_and_becomes_its_owner(app, client, login, world):
    login(world.rival)
    response = post(client, "/cinema/productions/new", {"name": "", "founded_year": "1700"}, htmx=False)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "This field is required." in html and "Enter a number between 1850" in html
    response = post(client, "/cinema/productions/new", {
        "name": "Teranga Pictures", "description": "Courts métrages", "founded_year": "2016", "size": "11-50",
        "website": "teranga.example.com"}, htmx=False)
    assert response.status_code == 302
    with app.app_context():
        made = db.session.scalar(db.select(Organisation).where(Organisation.name == "Teranga Pictures"))
        assert made.website == "https://teranga.example.com"
        assert [(m.user_id, m.role) for m in made.members] == [(world.rival.id, "owner")]
        made_id = made.id
    page = client.get(f"/cinema/productions/{made_id}").get_data(as_text=True)
    assert "Teranga Pictures" in page and "Claire Dubois" in page and "owner" in page


def test_the_production_list_and_page_show_what_the_seed_lists(client, login, world):
    login(world.rival)
    listing = client.get("/cinema/productions?q=atlas").get_data(as_text=True)
    assert "Atlas Productions" in listing and "Lagune Films" not in listing
    page = client.get(f"/cinema/productions/{world.production_id}").get_data(as_text=True)
    assert "Atlas Productions" in page and "Youssef El Amrani" in page
    # another production's recruiter sees the company, not its projects, and cannot edit it
    assert "Le Désert Blanc" not in page
    assert "Only the recruiters of this production see its projects." in page
    assert client.get(f"/cinema/productions/{world.production_id}/edit").status_code == 403
    assert post(client, f"/cinema/productions/{world.production_id}/members",
                {"email": world.rival.email}).status_code == 403


def test_owners_add_recruiters_by_email_with_clear_refusals(app, client, login, world, make_user):
    newcomer = make_user(role="recruiter", full_name="Moussa Ndiaye")
    talent = make_user()
    login(world.owner)
    url = f"/cinema/productions/{world.production_id}/members"
    for email, message in (("nobody@example.com", "Nobody has an account with this email."),
                           (talent.email, "Only recruiters can join a production."),
                           ("not an email", "Enter a valid email address."),
                           (world.owner.email, "already works for this production.")):
        response = post(client, url, {"email": email})
        assert response.status_code == 422, email
        assert message in response.get_data(as_text=True), email
    response = post(client, url, {"email": newcomer.email.upper()})
    assert response.status_code == 200
    assert "Moussa Ndiaye" in response.get_data(as_text=True)
    client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/dashboard")})
    login(newcomer)
    assert client.get(f"/cinema/projects/{world.project_id}").status_code == 200


def test_only_admins_verify_a_production(app, client, login, world):
    login(world.owner)
    assert 'data-testid="verify"' not in client.get(f"/cinema/productions/{world.production_id}").get_data(as_text=True)
    assert post(client, f"/cinema/productions/{world.production_id}/verify", {"verified": "1"},
                htmx=False).status_code == 403
    client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/dashboard")})
    login(world.admin)
    assert post(client, f"/cinema/productions/{world.production_id}/verify", {"verified": "1"},
                htmx=False).status_code == 302
    page = client.get(f"/cinema/productions/{world.production_id}").get_data(as_text=True)
    assert "Verified" in page
    with app.app_context():
        assert db.session.get(Organisation, world.production_id).verified_at is not None


def test_a_logo_is_uploaded_and_served_to_casting_staff_only(client, login, world, make_user):
    import io

    login(world.owner)
    token = csrf_token(client, "/dashboard")
    response = client.post(f"/cinema/productions/{world.production_id}/logo", content_type="multipart/form-data",
                           data={"csrf_token": token, "logo": (io.BytesIO(f.image_bytes(size=(60, 60))), "logo.png")})
    assert response.status_code == 302
    assert client.get(f"/cinema/productions/{world.production_id}/logo").status_code == 200
    client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/dashboard")})
    login(world.rival)
    assert client.get(f"/cinema/productions/{world.production_id}/logo").status_code == 200
    client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/dashboard")})
    login(make_user())
    assert client.get(f"/cinema/productions/{world.production_id}/logo").status_code == 403


# Projects ---------------------------------------------------------------------------------------

def test_a_project_is_created_for_one_of_my_productions_with_checked_dates(app, client, login, world):
    login(world.owner)
    page = client.get("/cinema/projects/new").get_data(as_text=True)
    assert "Atlas Productions" in page and "Lagune Films" not in page
    response = post(client, "/cinema/projects/new", {
        "name": "Sahara Blues", "production_id": str(world.production_id), "status": "casting",
        "start_date": "2027-05-01", "end_date": "2027-04-01", "production_type": "serie"}, htmx=False)
    assert response.status_code == 422
    assert "The end date must not be before the start date." in response.get_data(as_text=True)
    assert 'value="Sahara Blues"' in response.get_data(as_text=True)
    # someone else's production is refused even when forged into the form
    response = post(client, "/cinema/projects/new", {"name": "Forged", "production_id": "999", "status": "casting"},
                    htmx=False)
    assert response.status_code == 422
    assert "Choose one of your productions." in response.get_data(as_text=True)
    response = post(client, "/cinema/projects/new", {
        "name": "Sahara Blues", "production_id": str(world.production_id), "status": "casting",
        "start_date": "2027-04-01", "end_date": "2027-05-01", "production_type": "serie",
        "shooting_locations": "Merzouga"}, htmx=False)
    assert response.status_code == 302
    project_page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Sahara Blues" in project_page and "PRJ-003" in project_page and "TV series" in project_page


def test_a_recruiter_without_a_production_is_sent_to_create_one(client, login, make_user, world):
    login(make_user(role="recruiter"))
    response = client.get("/cinema/projects/new")
    assert response.status_code == 302 and response.headers["Location"].endswith("/cinema/productions/new")


def test_the_project_list_filters_by_status_and_production(client, login, world):
    login(world.owner)
    listing = client.get("/cinema/projects").get_data(as_text=True)
    assert "Le Désert Blanc" in listing and "Nuit d&#39;Abidjan" not in listing
    assert "Le Désert Blanc" not in client.get("/cinema/projects?status=termine").get_data(as_text=True)
    fragment = client.get(f"/cinema/projects?production_id={world.production_id}", headers=HX)
    assert fragment.get_data(as_text=True).lstrip().startswith('<div id="projects-list">')
    assert client.get("/cinema/projects?status=nonsense&production_id=abc").status_code == 200


def test_admins_see_every_project(client, login, world):
    login(world.admin)
    listing = client.get("/cinema/projects").get_data(as_text=True)
    assert "Le Désert Blanc" in listing and "Nuit d&#39;Abidjan" in listing
    assert client.get(f"/cinema/projects/{world.rival_project_id}").status_code == 200


def test_another_production_s_project_is_closed_by_page_and_by_fragment(app, client, login, world):
    login(world.owner)
    with app.app_context():
        casting.assign(user(world.rival), db.session.get(ProjectRole, world.rival_role_id),
                       db.session.get(Profile, world.actress_id))
        assignment_id = db.session.scalar(db.select(Assignment.id).where(Assignment.role_id == world.rival_role_id))
    assert client.get(f"/cinema/projects/{world.rival_project_id}").status_code == 403
    assert client.get(f"/cinema/projects/{world.rival_project_id}/edit").status_code == 403
    assert client.get(f"/cinema/roles/{world.rival_role_id}/edit").status_code == 403
    for url, data in ((f"/cinema/projects/{world.rival_project_id}/roles", {"name": "Intrus"}),
                      (f"/cinema/roles/{world.rival_role_id}/delete", {}),
                      (f"/cinema/assignments/{assignment_id}/stage", {"stage": "booked"}),
                      (f"/cinema/assignments/{assignment_id}/remove", {}),
                      (f"/cinema/profiles/{world.actress_id}/shortlist", {"role_id": str(world.rival_role_id)})):
        response = post(client, url, data)
        assert response.status_code == 403, url
        assert response.headers.get("HX-Retarget") == "#flash-region"
    with app.app_context():
        assignment = db.session.get(Assignment, assignment_id)
        assert assignment.stage == "shortlisted" and db.session.get(ProjectRole, world.rival_role_id) is not None
    # and a talent sees no project at all
    client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/dashboard")})


def test_talents_have_no_casting_pages(client, login, make_user, world):
    login(make_user())
    for url in ("/cinema/projects", f"/cinema/projects/{world.project_id}", "/cinema/productions",
                f"/cinema/productions/{world.production_id}", "/cinema/search"):
        assert client.get(url).status_code == 403, url


def test_roles_are_added_edited_and_deleted(app, client, login, world):
    login(world.owner)
    response = post(client, f"/cinema/projects/{world.project_id}/roles",
                    {"name": "Figuration", "talent_type": "extra", "gender": "any", "age_min": "40", "age_max": "20"})
    assert response.status_code == 422
    assert "The maximum must not be below the minimum." in response.get_data(as_text=True)
    response = post(client, f"/cinema/projects/{world.project_id}/roles",
                    {"name": "Figuration", "talent_type": "extra", "gender": "any", "age_min": "20", "age_max": "60",
                     "positions": "30"}, htmx=False)
    assert response.status_code == 302
    with app.app_context():
        role = db.session.scalar(db.select(ProjectRole).where(ProjectRole.name == "Figuration"))
        role_id, position = role.id, role.position
    assert position == 1
    assert client.get(f"/cinema/roles/{role_id}/edit").status_code == 200
    assert post(client, f"/cinema/roles/{role_id}/edit", {"name": "Figuration (village)", "gender": "F",
                                                          "positions": "25"}, htmx=False).status_code == 302
    page = client.get(f"/cinema/projects/{world.project_id}").get_data(as_text=True)
    assert "Figuration (village)" in page and "25 positions" in page
    assert post(client, f"/cinema/roles/{role_id}/delete", htmx=False).status_code == 302
    with app.app_context():
        assert db.session.get(ProjectRole, role_id) is None


# Shortlisting and stages ---------------------------------------------------------------------------

def test_a_talent_is_shortlisted_from_their_page_and_moved_through_the_stages(app, client, login, world):
    login(world.owner)
    talent_page = client.get(f"/cinema/talents/{world.actress_cinema_id}").get_data(as_text=True)
    assert "Shortlist for…" in talent_page and "Protagoniste" in talent_page
    assert f'value="{world.rival_role_id}"' not in talent_page  # only my open roles are offered
    response = post(client, f"/cinema/profiles/{world.actress_id}/shortlist", {"role_id": str(world.role_id)})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Le Désert Blanc · Protagoniste" in html and "Shortlisted" in html
    again = post(client, f"/cinema/profiles/{world.actress_id}/shortlist", {"role_id": str(world.role_id)})
    assert again.status_code in (200, 409)
    with app.app_context():
        assignment = db.session.scalar(db.select(Assignment).where(Assignment.role_id == world.role_id))
        assignment_id, code = assignment.id, assignment.code
    assert code == "PRJ-001-001"
    project_page = client.get(f"/cinema/projects/{world.project_id}").get_data(as_text=True)
    assert "PRJ-001-001" in project_page and "Fatima Benani" in project_page
    response = post(client, f"/cinema/assignments/{assignment_id}/stage", {"stage": "contacted",
                                                                          "note": "Called on Monday"})
    assert response.status_code == 200
    fragment = response.get_data(as_text=True)
    assert fragment.lstrip().startswith(f'<li class="list-group-item px-0 assignment" id="assignment-{assignment_id}"')
    assert "Contacted" in fragment and "Called on Monday" in fragment and "History (2 steps)" in fragment
    post(client, f"/cinema/assignments/{assignment_id}/stage", {"stage": "auditioned"})
    post(client, f"/cinema/assignments/{assignment_id}/stage", {"stage": "booked"})
    bad = post(client, f"/cinema/assignments/{assignment_id}/stage", {"stage": "famous"})
    assert bad.status_code == 422 and "Choose one of the options." in bad.get_data(as_text=True)
    with app.app_context():
        history = [e.stage for e in db.session.get(Assignment, assignment_id).history]
    assert history == ["shortlisted", "contacted", "auditioned", "booked"]
    response = post(client, f"/cinema/assignments/{assignment_id}/remove")
    assert response.status_code == 200 and "Removed from the role." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Assignment, assignment_id) is None


def test_shortlisting_without_javascript_goes_back_to_the_page(client, login, world):
    login(world.owner)
    response = post(client, f"/cinema/profiles/{world.actress_id}/shortlist", {"role_id": str(world.role_id)},
                    htmx=False, headers={"Referer": f"http://localhost/cinema/talents/{world.actress_cinema_id}"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/cinema/talents/{world.actress_cinema_id}")
    response = post(client, f"/cinema/profiles/{world.actress_id}/shortlist", {"role_id": ""}, htmx=False)
    assert response.status_code == 302  # back, with the message flashed


def test_a_minor_without_a_guardian_s_consent_cannot_be_shortlisted(app, client, login, world):
    login(world.owner)
    response = post(client, f"/cinema/profiles/{world.child_id}/shortlist", {"role_id": str(world.role_id)})
    assert response.status_code == 422
    assert "under 16" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(Assignment).where(Assignment.profile_id == world.child_id)) is None


def test_stage_moves_on_a_closed_project_still_need_the_right_production(app, client, login, world):
    with app.app_context():
        project = db.session.get(CastingProject, world.project_id)
        casting.update_project(user(world.owner), project, {"status": "termine"})
    login(world.owner)
    page = client.get(f"/cinema/talents/{world.actress_cinema_id}").get_data(as_text=True)
    assert "No open role to shortlist for." in page
