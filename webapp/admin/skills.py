"""Admin pages of the skills taxonomy: list with search and filters, create, edit,
deactivate, delete (after a confirmation that says how many profiles lose the skill)."""

from __future__ import annotations

from flask import flash, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _

from webapp.admin import bp
from webapp.core.errors import ServiceError
from webapp.core.forms import form_page, show_errors
from webapp.core.htmx import redirect_to, render
from webapp.core.permissions import actor
from webapp.directory.services import skill_usage_counts
from webapp.taxonomy import services as taxonomy
from webapp.taxonomy.forms import SkillForm

FORM_PAGE = "taxonomy/skill_form.html"
FORM_PARTIAL = "taxonomy/partials/skill_form.html"


def _name(skill) -> str:
    return skill.name(str(get_locale() or "en"))


def _criteria() -> taxonomy.SkillCriteria:
    args = request.args
    return taxonomy.SkillCriteria(q=args.get("q", "").strip(), category=args.get("category", "").strip(),
                                  tag=args.get("tag", ""), active=args.get("active", ""))


@bp.route("/skills")
def skills():
    criteria = _criteria()
    return render("taxonomy/skills.html", "taxonomy/partials/skills_table.html", section="skills",
                  criteria=criteria, found=taxonomy.search_skills(criteria), counts=skill_usage_counts(),
                  categories=taxonomy.categories())


@bp.route("/skills/new", methods=["GET", "POST"])
def skill_new():
    form = SkillForm()
    if form.validate_on_submit():
        try:
            skill = taxonomy.create_skill(actor(), form.values())
        except ServiceError as error:
            show_errors(form, error)
        else:
            flash(_("The skill “%(name)s” is created.", name=_name(skill)), "success")
            return redirect_to(url_for("admin.skills"))
    return form_page(FORM_PAGE, FORM_PARTIAL, form, skill=None, section="skills", categories=taxonomy.categories())


@bp.route("/skills/<int:skill_id>/edit", methods=["GET", "POST"])
def skill_edit(skill_id: int):
    skill = taxonomy.get_skill(skill_id)
    form = SkillForm(obj=skill)
    if form.validate_on_submit():
        try:
            taxonomy.update_skill(actor(), skill, form.values())
        except ServiceError as error:
            show_errors(form, error)
        else:
            flash(_("The skill “%(name)s” is saved.", name=_name(skill)), "success")
            return redirect_to(url_for("admin.skills"))
    return form_page(FORM_PAGE, FORM_PARTIAL, form, skill=skill, section="skills", categories=taxonomy.categories(),
                     usage=skill_usage_counts().get(skill.id, 0))


@bp.route("/skills/<int:skill_id>/active", methods=["POST"])
def skill_active(skill_id: int):
    skill = taxonomy.get_skill(skill_id)
    active = request.form.get("active") == "1"
    taxonomy.set_skill_active(actor(), skill, active)
    flash(_("“%(name)s” is active again.", name=_name(skill)) if active else
          _("“%(name)s” is deactivated: profiles keep it, nobody new can choose it.", name=_name(skill)), "info")
    return redirect_to(request.referrer if request.referrer and request.referrer.startswith(request.host_url)
                       else url_for("admin.skills"))


@bp.route("/skills/<int:skill_id>/delete", methods=["GET", "POST"])
def skill_delete(skill_id: int):
    skill = taxonomy.get_skill(skill_id)
    if request.method == "POST":  # CSRF is checked for every POST by CSRFProtect
        name = _name(skill)
        lost = taxonomy.delete_skill(actor(), skill)
        flash(ngettext("“%(name)s” is deleted; %(num)d profile no longer has it.",
                       "“%(name)s” is deleted; %(num)d profiles no longer have it.", lost, name=name), "info")
        return redirect_to(url_for("admin.skills"))
    return render("taxonomy/skill_delete.html", skill=skill, section="skills",
                  usage=len(taxonomy.profiles_with(skill.id)))
