"""The dashboard's casting cards: a talent's castings, a casting agent's open projects."""

from __future__ import annotations

from sqlalchemy import func, select

from webapp.casting import services
from webapp.casting.models import Assignment, CastingProject
from webapp.core.dashboard import dashboard_card
from webapp.directory import services as directory
from webapp.extensions import db


@dashboard_card("my_castings", "casting/partials/card_my_castings.html", permission="cinema.own", order=30)
def _my_castings(user) -> dict:
    profile = directory.my_profile(user)
    return {"assignments": services.assignments_of_profile(user, profile)[:5],
            "stage_labels": services.STAGE_LABELS}


@dashboard_card("projects", "casting/partials/card_projects.html", permission="casting.search", order=30, wide=True)
def _projects(user) -> dict:
    stmt = services.projects_query(user).where(CastingProject.status.in_(services.OPEN_STATUSES)).limit(5)
    projects = list(db.session.scalars(stmt))
    stages: dict[int, dict[str, int]] = {}
    if projects:
        rows = db.session.execute(select(Assignment.project_id, Assignment.stage, func.count())
                                  .where(Assignment.project_id.in_([p.id for p in projects]))
                                  .group_by(Assignment.project_id, Assignment.stage))
        for project_id, stage, count in rows:
            stages.setdefault(project_id, {})[stage] = count
    return {"projects": projects, "stages": stages, "stage_labels": services.STAGE_LABELS,
            "status_labels": services.STATUS_LABELS}
