"""The live socket at /ws: who may open it, what arrives, and what a removed person stops getting."""

from __future__ import annotations

import contextlib
import json

import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import connect as ws_connect

from tests.conftest import csrf_token

WAIT = 20  # seconds: how long to wait for a frame before the test fails (never a speed check)


@pytest.fixture
def open_socket(app, live_server):
    """open_socket(user, query="", origin=<own>) -> a connected client, signed in as user."""
    stack = contextlib.ExitStack()

    own = f"http://{live_server}"

    def connect(user=None, query: str = "", origin: str | None = own, cookie: str | None = None):
        headers = {}
        if user is not None:
            browser = app.test_client()
            browser.post("/auth/login", data={"email": user.email, "password": "Secret-pass-1",
                                              "csrf_token": csrf_token(browser)})
            cookie = browser.get_cookie("talentbase_session").value
        if cookie:
            headers["Cookie"] = f"talentbase_session={cookie}"
        return stack.enter_context(
            ws_connect(f"ws://{live_server}/ws{query}", origin=origin, additional_headers=headers, open_timeout=WAIT,
                       close_timeout=1))

    with stack:
        yield connect


def frames(ws, until, limit: int = 50) -> list[dict]:
    """Frames received until one satisfies `until` (which is included last)."""
    seen = []
    for _ in range(limit):
        try:
            data = ws.recv(timeout=WAIT)
        except TimeoutError:
            raise AssertionError(f"no frame came; got {[f.get('event') for f in seen]}") from None
        frame = json.loads(data)
        seen.append(frame)
        if until(frame):
            return seen
    raise AssertionError(f"never came: {[f.get('event') for f in seen]}")


def first(ws, event: str) -> dict:
    return frames(ws, lambda f: f.get("event") == event)[-1]


def test_a_visitor_without_a_session_is_refused(open_socket):
    with pytest.raises(InvalidStatus) as refused:
        open_socket()
    assert refused.value.response.status_code == 401


def test_a_page_of_another_site_is_refused(open_socket, people):
    with pytest.raises(InvalidStatus) as refused:
        open_socket(people["talent"], origin="https://evil.example.com")
    assert refused.value.response.status_code == 403


def test_a_made_up_session_is_refused(open_socket):
    with pytest.raises(InvalidStatus) as refused:
        open_socket(cookie="eyJfdXNlcl9pZCI6IjE6eCJ9.forged.signature")
    assert refused.value.response.status_code == 401


def test_my_own_page_connects_and_gets_the_badges(open_socket, people, start, say):
    cid = start(people["consultant"], [people["talent"]])
    say(people["consultant"], cid, "unread one")
    ws = open_socket(people["talent"])
    hello = first(ws, "resync")
    assert 'id="badge-messages"' in hello["content"] and 'data-count="1"' in hello["content"]
    assert hello["swap"] == "none"


def test_a_new_message_arrives_for_each_participant_and_nobody_else(open_socket, app, people, start, say):
    cid = start(people["consultant"], [people["talent"]])
    talent = open_socket(people["talent"], f"?conversation={cid}")
    consultant = open_socket(people["consultant"], f"?conversation={cid}")
    outsider = open_socket(people["recruiter"])
    for ws in (talent, consultant, outsider):
        first(ws, "resync")
    mid = say(people["consultant"], cid, "Live <b>hello</b>")
    frame = first(talent, "message.new")
    assert frame["message_id"] == mid and frame["conversation_id"] == cid
    assert f'hx-target="#messages-{cid}"' in frame["content"]
    assert "Live &lt;b&gt;hello&lt;/b&gt;" in frame["content"]
    assert 'class="chat-message theirs"' in frame["content"]
    assert 'class="chat-message mine"' in first(consultant, "message.new")["content"]
    # The outsider's next frame is their own notification, not the message.
    from webapp.messaging import services

    with app.app_context():
        services.notify(people["recruiter"].id, "system", "Only for you")
    received = frames(outsider, lambda f: f.get("event") == "notification.new")
    assert all(f.get("event") != "message.new" for f in received)


def test_typing_is_relayed_to_the_others_only(open_socket, people, start):
    cid = start(people["consultant"], [people["talent"]])
    talent = open_socket(people["talent"], f"?conversation={cid}")
    consultant = open_socket(people["consultant"], f"?conversation={cid}")
    first(talent, "resync"), first(consultant, "resync")
    consultant.send(json.dumps({"type": "typing", "conversation_id": cid, "headers": {"HX-Request": "true"}}))
    frame = first(talent, "typing")
    assert "Claire Consultant is typing" in frame["content"]
    assert f'id="typing-{cid}"' in frame["content"]


def test_typing_into_someone_elses_conversation_is_refused(open_socket, people, start):
    cid = start(people["consultant"], [people["talent"]])
    talent = open_socket(people["talent"], f"?conversation={cid}")
    intruder = open_socket(people["recruiter"])
    first(talent, "resync"), first(intruder, "resync")
    intruder.send(json.dumps({"type": "typing", "conversation_id": cid}))
    assert first(intruder, "error")["error"] == "not_found"
    intruder.send(json.dumps({"type": "read", "conversation_id": cid}))
    assert first(intruder, "error")["error"] == "not_found"


def test_a_read_mark_sent_on_the_socket_shows_as_a_receipt(open_socket, people, start, say):
    cid = start(people["consultant"], [people["talent"]])
    mid = say(people["consultant"], cid, "Did you see this?")
    talent = open_socket(people["talent"], f"?conversation={cid}")
    consultant = open_socket(people["consultant"], f"?conversation={cid}")
    first(talent, "resync"), first(consultant, "resync")
    talent.send(json.dumps({"type": "read", "conversation_id": cid, "message_id": mid}))
    receipt = first(consultant, "read")
    assert "Seen by Fatou Diop" in receipt["content"]
    assert 'data-count="0"' in first(talent, "read")["content"]  # the reader's badge drops


def test_a_deleted_message_disappears_live(open_socket, app, people, start, say):
    cid = start(people["consultant"], [people["talent"]])
    mid = say(people["consultant"], cid, "soon gone")
    talent = open_socket(people["talent"], f"?conversation={cid}")
    first(talent, "resync")
    from webapp.accounts.models import User
    from webapp.extensions import db
    from webapp.messaging import services

    with app.app_context():
        consultant = db.session.get(User, people["consultant"].id)
        services.delete_message(consultant, services.get_message(consultant, mid))
    frame = first(talent, "message.deleted")
    assert f'hx-target="#message-{mid}" hx-swap="delete"' in frame["content"]


def test_a_removed_participant_stops_receiving_at_once(open_socket, app, people, start, say):
    cid = start(people["consultant"], [people["talent"], people["recruiter"]])
    talent = open_socket(people["talent"], f"?conversation={cid}")
    first(talent, "resync")
    from webapp.accounts.models import User
    from webapp.extensions import db
    from webapp.messaging import services
    from webapp.messaging.models import Conversation

    with app.app_context():
        services.remove_participant(db.session.get(User, people["consultant"].id),
                                    db.session.get(Conversation, cid), people["talent"].id)
    removed = first(talent, "participant.removed")
    assert "You are no longer in this conversation." in removed["content"]
    talent.send(json.dumps({"type": "typing", "conversation_id": cid}))
    assert first(talent, "error")["error"] == "not_found"  # cannot type there any more
    say(people["consultant"], cid, "after you left")
    with app.app_context():
        services.notify(people["talent"].id, "system", "A marker after the message")
    received = frames(talent, lambda f: f.get("event") == "notification.new")
    assert not any("after you left" in f.get("content", "") for f in received)


def test_a_reconnecting_page_gets_what_it_missed(open_socket, app, people, start, say):
    cid = start(people["consultant"], [people["talent"]])
    shown = [say(people["consultant"], cid, f"seen {n}") for n in range(3)]
    missed = say(people["consultant"], cid, "sent while offline")
    from webapp.accounts.models import User
    from webapp.extensions import db
    from webapp.messaging import services

    with app.app_context():
        consultant = db.session.get(User, people["consultant"].id)
        services.delete_message(consultant, services.get_message(consultant, shown[1]))
    talent = open_socket(people["talent"], f"?conversation={cid}&from={shown[0]}&after={shown[-1]}")
    resync = first(talent, "resync")["content"]
    assert f'id="message-{missed}"' in resync and "sent while offline" in resync
    assert f'hx-target="#message-{shown[1]}" hx-swap="delete"' in resync
    assert f'id="message-{shown[0]}"' not in resync  # what the page has is not sent again


def test_a_socket_for_a_conversation_not_mine_replays_nothing(open_socket, people, start, say):
    cid = start(people["consultant"], [people["talent"]])
    say(people["consultant"], cid, "private words")
    intruder = open_socket(people["recruiter"], f"?conversation={cid}&after=0")
    resync = first(intruder, "resync")["content"]
    assert "private words" not in resync


def test_too_big_a_message_closes_the_socket(open_socket, people):
    ws = open_socket(people["talent"])
    first(ws, "resync")
    ws.send("x" * 10_000)
    with pytest.raises(ConnectionClosed) as closed:
        for _ in range(5):
            ws.recv(timeout=WAIT)
    assert closed.value.rcvd is None or closed.value.rcvd.code == 1009  # 1009, unless the TCP close wins


def test_too_many_messages_are_refused_then_the_socket_closes(app, open_socket, people, start):
    app.config["WS_MESSAGES_PER_MINUTE"] = 3
    cid = start(people["consultant"], [people["talent"]])
    ws = open_socket(people["talent"], f"?conversation={cid}")
    first(ws, "resync")
    for _ in range(4):
        ws.send(json.dumps({"type": "ping"}))
    assert first(ws, "error")["error"] == "rate_limited"
    with pytest.raises(ConnectionClosed) as closed:
        for _ in range(10):
            ws.send(json.dumps({"type": "ping"}))
            ws.recv(timeout=WAIT)
    assert closed.value.rcvd.code == 1008


def test_a_group_message_reaches_each_person_in_their_language_and_way(open_socket, app, people, start, say):
    """The fragments are shared between sockets (rendered once per language and way of seeing
    them), yet each person gets theirs: French for a French account, "mine" for the sender."""
    from webapp.accounts.models import User
    from webapp.extensions import db

    with app.app_context():
        db.session.get(User, people["recruiter"].id).locale = "fr"
        db.session.commit()
    cid = start(people["consultant"], [people["talent"], people["recruiter"], people["admin"]], subject="Tournage")
    sockets = {name: open_socket(people[name], f"?conversation={cid}")
               for name in ("consultant", "talent", "recruiter", "admin")}
    for ws in sockets.values():
        first(ws, "resync")
    mid = say(people["consultant"], cid, "On tourne demain")
    got = {name: first(ws, "message.new") for name, ws in sockets.items()}
    assert all(frame["message_id"] == mid for frame in got.values())
    assert 'class="chat-message mine"' in got["consultant"]["content"]
    assert "Delete" in got["consultant"]["content"]
    for name in ("talent", "recruiter", "admin"):
        content = got[name]["content"]
        assert 'class="chat-message theirs"' in content and "On tourne demain" in content
        assert 'data-testid="sender-name">Claire Consultant<' in content
        assert 'id="badge-messages"' in content and 'data-count="1"' in content
    assert "non lu" in got["recruiter"]["content"] and "unread" in got["talent"]["content"]
    assert got["talent"]["content"] == got["admin"]["content"]  # the same bytes for the same view


def test_the_live_inbox_list_keeps_its_search(open_socket, people, start, say):
    kept = start(people["consultant"], [people["talent"]], subject="Audition in Rabat")
    other = start(people["recruiter"], [people["talent"]], subject="Invoices")
    ws = open_socket(people["talent"], "?list=1&q=audition")
    assert "Audition in Rabat" in first(ws, "resync")["content"]
    say(people["recruiter"], other, "new invoice")
    listing = first(ws, "message.new")["content"]
    assert 'id="conversation-list"' in listing
    assert "Audition in Rabat" in listing and "Invoices" not in listing
    ws.send(json.dumps({"type": "search", "q": "invoice"}))  # the search changed on the page
    say(people["consultant"], kept, "see you there")
    listing = first(ws, "message.new")["content"]
    assert "Invoices" in listing and "Audition in Rabat" not in listing


def test_each_open_socket_counts_towards_freezing_the_long_lived(open_socket, people, monkeypatch):
    """A socket lives as long as its page: each one opened is counted, so that every hundred
    of them are frozen out of the garbage collector's full walks (webapp/core/warmup.py)."""
    from webapp.core import warmup

    made = []
    monkeypatch.setattr(warmup.SOCKETS, "made_one", lambda: made.append(1))
    for person in ("talent", "consultant"):
        first(open_socket(people[person]), "resync")
    assert made == [1, 1]
