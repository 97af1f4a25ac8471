"""Who may do what in messaging: each case through the pages, the API and the service."""

from __future__ import annotations

import pytest

from tests.conftest import csrf_token
from webapp.accounts.models import User
from webapp.core.errors import Forbidden, NotFound
from webapp.extensions import db
from webapp.messaging import services
from webapp.messaging.models import Conversation


def get(user) -> User:
    return db.session.get(User, user.id)


@pytest.mark.parametrize("writer", ["recruiter", "consultant", "admin"])
@pytest.mark.parametrize("reader", ["talent", "recruiter", "consultant", "admin"])
def test_staff_may_write_to_anyone(ctx, people, writer, reader):
    if writer == reader:
        return
    conversation = services.start_conversation(get(people[writer]), [people[reader].id])
    assert conversation.participant(people[reader].id) is not None


@pytest.mark.parametrize("staff", ["recruiter", "consultant", "admin"])
def test_a_talent_may_write_to_staff(ctx, people, staff):
    conversation = services.start_conversation(get(people["talent"]), [people[staff].id])
    assert conversation.kind == "direct"


def test_a_talent_may_not_start_a_conversation_with_another_talent(ctx, people):
    with pytest.raises(Forbidden):
        services.start_conversation(get(people["talent"]), [people["other_talent"].id])


def test_a_talent_may_not_slip_a_talent_into_a_group_with_staff(ctx, people):
    with pytest.raises(Forbidden):
        services.start_conversation(get(people["talent"]), [people["consultant"].id, people["other_talent"].id])


def test_a_talent_may_write_in_a_group_staff_put_them_in(ctx, people, start, say):
    cid = start(people["consultant"], [people["talent"], people["other_talent"]])
    assert say(people["other_talent"], cid, "Hello everyone")


def test_nobody_writes_to_a_suspended_account(ctx, people, make_user):
    suspended = make_user(role="talent", status="suspended")
    with pytest.raises(Forbidden):
        services.start_conversation(get(people["admin"]), [suspended.id])


def test_an_unknown_person_is_not_found(ctx, people):
    with pytest.raises(NotFound):
        services.start_conversation(get(people["admin"]), [987654])


def test_only_participants_read_a_conversation(ctx, people, start):
    cid = start(people["consultant"], [people["talent"]])
    for outsider in ("other_talent", "recruiter", "admin"):
        with pytest.raises(NotFound):
            services.get_conversation(get(people[outsider]), cid)


def test_only_participants_post(ctx, people, start, say):
    cid = start(people["consultant"], [people["talent"]])
    with pytest.raises(NotFound):
        say(people["recruiter"], cid, "let me in")


def test_only_the_sender_deletes_a_message(ctx, people, start, say):
    cid = start(people["consultant"], [people["talent"]])
    mid = say(people["consultant"], cid, "mine")
    talent = get(people["talent"])
    with pytest.raises(Forbidden):
        services.delete_message(talent, services.get_message(talent, mid))


def test_only_staff_in_the_conversation_add_or_remove_people(ctx, people, start):
    cid = start(people["consultant"], [people["talent"]])
    conversation = db.session.get(Conversation, cid)
    with pytest.raises(Forbidden):
        services.add_participant(get(people["talent"]), conversation, people["recruiter"].id)
    with pytest.raises(Forbidden):
        services.remove_participant(get(people["talent"]), conversation, people["consultant"].id)
    services.add_participant(get(people["consultant"]), conversation, people["recruiter"].id)
    assert conversation.kind == "group"


def test_a_removed_participant_no_longer_reads_nor_posts(ctx, people, start, say):
    cid = start(people["consultant"], [people["talent"], people["recruiter"]])
    services.remove_participant(get(people["consultant"]), db.session.get(Conversation, cid), people["talent"].id)
    with pytest.raises(NotFound):
        services.get_conversation(get(people["talent"]), cid)
    with pytest.raises(NotFound):
        say(people["talent"], cid, "still here?")
    assert services.list_conversations(get(people["talent"])).items == []


def test_anyone_may_leave(ctx, people, start):
    cid = start(people["consultant"], [people["talent"]])
    services.remove_participant(get(people["talent"]), db.session.get(Conversation, cid), people["talent"].id)
    with pytest.raises(NotFound):
        services.get_conversation(get(people["talent"]), cid)


def test_someone_elses_notification_is_not_found(ctx, people):
    notification = services.notify(people["talent"].id, "system", "Private")
    with pytest.raises(NotFound):
        services.mark_notification_read(get(people["other_talent"]), notification.id)


# The same rules on the pages and the API ---------------------------------------------------------

def test_pages_hide_a_conversation_from_outsiders(client, login, people, start):
    cid = start(people["consultant"], [people["talent"]])
    login(people["other_talent"])
    assert client.get(f"/messages/{cid}").status_code == 404
    token = csrf_token(client, "/messages")
    response = client.post(f"/messages/{cid}/send", data={"text": "hi", "csrf_token": token})
    assert response.status_code == 404
    assert client.post(f"/messages/{cid}/read", data={"csrf_token": token}).status_code == 404


def test_pages_need_a_sign_in(client, people, start):
    cid = start(people["consultant"], [people["talent"]])
    for path in ("/messages", f"/messages/{cid}", "/notifications", "/messages/new"):
        response = client.get(path)
        assert response.status_code == 302
        assert "/auth/login" in response.headers["Location"]


def test_the_api_hides_a_conversation_from_outsiders(client, login, people, start, say):
    cid = start(people["consultant"], [people["talent"]])
    mid = say(people["consultant"], cid, "private")
    login(people["recruiter"])
    assert client.get(f"/api/v1/conversations/{cid}/messages").status_code == 404
    assert client.get(f"/api/v1/messaging/conversations/{cid}").status_code == 404
    answer = client.post(f"/api/v1/chat/conversations/{cid}/messages", json={"content": "hi"})
    assert answer.status_code == 404
    assert answer.get_json()["error"]["code"] == "not_found"
    assert client.put(f"/api/v1/messaging/messages/{mid}/read", json={}).status_code == 404


def test_the_api_refuses_a_talent_writing_to_a_talent(client, login, people):
    login(people["talent"])
    answer = client.post("/api/v1/conversations", json={"participantIds": [people["other_talent"].id]})
    assert answer.status_code == 403
    assert answer.get_json()["error"]["code"] == "forbidden"


def test_the_api_needs_credentials(client):
    answer = client.get("/api/v1/conversations")
    assert answer.status_code == 401
    assert client.get("/api/v1/notifications/unread/count").status_code == 401
