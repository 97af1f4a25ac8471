"""The messaging services: conversations, messages, read marks, search, notifications."""

from __future__ import annotations

import pytest

from webapp.accounts.models import User
from webapp.core.errors import ValidationFailed
from webapp.extensions import db
from webapp.messaging import services
from webapp.messaging.models import Conversation, Notification


def get(user) -> User:
    return db.session.get(User, user.id)


def conv(conversation_id) -> Conversation:
    return db.session.get(Conversation, conversation_id)


def test_a_direct_conversation_is_found_again_rather_than_doubled(ctx, people, start):
    first = start(people["recruiter"], [people["talent"]])
    again = start(people["talent"], [people["recruiter"]])
    assert first == again
    assert conv(first).kind == "direct"


def test_a_context_gives_the_pair_a_conversation_of_its_own(ctx, people, start):
    plain = start(people["recruiter"], [people["talent"]])
    about = start(people["recruiter"], [people["talent"]], context=("casting_project", 12))
    assert plain != about
    assert (conv(about).context_type, conv(about).context_id) == ("casting_project", 12)
    assert [c.id for c in services.conversation_about(get(people["talent"]), ("casting_project", 12))] == [about]


def test_several_people_or_a_subject_make_a_group(ctx, people, start):
    group = start(people["admin"], [people["recruiter"], people["consultant"]])
    subject = start(people["admin"], [people["talent"]], subject="  Contract   questions ")
    assert conv(group).kind == "group"
    assert conv(subject).kind == "group"
    assert conv(subject).subject == "Contract questions"


def test_nobody_to_write_to_is_a_clear_error(ctx, people):
    with pytest.raises(ValidationFailed) as error:
        services.start_conversation(get(people["admin"]), [people["admin"].id])
    assert "participants" in error.value.fields


def test_a_message_is_stored_and_counted_unread_for_the_others(ctx, people, start, say):
    cid = start(people["consultant"], [people["talent"]])
    say(people["consultant"], cid, "Hello Fatou")
    say(people["consultant"], cid, "Are you there?")
    assert services.unread_counts([people["talent"].id, people["consultant"].id]) == {
        people["talent"].id: 2, people["consultant"].id: 0}
    summary = services.summaries(get(people["talent"]), [conv(cid)])[0]
    assert summary.unread == 2
    assert summary.last_message.text == "Are you there?"
    assert summary.title == "Claire Consultant"


def test_empty_and_too_long_messages_are_refused(ctx, people, start, say):
    cid = start(people["consultant"], [people["talent"]])
    with pytest.raises(ValidationFailed) as empty:
        say(people["consultant"], cid, "   \n ")
    assert "text" in empty.value.fields
    with pytest.raises(ValidationFailed):
        say(people["consultant"], cid, "x" * (services.MAX_TEXT + 1))


def test_control_characters_are_dropped_but_line_breaks_kept(ctx, people, start, say):
    cid = start(people["consultant"], [people["talent"]])
    mid = say(people["consultant"], cid, "line one\r\nline\x00 two\x07")
    assert services.get_message(get(people["talent"]), mid).text == "line one\nline two"


def test_reading_moves_the_mark_and_never_back(ctx, people, start, say):
    cid = start(people["consultant"], [people["talent"]])
    first = say(people["consultant"], cid, "one")
    say(people["consultant"], cid, "two")
    talent = get(people["talent"])
    assert services.mark_read(talent, conv(cid), first) is True
    assert services.unread_count(talent) == 1
    assert services.mark_read(talent, conv(cid), first) is False
    assert services.mark_read(talent, conv(cid)) is True
    assert services.unread_count(talent) == 0


def test_read_by_tells_who_read_each_message_and_when(ctx, people, start, say):
    cid = start(people["consultant"], [people["talent"]])
    first = say(people["consultant"], cid, "one")
    second = say(people["consultant"], cid, "two")
    talent = get(people["talent"])
    services.mark_read(talent, conv(cid), first)
    window = services.conversation_messages(talent, conv(cid))
    seen = services.read_by(conv(cid), window.messages)
    assert set(seen[first]) == {people["consultant"].id, people["talent"].id}
    assert set(seen[second]) == {people["consultant"].id}  # only the sender so far


def test_older_messages_come_by_cursor_oldest_first(ctx, people, start, say):
    cid = start(people["consultant"], [people["talent"]])
    ids = [say(people["consultant"], cid, f"message {n}") for n in range(7)]
    talent = get(people["talent"])
    latest = services.conversation_messages(talent, conv(cid), limit=3)
    assert [m.id for m in latest.messages] == ids[-3:]
    assert latest.has_more and latest.next_cursor == str(ids[-3])
    older = services.conversation_messages(talent, conv(cid), before=latest.next_cursor, limit=3)
    assert [m.id for m in older.messages] == ids[1:4]
    oldest = services.conversation_messages(talent, conv(cid), before=older.next_cursor, limit=3)
    assert [m.id for m in oldest.messages] == ids[:1]
    assert not oldest.has_more and oldest.next_cursor is None
    after = services.conversation_messages(talent, conv(cid), after=ids[4])
    assert [m.id for m in after.messages] == ids[5:]


def test_a_timestamp_cursor_works_too_and_nonsense_is_refused(ctx, people, start, say):
    cid = start(people["consultant"], [people["talent"]])
    say(people["consultant"], cid, "one")
    talent = get(people["talent"])
    assert services.conversation_messages(talent, conv(cid), before="2000-01-01T00:00:00Z").messages == []
    with pytest.raises(ValidationFailed):
        services.conversation_messages(talent, conv(cid), before="yesterday-ish")


def test_a_deleted_message_loses_its_text_and_leaves_every_list(ctx, people, start, say):
    cid = start(people["consultant"], [people["talent"]])
    keep = say(people["consultant"], cid, "keep me")
    gone = say(people["consultant"], cid, "secret plan")
    consultant = get(people["consultant"])
    services.delete_message(consultant, services.get_message(consultant, gone))
    window = services.conversation_messages(get(people["talent"]), conv(cid))
    assert [m.id for m in window.messages] == [keep]
    assert services.search_messages(get(people["talent"]), "secret") == []
    assert services.unread_count(get(people["talent"])) == 1
    assert services.deleted_between(conv(cid), keep, gone) == [gone]


def test_search_finds_messages_names_and_subjects_of_my_conversations_only(ctx, people, start, say):
    mine = start(people["consultant"], [people["talent"]], subject="Career plan")
    say(people["consultant"], mine, "Your audition is on Friday")
    theirs = start(people["recruiter"], [people["other_talent"]])
    say(people["recruiter"], theirs, "Another audition elsewhere")
    talent = get(people["talent"])
    assert [m.text for m in services.search_messages(talent, "AUDITION")] == ["Your audition is on Friday"]
    assert [s.id for s in services.list_conversations(talent, query="career").items] == [mine]
    assert [s.id for s in services.list_conversations(talent, query="claire").items] == [mine]
    assert services.list_conversations(talent, query="100%_").items == []


def test_message_notifications_are_one_per_conversation_while_unread(ctx, people, start, say, outbox):
    cid = start(people["consultant"], [people["talent"]])
    say(people["consultant"], cid, "first")
    say(people["consultant"], cid, "second")
    rows = list(db.session.scalars(db.select(Notification).where(Notification.user_id == people["talent"].id)))
    assert len(rows) == 1
    assert rows[0].kind == "message" and rows[0].body == "second"
    assert rows[0].title == "Claire Consultant sent you a message"
    assert len(outbox.messages(to=people["talent"].email, template="notification")) == 1
    services.mark_read(get(people["talent"]), conv(cid))
    assert services.unread_notification_count(get(people["talent"])) == 0
    say(people["consultant"], cid, "third")
    assert services.unread_notification_count(get(people["talent"])) == 1


def test_notify_stores_and_mails_by_preference(ctx, people, outbox):
    talent = get(people["talent"])
    services.notify(talent, "application_stage", "You are shortlisted", "Atlas Studios", link="/dashboard")
    mail = outbox.last(to=talent.email, template="notification")
    assert mail.subject == "You are shortlisted"
    assert "/dashboard" in mail.body_text
    talent.email_notifications = False
    db.session.commit()
    services.notify(talent, "system", "Maintenance tonight")
    assert len(outbox.messages(to=talent.email, template="notification")) == 1
    assert services.unread_notification_count(talent) == 2


def test_notifications_off_means_no_mail_even_with_email_on(ctx, people, outbox):
    talent = get(people["talent"])
    talent.notifications_enabled = False
    db.session.commit()
    services.notify(talent.id, "assessment", "Results ready")
    assert outbox.messages(to=talent.email, template="notification") == []
    assert services.unread_notification_count(talent) == 1


def test_a_mail_comes_in_the_persons_language(ctx, make_user, start, say, outbox):
    staff = make_user(role="consultant", full_name="Claire Martin")
    french = make_user(role="talent", locale="fr")
    cid = start(staff, [french])
    say(staff, cid, "Bonjour")
    assert outbox.last(to=french.email).subject == "Claire Martin vous a envoyé un message"


def test_unknown_notification_kind_is_a_programming_error(ctx, people):
    with pytest.raises(ValueError):
        services.notify(people["talent"].id, "gossip", "?")


def test_marking_notifications_read_one_and_all(ctx, people):
    talent = get(people["talent"])
    one = services.notify(talent, "system", "One")
    services.notify(talent, "system", "Two")
    services.mark_notification_read(talent, one.id)
    assert services.unread_notification_count(talent) == 1
    assert services.mark_all_notifications_read(talent) == 1
    assert services.unread_notification_count(talent) == 0


def test_a_deleted_account_takes_its_messages_and_notifications(ctx, people, start, say):
    from webapp.accounts import services as accounts

    cid = start(people["consultant"], [people["talent"]])
    say(people["talent"], cid, "my words")
    accounts.delete_account(get(people["talent"]), "Secret-pass-1")
    window = services.conversation_messages(get(people["consultant"]), conv(cid))
    assert window.messages == []
    assert db.session.scalar(db.select(db.func.count(Notification.id)).where(
        Notification.user_id == people["talent"].id)) == 0


def test_my_data_export_holds_my_messages_and_notifications(ctx, people, start, say):
    import io
    import json
    import zipfile

    from webapp.accounts import services as accounts

    cid = start(people["consultant"], [people["talent"]])
    say(people["talent"], cid, "my own words")
    say(people["consultant"], cid, "their words")
    archive = zipfile.ZipFile(io.BytesIO(accounts.export_data(get(people["talent"]))))
    messages = json.loads(archive.read("messages.json"))
    assert [m["text"] for m in messages[0]["my_messages"]] == ["my own words"]
    assert json.loads(archive.read("notifications.json"))[0]["kind"] == "message"
