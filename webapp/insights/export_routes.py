"""Export pages: /exports (start one, follow its progress, download it), the confirmation of
a list export (/exports/new?kind=directory&<the search's arguments>), the progress fragment
that polls while the job runs, and the download (owner or admin only)."""

from __future__ import annotations

from flask import flash, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from webapp.accounts.forms import EmptyForm
from webapp.core.errors import ServiceError, ValidationFailed
from webapp.core.htmx import redirect_to, render
from webapp.core.navigation import nav_item
from webapp.core.permissions import actor, can, require
from webapp.insights import bp
from webapp.insights import exports as service
from webapp.insights.export_rows import SOURCES

nav_item("insights.exports", _l("Exports"), "file-earmark-spreadsheet", permission="export.list", order=62, group="insights",
         active_prefix="insights.export")

KIND_LABELS = {"users": _l("All profiles"), "cinema": _l("All cinema talents"), "directory": _l("Directory search"),
               "casting": _l("Casting search"), "shortlist": _l("Project shortlist")}
FILTER_PREFIX = "f."  # the search's own arguments travel in the form as f.<name>


def _projects(viewer) -> list:
    from webapp.casting import services as casting
    from webapp.extensions import db

    return list(db.session.scalars(casting.projects_query(viewer).limit(200)))


def _request_from_form(form) -> service.Request:
    kind = form.get("kind", "")
    filters = {key[len(FILTER_PREFIX):]: form.getlist(key) if len(form.getlist(key)) > 1 else form.get(key)
               for key in form if key.startswith(FILTER_PREFIX)}
    if kind == "shortlist":
        filters = {"project": form.get("project")}
    return service.Request(kind=kind, format=form.get("format", "xlsx"), filters=filters,
                           bom=form.get("bom") in ("1", "on", "y"), semicolon=form.get("semicolon") in ("1", "on", "y"))


def _page(status: int = 200, errors: dict | None = None):
    viewer = actor()
    return render("insights/exports.html", exports=service.mine(viewer), may_export_all=can(viewer, "export.full"),
                  projects=_projects(viewer), kind_labels=KIND_LABELS, highlight=request.args.get("kind", ""),
                  form=EmptyForm(), errors=errors or {}, status=status)


@bp.route("/exports", methods=["GET", "POST"])
def exports():
    require("export.list")
    if request.method == "GET":
        return _page()
    form = EmptyForm()
    if not form.validate_on_submit():
        return _page(400, {"form": [_("Your form has expired. Send it again.")]})
    try:
        export = service.start(actor(), _request_from_form(request.form))
    except ValidationFailed as error:
        return _page(422, error.fields or {"form": [error.message]})
    except ServiceError as error:
        if error.status in (401, 403, 404):
            raise
        return _page(error.status, {"form": [error.message]})
    flash(_("Your export has started. It appears below; download it when it is ready."), "success")
    return redirect_to(url_for("insights.exports") + f"#export-{export.id}")


@bp.route("/exports/new")
def new_export():
    """The confirmation of a list export: what will be exported, how many rows, which format."""
    require("export.list")
    kind = request.args.get("kind", "")
    # A search's own arguments come plain, or as f.<name> when one of them is itself called "kind".
    filters = {key.removeprefix(FILTER_PREFIX): request.args.getlist(key) if len(request.args.getlist(key)) > 1
               else request.args.get(key) for key in request.args if key != "kind"}
    wanted = service.Request(kind=kind, filters=filters)
    try:
        rows = service.count(actor(), wanted)
    except ValidationFailed as error:
        return _page(422, error.fields)
    return render("insights/export_new.html", kind=kind, kind_labels=KIND_LABELS, filters=filters, rows=rows,
                  prefix=FILTER_PREFIX, form=EmptyForm(), sheet=SOURCES[kind].sheet)


@bp.route("/exports/<int:export_id>")
def export_progress(export_id: int):
    export = service.get(export_id, actor())
    return render("insights/export_page.html", "insights/partials/export_item.html", export=export,
                  kind_labels=KIND_LABELS)


@bp.route("/exports/<int:export_id>/download")
def download_export(export_id: int):
    export = service.get(export_id, actor())
    path = service.file_of(export, actor())
    response = send_file(path, mimetype=service.MIMETYPES[export.format], as_attachment=True,
                         download_name=export.download_name, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response
