"""Fixtures for the whole suite: an app on SQLite (or TEST_DATABASE_URL), a clean database
for every test, factories, and a login helper.

The schema is created once per run; after each test every table is emptied, so tests never
see each other's rows. Rate-limit counters and the memory of sent mails are reset too.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from sqlalchemy import delete

from webapp import create_app
from webapp.config import TestConfig
from webapp.extensions import db, limiter

TRANSLATIONS = Path(__file__).resolve().parent.parent / "webapp" / "translations"


def compile_translations() -> None:
    """Compile each .po into its .mo when missing or older (as `make translations` does), so
    that `pytest` alone serves translated pages too. The .mo files are not committed."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po in TRANSLATIONS.glob("*/LC_MESSAGES/*.po"):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as source:
            catalog = read_po(source, locale=po.parent.parent.name)
        partial = mo.with_name(f"{mo.name}.{os.getpid()}.tmp")
        with partial.open("wb") as target:
            write_mo(target, catalog, use_fuzzy=True)
        os.replace(partial, mo)


def pytest_sessionstart(session):
    compile_translations()


@pytest.fixture(scope="session")
def instance_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("instance")


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing():
    """scrypt costs ~0.1 s a hash, and the suite hashes thousands of passwords: tests store
    cheap PBKDF2 hashes instead (checking reads the method from the hash, so nothing else changes)."""
    from functools import partial

    from werkzeug.security import generate_password_hash

    from webapp.accounts import models

    original = models.generate_password_hash
    models.generate_password_hash = partial(generate_password_hash, method="pbkdf2:sha256:1000")
    yield
    models.generate_password_hash = original


@pytest.fixture(scope="session")
def app(instance_dir):
    application = create_app(TestConfig, instance_path=str(instance_dir))
    with application.app_context():
        db.drop_all()
        db.create_all()
    yield application
    with application.app_context():
        db.session.remove()
        if os.environ.get("TEST_DATABASE_URL"):
            db.drop_all()
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _clean_state(app):
    """Each test starts with empty tables, fresh rate limits and the default settings."""
    saved = dict(app.config)
    with app.app_context():
        limiter.reset()
    yield
    app.config.clear()
    app.config.update(saved)
    with app.app_context():
        db.session.rollback()
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(delete(table))
        db.session.commit()
        db.session.remove()
        limiter.reset()
    # The AI index of the emptied database starts afresh (webapp/ai/index.py).
    app.extensions.pop("ai_index", None)


@pytest.fixture
def ctx(app):
    """An app context for tests that call services directly."""
    with app.app_context():
        yield
        db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def make_user(app):
    from tests.factories import make_user as factory

    def build(**kwargs):
        with app.app_context():
            user = factory(**kwargs)
            db.session.refresh(user)
            db.session.expunge(user)
            return user

    return build


@pytest.fixture
def login(client):
    """Sign `user` in through the real sign-in form; returns the client."""

    def sign_in(user, password: str = "Secret-pass-1", remember: bool = False, into=None):
        target = into or client
        response = target.post("/auth/login", data={
            "email": user.email, "password": password, "remember": "y" if remember else "",
            "csrf_token": csrf_token(target),
        })
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return target

    return sign_in


def csrf_token(client, path: str = "/auth/login") -> str:
    """The CSRF token of the client's session, read from a page like a browser does."""
    html = client.get(path, follow_redirects=True).get_data(as_text=True)
    match = re.search(r'name="csrf-token" content="([^"]+)"', html)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


@pytest.fixture
def outbox(app):
    """Read the mails the app queued (they are delivered at once in tests)."""
    from tests.factories import Outbox

    return Outbox(app)


@pytest.fixture
def admin(make_user):
    """A signed-out administrator (sign in with `login(admin)`)."""
    return make_user(role="admin", full_name="Nadia Admin")


@pytest.fixture
def api_login(client):
    """Sign `user` in through POST /api/v1/auth/login; returns the token answer (a dict)."""

    def sign_in(user, password: str = "Secret-pass-1", into=None):
        response = (into or client).post("/api/v1/auth/login", json={"email": user.email, "password": password})
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    return sign_in


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def age_links(monkeypatch):
    """Make every signed link (verification, reset, email change) read as `seconds` older."""
    from itsdangerous.timed import TimestampSigner

    real = TimestampSigner.get_timestamp

    def older(seconds: int) -> None:
        monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: real(self) + seconds)

    return older


def page_text(response) -> str:
    """The visible words of an HTML answer, tags removed and spaces squeezed."""
    html = response.get_data(as_text=True)
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    import html as entities

    return " ".join(entities.unescape(re.sub(r"<[^>]+>", " ", html)).split())


def pytest_collection_modifyitems(config, items):
    """`redis` tests need TEST_REDIS_URL, `postgres` tests TEST_DATABASE_URL on PostgreSQL."""
    needs = {
        "redis": (bool(os.environ.get("TEST_REDIS_URL")), "TEST_REDIS_URL is not set"),
        "postgres": (os.environ.get("TEST_DATABASE_URL", "").startswith("postgres"),
                     "TEST_DATABASE_URL does not point at PostgreSQL"),
    }
    for item in items:
        for marker, (available, reason) in needs.items():
            if item.get_closest_marker(marker) is not None and not available:
                item.add_marker(pytest.mark.skip(reason=reason))
