"""Fixtures for messaging: people of each role, conversations, and a live server for sockets."""

from __future__ import annotations

import threading

import pytest
from werkzeug.serving import make_server

from webapp.extensions import db

_HASHES: dict[str, str] = {}


@pytest.fixture(autouse=True)
def _hash_the_test_password_once(monkeypatch):
    """Hashing a password takes a good part of a second (on purpose); these tests make many
    accounts with the same one, so it is hashed once per run (checking stays real)."""
    from werkzeug.security import generate_password_hash

    import webapp.accounts.models as models

    def cached(password: str, *args, **kwargs) -> str:
        if password not in _HASHES:
            _HASHES[password] = generate_password_hash(password, *args, **kwargs)
        return _HASHES[password]

    monkeypatch.setattr(models, "generate_password_hash", cached)


@pytest.fixture
def people(app, make_user):
    """One person per role (detached rows; reload them inside an app context to use them)."""
    return {
        "talent": make_user(role="talent", full_name="Fatou Diop"),
        "other_talent": make_user(role="talent", full_name="Omar Talent"),
        "recruiter": make_user(role="recruiter", full_name="Youssef Recruiter"),
        "consultant": make_user(role="consultant", full_name="Claire Consultant"),
        "admin": make_user(role="admin", full_name="Nadia Admin"),
    }


@pytest.fixture
def start(app):
    """start(starter, [others], **kw) -> conversation id, through the real service."""
    from webapp.accounts.models import User
    from webapp.messaging import services

    def make(starter, others, **kwargs):
        with app.test_request_context():
            conversation = services.start_conversation(db.session.get(User, starter.id), [o.id for o in others],
                                                       **kwargs)
            return conversation.id

    return make


@pytest.fixture
def say(app):
    """say(sender, conversation_id, text) -> message id."""
    from webapp.accounts.models import User
    from webapp.messaging import services
    from webapp.messaging.models import Conversation

    def post(sender, conversation_id, text):
        with app.test_request_context():
            message = services.send_message(db.session.get(User, sender.id),
                                            db.session.get(Conversation, conversation_id), text)
            return message.id

    return post


@pytest.fixture(scope="session")
def live_server(app):
    """The app served on a free port by Werkzeug in a thread (websockets need a real server)."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{server.server_port}"
    server.shutdown()
