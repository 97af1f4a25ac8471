"""How the cinema pages name things: list values and skills in the reader's language, stage
and status labels, the picture of a talent. Registered as template globals by the blueprint."""

from __future__ import annotations

from flask import url_for
from flask_babel import get_locale

from webapp.casting import services as casting
from webapp.casting.forms import GENDER_WANTED_LABELS, GUARDIAN_RELATIONSHIPS
from webapp.directory.reference import GENDER_LABELS, LANGUAGE_LEVEL_LABELS, language_name


def locale() -> str:
    return str(get_locale() or "en")


def named(thing) -> str:
    """A list value, skill or country by its name in the reader's language ("" for none)."""
    if thing is None:
        return ""
    return thing.name(locale())


def nationality(country) -> str:
    """"Marocaine", "Moroccan": the nationality's own word, else the country's name."""
    if country is None:
        return ""
    word = country.nationality_fr if locale() == "fr" else country.nationality_en
    return word or country.name(locale())


def stage_label(stage: str | None) -> str:
    return str(casting.STAGE_LABELS.get(stage, stage or ""))


def status_label(status: str | None) -> str:
    return str(casting.STATUS_LABELS.get(status, status or ""))


def gender_label(gender: str | None) -> str:
    return str(GENDER_LABELS.get(gender, "")) if gender else ""


def gender_wanted_label(gender: str | None) -> str:
    return str(GENDER_WANTED_LABELS.get(gender or "any", gender))


def relationship_label(key: str | None) -> str:
    return str(GUARDIAN_RELATIONSHIPS.get(key, key or ""))


def language_label(code: str, level: str | None = None) -> str:
    name = language_name(code, locale())
    return f"{name} ({LANGUAGE_LEVEL_LABELS[level]})" if level in LANGUAGE_LEVEL_LABELS else name


def file_url(file) -> str | None:
    return url_for("files.download", file_id=file.id) if file is not None else None


def thumb_url(profile) -> str | None:
    return file_url(casting.primary_thumb(profile))


def photo_url(profile) -> str | None:
    return file_url(casting.primary_photo(profile))


def range_text(low: int | None, high: int | None, unit: str = "") -> str:
    """"25–35", "from 25", "up to 35" or "" for a range of ages or heights."""
    from flask_babel import gettext as _

    suffix = f" {unit}" if unit else ""
    if low is not None and high is not None:
        return f"{low}–{high}{suffix}"
    if low is not None:
        return _("from %(n)s", n=f"{low}{suffix}")
    if high is not None:
        return _("up to %(n)s", n=f"{high}{suffix}")
    return ""


def can_do(action: str, obj=None) -> bool:
    """Whether the person behind this request may do `action` (the same rule the route checks)."""
    from webapp.core.permissions import actor, can

    return can(actor(), action, obj)


GLOBALS = {
    "can_do": can_do,
    "named": named, "nationality": nationality, "stage_label": stage_label, "status_label": status_label, "gender_label": gender_label,
    "gender_wanted_label": gender_wanted_label, "relationship_label": relationship_label,
    "language_label": language_label, "file_url": file_url, "thumb_url": thumb_url, "photo_url": photo_url,
    "range_text": range_text,
}
