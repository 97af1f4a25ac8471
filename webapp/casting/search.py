"""The attribute search of cinema talents: the one query that lists cinema profiles (page,
fragment, API), in the shape of the directory's search.

`search_talents(viewer, criteria, after=None, limit=20)` checks that the viewer may search,
checks the criteria, picks the page (filters, name search, keyset position), and returns a
`Result`: the page's cinema profiles (with what a card and the API item show, loaded in a
fixed number of queries), the signed cursor of the next page, the number of matches, and the
counts beside each choice of the filters when asked.

Where the rows come from: the counts need every filter evaluated over every cinema profile,
which the in-memory snapshot of webapp/casting/facets.py does in a few milliseconds (eight
GROUP BY queries cost 5-15 ms each on SQLite here). The same masks then pick the page in the
order's (key, id) sequence, so the page, the total and the counts can never disagree, and one
query loads the page by primary key. The snapshot is exact: database triggers keep a version
stamp that every search checks (webapp/casting/search_index.py).

Several values of one filter mean "any of them" (gender, talent type, colours, country,
experience), several languages "all of them". Ranges need a known value: a talent without a
height is not "between 160 and 175 cm".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from webapp.casting import facets
from webapp.casting.models import CinemaPhoto, CinemaProfile
from webapp.core.errors import ValidationFailed
from webapp.core.permissions import require
from webapp.core.text import fold
from webapp.directory.models import GENDERS, Profile
from webapp.directory.reference import LANGUAGES
from webapp.extensions import db
from webapp.taxonomy import services as taxonomy
from webapp.taxonomy.models import Country, ListValue, Skill

PAGE_SIZE = 24
MAX_LIMIT = 100
MAX_CHOICES = 12
MAX_QUERY_LENGTH = 100
SORTS = ("newest", "name", "experience", "height")
AGE_RANGE = (0, 110)
HEIGHT_RANGE = (40, 250)
EXPERIENCE_NAMES = tuple(name for name, _low, _high in facets.EXPERIENCE_BANDS)
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Criteria:
    """What a casting search asks for (ids for list values and skills, ISO-639 codes for
    languages, band names for experience). Empty values mean "any"."""

    q: str = ""
    gender: tuple[str, ...] = ()
    talent_type: tuple[int, ...] = ()
    age_min: int | None = None
    age_max: int | None = None
    height_min: int | None = None
    height_max: int | None = None
    eye_color: tuple[int, ...] = ()
    hair_color: tuple[int, ...] = ()
    skin_tone: tuple[int, ...] = ()
    country: tuple[int, ...] = ()
    language: tuple[str, ...] = ()
    experience: tuple[str, ...] = ()
    sort: str = ""

    @property
    def words(self) -> list[str]:
        return [word for word in _WORD.findall(fold(self.q)) if len(word) >= 2][:6]

    @property
    def order(self) -> str:
        return self.sort if self.sort in SORTS else "newest"

    @property
    def filter_count(self) -> int:
        return sum(1 for item in fields(self) if item.name not in ("q", "sort")
                   and getattr(self, item.name) not in (None, ()))

    def as_args(self) -> dict[str, Any]:
        """The criteria as query arguments (links, saved searches): lists for the choices."""
        args: dict[str, Any] = {}
        for item in fields(self):
            value = getattr(self, item.name)
            if value in (None, "", ()):
                continue
            args[item.name] = [str(v) for v in value] if isinstance(value, tuple) else str(value)
        return args


@dataclass
class Problems:
    fields: dict[str, list[str]] = field(default_factory=dict)

    def add(self, name: str, message: str) -> None:
        self.fields.setdefault(name, []).append(message)

    def raise_if_any(self) -> None:
        if self.fields:
            raise ValidationFailed(fields=self.fields)


def check(criteria: Criteria) -> Criteria:
    """Refuse criteria that cannot mean anything, with a message per field."""
    problems = Problems()
    if len(criteria.q) > MAX_QUERY_LENGTH:
        problems.add("q", _("Use at most %(n)d characters.", n=MAX_QUERY_LENGTH))
    for name, allowed in (("gender", GENDERS), ("language", tuple(LANGUAGES)), ("experience", EXPERIENCE_NAMES)):
        values = getattr(criteria, name)
        if len(values) > MAX_CHOICES:
            problems.add(name, _("Choose at most %(n)d options.", n=MAX_CHOICES))
        elif any(value not in allowed for value in values):
            problems.add(name, _("Choose one of the options."))
    if criteria.sort and criteria.sort not in SORTS:
        problems.add("sort", _("Choose one of the options."))
    _check_range(problems, "age", criteria.age_min, criteria.age_max, AGE_RANGE)
    _check_range(problems, "height", criteria.height_min, criteria.height_max, HEIGHT_RANGE)
    for name, lookup in (("eye_color", ListValue), ("hair_color", ListValue), ("skin_tone", ListValue),
                         ("talent_type", Skill), ("country", Country)):
        values = getattr(criteria, name)
        if len(values) > MAX_CHOICES:
            problems.add(name, _("Choose at most %(n)d options.", n=MAX_CHOICES))
        elif values:
            stmt = select(lookup.id).where(lookup.id.in_(values))
            if lookup is ListValue:
                stmt = stmt.where(ListValue.list_name == name)
            if lookup is Skill:
                stmt = stmt.where(Skill.tag == "cinema")
            if set(db.session.scalars(stmt)) != set(values):
                problems.add(name, _("Choose from the list."))
    problems.raise_if_any()
    return criteria


def _check_range(problems: Problems, name: str, low, high, bounds: tuple[int, int]) -> None:
    for suffix, value in (("min", low), ("max", high)):
        if value is not None and not bounds[0] <= value <= bounds[1]:
            problems.add(f"{name}_{suffix}", _("Enter a number between %(low)d and %(high)d.",
                                               low=bounds[0], high=bounds[1]))
    if low is not None and high is not None and low > high and f"{name}_max" not in problems.fields:
        problems.add(f"{name}_max", _("The maximum must not be below the minimum."))


# Reading criteria from query arguments (the page's form and the API share this) ---------------

def _keys(values) -> list[str]:
    """Repeated arguments and comma-separated ones alike: ?eye_color=a&eye_color=b or a,b."""
    keys = []
    for value in values or []:
        keys += [part.strip() for part in str(value).split(",") if part.strip()]
    return keys


def _list_ids(list_name: str, keys: list[str], problems: Problems, name: str) -> tuple[int, ...]:
    """List values by id, slug or name in either language (the seed sends "Marron")."""
    if not keys:
        return ()
    values = taxonomy.list_values(list_name, include_inactive=True)
    by_key = {}
    for value in values:
        for key in (str(value.id), value.slug, fold(value.name_en), fold(value.name_fr)):
            by_key.setdefault(key, value.id)
    found = []
    for key in keys:
        value_id = by_key.get(key) or by_key.get(fold(key))
        if value_id is None:
            problems.add(name, _("Choose from the list."))
            return ()
        found.append(value_id)
    return tuple(dict.fromkeys(found))


def _skill_ids(keys: list[str], problems: Problems) -> tuple[int, ...]:
    if not keys:
        return ()
    by_key = {}
    for skill in db.session.scalars(select(Skill).where(Skill.tag == "cinema")):
        for key in (str(skill.id), skill.slug, fold(skill.name_en), fold(skill.name_fr)):
            by_key.setdefault(key, skill.id)
    found = []
    for key in keys:
        skill_id = by_key.get(key) or by_key.get(fold(key))
        if skill_id is None:
            problems.add("talent_type", _("Choose from the list."))
            return ()
        found.append(skill_id)
    return tuple(dict.fromkeys(found))


def _country_ids(keys: list[str], problems: Problems) -> tuple[int, ...]:
    if not keys:
        return ()
    by_key = {}
    for country in db.session.scalars(select(Country)):
        for key in (str(country.id), country.iso_code.lower(), fold(country.name_en), fold(country.name_fr)):
            by_key.setdefault(key, country.id)
    found = []
    for key in keys:
        country_id = by_key.get(key.lower()) or by_key.get(fold(key))
        if country_id is None:
            problems.add("country", _("Choose a country from the list."))
            return ()
        found.append(country_id)
    return tuple(dict.fromkeys(found))


def _languages(keys: list[str], problems: Problems) -> tuple[str, ...]:
    names = {}
    for code, (english, french) in LANGUAGES.items():
        for key in (code, fold(english), fold(french)):
            names.setdefault(key, code)
    found = []
    for key in keys:
        code = names.get(key.lower()) or names.get(fold(key))
        if code is None:
            problems.add("language", _("Choose languages from the list."))
            return ()
        found.append(code)
    return tuple(dict.fromkeys(found))


def _number(raw, name: str, problems: Problems) -> int | None:
    if raw in (None, ""):
        return None
    try:
        return int(str(raw).strip())
    except ValueError:
        problems.add(name, _("Enter a whole number."))
        return None


EXPERIENCE_ALIASES = {"beginner": "debutant", "1_5": "1_5_ans", "5_10": "5_10_ans", "10+": "10_plus"}


def criteria_from(args) -> Criteria:
    """Criteria from query arguments (a MultiDict or a dict of lists/strings), every problem at
    once. Choices take ids, slugs or names; the seed's `search` is the name search `q`."""
    def many(name: str) -> list[str]:
        if hasattr(args, "getlist"):
            return _keys(args.getlist(name))
        value = args.get(name)
        return _keys(value if isinstance(value, (list, tuple)) else [value] if value not in (None, "") else [])

    def one(name: str):
        value = args.get(name)
        return value[0] if isinstance(value, (list, tuple)) and value else value

    problems = Problems()
    experience = tuple(EXPERIENCE_ALIASES.get(key, key) for key in many("experience"))
    criteria = Criteria(
        q=str(one("q") or one("search") or "").strip(),
        gender=tuple(dict.fromkeys(key.upper() for key in many("gender"))),
        talent_type=_skill_ids(many("talent_type"), problems),
        age_min=_number(one("age_min"), "age_min", problems), age_max=_number(one("age_max"), "age_max", problems),
        height_min=_number(one("height_min"), "height_min", problems),
        height_max=_number(one("height_max"), "height_max", problems),
        eye_color=_list_ids("eye_color", many("eye_color"), problems, "eye_color"),
        hair_color=_list_ids("hair_color", many("hair_color"), problems, "hair_color"),
        skin_tone=_list_ids("skin_tone", many("skin_tone"), problems, "skin_tone"),
        country=_country_ids(many("country"), problems),
        language=_languages(many("language"), problems),
        experience=tuple(dict.fromkeys(experience)),
        sort=str(one("sort") or ""),
    )
    problems.raise_if_any()
    return criteria


# The cursor -----------------------------------------------------------------------------------

def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="casting-search-cursor")


def encode_cursor(order: str, key: Any, cinema_id: int) -> str:
    if isinstance(key, datetime):
        key = key.isoformat()
    return _serializer().dumps([order, key, cinema_id])


def decode_cursor(token: str, order: str) -> tuple[Any, int]:
    message = _("This link to more results is not valid (it may be damaged or belong to another sort). "
                "Start the search again.")
    try:
        saved_order, key, cinema_id = _serializer().loads(token)
    except (BadSignature, ValueError, TypeError):
        raise ValidationFailed(fields={"after": [message]}) from None
    if saved_order != order or not isinstance(cinema_id, int):
        raise ValidationFailed(fields={"after": [message]})
    try:
        key = ORDER_KEYS[order](key)
    except (TypeError, ValueError, KeyError):
        raise ValidationFailed(fields={"after": [message]}) from None
    return key, cinema_id


# The query ----------------------------------------------------------------------------------
#
# The rows come from the counts' snapshot (facets.py): the same masks pick the page, in the
# order's (key, id) sequence, so the page, the total and the counts always agree; then one
# query loads the page's cinema profiles by id.

# The keyset's first half per order (newest first is by cinema id: the key is the id itself).
ORDER_KEYS = {"newest": int, "name": str, "experience": int, "height": int}


@dataclass
class Result:
    hits: list[CinemaProfile]
    next_cursor: str | None
    total: int | None
    counts: facets.Counts | None = None


def facet_filters(criteria: Criteria) -> facets.Filters:
    return facets.Filters(
        genders=tuple(facets.GENDER_CODES[g] for g in criteria.gender), talent_types=criteria.talent_type,
        eye_colors=criteria.eye_color, hair_colors=criteria.hair_color, skin_tones=criteria.skin_tone,
        countries=criteria.country, languages=tuple(facets.LANGUAGE_CODES[c] for c in criteria.language),
        experience=tuple(EXPERIENCE_NAMES.index(name) for name in criteria.experience),
        age_min=criteria.age_min, age_max=criteria.age_max, height_min=criteria.height_min,
        height_max=criteria.height_max, words=tuple(criteria.words))


def search_talents(viewer, criteria: Criteria, after: str | None = None, limit: int = PAGE_SIZE, *,
                   offset: int = 0, with_total: bool = True, with_counts: bool = False) -> Result:
    """One page of the cinema talents matching `criteria`, the next page's cursor, how many
    match, and (with `with_counts`) the counts beside each choice."""
    require("casting.search", user=viewer)
    check(criteria)
    limit = max(1, min(limit, MAX_LIMIT))
    cursor = decode_cursor(after, criteria.order) if after else None
    snapshot = facets.current()
    filters = facet_filters(criteria)
    counts = None
    if with_counts:
        matched, counts = facets.count(snapshot, filters)
    else:
        matched = facets.match(snapshot, filters)
    ids, following = facets.page(snapshot, matched, criteria.order, cursor, limit, offset)
    next_cursor = encode_cursor(criteria.order, *following) if following else None
    total = int(matched.sum()) if with_total or with_counts else None
    return Result(_load(ids), next_cursor, total, counts)


def _load(ids: list[int]) -> list[CinemaProfile]:
    """The page's cinema profiles with everything a card, a table row and the API item show:
    a fixed number of queries whatever the page size."""
    if not ids:
        return []
    _reference()
    stmt = (select(CinemaProfile).where(CinemaProfile.id.in_(ids))
            .options(selectinload(CinemaProfile.profile).selectinload(Profile.languages),
                     selectinload(CinemaProfile.profile).selectinload(Profile.thumb),
                     selectinload(CinemaProfile.profile).selectinload(Profile.photo),
                     selectinload(CinemaProfile.talent_types),
                     selectinload(CinemaProfile.gallery).selectinload(CinemaPhoto.thumb)))
    by_id = {cinema.id: cinema for cinema in db.session.scalars(stmt)}
    return [by_id[i] for i in ids if i in by_id]


def _reference() -> None:
    """Every list value, country and city (a few hundred rows) into the session once per
    request: the cards' colours and places then come from the identity map, not one by one."""
    from flask import g, has_request_context

    from webapp.taxonomy.models import City

    if has_request_context() and g.get("_casting_reference"):
        return
    g_keep = [list(db.session.scalars(select(model))) for model in (ListValue, Country, City)]
    if has_request_context():
        g._casting_reference = g_keep


# Saved searches ---------------------------------------------------------------------------------

MAX_SAVED = 50


def saved_searches(viewer) -> list:
    from webapp.casting.models import SavedSearch

    require("casting.search", user=viewer)
    return list(db.session.scalars(select(SavedSearch).where(SavedSearch.user_id == viewer.id,
                                                             SavedSearch.kind == "casting")
                                   .order_by(SavedSearch.created_at.desc(), SavedSearch.id.desc())))


def save_search(viewer, name: str | None, args) -> Any:
    """Keep the criteria (as query arguments, checked first) under a name the person chose."""
    from webapp.casting.models import SavedSearch

    require("casting.search", user=viewer)
    name = " ".join(str(name or "").split())
    if not name:
        raise ValidationFailed(fields={"name": [_("Give the search a name.")]})
    if len(name) > 100:
        raise ValidationFailed(fields={"name": [_("Use at most %(n)d characters.", n=100)]})
    criteria = check(criteria_from(args))
    if criteria.filter_count == 0 and not criteria.q:
        raise ValidationFailed(fields={"name": [_("Choose some filters first: there is nothing to save yet.")]})
    if len(saved_searches(viewer)) >= MAX_SAVED:
        raise ValidationFailed(fields={"name": [_("You have %(n)d saved searches: delete one first.", n=MAX_SAVED)]})
    saved = SavedSearch(user_id=viewer.id, kind="casting", name=name, criteria=criteria.as_args())
    db.session.add(saved)
    db.session.commit()
    return saved


def get_saved_search(viewer, saved_id: int):
    from webapp.casting.models import SavedSearch
    from webapp.core.errors import NotFound

    saved = db.session.get(SavedSearch, saved_id)
    if saved is None or saved.user_id != viewer.id or saved.kind != "casting":
        raise NotFound(_("This saved search does not exist."))
    return saved


def delete_saved_search(viewer, saved_id: int) -> None:
    saved = get_saved_search(viewer, saved_id)
    db.session.delete(saved)
    db.session.commit()
