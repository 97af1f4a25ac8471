"""Conversations, messages, read marks and notifications: every rule and query of messaging.

Pages, htmx fragments, the API and the socket call these functions; nothing else queries
these tables. Writes commit, then publish a live event (after the commit, so a socket
never shows what the database does not hold). See the package docstring for the calls
other features make (`start_conversation`, `send_message`, `notify`).
"""

from __future__ import annotations

import contextlib
import math
import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from flask import current_app, has_request_context, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import and_, bindparam, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from webapp.accounts.models import User
from webapp.core.db import utcnow
from webapp.core.errors import Forbidden, NotFound, ValidationFailed
from webapp.core.pagination import Page
from webapp.core.permissions import can, require
from webapp.extensions import db
from webapp.messaging import realtime
from webapp.messaging.models import (
    NOTIFICATION_KINDS,
    Conversation,
    Message,
    MessageAttachment,
    Notification,
    Participant,
    ReadMark,
)
from webapp.messaging.policies import may_write_to
from webapp.messaging.presenters import (
    AttachmentView,
    ConversationSummary,
    MessageView,
    NotificationView,
    Receipts,
    ReceiptView,
)

MAX_TEXT = 5000
MAX_SUBJECT = 200
MAX_PARTICIPANTS = 50
MAX_ATTACHMENTS = 5
DEFAULT_PAGE = 50
MAX_PAGE = 100
SNIPPET = 140


# Small helpers ------------------------------------------------------------------------------

def _user(user_or_id) -> User:
    if isinstance(user_or_id, User):
        return user_or_id
    user = db.session.get(User, int(user_or_id)) if str(user_or_id).isdigit() else None
    if user is None:
        raise NotFound(_("We could not find this person."))
    return user


def snippet(text: str, length: int = SNIPPET) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _clean_text(text: str | None) -> str:
    # Keep the writer's line breaks, drop trailing spaces and control characters (but not \n, \t).
    text = re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", "", (text or "").replace("\r\n", "\n"))
    return text.strip()


def _clean_subject(subject: str | None) -> str | None:
    subject = " ".join((subject or "").split())
    if len(subject) > MAX_SUBJECT:
        raise ValidationFailed(fields={"subject": [_("Use at most %(count)d characters.", count=MAX_SUBJECT)]})
    return subject or None


def direct_key(a: int, b: int, context: tuple[str, int] | None) -> str:
    low, high = sorted((a, b))
    key = f"{low}:{high}"
    return f"{key}:{context[0]}:{context[1]}" if context else key


def title_for(conversation: Conversation, viewer_id: int) -> str:
    """The subject, else the names of the other people in it."""
    if conversation.subject:
        return conversation.subject
    names = [p.user.full_name for p in conversation.active_participants if p.user_id != viewer_id]
    return ", ".join(names) or _("Only you")


# Reading ------------------------------------------------------------------------------------

# The conversation with its people, whom the permission checks read at once anyway: one
# statement (built on first use, when every model is mapped) rather than a `session.get` and a
# lazy load.
@cache
def _conversation_statement():
    return (select(Conversation).where(Conversation.id == bindparam("conversation_id"))
            .options(joinedload(Conversation.participants)))


def get_conversation(viewer, conversation_id, action: str = "conversation.read") -> Conversation:
    """The conversation if the viewer may see it; otherwise 404 (its existence is not told)."""
    conversation = None
    if str(conversation_id).isdigit():
        found = db.session.scalars(_conversation_statement(), {"conversation_id": int(conversation_id)})
        conversation = found.unique().first()
    if conversation is None or not can(viewer, "conversation.read", conversation):
        raise NotFound(_("We could not find this conversation."))
    require(action, conversation, user=viewer)
    return conversation


def get_message(viewer, message_id) -> Message:
    message = db.session.get(Message, message_id) if str(message_id).isdigit() else None
    if message is None or message.deleted_at is not None or not can(viewer, "conversation.read", message.conversation):
        raise NotFound(_("We could not find this message."))
    return message


def _active_conversation_ids(user_id: int):
    return select(Participant.conversation_id).where(Participant.user_id == user_id, Participant.left_at.is_(None))


def _unread_message_of_participant():
    """A message of the participant's conversation they have not read (sent by someone else,
    not deleted): the join condition both counts use."""
    return and_(Message.conversation_id == Participant.conversation_id,
                Message.id > func.coalesce(Participant.last_read_message_id, 0),
                Message.deleted_at.is_(None), Message.sender_id != Participant.user_id)


# Built once (on first use): each send runs it, and a prebuilt statement reuses its cache key
# and compiled form instead of assembling the expression tree again.
@cache
def _unread_counts_statement():
    return (select(Participant.user_id, func.count(Message.id)).join(Message, _unread_message_of_participant())
            .where(Participant.user_id.in_(bindparam("user_ids", expanding=True)), Participant.left_at.is_(None))
            .group_by(Participant.user_id))


def unread_counts(user_ids: Iterable[int]) -> dict[int, int]:
    """Unread messages (sent by others, not deleted) in each person's conversations, in one query."""
    ids = list(set(user_ids))
    if not ids:
        return {}
    counts = dict.fromkeys(ids, 0)
    counts.update(dict(db.session.execute(_unread_counts_statement(), {"user_ids": ids}).all()))
    return counts


def unread_count_query(user_id: int):
    """The unread messages of one person, as a scalar subquery (the nav bar's badge)."""
    return (select(func.count(Message.id)).select_from(Participant).join(Message, _unread_message_of_participant())
            .where(Participant.user_id == user_id, Participant.left_at.is_(None)).scalar_subquery())


def unread_count(user) -> int:
    return unread_counts([user.id])[user.id]


def _unread_by_conversation(user_id: int, conversation_ids: Sequence[int]) -> dict[int, int]:
    if not conversation_ids:
        return {}
    stmt = (select(Participant.conversation_id, func.count(Message.id)).join(Message, _unread_message_of_participant())
            .where(Participant.user_id == user_id, Participant.conversation_id.in_(conversation_ids))
            .group_by(Participant.conversation_id))
    return dict(db.session.execute(stmt).all())


def _last_messages(conversation_ids: Sequence[int]) -> dict[int, Message]:
    if not conversation_ids:
        return {}
    latest = (select(func.max(Message.id)).where(Message.conversation_id.in_(conversation_ids),
                                                 Message.deleted_at.is_(None))
              .group_by(Message.conversation_id))
    rows = db.session.scalars(select(Message).where(Message.id.in_(latest)))
    return {m.conversation_id: m for m in rows}


def summaries(viewer, conversations: Sequence[Conversation]) -> list[ConversationSummary]:
    ids = [c.id for c in conversations]
    last = _last_messages(ids)
    unread = _unread_by_conversation(viewer.id, ids)
    result = []
    for conversation in conversations:
        others = [p.user for p in conversation.active_participants if p.user_id != viewer.id]
        message = last.get(conversation.id)
        result.append(ConversationSummary(
            conversation=conversation, title=title_for(conversation, viewer.id), others=others,
            last_message=MessageView.of(message) if message else None, unread=unread.get(conversation.id, 0),
            muted=is_muted(viewer, conversation),
        ))
    return result


def _like(query: str) -> str:
    escaped = query.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def list_conversations(viewer, page: int = 1, per_page: int = 20, query: str | None = None) -> Page:
    """The viewer's conversations, latest activity first; `query` searches subjects, the
    other people's names and the messages' text."""
    stmt = select(Conversation).where(Conversation.id.in_(_active_conversation_ids(viewer.id)))
    query = (query or "").strip()
    if query:
        like = _like(query)
        in_text = (select(Message.conversation_id)
                   .where(Message.deleted_at.is_(None), func.lower(Message.text).like(like, escape="\\")))
        in_names = (select(Participant.conversation_id).join(User, User.id == Participant.user_id)
                    .where(Participant.left_at.is_(None), User.id != viewer.id,
                           func.lower(User.full_name).like(like, escape="\\")))
        stmt = stmt.where(or_(func.lower(Conversation.subject).like(like, escape="\\"),
                              Conversation.id.in_(in_text), Conversation.id.in_(in_names)))
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = list(db.session.scalars(
        stmt.order_by(func.coalesce(Conversation.last_message_at, Conversation.created_at).desc(),
                      Conversation.id.desc())
        .limit(per_page).offset((page - 1) * per_page)))
    return Page(items=summaries(viewer, rows), total=total, page=page, per_page=per_page)


def search_messages(viewer, query: str, limit: int = 20) -> list[MessageView]:
    """Messages containing `query` in the viewer's conversations, newest first."""
    query = (query or "").strip()
    if not query:
        return []
    stmt = (select(Message)
            .where(Message.conversation_id.in_(_active_conversation_ids(viewer.id)), Message.deleted_at.is_(None),
                   func.lower(Message.text).like(_like(query), escape="\\"))
            .order_by(Message.id.desc()).limit(limit))
    return [MessageView.of(m) for m in db.session.scalars(stmt)]


@dataclass
class MessageWindow:
    messages: list[MessageView]  # oldest first
    has_more: bool  # older messages exist
    next_cursor: str | None  # pass as `before` to get the older ones


def parse_cursor(value) -> int | datetime | None:
    """`before` is a message id, or (seed 002) a message timestamp."""
    if value in (None, ""):
        return None
    text = str(value).strip()
    if text.isdigit():
        return int(text)
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ValidationFailed(fields={"before": [_("Give a message id or a date and time.")]}) from None
    if moment.tzinfo is None:
        from datetime import UTC

        moment = moment.replace(tzinfo=UTC)
    return moment


def conversation_messages(viewer, conversation: Conversation, before=None, after: int | None = None,
                          limit: int = DEFAULT_PAGE) -> MessageWindow:
    """A window of messages, oldest first: the latest `limit`, or those before the cursor,
    or those after a message id (what a reconnecting page missed)."""
    require("conversation.read", conversation, user=viewer)
    limit = max(1, min(int(limit), MAX_PAGE))
    stmt = select(Message).where(Message.conversation_id == conversation.id, Message.deleted_at.is_(None))
    if after is not None:
        rows = list(db.session.scalars(stmt.where(Message.id > after).order_by(Message.id).limit(limit)))
        return MessageWindow([MessageView.of(m) for m in rows], False, None)
    cursor = parse_cursor(before)
    if isinstance(cursor, int):
        stmt = stmt.where(Message.id < cursor)
    elif isinstance(cursor, datetime):
        stmt = stmt.where(Message.created_at < cursor)
    rows = list(db.session.scalars(stmt.order_by(Message.id.desc()).limit(limit + 1)))
    has_more = len(rows) > limit
    rows = list(reversed(rows[:limit]))
    next_cursor = str(rows[0].id) if has_more and rows else None
    return MessageWindow([MessageView.of(m) for m in rows], has_more, next_cursor)


def deleted_between(conversation: Conversation, first_id: int, last_id: int) -> list[int]:
    """Ids of deleted messages in a range a page shows (so a reconnecting page drops them)."""
    stmt = select(Message.id).where(Message.conversation_id == conversation.id, Message.deleted_at.is_not(None),
                                    Message.id >= first_id, Message.id <= last_id)
    return list(db.session.scalars(stmt))


def receipts(conversation: Conversation) -> Receipts:
    last = db.session.execute(
        select(Message.id, Message.sender_id).where(Message.conversation_id == conversation.id,
                                                    Message.deleted_at.is_(None))
        .order_by(Message.id.desc()).limit(1)).first()
    return Receipts(conversation.id, last[0] if last else None, last[1] if last else None,
                    [ReceiptView.of(p) for p in conversation.active_participants])


def read_by(conversation: Conversation, messages: Sequence[MessageView]) -> dict[int, dict[int, datetime]]:
    """For each message, who read it and when (from the read marks' history)."""
    if not messages:
        return {}
    first = min(m.id for m in messages)
    marks = list(db.session.execute(
        select(ReadMark.user_id, ReadMark.up_to_message_id, ReadMark.read_at)
        .where(ReadMark.conversation_id == conversation.id, ReadMark.up_to_message_id >= first)
        .order_by(ReadMark.read_at)))
    result: dict[int, dict[int, datetime]] = {}
    for message in messages:
        seen: dict[int, datetime] = {}
        for user_id, up_to, read_at in marks:
            if up_to >= message.id and user_id not in seen:
                seen[user_id] = read_at
        result[message.id] = seen
    return result


def people_to_write_to(viewer, query: str = "", limit: int = 10, selected: Iterable[int] = ()) -> list[User]:
    """People the viewer may start a conversation with, matching a name or an email."""
    from webapp.core.permissions import STAFF_ROLES

    stmt = select(User).where(User.id != viewer.id, User.status == "active")
    if viewer.role not in STAFF_ROLES:
        stmt = stmt.where(User.role.in_([str(r) for r in STAFF_ROLES]))
    query = (query or "").strip()
    if query:
        like = _like(query)
        stmt = stmt.where(or_(func.lower(User.full_name).like(like, escape="\\"),
                              func.lower(User.email).like(like, escape="\\")))
    elif viewer.role in STAFF_ROLES:
        stmt = stmt.where(User.role.in_([str(r) for r in STAFF_ROLES]))
    found = list(db.session.scalars(stmt.order_by(User.full_name).limit(limit)))
    chosen_ids = {int(i) for i in selected if str(i).isdigit()} - {u.id for u in found}
    chosen = [u for u in db.session.scalars(select(User).where(User.id.in_(chosen_ids))) if may_write_to(viewer, u)]
    return chosen + found


# Starting and changing conversations --------------------------------------------------------

def start_conversation(starter, participants: Iterable, subject: str | None = None,
                       context: tuple[str, int] | None = None, first_message: str | None = None,
                       kind: str | None = None) -> Conversation:
    """Open a conversation between `starter` and `participants` (users or ids).

    One other person and no subject make a direct conversation; the same two people (about
    the same context) always get the same one back. Otherwise it is a group.
    """
    people: list[User] = []
    for person in participants:
        user = _user(person)
        if user.id != starter.id and user.id not in {p.id for p in people}:
            people.append(user)
    if not people:
        raise ValidationFailed(fields={"participants": [_("Choose at least one person to write to.")]})
    if len(people) > MAX_PARTICIPANTS:
        raise ValidationFailed(fields={"participants": [_("A conversation holds at most %(count)d people.",
                                                          count=MAX_PARTICIPANTS)]})
    if not can(starter, "conversation.start", people):
        raise Forbidden(_("You can only write to recruiters, consultants and administrators."))
    subject = _clean_subject(subject)
    if first_message is not None:
        _check_text(first_message, [])
    if context is not None:
        context = (str(context[0])[:32], int(context[1]))
    direct = kind != "group" and len(people) == 1 and not subject
    conversation = _existing_direct(starter, people[0], context) if direct else None
    if conversation is None:
        conversation = _create(starter, people, subject, context, direct)
        created = True
    else:
        created = False
    if first_message:
        send_message(starter, conversation, first_message)
    elif created:
        realtime.publish({"type": "conversation.new", "conversation_id": conversation.id,
                          "recipients": [p.user_id for p in conversation.active_participants]})
    return conversation


def may_message(viewer, person) -> bool:
    """Whether a "Message" button for `person` (a user, or None) is offered to `viewer`."""
    return person is not None and can(viewer, "conversation.start", [person])


def start_direct_with(starter, person) -> Conversation:
    """The direct conversation with one person: started, or the existing one reopened."""
    return start_conversation(starter, [person])


def start_group_about(starter, people: Iterable, subject: str, context: tuple[str, int]) -> Conversation:
    """The starter's group conversation about a thing (a casting project ...) with `people`:
    the one they already have about it, with the people who are not in it yet added, or a
    new one. Only people the starter may write to are taken."""
    chosen: list[User] = []
    for person in people:
        if person is not None and person.id != starter.id and person.id not in {u.id for u in chosen} \
                and may_write_to(starter, person):
            chosen.append(person)
    if not chosen:
        raise ValidationFailed(fields={"participants": [_("Nobody here has an account to write to.")]})
    existing = next((c for c in conversation_about(starter, context) if c.kind == "group"), None)
    if existing is None:
        return start_conversation(starter, chosen, subject=subject, context=context, kind="group")
    inside = {p.user_id for p in existing.active_participants}
    for person in chosen:
        if person.id not in inside and len(existing.active_participants) < MAX_PARTICIPANTS:
            add_participant(starter, existing, person)
    return existing


def _existing_direct(starter, other, context) -> Conversation | None:
    conversation = db.session.scalar(select(Conversation).where(
        Conversation.direct_key == direct_key(starter.id, other.id, context)))
    if conversation is None:
        return None
    # Someone who had left a direct conversation is back in it when it is started again.
    for participant in conversation.participants:
        if participant.user_id in (starter.id, other.id) and participant.left_at is not None:
            participant.left_at = None
            participant.joined_at = utcnow()
    db.session.commit()
    return conversation


def _create(starter, people: list[User], subject, context, direct: bool) -> Conversation:
    conversation = Conversation(
        kind="direct" if direct else "group", subject=subject, created_by_id=starter.id,
        context_type=context[0] if context else None, context_id=context[1] if context else None,
        direct_key=direct_key(starter.id, people[0].id, context) if direct else None,
    )
    conversation.participants.append(Participant(user_id=starter.id, role="admin"))
    for person in people:
        conversation.participants.append(Participant(user_id=person.id, role="member"))
    db.session.add(conversation)
    try:
        db.session.commit()
    except IntegrityError:
        # Both people started the same direct conversation at once: use the one that won.
        db.session.rollback()
        existing = _existing_direct(starter, people[0], context)
        if existing is None:
            raise
        return existing
    return conversation


def conversation_about(viewer, context: tuple[str, int]) -> list[Conversation]:
    """The viewer's conversations linked to a profile, project ... (for that page's list)."""
    stmt = (select(Conversation)
            .where(Conversation.id.in_(_active_conversation_ids(viewer.id)),
                   Conversation.context_type == context[0], Conversation.context_id == int(context[1]))
            .order_by(Conversation.id.desc()))
    return list(db.session.scalars(stmt))


def add_participant(actor, conversation: Conversation, person) -> Participant:
    newcomer = _user(person)
    require("conversation.add_participant", (conversation, newcomer), user=actor)
    existing = next((p for p in conversation.participants if p.user_id == newcomer.id), None)
    if existing is not None and existing.left_at is None:
        raise ValidationFailed(fields={"participant": [_("%(name)s is already in this conversation.",
                                                         name=newcomer.full_name)]})
    if existing is not None:
        existing.left_at = None
        existing.joined_at = utcnow()
        participant = existing
    else:
        participant = Participant(user_id=newcomer.id, role="member")
        conversation.participants.append(participant)
    if conversation.kind == "direct":
        conversation.kind = "group"  # a third person makes it a group; the pair may start a new direct one
        conversation.direct_key = None
    db.session.commit()
    realtime.publish({"type": "conversation.new", "conversation_id": conversation.id,
                      "recipients": [p.user_id for p in conversation.active_participants]})
    return participant


def set_muted(user, conversation: Conversation, muted: bool) -> bool:
    """Mute (or unmute) the conversation for `user`: no notification nor mail for its new
    messages, which still count as unread. Returns the new state."""
    require("conversation.read", conversation, user=user)
    participant = conversation.participant(user.id)
    if participant.muted != bool(muted):
        participant.muted = bool(muted)
        db.session.commit()
    return participant.muted


def is_muted(user, conversation: Conversation) -> bool:
    participant = conversation.participant(user.id)
    return bool(participant and participant.muted)


def remove_participant(actor, conversation: Conversation, person) -> None:
    """Staff remove someone; anyone may leave. From then on they neither read nor receive."""
    target = _user(person)
    participant = conversation.participant(target.id)
    if participant is None:
        raise NotFound(_("This person is not in the conversation."))
    if target.id != actor.id:
        require("conversation.manage", conversation, user=actor)
    else:
        require("conversation.read", conversation, user=actor)
    participant.left_at = utcnow()
    db.session.commit()
    remaining = [p.user_id for p in conversation.active_participants]
    realtime.publish({"type": "participant.removed", "conversation_id": conversation.id, "user_id": target.id,
                      "recipients": [target.id, *remaining]})


# Messages --------------------------------------------------------------------------------------

def _check_text(text: str | None, attachments) -> str:
    text = _clean_text(text)
    if not text and not attachments:
        raise ValidationFailed(fields={"text": [_("Write a message first.")]})
    if len(text) > MAX_TEXT:
        raise ValidationFailed(fields={"text": [_("A message holds at most %(count)d characters.", count=MAX_TEXT)]})
    return text


_SQLITE_WRITER = threading.Lock()


@contextlib.contextmanager
def _one_writer():
    """SQLite takes one writer at a time: this process's senders queue on a lock, handed over at
    once, rather than in SQLite's busy handler, which sleeps (up to 100 ms a try) between tries.
    Not when this transaction has written already (it holds SQLite's lock: waiting here could
    only hold up the one who waits for it), never longer than a moment, nothing on PostgreSQL."""
    taken = False
    if db.engine.dialect.name == "sqlite":
        raw = db.session.connection().connection.dbapi_connection
        if not getattr(raw, "in_transaction", True):
            taken = _SQLITE_WRITER.acquire(timeout=2.0)
    try:
        yield
    finally:
        if taken:
            _SQLITE_WRITER.release()


_MESSAGES = Message.__table__
_ADD_MESSAGE = insert(_MESSAGES)
_ADD_ATTACHMENTS = insert(MessageAttachment.__table__)
_CONVERSATIONS = Conversation.__table__
_TOUCH_CONVERSATION = (
    update(_CONVERSATIONS).where(_CONVERSATIONS.c.id == bindparam("conversation_id"))
    .values(last_message_at=bindparam("when", type_=_CONVERSATIONS.c.last_message_at.type),
            updated_at=bindparam("when", type_=_CONVERSATIONS.c.updated_at.type))
)


def _as_stored(entity, **values):
    """An entity for a row a Core statement has just written, every column given: in the
    session as if it had been loaded, so a flush writes nothing and reading reads nothing."""
    instance = entity(**values)
    make_transient_to_detached(instance)
    db.session.add(instance)
    return instance


def _add_message(conversation: Conversation, sender, text: str, attachments: Sequence, now: datetime) -> Message:
    """The message, its attachments and the conversation's activity time, written."""
    added = db.session.execute(_ADD_MESSAGE, {"conversation_id": conversation.id, "sender_id": sender.id,
                                              "text": text, "created_at": now})
    message = _as_stored(Message, id=added.inserted_primary_key[0], conversation_id=conversation.id,
                         sender_id=sender.id, text=text, created_at=now, deleted_at=None)
    if attachments:
        db.session.execute(_ADD_ATTACHMENTS, [{"message_id": message.id, "file_id": file.id, "position": position}
                                              for position, file in enumerate(attachments)])
    db.session.execute(_TOUCH_CONVERSATION, {"conversation_id": conversation.id, "when": now})
    set_committed_value(conversation, "last_message_at", now)
    set_committed_value(conversation, "updated_at", now)
    return message


def send_message(sender, conversation: Conversation, text: str | None, attachments: Sequence = ()) -> Message:
    """Store a message from `sender` (with already stored `files` rows as attachments), then
    tell every participant: live, by notification, and by mail if they want it."""
    if not can(sender, "conversation.read", conversation):
        raise NotFound(_("We could not find this conversation."))
    require("conversation.post", conversation, user=sender)
    if len(attachments) > MAX_ATTACHMENTS:
        raise ValidationFailed(fields={"attachments": [_("Attach at most %(count)d files.", count=MAX_ATTACHMENTS)]})
    text = _check_text(text, attachments)
    # The rows are written by prebuilt Core statements (the ORM's unit of work would cost more
    # than the whole rest of a send); what callers read of them is given to the session as
    # stored values, so nothing is written twice nor read back.
    with _one_writer(), db.session.no_autoflush:
        db.session.flush()  # whatever the caller left pending (stored files) goes first
        now = utcnow()
        message = _add_message(conversation, sender, text, attachments, now)
        active = conversation.active_participants
        own = conversation.participant(sender.id)
        _advance(own, message.id, now)
        _read_topic(sender.id, f"conversation:{conversation.id}", now)  # writing back is reading
        # Muted conversations still count unread messages, but make no notification (nor mail).
        recipients = [p.user for p in active if p.user_id != sender.id and not p.muted]
        created = _notify_new_message(conversation, message, sender, recipients)
        # The events are made inside the transaction (it sees its own writes), so nothing has to be
        # read back after the commit; they are published once the commit has succeeded.
        view = MessageView(id=message.id, conversation_id=conversation.id, sender_id=sender.id,
                           sender_name=sender.full_name, text=text, created_at=now,
                           attachments=[AttachmentView(f.id, f.original_name, f.size, f.content_type) for f in attachments],
                           group=conversation.kind == "group")
        everyone = [p.user_id for p in active]
        event = {
            "type": "message.new", "conversation_id": conversation.id, "recipients": everyone,
            "message": view.to_dict(), "unread": {str(k): v for k, v in unread_counts(everyone).items()},
            # The new message is the latest one: the receipts need no query.
            "receipts": Receipts(conversation.id, message.id, sender.id, [ReceiptView.of(p) for p in active]).to_dict(),
        }
        notifications = _notification_events(created)
        db.session.commit()
    message.view = view  # what callers show of it, without reading the committed row back
    realtime.publish(event)
    _deliver_notifications(notifications)
    return message


def delete_message(user, message: Message) -> None:
    """The sender removes a message: its text and attachments go, for everyone, at once."""
    require("message.delete", message, user=user)
    conversation = message.conversation
    message.deleted_at = utcnow()
    message.text = ""
    stored = [a.file for a in message.attachments]
    message.attachments.clear()
    for file in stored:
        db.session.delete(file)
    db.session.commit()
    if stored:
        from webapp.files import services as files

        files.delete_stored(stored)
    everyone = [p.user_id for p in conversation.active_participants]
    realtime.publish({
        "type": "message.deleted", "conversation_id": conversation.id, "message_id": message.id,
        "recipients": everyone, "unread": {str(k): v for k, v in unread_counts(everyone).items()},
        "receipts": receipts(conversation).to_dict(),
    })


_PARTICIPANTS = Participant.__table__
_MOVE_READ_POSITION = (
    update(_PARTICIPANTS).where(_PARTICIPANTS.c.id == bindparam("participant_id"))
    .values(last_read_message_id=bindparam("message_id", type_=_PARTICIPANTS.c.last_read_message_id.type),
            last_read_at=bindparam("when", type_=_PARTICIPANTS.c.last_read_at.type))
)
_ADD_READ_MARK = insert(ReadMark.__table__)


def _advance(participant: Participant | None, message_id: int, when: datetime) -> bool:
    """Move the participant's read position forward to `message_id` (never back) and log the
    read mark: written at once by two prebuilt statements rather than by a flush (the one a send
    would need only for these two rows); the participant in memory is given the new values as
    stored ones, so nothing is left for a flush to write again."""
    if participant is None or (participant.last_read_message_id or 0) >= message_id:
        return False
    db.session.execute(_MOVE_READ_POSITION, {"participant_id": participant.id, "message_id": message_id,
                                             "when": when})
    db.session.execute(_ADD_READ_MARK, {"conversation_id": participant.conversation_id,
                                        "user_id": participant.user_id, "up_to_message_id": message_id,
                                        "read_at": when})
    set_committed_value(participant, "last_read_message_id", message_id)
    set_committed_value(participant, "last_read_at", when)
    return True


def mark_read(user, conversation: Conversation, up_to_message_id: int | None = None) -> bool:
    """Everything up to the message (the latest when not given) is read by `user`; the
    others see the receipt, the user's badges drop. Returns whether anything changed."""
    require("conversation.read", conversation, user=user)
    latest = db.session.scalar(select(func.max(Message.id)).where(Message.conversation_id == conversation.id))
    if latest is None:
        return False
    target = min(int(up_to_message_id), latest) if up_to_message_id else latest
    now = utcnow()
    changed = _advance(conversation.participant(user.id), target, now)
    if not changed:
        return False
    _read_topic(user.id, f"conversation:{conversation.id}", now)
    db.session.commit()
    everyone = [p.user_id for p in conversation.active_participants]
    realtime.publish({
        "type": "read", "conversation_id": conversation.id, "user_id": user.id, "recipients": everyone,
        "unread": {str(user.id): unread_count(user)},
        "notifications": {str(user.id): unread_notification_count(user)},
        "receipts": receipts(conversation).to_dict(),
    })
    return True


def mark_message_read(user, message_id) -> Message:
    message = get_message(user, message_id)
    mark_read(user, message.conversation, message.id)
    return message


def typing(user, conversation_id) -> None:
    """Tell the others that `user` is writing in the conversation (no trace is stored)."""
    conversation = get_conversation(user, conversation_id, "conversation.post")
    others = [p.user_id for p in conversation.active_participants if p.user_id != user.id]
    if others:
        realtime.publish({"type": "typing", "conversation_id": conversation.id, "user_id": user.id,
                          "name": user.full_name, "recipients": others})


# Notifications ----------------------------------------------------------------------------------

def _check_kind(kind: str) -> None:
    if kind not in NOTIFICATION_KINDS:
        raise ValueError(f"unknown notification kind {kind!r}")


def notify(user_or_id, kind: str, title: str, body: str = "", link: str | None = None, data: dict | None = None,
           topic: str | None = None) -> Notification:
    """Store a notification for one person, push it live, and mail it when they allow it.

    `topic` (e.g. "application:12") coalesces: while an unread notification of that topic
    exists, it is updated instead of a new one being made (and mailed) again."""
    _check_kind(kind)
    user = _user(user_or_id)
    created = _upsert_notifications([user], kind, lambda _u: (title, body), link, data or {}, topic)
    notifications = _notification_events(created)
    db.session.commit()
    _deliver_notifications(notifications)
    if created:
        return created[0]
    return db.session.scalar(select(Notification).where(Notification.user_id == user.id, Notification.topic == topic,
                                                        Notification.read_at.is_(None)))


def _upsert_notifications(users: Sequence[User], kind: str, texts, link, data: dict, topic) -> list[Notification]:
    """Update the unread notifications of this topic, create the missing ones (written, not
    committed); returns the new ones."""
    if not users:
        return []
    wording: dict[str, tuple[str, str]] = {}  # the texts are the same for everyone of one language
    by_wording: dict[tuple[str, str], list[int]] = {}  # (title, body) -> the people it is for
    for user in users:
        if user.locale not in wording:
            title, body = texts(user)
            wording[user.locale] = snippet(title, 200), (body or "")[:2000]
        by_wording.setdefault(wording[user.locale], []).append(user.id)
    refreshed: set[int] = set()
    if topic:
        for (title, body), user_ids in by_wording.items():  # one statement per wording (per language, mostly)
            refreshed.update(_refresh_unread(user_ids, topic, title, body, data))
    fresh = [user for user in users if user.id not in refreshed]
    if not fresh:
        return []
    now = utcnow()
    rows = [{"user_id": user.id, "kind": kind, "title": wording[user.locale][0], "body": wording[user.locale][1],
             "link": link, "data": data, "topic": topic, "read_at": None, "created_at": now} for user in fresh]
    ids = db.session.scalars(_ADD_NOTIFICATIONS, rows).all()
    created = []
    for user, notification_id, row in zip(fresh, ids, rows, strict=True):
        notification = _as_stored(Notification, id=notification_id, **row)
        set_committed_value(notification, "user", user)
        created.append(notification)
    return created


# On the table, not the entity: nothing in memory is to be synchronised with these statements,
# and a Core statement skips the ORM's bulk-update preparation.
_NOTIFICATIONS = Notification.__table__
# Several rows in one statement, their ids in the order of the rows.
_ADD_NOTIFICATIONS = insert(_NOTIFICATIONS).returning(_NOTIFICATIONS.c.id, sort_by_parameter_order=True)
_REFRESH_UNREAD = (
    update(_NOTIFICATIONS)
    .where(_NOTIFICATIONS.c.user_id.in_(bindparam("user_ids", expanding=True)),
           _NOTIFICATIONS.c.topic == bindparam("of_topic"), _NOTIFICATIONS.c.read_at.is_(None))
    .values(title=bindparam("new_title", type_=_NOTIFICATIONS.c.title.type),
            body=bindparam("new_body", type_=_NOTIFICATIONS.c.body.type),
            data=bindparam("new_data", type_=_NOTIFICATIONS.c.data.type))
    .returning(_NOTIFICATIONS.c.user_id)
)


def _refresh_unread(user_ids: list[int], topic: str, title: str, body: str, data: dict) -> list[int]:
    """New texts for these people's unread notification of the topic; returns who had one (the
    UPDATE says it, so no SELECT is needed first to find them)."""
    return list(db.session.scalars(_REFRESH_UNREAD, {"user_ids": user_ids, "of_topic": topic, "new_title": title,
                                                     "new_body": body, "new_data": data}))


def _notify_new_message(conversation: Conversation, message: Message, sender, recipients: Sequence[User]):
    def texts(user):
        with force_locale(user.locale):
            if conversation.subject:
                title = _("%(name)s wrote in “%(subject)s”", name=sender.full_name, subject=conversation.subject)
            else:
                title = _("%(name)s sent you a message", name=sender.full_name)
            body = snippet(message.text) or _("(attachment)")
        return title, body

    link = path_for("messaging.conversation", conversation_id=conversation.id)
    data = {"conversation_id": conversation.id, "message_id": message.id, "sender_id": sender.id}
    return _upsert_notifications(recipients, "message", texts, link, data, f"conversation:{conversation.id}")


@dataclass
class _NotificationEvent:
    user: User
    notification: Notification
    event: dict
    mail: bool


def _notification_events(created: Sequence[Notification]) -> list[_NotificationEvent]:
    """Before the commit (the rows are flushed): the live events of new notifications, made
    while nothing is expired, so that publishing them reads nothing back."""
    if not created:
        return []
    counts = unread_notification_counts([n.user_id for n in created])
    result = []
    for notification in created:
        user = notification.user
        result.append(_NotificationEvent(user, notification, {
            "type": "notification.new", "recipients": [user.id],
            "notification": NotificationView.of(notification).to_dict(),
            "toast": bool(user.notifications_enabled),
            "notifications": {str(user.id): counts[user.id]},
        }, bool(user.notifications_enabled and user.email_notifications)))
    return result


def _deliver_notifications(prepared: Sequence[_NotificationEvent]) -> None:
    """After the commit: the live badge for everyone, the toast and the mail for those who want them."""
    for item in prepared:
        realtime.publish(item.event)
        if item.mail:
            _mail(item.user, item.notification)


def _mail(user, notification: Notification) -> None:
    from webapp.core.urls import external_url
    from webapp.mail import services as mail

    link = notification.link
    if link and link.startswith("/"):
        link = _site_root() + link
    mail.send(user.email, "notification", locale=user.locale, user=user, notification=notification, link=link,
              preferences=external_url("accounts.preferences"))


def _site_root() -> str:
    if has_request_context():
        return request.host_url.rstrip("/")
    return current_app.config["PUBLIC_BASE_URL"]


def path_for(endpoint: str, **values) -> str:
    """A site path, inside a request or not (notifications are made from jobs and commands too)."""
    if has_request_context():
        return url_for(endpoint, **values)
    with current_app.test_request_context(base_url=current_app.config["PUBLIC_BASE_URL"]):
        return url_for(endpoint, **values)


@cache
def _unread_notification_counts_statement():
    return (select(Notification.user_id, func.count(Notification.id))
            .where(Notification.user_id.in_(bindparam("user_ids", expanding=True)), Notification.read_at.is_(None))
            .group_by(Notification.user_id))


def unread_notification_counts(user_ids: Iterable[int]) -> dict[int, int]:
    ids = list(set(user_ids))
    counts = dict.fromkeys(ids, 0)
    if ids:
        counts.update(dict(db.session.execute(_unread_notification_counts_statement(), {"user_ids": ids}).all()))
    return counts


def unread_notification_count(user) -> int:
    return unread_notification_counts([user.id])[user.id]


def unread_notification_count_query(user_id: int):
    """The unread notifications of one person, as a scalar subquery (the nav bar's badge)."""
    return (select(func.count(Notification.id))
            .where(Notification.user_id == user_id, Notification.read_at.is_(None)).scalar_subquery())


def list_notifications(user, page: int = 1, per_page: int = 20, unread_only: bool = False) -> Page:
    stmt = select(Notification).where(Notification.user_id == user.id)
    if unread_only:
        stmt = stmt.where(Notification.read_at.is_(None))
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = list(db.session.scalars(stmt.order_by(Notification.id.desc()).limit(per_page)
                                   .offset((page - 1) * per_page)))
    return Page(items=rows, total=total, page=page, per_page=per_page)


def get_notification(user, notification_id) -> Notification:
    notification = db.session.get(Notification, notification_id) if str(notification_id).isdigit() else None
    if notification is None or not can(user, "notification.read", notification):
        raise NotFound(_("We could not find this notification."))
    return notification


_READ_TOPIC = (
    update(_NOTIFICATIONS)
    .where(_NOTIFICATIONS.c.user_id == bindparam("of_user"), _NOTIFICATIONS.c.topic == bindparam("of_topic"),
           _NOTIFICATIONS.c.read_at.is_(None))
    .values(read_at=bindparam("when", type_=_NOTIFICATIONS.c.read_at.type))
)


def _read_topic(user_id: int, topic: str, when: datetime) -> None:
    db.session.execute(_READ_TOPIC, {"of_user": user_id, "of_topic": topic, "when": when})


def _publish_notification_count(user) -> None:
    realtime.publish({"type": "notification.read", "recipients": [user.id],
                      "notifications": {str(user.id): unread_notification_count(user)}})


def mark_notification_read(user, notification_id) -> Notification:
    notification = get_notification(user, notification_id)
    if notification.read_at is None:
        notification.read_at = utcnow()
        db.session.commit()
        _publish_notification_count(user)
    return notification


def mark_all_notifications_read(user) -> int:
    result = db.session.execute(update(Notification)
                                .where(Notification.user_id == user.id, Notification.read_at.is_(None))
                                .values(read_at=utcnow()))
    db.session.commit()
    if result.rowcount:
        _publish_notification_count(user)
    return result.rowcount or 0


def pages(total: int, per_page: int) -> int:
    return max(1, math.ceil(total / per_page))


# "Download my data" --------------------------------------------------------------------------------

def _export_messages(user) -> list:
    """The conversations the person is in, with the messages they wrote."""
    rows = db.session.scalars(select(Participant).where(Participant.user_id == user.id).order_by(Participant.id))
    result = []
    for participant in rows:
        conversation = participant.conversation
        mine = db.session.scalars(select(Message).where(Message.conversation_id == conversation.id,
                                                        Message.sender_id == user.id, Message.deleted_at.is_(None))
                                  .order_by(Message.id))
        result.append({
            "conversation_id": conversation.id, "subject": conversation.subject, "kind": conversation.kind,
            "joined_at": participant.joined_at.isoformat(), "left_at": participant.left_at.isoformat()
            if participant.left_at else None,
            "my_messages": [{"text": m.text, "sent_at": m.created_at.isoformat()} for m in mine],
        })
    return result


def _export_notifications(user) -> list:
    rows = db.session.scalars(select(Notification).where(Notification.user_id == user.id).order_by(Notification.id))
    return [{"kind": n.kind, "title": n.title, "body": n.body, "link": n.link, "created_at": n.created_at.isoformat(),
             "read_at": n.read_at.isoformat() if n.read_at else None} for n in rows]


def _register_exporters() -> None:
    from webapp.accounts.services import data_exporter

    data_exporter("messages")(_export_messages)
    data_exporter("notifications")(_export_notifications)


_register_exporters()
