"""Factories for test data. They write through the same services the app uses."""

from __future__ import annotations

import itertools
import re

from sqlalchemy import select

from webapp.accounts import services as accounts
from webapp.accounts.models import User
from webapp.extensions import db
from webapp.mail.models import OutboxMessage

DEFAULT_PASSWORD = "Secret-pass-1"
_counter = itertools.count(1)


def make_user(email: str | None = None, password: str = DEFAULT_PASSWORD, role: str = "talent",
              full_name: str | None = None, verified: bool = True, status: str = "active", locale: str = "en") -> User:
    n = next(_counter)
    user = accounts.create_account(
        email or f"person{n}@example.com", password, full_name or f"Person Number{n}", role=role,
        verified=verified, locale=locale,
    )
    user.status = status
    db.session.commit()
    return user


class Outbox:
    def __init__(self, app):
        self.app = app

    def messages(self, to: str | None = None, template: str | None = None) -> list[OutboxMessage]:
        with self.app.app_context():
            stmt = select(OutboxMessage).order_by(OutboxMessage.id)
            if to:
                stmt = stmt.where(OutboxMessage.to_address == to)
            if template:
                stmt = stmt.where(OutboxMessage.template == template)
            rows = list(db.session.scalars(stmt))
            for row in rows:
                db.session.expunge(row)
            return rows

    def last(self, to: str | None = None, template: str | None = None) -> OutboxMessage:
        found = self.messages(to, template)
        assert found, f"no mail to {to} ({template})"
        return found[-1]

    def link(self, to: str | None = None, template: str | None = None) -> str:
        """The path of the first link in the last matching mail (e.g. /auth/reset-password/...)."""
        text = self.last(to, template).body_text
        match = re.search(r"https?://[^/\s]+(/\S+)", text)
        assert match, text
        return match.group(1)


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (64, 48), color: str = "teal") -> bytes:
    """A small real image, as an upload would carry it."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, fmt)
    return buffer.getvalue()


def make_api_key(user_id: int, name: str = "CI script") -> str:
    """A personal API key for the user; returns the clear key (shown once in the app)."""
    from webapp.auth import services as auth

    _key, clear = auth.create_api_key(db.session.get(User, user_id), name)
    return clear


def make_invitation(admin_id: int, email: str = "invitee@example.com", role: str = "recruiter",
                    full_name: str = "Invited Person"):
    """An invitation as an admin sends it; returns (invitation id, the clear token of its link)."""
    from webapp.auth import services as auth

    link = {}
    original = auth.external_url

    def capture(endpoint, **values):
        link.update(values)
        return original(endpoint, **values)

    auth.external_url = capture
    try:
        invitation = auth.invite(db.session.get(User, admin_id), email, role, full_name)
    finally:
        auth.external_url = original
    return invitation.id, link["token"]


# Directory ---------------------------------------------------------------------------------

def load_reference() -> None:
    """Countries with their cities, and the skills taxonomy (what seed-demo loads)."""
    from webapp.demo.cli import load_reference_data

    load_reference_data()


def country(iso: str):
    from webapp.taxonomy.models import Country

    return db.session.scalar(select(Country).where(Country.iso_code == iso))


def city(iso: str, code: str):
    from webapp.taxonomy.models import City

    return db.session.scalar(select(City).join(City.country).where(City.code == code, City.country.has(iso_code=iso)))


def skill(slug: str):
    from webapp.taxonomy.models import Skill

    return db.session.scalar(select(Skill).where(Skill.slug == slug))


def make_candidate(recruiter: User, first_name: str = "Salma", last_name: str = "Alaoui", **fields):
    """A CRM candidate added by `recruiter` (through the service, with its checks)."""
    from webapp.directory import services as directory

    return directory.create_candidate(recruiter, {"first_name": first_name, "last_name": last_name, **fields})


def talent_profile(user: User, **fields):
    """The profile of a talent account, with `fields` set through the service."""
    from webapp.directory import services as directory

    me = db.session.get(User, user.id)
    profile = directory.my_profile(me)
    if fields:
        directory.update_profile(me, profile, fields)
    return profile


# Files as people upload them ---------------------------------------------------------------

def pdf_bytes(text: str = "Curriculum vitae") -> bytes:
    """A minimal PDF (header, one page, end-of-file marker)."""
    body = (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
            b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
            b"3 0 obj << /Type /Page /Parent 2 0 R >> endobj\n% " + text.encode() + b"\n")
    return body + b"trailer << /Root 1 0 R >>\n%%EOF\n"


def docx_bytes() -> bytes:
    """A minimal Word document (the parts a .docx must have)."""
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def image_upload(name: str = "photo.png", colour: str = "#3b4cca"):
    """A small real PNG, as an uploaded file."""
    import io

    from PIL import Image
    from werkzeug.datastructures import FileStorage

    out = io.BytesIO()
    Image.new("RGB", (40, 40), colour).save(out, format="PNG")
    out.seek(0)
    return FileStorage(stream=out, filename=name, content_type="image/png")


def pdf_upload(name: str = "cv.pdf"):
    """A tiny real PDF, as an uploaded file."""
    import io

    from werkzeug.datastructures import FileStorage

    from webapp.demo.profiles import _pdf

    return FileStorage(stream=io.BytesIO(_pdf(["CV"])), filename=name, content_type="application/pdf")


# Casting -------------------------------------------------------------------------------------

def born_years_ago(years: int) -> str:
    """A birth date that makes the person `years` old today (born on the 1st of January)."""
    from datetime import date

    return date(date.today().year - years, 1, 1).isoformat()


def cinema_candidate(recruiter: User, first_name: str = "Fatima", last_name: str = "Benani", gender: str = "F",
                     age: int = 28, place: tuple[str, str] = ("MA", "CAS"), **cinema):
    """A CRM candidate with cinema details (attributes as the service takes them)."""
    from webapp.casting import services as casting

    profile = make_candidate(recruiter, first_name, last_name, gender=gender, nationality_id=country(place[0]).id,
                             residence_city_id=city(*place).id, birth_date=born_years_ago(age))
    casting.update_cinema(recruiter, profile, cinema or {"height_cm": 168})
    return profile


def production_with_role(recruiter: User, name: str = "Atlas Productions", project: str = "Le Désert Blanc",
                         **role):
    """A production owned by `recruiter`, with one project and one role; returns the three."""
    from webapp.casting import services as casting

    production = casting.create_production(recruiter, {"name": name})
    casting_project = casting.create_project(recruiter, production, {"name": project, "production_type": "film"})
    made = casting.add_role(recruiter, casting_project, {"name": "Protagoniste", "talent_type": "lead-actor",
                                                         "gender": "F", "age_min": 20, "age_max": 40, **role})
    return production, casting_project, made

