from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length

ROLE_CHOICES = [("recruiter", _l("Recruiter")), ("consultant", _l("Consultant"))]


class InviteForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(_l("This field is required.")),
                                                Email(_l("Enter a valid email address."))])
    full_name = StringField(_l("Name (optional)"), validators=[Length(max=120)])
    role = SelectField(_l("Role"), choices=ROLE_CHOICES)


class SettingsForm(FlaskForm):
    site_name = StringField(_l("Site name"), validators=[DataRequired(_l("Enter the name of the site.")),
                                                         Length(max=60, message=_l("Use at most 60 characters."))])
    registration_open = BooleanField(_l("Visitors may create an account"))
    default_language = SelectField(_l("Default language"), choices=[("en", "English"), ("fr", "Français")])


class EmailTemplateForm(FlaskForm):
    subject = StringField(_l("Subject"), validators=[Length(max=1000)])
    body_text = TextAreaField(_l("Text"))
    body_html = TextAreaField(_l("HTML (optional)"))
