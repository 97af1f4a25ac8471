"""Directory forms. The search form is a GET form (no CSRF: it changes nothing) that turns
query arguments into search criteria, with a message under each field that is wrong."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SearchField, SelectField, SelectMultipleField, StringField

from webapp.core.errors import ValidationFailed
from webapp.directory.reference import (
    AVAILABILITY_LABELS,
    GENDER_LABELS,
    LANGUAGES,
    SKILL_LEVEL_LABELS,
    WORK_MODE_LABELS,
)
from webapp.directory.search import Criteria, Reference, check

SORT_LABELS = {
    "relevance": _l("Best match"),
    "newest": _l("Newest first"),
    "oldest": _l("Oldest first"),
    "name": _l("Name (A to Z)"),
    "score": _l("Most complete profile"),
    "experience": _l("Most experience"),
}
WHOLE_NUMBER = _l("Enter a whole number.")


class SearchForm(FlaskForm):
    """The directory's search form. Choices come from the reference data; unknown values are
    reported by `criteria()` (with the service's own checks), never dropped silently."""

    class Meta:
        csrf = False

    q = SearchField(_l("Search"))
    country = SelectField(_l("Country"), validate_choice=False)
    city = SelectField(_l("City"), validate_choice=False)
    gender = SelectMultipleField(_l("Gender"), validate_choice=False)
    availability = SelectMultipleField(_l("Availability"), validate_choice=False)
    work_mode = SelectMultipleField(_l("Work mode"), validate_choice=False)
    skill = SelectMultipleField(_l("Skills"), validate_choice=False)
    skill_level = SelectField(_l("At least"), validate_choice=False)
    language = SelectMultipleField(_l("Speaks"), validate_choice=False)
    age_min = StringField(_l("Age from"))
    age_max = StringField(_l("to"))
    experience_min = StringField(_l("Experience from (years)"))
    experience_max = StringField(_l("to"))
    has_photo = BooleanField(_l("With a photo"))
    has_cv = BooleanField(_l("With a CV"))
    include_inactive = BooleanField(_l("Include inactive profiles"))
    kind = HiddenField(default="all")
    sort = SelectField(_l("Sort by"), validate_choice=False)

    def __init__(self, formdata, **kwargs):
        super().__init__(formdata=formdata, **kwargs)
        self._args = formdata

    def with_choices(self, locale: str = "en", reference: Reference | None = None) -> SearchForm:
        """Fill the lists to choose from (only a page that shows the form needs them)."""
        reference = reference or Reference.current()
        countries = sorted(reference.countries.values(), key=lambda c: c.name(locale))
        self.country.choices = [("", _l("Any country"))] + [(str(c.id), c.name(locale)) for c in countries]
        cities_by_country: dict[str, list[tuple[str, str]]] = {}
        for country in countries:
            cities = sorted((c for c in reference.cities.values() if c.country_id == country.id), key=lambda c: c.name)
            if cities:
                cities_by_country[country.name(locale)] = [(str(c.id), c.name) for c in cities]
        self.city.choices = {"": [("", _l("Any city"))], **cities_by_country}
        self.gender.choices = list(GENDER_LABELS.items())
        self.availability.choices = list(AVAILABILITY_LABELS.items())
        self.work_mode.choices = list(WORK_MODE_LABELS.items())
        skills_by_category: dict[str, list[tuple[str, str]]] = {}
        for skill in sorted(reference.skills.values(), key=lambda s: (s.category(locale), s.name(locale))):
            label = f"{skill.emoji} {skill.name(locale)}".strip()
            skills_by_category.setdefault(skill.category(locale), []).append((str(skill.id), label))
        self.skill.choices = skills_by_category
        self.skill_level.choices = [(str(level), label) for level, label in SKILL_LEVEL_LABELS.items()]
        names = sorted(LANGUAGES.items(), key=lambda item: item[1][1 if locale == "fr" else 0])
        self.language.choices = [(code, pair[1] if locale == "fr" else pair[0]) for code, pair in names]
        self.sort.choices = list(SORT_LABELS.items())
        return self

    def criteria(self) -> Criteria:
        """The criteria typed, checked; a ValidationFailed names every field that is wrong."""
        return criteria_from_args(self._args)

    @property
    def filters_have_errors(self) -> bool:
        """Whether a filter (not the text or the sort) is wrong: its panel opens to show it."""
        return any(field.errors for field in self if field.name not in ("q", "sort", "kind"))


TRUE_VALUES = {"1", "y", "yes", "on", "true"}


def criteria_from_args(args) -> Criteria:
    """The search's query arguments as criteria, checked (the service's checks included), with a
    message per wrong field. No form is built: the results fragment needs none unless something
    is wrong (then the view builds one to show the messages)."""
    errors: dict[str, list[str]] = {}

    def text(name: str) -> str:
        return (args.get(name) or "").strip()

    def number(name: str, message=WHOLE_NUMBER) -> int | None:
        raw = text(name)
        if not raw:
            return None
        try:
            return int(raw)
        except ValueError:
            errors[name] = [str(message)]
            return None

    def numbers(name: str) -> tuple[int, ...]:
        values = []
        for raw in args.getlist(name):
            if raw.strip():
                try:
                    values.append(int(raw))
                except ValueError:
                    errors[name] = [str(_l("Choose one of the options."))]
        return tuple(values)

    def choices(name: str) -> tuple[str, ...]:
        return tuple(value.strip() for value in args.getlist(name) if value.strip())

    def flag(name: str) -> bool:
        return text(name).lower() in TRUE_VALUES

    level = number("skill_level")
    criteria = Criteria(
        q=text("q"), country=number("country", _l("Choose one of the options.")),
        city=number("city", _l("Choose one of the options.")), gender=choices("gender"),
        availability=choices("availability"), work_mode=choices("work_mode"), skill=numbers("skill"),
        skill_level=level if level is not None else 1, language=choices("language"),
        age_min=number("age_min"), age_max=number("age_max"), experience_min=number("experience_min"),
        experience_max=number("experience_max"), has_photo=flag("has_photo"), has_cv=flag("has_cv"),
        include_inactive=flag("include_inactive"), kind=text("kind") or "all", sort=text("sort"),
    )
    try:
        check(criteria)
    except ValidationFailed as failure:
        for name, messages in failure.fields.items():
            errors.setdefault(name, messages)
    if errors:
        raise ValidationFailed(fields=errors)
    return criteria
