"""Pages: sign in, register, sign out, verify email, forgot/reset password, accept invitation."""

from __future__ import annotations

from flask import flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from webapp.accounts import services as accounts
from webapp.auth import bp, services
from webapp.auth.forms import (
    AcceptInvitationForm,
    ConfirmForm,
    ForgotPasswordForm,
    LoginForm,
    RegisterForm,
    ResetPasswordForm,
)
from webapp.core.errors import AccountSuspended, InvalidCredentials, InvalidToken, ServiceError, ValidationFailed
from webapp.core.forms import form_page, show_errors
from webapp.core.htmx import redirect_to, render
from webapp.core.i18n import select_locale
from webapp.core.pagecache import same_for_visitors
from webapp.core.ratelimit import login_limits, password_reset_limits, register_limits, verify_email_limits
from webapp.core.security import safe_next
from webapp.extensions import login_manager


@login_manager.unauthorized_handler
def _unauthorized():
    from webapp.core.errors import sign_in_first

    return sign_in_first()


def _home() -> str:
    return url_for("main.dashboard")


@bp.route("/login", methods=["GET", "POST"])
@same_for_visitors
@login_limits
def login():
    form = LoginForm()
    if request.method == "GET":
        if current_user.is_authenticated:
            return redirect_to(safe_next(request.args.get("next"), _home()))
        form.next.data = request.args.get("next", "")
        form.email.data = request.args.get("email", "")
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.email.data, form.password.data)
        except (InvalidCredentials, AccountSuspended) as error:
            form.form_errors.append(error.message)
        else:
            services.start_session(user, remember=form.remember.data)
            flash(_("Welcome back, %(name)s.", name=user.first_name), "success")
            return redirect_to(safe_next(form.next.data, _home()))
    return form_page("auth/login.html", "auth/partials/login_form.html", form)


@bp.route("/register", methods=["GET", "POST"])
@same_for_visitors
@register_limits
def register():
    if current_user.is_authenticated and request.method == "GET":
        return redirect_to(_home())
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = services.register(form.email.data, form.password.data, form.full_name.data, locale=select_locale())
        except ServiceError as error:
            show_errors(form, error)
        else:
            services.start_session(user)
            flash(_("Welcome to Talentbase! We sent a link to %(email)s to confirm your address.", email=user.email), "success")
            return redirect_to(_home())
    return form_page("auth/register.html", "auth/partials/register_form.html", form)


@bp.route("/logout", methods=["POST"])
def logout():
    services.end_session(current_user._get_current_object() if current_user.is_authenticated else None)
    flash(_("You are signed out on every device."), "info")
    return redirect_to(url_for("auth.login"))


@bp.route("/verify-email/<token>", methods=["GET", "POST"])
def verify_email(token: str):
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            user = services.verify_email(token)
        except ValidationFailed as error:
            return render_template("auth/link_problem.html", message=error.message), 400
        flash(_("Thank you, your email address %(email)s is confirmed.", email=user.email), "success")
        return redirect_to(_home() if current_user.is_authenticated else url_for("auth.login"))
    return render_template("auth/confirm_link.html", form=form,
                           heading=_("Confirm your email address"),
                           explanation=_("Press the button to confirm that this address is yours."),
                           button=_("Confirm my email"))


@bp.route("/verify-email/resend", methods=["POST"])
@login_required
@verify_email_limits
def resend_verification():
    if current_user.email_verified:
        flash(_("Your email address is already confirmed."), "info")
    else:
        services.send_verification(current_user._get_current_object())
        flash(_("We sent a new confirmation link to %(email)s.", email=current_user.email), "success")
    return redirect_to(safe_next(request.form.get("next"), _home()))


@bp.route("/forgot-password", methods=["GET", "POST"])
@same_for_visitors
@password_reset_limits
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        return render("auth/forgot_password_sent.html", "auth/partials/reset_sent.html", email=form.email.data)
    return form_page("auth/forgot_password.html", "auth/partials/forgot_password_form.html", form)


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    try:
        services.user_for_reset(token)
    except InvalidToken as error:
        return render_template("auth/link_problem.html", message=error.message,
                               retry_url=url_for("auth.forgot_password")), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            user = services.reset_password(token, form.new_password.data)
        except ServiceError as error:
            show_errors(form, error)
        else:
            flash(_("Your password is changed. Sign in with the new one."), "success")
            return redirect_to(url_for("auth.login", email=user.email))
    return form_page("auth/reset_password.html", "auth/partials/reset_password_form.html", form, token=token)


@bp.route("/change-email/<token>", methods=["GET", "POST"])
def confirm_email_change(token: str):
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            user = accounts.confirm_email_change(token)
        except ValidationFailed as error:
            return render_template("auth/link_problem.html", message=error.message), 400
        flash(_("Your email address is now %(email)s.", email=user.email), "success")
        return redirect_to(url_for("accounts.security") if current_user.is_authenticated else url_for("auth.login"))
    return render_template("auth/confirm_link.html", form=form,
                           heading=_("Confirm your new email address"),
                           explanation=_("Press the button to make this address the one you sign in with."),
                           button=_("Change my email"))


@bp.route("/invite/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    try:
        invitation = services.invitation_for(token)
    except InvalidToken as error:
        return render_template("auth/link_problem.html", message=error.message), 400
    form = AcceptInvitationForm()
    if request.method == "GET" and invitation.full_name:
        form.full_name.data = invitation.full_name
    if form.validate_on_submit():
        try:
            user = services.accept_invitation(token, form.full_name.data, form.password.data,
                                                  locale=select_locale())
        except ServiceError as error:
            show_errors(form, error)
        else:
            services.start_session(user)
            flash(_("Welcome to Talentbase, %(name)s.", name=user.first_name), "success")
            return redirect_to(_home())
    return form_page("auth/accept_invitation.html", "auth/partials/accept_invitation_form.html", form,
                     invitation=invitation, token=token)
