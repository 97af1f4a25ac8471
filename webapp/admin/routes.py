"""Admin pages. Every route here requires the admin permission (checked once, before each)."""

from __future__ import annotations

from flask import Response, abort, flash, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from webapp.accounts import services as accounts
from webapp.accounts.forms import EmptyForm
from webapp.admin import bp
from webapp.admin.forms import InviteForm
from webapp.auth import services as auth
from webapp.core.errors import ServiceError
from webapp.core.forms import form_page, show_errors
from webapp.core.htmx import redirect_to, render
from webapp.core.navigation import nav_item
from webapp.core.pagination import page_args
from webapp.core.permissions import actor, require
from webapp.extensions import db
from webapp.mail import services as mail
from webapp.mail.models import OutboxMessage

nav_item("admin.users", _l("Admin"), "gear", permission="admin", order=90, active_prefix="admin.")


@bp.before_request
def _admins_only():
    require("admin")


@bp.route("/")
def index():
    return redirect_to(url_for("admin.users"))


def _users_context():
    page, per_page = page_args(request.args, default_per_page=25)
    search = request.args.get("q", "").strip()
    role = request.args.get("role", "")
    status = request.args.get("status", "")
    return {"page": accounts.users_page(page, per_page, search, role, status),
            "q": search, "role": role, "status_filter": status, "action_form": EmptyForm(), "me": actor()}


@bp.route("/users")
def users():
    return render("admin/users.html", "admin/partials/users_table.html", section="users", **_users_context())


@bp.route("/users/<int:user_id>/status", methods=["POST"])
def set_user_status(user_id: int):
    user = accounts.get_user(user_id)
    status = request.form.get("status", "")
    accounts.set_status(actor(), user, status)
    flash(_("%(name)s is now suspended: every session has ended.", name=user.full_name) if status == "suspended"
          else _("%(name)s can sign in again.", name=user.full_name), "info")
    return redirect_to(request.referrer if request.referrer and request.referrer.startswith(request.host_url)
                       else url_for("admin.users"))


@bp.route("/users/<int:user_id>/role", methods=["POST"])
def set_user_role(user_id: int):
    user = accounts.get_user(user_id)
    accounts.set_role(actor(), user, request.form.get("role", ""))
    flash(_("%(name)s is now %(role)s.", name=user.full_name, role=_role(user.role)), "success")
    return redirect_to(url_for("admin.users"))


def _role(role: str) -> str:
    from webapp.core.templating import role_label

    return role_label(role)


@bp.route("/invitations", methods=["GET", "POST"])
def invitations():
    form = InviteForm()
    if form.validate_on_submit():
        try:
            invitation = auth.invite(actor(), form.email.data, form.role.data, form.full_name.data)
        except ServiceError as error:
            show_errors(form, error)
        else:
            flash(_("Invitation sent to %(email)s.", email=invitation.email), "success")
            return redirect_to(url_for("admin.invitations"))
    page, per_page = page_args(request.args, default_per_page=25)
    return form_page("admin/invitations.html", "admin/partials/invite_form.html", form,
                     page=auth.invitations_page(page, per_page), action_form=EmptyForm(), section="invitations")


@bp.route("/invitations/<int:invitation_id>/revoke", methods=["POST"])
def revoke_invitation(invitation_id: int):
    invitation = auth.revoke_invitation(actor(), invitation_id)
    flash(_("The invitation to %(email)s is revoked.", email=invitation.email), "info")
    return redirect_to(url_for("admin.invitations"))


@bp.route("/outbox")
def outbox():
    page, per_page = page_args(request.args, default_per_page=25)
    search = request.args.get("q", "").strip()
    status = request.args.get("status", "")
    return render("admin/outbox.html", "admin/partials/outbox_table.html",
                  page=mail.outbox_page(page, per_page, search, status), q=search, status_filter=status, section="outbox")


def _message(message_id: int) -> OutboxMessage:
    message = db.session.get(OutboxMessage, message_id)
    if message is None:
        abort(404)
    return message


@bp.route("/outbox/<int:message_id>")
def outbox_message(message_id: int):
    return render("admin/outbox_message.html", message=_message(message_id), action_form=EmptyForm(), section="outbox")


@bp.route("/outbox/<int:message_id>/html")
def outbox_message_html(message_id: int):
    """The mail's HTML, shown in a sandboxed frame: no scripts, no outside resources."""
    message = _message(message_id)
    response = Response(message.body_html or "", mimetype="text/html")
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; sandbox"
    )
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    return response


@bp.route("/outbox/<int:message_id>/retry", methods=["POST"])
def retry_message(message_id: int):
    message = _message(message_id)
    mail.retry(message)
    flash(_("The message is queued again."), "info")
    return redirect_to(url_for("admin.outbox_message", message_id=message.id))

from webapp.admin import skills as _skills  # noqa: E402,F401  (the skills taxonomy pages)
