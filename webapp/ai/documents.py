"""Database rows -> the engine's documents (`matching.Profile`), and the engine's vocabulary
(skills, places, managed lists) from the reference tables.

Every read is set-based: one query per table for a batch of profiles (a range of ids when
loading everything, a list of ids for the changes), never one query per profile.

Who is in the index: active profiles that are CRM candidates (no account) or whose owner
consented to appear in the directory. Keys the engine holds: skill ids, "F"/"M"/"N", ISO
country codes, city ids (as text), managed-list slugs, ISO 639 language codes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from sqlalchemy import and_, or_, select

from webapp.casting.models import CinemaProfile, cinema_other_talents, cinema_talent_types
from webapp.directory.models import Profile, ProfileLanguage, ProfileSkill
from webapp.extensions import db
from webapp.matching import Place, SkillTerm, values_from_lists
from webapp.matching import Profile as Document
from webapp.taxonomy.models import City, Country, ListValue, Skill

ATTRIBUTE_LISTS = ("eye_color", "hair_color", "hair_type", "skin_tone", "build")
OTHER_TALENT_LEVEL = 3   # "other talents" carry no level: counted as intermediate
BATCH = 5000


@dataclass(frozen=True)
class Vocabulary:
    skills: list[SkillTerm]
    places: list[Place]
    values: dict
    slugs: dict[int, str]          # list value id -> slug
    country_iso: dict[int, str]    # country id -> ISO code
    city_country: dict[int, int]   # city id -> country id
    # Display names for explanations, (English, French): no query while answering a search.
    skill_names: dict[int, tuple[str, str]]
    value_names: dict[tuple[str, str], tuple[str, str]]
    country_names: dict[str, tuple[str, str]]
    city_names: dict[str, str]
    nationality_names: dict[int, tuple[str, str]]  # country id -> (English, French) nationality
    skill_slugs: dict[str, int]    # slug -> skill id
    cinema_skills: frozenset[int]  # ids of the skills tagged "cinema" (the talent types)


def load_vocabulary() -> Vocabulary:
    rows = list(db.session.scalars(select(Skill)))
    skills = [SkillTerm.from_record(s.id, s.name_en, s.name_fr, s.synonyms or "", s.tag, s.category_en)
              for s in rows if s.is_active]
    countries = db.session.execute(select(Country.id, Country.iso_code, Country.name_en, Country.name_fr,
                                          Country.nationality_en, Country.nationality_fr)).all()
    cities = db.session.execute(select(City.id, City.country_id, City.name)).all()
    iso = {cid: code for cid, code, *_names in countries}
    places = [Place("country", code, tuple(dict.fromkeys((en, fr)))) for _cid, code, en, fr, *_nat in countries]
    places += [Place("city", str(cid), (name,), iso.get(country_id)) for cid, country_id, name in cities]
    lists: dict[str, list] = defaultdict(list)
    slugs, value_names = {}, {}
    for value in db.session.scalars(select(ListValue).order_by(ListValue.position, ListValue.id)):
        slugs[value.id] = value.slug
        value_names[(value.list_name, value.slug)] = (value.name_en, value.name_fr)
        if value.list_name in ATTRIBUTE_LISTS:
            lists[value.list_name].append((value.slug, value.name_en, value.name_fr))
    return Vocabulary(skills, places, values_from_lists(lists), slugs, iso,
                      {cid: country_id for cid, country_id, _name in cities},
                      skill_names={s.id: (s.name_en, s.name_fr) for s in rows}, value_names=value_names,
                      country_names={code: (en, fr) for _cid, code, en, fr, *_nat in countries},
                      nationality_names={cid: (nat_en, nat_fr) for cid, _code, _en, _fr, nat_en, nat_fr in countries},
                      city_names={str(cid): name for cid, _country, name in cities},
                      skill_slugs={s.slug: s.id for s in rows},
                      cinema_skills=frozenset(s.id for s in rows if s.tag == "cinema"))


def eligible_clause():
    return and_(Profile.is_active.is_(True),
                or_(Profile.user_id.is_(None), Profile.directory_consent_at.is_not(None)))


_PROFILE_COLUMNS = (Profile.id, Profile.headline, Profile.bio, Profile.education, Profile.current_position,
                    Profile.current_company, Profile.gender, Profile.birth_date, Profile.residence_country_id,
                    Profile.residence_city_id, Profile.origin_country_id, Profile.origin_city_id,
                    Profile.availability, Profile.work_mode, Profile.years_experience)
_CINEMA_COLUMNS = (CinemaProfile.id, CinemaProfile.profile_id, CinemaProfile.height_cm, CinemaProfile.eye_color_id,
                   CinemaProfile.hair_color_id, CinemaProfile.hair_type_id, CinemaProfile.skin_tone_id,
                   CinemaProfile.build_id, CinemaProfile.previous_productions)


def _documents(rows, where_profile, where_cinema, vocabulary: Vocabulary) -> list[Document]:
    """The documents of `rows` (profile columns), reading their skills, languages and
    cinema details with one query each restricted by `where_*`."""
    if not rows:
        return []
    skills: dict[int, dict[int, int]] = defaultdict(dict)
    for pid, sid, level in db.session.execute(
            select(ProfileSkill.profile_id, ProfileSkill.skill_id, ProfileSkill.level).where(
                where_profile(ProfileSkill.profile_id))):
        skills[pid][sid] = int(level)
    languages: dict[int, list[str]] = defaultdict(list)
    for pid, code in db.session.execute(
            select(ProfileLanguage.profile_id, ProfileLanguage.code).where(where_profile(ProfileLanguage.profile_id))
            .order_by(ProfileLanguage.profile_id, ProfileLanguage.position)):
        languages[pid].append(code)
    cinemas = {row.profile_id: row for row in db.session.execute(
        select(*_CINEMA_COLUMNS).where(where_profile(CinemaProfile.profile_id)))}
    types: dict[int, list[int]] = defaultdict(list)
    others: dict[int, list[int]] = defaultdict(list)
    if cinemas:
        for table, target in ((cinema_talent_types, types), (cinema_other_talents, others)):
            for pid, sid in db.session.execute(
                    select(CinemaProfile.profile_id, table.c.skill_id)
                    .join(CinemaProfile, CinemaProfile.id == table.c.cinema_id)
                    .where(where_cinema(CinemaProfile.profile_id)).order_by(table.c.skill_id)):
                target[pid].append(sid)
    return [document(row, skills.get(row.id, {}), languages.get(row.id, []), cinemas.get(row.id),
                     types.get(row.id, []), others.get(row.id, []), vocabulary) for row in rows]


def document(row, skills: dict[int, int], languages: list[str], cinema, talent_types: list[int],
             other_talents: list[int], vocabulary: Vocabulary) -> Document:
    """One profile as the engine sees it (`row` has the profile columns, `cinema` the cinema ones)."""
    city_id = row.residence_city_id or row.origin_city_id
    country_id = row.residence_country_id or (vocabulary.city_country.get(row.residence_city_id)
                                              if row.residence_city_id else None) or row.origin_country_id
    skills = dict(skills)
    for skill_id in other_talents:
        skills.setdefault(skill_id, OTHER_TALENT_LEVEL)
    texts = [row.education, row.current_position, row.current_company]
    looks = {}
    if cinema is not None:
        texts.append(cinema.previous_productions)
        looks = {name: vocabulary.slugs.get(getattr(cinema, f"{name}_id")) for name in ATTRIBUTE_LISTS}
    return Document(
        id=row.id, headline=row.headline or row.current_position or "", bio=row.bio or "",
        text="\n".join(t for t in texts if t), skills=skills, talent_types=tuple(talent_types),
        gender=row.gender, birth_date=row.birth_date, height_cm=cinema.height_cm if cinema is not None else None,
        languages=tuple(languages), country=vocabulary.country_iso.get(country_id) if country_id else None,
        city=str(city_id) if city_id else None, availability=row.availability, work_mode=row.work_mode,
        years_experience=row.years_experience, cinema=cinema is not None, **looks)


def all_documents(vocabulary: Vocabulary, batch: int = BATCH) -> Iterator[Document]:
    """Every profile of the index, by ranges of ids (memory stays flat at any size)."""
    after = 0
    while True:
        rows = db.session.execute(select(*_PROFILE_COLUMNS).where(eligible_clause(), Profile.id > after)
                                  .order_by(Profile.id).limit(batch)).all()
        if not rows:
            return
        low, high = rows[0].id, rows[-1].id

        def between(column, low=low, high=high):
            return column.between(low, high)
        yield from _documents(rows, between, between, vocabulary)
        after = high


def documents_for(ids: Iterable[int], vocabulary: Vocabulary, batch: int = 500) -> tuple[list[Document], list[int]]:
    """The documents of `ids` as they are now, and the ids to forget (deleted, inactive, no consent)."""
    ids = sorted(set(ids))
    found: list[Document] = []
    for start in range(0, len(ids), batch):
        chunk = ids[start:start + batch]
        rows = db.session.execute(select(*_PROFILE_COLUMNS).where(eligible_clause(), Profile.id.in_(chunk))).all()

        def among(column, chunk=chunk):
            return column.in_(chunk)
        found += _documents(rows, among, among, vocabulary)
    kept = {doc.id for doc in found}
    return found, [pid for pid in ids if pid not in kept]
