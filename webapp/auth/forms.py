"""Sign-in, registration, reset and invitation forms (format checks; the rules are in services)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length

REQUIRED = _l("This field is required.")
EMAIL = _l("Enter a valid email address.")


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(REQUIRED), Email(EMAIL)])
    password = PasswordField(_l("Password"), validators=[DataRequired(REQUIRED)])
    remember = BooleanField(_l("Remember me on this device"))
    next = HiddenField()


class RegisterForm(FlaskForm):
    full_name = StringField(_l("Full name"), validators=[DataRequired(REQUIRED), Length(max=120)])
    email = EmailField(_l("Email"), validators=[DataRequired(REQUIRED), Email(EMAIL)])
    password = PasswordField(_l("Password"), validators=[DataRequired(REQUIRED)])
    confirm = PasswordField(_l("Repeat the password"),
                            validators=[DataRequired(REQUIRED), EqualTo("password", _l("The two passwords differ."))])


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(REQUIRED), Email(EMAIL)])


class ResetPasswordForm(FlaskForm):
    new_password = PasswordField(_l("New password"), validators=[DataRequired(REQUIRED)])
    confirm = PasswordField(_l("Repeat the new password"),
                            validators=[DataRequired(REQUIRED), EqualTo("new_password", _l("The two passwords differ."))])


class AcceptInvitationForm(FlaskForm):
    full_name = StringField(_l("Full name"), validators=[DataRequired(REQUIRED), Length(max=120)])
    password = PasswordField(_l("Choose a password"), validators=[DataRequired(REQUIRED)])
    confirm = PasswordField(_l("Repeat the password"),
                            validators=[DataRequired(REQUIRED), EqualTo("password", _l("The two passwords differ."))])


class ConfirmForm(FlaskForm):
    """A button that confirms an action a mailed link asked for (links never change data on GET)."""
