"""The directory search: the one query that lists profiles (page, fragment, API, exports).

`search_profiles(viewer, criteria, after=None, limit=20)` checks that the viewer may search,
builds one query from the criteria (full-text match, filters, keyset position), and returns
`(rows, next_cursor, total)`:

- rows: the hits of this page (`Hit`: the Profile, its city and country, its skills with
  levels, its rank), loaded in a fixed number of queries whatever the page size: ids first
  (narrow, from the indexes), then the profiles by primary key, then their skills; cities,
  countries and skills come from a per-request `Reference`;
- next_cursor: an opaque, signed token for the page after this one (None on the last page);
- total: how many profiles match (counted up to COUNT_CAP + 1; more means "over 10,000").

Pagination is by keyset: each order is (sort key, id), and the cursor carries the last row's
key and id, so page 50 costs what page 1 costs. The text search is the database's own
full-text index (see search_index.py): FTS5 on SQLite, tsvector + GIN on PostgreSQL, every
word of the query a prefix ("moh" finds Mohamed), accents and case ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from typing import Any

from flask import current_app, g, has_request_context
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import (
    Double,
    Float,
    Integer,
    Join,
    and_,
    bindparam,
    cast,
    exists,
    func,
    literal_column,
    or_,
    select,
    table,
    tuple_,
)
from sqlalchemy.ext.compiler import compiles

from webapp.core.errors import Forbidden, ValidationFailed
from webapp.core.permissions import can, require
from webapp.core.text import fold
from webapp.directory import search_index, search_snapshot
from webapp.directory.models import AVAILABILITIES, GENDERS, WORK_MODES, Profile, ProfileLanguage, ProfileSkill
from webapp.directory.reference import LANGUAGES
from webapp.directory.search_index import FTS_TABLE, PG_VECTOR
from webapp.extensions import db
from webapp.taxonomy.models import City, Country, Skill

PAGE_SIZE = 20
MAX_LIMIT = 100
COUNT_CAP = 10_000
MAX_QUERY_LENGTH = 200
MAX_WORDS = 8
MAX_CHOICES = 10
KINDS = ("all", "talents", "candidates")
SORTS = ("relevance", "newest", "oldest", "name", "score", "experience")
AGE_RANGE = (14, 100)
EXPERIENCE_RANGE = (0, 70)
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Criteria:
    """What a search asks for. Empty values mean "any"; several values of a choice mean
    "any of them", several skills or languages mean "all of them"."""

    q: str = ""
    country: int | None = None
    city: int | None = None
    gender: tuple[str, ...] = ()
    availability: tuple[str, ...] = ()
    skill: tuple[int, ...] = ()
    skill_level: int = 1
    age_min: int | None = None
    age_max: int | None = None
    experience_min: int | None = None
    experience_max: int | None = None
    language: tuple[str, ...] = ()
    work_mode: tuple[str, ...] = ()
    has_photo: bool = False
    has_cv: bool = False
    kind: str = "all"
    include_inactive: bool = False
    sort: str = ""

    @property
    def words(self) -> list[str]:
        return query_words(self.q)

    @property
    def order(self) -> str:
        """The sort in effect: relevance only means something with words to match."""
        if self.sort in SORTS and self.sort != "relevance":
            return self.sort
        return "relevance" if self.words else "newest"

    @property
    def filter_count(self) -> int:
        """How many filters (not the text, kind or sort) are set: shown beside "Filters"."""
        names = ("country", "city", "gender", "availability", "skill", "age_min", "age_max", "experience_min",
                 "experience_max", "language", "work_mode", "has_photo", "has_cv", "include_inactive")
        return sum(1 for name in names if getattr(self, name) not in (None, (), False))

    def as_args(self) -> dict[str, Any]:
        """The criteria as query arguments (for links: next page, tabs, bookmarks)."""
        args: dict[str, Any] = {}
        for item in fields(self):
            value = getattr(self, item.name)
            default = item.default
            if value == default or value in (None, "", ()):
                continue
            if isinstance(value, bool):
                args[item.name] = "1"
            elif isinstance(value, tuple):
                args[item.name] = list(value)
            else:
                args[item.name] = value
        return args


@dataclass
class Problems:
    """Field messages gathered while checking criteria, raised together."""

    fields: dict[str, list[str]] = field(default_factory=dict)

    def add(self, name: str, message: str) -> None:
        self.fields.setdefault(name, []).append(message)

    def raise_if_any(self) -> None:
        if self.fields:
            raise ValidationFailed(fields=self.fields)


def check(criteria: Criteria) -> Criteria:
    """Refuse criteria that cannot mean anything (unknown values, ranges upside down), with a
    message per field; the form and the API schema have checked the types already."""
    problems = Problems()
    if len(criteria.q) > MAX_QUERY_LENGTH:
        problems.add("q", _("Use at most %(n)d characters.", n=MAX_QUERY_LENGTH))
    _check_choices(problems, "gender", criteria.gender, GENDERS)
    _check_choices(problems, "availability", criteria.availability, AVAILABILITIES)
    _check_choices(problems, "work_mode", criteria.work_mode, WORK_MODES)
    _check_choices(problems, "language", criteria.language, tuple(LANGUAGES))
    if criteria.kind not in KINDS:
        problems.add("kind", _("Choose one of the options."))
    if criteria.sort and criteria.sort not in SORTS:
        problems.add("sort", _("Choose one of the options."))
    if not 1 <= criteria.skill_level <= 5:
        problems.add("skill_level", _("A level goes from 1 to 5."))
    _check_range(problems, "age", criteria.age_min, criteria.age_max, AGE_RANGE)
    _check_range(problems, "experience", criteria.experience_min, criteria.experience_max, EXPERIENCE_RANGE)
    _check_places(problems, criteria)
    if len(criteria.skill) > MAX_CHOICES:
        problems.add("skill", _("Choose at most %(n)d skills.", n=MAX_CHOICES))
    elif criteria.skill:
        known = {skill_id for skill_id in criteria.skill if skill_id in Reference.current().skills}
        if known != set(criteria.skill):
            problems.add("skill", _("Choose skills from the list."))
    problems.raise_if_any()
    return criteria


def _check_choices(problems: Problems, name: str, values: tuple, allowed: tuple) -> None:
    if len(values) > MAX_CHOICES:
        problems.add(name, _("Choose at most %(n)d options.", n=MAX_CHOICES))
    elif any(value not in allowed for value in values):
        problems.add(name, _("Choose one of the options."))


def _check_range(problems: Problems, name: str, low: int | None, high: int | None, bounds: tuple[int, int]) -> None:
    for suffix, value in (("min", low), ("max", high)):
        if value is not None and not bounds[0] <= value <= bounds[1]:
            problems.add(f"{name}_{suffix}", _("Enter a number between %(low)d and %(high)d.",
                                               low=bounds[0], high=bounds[1]))
    if low is not None and high is not None and low > high and f"{name}_max" not in problems.fields:
        problems.add(f"{name}_max", _("The maximum must not be below the minimum."))


def _check_places(problems: Problems, criteria: Criteria) -> None:
    if criteria.country is None and criteria.city is None:
        return
    reference = Reference.current()  # kept under the data version: no query
    if criteria.country is not None and reference.countries.get(criteria.country) is None:
        problems.add("country", _("Choose a country from the list."))
    if criteria.city is not None:
        city = reference.cities.get(criteria.city)
        if city is None:
            problems.add("city", _("Choose a city from the list."))
        elif criteria.country is not None and city.country_id != criteria.country and "country" not in problems.fields:
            problems.add("city", _("This city is not in the chosen country."))


# The cursor ---------------------------------------------------------------------------------

def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="directory-search-cursor")


def encode_cursor(order: str, key: Any, profile_id: int) -> str:
    if isinstance(key, datetime):
        key = key.isoformat()
    return _serializer().dumps([order, key, profile_id])


def decode_cursor(token: str, order: str) -> tuple[Any, int]:
    """(sort key, id) from a cursor made for `order`; anything else is a validation error."""
    message = _("This link to more results is not valid (it may be damaged or belong to another sort). "
                "Start the search again.")
    try:
        saved_order, key, profile_id = _serializer().loads(token)
    except (BadSignature, ValueError, TypeError):
        raise ValidationFailed(fields={"after": [message]}) from None
    if saved_order != order or not isinstance(profile_id, int):
        raise ValidationFailed(fields={"after": [message]})
    try:
        if order in ("newest", "oldest"):
            key = datetime.fromisoformat(key)
        elif order == "name":
            key = str(key)
        elif order == "relevance":
            key = float(key)
        else:
            key = int(key)
    except (TypeError, ValueError):
        raise ValidationFailed(fields={"after": [message]}) from None
    return key, profile_id


# What a result card shows besides the profile's own columns -----------------------------

@dataclass(frozen=True)
class CountryRef:
    id: int
    iso_code: str
    name_en: str
    name_fr: str

    def name(self, locale: str = "en") -> str:
        return self.name_fr if locale == "fr" else self.name_en


@dataclass(frozen=True)
class CityRef:
    id: int
    code: str
    name: str
    country_id: int


@dataclass(frozen=True)
class SkillRef:
    id: int
    slug: str
    name_en: str
    name_fr: str
    category_en: str
    category_fr: str
    emoji: str

    def name(self, locale: str = "en") -> str:
        return self.name_fr if locale == "fr" else self.name_en

    def category(self, locale: str = "en") -> str:
        return self.category_fr if locale == "fr" else self.category_en


@dataclass(frozen=True)
class SkillLevel:
    skill: SkillRef
    level: int


class Reference:
    """Countries, cities and skills, read once per request (a few dozen rows) so that result
    cards never load them one by one."""

    def __init__(self):
        self.countries = {row.id: CountryRef(row.id, row.iso_code, row.name_en, row.name_fr) for row in
                          db.session.execute(select(Country.id, Country.iso_code, Country.name_en, Country.name_fr))}
        self.cities = {row.id: CityRef(row.id, row.code, row.name, row.country_id) for row in
                       db.session.execute(select(City.id, City.code, City.name, City.country_id))}
        self.skills = {row.id: SkillRef(row.id, row.slug, row.name_en, row.name_fr, row.category_en,
                                        row.category_fr, row.emoji) for row in db.session.execute(
            select(Skill.id, Skill.slug, Skill.name_en, Skill.name_fr, Skill.category_en, Skill.category_fr,
                   Skill.emoji))}

    @classmethod
    def current(cls) -> Reference:
        """Once per request; and kept by the process while the database's data version (which
        any write to these tables moves, see search_index.py) stays the same."""
        if not has_request_context():
            return cls()
        cached = g.get("_directory_reference")
        if cached is None:
            cached = g._directory_reference = cls._shared()
        return cached

    _kept: tuple = (None, None)

    @classmethod
    def _shared(cls) -> Reference:
        key = (id(db.engine), search_index.current_version())
        kept_key, kept = cls._kept
        if kept_key != key:
            kept = cls()
            cls._kept = (key, kept)
        return kept


@dataclass
class Hit:
    """One result: the profile, where it is, its skills (strongest first), its relevance."""

    profile: Profile
    city: CityRef | None
    country: CountryRef | None
    skills: list[SkillLevel]
    rank: float | None = None

    @property
    def id(self) -> int:
        return self.profile.id

    @property
    def top_skills(self) -> list[SkillLevel]:
        return self.skills[:3]


# The query ---------------------------------------------------------------------------------

# Words that match nearly every bio: dropped from a query that has others.
STOP_WORDS = frozenset({"au", "aux", "avec", "dans", "de", "des", "du", "en", "et", "la", "le", "les", "par", "pour",
                        "sur", "un", "une", "an", "and", "at", "for", "in", "of", "on", "the", "to", "with"})


def query_words(text: str) -> list[str]:
    """The words a query matches: folded, at least two letters, common words dropped when
    the query has other words. One-letter queries match nothing yet (the page says so)."""
    words = [word for word in _WORD.findall(fold(text)) if len(word) >= 2]
    meaningful = [word for word in words if word not in STOP_WORDS]
    return (meaningful or words)[:MAX_WORDS]


@dataclass(frozen=True)
class Order:
    key: Any  # a column or expression (None for relevance: the text match's rank)
    descending: bool
    key_type: Any

    def clauses(self) -> list:
        return [self.key.desc(), Profile.id.desc()] if self.descending else [self.key.asc(), Profile.id.asc()]

    def after(self, key_value: Any, profile_id: int):
        here = tuple_(self.key, Profile.id)
        there = tuple_(bindparam(None, key_value, type_=self.key_type), bindparam(None, profile_id, type_=Integer()))
        return here < there if self.descending else here > there


def experience_key():
    # People without a figure count as -1 (last when descending); an index has this expression.
    return func.coalesce(Profile.years_experience, literal_column("-1"))


ORDERS = {
    "newest": Order(Profile.created_at, True, Profile.created_at.type),
    "oldest": Order(Profile.created_at, False, Profile.created_at.type),
    "name": Order(Profile.sort_name, False, Profile.sort_name.type),
    "score": Order(Profile.profile_score, True, Integer()),
    "experience": Order(experience_key(), True, Integer()),
    "relevance": Order(None, False, Float()),  # the key is the text match's rank
}


class TextMatch:
    """The full-text part of the query, on the engine in use."""

    def __init__(self, words: list[str]):
        self.words = words
        self.dialect = db.engine.dialect.name

    def _match_sqlite(self):
        # each word a quoted prefix ("moh"*); words hold only letters and digits, so quoting is safe
        expression = " ".join(f'"{word}"*' for word in self.words)
        return literal_column(FTS_TABLE).op("MATCH")(bindparam("fts_query", expression))

    def _tsquery(self):
        expression = " & ".join(f"{word}:*" for word in self.words)
        return func.to_tsquery(literal_column("'simple'::regconfig"), bindparam("ts_query", expression))

    def condition(self):
        """A WHERE clause keeping the profiles that match (no ranking)."""
        if self.dialect == "postgresql":
            return literal_column(f"profiles.{PG_VECTOR}").op("@@")(self._tsquery())
        if self.dialect == "sqlite":
            return Profile.id.in_(select(literal_column("rowid")).select_from(table(FTS_TABLE))
                                  .where(self._match_sqlite()))
        return and_(*[or_(Profile.search_text.like(f"{word}%"), Profile.search_text.like(f"% {word}%"))
                      for word in self.words])

    def rank(self):
        """The relevance of a matching profile, lower is better (usable in SELECT, WHERE and
        ORDER BY of the query `ranked` builds)."""
        if self.dialect == "postgresql":
            # ts_rank is a float4: as float8 the cursor's copy compares exactly equal
            return cast(-func.ts_rank(literal_column(f"profiles.{PG_VECTOR}"), self._tsquery()), Double())
        if self.dialect == "sqlite":
            return func.bm25(literal_column(FTS_TABLE))
        return literal_column("0.0", Float)

    def ranked(self, columns: list):
        """SELECT `columns` from the matching profiles. On SQLite the FTS table drives the join
        (CROSS JOIN fixes the order), so bm25() is computed only for the rows the filters keep."""
        if self.dialect == "sqlite":
            driven = DrivingJoin(table(FTS_TABLE), Profile.__table__,
                                 Profile.id == literal_column(f"{FTS_TABLE}.rowid"))
            return select(*columns).select_from(driven).where(self._match_sqlite())
        return select(*columns).where(self.condition())


class DrivingJoin(Join):
    """A join whose left side is scanned first. SQLite reads CROSS JOIN as that order; left
    to itself, without statistics, it may drive from an index of profiles and probe the
    full-text index row by row."""

    inherit_cache = True


@compiles(DrivingJoin, "sqlite")
def _cross_join(element, compiler, **kw):
    return compiler.visit_join(element, **kw).replace(" JOIN ", " CROSS JOIN ", 1)


def _birth_date_bounds(age_min: int | None, age_max: int | None) -> tuple[date | None, date | None]:
    """Aged at least `age_min`: born on or before today minus age_min years; at most `age_max`:
    born after today minus (age_max + 1) years."""
    today = date.today()

    def years_ago(years: int) -> date:
        try:
            return today.replace(year=today.year - years)
        except ValueError:  # 29 February
            return today.replace(year=today.year - years, day=28)

    latest = years_ago(age_min) if age_min is not None else None
    earliest = years_ago(age_max + 1) if age_max is not None else None
    return earliest, latest


def listed_condition(include_inactive: bool = False):
    """Who appears in the directory at all: active profiles (unless an admin asks for all),
    and never a talent who withdrew their consent to be listed."""
    consent = or_(Profile.user_id.is_(None), Profile.directory_consent_at.is_not(None))
    return consent if include_inactive else and_(Profile.is_active.is_(True), consent)


def filter_conditions(criteria: Criteria) -> list:
    """The WHERE clauses of every filter but the text."""
    conditions = [listed_condition(criteria.include_inactive)]
    if criteria.kind == "candidates":
        conditions.append(Profile.user_id.is_(None))
    elif criteria.kind == "talents":
        conditions.append(Profile.user_id.is_not(None))
    if criteria.country is not None:
        # where they live, or where they come from when no residence is known (what the card shows)
        conditions.append(or_(Profile.residence_country_id == criteria.country,
                              and_(Profile.residence_country_id.is_(None), Profile.origin_country_id == criteria.country)))
    if criteria.city is not None:
        conditions.append(or_(Profile.residence_city_id == criteria.city,
                              and_(Profile.residence_city_id.is_(None), Profile.origin_city_id == criteria.city)))
    if criteria.gender:
        conditions.append(Profile.gender.in_(criteria.gender))
    if criteria.availability:
        conditions.append(Profile.availability.in_(criteria.availability))
    if criteria.work_mode:
        conditions.append(Profile.work_mode.in_(criteria.work_mode))
    earliest, latest = _birth_date_bounds(criteria.age_min, criteria.age_max)
    if latest is not None:
        conditions.append(Profile.birth_date <= latest)
    if earliest is not None:
        conditions.append(Profile.birth_date > earliest)
    if criteria.experience_min is not None:
        conditions.append(Profile.years_experience >= criteria.experience_min)
    if criteria.experience_max is not None:
        conditions.append(Profile.years_experience <= criteria.experience_max)
    for skill_id in criteria.skill:
        conditions.append(exists().where(ProfileSkill.profile_id == Profile.id, ProfileSkill.skill_id == skill_id,
                                         ProfileSkill.level >= criteria.skill_level))
    for code in criteria.language:
        conditions.append(exists().where(ProfileLanguage.profile_id == Profile.id, ProfileLanguage.code == code))
    if criteria.has_photo:
        conditions.append(Profile.photo_file_id.is_not(None))
    if criteria.has_cv:
        conditions.append(Profile.cv_file_id.is_not(None))
    return conditions


@dataclass
class Page:
    """One page of a search before its rows are loaded: (id, sort key) of each row in order,
    the cursor of the next page, the count (None when not asked), the order in effect."""

    rows: list
    next_cursor: str | None
    total: int | None
    order: str

    @property
    def ids(self) -> list[int]:
        return [row[0] for row in self.rows]


def search_profiles(viewer, criteria: Criteria, after: str | None = None, limit: int = PAGE_SIZE, *,
                    offset: int = 0, with_total: bool = True) -> tuple[list[Hit], str | None, int | None]:
    """One page of the profiles matching `criteria`, the cursor of the next page, the count.

    `after` is a cursor from a previous page; `offset` (the API's page numbers) skips rows
    instead and is meant for the first pages only. Without `with_total` the count is not
    made (infinite scroll asks for it once) and None comes back.
    """
    page = search_page(viewer, criteria, after, limit, offset=offset, with_total=with_total)
    return hits_for(page), page.next_cursor, page.total


def search_page(viewer, criteria: Criteria, after: str | None = None, limit: int = PAGE_SIZE, *,
                offset: int = 0, with_total: bool = True) -> Page:
    """What `search_profiles` finds, without loading the rows (`hits_for` loads them): for
    callers that may have some of them rendered already (the result cards)."""
    require("directory.search", user=viewer)
    if criteria.include_inactive and not can(viewer, "profile.moderate"):
        raise Forbidden(_("Only administrators can include inactive profiles."))
    check(criteria)
    limit = max(1, min(limit, MAX_LIMIT))
    order_name = criteria.order
    cursor = decode_cursor(after, order_name) if after else None
    answered = search_snapshot.answer(criteria, cursor, limit, offset)
    if answered is not None:  # from memory: the same rows, keys and count as the SQL below
        found, count = answered
        next_cursor = encode_cursor(order_name, *found[limit - 1]) if len(found) > limit else None
        return Page([(profile_id, key) for key, profile_id in found[:limit]], next_cursor,
                    min(count, COUNT_CAP + 1) if with_total else None, order_name)

    order = ORDERS[order_name]
    words = criteria.words
    text = TextMatch(words) if words else None
    conditions = filter_conditions(criteria)

    # First the ids and sort keys of the page (narrow rows the indexes can answer), then the
    # profiles themselves by primary key. With relevance every match is ranked anyway, so the
    # same pass counts them (a window count); other orders stop after a page and count apart.
    window_total = with_total and cursor is None and order_name == "relevance"
    if order_name == "relevance":
        matches = text.ranked([Profile.id.label("id"), text.rank().label("sort_key")]).where(*conditions).subquery()
        columns = [matches.c.id, matches.c.sort_key]
        if window_total:
            columns.append(func.count().over().label("total"))
        stmt = select(*columns)
        if cursor is not None:
            stmt = stmt.where(tuple_(matches.c.sort_key, matches.c.id) > tuple_(
                bindparam(None, cursor[0], type_=Double()), bindparam(None, cursor[1], type_=Integer())))
        stmt = stmt.order_by(matches.c.sort_key.asc(), matches.c.id.asc())
    else:
        if text is not None:
            conditions.append(text.condition())
        if cursor is not None:
            conditions.append(order.after(*cursor))
        stmt = select(Profile.id, order.key.label("sort_key")).where(*conditions).order_by(*order.clauses())
    found = db.session.execute(stmt.limit(limit + 1).offset(offset or None)).all()

    page = found[:limit]
    next_cursor = None
    if len(found) > limit:
        last = page[-1]
        next_cursor = encode_cursor(order_name, last.sort_key, last.id)
    total = None
    if window_total:  # capped like the other count, so a total means the same whatever the order
        total = min(found[0].total, COUNT_CAP + 1) if found else 0
    elif with_total:
        total = count_profiles(criteria, text)
    return Page([(row.id, row.sort_key) for row in page], next_cursor, total, order_name)


def hits_for(page: Page, only: set[int] | None = None) -> list[Hit]:
    """The rows of `page` (those whose id is in `only`, when given), in its order: the
    profiles by primary key, then their skills; cities, countries and skills from `Reference`."""
    rows = [row for row in page.rows if only is None or row[0] in only]
    if not rows:
        return []
    ids = [row[0] for row in rows]
    profiles = {p.id: p for p in db.session.scalars(select(Profile).where(Profile.id.in_(ids)))}
    reference = Reference.current()
    skills: dict[int, list[SkillLevel]] = {profile_id: [] for profile_id in ids}
    for profile_id, skill_id, level in db.session.execute(
            select(ProfileSkill.profile_id, ProfileSkill.skill_id, ProfileSkill.level)
            .where(ProfileSkill.profile_id.in_(ids))
            .order_by(ProfileSkill.profile_id, ProfileSkill.level.desc(), ProfileSkill.skill_id)):
        skill = reference.skills.get(skill_id)
        if skill is not None:
            skills[profile_id].append(SkillLevel(skill, level))
    hits = []
    for profile_id, sort_key in rows:
        profile = profiles[profile_id]
        city_id = profile.residence_city_id or profile.origin_city_id
        country_id = profile.residence_country_id or profile.origin_country_id
        hits.append(Hit(profile, reference.cities.get(city_id), reference.countries.get(country_id),
                        skills[profile_id], rank=sort_key if page.order == "relevance" else None))
    return hits


def count_profiles(criteria: Criteria, text: TextMatch | None = None) -> int:
    """How many profiles match, counted up to COUNT_CAP + 1 (enough to say "over 10,000")."""
    conditions = filter_conditions(criteria)
    if text is not None:
        conditions.append(text.condition())
    capped = select(Profile.id).where(*conditions).limit(COUNT_CAP + 1).subquery()
    return db.session.scalar(select(func.count()).select_from(capped)) or 0
