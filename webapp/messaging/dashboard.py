"""The dashboard's messaging card: the latest conversations and what is unread."""

from __future__ import annotations

from webapp.core.dashboard import dashboard_card
from webapp.messaging import services


@dashboard_card("messages", "messaging/partials/card_messages.html", permission="messaging.use", order=40)
def _messages(user) -> dict:
    page = services.list_conversations(user, page=1, per_page=3)
    return {"conversations": page.items, "total": page.total, "unread": services.unread_count(user)}
