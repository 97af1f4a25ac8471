"""The dashboard's directory cards: a talent's profile progress, a recruiter's way in to the
directory and the CRM."""

from __future__ import annotations

from sqlalchemy import func, select

from webapp.core.dashboard import dashboard_card
from webapp.directory import services
from webapp.directory.models import Profile
from webapp.extensions import db


@dashboard_card("profile_progress", "directory/partials/card_progress.html", permission="profile.mine", order=10)
def _progress(user) -> dict:
    profile = services.my_profile(user)
    return {"profile": profile, "completeness": services.completeness(profile)}


@dashboard_card("directory", "directory/partials/card_directory.html", permission="directory.search", order=10)
def _directory(user) -> dict:
    active = select(func.count(Profile.id)).where(Profile.is_active.is_(True))
    return {"profiles": db.session.scalar(active) or 0,
            "candidates": db.session.scalar(active.where(Profile.user_id.is_(None))) or 0}
