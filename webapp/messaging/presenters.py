"""What the templates show, as plain data: the same shapes come from the database (pages)
and from a live event (the socket), so each fragment is written once for both."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _parse(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def initials_of(name: str) -> str:
    parts = [p for p in (name or "").split() if p]
    return "".join(p[0] for p in parts[:2]).upper() or "?"


@dataclass
class AttachmentView:
    id: int
    name: str
    size: int
    content_type: str

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

    def to_dict(self) -> dict:
        return {"id": self.id, "name": self.name, "size": self.size, "content_type": self.content_type}


@dataclass
class MessageView:
    id: int
    conversation_id: int
    sender_id: int | None
    sender_name: str
    text: str
    created_at: datetime
    attachments: list[AttachmentView] = field(default_factory=list)
    group: bool = False  # in a group conversation (its messages show who wrote them)

    @property
    def sender_initials(self) -> str:
        return initials_of(self.sender_name)

    @classmethod
    def of(cls, message) -> MessageView:
        return cls(
            id=message.id, conversation_id=message.conversation_id, sender_id=message.sender_id,
            sender_name=message.sender.full_name if message.sender else "",
            text=message.text, created_at=message.created_at,
            attachments=[AttachmentView(a.file.id, a.file.original_name, a.file.size, a.file.content_type)
                         for a in message.attachments],
            group=message.conversation.kind == "group",
        )

    def to_dict(self) -> dict:
        # Written out rather than `asdict` (which deep-copies field by field): each send makes one.
        return {"id": self.id, "conversation_id": self.conversation_id, "sender_id": self.sender_id,
                "sender_name": self.sender_name, "text": self.text, "created_at": _iso(self.created_at),
                "attachments": [a.to_dict() for a in self.attachments], "group": self.group}

    @classmethod
    def from_dict(cls, data: dict) -> MessageView:
        return cls(**{**data, "created_at": _parse(data["created_at"]),
                      "attachments": [AttachmentView(**a) for a in data.get("attachments", [])]})


@dataclass
class ReceiptView:
    """How far one participant has read."""

    user_id: int
    name: str
    last_read_message_id: int | None
    last_read_at: datetime | None

    @classmethod
    def of(cls, participant) -> ReceiptView:
        return cls(participant.user_id, participant.user.full_name, participant.last_read_message_id,
                   participant.last_read_at)

    def to_dict(self) -> dict:
        return {"user_id": self.user_id, "name": self.name, "last_read_message_id": self.last_read_message_id,
                "last_read_at": _iso(self.last_read_at)}

    @classmethod
    def from_dict(cls, data: dict) -> ReceiptView:
        return cls(**{**data, "last_read_at": _parse(data["last_read_at"])})


@dataclass
class Receipts:
    """"Seen by …" under the latest message of a conversation, as a viewer sees it."""

    conversation_id: int
    last_message_id: int | None
    last_sender_id: int | None
    people: list[ReceiptView]

    def seen_by(self, viewer_id: int) -> list[ReceiptView]:
        """The others who have read the latest message (its sender aside)."""
        if self.last_message_id is None:
            return []
        return [p for p in self.people
                if p.user_id not in (viewer_id, self.last_sender_id)
                and (p.last_read_message_id or 0) >= self.last_message_id]

    def to_dict(self) -> dict:
        return {"conversation_id": self.conversation_id, "last_message_id": self.last_message_id,
                "last_sender_id": self.last_sender_id, "people": [p.to_dict() for p in self.people]}

    @classmethod
    def from_dict(cls, data: dict) -> Receipts:
        return cls(data["conversation_id"], data["last_message_id"], data["last_sender_id"],
                   [ReceiptView.from_dict(p) for p in data["people"]])


@dataclass
class ConversationSummary:
    """A row of the inbox: the conversation as one person sees it."""

    conversation: object
    title: str
    others: list
    last_message: MessageView | None
    unread: int
    muted: bool = False

    @property
    def id(self) -> int:
        return self.conversation.id


@dataclass
class NotificationView:
    id: int
    kind: str
    title: str
    body: str
    link: str | None
    created_at: datetime
    read_at: datetime | None = None

    @classmethod
    def of(cls, notification) -> NotificationView:
        return cls(notification.id, notification.kind, notification.title, notification.body or "",
                   notification.link, notification.created_at, notification.read_at)

    def to_dict(self) -> dict:
        return {"id": self.id, "kind": self.kind, "title": self.title, "body": self.body, "link": self.link,
                "created_at": _iso(self.created_at), "read_at": _iso(self.read_at)}

    @classmethod
    def from_dict(cls, data: dict) -> NotificationView:
        return cls(**{**data, "created_at": _parse(data["created_at"]), "read_at": _parse(data.get("read_at"))})
