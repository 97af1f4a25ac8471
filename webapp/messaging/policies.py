"""Who may write to whom, and who may read a conversation: decided here and nowhere else.

Pages, fragments, the API and the socket all ask these rules (through `can` / `require`):
- staff (recruiters, consultants, admins) may start a conversation with anyone active;
- a talent may start one with staff only;
- only the current participants of a conversation read it or post in it (a removed
  participant loses both at once);
- only the sender deletes a message; only staff in a conversation add or remove people.
"""

from __future__ import annotations

from webapp.core.permissions import STAFF_ROLES, policy


def is_staff(user) -> bool:
    return user is not None and user.role in STAFF_ROLES


def may_write_to(writer, recipient) -> bool:
    """The one rule of who may start talking to whom."""
    if recipient is None or writer is None or recipient.id == writer.id:
        return False
    if not getattr(recipient, "is_active", False):
        return False
    return is_staff(writer) or is_staff(recipient)


def is_participant(user, conversation) -> bool:
    return user is not None and conversation is not None and conversation.participant(user.id) is not None


@policy("messaging.use")
def _may_use_messaging(user, _obj) -> bool:
    return True


@policy("conversation.start")
def _may_start(user, recipients) -> bool:
    recipients = list(recipients or [])
    return bool(recipients) and all(may_write_to(user, person) for person in recipients)


@policy("conversation.read")
def _may_read(user, conversation) -> bool:
    return is_participant(user, conversation)


@policy("conversation.post")
def _may_post(user, conversation) -> bool:
    return is_participant(user, conversation)


@policy("conversation.manage")
def _may_manage(user, conversation) -> bool:
    return is_participant(user, conversation) and is_staff(user)


@policy("conversation.add_participant")
def _may_add(user, conversation_and_newcomer) -> bool:
    conversation, newcomer = conversation_and_newcomer
    return _may_manage(user, conversation) and may_write_to(user, newcomer)


@policy("message.delete")
def _may_delete(user, message) -> bool:
    return (message is not None and message.deleted_at is None and message.sender_id == user.id
            and is_participant(user, message.conversation))


@policy("notification.read")
def _may_read_notification(user, notification) -> bool:
    return notification is not None and notification.user_id == user.id
