"""Admin > Email templates: an administrator's version of a mail, per language, checked in a
sandbox, previewed with sample values, and used by the real mails; a broken version never
stops a mail (the file template goes out instead)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.conftest import bearer, csrf_token, page_text
from webapp.audit.models import AuditEvent
from webapp.extensions import db
from webapp.mail.models import EmailTemplate

RESET = "/admin/email-templates/password_reset"


def save(client, path, **data):
    return client.post(path, data={**data, "csrf_token": csrf_token(client, path)})


def reset_mail(app, outbox, email):
    visitor = app.test_client()
    visitor.post("/auth/forgot-password", data={"email": email,
                                                "csrf_token": csrf_token(visitor, "/auth/forgot-password")})
    return outbox.last(email, "password_reset")


def store(app, **fields):
    with app.app_context():
        db.session.add(EmailTemplate(**fields))
        db.session.commit()


def test_the_list_holds_every_mail_the_site_sends(client, login, admin):
    login(admin)
    text = page_text(client.get("/admin/email-templates"))
    for name in ("verify_email", "password_reset", "password_changed", "invitation", "email_change",
                 "email_changed_notice"):
        assert name in text
    assert "Original" in text


def test_the_editor_starts_from_the_original_text_with_its_variables(client, login, admin):
    login(admin)
    response = client.get(f"{RESET}/fr")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Choisissez un nouveau mot de passe" in html  # the French subject of the file template
    assert "{{ link }}" in html and "{{ minutes }}" in html and "{{ name }}" in html
    assert "the link the mail asks to open" in page_text(response)
    assert 'src="/admin/email-templates/password_reset/fr/preview"' in html


def test_a_saved_version_is_used_by_the_real_mail_in_its_language(app, client, login, admin, make_user, outbox):
    login(admin)
    response = save(client, f"{RESET}/en", subject="{{ site_name }}: reset for {{ name|upper }}",
                    body_text="Hi {{ name }},\n\nUse {{ link }} within {{ minutes }} minutes.\n"
                              "{% if email %}Sent to {{ email }}.{% endif %}", body_html="")
    assert response.status_code == 302
    english = make_user(email="sam@example.com", full_name="Sam <b>Smith</b>")
    mail = reset_mail(app, outbox, english.email)
    assert mail.subject == "Talentbase: reset for SAM"
    assert mail.body_text.startswith("Hi Sam,\n\nUse http") and "within 60 minutes" in mail.body_text
    assert "Sent to sam@example.com." in mail.body_text
    assert "<p>Hi Sam,</p>" in mail.body_html and '<a href="http' in mail.body_html  # made from the text
    french = make_user(email="lea@example.com", locale="fr")
    assert reset_mail(app, outbox, french.email).subject == "Choisissez un nouveau mot de passe"  # still the file


def test_values_are_escaped_in_the_html(app, client, login, admin, make_user, outbox):
    login(admin)
    save(client, f"{RESET}/en", subject="Reset", body_text="Hi {{ name }}",
         body_html="<p>Hello <strong>{{ name }}</strong>, open <a href=\"{{ link }}\">this</a>.</p>")
    person = make_user(email="x@example.com", full_name="<script>alert(1)</script> Eve")
    mail = reset_mail(app, outbox, person.email)
    assert "<strong>&lt;script&gt;alert(1)&lt;/script&gt;</strong>" in mail.body_html
    assert "<script>" not in mail.body_html


def test_a_broken_version_falls_back_to_the_file_template(app, client, make_user, outbox):
    store(app, name="password_reset", locale="en", subject="{{ name.__class__ }}", body_text="{% for x in y %}")
    person = make_user(email="safe@example.com")
    mail = reset_mail(app, outbox, person.email)
    assert mail.subject == "Choose a new password" and "reset the password" in mail.body_text


def test_an_unknown_variable_at_sending_falls_back_too(app, make_user, outbox):
    store(app, name="password_reset", locale="en", subject="Hi {{ nobody }}", body_text="Text")
    person = make_user(email="safe2@example.com")
    assert reset_mail(app, outbox, person.email).subject == "Choose a new password"


@pytest.mark.parametrize("field, source, message", [
    ("body_text", "Hello {{ nobody }}", "Unknown variable “nobody”"),
    ("body_text", "Hello {{ name", "Line 1:"),
    ("body_text", "{% for x in [1, 2] %}{{ x }}{% endfor %}", "Only {{ variables }}"),
    ("subject", "{{ name.__class__.__mro__ }}", "Only {{ variables }}"),
    ("body_html", "{{ link|attr('x') }}", "No filter named"),
    ("subject", "", "Write a subject."),
])
def test_the_editor_refuses_what_cannot_be_sent(app, client, login, admin, field, source, message):
    login(admin)
    data = {"subject": "Reset", "body_text": "Hi {{ name }}", "body_html": "", field: source}
    response = save(client, f"{RESET}/en", **data)
    assert response.status_code == 422
    assert message in page_text(response)
    assert source.split("{")[0] in response.get_data(as_text=True)  # what was typed stays
    with app.app_context():
        assert db.session.scalar(select(EmailTemplate)) is None


def test_the_preview_shows_the_draft_with_sample_values_in_a_sandbox(client, login, admin):
    login(admin)
    path = f"{RESET}/en/preview"
    response = client.post(path, data={"subject": "For {{ name }}", "body_text": "Link: {{ link }}", "body_html": "",
                                       "csrf_token": csrf_token(client, f"{RESET}/en")})
    assert response.status_code == 200
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
    text = page_text(response)
    assert "For Fatou" in text and "Link: https://talentbase.example.com/auth/link/sample-token" in text
    broken = client.post(path, data={"subject": "{{ oops", "body_text": "x",
                                     "csrf_token": csrf_token(client, f"{RESET}/en")})
    assert "This version cannot be sent as it is" in page_text(broken)
    current = client.get(path)
    assert "Choose a new password" in page_text(current) and "Fatou" in page_text(current)


def test_going_back_to_the_original_removes_the_version(app, client, login, admin, make_user, outbox):
    login(admin)
    save(client, f"{RESET}/fr", subject="Mon sujet", body_text="Bonjour {{ name }}")
    assert "Your version" in page_text(client.get("/admin/email-templates"))
    response = save(client, f"{RESET}/fr/reset")
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(EmailTemplate)) is None
    person = make_user(email="back@example.com", locale="fr")
    assert reset_mail(app, outbox, person.email).subject == "Choisissez un nouveau mot de passe"


def test_saving_and_resetting_are_audited(app, client, login, admin):
    login(admin)
    save(client, f"{RESET}/en", subject="A", body_text="B")
    save(client, f"{RESET}/en", subject="A2", body_text="B")
    save(client, f"{RESET}/en/reset")
    with app.app_context():
        actions = list(db.session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("email_template.%"))
                                          .order_by(AuditEvent.id)))
        assert actions == ["email_template.created", "email_template.updated", "email_template.reset"]


def test_unknown_mails_and_languages(client, login, admin):
    login(admin)
    assert client.get("/admin/email-templates/nothing/en").status_code == 404
    assert client.get(f"{RESET}/de").status_code == 422


# The API (seed 001) ---------------------------------------------------------------------------

def test_the_api_lists_creates_reads_changes_and_removes_versions(client, make_user, api_login, admin):
    token = bearer(api_login(admin)["access_token"])
    listed = client.get("/api/v1/admin/email-templates", headers=token).get_json()
    pairs = {(item["name"], item["locale"]) for item in listed["items"]}
    assert ("verify_email", "fr") in pairs and listed["total"] == len(pairs) >= 12
    original = next(i for i in listed["items"] if (i["name"], i["locale"]) == ("verify_email", "en"))
    assert original["id"] is None and not original["customised"] and "{{ link }}" in original["body_text"]
    assert "link" in original["variables"] and "site_name" in original["variables"]

    created = client.post("/api/v1/admin/email-templates", headers=token, json={
        "name": "verify_email", "locale": "en", "subject": "Welcome {{ name }}", "body": "Open {{ link }}"})
    assert created.status_code == 201
    body = created.get_json()
    assert body["customised"] and body["body_text"] == "Open {{ link }}"
    again = client.post("/api/v1/admin/email-templates", headers=token, json={
        "name": "verify_email", "locale": "en", "subject": "x", "body": "y"})
    assert again.status_code == 409
    assert client.get(f"/api/v1/admin/email-templates/{body['id']}", headers=token).get_json()["subject"] == \
        "Welcome {{ name }}"
    changed = client.put(f"/api/v1/admin/email-templates/{body['id']}", headers=token, json={"subject": "Hi"})
    assert changed.status_code == 200 and changed.get_json()["subject"] == "Hi"
    assert changed.get_json()["body_text"] == "Open {{ link }}"
    bad = client.put(f"/api/v1/admin/email-templates/{body['id']}", headers=token, json={"body_text": "{{ x }}"})
    assert bad.status_code == 422 and "body_text" in bad.get_json()["error"]["fields"]
    assert client.delete(f"/api/v1/admin/email-templates/{body['id']}", headers=token).status_code == 204
    assert client.get(f"/api/v1/admin/email-templates/{body['id']}", headers=token).status_code == 404
    unknown = client.post("/api/v1/admin/email-templates", headers=token, json={
        "name": "nope", "subject": "x", "body": "y"})
    assert unknown.status_code == 404


def test_the_api_is_for_admins_only(client, make_user, api_login):
    token = bearer(api_login(make_user(role="recruiter"))["access_token"])
    assert client.get("/api/v1/admin/email-templates", headers=token).status_code == 403
    assert client.post("/api/v1/admin/email-templates", headers=token,
                       json={"name": "verify_email", "subject": "x", "body": "y"}).status_code == 403


def test_the_preview_speaks_the_mails_language_not_the_admins(client, login, make_user):
    login(make_user(role="admin", locale="fr"))
    text = page_text(client.get("/admin/email-templates/invitation/en/preview"))
    assert "as recruiter" in text and "recruteur" not in text
