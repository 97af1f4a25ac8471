"""AI casting (/cinema/ai-casting) and AI search (/directory/ai-search) pages, and the seed's
internal endpoints `POST /cinema/ai-search` and `POST /ai-search` (the pages' forms post
there; a client asking for JSON gets the API's shape)."""

from __future__ import annotations

from flask import flash, jsonify, redirect, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from sqlalchemy import select
from werkzeug.routing import BuildError

from webapp.ai import bp, serialize, services
from webapp.ai.index import WarmingUp, index_of, start_warmup
from webapp.casting.models import Assignment
from webapp.core.errors import ServiceError, ValidationFailed, json_error, wants_json
from webapp.core.htmx import is_htmx, render
from webapp.core.navigation import nav_item
from webapp.core.permissions import actor, can, require
from webapp.directory.models import AVAILABILITIES, WORK_MODES
from webapp.directory.reference import AVAILABILITY_LABELS, LANGUAGES, WORK_MODE_LABELS, language_name
from webapp.extensions import db
from webapp.taxonomy import services as taxonomy
from webapp.taxonomy.models import City

nav_item("ai.search_page", _l("AI search"), "stars", permission="directory.search", order=26, group="directory",
         active_prefix="ai.search")
nav_item("ai.casting_page", _l("AI casting"), "magic", permission="casting.search", order=48, group="cinema",
         active_prefix="ai.casting")

LOOKS = ("eye_color", "hair_color", "hair_type", "skin_tone", "build")
CAST_FIELDS = ("role_description", "gender", "age_min", "age_max", "height_min", "height_max", "country", "city",
               "experience_min", "role_id")
CAST_LISTS = ("languages", "talent_type", *LOOKS)
MATCH_FIELDS = ("job_description", "country", "city", "experience_min", "experience_max")
MATCH_LISTS = ("availability", "work_mode")


@bp.record_once
def _setup(state) -> None:
    from flask_sqlalchemy.session import Session

    from webapp.ai import feed

    feed.install(Session)
    app = state.app
    app.config.setdefault("AI_INDEX_BUILD", "background")

    @app.before_request
    def _warm_up_once():
        # Other servers than gunicorn (whose worker hook starts it at boot): the first request.
        if app.config.get("AI_INDEX_BUILD") != "inline" and index_of(app).state == "cold":
            start_warmup(app)


@bp.app_errorhandler(WarmingUp)
def _warming_up(_error: WarmingUp):
    message = _("The AI index is warming up. Try again in a few seconds.")
    if wants_json():
        response = json_error(503, "warming_up", message)
    else:
        response = render("errors/generic.html", status=503, message=message)
    response.headers["Retry-After"] = "3"
    return response


@bp.app_template_global()
def maybe_url(endpoint: str, **values) -> str | None:
    """A link to a page another feature may not have yet (None when it does not exist)."""
    try:
        return url_for(endpoint, **values)
    except BuildError:
        return None


def _locale() -> str:
    locale = get_locale()
    return str(locale.language) if locale else "en"


def _values(source, singles, lists) -> dict:
    values = {key: (source.get(key) or "") for key in singles}
    for key in lists:
        values[key] = [v for v in source.getlist(key) if v] if hasattr(source, "getlist") else (source.get(key) or [])
    return values


def _page_number() -> int:
    try:
        return max(1, min(int(request.values.get("page", 1)), 1000))
    except ValueError:
        return 1


# AI casting -----------------------------------------------------------------------------------

def _casting_options() -> dict:
    locale = _locale()
    countries = taxonomy.countries()
    cities = db.session.scalars(select(City).order_by(City.name)).all()
    return {
        "looks": {name: [(v.slug, v.name(locale)) for v in taxonomy.list_values(name)] for name in LOOKS},
        "languages": sorted(((code, language_name(code, locale)) for code in LANGUAGES), key=lambda p: p[1]),
        "countries": sorted(((c.iso_code, c.name(locale)) for c in countries), key=lambda p: p[1]),
        "cities": [(str(c.id), c.name) for c in cities],
        "talent_types": [(s.slug, s.name(locale)) for s in taxonomy.skills(tag="cinema")],
    }


def _shortlist_state(me, hits) -> tuple[list, dict]:
    """The viewer's open roles, and for each result the roles it is already on."""
    if not can(me, "casting.search"):
        return [], {}
    roles = services.open_roles(me)
    taken: dict[int, set[int]] = {}
    if roles and hits:
        rows = db.session.execute(select(Assignment.profile_id, Assignment.role_id).where(
            Assignment.profile_id.in_([h.profile.id for h in hits]), Assignment.role_id.in_([r.id for r in roles])))
        for profile_id, role_id in rows:
            taken.setdefault(profile_id, set()).add(role_id)
    return roles, taken


def _casting_response(values: dict, outcome=None, errors=None, warming=False, status=200):
    me = actor()
    roles, taken = _shortlist_state(me, outcome.hits if outcome else [])
    context = dict(values=values, outcome=outcome, errors=errors or {}, warming=warming, options=_casting_options(),
                   open_roles=roles, taken=taken, back=url_for("ai.casting_page", **_query_args(values)))
    return render("ai/casting.html", "ai/partials/casting_panel.html", status=status, **context)


def _query_args(values: dict) -> dict:
    return {k: v for k, v in values.items() if v not in ("", None, []) and k != "role_id"}


def _run_cast(values: dict, source):
    """Run the casting for a page or fragment: results, field errors (422) or warming up."""
    try:
        outcome = services.cast(actor(), source, page=_page_number())
    except WarmingUp:
        return _casting_response(values, warming=True)
    except ValidationFailed as error:
        return _casting_response(values, errors=error.fields, status=error.status)
    return _casting_response(values, outcome)


def _json(answer):
    """A JSON answer for a script at the seed's internal paths, errors in the API's shape
    (a JSON body asks for JSON even without an Accept header)."""
    try:
        return jsonify(answer())
    except WarmingUp:
        response = json_error(503, "warming_up", _("The AI index is warming up. Try again in a few seconds."))
        response.headers["Retry-After"] = "3"
        return response
    except ServiceError as error:
        return json_error(error.status, error.code, error.message, error.fields)


@bp.route("/cinema/ai-casting")
@login_required
def casting_page():
    """The form, and results straight away when the address carries a description (a link
    from a project role, a page reloaded, or the way back after shortlisting without JS)."""
    me = actor()
    require("casting.search", user=me)
    values = _values(request.args, CAST_FIELDS, CAST_LISTS)
    if request.args.get("role_id") and not values["role_description"]:
        prefill = services.role_prefill(me, request.args["role_id"])
        for key, value in prefill.items():
            values[key] = value if key in CAST_LISTS else str(value)
    if values["role_description"]:
        return _run_cast(values, values)
    return _casting_response(values)


@bp.route("/cinema/ai-search", methods=["POST"])
@login_required
def casting_search():
    """Seed 003's `POST /cinema/ai-search`: the page's form, or JSON for a script."""
    me = actor()
    require("casting.search", user=me)
    if request.is_json or wants_json():
        data = request.get_json(silent=True) if request.is_json else request.form
        if not isinstance(data, dict) and not hasattr(data, "getlist"):
            return json_error(422, "validation_error", _("The body must be a JSON object."))
        return _json(lambda: serialize.cast_payload(services.cast(me, data, page=_page_number())))
    return _run_cast(_values(request.form, CAST_FIELDS, CAST_LISTS), request.form)


@bp.route("/cinema/ai-casting/shortlist", methods=["POST"])
@login_required
def casting_shortlist():
    """Put a result on one of the viewer's open roles; the control comes back as itself."""
    me = actor()
    profile_id = request.form.get("profile_id", type=int) or 0
    error_text, status = None, 200
    try:
        assignment = services.shortlist(me, request.form.get("role_id"), profile_id)
    except ServiceError as error:
        if error.status in (401, 403, 404):
            raise
        error_text = " ".join(m for ms in error.fields.values() for m in ms) or error.message
        status = 409 if error.status == 409 else 422
    else:
        flash(_("%(name)s is shortlisted for %(role)s (%(code)s).", name=assignment.profile.full_name,
                role=assignment.role.name, code=assignment.code), "success")
    back = request.form.get("next") or ""
    if not is_htmx():
        if error_text:
            flash(error_text, "danger")
        return redirect(back if back.startswith("/") and not back.startswith("//") else url_for("ai.casting_page"))
    from webapp.directory.models import Profile

    profile = db.session.get(Profile, profile_id)
    roles = services.open_roles(me)
    taken = {profile_id: set(db.session.scalars(select(Assignment.role_id).where(Assignment.profile_id == profile_id)))}
    return render("ai/partials/shortlist.html", status=status, profile=profile, open_roles=roles, taken=taken,
                  shortlist_error=error_text, back=back)


# AI search --------------------------------------------------------------------------------------

def _search_options() -> dict:
    locale = _locale()
    countries = taxonomy.countries()
    cities = db.session.scalars(select(City).order_by(City.name)).all()
    return {
        "countries": sorted(((c.iso_code, c.name(locale)) for c in countries), key=lambda p: p[1]),
        "cities": [(str(c.id), c.name) for c in cities],
        "availability": [(a, str(AVAILABILITY_LABELS[a])) for a in AVAILABILITIES],
        "work_modes": [(m, str(WORK_MODE_LABELS[m])) for m in WORK_MODES],
    }


def _search_response(values: dict, outcome=None, errors=None, warming=False, status=200):
    return render("ai/search.html", "ai/partials/search_panel.html", status=status, values=values, outcome=outcome,
                  errors=errors or {}, warming=warming, options=_search_options())


def _run_match(values: dict, source, upload=None):
    try:
        outcome = services.match(actor(), source, upload, page=_page_number())
    except WarmingUp:
        return _search_response(values, warming=True)
    except ValidationFailed as error:
        return _search_response(values, errors=error.fields, status=error.status)
    return _search_response(values, outcome)


@bp.route("/directory/ai-search")
@login_required
def search_page():
    require("directory.search", user=actor())
    values = _values(request.args, MATCH_FIELDS, MATCH_LISTS)
    if values["job_description"]:
        return _run_match(values, values)
    return _search_response(values)


@bp.route("/ai-search", methods=["POST"])
@login_required
def search_run():
    """Seed 003's `POST /ai-search`: a job description typed or a file (PDF, DOCX, text)."""
    me = actor()
    require("directory.search", user=me)
    upload = request.files.get("file")
    if request.is_json or wants_json():
        data = request.get_json(silent=True) if request.is_json else request.form
        if not isinstance(data, dict) and not hasattr(data, "getlist"):
            return json_error(422, "validation_error", _("The body must be a JSON object."))
        return _json(lambda: serialize.match_payload(services.match(me, data, upload, page=_page_number())))
    return _run_match(_values(request.form, MATCH_FIELDS, MATCH_LISTS), request.form, upload)
