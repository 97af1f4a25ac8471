"""The inbox, a conversation and the notifications page, with and without htmx."""

from __future__ import annotations

import re

from tests.conftest import csrf_token


def test_the_inbox_lists_my_conversations_with_unread_counts(client, login, people, start, say):
    cid = start(people["consultant"], [people["talent"]])
    say(people["consultant"], cid, "Welcome aboard")
    login(people["talent"])
    html = client.get("/messages").get_data(as_text=True)
    assert "Claire Consultant" in html
    assert "Welcome aboard" in html
    assert 'data-testid="row-unread">1' in html
    assert re.search(r'id="badge-messages"[^>]*data-count="1"', html)  # the nav badge


def test_the_inbox_search_shows_matching_messages(client, login, people, start, say):
    cid = start(people["consultant"], [people["talent"]])
    say(people["consultant"], cid, "The audition is at noon")
    say(people["consultant"], cid, "Bring water")
    login(people["talent"])
    page = client.get("/messages?q=audition").get_data(as_text=True)
    assert "The audition is at noon" in page and "search-hits" in page
    fragment = client.get("/messages?q=nothing-like-this", headers={"HX-Request": "true"})
    html = fragment.get_data(as_text=True)
    assert html.lstrip().startswith('<div id="inbox-results"')
    assert "No message mentions it." in html


def test_a_conversation_shows_its_messages_with_links_and_nothing_else_interpreted(client, login, people, start, say):
    cid = start(people["consultant"], [people["talent"]])
    say(people["consultant"], cid, "See https://example.com/guide and <b>bold</b>")
    login(people["talent"])
    html = client.get(f"/messages/{cid}").get_data(as_text=True)
    assert '<a href="https://example.com/guide" rel="noopener noreferrer">https://example.com/guide</a>' in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html
    assert "<b>bold</b>" not in html
    assert "Mark 1 new message as read" in html  # the button for pages without JavaScript


def test_opening_a_conversation_changes_nothing(app, client, login, people, start, say):
    from webapp.accounts.models import User
    from webapp.extensions import db
    from webapp.messaging import services

    cid = start(people["consultant"], [people["talent"]])
    say(people["consultant"], cid, "unread")
    login(people["talent"])
    client.get(f"/messages/{cid}")
    with app.app_context():
        assert services.unread_count(db.session.get(User, people["talent"].id)) == 1


def test_sending_without_javascript_posts_and_comes_back(client, login, people, start):
    cid = start(people["consultant"], [people["talent"]])
    login(people["talent"])
    token = csrf_token(client, f"/messages/{cid}")
    response = client.post(f"/messages/{cid}/send", data={"text": "Thank you!", "csrf_token": token})
    assert response.status_code == 302
    assert response.headers["Location"].startswith(f"/messages/{cid}#message-")
    assert "Thank you!" in client.get(f"/messages/{cid}").get_data(as_text=True)


def test_sending_with_htmx_returns_a_fresh_composer_and_the_message(client, login, people, start):
    cid = start(people["consultant"], [people["talent"]])
    login(people["talent"])
    token = csrf_token(client, f"/messages/{cid}")
    response = client.post(f"/messages/{cid}/send", data={"text": "Live hello", "csrf_token": token},
                           headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<form id="composer-{cid}"')
    assert f'<hx-partial hx-target="#messages-{cid}" hx-swap="beforeend">' in html
    assert "Live hello" in html
    assert "<html" not in html


def test_an_empty_message_gets_a_422_and_keeps_the_form(client, login, people, start):
    cid = start(people["consultant"], [people["talent"]])
    login(people["talent"])
    token = csrf_token(client, f"/messages/{cid}")
    response = client.post(f"/messages/{cid}/send", data={"text": "   ", "csrf_token": token},
                           headers={"HX-Request": "true"})
    assert response.status_code == 422
    assert "Write a message first." in response.get_data(as_text=True)
    too_long = "x" * 5001
    response = client.post(f"/messages/{cid}/send", data={"text": too_long, "csrf_token": token})
    assert response.status_code == 422
    assert too_long in response.get_data(as_text=True)  # nothing typed is lost


def test_sending_needs_the_csrf_token(client, login, people, start):
    cid = start(people["consultant"], [people["talent"]])
    login(people["talent"])
    response = client.post(f"/messages/{cid}/send", data={"text": "no token"})
    assert response.status_code == 422 or response.status_code == 400
    assert "no token" not in client.get(f"/messages/{cid}").get_data(as_text=True).split("chat-messages")[1]


def test_older_messages_page_without_javascript_and_as_a_fragment(client, login, people, start, say):
    cid = start(people["consultant"], [people["talent"]])
    ids = [say(people["consultant"], cid, f"note {n:02d}") for n in range(55)]
    login(people["talent"])
    html = client.get(f"/messages/{cid}").get_data(as_text=True)
    assert "note 54" in html and "note 04" not in html
    assert f"before={ids[5]}" in html
    older = client.get(f"/messages/{cid}?before={ids[5]}", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "note 00" in older and "note 04" in older and "note 05" not in older
    assert "<html" not in older
    page = client.get(f"/messages/{cid}?before={ids[5]}").get_data(as_text=True)
    assert "Back to the latest messages" in page


def test_deleting_my_message_with_htmx_and_without(client, login, people, start, say):
    cid = start(people["consultant"], [people["talent"]])
    first = say(people["talent"], cid, "oops one")
    second = say(people["talent"], cid, "oops two")
    login(people["talent"])
    token = csrf_token(client, f"/messages/{cid}")
    fragment = client.post(f"/messages/{cid}/messages/{first}/delete", data={"csrf_token": token},
                           headers={"HX-Request": "true"}).get_data(as_text=True)
    assert f'hx-target="#message-{first}" hx-swap="delete"' in fragment
    response = client.post(f"/messages/{cid}/messages/{second}/delete", data={"csrf_token": token})
    assert response.status_code == 302
    html = client.get(f"/messages/{cid}").get_data(as_text=True)
    assert "oops one" not in html and "oops two" not in html


def test_someone_elses_message_cannot_be_deleted(client, login, people, start, say):
    cid = start(people["consultant"], [people["talent"]])
    mid = say(people["consultant"], cid, "not yours")
    login(people["talent"])
    token = csrf_token(client, f"/messages/{cid}")
    assert client.post(f"/messages/{cid}/messages/{mid}/delete", data={"csrf_token": token}).status_code == 403
    assert "not yours" in client.get(f"/messages/{cid}").get_data(as_text=True)


def test_starting_a_conversation_from_the_form(client, login, people):
    login(people["talent"])
    page = client.get(f"/messages/new?to={people['consultant'].id}").get_data(as_text=True)
    assert f'value="{people["consultant"].id}"' in page and "checked" in page
    assert people["other_talent"].full_name not in page  # a talent is offered staff only
    token = csrf_token(client, "/messages/new")
    response = client.post("/messages/new", data={"participants": [people["consultant"].id],
                                                  "text": "Can we talk?", "csrf_token": token})
    assert response.status_code == 302
    assert "Can we talk?" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_the_form_explains_what_is_missing_and_what_is_refused(client, login, people):
    login(people["talent"])
    token = csrf_token(client, "/messages/new")
    response = client.post("/messages/new", data={"subject": "Hello", "csrf_token": token})
    assert response.status_code == 422
    assert "Choose at least one person to write to." in response.get_data(as_text=True)
    response = client.post("/messages/new", data={"participants": [people["other_talent"].id], "csrf_token": token})
    assert response.status_code == 422
    assert "You can only write to recruiters, consultants and administrators." in response.get_data(as_text=True)


def test_the_people_search_offers_staff_to_a_talent(client, login, people):
    login(people["talent"])
    html = client.get("/messages/people?q=claire", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Claire Consultant" in html
    assert "Omar" not in client.get("/messages/people?q=omar").get_data(as_text=True)


def notify(app, *args, **kwargs):
    from webapp.messaging import services

    with app.app_context():
        return services.notify(*args, **kwargs).id


def test_notifications_page_marks_one_and_all_read(app, client, login, people):
    first = notify(app, people["talent"].id, "system", "Welcome")
    notify(app, people["talent"].id, "assessment", "Results are in", link="/dashboard")
    login(people["talent"])
    html = client.get("/notifications").get_data(as_text=True)
    assert "Welcome" in html and "Results are in" in html
    assert re.search(r'id="badge-notifications"[^>]*data-count="2"', html)
    token = csrf_token(client, "/notifications")
    fragment = client.post(f"/notifications/{first}/read", data={"csrf_token": token},
                           headers={"HX-Request": "true"}).get_data(as_text=True)
    assert fragment.lstrip().startswith(f'<li id="notification-{first}"')
    assert "unread" not in fragment.split(">")[0]
    assert "Results are in" in client.get("/notifications?filter=unread").get_data(as_text=True)
    assert "Welcome" not in client.get("/notifications?filter=unread").get_data(as_text=True)
    client.post("/notifications/read-all", data={"csrf_token": token})
    html = client.get("/notifications").get_data(as_text=True)
    assert re.search(r'id="badge-notifications"[^>]*data-count="0"', html)


def test_opening_a_notification_marks_it_read_and_follows_its_link(app, client, login, people):
    note = notify(app, people["talent"].id, "system", "Go", link="/account/")
    evil = notify(app, people["talent"].id, "system", "Away", link="https://evil.example.com/")
    login(people["talent"])
    token = csrf_token(client, "/notifications")
    assert client.post(f"/notifications/{note}/open", data={"csrf_token": token}).headers["Location"] == "/account/"
    assert client.post(f"/notifications/{evil}/open", data={"csrf_token": token}).headers["Location"] == "/notifications"


def test_a_french_speaker_gets_the_inbox_in_french(client, login, make_user):
    french = make_user(locale="fr")
    login(french)
    html = client.get("/messages").get_data(as_text=True)
    assert "Nouvelle conversation" in html


def test_staff_add_and_remove_people_from_the_page(client, login, people, start):
    cid = start(people["consultant"], [people["talent"]])
    login(people["consultant"])
    page = client.get(f"/messages/{cid}").get_data(as_text=True)
    assert 'data-testid="add-person"' in page and "Youssef Recruiter" in page
    token = csrf_token(client, f"/messages/{cid}")
    client.post(f"/messages/{cid}/participants", data={"participants": people["recruiter"].id, "csrf_token": token})
    page = client.get(f"/messages/{cid}").get_data(as_text=True)
    assert "Youssef Recruiter, " in page or ", Youssef Recruiter" in page
    client.post(f"/messages/{cid}/participants/{people['talent'].id}/remove", data={"csrf_token": token})
    assert "Fatou Diop" not in client.get(f"/messages/{cid}").get_data(as_text=True).split("chat-title")[1][:400]


def test_a_talent_sees_no_way_to_add_people(client, login, people, start):
    cid = start(people["consultant"], [people["talent"]])
    login(people["talent"])
    assert 'data-testid="add-person"' not in client.get(f"/messages/{cid}").get_data(as_text=True)
    token = csrf_token(client, f"/messages/{cid}")
    response = client.post(f"/messages/{cid}/participants", data={"participants": people["recruiter"].id,
                                                                  "csrf_token": token})
    assert response.status_code == 403


def test_the_senders_name_shows_in_group_conversations_only(client, login, people, start, say):
    direct = start(people["consultant"], [people["talent"]])
    group = start(people["consultant"], [people["talent"], people["recruiter"]], subject="Casting call")
    say(people["consultant"], direct, "just us")
    say(people["consultant"], group, "hello all")
    login(people["talent"])
    direct_page = client.get(f"/messages/{direct}").get_data(as_text=True)
    assert "just us" in direct_page and 'data-testid="sender-name"' not in direct_page
    group_page = client.get(f"/messages/{group}").get_data(as_text=True)
    assert re.search(r'data-testid="sender-name">Claire Consultant<', group_page)
    say(people["talent"], group, "my own words")
    mine = client.get(f"/messages/{group}").get_data(as_text=True)
    assert not re.search(r'data-testid="sender-name">Fatou Diop<', mine)  # never on my own messages


def test_the_bar_reads_its_badges_and_the_viewers_picture_in_one_statement(app, client, login, people, start, say):
    from sqlalchemy import event

    from webapp.extensions import db

    cid = start(people["consultant"], [people["talent"]])
    say(people["consultant"], cid, "First")
    say(people["consultant"], cid, "Second")
    login(people["talent"])
    statements = []

    def keep(_conn, _cursor, statement, *_args):
        statements.append(statement)

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", keep)
    try:
        html = client.get("/dashboard").get_data(as_text=True)
    finally:
        with app.app_context():
            event.remove(db.engine, "before_cursor_execute", keep)
    assert re.search(r'id="badge-messages"[^>]*data-count="2"', html)
    assert re.search(r'id="badge-notifications"[^>]*data-count="1"', html)  # one per conversation (its topic)
    touching = [s for s in statements if "notifications" in s and "messages" in s and "files" in s]
    assert len(touching) == 1, statements
