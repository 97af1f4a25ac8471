"""Stand-ins for two pages of the profiles lane (helper A), so the directory can link to them
before they land: `directory.profile_page` (/directory/<id>) and `directory.new_candidate`.

Each is registered only when no view of that name exists once every blueprint is in place,
so the real pages replace these without a change here. Delete this file (and its call in
webapp/__init__.py) when they have landed.
"""

from __future__ import annotations

from flask import render_template

from webapp.core.permissions import actor, require
from webapp.directory import services as directory


def placeholder_profile_page(profile_id: int):
    profile = directory.get_profile(profile_id, actor())
    return render_template("directory/placeholder_profile.html", profile=profile,
                           completeness=directory.completeness(profile))


def placeholder_new_candidate():
    require("candidate.create")
    return render_template("directory/placeholder_new_candidate.html")


def register_missing(app) -> None:
    """Called once every blueprint is registered (webapp/__init__.py)."""
    if "directory.profile_page" not in app.view_functions:
        app.add_url_rule("/directory/<int:profile_id>", "directory.profile_page", placeholder_profile_page)
    if "directory.new_candidate" not in app.view_functions:
        app.add_url_rule("/directory/candidates/new", "directory.new_candidate", placeholder_new_candidate)
