"""Muting a conversation: no notification nor mail for its new messages, which still count as
unread; the toggle is per person and per conversation."""

from __future__ import annotations

import re

from tests.conftest import csrf_token
from webapp.extensions import db


def notifications_of(app, user_id):
    from webapp.messaging.models import Notification

    with app.app_context():
        return list(db.session.scalars(db.select(Notification.title).where(Notification.user_id == user_id)))


def test_a_muted_conversation_makes_no_notification_but_counts_unread(app, client, login, people, start, say, outbox):
    from webapp.accounts.models import User

    with app.app_context():
        talent = db.session.get(User, people["talent"].id)
        talent.email_notifications = True
        db.session.commit()
    cid = start(people["consultant"], [people["talent"]])
    login(people["talent"])
    page = client.get(f"/messages/{cid}").get_data(as_text=True)
    assert 'data-testid="mute-toggle"' in page and "Mute the conversation" in page
    answer = client.post(f"/messages/{cid}/mute", data={"muted": "1", "csrf_token": csrf_token(client, "/messages")})
    assert answer.status_code == 302
    page = client.get(f"/messages/{cid}").get_data(as_text=True)
    assert "Unmute the conversation" in page
    mails = len(outbox.messages(to=people["talent"].email))
    say(people["consultant"], cid, "while muted")
    assert notifications_of(app, people["talent"].id) == []
    assert len(outbox.messages(to=people["talent"].email)) == mails
    inbox = client.get("/messages").get_data(as_text=True)
    assert 'data-testid="row-unread">1' in inbox and re.search(r'id="badge-messages"[^>]*data-count="1"', inbox)
    assert 'data-testid="muted"' in inbox
    # The others still hear about it; unmuted, the talent does again.
    client.post(f"/messages/{cid}/mute", data={"muted": "0", "csrf_token": csrf_token(client, "/messages")})
    say(people["consultant"], cid, "after unmuting")
    assert len(notifications_of(app, people["talent"].id)) == 1
    assert len(outbox.messages(to=people["talent"].email)) == mails + 1  # and the mail, as they allow


def test_only_a_participant_mutes_and_a_form_needs_its_token(app, client, login, people, start):
    cid = start(people["consultant"], [people["talent"]])
    login(people["recruiter"])
    assert client.post(f"/messages/{cid}/mute", data={"muted": "1",
                                                      "csrf_token": csrf_token(client, "/messages")}).status_code == 404
    login(people["talent"])
    assert client.post(f"/messages/{cid}/mute", data={"muted": "1"}).status_code == 400
    from webapp.messaging.models import Participant

    with app.app_context():
        assert not any(db.session.scalars(db.select(Participant.muted).where(Participant.conversation_id == cid)))

