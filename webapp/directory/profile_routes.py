"""Profile pages: the talent's own editor (`/profile`), the staff profile page
(`/directory/<id>`), a candidate's editor, and adding or deleting a CRM candidate.

Every section is a form that posts through htmx and answers with itself (saved, or 422 with
the messages under the fields and everything typed kept); the score and the code follow out
of band. Without JavaScript the same forms post normally and redirect back."""

from __future__ import annotations

import io

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from flask_wtf.csrf import generate_csrf
from jinja2 import TemplateNotFound
from markupsafe import Markup, escape
from werkzeug.datastructures import FileStorage

from webapp.accounts import services as accounts
from webapp.accounts.forms import EmptyForm
from webapp.core.errors import ServiceError, ValidationFailed
from webapp.core.forms import show_errors
from webapp.core.htmx import is_htmx, redirect_to, render
from webapp.core.navigation import nav_item
from webapp.core.permissions import actor, can, require
from webapp.directory import bp, display, reference, search_cache
from webapp.directory import services as directory
from webapp.directory.models import LANGUAGE_LEVELS, Profile
from webapp.directory.profile_forms import CANDIDATE_FIELDS, FORMS, CandidateForm, city_choices, fill_choices
from webapp.extensions import db
from webapp.files import services as files
from webapp.messaging import services as messaging
from webapp.taxonomy import services as taxonomy

nav_item("directory.my_profile", _l("My profile"), "person-vcard", permission="profile.mine", order=20, group="me",
         active_prefix="directory.my_")
nav_item("directory.new_candidate", _l("Add a candidate"), "person-plus", permission="candidate.create", order=35, group="directory",
         active_prefix="directory.new_candidate")

SECTION_FIELDS = {**directory.SECTIONS, "notes": ("recruiter_notes",)}
EDITOR_SECTIONS = ("identity", "contact", "professional", "availability", "links", "skills", "languages",
                   "photo", "cv")
SECTION_TITLES = {
    "identity": _l("Identity"), "contact": _l("Contact"), "professional": _l("Professional"),
    "availability": _l("Availability and rate"), "links": _l("Links"), "skills": _l("Skills"),
    "languages": _l("Languages"), "photo": _l("Photo"), "cv": _l("CV"), "notes": _l("Recruiter notes"),
}
SECTION_ICONS = {"identity": "person", "contact": "telephone", "professional": "briefcase",
                 "availability": "calendar-check", "links": "link-45deg", "skills": "stars",
                 "languages": "translate", "photo": "camera", "cv": "file-earmark-person", "notes": "journal-text"}


# Which profile, and where its forms post -------------------------------------------------------

def _editable(profile_id: int | None) -> Profile:
    """The talent's own profile (profile_id None), or a profile staff may edit (a candidate)."""
    me = actor()
    if profile_id is None:
        require("profile.mine", user=me)
        return directory.my_profile(me)
    return directory.get_profile(profile_id, me, "profile.edit")


def _sections_for(profile: Profile) -> tuple[str, ...]:
    return EDITOR_SECTIONS + (("notes",) if profile.is_candidate else ())


def _is_self(profile: Profile) -> bool:
    me = actor()
    return me is not None and profile.user_id == me.id


def section_url(profile: Profile, section: str, check: bool = False) -> str:
    suffix = "_check" if check else ""
    if _is_self(profile):
        return url_for(f"directory.my_section{suffix}", section=section)
    return url_for(f"directory.candidate_section{suffix}", profile_id=profile.id, section=section)


def editor_url(profile: Profile, section: str | None = None) -> str:
    anchor = f"#{section}" if section else ""
    if _is_self(profile):
        return url_for("directory.my_profile") + anchor
    return url_for("directory.edit_profile", profile_id=profile.id) + anchor


def _form_for(profile: Profile, section: str, formdata=None):
    form_class = FORMS[section]
    form = form_class(formdata=formdata, obj=profile) if formdata is not None else form_class(obj=profile)
    return fill_choices(form)


def _forms(profile: Profile, replace: dict | None = None) -> dict:
    forms = {section: _form_for(profile, section) for section in _sections_for(profile)}
    forms.update(replace or {})
    return forms


def _context(profile: Profile, **extra) -> dict:
    lang = display.locale()
    skills = taxonomy.skills()
    grouped: dict[str, list] = {}
    for skill in skills:
        grouped.setdefault(skill.category(lang), []).append(skill)
    return {
        "profile": profile,
        "completeness": directory.completeness(profile),
        "section_titles": SECTION_TITLES,
        "section_icons": SECTION_ICONS,
        "sections": _sections_for(profile),
        "section_url": lambda section, check=False: section_url(profile, section, check),
        "editor_url": editor_url(profile),
        "is_self": _is_self(profile),
        "skills_by_category": dict(sorted(grouped.items())),
        "skill_names": {skill.id: skill for skill in skills},
        "skill_levels": reference.SKILL_LEVEL_LABELS,
        "languages": sorted(((code, display.language_name(code)) for code in reference.LANGUAGES),
                            key=lambda item: item[1]),
        "language_levels": [(level, str(reference.LANGUAGE_LEVEL_LABELS[level])) for level in LANGUAGE_LEVELS],
        "code_missing": _code_missing(profile),
        "skill_rows": _pending_or(extra, "skills", [{"skill_id": link.skill_id, "level": link.level}
                                                    for link in profile.skills]),
        "language_rows": _pending_or(extra, "languages", [{"code": link.code, "level": link.level}
                                                          for link in profile.languages]),
        "display": display,
        "reference": reference,
        **extra,
    }


def _pending_or(extra: dict, section: str, rows: list) -> list:
    """The rows just typed (on an error) for that section, else the saved ones."""
    if extra.get("section") == section and extra.get("pending") is not None:
        return extra["pending"]
    return rows


def _code_missing(profile: Profile) -> str:
    """"your nationality, your gender and your city": what the code still needs."""
    self = _is_self(profile)
    missing = []
    if profile.nationality_id is None:
        missing.append(_("your nationality") if self else _("nationality"))
    if not profile.gender:
        missing.append(_("your gender") if self else _("gender"))
    if profile.residence_city_id is None and profile.origin_city_id is None:
        missing.append(_("your city") if self else _("city"))
    if len(missing) < 2:
        return "".join(missing)
    return _("%(items)s and %(last)s", items=", ".join(missing[:-1]), last=missing[-1])


# The editor pages ---------------------------------------------------------------------------------

@bp.route("/profile")
@login_required
def my_profile():
    profile = _editable(None)
    return render("directory/profile/edit.html", **_context(profile, forms=_forms(profile)))


@bp.route("/directory/<int:profile_id>/edit")
@login_required
def edit_profile(profile_id: int):
    profile = _editable(profile_id)
    return render("directory/profile/edit.html", **_context(profile, forms=_forms(profile)))


# Saving a section ---------------------------------------------------------------------------------------

@bp.route("/profile/<section>", methods=["POST"])
@login_required
def my_section(section: str):
    return _save_section(None, section)


@bp.route("/directory/<int:profile_id>/edit/<section>", methods=["POST"])
@login_required
def candidate_section(profile_id: int, section: str):
    return _save_section(profile_id, section)


def _save_section(profile_id: int | None, section: str):
    profile = _editable(profile_id)
    if section not in _sections_for(profile):
        abort(404)
    form = _form_for(profile, section, request.form)
    pending = None
    if form.validate_on_submit():
        try:
            pending = _apply(profile, section, form)
        except ServiceError as error:
            db.session.rollback()
            show_errors(form, error)
            pending = getattr(error, "pending", None)
        else:
            return _saved(profile, section)
    elif not form.errors:
        form.form_errors.append(_("Your form has expired. Reload the page and send it again."))
    return _section_response(profile, section, form, status=422, pending=pending)


def _apply(profile: Profile, section: str, form):
    me = actor()
    if section in SECTION_FIELDS:
        changes = {name: getattr(form, name).data for name in SECTION_FIELDS[section] if hasattr(form, name)}
        if section == "contact" and not profile.is_candidate:
            changes.pop("email", None)  # an account's email changes from the account's security page
        directory.update_profile(me, profile, changes)
    elif section in ("skills", "languages"):
        rows = _rows_from_request(section)
        try:
            directory.update_profile(me, profile, {section: rows})
        except ValidationFailed as error:
            error.pending = rows
            raise
    elif section == "photo":
        if request.form.get("remove"):
            directory.remove_photo(me, profile)
        else:
            directory.set_photo(me, profile, request.files.get("photo"))
    elif section == "cv":
        if request.form.get("remove"):
            directory.remove_cv(me, profile)
        else:
            directory.set_cv(me, profile, request.files.get("cv"))
    return None


def _rows_from_request(section: str) -> list:
    """The rows of the skills or languages form: kept ones with their level, minus the one
    removed, plus the one added."""
    form = request.form
    if section == "skills":
        removed = form.get("remove_skill")
        rows = [{"skill_id": sid, "level": form.get(f"level-{sid}", 3)} for sid in form.getlist("skill")
                if sid != removed]
        if form.get("new_skill") and form.get("new_skill") not in {str(r["skill_id"]) for r in rows}:
            rows.append({"skill_id": form.get("new_skill"), "level": form.get("new_level") or 3})
        return rows
    removed = form.get("remove_language")
    rows = [{"code": code, "level": form.get(f"level-{code}", "fluent")} for code in form.getlist("language")
            if code != removed]
    if form.get("new_language") and form.get("new_language") not in {r["code"] for r in rows}:
        rows.append({"code": form.get("new_language"), "level": form.get("new_language_level") or "fluent"})
    return rows


def _saved(profile: Profile, section: str):
    message = _("Saved.") if section not in ("photo", "cv") else _("Your file is saved.")
    if not is_htmx():
        flash(message, "success")
        return redirect(editor_url(profile, section))
    form = _form_for(profile, section)
    return _section_response(profile, section, form, saved=message, oob=True)


def _section_response(profile: Profile, section: str, form, status: int = 200, saved: str | None = None,
                      oob: bool = False, pending=None):
    context = _context(profile, form=form, section=section, saved=saved, pending=pending, oob=oob)
    if is_htmx():
        response = render("directory/profile/edit.html", "directory/profile/partials/section_response.html",
                          status=status, **context)
        return response
    return render("directory/profile/edit.html", status=status,
                  **{**context, "forms": _forms(profile, {section: form})})


# Checking one field as it is typed ----------------------------------------------------------------------------

@bp.route("/profile/<section>/check", methods=["POST"])
@login_required
def my_section_check(section: str):
    return _check_field(None, section)


@bp.route("/directory/<int:profile_id>/edit/<section>/check", methods=["POST"])
@login_required
def candidate_section_check(profile_id: int, section: str):
    return _check_field(profile_id, section)


def _check_field(profile_id: int | None, section: str):
    """One field of a section, checked with the section's other values (nothing is saved)."""
    profile = _editable(profile_id)
    name = request.form.get("_field", "")
    if section not in SECTION_FIELDS or name not in SECTION_FIELDS[section]:
        abort(404)
    form = _form_for(profile, section, request.form)
    values = {key: getattr(form, key).data for key in SECTION_FIELDS[section] if hasattr(form, key)}
    try:
        directory.clean_changes(profile, values, actor())
    except ValidationFailed as error:
        getattr(form, name).errors = list(error.fields.get(name, []))
    db.session.rollback()
    # The whole section is rendered (one template for each field); htmx keeps this field's
    # wrapper (hx-select). 200 even with a message: the person is still typing.
    return render(f"directory/profile/partials/section_{section}.html", **_context(profile, form=form, section=section))


@bp.route("/profile/city-options")
@login_required
def city_options():
    """The <option>s of the city select for the chosen country (htmx swaps them in)."""
    country_id = next((value for key, value in request.args.items() if key.endswith("country_id")), None)
    # The city already chosen (sent along) stays chosen when it lies in the country.
    selected = next((value for key, value in request.args.items() if key.endswith("city_id")), "")
    return render("directory/profile/partials/city_options.html", choices=city_choices(country_id),
                  selected=selected)


# The staff profile page ----------------------------------------------------------------------------------------

@bp.route("/directory/<int:profile_id>")
@login_required
def profile_page(profile_id: int):
    me = actor()
    profile = directory.get_profile(profile_id, me)
    if _is_self(profile):
        return redirect(url_for("directory.my_profile"))
    # The viewer's powers are checked on every request; the body is kept per set of them.
    powers = {"can_edit": can(me, "profile.edit", profile), "can_delete": _may_delete(me, profile),
              "can_moderate": can(me, "profile.moderate", profile),
              "may_message": messaging.may_message(me, profile.user)}
    return render("directory/profile/show.html", profile=profile, body=profile_body(profile, powers), **powers)


_CSRF_MARK, _CINEMA_MARK, _ADDED_BY_MARK = "\x00csrf\x00", "\x00cinema-card\x00", "\x00added-by\x00"


def profile_body(profile: Profile, powers: dict) -> Markup:
    """The staff profile page's body (`partials/show_body.html`): rendered once per profile
    version (the data version: any write to profiles, their skills and languages, skills,
    cities or countries moves it), language, day and set of the viewer's powers, and kept
    (search_cache.PROFILE_BODIES). What it shows from elsewhere is put in each time: the
    CSRF token, the cinema card (cinema tables, the viewer's casting powers) and the name
    of who added the person (their account)."""
    key = ("profile-body", profile.id, display.locale(), *search_cache.version_stamp(),
           *sorted(powers.items()))
    html = search_cache.PROFILE_BODIES.get(key)
    if html is None:
        html = render_template(
            "directory/profile/partials/show_body.html", profile=profile, display=display, reference=reference,
            skill_levels=reference.SKILL_LEVEL_LABELS, whatsapp_link=_whatsapp_link(profile.whatsapp or profile.phone),
            csrf_token=lambda: _CSRF_MARK, cinema_card=Markup(_CINEMA_MARK), added_by=_ADDED_BY_MARK, **powers)
        search_cache.PROFILE_BODIES.put(key, html)
    if _CSRF_MARK in html:
        html = html.replace(_CSRF_MARK, generate_csrf())
    if _ADDED_BY_MARK in html:
        added_by = profile.created_by
        html = html.replace(_ADDED_BY_MARK, str(escape(added_by.full_name)) if added_by is not None else "")
    return Markup(html.replace(_CINEMA_MARK, _cinema_card(profile)))


def _cinema_card(profile: Profile) -> str:
    try:
        return render_template("casting/partials/profile_card.html", profile=profile)
    except TemplateNotFound:
        return ""


def _whatsapp_link(number: str | None) -> str | None:
    digits = "".join(ch for ch in number or "" if ch.isdigit())
    return f"https://wa.me/{digits}" if len(digits) >= 8 else None


def _may_delete(me, profile: Profile) -> bool:
    return can(me, "candidate.delete", profile) or (not profile.is_candidate and can(me, "admin"))


@bp.route("/directory/<int:profile_id>/delete", methods=["GET", "POST"])
@login_required
def delete_profile(profile_id: int):
    me = actor()
    profile = directory.get_profile(profile_id, me)
    if not _may_delete(me, profile):
        require("candidate.delete", profile)
    form = EmptyForm()
    if form.validate_on_submit():
        name = profile.full_name
        if profile.is_candidate:
            directory.delete_candidate(me, profile)
        else:
            accounts.admin_delete_account(me, profile.user)
        flash(_("%(name)s is deleted, with their files.", name=name), "info")
        return redirect_to(url_for("main.dashboard"))
    return render("directory/profile/delete.html", profile=profile, form=form)


@bp.route("/directory/<int:profile_id>/active", methods=["POST"])
@login_required
def set_active(profile_id: int):
    me = actor()
    profile = directory.get_profile(profile_id, me)
    if EmptyForm().validate_on_submit():
        active = request.form.get("active") == "1"
        directory.set_active(me, profile, active)
        flash(_("The profile is visible in the directory again.") if active
              else _("The profile is hidden from the directory."), "info")
    return redirect_to(url_for("directory.profile_page", profile_id=profile.id))


# Adding a candidate --------------------------------------------------------------------------------------------

@bp.route("/directory/candidates/new", methods=["GET", "POST"])
@login_required
def new_candidate():
    me = actor()
    require("candidate.create", user=me)
    form = fill_choices(CandidateForm())
    if form.validate_on_submit():
        try:
            profile = _create_candidate(me, form)
        except ServiceError as error:
            db.session.rollback()
            show_errors(form, error)
        else:
            flash(_("%(name)s is added to your candidates.", name=profile.full_name), "success")
            return redirect_to(url_for("directory.profile_page", profile_id=profile.id))
    elif form.is_submitted() and not form.errors:
        form.form_errors.append(_("Your form has expired. Reload the page and send it again."))
    status = 422 if form.is_submitted() else 200
    return render("directory/candidates/new.html", "directory/candidates/partials/form.html", status=status,
                  form=form)


def _create_candidate(me, form: CandidateForm) -> Profile:
    """Check the CV before the person is added, so a refused file adds nobody."""
    data = {name: getattr(form, name).data for name in CANDIDATE_FIELDS}
    data["source"] = form.source.data or "recruiter"
    upload = request.files.get("cv")
    cv_bytes = None
    if upload is not None and upload.filename:
        cv_bytes = files.read_upload(upload, "cv", max_bytes=directory.CV_MAX_BYTES)
        files.check_document(cv_bytes, "cv", directory.CV_TYPES)
    profile = directory.create_candidate(me, data)
    if cv_bytes is not None:
        directory.set_cv(me, profile, FileStorage(io.BytesIO(cv_bytes), upload.filename))
    return profile


@bp.app_template_filter("profile_nl2br")
def _nl2br(text: str | None) -> Markup:
    from markupsafe import escape

    return Markup("<br>".join(str(escape(line)) for line in (text or "").splitlines()))
