"""Cinema pages: a talent's cinema details, the staff's talent page, productions, casting
projects with their roles and assignments, the attribute search and the managed lists.

Routes parse, call the casting services and render; each form posts through htmx and gets
its own fragment back (422 with the messages), and works as a plain form without JavaScript.
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from webapp.accounts.forms import EmptyForm
from webapp.casting import admin_bp, bp, display, forms, value_lists
from webapp.casting import notifications as _notifications  # noqa: F401  (talents hear about their castings)
from webapp.casting import services as casting
from webapp.casting.models import GALLERY_MAX, PROJECT_STATUSES
from webapp.core.errors import NotFound, ServiceError, ValidationFailed
from webapp.core.forms import show_errors
from webapp.core.htmx import is_htmx, redirect_to, render
from webapp.core.navigation import nav_item
from webapp.core.pagination import page_args, paginate
from webapp.core.permissions import actor, can, require
from webapp.directory import services as directory
from webapp.directory.reference import LANGUAGES
from webapp.files.routes import send_stored
from webapp.messaging import services as messaging_services

nav_item("casting.my_details", _l("Cinema details"), "camera-reels", permission="cinema.own", order=22,
         active_prefix="casting.", group="me")
nav_item("casting.search", _l("Attribute search"), "sliders", permission="casting.search", order=40,
         active_prefix="casting.search", group="cinema")
nav_item("casting.projects", _l("Projects"), "kanban", permission="casting.search", order=44,
         active_prefix="casting.project", group="cinema")
nav_item("casting.productions", _l("Productions"), "building", permission="casting.search", order=46,
         active_prefix="casting.production", group="cinema")


@bp.before_request
@login_required
def _signed_in_only():
    """Every cinema page is for signed-in people; each route checks who may do what."""


@bp.record_once
def _display_helpers(state):
    """Names and pictures for every template (macros included, which see no context)."""
    state.app.jinja_env.globals.update(display.GLOBALS)


def _back_to(default: str) -> str:
    """Where a plain (non-htmx) form goes after it worked: the page it came from, on this site."""
    target = request.form.get("next") or request.referrer
    if target and target.startswith(request.host_url):
        return target
    return default


# Cinema details: the editor ------------------------------------------------------------------

SECTIONS = ("attributes", "talents", "experience", "document", "gallery", "ethnicity", "guardian")


def _slug(value) -> str:
    return value.slug if value is not None else ""


def _section_form(section: str, profile, cinema, formdata=None):
    """The section's form, filled from what is kept (or from what was sent, with `formdata`)."""
    kept = formdata is None
    if section == "attributes":
        data = {"height_cm": str(cinema.height_cm) if cinema and cinema.height_cm else ""}
        data.update({name: _slug(getattr(cinema, name, None)) for name in casting.LIST_FIELDS if name != "id_document_type"})
        form = forms.AttributesForm(formdata=formdata, data=data if kept else None).fill_choices()
    elif section == "talents":
        data = {"talent_types": [s.slug for s in cinema.talent_types] if cinema else [],
                "other_talents": [s.slug for s in cinema.other_talents] if cinema else []}
        form = forms.TalentsForm(formdata=formdata, data=data if kept else None).fill_choices()
    elif section == "experience":
        data = {"years_of_experience": "" if profile.years_experience is None else str(profile.years_experience),
                "previous_productions": (cinema.previous_productions if cinema else "") or ""}
        form = forms.ExperienceForm(formdata=formdata, data=data if kept else None)
    elif section == "document":
        data = {"id_document_type": _slug(cinema.id_document_type) if cinema else ""}
        form = forms.DocumentForm(formdata=formdata, data=data if kept else None).fill_choices()
    elif section == "gallery":
        form = forms.GalleryForm(formdata=formdata)
    elif section == "ethnicity":
        data = {"ethnicities": [v.slug for v in cinema.ethnicities] if cinema else [],
                "ethnicity_consent": bool(cinema and cinema.ethnicity_consent_at)}
        form = forms.EthnicityForm(formdata=formdata, data=data if kept else None).fill_choices()
    elif section == "guardian":
        data = {key: (getattr(cinema, key) or "") if cinema else "" for key in
                ("guardian_name", "guardian_relationship", "guardian_phone", "guardian_email")}
        data["guardian_consent"] = bool(cinema and cinema.guardian_consent_at)
        form = forms.GuardianForm(formdata=formdata, data=data if kept else None)
    else:
        raise NotFound()
    return form


def _editor_context(profile, sent_section: str | None = None, sent_form=None) -> dict:
    cinema = casting.cinema_of(profile)
    context = {"profile": profile, "cinema": cinema, "gallery_max": GALLERY_MAX,
               "guardian_problem": casting.guardian_problem(profile),
               "is_own": profile.user_id is not None and profile.user_id == actor().id,
               "level_choices": forms.ExperienceForm.level_choices()}
    # The talent sees where they stand in their castings (never the casting staff's notes).
    context["castings"] = casting.assignments_of_profile(actor(), profile) if context["is_own"] else []
    for section in SECTIONS:
        if section == sent_section and sent_form is not None:
            form = sent_form
        else:
            form = _section_form(section, profile, cinema)
        context[f"{section}_form"] = form
    context["language_rows"] = context["experience_form"].language_rows(
        request.form if sent_section == "experience" else None, profile)
    return context


def _editor_profile(profile_id: int):
    return directory.get_profile(profile_id, actor(), action="cinema.edit")


@bp.route("/me")
def my_details():
    """A talent's own cinema details."""
    require("cinema.own")
    profile = directory.my_profile(actor())
    return redirect(url_for("casting.edit_details", profile_id=profile.id))


@bp.route("/profiles/<int:profile_id>/edit")
def edit_details(profile_id: int):
    profile = _editor_profile(profile_id)
    return render("casting/details/edit.html", **_editor_context(profile))


def _section_answer(profile, section: str, form, saved: bool, message: str | None = None):
    """htmx gets the section again (422 with messages); a plain form goes back to the editor."""
    if saved and message:
        flash(message, "success")
    if not is_htmx():
        if saved:
            return redirect(url_for("casting.edit_details", profile_id=profile.id) + f"#{section}")
        return render("casting/details/edit.html", status=422, **_editor_context(profile, section, form))
    context = _editor_context(profile, section, None if saved else form)
    context["oob"] = True
    status = 200 if saved else 422
    return render("casting/details/edit.html", f"casting/details/partials/{section}.html", status=status, **context)


@bp.route("/profiles/<int:profile_id>/<any(attributes, talents, experience, document):section>", methods=["POST"])
def save_section(profile_id: int, section: str):
    profile = _editor_profile(profile_id)
    form = _section_form(section, profile, casting.cinema_of(profile), formdata=request.form)
    if not form.validate_on_submit():
        return _section_answer(profile, section, form, saved=False)
    changes = form.changes(request.form) if section == "experience" else form.changes()
    try:
        casting.update_cinema(actor(), profile, changes)
    except ServiceError as error:
        show_errors(form, error)
        return _section_answer(profile, section, form, saved=False)
    return _section_answer(profile, section, form, saved=True, message=_("Your changes are saved."))


@bp.route("/profiles/<int:profile_id>/ethnicity", methods=["POST"])
def save_ethnicity(profile_id: int):
    profile = _editor_profile(profile_id)
    form = _section_form("ethnicity", profile, casting.cinema_of(profile), formdata=request.form)
    if not form.validate_on_submit():
        return _section_answer(profile, "ethnicity", form, saved=False)
    withdraw = request.form.get("action") == "withdraw" or (not form.ethnicity_consent.data and not form.ethnicities.data)
    try:
        if withdraw:
            casting.withdraw_ethnicity_consent(actor(), profile)
        else:
            casting.set_ethnicities(actor(), profile, form.ethnicities.data, consent=form.ethnicity_consent.data)
    except ServiceError as error:
        show_errors(form, error)
        return _section_answer(profile, "ethnicity", form, saved=False)
    message = _("Your consent is withdrawn and your ethnicity is erased.") if withdraw else _("Your changes are saved.")
    return _section_answer(profile, "ethnicity", form, saved=True, message=message)


@bp.route("/profiles/<int:profile_id>/guardian", methods=["POST"])
def save_guardian(profile_id: int):
    profile = _editor_profile(profile_id)
    form = _section_form("guardian", profile, casting.cinema_of(profile), formdata=request.form)
    if not form.validate_on_submit():
        return _section_answer(profile, "guardian", form, saved=False)
    clear = request.form.get("action") == "clear"
    try:
        if clear:
            casting.clear_guardian(actor(), profile)
        else:
            casting.set_guardian(actor(), profile, form.changes())
    except ServiceError as error:
        show_errors(form, error)
        return _section_answer(profile, "guardian", form, saved=False)
    message = _("The guardian and their consent are removed.") if clear else _("The guardian's consent is recorded.")
    return _section_answer(profile, "guardian", form, saved=True, message=message)


# Gallery ---------------------------------------------------------------------------------------

@bp.route("/profiles/<int:profile_id>/gallery", methods=["POST"])
def add_photo(profile_id: int):
    profile = _editor_profile(profile_id)
    form = forms.GalleryForm()
    if form.validate_on_submit():
        try:
            casting.add_gallery_photo(actor(), profile, request.files.get("photo"), form.caption.data)
        except ServiceError as error:
            show_errors(form, error)
        else:
            return _section_answer(profile, "gallery", form, saved=True, message=_("The photo is added to your gallery."))
    return _section_answer(profile, "gallery", form, saved=False)


@bp.route("/profiles/<int:profile_id>/gallery/<int:photo_id>/remove", methods=["POST"])
def remove_photo(profile_id: int, photo_id: int):
    profile = _editor_profile(profile_id)
    form = forms.GalleryForm()
    if form.validate_on_submit():
        casting.remove_gallery_photo(actor(), profile, photo_id)
        return _section_answer(profile, "gallery", forms.GalleryForm(formdata=None), saved=True,
                               message=_("The photo is removed."))
    return _section_answer(profile, "gallery", form, saved=False)


def _photo_ids(raw: str) -> list[int]:
    try:
        return [int(part) for part in raw.split(",") if part.strip()]
    except ValueError:
        raise ValidationFailed(fields={"order": [_("Some photos are not in this gallery.")]}) from None


@bp.route("/profiles/<int:profile_id>/gallery/order", methods=["POST"])
def reorder_photos(profile_id: int):
    """The new order: `order=3,1,2` (drag and drop), or `photo_id` with `move=up|down` (buttons)."""
    profile = _editor_profile(profile_id)
    form = forms.GalleryForm()
    if not form.validate_on_submit():
        return _section_answer(profile, "gallery", form, saved=False)
    cinema = casting.cinema_of(profile)
    current = [photo.id for photo in cinema.gallery] if cinema else []
    if request.form.get("move") in ("up", "down"):
        ids = _photo_ids(request.form.get("photo_id", ""))
        if len(ids) != 1 or ids[0] not in current:
            raise NotFound()
        index = current.index(ids[0])
        other = index - 1 if request.form["move"] == "up" else index + 1
        if 0 <= other < len(current):
            current[index], current[other] = current[other], current[index]
        order = current
    else:
        order = _photo_ids(request.form.get("order", ""))
    try:
        casting.reorder_gallery(actor(), profile, order)
    except ServiceError as error:
        show_errors(form, error)
        return _section_answer(profile, "gallery", form, saved=False)
    return _section_answer(profile, "gallery", forms.GalleryForm(formdata=None), saved=True,
                           message=_("The new order is saved."))


# The staff's talent page and shortlisting --------------------------------------------------------

def _shortlist_context(profile) -> dict:
    roles = casting.open_roles(actor(), profile)
    return {"shortlist_profile": profile, "open_roles": roles,
            "shortlist_form": forms.ShortlistForm(formdata=None)}


@bp.route("/talents/<int:cinema_id>")
def talent(cinema_id: int):
    cinema = casting.get_cinema(cinema_id, actor())
    profile = cinema.profile
    me = actor()
    return render("casting/talents/show.html", cinema=cinema, profile=profile,
                  ethnicities=casting.visible_ethnicities(me, cinema),
                  assignments=casting.assignments_of_profile(me, profile),
                  may_edit=can(me, "cinema.edit", profile), may_cast=can(me, "casting.search"),
                  may_message=messaging_services.may_message(me, profile.user),
                  guardian_problem=casting.guardian_problem(profile), **_shortlist_context(profile))


@bp.route("/profiles/<int:profile_id>/shortlist", methods=["POST"])
def shortlist(profile_id: int):
    """Put the talent on one of the viewer's open roles; answers with the control again."""
    profile = directory.get_profile(profile_id, actor())
    form = forms.ShortlistForm()
    form.role_id.choices = []
    status = 200
    if form.validate_on_submit():
        try:
            role_id = int(form.role_id.data or 0)
        except ValueError:
            role_id = 0
        try:
            if not role_id:
                raise ValidationFailed(fields={"role_id": [_("Choose a role.")]})
            role = casting.get_role(role_id, actor())
            casting.assign(actor(), role, profile, form.note.data)
        except ServiceError as error:
            if error.status in (403, 404):
                raise
            show_errors(form, error)
            status = 409 if error.status == 409 else 422
        else:
            flash(_("%(name)s is shortlisted for %(role)s.", name=profile.full_name, role=role.name), "success")
            if not is_htmx():
                return redirect(_back_to(url_for("casting.project", project_id=role.project_id)))
            form = forms.ShortlistForm(formdata=None)
    else:
        status = 422
    if not is_htmx() and status != 200:
        flash(" ".join(form.form_errors + form.role_id.errors + form.note.errors), "danger")
        return redirect(_back_to(url_for("casting.search")))
    context = _shortlist_context(profile)
    context["shortlist_form"] = form
    return render("casting/partials/shortlist.html", status=status, **context)


# Productions ------------------------------------------------------------------------------------

@bp.route("/productions")
def productions():
    me = actor()
    search = request.args.get("q", "").strip()[:100]
    page, per_page = page_args(request.args, default_per_page=24)
    result = paginate(casting.productions_query(me, search), page, per_page)
    return render("casting/productions/index.html", "casting/productions/partials/list.html", page=result,
                  q=search, counts=casting.project_counts(o.id for o in result.items),
                  may_create=can(me, "production.create"), mine={o.id for o in casting.productions_of(me)})


def _production_form_page(form, production=None, status=200):
    return render("casting/productions/form.html", "casting/productions/partials/form.html", status=status,
                  form=form, production=production)


@bp.route("/productions/new", methods=["GET", "POST"])
def new_production():
    require("production.create")
    form = forms.ProductionForm().fill_choices()
    if form.validate_on_submit():
        try:
            production = casting.create_production(actor(), form.changes())
        except ServiceError as error:
            show_errors(form, error)
        else:
            flash(_("%(name)s is created. You are its owner.", name=production.name), "success")
            return redirect_to(url_for("casting.production", production_id=production.id))
    return _production_form_page(form, status=422 if form.is_submitted() else 200)


@bp.route("/productions/<int:production_id>")
def production(production_id: int):
    me = actor()
    organisation = casting.get_production(production_id, me)
    may_manage = can(me, "production.manage", organisation)
    projects = []
    if may_manage:
        from webapp.extensions import db

        projects = list(db.session.scalars(casting.projects_query(me, organisation_id=organisation.id)))
    return render("casting/productions/show.html", production=organisation, may_manage=may_manage,
                  projects=projects, talent_counts=casting.talent_counts(p.id for p in projects),
                  project_count=casting.project_counts([organisation.id]).get(organisation.id, 0),
                  members=casting.members_of(organisation), member_form=forms.MemberForm(formdata=None),
                  logo_form=forms.LogoForm(formdata=None), may_verify=can(me, "production.verify", organisation))


@bp.route("/productions/<int:production_id>/logo")
def production_logo(production_id: int):
    organisation = casting.get_production(production_id, actor())
    if organisation.logo is None:
        raise NotFound()
    return send_stored(organisation.logo, max_age=86400)


@bp.route("/productions/<int:production_id>/edit", methods=["GET", "POST"])
def edit_production(production_id: int):
    organisation = casting.get_production(production_id, actor())
    require("production.manage", organisation)
    data = {name: getattr(organisation, name) for name in forms.ProductionForm.FIELDS}
    data = {k: "" if v is None else str(v) for k, v in data.items()}
    form = forms.ProductionForm(data=data).fill_choices()
    if form.validate_on_submit():
        try:
            casting.update_production(actor(), organisation, form.changes())
        except ServiceError as error:
            show_errors(form, error)
        else:
            flash(_("The production is saved."), "success")
            return redirect_to(url_for("casting.production", production_id=organisation.id))
    return _production_form_page(form, organisation, status=422 if form.is_submitted() else 200)


@bp.route("/productions/<int:production_id>/logo", methods=["POST"])
def set_logo(production_id: int):
    organisation = casting.get_production(production_id, actor())
    require("production.manage", organisation)
    form = forms.LogoForm()
    if form.validate_on_submit():
        try:
            if request.form.get("remove"):
                casting.remove_production_logo(actor(), organisation)
            else:
                casting.set_production_logo(actor(), organisation, request.files.get("logo"))
        except ServiceError as error:
            flash(" ".join(m for ms in error.fields.values() for m in ms) or error.message, "danger")
        else:
            flash(_("The logo is saved."), "success")
    return redirect_to(url_for("casting.production", production_id=organisation.id))


def _members_answer(organisation, form, status=200):
    if not is_htmx():
        if status != 200:
            flash(" ".join(form.email.errors + form.form_errors), "danger")
        return redirect(url_for("casting.production", production_id=organisation.id) + "#members")
    return render("casting/productions/partials/members.html", status=status, production=organisation,
                  members=casting.members_of(organisation), member_form=form,
                  may_manage=can(actor(), "production.manage", organisation))


@bp.route("/productions/<int:production_id>/members", methods=["POST"])
def add_member(production_id: int):
    organisation = casting.get_production(production_id, actor())
    require("production.manage", organisation)
    form = forms.MemberForm()
    if form.validate_on_submit():
        try:
            member = casting.add_member_by_email(actor(), organisation, form.email.data)
        except ServiceError as error:
            show_errors(form, error)
            return _members_answer(organisation, form, status=422)
        flash(_("%(name)s now works on this production's projects.", name=member.user.full_name), "success")
        return _members_answer(organisation, forms.MemberForm(formdata=None))
    return _members_answer(organisation, form, status=422)


@bp.route("/productions/<int:production_id>/members/<int:user_id>/remove", methods=["POST"])
def remove_member(production_id: int, user_id: int):
    organisation = casting.get_production(production_id, actor())
    require("production.manage", organisation)
    form = forms.MemberForm()
    if form.validate_on_submit():
        try:
            casting.remove_member(actor(), organisation, user_id)
        except ValidationFailed as error:
            form.form_errors.append(error.message)
            return _members_answer(organisation, form, status=422)
        flash(_("The recruiter no longer works for this production."), "info")
    return _members_answer(organisation, forms.MemberForm(formdata=None))


@bp.route("/productions/<int:production_id>/verify", methods=["POST"])
def verify_production(production_id: int):
    organisation = casting.get_production(production_id, actor())
    form = EmptyForm()
    if form.validate_on_submit():
        verified = request.form.get("verified") == "1"
        casting.verify_production(actor(), organisation, verified)
        flash(_("%(name)s is verified.", name=organisation.name) if verified
              else _("%(name)s is no longer verified.", name=organisation.name), "info")
    return redirect_to(url_for("casting.production", production_id=organisation.id))


# Casting projects -------------------------------------------------------------------------------

def _int_arg(name: str) -> int | None:
    raw = request.args.get(name, "").strip()
    return int(raw) if raw.isdigit() else None


@bp.route("/projects")
def projects():
    me = actor()
    status = request.args.get("status", "")
    status = status if status in PROJECT_STATUSES else ""
    production_id = _int_arg("production_id")
    page, per_page = page_args(request.args, default_per_page=20)
    result = paginate(casting.projects_query(me, status or None, production_id), page, per_page)
    return render("casting/projects/index.html", "casting/projects/partials/list.html", page=result,
                  status_filter=status, production_id=production_id, productions=casting.productions_of(me),
                  talent_counts=casting.talent_counts(p.id for p in result.items),
                  status_choices=forms.status_choices())


def _project_form_page(form, project=None, status=200):
    return render("casting/projects/form.html", "casting/projects/partials/form.html", status=status, form=form,
                  project=project)


@bp.route("/projects/new", methods=["GET", "POST"])
def new_project():
    me = actor()
    require("casting.search")
    productions = casting.productions_of(me)
    if not productions:
        flash(_("Create your production company first: its projects are yours to run."), "info")
        return redirect_to(url_for("casting.new_production"))
    preselected = request.args.get("production_id", "")
    form = forms.ProjectForm(data={"production_id": preselected, "status": "en_preparation"}).fill_choices(productions)
    if form.validate_on_submit():
        try:
            organisation = casting.get_production(int(form.production_id.data or 0), me)
            project = casting.create_project(me, organisation, form.changes())
        except (ValueError, NotFound):
            form.production_id.errors = [_("Choose one of your productions.")]
        except ServiceError as error:
            show_errors(form, error)
        else:
            flash(_("The project is created. Now add the roles you are casting."), "success")
            return redirect_to(url_for("casting.project", project_id=project.id))
    return _project_form_page(form, status=422 if form.is_submitted() else 200)


def _project_data(project) -> dict:
    return {"name": project.name, "production_id": str(project.organisation_id),
            "production_type": project.production_type.slug if project.production_type else "",
            "origin_country_id": str(project.origin_country_id or ""),
            "shooting_locations": project.shooting_locations or "",
            "start_date": project.start_date.isoformat() if project.start_date else "",
            "end_date": project.end_date.isoformat() if project.end_date else "",
            "status": project.status, "description": project.description or ""}


@bp.route("/projects/<int:project_id>/edit", methods=["GET", "POST"])
def edit_project(project_id: int):
    project = casting.get_project(project_id, actor())
    require("project.edit", project)
    form = forms.ProjectForm(data=_project_data(project)).fill_choices([project.organisation])
    if form.validate_on_submit():
        try:
            casting.update_project(actor(), project, form.changes())
        except ServiceError as error:
            show_errors(form, error)
        else:
            flash(_("The project is saved."), "success")
            return redirect_to(url_for("casting.project", project_id=project.id))
    return _project_form_page(form, project, status=422 if form.is_submitted() else 200)


def _project_context(project, role_form=None) -> dict:
    return {"project": project, "role_form": role_form or forms.RoleForm(formdata=None).fill_choices(),
            "stage_form": forms.StageForm(formdata=None).fill_choices(), "action_form": EmptyForm(formdata=None),
            "stage_choices": forms.stage_choices(), "may_edit": can(actor(), "project.edit", project),
            "project_talent_accounts": len(casting.project_talent_accounts(project))}


@bp.route("/projects/<int:project_id>")
def project(project_id: int):
    project = casting.get_project(project_id, actor())
    return render("casting/projects/show.html", **_project_context(project))


@bp.route("/projects/<int:project_id>/message", methods=["POST"])
def message_project(project_id: int):
    """A group conversation with the project's talents who have an account (started, or the
    one about this project reopened with the newly assigned ones added)."""
    me = actor()
    project = casting.get_project(project_id, me)
    require("project.edit", project)
    try:
        conversation = messaging_services.start_group_about(me, casting.project_talent_accounts(project), subject=project.name,
                                                   context=("casting_project", project.id))
    except ValidationFailed as error:
        flash(" ".join(sum(error.fields.values(), [])) or error.message, "warning")
        return redirect_to(url_for("casting.project", project_id=project.id))
    return redirect_to(url_for("messaging.conversation", conversation_id=conversation.id))


@bp.route("/projects/<int:project_id>/roles", methods=["POST"])
def add_role(project_id: int):
    project = casting.get_project(project_id, actor())
    require("project.edit", project)
    form = forms.RoleForm().fill_choices()
    if form.validate_on_submit():
        try:
            role = casting.add_role(actor(), project, form.changes())
        except ServiceError as error:
            show_errors(form, error)
        else:
            flash(_("The role %(name)s is added.", name=role.name), "success")
            return redirect_to(url_for("casting.project", project_id=project.id) + f"#role-{role.id}")
    return render("casting/projects/show.html", "casting/projects/partials/role_form.html", status=422,
                  **_project_context(project, form))


def _role_data(role) -> dict:
    data = {name: getattr(role, name) for name in ("name", "gender", "age_min", "age_max", "height_min", "height_max",
                                                   "positions", "description")}
    data = {k: "" if v is None else str(v) for k, v in data.items()}
    data["talent_type"] = role.talent_type.slug if role.talent_type else ""
    return data


@bp.route("/roles/<int:role_id>/edit", methods=["GET", "POST"])
def edit_role(role_id: int):
    role = casting.get_role(role_id, actor())
    require("project.edit", role.project)
    form = forms.RoleForm(data=_role_data(role)).fill_choices()
    if form.validate_on_submit():
        try:
            casting.update_role(actor(), role, form.changes())
        except ServiceError as error:
            show_errors(form, error)
        else:
            flash(_("The role is saved."), "success")
            return redirect_to(url_for("casting.project", project_id=role.project_id) + f"#role-{role.id}")
    return render("casting/projects/role_edit.html", "casting/projects/partials/role_form.html",
                  status=422 if form.is_submitted() else 200, role=role, project=role.project, role_form=form)


@bp.route("/roles/<int:role_id>/delete", methods=["POST"])
def delete_role(role_id: int):
    role = casting.get_role(role_id, actor())
    project_id = role.project_id
    form = EmptyForm()
    if form.validate_on_submit():
        name = role.name
        casting.delete_role(actor(), role)
        flash(_("The role %(name)s is deleted.", name=name), "info")
    return redirect_to(url_for("casting.project", project_id=project_id))


def _assignment_answer(assignment, form=None, status=200):
    if not is_htmx():
        if status != 200 and form is not None:
            flash(" ".join(form.stage.errors + form.note.errors + form.form_errors), "danger")
        return redirect(url_for("casting.project", project_id=assignment.project_id) + f"#assignment-{assignment.id}")
    context = _project_context(assignment.project)
    if form is not None:
        context["stage_form"] = form
    return render("casting/projects/partials/assignment.html", status=status, assignment=assignment, **context)


@bp.route("/assignments/<int:assignment_id>/stage", methods=["POST"])
def move_stage(assignment_id: int):
    assignment = casting.get_assignment(assignment_id, actor())
    require("project.edit", assignment.project)
    form = forms.StageForm().fill_choices()
    if form.validate_on_submit():
        try:
            casting.move_stage(actor(), assignment, form.stage.data, form.note.data)
        except ServiceError as error:
            show_errors(form, error)
            return _assignment_answer(assignment, form, 422)
        flash(_("%(name)s: %(stage)s.", name=assignment.profile.full_name, stage=display.stage_label(assignment.stage)),
              "success")
        return _assignment_answer(assignment)
    return _assignment_answer(assignment, form, 422)


@bp.route("/assignments/<int:assignment_id>/remove", methods=["POST"])
def remove_assignment(assignment_id: int):
    assignment = casting.get_assignment(assignment_id, actor())
    project_id, name = assignment.project_id, assignment.profile.full_name
    form = EmptyForm()
    if form.validate_on_submit():
        casting.remove_assignment(actor(), assignment)
        flash(_("%(name)s is removed from the role.", name=name), "info")
        if is_htmx():
            return render("casting/projects/partials/removed.html")
    return redirect(url_for("casting.project", project_id=project_id))


# Managed lists (admins) -------------------------------------------------------------------------

@admin_bp.before_request
def _admins_only():
    require("admin")


@admin_bp.app_context_processor
def _list_labels():
    return {"value_list_labels": value_lists.LIST_LABELS}


@admin_bp.route("/")
def lists_index():
    return redirect(url_for("casting_admin.value_list", list_name="eye_color"))


def _list_context(list_name: str, add_form=None, errors_for: int | None = None, bad_form=None) -> dict:
    values = value_lists.values_of(actor(), list_name)
    rows = []
    for value in values:
        form = bad_form if errors_for == value.id else forms.ListValueForm(
            formdata=None, data={"name_en": value.name_en, "name_fr": value.name_fr, "is_active": value.is_active})
        rows.append((value, form))
    return {"list_name": list_name, "rows": rows, "usage": value_lists.usage_counts(list_name),
            "add_form": add_form or forms.ListValueForm(formdata=None), "section": "lists"}


@admin_bp.route("/<list_name>", methods=["GET", "POST"])
def value_list(list_name: str):
    if list_name not in value_lists.LIST_LABELS:
        raise NotFound(_("There is no such list."))
    form = forms.ListValueForm()
    if form.validate_on_submit():
        try:
            value = value_lists.add_value(actor(), list_name, {"name_en": form.name_en.data, "name_fr": form.name_fr.data})
        except ServiceError as error:
            show_errors(form, error)
        else:
            flash(_("%(name)s is added.", name=value.name_en), "success")
            return redirect_to(url_for("casting_admin.value_list", list_name=list_name))
    return render("casting/admin/lists.html", "casting/admin/partials/values.html",
                  status=422 if form.is_submitted() else 200, **_list_context(list_name, form))


@admin_bp.route("/values/<int:value_id>", methods=["POST"])
def update_value(value_id: int):
    value = value_lists.get_value(value_id)
    form = forms.ListValueForm()
    if form.validate_on_submit():
        try:
            value_lists.update_value(actor(), value, {"name_en": form.name_en.data, "name_fr": form.name_fr.data,
                                                      "is_active": form.is_active.data})
        except ServiceError as error:
            show_errors(form, error)
        else:
            flash(_("%(name)s is saved.", name=value.name_en), "success")
            return redirect_to(url_for("casting_admin.value_list", list_name=value.list_name))
    return render("casting/admin/lists.html", "casting/admin/partials/values.html", status=422,
                  **_list_context(value.list_name, errors_for=value.id, bad_form=form))


@admin_bp.route("/values/<int:value_id>/move", methods=["POST"])
def move_value(value_id: int):
    value = value_lists.get_value(value_id)
    form = forms.ListValueForm()
    if form.validate_on_submit():
        value_lists.move_value(actor(), value, request.form.get("direction", ""))
    return render("casting/admin/lists.html", "casting/admin/partials/values.html",
                  **_list_context(value.list_name)) if is_htmx() else redirect(
        url_for("casting_admin.value_list", list_name=value.list_name))


# Attribute search ------------------------------------------------------------------------------

VIEWS = ("grid", "table")


def _search_context(args, status_holder: list) -> dict:
    """Criteria from the query, the page of results, the counts, and what the form shows."""
    from webapp.casting import search as casting_search

    me = actor()
    errors: dict[str, list[str]] = {}
    try:
        criteria = casting_search.criteria_from(args)
        casting_search.check(criteria)
    except ValidationFailed as error:
        errors, criteria = error.fields, casting_search.Criteria()
        status_holder.append(422)
    after = args.get("after") or None
    try:
        result = casting_search.search_talents(me, criteria, after=after, with_counts=not after)
    except ValidationFailed as error:  # a damaged cursor: start again from the first page
        errors.update(error.fields)
        status_holder.append(422)
        result = casting_search.search_talents(me, criteria, with_counts=True)
        after = None
    view = args.get("view") if args.get("view") in VIEWS else "grid"
    query = {key: [v for v in args.getlist(key) if v != ""] for key in args if key not in ("after", "view")}
    query = {key: values for key, values in query.items() if values}
    return {"criteria": criteria, "result": result, "errors": errors, "args": args, "view": view,
            "query": query, "query_string": urlencode(query, doseq=True), "after": after, "oob": is_htmx(), "shortlists": casting.open_roles_for(me, [c.profile for c in result.hits]),
            "choices": search_choices(), "saved": casting_search.saved_searches(me),
            "save_form": forms.SaveSearchForm(formdata=None), "action_form": EmptyForm(formdata=None),
            "shortlist_form": forms.ShortlistForm(formdata=None), "age_bands": AGE_BANDS, "height_bands": HEIGHT_BANDS}


AGE_BANDS = (("0_15", 0, 15, _l("under 16")), ("16_25", 16, 25, "16–25"), ("26_35", 26, 35, "26–35"),
             ("36_50", 36, 50, "36–50"), ("51_plus", 51, None, "51+"))
HEIGHT_BANDS = (("lt_160", None, 159, "< 160"), ("160_169", 160, 169, "160–169"), ("170_179", 170, 179, "170–179"),
                ("180_189", 180, 189, "180–189"), ("190_plus", 190, None, "190+"))


def search_choices() -> dict:
    """The options of each filter, in the reader's language (the counts come with the results)."""
    from webapp.directory.reference import GENDER_LABELS
    from webapp.taxonomy import services as taxonomy

    locale = display.locale()
    return {
        "gender": [(code, str(label)) for code, label in GENDER_LABELS.items()],
        "talent_type": [(s.id, f"{s.emoji} {s.name(locale)}".strip()) for s in
                        sorted(taxonomy.skills(tag="cinema"), key=lambda s: s.name(locale))],
        "eye_color": [(v.id, v.name(locale)) for v in taxonomy.list_values("eye_color")],
        "hair_color": [(v.id, v.name(locale)) for v in taxonomy.list_values("hair_color")],
        "skin_tone": [(v.id, v.name(locale)) for v in taxonomy.list_values("skin_tone")],
        "country": [(c.id, c.name(locale)) for c in sorted(taxonomy.countries(), key=lambda c: c.name(locale))],
        "language": [(code, display.language_label(code)) for code in sorted(
            LANGUAGES, key=lambda code: display.language_label(code))],
        "experience": [(name, label) for name, label in EXPERIENCE_LABELS.items()],
    }


EXPERIENCE_LABELS = {"debutant": _l("Beginner"), "1_5_ans": _l("1 to 5 years"), "5_10_ans": _l("6 to 10 years"),
                     "10_plus": _l("Over 10 years")}


@bp.route("/search")
def search():
    require("casting.search")
    role_id = request.args.get("role", "")
    if role_id.isdigit() and len(request.args) == 1:
        return redirect(url_for("casting.search", **_role_criteria(casting.get_role(int(role_id), actor()))))
    status: list[int] = []
    context = _search_context(request.args, status)
    code = status[0] if status else 200
    if is_htmx() and context["after"]:
        return render("casting/search/partials/more.html", status=code, **context)
    return render("casting/search/index.html", "casting/search/partials/results.html", status=code, **context)


def _role_criteria(role) -> dict:
    """A role's wishes as search filters ("Find talents" on the project page)."""
    args = {"age_min": role.age_min, "age_max": role.age_max, "height_min": role.height_min,
            "height_max": role.height_max}
    args = {k: v for k, v in args.items() if v is not None}
    if role.gender in ("M", "F", "N"):
        args["gender"] = role.gender
    if role.talent_type_id:
        args["talent_type"] = role.talent_type_id
    return args


@bp.route("/searches", methods=["POST"])
def save_search():
    from urllib.parse import parse_qs

    from werkzeug.datastructures import MultiDict

    from webapp.casting import search as casting_search

    require("casting.search")
    form = forms.SaveSearchForm()
    query_string = request.form.get("query", "")[:4000]
    query = MultiDict([(k, v) for k, values in parse_qs(query_string).items() for v in values])
    status = 200
    if form.validate_on_submit():
        try:
            saved = casting_search.save_search(actor(), form.name.data, query)
        except ServiceError as error:
            show_errors(form, error)
            status = 422
        else:
            flash(_("The search “%(name)s” is saved.", name=saved.name), "success")
            form = forms.SaveSearchForm(formdata=None)
    else:
        status = 422
    if not is_htmx():
        if status != 200:
            flash(" ".join(form.name.errors + form.form_errors), "danger")
        return redirect(url_for("casting.search", **query.to_dict(flat=False)))
    return render("casting/search/partials/saved.html", status=status, saved=casting_search.saved_searches(actor()),
                  save_form=form, query_string=query_string, action_form=EmptyForm(formdata=None))


@bp.route("/searches/<int:saved_id>")
def open_search(saved_id: int):
    from webapp.casting import search as casting_search

    require("casting.search")
    saved = casting_search.get_saved_search(actor(), saved_id)
    return redirect(url_for("casting.search", **saved.criteria))


@bp.route("/searches/<int:saved_id>/delete", methods=["POST"])
def delete_search(saved_id: int):
    from webapp.casting import search as casting_search

    require("casting.search")
    form = EmptyForm()
    if form.validate_on_submit():
        casting_search.delete_saved_search(actor(), saved_id)
        flash(_("The saved search is deleted."), "info")
    if not is_htmx():
        return redirect(_back_to(url_for("casting.search")))
    return render("casting/search/partials/saved.html", saved=casting_search.saved_searches(actor()),
                  save_form=forms.SaveSearchForm(formdata=None), query_string=request.form.get("query", ""),
                  action_form=EmptyForm(formdata=None))
