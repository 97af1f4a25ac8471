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
        errors: dict[str, list[str]] = {}

        def number(field) -> int | None:
            raw = (field.data or "").strip()
            if not raw:
                return None
            try:
                return int(raw)
            except ValueError:
                errors[field.name] = [str(WHOLE_NUMBER)]
                return None

        def identifier(field) -> int | None:
            raw = (field.data or "").strip()
            if not raw:
                return None
            try:
                return int(raw)
            except ValueError:
                errors[field.name] = [str(_l("Choose one of the options."))]
                return None

        def identifiers(field) -> tuple[int, ...]:
            values = []
            for raw in field.data or ():
                try:
                    values.append(int(raw))
                except ValueError:
                    errors[field.name] = [str(_l("Choose one of the options."))]
            return tuple(values)

        def choices(field) -> tuple[str, ...]:
            return tuple(value for value in (field.data or ()) if value)

        level = number(self.skill_level) if (self.skill_level.data or "").strip() else 1
        criteria = Criteria(
            q=(self.q.data or "").strip(),
            country=identifier(self.country),
            city=identifier(self.city),
            gender=choices(self.gender),
            availability=choices(self.availability),
            work_mode=choices(self.work_mode),
            skill=identifiers(self.skill),
            skill_level=level if level is not None else 1,
            language=choices(self.language),
            age_min=number(self.age_min),
            age_max=number(self.age_max),
            experience_min=number(self.experience_min),
            experience_max=number(self.experience_max),
            has_photo=bool(self.has_photo.data),
            has_cv=bool(self.has_cv.data),
            include_inactive=bool(self.include_inactive.data),
            kind=(self.kind.data or "all").strip() or "all",
            sort=(self.sort.data or "").strip(),
        )
        try:
            check(criteria)
        except ValidationFailed as failure:
            for name, messages in failure.fields.items():
                errors.setdefault(name, messages)
        if errors:
            raise ValidationFailed(fields=errors)
        return criteria

    @property
    def filters_have_errors(self) -> bool:
        """Whether a filter (not the text or the sort) is wrong: its panel opens to show it."""
        return any(field.errors for field in self if field.name not in ("q", "sort", "kind"))
