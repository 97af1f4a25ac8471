"""Shared set-ups of the publishing, QR and duplicates tests."""

from __future__ import annotations

import io
import re

from PIL import Image
from werkzeug.datastructures import FileStorage

from tests import factories as f
from webapp.directory import services as directory
from webapp.extensions import db

BASE_URL = "https://talentbase.example.com"


def png_upload(name: str = "photo.png", colour=(200, 80, 40)) -> FileStorage:
    out = io.BytesIO()
    Image.new("RGB", (64, 64), colour).save(out, format="PNG")
    out.seek(0)
    return FileStorage(stream=out, filename=name, content_type="image/png")


def pdf_upload(name: str = "cv.pdf") -> FileStorage:
    data = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    return FileStorage(stream=io.BytesIO(data), filename=name, content_type="application/pdf")


def full_talent(email: str = "amina@example.com", **fields):
    """A talent with a complete profile: every publishable field has a value."""
    f.load_reference()
    user = f.make_user(email=email, full_name="Amina Tazi")
    values = {
        "gender": "F", "nationality_id": f.country("MA").id, "residence_city_id": f.city("MA", "RAB").id,
        "birth_date": "1995-04-02", "headline": "Actrice et chanteuse", "bio": "Comédienne depuis dix ans.",
        "years_experience": 10, "current_position": "Lead role", "current_company": "Théâtre Mohammed V",
        "education": "Conservatoire de Rabat", "availability": "freelance", "work_mode": "onsite",
        "phone": "+212 612 345 678", "whatsapp": "+212 699 887 766",
        "portfolio_url": "https://amina.example.org", "linkedin": "https://linkedin.com/in/amina-tazi",
        "skills": [{"skill_id": f.skill("python").id, "level": 4}],
        "languages": [{"code": "fr", "level": "native"}],
    }
    values.update(fields)
    profile = f.talent_profile(user, **values)
    directory.set_photo(user, profile, png_upload())
    directory.set_cv(user, profile, pdf_upload())
    db.session.refresh(profile)
    return user, profile


def normalised_404(html: str, token: str | None = None) -> str:
    """A 404 page without what differs between two requests anyway (CSRF token, the path)."""
    html = re.sub(r'<meta name="csrf-token" content="[^"]*">', "", html)
    html = re.sub(r'name="csrf_token" value="[^"]*"', "", html)
    html = re.sub(r"/p/[^\"'&\s]*", "/p/TOKEN", html)
    if token:
        html = html.replace(token, "TOKEN")
    return html


def detach(user):
    """The account loaded and detached, for the `login` fixture outside the app context."""
    db.session.refresh(user)
    db.session.expunge(user)
    return user
