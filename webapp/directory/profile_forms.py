"""The profile editor's section forms (the talent's own and staff's for a candidate), and the
"Add a candidate" form. The fields are checked by the profile service (CLEANERS): these forms
only carry what was typed, so every message comes from one place and nothing typed is lost."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from sqlalchemy import select
from wtforms import SelectField, StringField, TextAreaField

from webapp.core.text import fold
from webapp.directory import display, reference
from webapp.directory.models import CURRENCIES
from webapp.extensions import db
from webapp.taxonomy.models import City, Country

NONE = ("", "—")


def _select(label, choices=None) -> SelectField:
    # The service decides what is valid (so its message shows); WTForms only carries the value.
    return SelectField(label, choices=choices or [], coerce=str, validate_choice=False)


class IdentityForm(FlaskForm):
    first_name = StringField(_l("First name"))
    last_name = StringField(_l("Last name"))
    gender = _select(_l("Gender"))
    birth_date = StringField(_l("Date of birth"))
    nationality_id = _select(_l("Nationality"))
    residence_country_id = _select(_l("Country of residence"))
    residence_city_id = _select(_l("City of residence"))
    origin_country_id = _select(_l("Country of origin"))
    origin_city_id = _select(_l("City of origin"))


class ContactForm(FlaskForm):
    email = StringField(_l("Email"))
    phone = StringField(_l("Phone"))
    whatsapp = StringField(_l("WhatsApp"))


class ProfessionalForm(FlaskForm):
    headline = StringField(_l("Headline"))
    current_position = StringField(_l("Current position"))
    current_company = StringField(_l("Company"))
    years_experience = StringField(_l("Years of experience"))
    bio = TextAreaField(_l("About you"))
    education = TextAreaField(_l("Education"))


class AvailabilityForm(FlaskForm):
    availability = _select(_l("Availability"))
    work_mode = _select(_l("Work mode"))
    rate_min = StringField(_l("Rate from"))
    rate_max = StringField(_l("Rate up to"))
    rate_currency = _select(_l("Currency"))
    rate_unit = _select(_l("Per"))


class LinksForm(FlaskForm):
    portfolio_url = StringField(_l("Portfolio"))
    website = StringField(_l("Website"))
    linkedin = StringField(_l("LinkedIn"))
    instagram = StringField(_l("Instagram"))


class NotesForm(FlaskForm):
    recruiter_notes = TextAreaField(_l("Recruiter notes"))


class ListForm(FlaskForm):
    """Skills or languages: rows read from the request by the route (just the CSRF token here)."""


class PhotoForm(FlaskForm):
    photo = FileField(_l("Photo"))


class CvForm(FlaskForm):
    cv = FileField(_l("CV"))


class CandidateForm(IdentityForm, ContactForm):
    """Add a candidate: both names required (by the service), the rest optional."""

    headline = StringField(_l("Headline"))
    source = _select(_l("Source"))
    recruiter_notes = TextAreaField(_l("Recruiter notes"))
    cv = FileField(_l("CV (PDF or Word)"))


FORMS: dict[str, type[FlaskForm]] = {
    "identity": IdentityForm,
    "contact": ContactForm,
    "professional": ProfessionalForm,
    "availability": AvailabilityForm,
    "links": LinksForm,
    "notes": NotesForm,
    "skills": ListForm,
    "languages": ListForm,
    "photo": PhotoForm,
    "cv": CvForm,
}
# The fields each form sends to the service (the services' SECTIONS, plus the staff notes).
CANDIDATE_FIELDS = ("first_name", "last_name", "gender", "birth_date", "nationality_id", "residence_country_id",
                    "residence_city_id", "email", "phone", "whatsapp", "headline", "recruiter_notes")


# Choices, in the viewer's language ----------------------------------------------------------------

def country_choices() -> list[tuple[str, str]]:
    lang = display.locale()
    countries = sorted(db.session.scalars(select(Country)), key=lambda c: fold(c.name(lang)))
    return [NONE] + [(str(c.id), c.name(lang)) for c in countries]


def nationality_choices() -> list[tuple[str, str]]:
    lang = display.locale()
    countries = sorted(db.session.scalars(select(Country)),
                       key=lambda c: fold((c.nationality_fr if lang == "fr" else c.nationality_en) or c.name(lang)))
    return [NONE] + [(str(c.id), (c.nationality_fr if lang == "fr" else c.nationality_en) or c.name(lang))
                     for c in countries]


def city_choices(country_id) -> list | dict:
    """The cities of the chosen country; without one, every city grouped by country (no JS needed)."""
    try:
        country = db.session.get(Country, int(country_id)) if country_id not in (None, "", "None") else None
    except (TypeError, ValueError):
        country = None
    if country is not None:
        cities = db.session.scalars(select(City).where(City.country_id == country.id).order_by(City.name))
        return [NONE] + [(str(c.id), c.name) for c in cities]
    lang = display.locale()
    grouped: dict[str, list] = {"": [NONE]}
    for country in sorted(db.session.scalars(select(Country)), key=lambda c: fold(c.name(lang))):
        grouped[country.name(lang)] = [(str(c.id), c.name) for c in country.cities]
    return grouped


def _labels(labels: dict) -> list[tuple[str, str]]:
    return [NONE] + [(key, str(value)) for key, value in labels.items()]


def fill_choices(form: FlaskForm) -> FlaskForm:
    """Give the select fields of `form` their options (cities follow the chosen countries)."""
    if hasattr(form, "gender"):
        form.gender.choices = _labels(reference.GENDER_LABELS)
    if hasattr(form, "nationality_id"):
        form.nationality_id.choices = nationality_choices()
        countries = country_choices()
        for country_field, city_field in (("residence_country_id", "residence_city_id"),
                                          ("origin_country_id", "origin_city_id")):
            if hasattr(form, country_field):
                getattr(form, country_field).choices = countries
                getattr(form, city_field).choices = city_choices(getattr(form, country_field).data)
    if hasattr(form, "availability"):
        form.availability.choices = _labels(reference.AVAILABILITY_LABELS)
        form.work_mode.choices = _labels(reference.WORK_MODE_LABELS)
        form.rate_currency.choices = [NONE] + [(c, c) for c in CURRENCIES]
        form.rate_unit.choices = _labels(reference.RATE_UNIT_LABELS)
    if hasattr(form, "source"):
        form.source.choices = [(key, str(reference.SOURCE_LABELS[key])) for key in ("recruiter", "referral", "import")]
    return form
