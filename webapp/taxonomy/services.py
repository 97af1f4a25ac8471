"""Reference data: countries, cities and the skills taxonomy (read by forms, filters and codes)."""

from __future__ import annotations

from sqlalchemy import select

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
