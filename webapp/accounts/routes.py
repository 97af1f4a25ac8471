"""My account pages. Each section is a form that posts through htmx and answers with itself."""

from __future__ import annotations

from flask import flash, make_response, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user

from webapp.accounts import bp, services
from webapp.accounts.forms import (
    ApiKeyForm,
    AvatarForm,
    ChangeEmailForm,
    ChangePasswordForm,
    DeleteAccountForm,
    EmptyForm,
    PreferencesForm,
    ProfileForm,
)
from webapp.auth import services as auth
from webapp.core.errors import ServiceError
from webapp.core.forms import form_page, show_errors
from webapp.core.htmx import redirect_to, refresh_page, render


def _me():
    return current_user._get_current_object()


@bp.before_request
@login_required
def _signed_in_only():
    """Every page here is about the signed-in person's own account."""


@bp.route("/", methods=["GET", "POST"])
def profile():
    form = ProfileForm(obj=_me())
    if form.validate_on_submit():
        try:
            services.update_profile(_me(), {"full_name": form.full_name.data, "phone": form.phone.data,
                                            "bio": form.bio.data})
        except ServiceError as error:
            show_errors(form, error)
        else:
            flash(_("Your profile is saved."), "success")
    return form_page("accounts/profile.html", "accounts/partials/profile_form.html", form,
                     avatar_form=AvatarForm(), section="profile")


@bp.route("/avatar", methods=["POST"])
def avatar():
    form = AvatarForm()
    if form.validate_on_submit():
        try:
            if request.form.get("remove"):
                services.remove_avatar(_me())
                flash(_("Your photo is removed."), "info")
            else:
                services.set_avatar(_me(), request.files.get("avatar"))
                flash(_("Your new photo is saved."), "success")
        except ServiceError as error:
            show_errors(form, error)
        else:
            # The photo shows in the navigation too: reload the page rather than patch both.
            return redirect_to(url_for("accounts.profile"))
    status = 422 if form.errors or form.form_errors else 200
    return render("accounts/profile.html", "accounts/partials/avatar_form.html", status=status,
                  form=ProfileForm(obj=_me()), avatar_form=form, section="profile")


@bp.route("/preferences", methods=["GET", "POST"])
def preferences():
    me = _me()
    form = PreferencesForm(data=services.preferences_of(me))
    if form.validate_on_submit():
        before = (me.locale, me.theme)
        try:
            services.update_preferences(me, {
                "notifications_enabled": form.notifications_enabled.data,
                "email_notifications": form.email_notifications.data,
                "theme": form.theme.data,
                "language": form.language.data,
            })
        except ServiceError as error:
            show_errors(form, error)
        else:
            flash(_("Your preferences are saved."), "success")
            if (me.locale, me.theme) != before:
                # Language and theme change the whole page: reload it so they apply at once.
                return refresh_page(url_for("accounts.preferences"))
    return form_page("accounts/preferences.html", "accounts/partials/preferences_form.html", form,
                     section="preferences")


@bp.route("/security")
def security():
    return render("accounts/security.html", password_form=ChangePasswordForm(), email_form=ChangeEmailForm(),
                  sessions_form=EmptyForm(), section="security")


@bp.route("/security/password", methods=["POST"])
def change_password():
    form = ChangePasswordForm()
    me = _me()
    if form.validate_on_submit():
        try:
            services.change_password(me, form.current_password.data, form.new_password.data)
        except ServiceError as error:
            show_errors(form, error)
        else:
            # Every other session is over; this one continues under the new session token.
            login_user(me, remember=bool(request.cookies.get("talentbase_remember")))
            flash(_("Your password is changed. Every other device has been signed out."), "success")
            form = ChangePasswordForm(formdata=None)
    return form_page("accounts/security.html", "accounts/partials/password_form.html", form,
                     password_form=form, email_form=ChangeEmailForm(formdata=None),
                     sessions_form=EmptyForm(formdata=None), section="security")


@bp.route("/security/email", methods=["POST"])
def change_email():
    form = ChangeEmailForm()
    if form.validate_on_submit():
        try:
            address = services.request_email_change(_me(), form.password.data, form.new_email.data)
        except ServiceError as error:
            show_errors(form, error)
        else:
            flash(_("We sent a link to %(email)s. Your email changes when you open it.", email=address), "info")
            form = ChangeEmailForm(formdata=None)
    return form_page("accounts/security.html", "accounts/partials/email_form.html", form,
                     email_form=form, password_form=ChangePasswordForm(formdata=None),
                     sessions_form=EmptyForm(formdata=None), section="security")


@bp.route("/security/sign-out-everywhere", methods=["POST"])
def sign_out_everywhere():
    me = _me()
    services.end_all_sessions(me)
    auth.end_session(None)
    from webapp.extensions import db

    db.session.commit()
    flash(_("You are signed out on every device, this one included."), "info")
    return redirect_to(url_for("auth.login"))


@bp.route("/api-keys", methods=["GET", "POST"])
def api_keys():
    form = ApiKeyForm()
    new_key = None
    if form.validate_on_submit():
        try:
            key, new_key = auth.create_api_key(_me(), form.name.data)
        except ServiceError as error:
            show_errors(form, error)
        else:
            form = ApiKeyForm(formdata=None)
    return form_page("accounts/api_keys.html", "accounts/partials/api_keys.html", form,
                     keys=auth.api_keys_of(_me()), new_key=new_key, revoke_form=EmptyForm(), section="api_keys")


@bp.route("/api-keys/<int:key_id>/revoke", methods=["POST"])
def revoke_api_key(key_id: int):
    if EmptyForm().validate_on_submit():
        key = auth.revoke_api_key(_me(), key_id)
        flash(_("The key “%(name)s” is revoked.", name=key.name), "info")
    return render("accounts/api_keys.html", "accounts/partials/api_keys.html", form=ApiKeyForm(formdata=None),
                  keys=auth.api_keys_of(_me()), new_key=None, revoke_form=EmptyForm(), section="api_keys")


@bp.route("/privacy")
def privacy():
    return render("accounts/privacy.html", delete_form=DeleteAccountForm(), section="privacy")


@bp.route("/privacy/export", methods=["POST"])
def export():
    if not EmptyForm().validate_on_submit():
        return redirect(url_for("accounts.privacy"))
    archive = services.export_data(_me())
    response = make_response(archive)
    response.headers["Content-Type"] = "application/zip"
    response.headers["Content-Disposition"] = 'attachment; filename="talentbase-my-data.zip"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/privacy/delete", methods=["POST"])
def delete():
    form = DeleteAccountForm()
    if form.validate_on_submit():
        try:
            services.delete_account(_me(), form.password.data)
        except ServiceError as error:
            show_errors(form, error)
        else:
            auth.end_session(None)
            flash(_("Your account and its data are deleted. Goodbye!"), "info")
            return redirect_to(url_for("main.index"))
    return form_page("accounts/privacy.html", "accounts/partials/delete_form.html", form,
                     delete_form=form, section="privacy")
