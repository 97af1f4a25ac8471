"""Admin > Invitations: recruiters and consultants are invited by mail; the link works once,
expires, and can be revoked."""

from __future__ import annotations

from datetime import timedelta

from tests.conftest import csrf_token, page_text
from tests.factories import make_invitation
from webapp.accounts.models import User
from webapp.auth.models import Invitation
from webapp.core.db import utcnow
from webapp.extensions import db


def invite(client, email="claire@example.com", role="consultant", full_name="Claire Martin"):
    return client.post("/admin/invitations", data={"email": email, "role": role, "full_name": full_name,
                                                   "csrf_token": csrf_token(client, "/admin/invitations")})


def accept(client, token, full_name="Claire Martin", password="Coach-pass-42", confirm=None):
    path = f"/auth/invite/{token}"
    return client.post(path, data={"full_name": full_name, "password": password, "confirm": confirm or password,
                                   "csrf_token": csrf_token(client)})


def user_by_email(app, email):
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.email == email))
        if user is not None:
            db.session.expunge(user)
        return user


def test_an_admin_invites_a_consultant_by_mail(app, client, login, admin, outbox):
    login(admin)
    response = invite(client)
    assert response.status_code == 302 and response.headers["Location"] == "/admin/invitations"
    text = page_text(client.get("/admin/invitations"))
    assert "Invitation sent to claire@example.com." in text and "waiting" in text
    mail = outbox.last("claire@example.com", "invitation")
    assert "/auth/invite/" in mail.body_text


def test_the_invited_person_joins_with_the_role_and_is_signed_in(app, client, login, admin, outbox):
    login(admin)
    invite(client)
    link = outbox.link("claire@example.com", "invitation")
    guest = app.test_client()
    page = guest.get(link)
    assert page.status_code == 200
    assert "You are invited as consultant with the address claire@example.com." in page_text(page)
    assert 'value="Claire Martin"' in page.get_data(as_text=True)
    response = accept(guest, link.rsplit("/", 1)[1])
    assert response.status_code == 302 and response.headers["Location"] == "/dashboard"
    assert "Welcome to Talentbase, Claire." in page_text(guest.get("/dashboard"))
    user = user_by_email(app, "claire@example.com")
    assert user.role == "consultant" and user.email_verified
    assert "accepted" in page_text(client.get("/admin/invitations"))


def test_an_invitation_works_only_once(app, client, admin):
    with app.app_context():
        _id, token = make_invitation(admin.id, "once@example.com")
    accept(app.test_client(), token)
    again = app.test_client().get(f"/auth/invite/{token}")
    assert again.status_code == 400
    assert "This invitation is not valid any more. Ask the administrator for a new one." in page_text(again)


def test_an_expired_invitation_is_refused(app, client, login, admin):
    with app.app_context():
        invitation_id, token = make_invitation(admin.id, "late@example.com")
        db.session.get(Invitation, invitation_id).expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    response = accept(app.test_client(), token)
    assert response.status_code == 400
    assert user_by_email(app, "late@example.com") is None
    login(admin)
    assert "expired" in page_text(client.get("/admin/invitations"))


def test_a_revoked_invitation_is_refused(app, client, login, admin):
    with app.app_context():
        invitation_id, token = make_invitation(admin.id, "revoked@example.com")
    login(admin)
    response = client.post(f"/admin/invitations/{invitation_id}/revoke",
                           data={"csrf_token": csrf_token(client, "/admin/invitations")})
    assert response.status_code == 302
    text = page_text(client.get("/admin/invitations"))
    assert "The invitation to revoked@example.com is revoked." in text
    assert app.test_client().get(f"/auth/invite/{token}").status_code == 400
    assert accept(app.test_client(), token).status_code == 400
    assert user_by_email(app, "revoked@example.com") is None


def test_revoking_an_unknown_invitation_is_a_404(client, login, admin):
    login(admin)
    response = client.post("/admin/invitations/424242/revoke", data={"csrf_token": csrf_token(client, "/admin/invitations")})
    assert response.status_code == 404


def test_a_made_up_invitation_link_is_refused(client):
    assert client.get("/auth/invite/made-up-token").status_code == 400


def test_only_recruiters_and_consultants_can_be_invited(app, client, login, admin, outbox):
    login(admin)
    response = invite(client, role="admin")
    assert response.status_code == 422
    assert outbox.messages("claire@example.com") == []


def test_someone_with_an_account_cannot_be_invited(client, make_user, login, admin):
    user = make_user()
    login(admin)
    response = invite(client, email=user.email)
    assert response.status_code == 422
    assert "This person already has an account; change their role in the user list." in page_text(response)


def test_an_invalid_email_is_explained(client, login, admin):
    login(admin)
    response = invite(client, email="nope")
    assert response.status_code == 422 and "Enter a valid email address." in page_text(response)


def test_a_weak_password_at_acceptance_is_explained_and_the_link_still_works(app, admin):
    with app.app_context():
        _id, token = make_invitation(admin.id, "weak@example.com")
    guest = app.test_client()
    response = accept(guest, token, password="short")
    assert response.status_code == 422 and "Use at least 8 characters." in page_text(response)
    assert accept(guest, token).status_code == 302


def test_an_address_registered_meanwhile_cannot_accept(app, make_user, admin):
    with app.app_context():
        _id, token = make_invitation(admin.id, "taken@example.com")
    make_user(email="taken@example.com")
    response = accept(app.test_client(), token)
    assert response.status_code == 422
    assert "An account with this email already exists." in page_text(response)


def test_invitations_are_for_admins_only(client, make_user, login):
    login(make_user(role="recruiter"))
    assert client.get("/admin/invitations").status_code == 403
    response = client.post("/admin/invitations", data={"email": "x@example.com", "role": "recruiter",
                                                       "csrf_token": csrf_token(client, "/dashboard")})
    assert response.status_code == 403
