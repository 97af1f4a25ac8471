"""The forms of the inbox: a message, a new conversation, and the CSRF-only buttons."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import SelectMultipleField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from webapp.messaging.services import MAX_SUBJECT, MAX_TEXT


class MessageForm(FlaskForm):
    text = TextAreaField(_l("Message"), validators=[Optional(), Length(max=MAX_TEXT)])
    attachments = MultipleFileField(_l("Attach files"))


class NewConversationForm(FlaskForm):
    # The people offered depend on who writes; the service checks each one again.
    participants = SelectMultipleField(_l("To"), coerce=int, validate_choice=False)
    subject = StringField(_l("Subject (optional)"), validators=[Optional(), Length(max=MAX_SUBJECT)])
    text = TextAreaField(_l("Message"), validators=[Optional(), Length(max=MAX_TEXT)])


class AddParticipantForm(FlaskForm):
    participants = SelectMultipleField(_l("Add people"), coerce=int, validate_choice=False)


class EmptyForm(FlaskForm):
    """A button that changes something: only the CSRF token."""
