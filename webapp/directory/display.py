"""How a profile reads to people: labels in the viewer's language, the rate range, the
languages line. Pages and the API show the same words (and the API reads them back)."""

from __future__ import annotations

from flask_babel import force_locale, get_locale

from webapp.core.text import fold
from webapp.directory import reference


def locale() -> str:
    return str(get_locale() or "en")


def label(labels: dict, value) -> str | None:
    return str(labels[value]) if value in labels else value


def gender_label(profile) -> str | None:
    return label(reference.GENDER_LABELS, profile.gender)


def availability_label(profile) -> str | None:
    return label(reference.AVAILABILITY_LABELS, profile.availability)


def work_mode_label(profile) -> str | None:
    return label(reference.WORK_MODE_LABELS, profile.work_mode)


def nationality_label(profile) -> str | None:
    country = profile.nationality
    if country is None:
        return None
    return (country.nationality_fr if locale() == "fr" else country.nationality_en) or country.name(locale())


def rate_range(profile) -> str | None:
    """"500-800 MAD per day" (the seed's rate_range), or None without a rate."""
    low, high = profile.rate_min, profile.rate_max
    if low is None and high is None:
        return None
    amount = f"{low}-{high}" if low is not None and high is not None and low != high else f"{low if low is not None else high}"
    unit = label(reference.RATE_UNIT_LABELS, profile.rate_unit) if profile.rate_unit else ""
    return " ".join(part for part in (amount, profile.rate_currency or "", unit or "") if part)


def language_name(code: str) -> str:
    return reference.language_name(code, locale())


def languages_text(profile) -> str:
    """"French, English, Arabic" (the seed's languages line)."""
    return ", ".join(language_name(link.code) for link in profile.languages)


def code_for(value, labels: dict) -> str | None:
    """The code behind a value given as a code or as its label in English or French
    ("full_time", "Full time", "Temps plein" -> "full_time"); unknown values pass through."""
    if value is None or not isinstance(value, str):
        return value
    text = value.strip()
    if text in labels or not text:
        return text or None
    wanted = fold(text).replace("-", " ")
    for language in ("en", "fr"):
        with force_locale(language):
            for code, name in labels.items():
                if fold(str(name)).replace("-", " ") == wanted:
                    return code
    return text
