"""The dashboard's statistics card: the platform at a glance."""

from __future__ import annotations

from webapp.core.dashboard import dashboard_card
from webapp.insights import services


@dashboard_card("platform", "insights/partials/card_platform.html", permission="stats.view", order=50)
def _platform(user) -> dict:
    return {"figures": services.overview()}
