"""The dashboard's cards about the account itself: details, administration, integrations."""

from __future__ import annotations

from webapp.core.dashboard import dashboard_card


@dashboard_card("account", "main/partials/card_account.html", order=90)
def _account(user) -> dict:
    return {}


@dashboard_card("admin", "main/partials/card_admin.html", permission="admin", order=5)
def _admin(user) -> dict:
    from sqlalchemy import func, select

    from webapp.accounts.models import User
    from webapp.extensions import db

    counts = dict(db.session.execute(select(User.role, func.count()).group_by(User.role)).all())
    return {"role_counts": counts}


@dashboard_card("integrations", "main/partials/card_integrations.html", order=95)
def _integrations(user) -> dict:
    return {}
