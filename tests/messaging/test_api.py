"""/api/v1 conversations, messages and notifications: shapes, aliases, cursor, read marks."""

from __future__ import annotations

import pytest


@pytest.fixture
def talent_api(client, login, people):
    login(people["talent"])
    return client


def test_starting_a_direct_conversation_answers_the_conversation_itself(talent_api, people):
    answer = talent_api.post("/api/v1/conversations", json={"type": "direct", "participantIds": [people["consultant"].id]})
    assert answer.status_code == 201
    body = answer.get_json()
    assert body["type"] == "direct"
    assert body["participant_id"] == people["consultant"].id
    assert {p["userId"] for p in body["participants"]} == {people["talent"].id, people["consultant"].id}
    assert body["title"] == "Claire Consultant"
    again = talent_api.post("/api/v1/chat/conversations", json={"participant_id": people["consultant"].id})
    assert again.get_json()["id"] == body["id"]  # the same pair, the same conversation


def test_the_seed_spellings_are_accepted_and_validated(talent_api, people):
    answer = talent_api.post("/api/v1/messaging/conversations",
                             json={"participants": [people["recruiter"].id], "title": "About the casting",
                                   "message": "Hello"})
    assert answer.status_code == 201
    body = answer.get_json()
    assert body["type"] == "group" and body["subject"] == "About the casting"
    assert body["lastMessage"]["text"] == "Hello" and body["last_message"] == "Hello"
    bad = talent_api.post("/api/v1/conversations", json={"participantIds": "everyone"})
    assert bad.status_code == 422
    assert bad.get_json()["error"]["code"] == "validation_error"
    nobody = talent_api.post("/api/v1/conversations", json={})
    assert nobody.status_code == 422
    assert "participants" in nobody.get_json()["error"]["fields"]


def test_the_list_shape_with_unread_counts(talent_api, people, start, say):
    cid = start(people["consultant"], [people["talent"]])
    say(people["consultant"], cid, "one")
    say(people["consultant"], cid, "two")
    body = talent_api.get("/api/v1/conversations").get_json()
    assert set(body) == {"items", "total", "page", "per_page", "pages"}
    assert body["total"] == 1
    item = body["items"][0]
    assert item["unreadCount"] == item["unread_count"] == 2
    assert item["lastMessage"]["senderId"] == people["consultant"].id
    for alias in ("/api/v1/chat/conversations", "/api/v1/messaging/conversations"):
        assert talent_api.get(alias).get_json() == body


def test_sending_and_listing_messages_with_a_cursor(talent_api, people, start, say):
    cid = start(people["consultant"], [people["talent"]])
    ids = [say(people["consultant"], cid, f"m{n}") for n in range(5)]
    page = talent_api.get(f"/api/v1/conversations/{cid}/messages?limit=2").get_json()
    assert [m["id"] for m in page["items"]] == ids[-2:]
    assert page["has_more"] is True and page["next_cursor"] == str(ids[-2])
    assert page["pagination"] == {"hasMore": True, "nextCursor": str(ids[-2])}
    assert page["total"] == 5
    older = talent_api.get(f"/api/v1/chat/conversations/{cid}/messages?limit=2&before={page['next_cursor']}").get_json()
    assert [m["id"] for m in older["items"]] == ids[1:3]
    sent = talent_api.post(f"/api/v1/conversations/{cid}/messages", json={"text": "Got it"})
    assert sent.status_code == 201
    message = sent.get_json()
    assert message["text"] == message["content"] == "Got it"
    assert message["senderId"] == people["talent"].id and message["conversationId"] == cid
    assert list(message["readBy"]) == [str(people["talent"].id)]
    assert talent_api.get(f"/api/v1/conversations/{cid}/messages?limit=500").status_code == 422


def test_read_marks_show_in_read_by_and_the_unread_count(client, login, people, start, say):
    cid = start(people["consultant"], [people["talent"]])
    first = say(people["consultant"], cid, "one")
    say(people["consultant"], cid, "two")
    login(people["talent"])
    assert client.get("/api/v1/messages/unread/count").get_json() == {"unread_count": 2, "unreadCount": 2}
    answer = client.put(f"/api/v1/messaging/messages/{first}/read", json={})
    assert answer.get_json() == {"success": True, "conversation_id": cid, "message_id": first, "unread_count": 1}
    items = client.get(f"/api/v1/conversations/{cid}/messages").get_json()["items"]
    assert str(people["talent"].id) in items[0]["readBy"] and items[0]["read_at"]
    assert str(people["talent"].id) not in items[1]["readBy"] and items[1]["read_at"] is None
    assert client.put(f"/api/v1/conversations/{cid}/read", json={}).get_json()["unread_count"] == 0


def test_a_conversation_with_its_messages(talent_api, people, start, say):
    cid = start(people["consultant"], [people["talent"]])
    say(people["consultant"], cid, "hello")
    body = talent_api.get(f"/api/v1/messaging/conversations/{cid}").get_json()
    assert body["id"] == cid and [m["text"] for m in body["messages"]] == ["hello"]
    assert body["has_more"] is False


def test_search_conversations(talent_api, people, start, say):
    cid = start(people["consultant"], [people["talent"]])
    say(people["consultant"], cid, "Your screen test is on Monday")
    found = talent_api.post("/api/v1/messaging/conversations/search", json={"query": "screen test"}).get_json()
    assert [c["id"] for c in found["items"]] == [cid]
    none = talent_api.post("/api/v1/conversations/search", json={"query": "zebra"}).get_json()
    assert none["items"] == [] and none["total"] == 0
    assert talent_api.post("/api/v1/conversations/search", json={}).status_code == 422


def test_deleting_my_message_and_not_another(talent_api, people, start, say):
    cid = start(people["consultant"], [people["talent"]])
    theirs = say(people["consultant"], cid, "theirs")
    mine = say(people["talent"], cid, "mine")
    assert talent_api.delete(f"/api/v1/conversations/{cid}/messages/{theirs}", json={}).status_code == 403
    assert talent_api.delete(f"/api/v1/conversations/{cid}/messages/{mine}", json={}).status_code == 204
    texts = [m["text"] for m in talent_api.get(f"/api/v1/conversations/{cid}/messages").get_json()["items"]]
    assert texts == ["theirs"]


def test_attachments_by_reference_must_be_my_files(talent_api, people, start):
    cid = start(people["consultant"], [people["talent"]])
    answer = talent_api.post(f"/api/v1/conversations/{cid}/messages", json={"text": "see", "attachments": [{"id": 999}]})
    assert answer.status_code == 422
    assert "attachments" in answer.get_json()["error"]["fields"]


def test_notifications_list_count_and_mark_read(app, client, login, people):
    from webapp.messaging import services

    with app.app_context():
        one = services.notify(people["talent"].id, "application_stage", "Shortlisted", "Atlas Studios").id
        services.notify(people["talent"].id, "system", "Welcome")
    login(people["talent"])
    listing = client.get("/api/v1/notifications").get_json()
    assert listing["total"] == 2
    first = listing["items"][1]
    assert first["type"] == first["kind"] == "application_stage"
    assert first["message"] == first["body"] == "Atlas Studios"
    assert first["read_at"] is None and first["read"] is False
    assert client.get("/api/v1/notifications/unread/count").get_json()["unread_count"] == 2
    marked = client.put(f"/api/v1/notifications/{one}/read", json={}).get_json()
    assert marked["read"] is True
    assert client.get("/api/v1/notifications?unread=true").get_json()["total"] == 1
    assert client.put("/api/v1/notifications/read-all", json={}).get_json() == {"success": True, "updated": 1}
    assert client.put("/api/v1/notifications/999999/read", json={}).status_code == 404


def test_aliases_are_documented_as_aliases(client):
    spec = client.get("/api/openapi.json").get_json()
    alias = spec["paths"]["/api/v1/chat/conversations"]["get"]
    assert alias["x-alias-of"] == "/api/v1/conversations"
    assert "/api/v1/messaging/messages/{message_id}/read" in spec["paths"]
    assert "/api/v1/conversations/{conversation_id}/messages" in spec["paths"]
