"""AI casting, AI search and CV analysis: cleaning what was asked, running the engine on the
process's index (kept in step, webapp/ai/index.py), and loading the page of profiles found.
Pages, fragments and the API all call these.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.datastructures import FileStorage

from webapp.ai import explain
from webapp.ai.documents import Vocabulary
from webapp.ai.extract import text_of_upload
from webapp.ai.index import index_of
from webapp.casting import services as casting
from webapp.casting.models import ACTIVE_PROJECT_STATUSES, CastingProject, CinemaProfile, ProjectRole
from webapp.core.errors import ValidationFailed
from webapp.core.permissions import require
from webapp.core.text import fold
from webapp.directory import services as directory
from webapp.directory.models import AVAILABILITIES, GENDERS, WORK_MODES, Profile
from webapp.directory.reference import LANGUAGES
from webapp.extensions import db
from webapp.matching import Criteria, Match, Understanding

MAX_DESCRIPTION = 5000
LOOK_FIELDS = {"eye_color": "eye_colors", "hair_color": "hair_colors", "hair_type": "hair_types",
               "skin_tone": "skin_tones", "build": "builds"}


@dataclass
class Hit:
    profile: Profile
    match: Match
    reasons: list[explain.Reason]
    explanation: str
    city: str | None = None          # display names read from the index's vocabulary (no query)
    country: str | None = None

    @property
    def cinema(self) -> CinemaProfile | None:
        return self.profile.cinema

    @property
    def photo_id(self) -> int | None:
        """The thumbnail, else the photo, else the first gallery photo of a cinema talent."""
        profile = self.profile
        if profile.thumb_file_id or profile.photo_file_id:
            return profile.thumb_file_id or profile.photo_file_id
        cinema = profile.cinema
        if cinema is not None and cinema.gallery:
            return cinema.gallery[0].thumb_file_id or cinema.gallery[0].file_id
        return None

    @property
    def percent(self) -> int:
        return round(self.match.score * 100)


@dataclass
class Outcome:
    description: str
    hits: list[Hit]
    total: int
    understanding: Understanding
    read: dict                       # what the engine read in the text, in the viewer's language
    criteria: Criteria
    page: int = 1
    per_page: int = 20
    extracted_from: str | None = None  # the uploaded file's name, when the text came from one
    names: explain.Names | None = None  # display names in the viewer's language
    warnings: list[str] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _locale() -> str:
    locale = get_locale()
    return str(locale.language) if locale else "en"


# Reading what was asked ------------------------------------------------------------------------

def _many(data: Mapping, *keys: str) -> list[str]:
    """Every value given under any of `keys`: form lists, JSON lists, or "a, b" text."""
    out: list[str] = []
    for key in keys:
        if hasattr(data, "getlist"):
            values = data.getlist(key)
        else:
            value = data.get(key)
            values = value if isinstance(value, list | tuple) else ([] if value is None else [value])
        for value in values:
            if isinstance(value, str):
                out += [part.strip() for part in value.split(",") if part.strip()]
            elif value is not None and not isinstance(value, dict | list):
                out.append(str(value))
    return list(dict.fromkeys(out))


def _one(data: Mapping, key: str) -> Any:
    values = _many(data, key)
    return values[0] if values else None


def _number(data: Mapping, key: str, low: int, high: int, errors: dict) -> int | None:
    raw = _one(data, key)
    if raw in (None, ""):
        return None
    try:
        number = int(str(raw).strip())
    except ValueError:
        errors[key] = [_("Enter a whole number.")]
        return None
    if not low <= number <= high:
        errors[key] = [_("Enter a number between %(low)d and %(high)d.", low=low, high=high)]
        return None
    return number


def _pair(data, low_key, high_key, low, high, errors) -> tuple[int | None, int | None]:
    a, b = _number(data, low_key, low, high, errors), _number(data, high_key, low, high, errors)
    if a is not None and b is not None and a > b:
        errors[high_key] = [_("The maximum must not be below the minimum.")]
    return a, b


def clean_description(value: Any, field_name: str, errors: dict) -> str:
    text = str(value or "").replace("\x00", " ").strip()
    if not text:
        errors[field_name] = [_("Describe what you are looking for.")]
    elif len(text) > MAX_DESCRIPTION:
        errors[field_name] = [_("Use at most %(n)d characters.", n=MAX_DESCRIPTION)]
    return text[:MAX_DESCRIPTION]


def _resolve(values: list[str], known: dict[str, str], key: str, errors: dict) -> frozenset:
    """Keys of `values` found in `known` (folded name or key -> key); unknown ones are an error."""
    found, unknown = set(), []
    for value in values:
        hit = known.get(fold(value))
        if hit is None:
            unknown.append(value)
        else:
            found.add(hit)
    if unknown:
        errors[key] = [_("Unknown value: %(values)s. Choose from the list.", values=", ".join(unknown[:5]))]
    return frozenset(found)


def _list_keys(vocabulary: Vocabulary, list_name: str) -> dict[str, str]:
    known: dict[str, str] = {}
    for value_id, slug in vocabulary.slugs.items():
        names = vocabulary.value_names.get((list_name, slug))
        if names is None:
            continue
        for word in (str(value_id), slug, *names):
            known.setdefault(fold(word), slug)
    return known


def _skill_keys(vocabulary: Vocabulary, cinema_only: bool) -> dict[str, str]:
    known: dict[str, str] = {}
    for slug, skill_id in vocabulary.skill_slugs.items():
        if cinema_only and skill_id not in vocabulary.cinema_skills:
            continue
        for word in (str(skill_id), slug, *vocabulary.skill_names.get(skill_id, ())):
            known.setdefault(fold(word), skill_id)
    return known


def _language_keys() -> dict[str, str]:
    known = {}
    for code, (en, fr) in LANGUAGES.items():
        for word in (code, en, fr):
            known.setdefault(fold(word), code)
    return known


def _place_filters(data: Mapping, vocabulary: Vocabulary, errors: dict) -> dict:
    countries: dict[str, str] = {}
    for country_id, iso in vocabulary.country_iso.items():
        for word in (str(country_id), iso, *vocabulary.country_names.get(iso, ())):
            countries.setdefault(fold(word), iso)
    cities = {fold(key): key for key in vocabulary.city_names}
    cities.update({fold(name): key for key, name in vocabulary.city_names.items()})
    return {"countries": _resolve(_many(data, "country", "countries", "country_id"), countries, "country", errors),
            "cities": _resolve(_many(data, "city", "cities", "city_id"), cities, "city", errors)}


def cast_criteria(data: Mapping, vocabulary: Vocabulary, errors: dict) -> Criteria:
    """The optional filters of an AI casting (form fields or the seed's JSON body)."""
    gender = (_one(data, "gender") or "").strip().upper()
    if gender in ("", "ANY", "ALL"):
        gender = None
    elif gender not in GENDERS:
        errors["gender"] = [_("Choose one of the options.")]
        gender = None
    age = _pair(data, "age_min", "age_max", 0, 110, errors)
    height = _pair(data, "height_min", "height_max", 40, 250, errors)
    looks = {plural: _resolve(_many(data, name, plural), _list_keys(vocabulary, name), name, errors)
             for name, plural in LOOK_FIELDS.items()}
    languages = _resolve(_many(data, "languages", "language", "languages_spoken"), _language_keys(), "languages",
                         errors)
    types = _resolve(_many(data, "talent_type", "talent_types"), _skill_keys(vocabulary, cinema_only=True),
                     "talent_type", errors)
    experience = _number(data, "experience_min", 0, 80, errors)
    return Criteria(gender=gender, age_min=age[0], age_max=age[1], height_min=height[0], height_max=height[1],
                    languages=languages, talent_types=types, experience_min=experience,
                    **looks, **_place_filters(data, vocabulary, errors))


def match_criteria(data: Mapping, vocabulary: Vocabulary, errors: dict) -> Criteria:
    """The optional filters of an AI search over the directory."""
    availability = _resolve(_many(data, "availability"), {a: a for a in AVAILABILITIES}, "availability", errors)
    modes = _resolve(_many(data, "work_mode", "work_modes"), {m: m for m in WORK_MODES}, "work_mode", errors)
    experience = _pair(data, "experience_min", "experience_max", 0, 80, errors)
    return Criteria(availability=availability, work_modes=modes, experience_min=experience[0],
                    experience_max=experience[1], **_place_filters(data, vocabulary, errors))


# Searching -------------------------------------------------------------------------------------

def _page_args(page: int, per_page: int) -> tuple[int, int]:
    return max(1, min(int(page or 1), 10_000)), max(1, min(int(per_page or 20), 100))


def cast(viewer, data: Mapping, page: int = 1, per_page: int = 20) -> Outcome:
    """AI casting: cinema talents for a role description and optional filters."""
    require("casting.search", user=viewer)
    errors: dict[str, list[str]] = {}
    description = clean_description(data.get("role_description", data.get("description")), "role_description",
                                    errors)
    index = index_of()
    engine = index.ready_engine()
    criteria = cast_criteria(data, index.vocabulary, errors)
    if errors:
        raise ValidationFailed(fields=errors)
    page, per_page = _page_args(page, per_page)
    result = engine.cast(description, filters=criteria, limit=per_page, offset=(page - 1) * per_page)
    return _outcome(description, result, criteria.changed(cinema=True), index.vocabulary, page, per_page)


def match(viewer, data: Mapping, upload: FileStorage | None = None, page: int = 1, per_page: int = 20) -> Outcome:
    """AI search: directory profiles for a job description (typed, or the text of a file)."""
    require("directory.search", user=viewer)
    errors: dict[str, list[str]] = {}
    extracted_from = None
    typed = str(data.get("job_description") or data.get("description") or "").strip()
    if upload is not None and upload.filename:
        text = text_of_upload(upload, "file")
        extracted_from = upload.filename
        typed = f"{typed}\n\n{text}".strip() if typed else text
    description = clean_description(typed, "job_description", errors)
    index = index_of()
    engine = index.ready_engine()
    criteria = match_criteria(data, index.vocabulary, errors)
    if errors:
        raise ValidationFailed(fields=errors)
    page, per_page = _page_args(page, per_page)
    result = engine.match_profiles(description, filters=criteria, limit=per_page, offset=(page - 1) * per_page)
    outcome = _outcome(description, result, criteria, index.vocabulary, page, per_page)
    outcome.extracted_from = extracted_from
    return outcome


def _outcome(description, result, criteria, vocabulary, page, per_page) -> Outcome:
    names = explain.Names(vocabulary, _locale())
    profiles = _load_profiles([m.doc_id for m in result], cinema=criteria.cinema is True)
    hits = []
    for found in result:
        profile = profiles.get(found.doc_id)
        if profile is None:  # deleted between the search and this read
            continue
        reasons = explain.reasons(found, names)
        hits.append(Hit(profile, found, reasons, explain.explanation(found, names, reasons),
                        names.city_of(profile.residence_city_id or profile.origin_city_id),
                        names.country_of(profile.residence_country_id or profile.origin_country_id)))
    return Outcome(description, hits, result.total, result.understood, explain.understood(result.understood, names),
                   criteria, page, per_page, names=names)


def _load_profiles(ids: list[int], cinema: bool) -> dict[int, Profile]:
    """The page's profiles with what the results show, in a fixed number of queries (names of
    places, looks, skills and nationalities come from the index's vocabulary)."""
    if not ids:
        return {}
    if cinema:
        options = (selectinload(Profile.languages),
                   selectinload(Profile.cinema).selectinload(CinemaProfile.talent_types),
                   selectinload(Profile.cinema).selectinload(CinemaProfile.gallery))
    else:
        options = (selectinload(Profile.skills), selectinload(Profile.cinema).selectinload(CinemaProfile.gallery))
    stmt = select(Profile).where(Profile.id.in_(ids)).options(*options)
    return {p.id: p for p in db.session.scalars(stmt)}


def analyze_text(viewer, text: str | None = None, upload: FileStorage | None = None) -> dict:
    """Seed 001's CV analysis: recognised skills with evidence, sections found, suggestions."""
    require("directory.search", user=viewer)
    errors: dict[str, list[str]] = {}
    if upload is not None and upload.filename:
        text = text_of_upload(upload, "file")
    text = clean_description(text, "cv_text", errors)
    if errors:
        raise ValidationFailed(fields=errors)
    index = index_of()
    engine = index.ready_engine()
    analysis = engine.analyze_text(text)
    names = explain.Names(index.vocabulary, _locale())
    sections = _sections(text)
    skills = [{"id": s.id, "name": names.skill(s.id, s.skill.name), "count": s.count, "evidence": list(s.evidence)}
              for s in analysis.skills]
    return {
        "language": analysis.language,
        "skills": skills,
        "sections": sections,
        "conditions": [{"field": n.field, "kind": n.kind, "value": jsonable(n.value), "evidence": n.evidence,
                        "text": explain.note_text(n.field, n.value, names)} for n in analysis.notes],
        "keywords": analysis.keywords,
        "word_count": len(text.split()),
        "suggestions": _suggestions(text, sections, skills),
    }


SECTION_WORDS = {
    "experience": ("experience", "experiences", "work history", "employment", "parcours professionnel"),
    "education": ("education", "formation", "formations", "diplomes", "etudes", "academic"),
    "skills": ("skills", "competences", "compétences", "savoir-faire"),
    "languages": ("languages", "langues"),
    "contact": ("contact", "email", "e-mail", "telephone", "phone"),
    "summary": ("summary", "profile", "profil", "objective", "objectif", "about me", "a propos"),
}


def _sections(text: str) -> list[str]:
    lines = [fold(line).strip(" :-•*#\t") for line in text.splitlines()]
    found = []
    for section, words in SECTION_WORDS.items():
        if any(line in {fold(w) for w in words} or any(line.startswith(fold(w)) and len(line) < 40 for w in words)
               for line in lines):
            found.append(section)
    return found


def _suggestions(text: str, sections: list[str], skills: list[dict]) -> list[str]:
    out = []
    for section, message in (("experience", _("Add a section that lists your work experience with dates.")),
                             ("education", _("Add an education section (degrees, schools, years).")),
                             ("skills", _("Add a skills section naming your main skills.")),
                             ("contact", _("Give an email address or a phone number."))):
        if section not in sections:
            out.append(message)
    if len(skills) < 5:
        out.append(_("Name more of your skills in the words employers use (%(n)d recognised).", n=len(skills)))
    words = len(text.split())
    if words < 150:
        out.append(_("Say more: %(n)d words is short for a CV.", n=words))
    elif words > 1200:
        out.append(_("Shorten it: %(n)d words is long for a CV.", n=words))
    return out


def jsonable(value: Any) -> Any:
    if isinstance(value, frozenset | set):
        return sorted(jsonable(v) for v in value)
    if isinstance(value, tuple | list):
        return [jsonable(v) for v in value]
    return value


# Shortlisting from the results -------------------------------------------------------------------

def open_roles(viewer) -> list[ProjectRole]:
    """The roles of the viewer's projects that are still being cast (for "Shortlist for…")."""
    stmt = casting.projects_query(viewer).where(CastingProject.status.in_(ACTIVE_PROJECT_STATUSES),
                                                CastingProject.is_active.is_(True))
    projects = db.session.scalars(stmt.options(selectinload(CastingProject.roles))).unique()
    return [role for project in projects for role in project.roles]


def shortlist(viewer, role_id: Any, profile_id: Any):
    try:
        role_id, profile_id = int(role_id or 0), int(profile_id or 0)
    except (TypeError, ValueError):
        role_id = profile_id = 0
    if not role_id:
        raise ValidationFailed(fields={"role_id": [_("Choose a role.")]})
    role = casting.get_role(role_id, viewer)
    profile = directory.get_profile(profile_id, viewer)
    return casting.assign(viewer, role, profile)


def role_prefill(viewer, role_id: Any) -> dict:
    """The AI casting form filled from a project role: its description and conditions."""
    try:
        role_id = int(role_id)
    except (TypeError, ValueError):
        return {}
    role = casting.get_role(role_id, viewer)
    parts = [role.name, role.talent_type.name(_locale()) if role.talent_type else "", role.description or ""]
    data: dict[str, Any] = {"role_description": ". ".join(p.strip() for p in parts if p and p.strip()),
                            "role_id": role.id}
    if role.gender in GENDERS:
        data["gender"] = role.gender
    for key in ("age_min", "age_max", "height_min", "height_max"):
        if getattr(role, key) is not None:
            data[key] = getattr(role, key)
    if role.talent_type is not None:
        data["talent_type"] = [role.talent_type.slug]
    for key, value in (role.requirements or {}).items():
        if key in ("languages", "eye_color", "hair_color", "hair_type", "skin_tone", "build", "country", "city"):
            data[key] = value
    return data
