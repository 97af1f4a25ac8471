"""Sending a message: what it writes to the notifications (coalesced by topic, per language, the
sender's own ones read), and how many statements one send through the API costs."""

from __future__ import annotations

import pytest
from sqlalchemy import event, select

from webapp.extensions import db
from webapp.messaging.models import Message, Notification, Participant, ReadMark


def _notifications(app, cid):
    with app.app_context():
        rows = db.session.scalars(select(Notification).where(Notification.topic == f"conversation:{cid}")
                                  .order_by(Notification.id))
        return [(n.user_id, n.title, n.body, n.data["message_id"], n.read_at is not None) for n in rows]


def test_a_group_send_coalesces_per_person_in_their_language_and_reads_the_senders_own(
        app, make_user, start, say):
    claire = make_user(role="consultant", full_name="Claire Martin")
    yann = make_user(role="recruiter", full_name="Yann Roux")
    fatou = make_user(role="talent", full_name="Fatou Diop", locale="fr")
    cid = start(claire, [yann, fatou], subject="Casting")
    first = say(claire, cid, "one")
    assert _notifications(app, cid) == [
        (yann.id, "Claire Martin wrote in “Casting”", "one", first, False),
        (fatou.id, "Claire Martin a écrit dans « Casting »", "one", first, False),
    ]
    second = say(yann, cid, "two")  # Yann writes back: his own one is read, Fatou's updated, Claire's made
    assert _notifications(app, cid) == [
        (yann.id, "Claire Martin wrote in “Casting”", "one", first, True),
        (fatou.id, "Yann Roux a écrit dans « Casting »", "two", second, False),
        (claire.id, "Yann Roux wrote in “Casting”", "two", second, False),
    ]
    third = say(claire, cid, "three")
    assert _notifications(app, cid) == [
        (yann.id, "Claire Martin wrote in “Casting”", "one", first, True),
        (fatou.id, "Claire Martin a écrit dans « Casting »", "three", third, False),
        (claire.id, "Yann Roux wrote in “Casting”", "two", second, True),
        (yann.id, "Claire Martin wrote in “Casting”", "three", third, False),
    ]
    with app.app_context():
        marks = db.session.execute(select(ReadMark.user_id, ReadMark.up_to_message_id)
                                   .where(ReadMark.conversation_id == cid).order_by(ReadMark.id)).all()
        assert [tuple(m) for m in marks] == [(claire.id, first), (yann.id, second), (claire.id, third)]
        positions = dict(db.session.execute(select(Participant.user_id, Participant.last_read_message_id)
                                            .where(Participant.conversation_id == cid)).all())
        assert positions == {claire.id: third, yann.id: second, fatou.id: None}
        assert db.session.get(Message, third).created_at is not None


@pytest.fixture
def statements(app):
    seen: list[str] = []

    def keep(_conn, _cursor, statement, *_args):
        seen.append(" ".join(statement.split()))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", keep)
    yield seen
    event.remove(engine, "before_cursor_execute", keep)


def test_one_send_through_the_api_costs_at_most_nine_statements(app, client, login, make_user, start, say,
                                                                  statements):
    """The session user, the conversation with its people, the message with the conversation's
    activity, the read position and mark, reading the sender's topic, refreshing the others'
    notifications (one statement per language: one here), the unread counts: 11 statements
    before these were counted; keep the gain."""
    claire = make_user(role="consultant", full_name="Claire Martin")
    yann = make_user(role="recruiter", full_name="Yann Roux")
    fatou = make_user(role="talent", full_name="Fatou Diop")
    cid = start(claire, [yann, fatou], subject="Casting")
    say(claire, cid, "one")  # the others' notifications exist: the next send updates them
    login(claire)
    statements.clear()
    answer = client.post(f"/api/v1/conversations/{cid}/messages", json={"text": "two"})
    assert answer.status_code == 201
    writes = [s for s in statements if not s.startswith(("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE"))]
    assert len(writes) <= 9, "\n".join(writes)


def test_a_conversation_is_loaded_with_every_one_of_its_people(app, make_user, start):
    """get_conversation loads the people with a join: all of them, not the first row's."""
    from webapp.accounts.models import User
    from webapp.messaging import services

    people = [make_user(role=("consultant", "recruiter")[n % 2], full_name=f"Person {n}") for n in range(6)]
    cid = start(people[0], people[1:], subject="Six")
    with app.test_request_context():
        db.session.expire_all()
        last = db.session.get(User, people[-1].id)
        conversation = services.get_conversation(last, cid)
        assert sorted(p.user_id for p in conversation.participants) == sorted(p.id for p in people)


def test_a_send_moves_the_conversations_activity_and_its_rows_read_back_whole(app, make_user, start, statements):
    """The rows are written by Core statements: the message's view costs no statement, the
    conversation in memory and in the database carries the message's time, and the rows read
    back (after the commit) hold what was sent."""
    from webapp.messaging import services
    from webapp.messaging.models import Conversation

    claire = make_user(role="consultant", full_name="Claire Martin")
    yann = make_user(role="recruiter", full_name="Yann Roux")
    cid = start(claire, [yann])
    with app.test_request_context():
        sender = db.session.get(type(claire), claire.id)
        conversation = services.get_conversation(sender, cid, "conversation.post")
        before = conversation.updated_at
        message = services.send_message(sender, conversation, "Hello Yann")
        statements.clear()
        view = message.view
        assert (view.text, view.sender_id, view.conversation_id, view.sender_name) == (
            "Hello Yann", claire.id, cid, "Claire Martin")
        assert statements == []
        db.session.expire_all()
        assert (message.id, message.text, message.sender_id, message.deleted_at) == (view.id, "Hello Yann", claire.id,
                                                                                     None)
        stored = db.session.get(Conversation, cid)
        assert stored.last_message_at == view.created_at == stored.updated_at > before
        notification = db.session.scalars(select(Notification).where(Notification.user_id == yann.id)).one()
        assert (notification.title, notification.read_at, notification.data["message_id"]) == (
            "Claire Martin sent you a message", None, view.id)
