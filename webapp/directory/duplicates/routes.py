"""Recruiters' pages for duplicates: the groups, the comparison of a pair, merge, dismiss."""

from __future__ import annotations

from flask import flash, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from webapp.core.errors import NotFound, ServiceError
from webapp.core.htmx import redirect_to, render
from webapp.core.navigation import nav_item
from webapp.core.permissions import actor, permission_required
from webapp.directory import bp
from webapp.directory.duplicates import services as duplicates
from webapp.directory.models import Profile
from webapp.directory.publishing.routes import profile_page_url
from webapp.extensions import db

nav_item("directory.duplicates", _l("Duplicates"), "people", permission="duplicates.manage", order=36, group="directory",
         active_prefix="directory.duplicate")


@bp.app_template_global("duplicate_matches")
def _matches_global(profile):
    """For the staff profile page's notice partial: this profile's duplicates (empty for
    anyone who does not handle duplicates)."""
    return duplicates.flagged_for(actor(), profile)


@bp.app_template_global("staff_profile_url")
def _staff_profile_url(profile):
    return profile_page_url(profile)


def _keep() -> int | None:
    raw = request.values.get("keep", "")
    return int(raw) if raw.isdigit() else None


@bp.route("/directory/duplicates", endpoint="duplicates")
@permission_required("duplicates.manage")
def duplicates_index():
    return render("directory/duplicates/index.html", found=duplicates.duplicate_groups(actor()))


@bp.route("/directory/duplicates/<int:first_id>/<int:second_id>")
@permission_required("duplicates.manage")
def duplicate_compare(first_id: int, second_id: int):
    comparison = duplicates.compare(actor(), first_id, second_id, _keep())
    return render("directory/duplicates/compare.html", comparison=comparison, first_id=first_id, second_id=second_id)


@bp.route("/directory/duplicates/<int:first_id>/<int:second_id>/merge", methods=["POST"])
@permission_required("duplicates.manage")
def duplicate_merge(first_id: int, second_id: int):
    picks = {key[len("choice-"):]: value for key, value in request.form.items() if key.startswith("choice-")}
    try:
        survivor = duplicates.merge(actor(), first_id, second_id, _keep(), picks)
    except ServiceError as error:
        comparison = duplicates.compare(actor(), first_id, second_id, _keep())
        return render("directory/duplicates/compare.html", status=error.status, comparison=comparison,
                      first_id=first_id, second_id=second_id, error=error.message, picks=picks)
    flash(_("The two records are now one person: %(name)s.", name=survivor.full_name), "success")
    return redirect_to(profile_page_url(survivor) or url_for("directory.duplicates"))


@bp.route("/directory/duplicates/<int:first_id>/<int:second_id>/dismiss", methods=["POST"])
@permission_required("duplicates.manage")
def duplicate_dismiss(first_id: int, second_id: int):
    first, second = db.session.get(Profile, first_id), db.session.get(Profile, second_id)
    if first is None or second is None:
        raise NotFound(_("This profile does not exist."))
    duplicates.dismiss(actor(), first, second)
    flash(_("Marked as two different people: %(first)s and %(second)s are no longer flagged.",
            first=first.full_name, second=second.full_name), "info")
    return redirect_to(url_for("directory.duplicates"))
