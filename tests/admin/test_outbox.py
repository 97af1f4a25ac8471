"""Admin > Outbox: every mail the app sent, readable in the app, with its delivery state."""

from __future__ import annotations

from tests.conftest import csrf_token, page_text
from webapp.extensions import db
from webapp.mail import services as mail
from webapp.mail.models import OutboxMessage


def request_reset(app, email):
    client = app.test_client()
    client.post("/auth/forgot-password", data={"email": email, "csrf_token": csrf_token(client)})


def test_the_outbox_lists_sent_mails(app, client, make_user, login, admin):
    user = make_user()
    request_reset(app, user.email)
    login(admin)
    text = page_text(client.get("/admin/outbox"))
    assert user.email in text


def test_a_mail_can_be_read_in_text_and_in_a_sandboxed_frame(app, client, make_user, login, admin, outbox):
    user = make_user()
    request_reset(app, user.email)
    message = outbox.last(user.email, "password_reset")
    assert message.status == "sent"
    login(admin)
    page = client.get(f"/admin/outbox/{message.id}")
    assert page.status_code == 200
    text = page_text(page)
    assert message.subject in text and "/auth/reset-password/" in text
    html = client.get(f"/admin/outbox/{message.id}/html")
    assert html.status_code == 200 and html.mimetype == "text/html"
    assert "sandbox" in html.headers["Content-Security-Policy"]
    assert "script-src" not in html.headers["Content-Security-Policy"]  # default-src 'none' forbids scripts


def test_mail_is_also_written_as_an_eml_file(app, make_user, outbox):
    from pathlib import Path

    user = make_user()
    request_reset(app, user.email)
    files = sorted(Path(app.config["MAIL_DIR"]).glob("*.eml"))
    assert files
    assert any(f"To: {user.email}" in path.read_text() for path in files)


def test_the_outbox_can_be_searched(app, client, make_user, login, admin):
    first, second = make_user(), make_user()
    request_reset(app, first.email)
    request_reset(app, second.email)
    login(admin)
    text = page_text(client.get(f"/admin/outbox?q={first.email}"))
    assert first.email in text and second.email not in text


def test_an_unknown_message_is_a_404(client, login, admin):
    login(admin)
    assert client.get("/admin/outbox/987654").status_code == 404
    assert client.get("/admin/outbox/987654/html").status_code == 404


def test_a_failed_mail_shows_its_error_and_can_be_sent_again(app, client, login, admin, monkeypatch):
    with app.app_context():
        message = OutboxMessage(to_address="x@example.com", subject="Hello", body_text="Hi", body_html="<p>Hi</p>",
                                template="test", status="failed", error="SMTPException: no route", attempts=1)
        db.session.add(message)
        db.session.commit()
        message_id = message.id
    login(admin)
    assert "SMTPException: no route" in page_text(client.get(f"/admin/outbox/{message_id}"))
    response = client.post(f"/admin/outbox/{message_id}/retry",
                           data={"csrf_token": csrf_token(client, f"/admin/outbox/{message_id}")})
    assert response.status_code == 302
    assert "The message is queued again." in page_text(client.get(response.headers["Location"]))
    with app.app_context():
        retried = db.session.get(OutboxMessage, message_id)
        assert retried.status == "sent" and retried.attempts == 2 and retried.error is None


def test_a_delivery_failure_is_recorded_not_raised(app, monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(mail, "_write_file", refuse)
    with app.app_context():
        message = OutboxMessage(to_address="x@example.com", subject="S", body_text="T", template="test")
        db.session.add(message)
        db.session.commit()
        mail.deliver(message.id)
        stored = db.session.get(OutboxMessage, message.id)
        assert stored.status == "failed" and stored.error == "OSError: disk full"


def test_smtp_is_used_when_mail_url_is_set(app, monkeypatch):
    sent = []

    class FakeSMTP:
        def __init__(self, host, port, timeout):
            sent.append(("connect", host, port))

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def starttls(self):
            sent.append(("starttls",))

        def login(self, user, password):
            sent.append(("login", user, password))

        def send_message(self, email):
            sent.append(("send", email["To"]))

    monkeypatch.setattr(mail.smtplib, "SMTP", FakeSMTP)
    app.config["MAIL_URL"] = "smtp://robot%40example.com:s3cret@mail.example.com:2525"
    with app.app_context():
        message = OutboxMessage(to_address="x@example.com", subject="S", body_text="T", template="test")
        db.session.add(message)
        db.session.commit()
        mail.deliver(message.id)
        assert db.session.get(OutboxMessage, message.id).status == "sent"
    assert sent == [("connect", "mail.example.com", 2525), ("starttls",), ("login", "robot@example.com", "s3cret"),
                    ("send", "x@example.com")]
