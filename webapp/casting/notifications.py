"""Telling a talent about their castings: when they are shortlisted for a role or move to
another stage, they get a notification (in the app, and by mail if they allow it) through
messaging's `notify()`.

The casting staff's notes stay internal: the talent is told the project, the role and the
stage, never the note. CRM candidates have no account, so nobody is told."""

from __future__ import annotations

import logging

from flask import has_request_context, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from webapp.casting.services import STAGE_LABELS, assignment_changed
from webapp.messaging.services import notify

log = logging.getLogger(__name__)

KIND = "assignment_stage"


def message_for(assignment, stage: str) -> tuple[str, str]:
    """The title and text the talent reads (in the current locale)."""
    project, role = assignment.project, assignment.role
    production = project.organisation.name
    if stage == "shortlisted" and len(assignment.history) <= 1:
        title = _("You are shortlisted for %(project)s", project=project.name)
        body = _("%(production)s shortlisted you for the role “%(role)s” (%(code)s). They will contact you.",
                 production=production, role=role.name, code=assignment.code)
    elif stage == "released":
        title = _("Casting for %(project)s: update", project=project.name)
        body = _("%(production)s did not keep you for the role “%(role)s” this time. Thank you for taking part.",
                 production=production, role=role.name)
    else:
        title = _("Casting for %(project)s: %(stage)s", project=project.name, stage=STAGE_LABELS[stage])
        body = _("Your casting for the role “%(role)s” with %(production)s is now at the stage: %(stage)s.",
                 role=role.name, production=production, stage=STAGE_LABELS[stage])
    return title, body


@assignment_changed.connect
def tell_the_talent(assignment, actor=None, stage: str | None = None, **_extra) -> None:
    profile = assignment.profile
    if profile.user_id is None or profile.user is None:
        return
    if actor is not None and actor.id == profile.user_id:
        return
    stage = stage or assignment.stage
    try:
        with force_locale(profile.user.locale or "en"):
            title, body = message_for(assignment, stage)
        link = url_for("casting.my_details") if has_request_context() else None
        notify(profile.user_id, KIND, title, body, link=link,
               data={"assignment_id": assignment.id, "project_id": assignment.project_id, "stage": stage},
               topic=f"assignment:{assignment.id}")
    except Exception:  # the casting is done; a notification that fails must not undo it
        log.exception("Could not notify profile %s about assignment %s", profile.id, assignment.id)
