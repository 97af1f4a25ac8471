"""Conversations between people, their messages and read marks, and notifications."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.core.db import TimestampMixin, UTCDateTime, utcnow
from webapp.extensions import db

CONVERSATION_KINDS = ("direct", "group")
PARTICIPANT_ROLES = ("admin", "member")
NOTIFICATION_KINDS = ("message", "application_stage", "assignment_stage", "assessment", "system")


def _in(values: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


class Conversation(TimestampMixin, db.Model):
    __tablename__ = "conversations"
    __table_args__ = (CheckConstraint(f"kind IN {_in(CONVERSATION_KINDS)}", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(8), default="direct")
    subject: Mapped[str | None] = mapped_column(String(200))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # What the conversation is about (a profile, a casting project, a job ...), when anything.
    context_type: Mapped[str | None] = mapped_column(String(32))
    context_id: Mapped[int | None] = mapped_column(Integer)
    # Two people (and one context) have one direct conversation: "<low id>:<high id>[:type:id]".
    direct_key: Mapped[str | None] = mapped_column(String(80), unique=True)
    last_message_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)

    participants: Mapped[list[Participant]] = relationship(
        back_populates="conversation", cascade="all, delete-orphan", order_by="Participant.id")

    @property
    def active_participants(self) -> list[Participant]:
        return [p for p in self.participants if p.left_at is None]

    def participant(self, user_id: int) -> Participant | None:
        return next((p for p in self.participants if p.user_id == user_id and p.left_at is None), None)

    def __repr__(self) -> str:
        return f"<Conversation {self.id} {self.kind}>"


class Participant(db.Model):
    __tablename__ = "conversation_participants"
    __table_args__ = (
        UniqueConstraint("conversation_id", "user_id", name="uq_conversation_participants_conversation_user"),
        CheckConstraint(f"role IN {_in(PARTICIPANT_ROLES)}", name="role"),
        Index("ix_conversation_participants_user_left", "user_id", "left_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(8), default="member")
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Everything up to this message has been read by this person.
    last_read_message_id: Mapped[int | None] = mapped_column(Integer)
    last_read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # A muted conversation makes no notification (nor mail); its messages still count as unread.
    muted: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    conversation: Mapped[Conversation] = relationship(back_populates="participants")
    user = relationship("User", lazy="joined")


class Message(db.Model):
    __tablename__ = "messages"
    __table_args__ = (Index("ix_messages_conversation_id_id", "conversation_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"))
    # A deleted account takes its messages with it (privacy first).
    sender_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Deleted messages keep their row (ids and read marks stay meaningful) but lose their text.
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    conversation: Mapped[Conversation] = relationship()
    sender = relationship("User", lazy="joined")
    attachments: Mapped[list[MessageAttachment]] = relationship(
        cascade="all, delete-orphan", order_by="MessageAttachment.position", lazy="selectin")


class MessageAttachment(db.Model):
    __tablename__ = "message_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"), index=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("files.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    file = relationship("File", lazy="joined")


class ReadMark(db.Model):
    """Each time someone's read mark moves forward: "read everything up to message N at T".
    The history answers "when did X read this message" for the API's readBy."""

    __tablename__ = "read_marks"
    __table_args__ = (Index("ix_read_marks_conversation_up_to", "conversation_id", "up_to_message_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    up_to_message_id: Mapped[int] = mapped_column(Integer)
    read_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Notification(db.Model):
    __tablename__ = "notifications"
    __table_args__ = (
        CheckConstraint(f"kind IN {_in(NOTIFICATION_KINDS)}", name="kind"),
        Index("ix_notifications_user_read", "user_id", "read_at"),
        Index("ix_notifications_user_topic", "user_id", "topic"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(24))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    link: Mapped[str | None] = mapped_column(String(500))
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    # Notifications about one thing (e.g. "conversation:12") are coalesced while unread.
    topic: Mapped[str | None] = mapped_column(String(64))
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user = relationship("User")
