"""Sending mail through the outbox.

`send(...)` renders the message in the recipient's language and stores it; delivery runs in
the background: as an .eml file under instance/mail/ by default, by SMTP when MAIL_URL is set
(smtp://user:pass@host:587 uses STARTTLS, smtps://... implicit TLS).
"""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path
from urllib.parse import unquote, urlsplit

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import func, select

from webapp.core import jobs
from webapp.core.db import utcnow
from webapp.extensions import db
from webapp.mail.models import OutboxMessage


def send(to: str, template: str, locale: str = "en", **context) -> OutboxMessage:
    """Queue the mail `template` for `to`, in `locale`: the administrator's version of it when
    there is one (Admin > Email templates), else `mail/<template>.subject.txt|.txt|.html`."""
    from webapp.mail.templates import render_override
    from webapp.settings import services as settings

    context.setdefault("site_name", settings.site_name())
    with force_locale(locale):
        override = render_override(template, locale, context)
        if override is not None:
            subject, text, html = override.subject, override.text, override.html
        else:
            subject = render_template(f"mail/{template}.subject.txt", **context).strip()
            text = render_template(f"mail/{template}.txt", **context)
            html = render_template(f"mail/{template}.html", subject=subject, **context)
    message = OutboxMessage(to_address=to, subject=subject, body_text=text, body_html=html, template=template)
    db.session.add(message)
    db.session.commit()
    jobs.enqueue(deliver, message.id)
    return message


def build_email(message: OutboxMessage) -> EmailMessage:
    email = EmailMessage()
    email["From"] = current_app.config["MAIL_FROM"]
    email["To"] = message.to_address
    email["Subject"] = message.subject
    email["Message-ID"] = make_msgid(domain="talentbase")
    email.set_content(message.body_text)
    if message.body_html:
        email.add_alternative(message.body_html, subtype="html")
    return email


def deliver(message_id: int) -> None:
    message = db.session.get(OutboxMessage, message_id)
    if message is None or message.status == "sent":
        return
    message.attempts += 1
    try:
        email = build_email(message)
        if current_app.config.get("MAIL_URL"):
            _send_smtp(current_app.config["MAIL_URL"], email)
        else:
            _write_file(Path(current_app.config["MAIL_DIR"]), message, email)
    except Exception as exc:  # delivery problems are recorded, shown to admins, and retried by them
        message.status = "failed"
        message.error = f"{type(exc).__name__}: {exc}"
    else:
        message.status = "sent"
        message.error = None
        message.sent_at = utcnow()
    db.session.commit()


def _write_file(folder: Path, message: OutboxMessage, email: EmailMessage) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    stamp = message.created_at.strftime("%Y%m%d-%H%M%S")
    (folder / f"{stamp}-{message.id:06d}.eml").write_bytes(email.as_bytes())


def _send_smtp(url: str, email: EmailMessage) -> None:
    parts = urlsplit(url)
    host, port = parts.hostname or "localhost", parts.port
    if parts.scheme == "smtps":
        client = smtplib.SMTP_SSL(host, port or 465, timeout=20)
    else:
        client = smtplib.SMTP(host, port or 587, timeout=20)
    with client:
        if parts.scheme == "smtp" and "starttls=0" not in (parts.query or ""):
            client.starttls()
        if parts.username:
            client.login(unquote(parts.username), unquote(parts.password or ""))
        client.send_message(email)


def retry(message: OutboxMessage) -> None:
    message.status = "queued"
    db.session.commit()
    jobs.enqueue(deliver, message.id)


def outbox_page(page: int, per_page: int, search: str = "", status: str = ""):
    from webapp.core.pagination import paginate

    stmt = select(OutboxMessage)
    if search:
        like = f"%{search.lower()}%"
        stmt = stmt.where(func.lower(OutboxMessage.to_address).like(like) | func.lower(OutboxMessage.subject).like(like))
    if status:
        stmt = stmt.where(OutboxMessage.status == status)
    return paginate(stmt.order_by(OutboxMessage.id.desc()), page, per_page)


def latest_to(address: str, template: str | None = None) -> OutboxMessage | None:
    stmt = select(OutboxMessage).where(OutboxMessage.to_address == address)
    if template:
        stmt = stmt.where(OutboxMessage.template == template)
    return db.session.scalars(stmt.order_by(OutboxMessage.id.desc()).limit(1)).first()
