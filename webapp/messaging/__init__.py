"""Messaging: conversations, messages, notifications, and the live socket at /ws.

What other features call (all in `webapp.messaging.services`):

- `start_conversation(starter, participants, subject=None, context=None, first_message=None)`
  opens a direct conversation (one other person; an existing one is reused) or a group
  conversation (several people, or a subject). `context=("casting_project", 12)` links it to
  what it is about, so a profile or a project page can start "its" conversation.
- `send_message(sender, conversation, text, attachments=())` stores a message, moves the
  sender's read mark, notifies the others (one unread "message" notification per
  conversation, mailed once) and pushes it live to every participant's open pages.
- `notify(user_or_id, kind, title, body="", link=None, data=None)` with kind one of
  `message`, `application_stage`, `assignment_stage`, `assessment`, `system`: stores the
  notification, pushes the badge (and a toast) live, and mails it through the outbox when
  the person allows it (`notifications_enabled` for the live toast and the mail,
  `email_notifications` for the mail). The caller need not commit: notify commits.

Who may do what is decided in `webapp.messaging.policies` (staff write to anyone, talents
write to staff and in conversations they are in, only participants read or post); pages,
the API and the socket all ask it. Live events travel on the bus in
`webapp.messaging.realtime`: in-process by default, Redis pub/sub when REDIS_URL is set.
"""

from flask import Blueprint

bp = Blueprint("messaging", __name__)
notifications_bp = Blueprint("notifications", __name__)
