"""My account: profile, avatar, preferences, password, email, API keys, deletion."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, EmailField, PasswordField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

REQUIRED = _l("This field is required.")


class ProfileForm(FlaskForm):
    full_name = StringField(_l("Full name"), validators=[DataRequired(REQUIRED), Length(max=120)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=24)])
    bio = TextAreaField(_l("About me"), validators=[Optional(), Length(max=2000)])


class AvatarForm(FlaskForm):
    avatar = FileField(_l("Photo"))


class PreferencesForm(FlaskForm):
    notifications_enabled = BooleanField(_l("Show notifications in the app"))
    email_notifications = BooleanField(_l("Also send notifications by email"))
    theme = RadioField(_l("Theme"), choices=[("light", _l("Light")), ("dark", _l("Dark"))])
    language = SelectField(_l("Language"), choices=[("en", "English"), ("fr", "Français")])


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired(REQUIRED)])
    new_password = PasswordField(_l("New password"), validators=[DataRequired(REQUIRED)])
    confirm = PasswordField(_l("Repeat the new password"),
                            validators=[DataRequired(REQUIRED), EqualTo("new_password", _l("The two passwords differ."))])


class ChangeEmailForm(FlaskForm):
    new_email = EmailField(_l("New email"), validators=[DataRequired(REQUIRED), Email(_l("Enter a valid email address."))])
    password = PasswordField(_l("Your password"), validators=[DataRequired(REQUIRED)])


class ApiKeyForm(FlaskForm):
    name = StringField(_l("Key name"), validators=[DataRequired(REQUIRED), Length(max=80)])


class DeleteAccountForm(FlaskForm):
    password = PasswordField(_l("Your password"), validators=[DataRequired(REQUIRED)])
    confirm = BooleanField(_l("I understand that my account and all its data will be erased for good"),
                           validators=[DataRequired(_l("Tick the box to confirm."))])


class EmptyForm(FlaskForm):
    """Just the CSRF token, for buttons that post."""
