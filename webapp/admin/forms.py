from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length

ROLE_CHOICES = [("recruiter", _l("Recruiter")), ("consultant", _l("Consultant"))]


class InviteForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(_l("This field is required.")),
                                                Email(_l("Enter a valid email address."))])
    full_name = StringField(_l("Name (optional)"), validators=[Length(max=120)])
    role = SelectField(_l("Role"), choices=ROLE_CHOICES)
