"""Fixed lists the profile forms choose from, with their names in English and French."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

# ISO 639 codes of the languages people of the platform's countries most often speak.
LANGUAGES: dict[str, tuple[str, str]] = {
    "ar": ("Arabic", "Arabe"),
    "ary": ("Moroccan Arabic (Darija)", "Darija"),
    "ber": ("Amazigh (Berber)", "Amazigh (berbère)"),
    "fr": ("French", "Français"),
    "en": ("English", "Anglais"),
    "es": ("Spanish", "Espagnol"),
    "pt": ("Portuguese", "Portugais"),
    "it": ("Italian", "Italien"),
    "de": ("German", "Allemand"),
    "nl": ("Dutch", "Néerlandais"),
    "wo": ("Wolof", "Wolof"),
    "ff": ("Fula (Pulaar)", "Peul (pulaar)"),
    "bm": ("Bambara (Dioula)", "Bambara (dioula)"),
    "zh": ("Chinese", "Chinois"),
    "ru": ("Russian", "Russe"),
    "tr": ("Turkish", "Turc"),
}

GENDER_LABELS = {"M": _l("Male"), "F": _l("Female"), "N": _l("Not specified")}
AVAILABILITY_LABELS = {
    "full_time": _l("Full time"),
    "part_time": _l("Part time"),
    "freelance": _l("Freelance"),
    "flexible": _l("Flexible"),
    "weekends": _l("Weekends"),
    "unavailable": _l("Not available"),
}
WORK_MODE_LABELS = {"onsite": _l("On site"), "remote": _l("Remote"), "hybrid": _l("Hybrid")}
RATE_UNIT_LABELS = {"hour": _l("per hour"), "day": _l("per day"), "month": _l("per month"),
                    "project": _l("per project")}
LANGUAGE_LEVEL_LABELS = {"basic": _l("Basic"), "conversational": _l("Conversational"), "fluent": _l("Fluent"),
                         "native": _l("Native")}
SKILL_LEVEL_LABELS = {1: _l("Notions"), 2: _l("Beginner"), 3: _l("Intermediate"), 4: _l("Advanced"),
                      5: _l("Expert")}
SOURCE_LABELS = {"registration": _l("Registered"), "recruiter": _l("Added by a recruiter"),
                 "import": _l("Imported"), "referral": _l("Referral")}


def language_name(code: str, locale: str = "en") -> str:
    names = LANGUAGES.get(code)
    if names is None:
        return code
    return names[1] if locale == "fr" else names[0]
