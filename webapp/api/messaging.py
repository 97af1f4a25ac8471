"""/api/v1/conversations, /messages and /notifications: the seeds' messaging endpoints.

Canonical paths are `/conversations...`; seed 000's `/chat/conversations...` and seed 001's
`/messaging/conversations...` are aliases (webapp/api/aliases.py). Outputs carry the seeds'
spellings side by side where they differ (`unread_count` and `unreadCount` ...), as the
user shape does. Message lists are cursor pages: `before` (a message id, or a timestamp as
seed 002 has it) and `limit`, with `has_more` / `next_cursor` (and seed 002's `pagination`).
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Literal

from flask import request, url_for
from flask_babel import gettext as _
from pydantic import BaseModel, Field
from sqlalchemy import func, select

from webapp.api import bp
from webapp.api.framework import api_route
from webapp.api.principal import resolve
from webapp.api.schemas import Input, either
from webapp.core.errors import NotFound, ValidationFailed
from webapp.core.pagination import Page, page_args
from webapp.extensions import db
from webapp.files.models import File
from webapp.messaging import attachments as attachment_files
from webapp.messaging import services as messaging
from webapp.messaging.models import Message
from webapp.messaging.presenters import MessageView

TAGS = ("messaging",)
NOTIFICATION_TAGS = ("notifications",)


def _me():
    return resolve().user


# Shapes -----------------------------------------------------------------------------------------

class ParticipantOut(BaseModel):
    userId: int
    user_id: int
    name: str
    role: Literal["admin", "member"]
    user_role: str
    avatar: str | None
    last_read_message_id: int | None
    last_read_at: datetime | None


class AttachmentOut(BaseModel):
    id: int
    name: str
    url: str
    size: int
    mimeType: str


class MessageOut(BaseModel):
    id: int
    conversationId: int
    conversation_id: int
    senderId: int | None
    sender_id: int | None
    sender_name: str
    text: str
    content: str = Field(description="The same as text (seed 000 spelling).")
    attachments: list[AttachmentOut]
    readBy: dict[str, datetime] = Field(description="Who read it and when, by user id (the sender included).")
    read_at: datetime | None = Field(description="When the first other person read it (seed 000).")
    timestamp: datetime
    created_at: datetime


class LastMessageOut(BaseModel):
    id: int
    text: str
    senderId: int | None
    timestamp: datetime


class ConversationOut(BaseModel):
    id: int
    type: Literal["direct", "group"]
    subject: str | None
    title: str
    participant_id: int | None = Field(description="The other person, in a direct conversation (seed 000).")
    participants: list[ParticipantOut]
    lastMessage: LastMessageOut | None
    last_message: str | None
    unreadCount: int
    unread_count: int
    context_type: str | None
    context_id: int | None
    createdAt: datetime
    created_at: datetime
    updatedAt: datetime


class ConversationDetailOut(ConversationOut):
    messages: list[MessageOut]
    has_more: bool
    next_cursor: str | None


class ConversationListOut(BaseModel):
    items: list[ConversationOut]
    total: int
    page: int
    per_page: int
    pages: int


class CursorOut(BaseModel):
    hasMore: bool
    nextCursor: str | None


class MessageListOut(BaseModel):
    items: list[MessageOut]
    total: int
    page: int
    per_page: int
    pages: int
    has_more: bool
    next_cursor: str | None
    pagination: CursorOut


class ReadOut(BaseModel):
    success: bool = True
    conversation_id: int
    message_id: int | None = None
    unread_count: int


class UnreadOut(BaseModel):
    unread_count: int
    unreadCount: int


class NotificationOut(BaseModel):
    id: int
    type: str = Field(description="The kind (seed 000 spelling).")
    kind: Literal["message", "application_stage", "assignment_stage", "assessment", "system"]
    title: str
    message: str = Field(description="The same as body (seed 000 spelling).")
    body: str
    link: str | None
    data: dict
    read: bool
    read_at: datetime | None
    created_at: datetime


class NotificationListOut(BaseModel):
    items: list[NotificationOut]
    total: int
    page: int
    per_page: int
    pages: int


class MarkedOut(BaseModel):
    success: bool = True
    updated: int


# Inputs ------------------------------------------------------------------------------------------

class ConversationIn(Input):
    participant_ids: list[int] | None = Field(
        None, validation_alias=either("participantIds", "participant_ids", "participants"))
    participant_id: int | None = Field(None, validation_alias=either("participant_id", "participantId"))
    type: Literal["direct", "group"] | None = None
    subject: str | None = Field(None, validation_alias=either("subject", "title"))
    text: str | None = Field(None, validation_alias=either("text", "content", "message"))
    context_type: str | None = Field(None, validation_alias=either("context_type", "contextType"))
    context_id: int | None = Field(None, validation_alias=either("context_id", "contextId"))

    def people(self) -> list[int]:
        people = list(self.participant_ids or [])
        if self.participant_id is not None:
            people.append(self.participant_id)
        return people


class AttachmentRef(Input):
    id: int


class MessageIn(Input):
    text: str | None = Field(None, validation_alias=either("text", "content"))
    attachments: list[AttachmentRef] | None = Field(
        None, description="Files already uploaded by the sender ({\"id\": ...}); or send multipart with files.")


class MessagesQuery(Input):
    before: str | None = Field(None, description="A message id, or a timestamp: messages before it.")
    limit: int = Field(50, ge=1, le=100)


class SearchIn(Input):
    query: str = Field(validation_alias=either("query", "q"), min_length=1, max_length=100)


class ReadIn(Input):
    message_id: int | None = Field(None, validation_alias=either("message_id", "messageId"))


# Turning rows into shapes --------------------------------------------------------------------------

def _attachment(file) -> AttachmentOut:
    return AttachmentOut(id=file.id, name=file.name, size=file.size, mimeType=file.content_type,
                         url=url_for("messaging.attachment", file_id=file.id, _external=True))


def _message(view: MessageView, seen: dict[int, datetime]) -> MessageOut:
    others = [at for user_id, at in seen.items() if user_id != view.sender_id]
    return MessageOut(
        id=view.id, conversationId=view.conversation_id, conversation_id=view.conversation_id,
        senderId=view.sender_id, sender_id=view.sender_id, sender_name=view.sender_name, text=view.text,
        content=view.text, attachments=[_attachment(a) for a in view.attachments],
        readBy={str(k): v for k, v in seen.items()}, read_at=min(others) if others else None,
        timestamp=view.created_at, created_at=view.created_at,
    )


def _messages(conversation, views: list[MessageView]) -> list[MessageOut]:
    seen = messaging.read_by(conversation, views)
    return [_message(v, seen.get(v.id, {})) for v in views]


def _conversation(summary, viewer) -> ConversationOut:
    conversation = summary.conversation
    others = summary.others
    last = summary.last_message
    return ConversationOut(
        id=conversation.id, type=conversation.kind, subject=conversation.subject, title=summary.title,
        participant_id=others[0].id if conversation.kind == "direct" and others else None,
        participants=[ParticipantOut(
            userId=p.user_id, user_id=p.user_id, name=p.user.full_name, role=p.role, user_role=p.user.role,
            avatar=None, last_read_message_id=p.last_read_message_id, last_read_at=p.last_read_at,
        ) for p in conversation.active_participants],
        lastMessage=LastMessageOut(id=last.id, text=last.text, senderId=last.sender_id, timestamp=last.created_at)
        if last else None,
        last_message=last.text if last else None,
        unreadCount=summary.unread, unread_count=summary.unread,
        context_type=conversation.context_type, context_id=conversation.context_id,
        createdAt=conversation.created_at, created_at=conversation.created_at,
        updatedAt=conversation.last_message_at or conversation.created_at,
    )


def _notification(n) -> NotificationOut:
    return NotificationOut(id=n.id, type=n.kind, kind=n.kind, title=n.title, message=n.body or "", body=n.body or "",
                           link=n.link, data=n.data or {}, read=n.read_at is not None, read_at=n.read_at,
                           created_at=n.created_at)


def _summary(conversation):
    return messaging.summaries(_me(), [conversation])[0]


# Conversations ---------------------------------------------------------------------------------------

@api_route(bp, "/conversations", "GET", summary="My conversations", tags=TAGS, response=ConversationListOut,
           errors=(401, 422))
def list_conversations():
    """Latest activity first; `q` searches subjects, names and messages."""
    page, per_page = page_args(request.args)
    result = messaging.list_conversations(_me(), page, per_page, query=request.args.get("q"))
    return result.envelope(lambda s: _conversation(s, _me()).model_dump(mode="json"))


@api_route(bp, "/conversations", "POST", summary="Start a conversation", tags=TAGS, body=ConversationIn,
           response=ConversationOut, status=201, errors=(401, 403, 404, 422))
def create_conversation(body: ConversationIn):
    """One other person makes a direct conversation (the same one comes back if it exists);
    several people, a subject or `type: group` make a group. Talents may write to staff only."""
    context = (body.context_type, body.context_id) if body.context_type and body.context_id is not None else None
    conversation = messaging.start_conversation(_me(), body.people(), subject=body.subject, context=context,
                                                first_message=body.text, kind=body.type)
    return _conversation(_summary(conversation), _me()), 201


@api_route(bp, "/conversations/search", "POST", summary="Search my conversations", tags=TAGS, body=SearchIn,
           response=ConversationListOut, errors=(401, 422))
def search_conversations(body: SearchIn):
    page, per_page = page_args(request.args)
    result = messaging.list_conversations(_me(), page, per_page, query=body.query)
    return result.envelope(lambda s: _conversation(s, _me()).model_dump(mode="json"))


@api_route(bp, "/conversations/<int:conversation_id>", "GET", summary="A conversation with its latest messages",
           tags=TAGS, response=ConversationDetailOut, errors=(401, 404))
def get_conversation(conversation_id: int):
    me = _me()
    conversation = messaging.get_conversation(me, conversation_id)
    window = messaging.conversation_messages(me, conversation)
    base = _conversation(_summary(conversation), me)
    return ConversationDetailOut(**base.model_dump(), messages=_messages(conversation, window.messages),
                                 has_more=window.has_more, next_cursor=window.next_cursor)


@api_route(bp, "/conversations/<int:conversation_id>/messages", "GET", summary="Messages, newest page first",
           tags=TAGS, query=MessagesQuery, response=MessageListOut, errors=(401, 404, 422))
def list_messages(conversation_id: int, query: MessagesQuery):
    """Up to `limit` messages before the cursor, oldest first within the page."""
    me = _me()
    conversation = messaging.get_conversation(me, conversation_id)
    window = messaging.conversation_messages(me, conversation, before=query.before, limit=query.limit)
    total = db.session.scalar(select(func.count(Message.id)).where(
        Message.conversation_id == conversation.id, Message.deleted_at.is_(None))) or 0
    return MessageListOut(
        items=_messages(conversation, window.messages), total=total, page=1, per_page=query.limit,
        pages=max(1, math.ceil(total / query.limit)), has_more=window.has_more, next_cursor=window.next_cursor,
        pagination=CursorOut(hasMore=window.has_more, nextCursor=window.next_cursor),
    )


def _own_files(user, refs: list[AttachmentRef] | None) -> list[File]:
    if not refs:
        return []
    ids = [ref.id for ref in refs]
    found = {f.id: f for f in db.session.scalars(select(File).where(File.id.in_(ids), File.owner_id == user.id))}
    missing = [i for i in ids if i not in found]
    if missing:
        raise ValidationFailed(fields={"attachments": [_("These files are not yours or do not exist: %(ids)s",
                                                         ids=", ".join(map(str, missing)))]})
    return [found[i] for i in ids]


@api_route(bp, "/conversations/<int:conversation_id>/messages", "POST", summary="Send a message", tags=TAGS,
           body=MessageIn, response=MessageOut, status=201, errors=(401, 404, 413, 422))
def send_message(conversation_id: int, body: MessageIn):
    """JSON `{"text", "attachments": [{"id"}]}` with files you uploaded, or multipart with `text`
    and `attachments` files (PDF, JPEG, PNG, WebP). Everyone in it gets the message live."""
    me = _me()
    conversation = messaging.get_conversation(me, conversation_id, "conversation.post")
    uploads = request.files.getlist("attachments") if request.files else []
    if uploads:
        message = attachment_files.send_with_uploads(me, conversation, body.text, uploads)
    else:
        message = messaging.send_message(me, conversation, body.text, _own_files(me, body.attachments))
    view = getattr(message, "view", None) or MessageView.of(message)
    return _message(view, {view.sender_id: view.created_at}), 201  # a new message is read by its sender only


@api_route(bp, "/conversations/<int:conversation_id>/messages/<int:message_id>", "DELETE",
           summary="Delete my message for everyone", tags=TAGS, status=204, errors=(401, 403, 404))
def delete_message(conversation_id: int, message_id: int):
    me = _me()
    message = messaging.get_message(me, message_id)
    if message.conversation_id != conversation_id:
        raise NotFound(_("We could not find this message."))
    messaging.delete_message(me, message)
    return None


@api_route(bp, "/conversations/<int:conversation_id>/read", "PUT", summary="Mark a conversation as read",
           tags=TAGS, body=ReadIn, response=ReadOut, errors=(401, 404))
def read_conversation(conversation_id: int, body: ReadIn):
    """Up to `message_id` when given, else everything."""
    me = _me()
    conversation = messaging.get_conversation(me, conversation_id)
    messaging.mark_read(me, conversation, body.message_id)
    return ReadOut(conversation_id=conversation.id, message_id=body.message_id, unread_count=messaging.unread_count(me))


@api_route(bp, "/messages/<int:message_id>/read", "PUT", summary="Mark a message (and those before it) as read",
           tags=TAGS, response=ReadOut, errors=(401, 404))
def read_message(message_id: int):
    me = _me()
    message = messaging.mark_message_read(me, message_id)
    return ReadOut(conversation_id=message.conversation_id, message_id=message.id,
                   unread_count=messaging.unread_count(me))


@api_route(bp, "/messages/unread/count", "GET", summary="How many messages I have not read", tags=TAGS,
           response=UnreadOut, errors=(401,))
def unread_messages():
    count = messaging.unread_count(_me())
    return UnreadOut(unread_count=count, unreadCount=count)


# Notifications ----------------------------------------------------------------------------------------

@api_route(bp, "/notifications", "GET", summary="My notifications, newest first", tags=NOTIFICATION_TAGS,
           response=NotificationListOut, errors=(401, 422))
def list_notifications():
    """`unread=true` for the unread ones only."""
    page, per_page = page_args(request.args)
    unread_only = request.args.get("unread", "").lower() in ("1", "true", "yes")
    result: Page = messaging.list_notifications(_me(), page, per_page, unread_only=unread_only)
    return result.envelope(lambda n: _notification(n).model_dump(mode="json"))


@api_route(bp, "/notifications/unread/count", "GET", summary="How many notifications I have not read",
           tags=NOTIFICATION_TAGS, response=UnreadOut, errors=(401,))
def unread_notifications():
    count = messaging.unread_notification_count(_me())
    return UnreadOut(unread_count=count, unreadCount=count)


@api_route(bp, "/notifications/<int:notification_id>/read", "PUT", summary="Mark a notification as read",
           tags=NOTIFICATION_TAGS, response=NotificationOut, errors=(401, 404))
def read_notification(notification_id: int):
    return _notification(messaging.mark_notification_read(_me(), notification_id))


@api_route(bp, "/notifications/read-all", "PUT", summary="Mark all my notifications as read",
           tags=NOTIFICATION_TAGS, response=MarkedOut, errors=(401,))
def read_all_notifications():
    return MarkedOut(updated=messaging.mark_all_notifications_read(_me()))
