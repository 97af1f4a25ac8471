"""The skill form of the admin pages (the service checks the rules; this only carries fields)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, TextAreaField


class SkillForm(FlaskForm):
    name_en = StringField(_l("Name in English"))
    name_fr = StringField(_l("Name in French"))
    category_en = StringField(_l("Category in English"))
    category_fr = StringField(_l("Category in French"))
    emoji = StringField(_l("Emoji (optional)"))
    tag = SelectField(_l("Tag"), choices=[("general", _l("General")), ("cinema", _l("Cinema"))])
    synonyms = TextAreaField(_l("Synonyms, one per line"))
    is_active = BooleanField(_l("Active: offered on profiles and in searches"), default=True)

    def values(self) -> dict:
        return {name: getattr(self, name).data for name in
                ("name_en", "name_fr", "category_en", "category_fr", "emoji", "tag", "synonyms", "is_active")}
