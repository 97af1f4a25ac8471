"""The engine's reasons, in the viewer's language.

The engine explains each match with structured fields (matched and missing skills with
levels, the conditions that held with the profile's value, the words that counted); its own
`reasons()` are English. Pages and the API's `explanation` are built here from the fields,
with the names of skills, list values, places and languages in the viewer's language.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from webapp.ai.documents import Vocabulary
from webapp.directory.reference import AVAILABILITY_LABELS, SKILL_LEVEL_LABELS, WORK_MODE_LABELS, language_name
from webapp.matching import ConditionResult, Match, SkillMatch, Understanding

LIST_OF_FIELD = {"eye_colors": "eye_color", "hair_colors": "hair_color", "hair_types": "hair_type",
                 "skin_tones": "skin_tone", "builds": "build"}


RANGED = ("age", "height", "experience", "languages", "languages_any")


@dataclass(frozen=True)
class Reason:
    kind: str                 # "filter", "preference", "talent_types", "skills", "missing", "words"
    text: str
    held: bool | None = None  # for conditions: held or not
    detail: str = ""          # the profile's value, when it says more than the condition


class Names:
    """Display names in one language, from the index's vocabulary (no query)."""

    def __init__(self, vocabulary: Vocabulary | None, locale: str):
        self.vocabulary = vocabulary
        self.fr = locale == "fr"

    def _pick(self, pair) -> str:
        return pair[1] if self.fr and pair[1] else pair[0]

    def skill(self, skill_id: int, fallback: str = "") -> str:
        pair = self.vocabulary.skill_names.get(int(skill_id)) if self.vocabulary else None
        return self._pick(pair) if pair else (fallback or str(skill_id))

    def value(self, list_name: str, slug: str) -> str:
        """A look ("curly", "bouclés"), in lower case: it is read inside a sentence."""
        pair = self.vocabulary.value_names.get((list_name, slug)) if self.vocabulary else None
        return self._pick(pair).lower() if pair else str(slug)

    def value_of(self, list_name: str, value_id: int | None) -> str | None:
        """A list value's display name (as written: "Olive", "Mat") from its id."""
        slug = self.vocabulary.slugs.get(value_id) if self.vocabulary and value_id else None
        pair = self.vocabulary.value_names.get((list_name, slug)) if slug else None
        return self._pick(pair) if pair else None

    def country_of(self, country_id: int | None) -> str | None:
        iso = self.vocabulary.country_iso.get(country_id) if self.vocabulary and country_id else None
        return self.country(iso) if iso else None

    def nationality_of(self, country_id: int | None) -> str | None:
        pair = self.vocabulary.nationality_names.get(country_id) if self.vocabulary and country_id else None
        return self._pick(pair) if pair else None

    def city_of(self, city_id: int | None) -> str | None:
        return self.vocabulary.city_names.get(str(city_id)) if self.vocabulary and city_id else None

    def country(self, iso: str) -> str:
        pair = self.vocabulary.country_names.get(iso) if self.vocabulary else None
        return self._pick(pair) if pair else str(iso)

    def city(self, key: str) -> str:
        return (self.vocabulary.city_names.get(str(key)) if self.vocabulary else None) or str(key)

    def language(self, code: str) -> str:
        name = language_name(str(code), "fr" if self.fr else "en")
        # French writes language names in lower case ("parle arabe"), Darija and Amazigh aside.
        return name[:1].lower() + name[1:] if self.fr and code not in ("ary", "ber") else name

    def language_title(self, code: str) -> str:
        """A language's name as a list item ("Arabe", "Français")."""
        return language_name(str(code), "fr" if self.fr else "en")

    def gender(self, code: str | None) -> str:
        if code == "F":
            return _("woman")
        if code == "M":
            return _("man")
        return _("non-binary") if code == "N" else (code or "?")

    def field_value(self, field: str, key) -> str:
        if field in LIST_OF_FIELD:
            return self.value(LIST_OF_FIELD[field], key)
        if field in ("languages", "languages_any"):
            return self.language(key)
        if field == "countries":
            return self.country(key)
        if field == "cities":
            return self.city(key)
        if field == "availability":
            return str(AVAILABILITY_LABELS.get(key, key)).lower()
        if field == "work_modes":
            return str(WORK_MODE_LABELS.get(key, key)).lower()
        if field in ("talent_types", "skills"):
            return self.skill(key)
        if field == "gender":
            return self.gender(key)
        return str(key)


def _join(items: list[str], last: str | None = None) -> str:
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)  # no conjunction to translate
    return ", ".join(items[:-1]) + f" {last or _('or')} " + items[-1]


def _range(pair, unit: str = "") -> str:
    low, high = pair
    if low is not None and high is not None:
        return f"{low}–{high}{unit}"
    if low is not None:
        return _("at least %(value)s", value=f"{low}{unit}")
    return _("at most %(value)s", value=f"{high}{unit}")


def _values(names: Names, field: str, values) -> list[str]:
    return sorted(names.field_value(field, v) for v in values)


def condition_text(condition: ConditionResult, names: Names) -> tuple[str, str]:
    """(what was asked, the profile's value) for one filter or preference."""
    field, expected, actual = condition.field, condition.expected, condition.actual
    unknown = _("not given")
    if field == "gender":
        return _("Gender: %(value)s", value=names.gender(expected)), names.gender(actual) if actual else unknown
    if field == "age":
        return (_("Age %(range)s", range=_range(expected)),
                _("%(n)d years old", n=actual) if actual is not None else unknown)
    if field == "height":
        return _("Height %(range)s", range=_range(expected, " cm")), f"{actual} cm" if actual else unknown
    if field == "experience":
        unit = " " + _("years")
        return (_("Experience %(range)s", range=_range(expected, unit)),
                _("%(n)d years", n=actual) if actual is not None else unknown)
    if field in ("languages", "languages_any"):
        spoken = _join(_values(names, field, actual or []), _("and")) or unknown
        joined = _join(_values(names, field, expected), _("and") if field == "languages" else _("or"))
        return _("Speaks %(languages)s", languages=joined), spoken
    wanted = _join(_values(names, field, expected))
    have = names.field_value(field, actual) if isinstance(actual, str) else (
        _join(_values(names, field, actual)) if actual else unknown)
    template = _label(field)
    if template is None:
        return condition.label, str(actual) if actual is not None else unknown
    return template % {"values": wanted}, have


def _label(field: str) -> str | None:
    """The sentence for one condition field (only that one is translated: a page has many)."""
    if field == "eye_colors":
        return _("Eye colour: %(values)s")
    if field == "hair_colors":
        return _("Hair colour: %(values)s")
    if field == "hair_types":
        return _("Hair type: %(values)s")
    if field == "skin_tones":
        return _("Skin tone: %(values)s")
    if field == "builds":
        return _("Build: %(values)s")
    if field in ("countries", "cities"):
        return _("Lives in %(values)s")
    if field == "availability":
        return _("Availability: %(values)s")
    if field == "work_modes":
        return _("Work mode: %(values)s")
    if field == "talent_types":
        return _("Talent type: %(values)s")
    if field == "skills":
        return _("Has the skills %(values)s")
    return None


def skill_text(skill: SkillMatch, names: Names) -> str:
    name = names.skill(skill.skill_id, skill.name)
    if skill.level is None:
        return name
    if skill.level == 0:
        return _("%(skill)s (in their texts)", skill=name)
    label = SKILL_LEVEL_LABELS.get(skill.level, "")
    return _("%(skill)s (level %(level)d, %(label)s)", skill=name, level=skill.level, label=label)


def reasons(match: Match, names: Names) -> list[Reason]:
    out: list[Reason] = []
    for condition in match.filters:
        if condition.field == "cinema":
            continue
        text, detail = condition_text(condition, names)
        if condition.held and condition.field not in RANGED:
            detail = ""  # "Gender: woman — woman" says nothing more
        out.append(Reason("filter", text, condition.held, detail))
    types = [s for s in match.matched_skills if s.source == "talent_type"]
    others = [s for s in match.matched_skills if s.source != "talent_type"]
    if types:
        out.append(Reason("talent_types", _("Talent type: %(values)s",
                                            values=", ".join(names.skill(s.skill_id, s.name) for s in types))))
    if others:
        out.append(Reason("skills", _("Skills: %(values)s", values=", ".join(skill_text(s, names) for s in others))))
    if match.missing_skills:
        out.append(Reason("missing", _("Missing: %(values)s", values=", ".join(
            names.skill(s.skill_id, s.name) for s in match.missing_skills))))
    for condition in match.preferences:
        text, detail = condition_text(condition, names)
        out.append(Reason("preference", text, condition.held, detail))
    words = [w.word for w in match.words if w.kind == "word"][:8]
    if words:
        out.append(Reason("words", _("Words that matched: %(words)s", words=", ".join(words))))
    return out


def explanation(match: Match, names: Names, given: list[Reason] | None = None) -> str:
    """One line of text: the score and its reasons (for the API and screen readers)."""
    parts = [_("Score %(score)d%%", score=round(match.score * 100))]
    wish = _("wish") + ": "
    for reason in given if given is not None else reasons(match, names):
        mark = "" if reason.held is None else (" ✓" if reason.held else " ✗")
        detail = f" ({reason.detail})" if reason.detail and reason.held is False else ""
        prefix = wish if reason.kind == "preference" else ""
        parts.append(f"{prefix}{reason.text}{detail}{mark}")
    return "; ".join(parts)


def note_text(field: str, value, names: Names) -> str:
    """A condition read from the description, as a short phrase: "woman", "25–35 years old"."""
    if field == "gender":
        return names.gender(value)
    if field == "age":
        return _("%(range)s years old", range=_range(value))
    if field == "height":
        return _("height %(range)s", range=_range(value, " cm"))
    if field == "experience":
        unit = " " + _("years")
        return _("experience %(range)s", range=_range(value, unit))
    if field == "languages":
        return _("speaks %(languages)s", languages=_join(_values(names, field, value), _("and")))
    if field == "languages_any":
        return _("speaks %(languages)s", languages=_join(_values(names, field, value), _("or")))
    text, _detail = condition_text(ConditionResult(field, value, None, True, "text", ""), names)
    return text[:1].lower() + text[1:]


NOTE_ORDER = ("gender", "age", "height", "languages", "languages_any", "experience", "talent_types", "skin_tones",
              "eye_colors", "hair_colors", "hair_types", "builds", "cities", "countries", "availability", "work_modes")


def understood(understanding: Understanding, names: Names) -> dict:
    """What the engine read in the text: conditions (filters, then wishes) and skills."""
    notes = sorted(understanding.notes, key=lambda n: NOTE_ORDER.index(n.field) if n.field in NOTE_ORDER else 99)
    filters = [note_text(n.field, n.value, names) for n in notes if n.kind == "filter"]
    wishes = [note_text(n.field, n.value, names) for n in notes if n.kind == "preference"]
    skills = [names.skill(qs.skill.id, qs.skill.name) + (" " + _("(nice to have)") if qs.weight < 1 else "")
              for qs in understanding.skills if qs.source == "text"]
    return {"filters": filters, "wishes": wishes, "skills": skills}
