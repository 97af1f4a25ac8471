"""The live events' shapes: the hand-written `to_dict`s give what `dataclasses.asdict` gave
(dates in ISO form), every field included, and `from_dict` reads them back."""

from __future__ import annotations

from dataclasses import asdict, fields
from datetime import UTC, datetime

from webapp.messaging.presenters import AttachmentView, MessageView, NotificationView, ReceiptView

MOMENT = datetime(2026, 3, 4, 5, 6, 7, 890123, tzinfo=UTC)


def _as_before(view, *dates: str) -> dict:
    data = asdict(view)
    for name in dates:
        data[name] = getattr(view, name).isoformat() if getattr(view, name) else None
    return data


def test_a_message_view_dict_holds_every_field():
    view = MessageView(id=7, conversation_id=3, sender_id=2, sender_name="Ana Lima", text="Hi\nthere",
                       created_at=MOMENT, attachments=[AttachmentView(4, "cv.pdf", 1234, "application/pdf"),
                                                       AttachmentView(5, "me.png", 99, "image/png")], group=True)
    data = view.to_dict()
    assert data == _as_before(view, "created_at")
    assert list(data) == [f.name for f in fields(MessageView)]
    assert list(data["attachments"][0]) == [f.name for f in fields(AttachmentView)]
    assert MessageView.from_dict(data) == view


def test_a_receipt_and_a_notification_view_dict_hold_every_field():
    for receipt in (ReceiptView(2, "Ana Lima", 7, MOMENT), ReceiptView(3, "Bo", None, None)):
        assert receipt.to_dict() == _as_before(receipt, "last_read_at")
        assert list(receipt.to_dict()) == [f.name for f in fields(ReceiptView)]
        assert ReceiptView.from_dict(receipt.to_dict()) == receipt
    for notification in (NotificationView(9, "message", "Title", "Body", "/messages/3", MOMENT, None),
                         NotificationView(10, "system", "T", "", None, MOMENT, MOMENT)):
        assert notification.to_dict() == _as_before(notification, "created_at", "read_at")
        assert list(notification.to_dict()) == [f.name for f in fields(NotificationView)]
        assert NotificationView.from_dict(notification.to_dict()) == notification
