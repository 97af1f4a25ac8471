"""Admin pages: system settings, email templates (editor and preview), the audit log.
The admin check of routes.py (before every request of the blueprint) covers these too."""

from __future__ import annotations

from flask import Response, flash, request, url_for
from flask_babel import gettext as _

from webapp.accounts.forms import EmptyForm
from webapp.admin import bp
from webapp.admin.forms import EmailTemplateForm, SettingsForm
from webapp.audit import services as audit
from webapp.core.errors import ServiceError, ValidationFailed
from webapp.core.forms import form_page, show_errors
from webapp.core.htmx import redirect_to, render
from webapp.core.pagination import page_args
from webapp.core.permissions import actor
from webapp.mail import templates as mail_templates
from webapp.settings import services as settings

# System settings ------------------------------------------------------------------------------

@bp.route("/settings", methods=["GET", "POST"])
def system_settings():
    form = SettingsForm(data=None if request.method == "POST" else settings.current())
    if form.validate_on_submit():
        try:
            settings.update(actor(), {"site_name": form.site_name.data,
                                      "registration_open": bool(form.registration_open.data),
                                      "default_language": form.default_language.data})
        except ServiceError as error:
            show_errors(form, error)
        else:
            flash(_("The settings are saved and apply now."), "success")
            return redirect_to(url_for("admin.system_settings"))
    return form_page("admin/settings.html", "admin/partials/settings_form.html", form, section="settings")


# Email templates ------------------------------------------------------------------------------

# How the editor explains the template syntax (Jinja cannot hold these braces in its own strings).
SYNTAX = {"variable": "{{ name }}", "filter": "{{ name|upper }}", "condition": "{% if name %} … {% endif %}",
          "open": "{{", "close": "}}"}

@bp.route("/email-templates")
def email_templates():
    return render("admin/email_templates.html", mails=mail_templates.overview(),
                  languages=mail_templates.languages(), section="templates")


def _editor(name: str, locale: str, form: EmailTemplateForm, status: int | None = None):
    spec = mail_templates.spec_of(name)
    has_errors = form.is_submitted() and bool(form.errors or form.form_errors)
    return render("admin/email_template.html", form=form, spec=spec, locale=locale,
                  override=mail_templates.override_of(name, locale), variable_help=mail_templates.VARIABLE_HELP,
                  languages=mail_templates.languages(), reset_form=EmptyForm(), section="templates", syntax=SYNTAX,
                  status=status or (422 if has_errors else 200))


@bp.route("/email-templates/<name>/<locale>", methods=["GET", "POST"])
def email_template(name: str, locale: str):
    mail_templates.spec_of(name)  # 404 for a mail the app does not send
    if locale not in mail_templates.languages():
        raise ValidationFailed(fields={"locale": [_("Choose English or French.")]})
    form = EmailTemplateForm(data=None if request.method == "POST" else mail_templates.source_of(name, locale))
    if form.validate_on_submit():
        try:
            mail_templates.save(actor(), name, locale, form.data)
        except ServiceError as error:
            show_errors(form, error)
        else:
            flash(_("Saved. This mail is now sent with your text."), "success")
            return redirect_to(url_for("admin.email_template", name=name, locale=locale))
    return _editor(name, locale, form)


@bp.route("/email-templates/<name>/<locale>/reset", methods=["POST"])
def reset_email_template(name: str, locale: str):
    form = EmptyForm()
    if form.validate_on_submit():
        mail_templates.reset(actor(), name, locale)
        flash(_("The original text of this mail is used again."), "info")
    return redirect_to(url_for("admin.email_template", name=name, locale=locale))


def _preview_document(html: str) -> Response:
    """A mail's HTML (or an error) for the sandboxed frame: no scripts, nothing from outside."""
    response = Response(html, mimetype="text/html")
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; sandbox"
    )
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/email-templates/<name>/<locale>/preview", methods=["GET", "POST"])
def preview_email_template(name: str, locale: str):
    """GET: the mail as it goes out now; POST (the editor's Preview button, into the frame):
    the draft being edited. Both with sample values."""
    form = EmailTemplateForm()
    draft = form.data if request.method == "POST" else None
    if request.method == "POST" and not form.validate_on_submit():
        return _preview_document(_problem_page(form.errors))
    try:
        rendered = mail_templates.preview(name, locale, draft)
    except ValidationFailed as error:
        return _preview_document(_problem_page(error.fields))
    return _preview_document(render_preview(rendered))


def render_preview(rendered) -> str:
    from flask import render_template

    return render_template("mail/preview.html", rendered=rendered)


def _problem_page(fields: dict) -> str:
    from flask import render_template

    return render_template("mail/preview.html", problems=fields, labels={
        "subject": _("Subject"), "body_text": _("Text"), "body_html": _("HTML (optional)"), "csrf_token": _("Form")})


# The audit log --------------------------------------------------------------------------------

@bp.route("/audit")
def audit_log():
    page_number, per_page = page_args(request.args, default_per_page=50)
    errors: dict[str, list[str]] = {}
    try:
        filters = audit.filters_from(request.args)
    except ValidationFailed as exc:
        errors = exc.fields
        filters = audit.AuditFilters(actor=request.args.get("actor", ""), action=request.args.get("action", ""),
                                     target=request.args.get("target", ""))
    return render("admin/audit.html", "admin/partials/audit_table.html",
                  page=audit.events_page(filters, page_number, per_page), filters=filters,
                  raw_from=request.args.get("from", ""), raw_to=request.args.get("to", ""), filter_errors=errors,
                  actions=audit.known_actions(), section="audit", status=422 if errors else 200)
