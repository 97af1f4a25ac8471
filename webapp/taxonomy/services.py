"""Reference data: countries, cities and the skills taxonomy (read by forms, filters and codes)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import delete, select

from webapp.audit import services as audit
from webapp.core.errors import NotFound, ValidationFailed
from webapp.core.permissions import policy, require
from webapp.core.text import fold
from webapp.extensions import db
from webapp.taxonomy.models import City, Country, ListValue, Skill


def upsert_country(iso: str, name_en: str, name_fr: str, nationality_en: str, nationality_fr: str,
                   phone_prefix: str, cities: list[tuple[str, str]]) -> Country:
    country = db.session.scalar(select(Country).where(Country.iso_code == iso))
    if country is None:
        country = Country(iso_code=iso)
        db.session.add(country)
    country.name_en, country.name_fr = name_en, name_fr
    country.nationality_en, country.nationality_fr = nationality_en, nationality_fr
    country.phone_prefix = phone_prefix
    db.session.flush()
    known = {city.code: city for city in country.cities}
    for code, name in cities:
        city = known.get(code)
        if city is None:
            db.session.add(City(country_id=country.id, code=code, name=name))
        else:
            city.name = name
    return country


def upsert_skill(slug: str, name_en: str, name_fr: str, category_en: str, category_fr: str, emoji: str,
                 tag: str, synonyms: str) -> Skill:
    skill = db.session.scalar(select(Skill).where(Skill.slug == slug))
    if skill is None:
        skill = Skill(slug=slug)
        db.session.add(skill)
    skill.name_en, skill.name_fr = name_en, name_fr
    skill.category_en, skill.category_fr = category_en, category_fr
    skill.emoji, skill.tag, skill.synonyms = emoji, tag, synonyms
    return skill


def countries() -> list[Country]:
    return list(db.session.scalars(select(Country).order_by(Country.name_en)))


def skills(tag: str | None = None) -> list[Skill]:
    stmt = select(Skill).where(Skill.is_active.is_(True))
    if tag:
        stmt = stmt.where(Skill.tag == tag)
    return list(db.session.scalars(stmt.order_by(Skill.category_en, Skill.name_en)))


def upsert_list(list_name: str, values: list[tuple[str, str, str]]) -> None:
    """Add the values of a managed list that are missing; existing ones keep admins' edits."""
    known = set(db.session.scalars(select(ListValue.slug).where(ListValue.list_name == list_name)))
    for position, (slug, name_en, name_fr) in enumerate(values):
        if slug not in known:
            db.session.add(ListValue(list_name=list_name, slug=slug, name_en=name_en, name_fr=name_fr,
                                     position=position))


def list_values(list_name: str, include_inactive: bool = False) -> list[ListValue]:
    stmt = select(ListValue).where(ListValue.list_name == list_name)
    if not include_inactive:
        stmt = stmt.where(ListValue.is_active.is_(True))
    return list(db.session.scalars(stmt.order_by(ListValue.position, ListValue.id)))


def list_value(list_name: str, key) -> ListValue | None:
    """A value of the list by its id or its slug (what forms and the API send)."""
    if key in (None, ""):
        return None
    stmt = select(ListValue).where(ListValue.list_name == list_name)
    if isinstance(key, int) or (isinstance(key, str) and key.isdigit()):
        return db.session.scalar(stmt.where(ListValue.id == int(key)))
    return db.session.scalar(stmt.where(ListValue.slug == str(key).strip().lower()))


# The skills taxonomy, as admins manage it (pages and API call these) ---------------------------




TAGS = ("general", "cinema")
MAX_SYNONYMS, SYNONYM_LENGTH = 50, 80
SKILL_FIELDS = ("name_en", "name_fr", "category_en", "category_fr", "emoji", "tag", "synonyms", "is_active")


@policy("skills.manage")
def _may_manage_skills(user, _obj) -> bool:
    return user.role == "admin"


@dataclass
class SkillCriteria:
    q: str = ""
    category: str = ""
    tag: str = ""
    active: str = ""  # "", "yes", "no"


def _slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")[:80] or "skill"


def get_skill(skill_id: int) -> Skill:
    skill = db.session.get(Skill, skill_id)
    if skill is None:
        raise NotFound(_("This skill does not exist."))
    return skill


def search_skills(criteria: SkillCriteria) -> list[Skill]:
    """Skills matching the text (names in both languages and synonyms, accent-insensitive),
    category (in either language), tag and active state. The taxonomy is small (hundreds),
    so it is filtered here, where folding accents is exact on every database."""
    stmt = select(Skill).order_by(Skill.category_en, Skill.name_en)
    if criteria.tag in TAGS:
        stmt = stmt.where(Skill.tag == criteria.tag)
    if criteria.active == "yes":
        stmt = stmt.where(Skill.is_active.is_(True))
    elif criteria.active == "no":
        stmt = stmt.where(Skill.is_active.is_(False))
    found = list(db.session.scalars(stmt))
    if criteria.category.strip():
        wanted = fold(criteria.category)
        found = [s for s in found if wanted in (fold(s.category_en), fold(s.category_fr), _slugify(s.category_en))]
    if criteria.q.strip():
        words = fold(criteria.q).split()
        found = [s for s in found if all(word in _haystack(s) for word in words)]
    locale = str(get_locale() or "en")
    found.sort(key=lambda s: (fold(s.category(locale)), fold(s.name(locale))))
    return found


def _haystack(skill: Skill) -> str:
    return fold(" ".join((skill.name_en, skill.name_fr, skill.slug, skill.synonyms or "")))


def categories() -> list[tuple[str, str]]:
    """The categories in use, as (English, French), for filters and the form's suggestions."""
    rows = db.session.execute(select(Skill.category_en, Skill.category_fr).distinct().order_by(Skill.category_en))
    return [tuple(row) for row in rows]


def _clean_text(value, limit: int, field: str, errors: dict, required: bool = True) -> str:
    text = " ".join(str(value or "").split())
    if required and not text:
        errors[field] = [_("This field is required.")]
    elif len(text) > limit:
        errors[field] = [_("Use at most %(n)d characters.", n=limit)]
    return text


def _clean_emoji(value, errors: dict) -> str:
    text = str(value or "").strip()
    if not text:
        return ""
    if len(text) > 16:
        errors["emoji"] = [_("Use one emoji (at most %(n)d characters).", n=16)]
    elif any(unicodedata.category(ch)[0] in "LN" or ch.isspace() for ch in text):
        errors["emoji"] = [_("Use an emoji or a symbol, not letters or digits.")]
    return text


def _clean_synonyms(value, errors: dict) -> str:
    if isinstance(value, (list, tuple)):
        lines = [str(item) for item in value]
    else:
        lines = str(value or "").splitlines()
    cleaned: list[str] = []
    seen: set[str] = set()
    for line in lines:
        line = " ".join(line.split())
        if not line or fold(line) in seen:
            continue
        if len(line) > SYNONYM_LENGTH:
            errors["synonyms"] = [_("Each synonym may have at most %(n)d characters.", n=SYNONYM_LENGTH)]
        seen.add(fold(line))
        cleaned.append(line)
    if len(cleaned) > MAX_SYNONYMS:
        errors["synonyms"] = [_("Give at most %(n)d synonyms.", n=MAX_SYNONYMS)]
    return "\n".join(cleaned)


def clean_skill(data: dict, skill: Skill | None = None) -> dict:
    """Check a skill's fields (all problems at once). Keys left out keep their value."""
    errors: dict[str, list[str]] = {}
    values: dict = {}
    current = skill or Skill(name_en="", name_fr="", category_en="", category_fr="", emoji="", tag="general",
                             synonyms="", is_active=True)
    for key in SKILL_FIELDS:
        if key not in data and skill is not None:
            continue
        raw = data.get(key)
        if key in ("name_en", "name_fr"):
            values[key] = _clean_text(raw, 80, key, errors)
        elif key in ("category_en", "category_fr"):
            values[key] = _clean_text(raw, 60, key, errors)
        elif key == "emoji":
            values[key] = _clean_emoji(raw, errors)
        elif key == "tag":
            tag = str(raw or "general").strip().lower()
            if tag not in TAGS:
                errors["tag"] = [_("Choose general or cinema.")]
            values[key] = tag
        elif key == "synonyms":
            values[key] = _clean_synonyms(raw, errors)
        elif key == "is_active":
            values[key] = True if raw is None else bool(raw)
    for key in ("name_en", "name_fr"):
        name = values.get(key, getattr(current, key))
        if key not in errors and name and _name_taken(key, name, skill):
            errors[key] = [_("Another skill already has this name.")]
    if errors:
        raise ValidationFailed(fields=errors)
    return values


def _name_taken(column: str, name: str, skill: Skill | None) -> bool:
    wanted = fold(name)
    for other_id, other_name in db.session.execute(select(Skill.id, getattr(Skill, column))):
        if fold(other_name) == wanted and (skill is None or other_id != skill.id):
            return True
    return False


def _unique_slug(name: str) -> str:
    base = _slugify(name)
    slug, n = base, 2
    while db.session.scalar(select(Skill.id).where(Skill.slug == slug)) is not None:
        slug = f"{base[:76]}-{n}"
        n += 1
    return slug


def create_skill(actor, data: dict) -> Skill:
    require("skills.manage", user=actor)
    values = clean_skill(data)
    skill = Skill(slug=_unique_slug(values["name_en"]), **values)
    db.session.add(skill)
    db.session.flush()
    audit.record("skill.created", actor=actor, target=skill, name=skill.name_en)
    db.session.commit()
    return skill


def update_skill(actor, skill: Skill, data: dict) -> Skill:
    require("skills.manage", user=actor)
    values = clean_skill(data, skill)
    # Profiles' search text holds the skills' names: a rename must reach them.
    renamed = any(key in values and values[key] != getattr(skill, key) for key in ("name_en", "name_fr"))
    changed = {key: value for key, value in values.items() if getattr(skill, key) != value}
    for key, value in values.items():
        setattr(skill, key, value)
    if changed:
        audit.record("skill.updated", actor=actor, target=skill, fields=sorted(changed))
    db.session.commit()
    if renamed:
        refresh_profiles_with(skill.id)
    return skill


def set_skill_active(actor, skill: Skill, active: bool) -> Skill:
    """A deactivated skill stays on the profiles that have it but is offered to nobody new
    and left out of public pages; reactivating brings it back as it was."""
    return update_skill(actor, skill, {"is_active": active})


def profiles_with(skill_id: int) -> list[int]:
    from webapp.directory.models import ProfileSkill

    return list(db.session.scalars(select(ProfileSkill.profile_id).where(ProfileSkill.skill_id == skill_id)))


def delete_skill(actor, skill: Skill) -> int:
    """Delete the skill; the profiles that carried it lose it (their links go with it).
    Returns how many profiles lost it. Their search text and score are refreshed."""
    from webapp.directory.models import ProfileSkill

    require("skills.manage", user=actor)
    affected = profiles_with(skill.id)
    audit.record("skill.deleted", actor=actor, target=skill, name=skill.name_en, slug=skill.slug,
                 profiles=len(affected))
    db.session.execute(delete(ProfileSkill).where(ProfileSkill.skill_id == skill.id))
    db.session.delete(skill)
    db.session.commit()
    refresh_profiles(affected)
    return len(affected)


def refresh_profiles_with(skill_id: int) -> None:
    refresh_profiles(profiles_with(skill_id))


def refresh_profiles(profile_ids: list[int]) -> None:
    """Profiles whose skills changed name or went away: their search text and score follow,
    in the background (a popular skill may be on tens of thousands of profiles)."""
    if not profile_ids:
        return
    from webapp.core.jobs import enqueue

    enqueue(_refresh_profiles_job, list(profile_ids))


def _refresh_profiles_job(profile_ids: list[int], batch: int = 500) -> None:
    from webapp.directory import services as directory
    from webapp.directory.models import Profile

    for start in range(0, len(profile_ids), batch):
        for profile in db.session.scalars(select(Profile).where(Profile.id.in_(profile_ids[start:start + batch]))):
            directory.refresh_derived(profile)
        db.session.commit()
        db.session.expunge_all()
