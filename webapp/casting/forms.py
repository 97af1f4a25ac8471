"""Forms of the cinema pages. Choices come from the managed lists in the reader's language;
the services check every value (so the forms never refuse a choice on their own, and an
unknown value gets the service's clear message instead of WTForms' English one)."""

from __future__ import annotations

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from webapp.casting.models import GENDER_WANTED, PROJECT_STATUSES, STAGES
from webapp.directory.models import LANGUAGE_LEVELS
from webapp.directory.reference import LANGUAGE_LEVEL_LABELS, LANGUAGES, language_name
from webapp.organisations.models import SIZES
from webapp.taxonomy import services as taxonomy

BLANK = ("", "—")
GUARDIAN_RELATIONSHIPS = {
    "mother": _l("Mother"),
    "father": _l("Father"),
    "legal_guardian": _l("Legal guardian"),
    "relative": _l("Other relative"),
    "other": _l("Other"),
}
GENDER_WANTED_LABELS = {"any": _l("Any"), "F": _l("Female"), "M": _l("Male"), "N": _l("Non-binary")}


def locale() -> str:
    return str(get_locale() or "en")


def list_choices(list_name: str, blank: bool = True) -> list[tuple[str, str]]:
    """The active values of a managed list as (slug, name in the reader's language)."""
    choices = [(v.slug, v.name(locale())) for v in taxonomy.list_values(list_name)]
    return [BLANK, *choices] if blank else choices


def cinema_skill_choices() -> list[tuple[str, str]]:
    return [(s.slug, f"{s.emoji} {s.name(locale())}".strip()) for s in taxonomy.skills(tag="cinema")]


def Choice(label, **kwargs):  # noqa: N802 (reads as a field class)
    """A select the service validates (unknown values get the service's message)."""
    return SelectField(label, validate_choice=False, **kwargs)


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("validate_choice", False)
        super().__init__(*args, **kwargs)


# Cinema details ------------------------------------------------------------------------------

class AttributesForm(FlaskForm):
    height_cm = StringField(_l("Height (cm)"), validators=[Optional(), Length(max=6)])
    eye_color = Choice(_l("Eye colour"))
    hair_color = Choice(_l("Hair colour"))
    hair_type = Choice(_l("Hair type"))
    skin_tone = Choice(_l("Skin tone"))
    build = Choice(_l("Build"))

    def fill_choices(self) -> AttributesForm:
        for name in ("eye_color", "hair_color", "hair_type", "skin_tone", "build"):
            getattr(self, name).choices = list_choices(name)
        return self

    def changes(self) -> dict:
        return {name: getattr(self, name).data for name in
                ("height_cm", "eye_color", "hair_color", "hair_type", "skin_tone", "build")}


class TalentsForm(FlaskForm):
    talent_types = MultiCheckboxField(_l("Talent types"))
    other_talents = MultiCheckboxField(_l("Other talents"))

    def fill_choices(self) -> TalentsForm:
        self.talent_types.choices = self.other_talents.choices = cinema_skill_choices()
        return self

    def changes(self) -> dict:
        return {"talent_types": self.talent_types.data or [], "other_talents": self.other_talents.data or []}


class ExperienceForm(FlaskForm):
    years_of_experience = StringField(_l("Years of experience"), validators=[Optional(), Length(max=4)])
    previous_productions = TextAreaField(_l("Previous productions"), validators=[Optional(), Length(max=4000)])
    # Where the service's messages about languages go (the levels are read from lang_<code>).
    languages_spoken = HiddenField()

    def language_rows(self, request_form=None, profile=None) -> list[dict]:
        """One row per known language with the chosen level (what was sent, else what is kept)."""
        kept = {lang.code: lang.level for lang in (profile.languages if profile is not None else [])}
        rows = []
        for code in LANGUAGES:
            level = request_form.get(f"lang_{code}", "") if request_form is not None else kept.get(code, "")
            rows.append({"code": code, "name": language_name(code, locale()), "level": level})
        # The person's own languages first, in their order, then the others alphabetically.
        order = list(kept)
        return sorted(rows, key=lambda r: (order.index(r["code"]) if r["code"] in order else len(order), r["name"]))

    @staticmethod
    def level_choices() -> list[tuple[str, str]]:
        return [("", _l("Not spoken")), *[(level, LANGUAGE_LEVEL_LABELS[level]) for level in LANGUAGE_LEVELS]]

    def changes(self, request_form) -> dict:
        languages = [f"{code}:{request_form.get(f'lang_{code}')}" for code in LANGUAGES
                     if request_form.get(f"lang_{code}")]
        return {"years_of_experience": self.years_of_experience.data,
                "previous_productions": self.previous_productions.data, "languages_spoken": languages}


class DocumentForm(FlaskForm):
    id_document_type = Choice(_l("Type of ID document"))
    id_document_number = StringField(_l("Document number"), validators=[Optional(), Length(max=40)])

    def fill_choices(self) -> DocumentForm:
        self.id_document_type.choices = list_choices("id_document_type")
        return self

    def changes(self) -> dict:
        changes = {"id_document_type": self.id_document_type.data}
        if (self.id_document_number.data or "").strip():
            changes["id_document_number"] = self.id_document_number.data
        return changes


class GalleryForm(FlaskForm):
    photo = FileField(_l("Photo"))
    caption = StringField(_l("Caption (optional)"), validators=[Optional(), Length(max=140)])


class EthnicityForm(FlaskForm):
    ethnicities = MultiCheckboxField(_l("Ethnicity"))
    ethnicity_consent = BooleanField(_l("I agree that Talentbase keeps my ethnicity to match me with roles. "
                                        "I can withdraw this consent at any time, and it is then erased at once."))

    def fill_choices(self) -> EthnicityForm:
        self.ethnicities.choices = list_choices("ethnicity", blank=False)
        return self


class GuardianForm(FlaskForm):
    guardian_name = StringField(_l("Guardian's full name"), validators=[Optional(), Length(max=120)])
    guardian_relationship = Choice(_l("Relationship to the talent"),
                                   choices=[BLANK, *GUARDIAN_RELATIONSHIPS.items()])
    guardian_phone = StringField(_l("Guardian's phone"), validators=[Optional(), Length(max=32)])
    guardian_email = StringField(_l("Guardian's email"), validators=[Optional(), Length(max=254)])
    guardian_consent = BooleanField(_l("The guardian agrees that this profile is kept, shown to casting agents and "
                                       "put forward for roles."))

    def changes(self) -> dict:
        return {key: getattr(self, key).data for key in
                ("guardian_name", "guardian_relationship", "guardian_phone", "guardian_email", "guardian_consent")}


# Productions ---------------------------------------------------------------------------------

class ProductionForm(FlaskForm):
    name = StringField(_l("Name"), validators=[Length(max=140)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=4000)])
    specialization = StringField(_l("Specialisation"), validators=[Optional(), Length(max=200)])
    country_id = Choice(_l("Country"))
    city_id = Choice(_l("City"))
    founded_year = StringField(_l("Year founded"), validators=[Optional(), Length(max=6)])
    size = Choice(_l("Size"), choices=[BLANK, *[(s, s) for s in SIZES]])
    employees_count = StringField(_l("Number of employees"), validators=[Optional(), Length(max=9)])
    email = StringField(_l("Email"), validators=[Optional(), Length(max=254)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=32)])
    website = StringField(_l("Website"), validators=[Optional(), Length(max=300)])

    FIELDS = ("name", "description", "specialization", "country_id", "city_id", "founded_year", "size",
              "employees_count", "email", "phone", "website")

    def fill_choices(self) -> ProductionForm:
        countries = taxonomy.countries()
        self.country_id.choices = [BLANK, *[(str(c.id), c.name(locale())) for c in countries]]
        self.city_id.choices = [BLANK, *[(str(city.id), f"{city.name} ({c.name(locale())})")
                                         for c in countries for city in c.cities]]
        return self

    def changes(self) -> dict:
        return {name: getattr(self, name).data for name in self.FIELDS}


class MemberForm(FlaskForm):
    email = StringField(_l("Recruiter's email"), validators=[Optional(), Length(max=254)])


class LogoForm(FlaskForm):
    logo = FileField(_l("Logo"))


# Projects and roles ---------------------------------------------------------------------------

def status_choices():
    from webapp.casting.services import STATUS_LABELS

    return [(status, STATUS_LABELS[status]) for status in PROJECT_STATUSES]


def stage_choices():
    from webapp.casting.services import STAGE_LABELS

    return [(stage, STAGE_LABELS[stage]) for stage in STAGES]


class ProjectForm(FlaskForm):
    name = StringField(_l("Project name"), validators=[Length(max=160)])
    production_id = Choice(_l("Production company"))
    production_type = Choice(_l("Production type"))
    origin_country_id = Choice(_l("Country of origin"))
    shooting_locations = StringField(_l("Shooting locations"), validators=[Optional(), Length(max=300)])
    start_date = StringField(_l("Start date"), validators=[Optional(), Length(max=10)])
    end_date = StringField(_l("End date"), validators=[Optional(), Length(max=10)])
    status = Choice(_l("Status"))
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=4000)])

    FIELDS = ("name", "production_type", "origin_country_id", "shooting_locations", "start_date", "end_date",
              "status", "description")

    def fill_choices(self, productions) -> ProjectForm:
        self.production_id.choices = [(str(p.id), p.name) for p in productions]
        self.production_type.choices = list_choices("production_type")
        self.origin_country_id.choices = [BLANK, *[(str(c.id), c.name(locale())) for c in taxonomy.countries()]]
        self.status.choices = status_choices()
        return self

    def changes(self) -> dict:
        return {name: getattr(self, name).data for name in self.FIELDS}


class RoleForm(FlaskForm):
    name = StringField(_l("Role"), validators=[Length(max=140)])
    talent_type = Choice(_l("Talent type"))
    gender = Choice(_l("Gender"), choices=[(g, GENDER_WANTED_LABELS[g]) for g in ("any", "F", "M", "N")])
    age_min = StringField(_l("Age from"), validators=[Optional(), Length(max=4)])
    age_max = StringField(_l("Age to"), validators=[Optional(), Length(max=4)])
    height_min = StringField(_l("Height from (cm)"), validators=[Optional(), Length(max=4)])
    height_max = StringField(_l("Height to (cm)"), validators=[Optional(), Length(max=4)])
    positions = StringField(_l("Positions"), validators=[Optional(), Length(max=5)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=4000)])

    FIELDS = ("name", "talent_type", "gender", "age_min", "age_max", "height_min", "height_max", "positions",
              "description")

    def fill_choices(self) -> RoleForm:
        self.talent_type.choices = [BLANK, *cinema_skill_choices()]
        return self

    def changes(self) -> dict:
        return {name: getattr(self, name).data for name in self.FIELDS}


assert set(GENDER_WANTED) == set(GENDER_WANTED_LABELS)


class StageForm(FlaskForm):
    stage = Choice(_l("Stage"))
    note = StringField(_l("Note (optional)"), validators=[Optional(), Length(max=2000)])

    def fill_choices(self) -> StageForm:
        self.stage.choices = stage_choices()
        return self


class ShortlistForm(FlaskForm):
    role_id = Choice(_l("Shortlist for…"))
    note = StringField(_l("Note (optional)"), validators=[Optional(), Length(max=2000)])


class SaveSearchForm(FlaskForm):
    """The search's query arguments come in a plain `query` input (kept up to date by the results)."""

    name = StringField(_l("Name of the search"), validators=[Optional(), Length(max=100)])


# Managed lists ----------------------------------------------------------------------------------

class ListValueForm(FlaskForm):
    name_en = StringField(_l("English name"), validators=[Optional(), Length(max=80)])
    name_fr = StringField(_l("French name"), validators=[Optional(), Length(max=80)])
    is_active = BooleanField(_l("Offered in forms and filters"), default=True)
