"""What each export holds: its columns and the rows, streamed from the database.

The rows come from one SQLAlchemy Core query (plain tuples, no ORM objects), read in
batches through a server-side cursor (`yield_per` + `stream_results`), so memory stays flat
whatever the number of rows. Skills, languages and talent types (several per person) come
from a second query per list, ordered the same way as the main one, and are merged in one
pass: never one query per row. A `Selection` says which rows (the conditions, the order);
the directory search and the casting search give theirs, so their filters are never
written twice.

No column holds special-category data (ethnicity), a minor's guardian, an identity document,
or a recruiter's private notes on a profile.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from operator import itemgetter

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, String, cast, func, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import aliased

from webapp.casting.models import (
    Assignment,
    AssignmentEvent,
    CinemaProfile,
    ProjectRole,
    cinema_other_talents,
    cinema_talent_types,
)
from webapp.directory.models import Profile, ProfileLanguage, ProfileSkill
from webapp.directory.reference import (
    AVAILABILITY_LABELS,
    GENDER_LABELS,
    LANGUAGE_LEVEL_LABELS,
    LANGUAGES,
    RATE_UNIT_LABELS,
    SOURCE_LABELS,
    WORK_MODE_LABELS,
)
from webapp.exports.xlsx import Column
from webapp.taxonomy.models import City, Country, ListValue, Skill

BATCH = 2000  # rows fetched per round trip of the server-side cursor
STAGE_LABELS = {"shortlisted": _l("Shortlisted"), "contacted": _l("Contacted"), "auditioned": _l("Auditioned"),
                "booked": _l("Booked"), "released": _l("Released")}


@dataclass(frozen=True)
class Selection:
    """Which rows: WHERE conditions and an ORDER BY on Profile (or the kind's own table).
    `by_id` means the order is the key ascending, which lets the merge skip safely."""

    conditions: tuple = ()
    order: tuple = ()
    joins: tuple = ()  # extra (table, onclause) the conditions or the order need
    by_id: bool = True
    # Or the keys themselves, in the order to export (a search that picks its rows in memory):
    # read a chunk at a time by primary key, written in this order.
    ids: tuple[int, ...] | None = None


@dataclass
class Context:
    """What every row needs and is the same for all rows: computed once per export."""

    locale: str
    profile_url: str  # PUBLIC_BASE_URL + the staff profile path, up to the id
    labels: dict[str, dict] = field(default_factory=dict)
    # The writer takes timestamps as ISO text (CSV does): SQLite's own text is then passed on
    # as it is, not parsed into a datetime only to be written back as the same text.
    iso_text: bool = False
    today: date = field(default_factory=date.today)  # ages are counted on this day


def _labels(mapping: dict) -> dict:
    return {key: str(value) for key, value in mapping.items()}


def make_context(locale: str, profile_url: str) -> Context:
    language_names = {code: names[1] if locale == "fr" else names[0] for code, names in LANGUAGES.items()}
    return Context(locale=locale, profile_url=profile_url, labels={
        "gender": _labels(GENDER_LABELS), "availability": _labels(AVAILABILITY_LABELS),
        "work_mode": _labels(WORK_MODE_LABELS), "rate_unit": _labels(RATE_UNIT_LABELS),
        "source": _labels(SOURCE_LABELS), "language_level": _labels(LANGUAGE_LEVEL_LABELS),
        "language": language_names, "stage": _labels(STAGE_LABELS),
        "account": {False: str(_l("Candidate (CRM)")), True: str(_l("Talent account"))},
    })


def stream_rows(conn: Connection, stmt: Select) -> Iterator[tuple]:
    """The rows of `stmt` as the driver gives them (plain tuples), in batches.

    SQLAlchemy compiles the statement and prepares its parameters; the rows are then read
    from the driver's own cursor, skipping SQLAlchemy's per-row result processing (three
    times cheaper). On PostgreSQL it is a server-side cursor, so only a batch is ever held.
    Values come raw: on SQLite dates and timestamps are ISO text (see `converters`)."""
    compiled = stmt.compile(dialect=conn.dialect)
    state = compiled.construct_expanded_state()
    parameters = {key: state.processors[key](value) if key in state.processors else value
                  for key, value in state.parameters.items()}
    if state.positiontup is not None:
        parameters = tuple(parameters[key] for key in state.positiontup)
    raw = conn.connection.dbapi_connection
    if conn.dialect.name == "postgresql":
        cursor = raw.cursor(name=f"export_{id(stmt):x}_{next(_CURSORS)}")
        cursor.itersize = BATCH
    else:
        cursor = raw.cursor()
    try:
        cursor.execute(state.statement, parameters)
        fetch = cursor.fetchmany
        while batch := fetch(BATCH):
            yield from batch
    finally:
        cursor.close()


_CURSORS = itertools.count(1)


def _day_from_text(value):
    return date.fromisoformat(value) if value else None


def _stamp_from_text(value):
    return datetime.fromisoformat(value) if value else None


def converters(conn: Connection, ctx: Context) -> tuple[Callable, Callable]:
    """(date, timestamp) readers for the raw values of this database: SQLite keeps ISO text,
    PostgreSQL's driver gives date and naive UTC datetime objects already. Dates are always
    read (ages are computed from them); timestamps stay text when the writer wants text."""
    if conn.dialect.name == "sqlite":
        return _day_from_text, _same if ctx.iso_text else _stamp_from_text
    return _same, _same


def _same(value):
    return value


class Lists:
    """The items of a second stream (key, label...) grouped by key, taken in the main order."""

    def __init__(self, rows: Iterator, render: Callable, skip_lower: bool):
        self.rows = rows
        self.render = render
        self.skip_lower = skip_lower
        self.current = next(self.rows, None)

    def take(self, key) -> str:
        current = self.current
        if current is None:
            return ""
        if current[0] != key:
            if not self.skip_lower or current[0] > key:
                return ""  # the common case of a person without items: no call, no list
            while current is not None and current[0] < key:  # keys ascending: one the main stream lacks
                current = next(self.rows, None)
            if current is None or current[0] != key:
                self.current = current
                return ""
        rows, render = self.rows, self.render
        parts = [render(current)]
        current = next(rows, None)
        while current is not None and current[0] == key:
            parts.append(render(current))
            current = next(rows, None)
        self.current = current
        return parts[0] if len(parts) == 1 else ", ".join(parts)


def _age(born: date | None, today: date) -> int | None:
    if born is None:
        return None
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _skill_name(locale: str):
    return Skill.name_fr if locale == "fr" else Skill.name_en


def _country_name(table, locale: str):
    return table.name_fr if locale == "fr" else table.name_en


def _value_name(table, locale: str):
    return table.name_fr if locale == "fr" else table.name_en


def apply_selection(stmt: Select, selection: Selection, default_order) -> Select:
    for target, onclause in selection.joins:
        stmt = stmt.join(target, onclause)
    if selection.conditions:
        stmt = stmt.where(*selection.conditions)
    return stmt.order_by(*(selection.order or default_order))


# Profiles (the users export, and the directory's "export what I see") ----------------------

def profile_columns() -> list[Column]:
    return [
        Column(str(_l("Code")), width=14), Column(str(_l("Profile")), "link", width=14),
        Column(str(_l("First name"))), Column(str(_l("Last name"))), Column(str(_l("Email"))),
        Column(str(_l("Phone"))), Column(str(_l("WhatsApp"))), Column(str(_l("Gender"))),
        Column(str(_l("Birth date")), "date"), Column(str(_l("Age")), "int", width=7),
        Column(str(_l("Nationality"))), Column(str(_l("Country"))), Column(str(_l("City"))),
        Column(str(_l("Headline"))), Column(str(_l("Current position"))), Column(str(_l("Company"))),
        Column(str(_l("Years of experience")), "int"), Column(str(_l("Skills")), width=40),
        Column(str(_l("Languages")), width=30), Column(str(_l("Availability"))), Column(str(_l("Work mode"))),
        Column(str(_l("Rate from")), "int"), Column(str(_l("Rate to")), "int"), Column(str(_l("Currency")), width=9),
        Column(str(_l("Rate unit"))), Column(str(_l("Profile score")), "int"), Column(str(_l("Photo")), "bool", width=8),
        Column(str(_l("CV")), "bool", width=7), Column(str(_l("Active")), "bool", width=8),
        Column(str(_l("Account"))), Column(str(_l("Source"))),
        Column(str(_l("Created")), "datetime"), Column(str(_l("Updated")), "datetime"),
    ]


def _profile_statement(selection: Selection, locale: str) -> Select:
    nationality, country, city = aliased(Country), aliased(Country), aliased(City)
    stmt = (
        select(Profile.id, Profile.code, Profile.first_name, Profile.last_name, Profile.email, Profile.phone,
               Profile.whatsapp, Profile.gender, Profile.birth_date, _country_name(nationality, locale),
               _country_name(country, locale), city.name, Profile.headline, Profile.current_position,
               Profile.current_company, Profile.years_experience, Profile.availability, Profile.work_mode,
               Profile.rate_min, Profile.rate_max, Profile.rate_currency, Profile.rate_unit, Profile.profile_score,
               Profile.photo_file_id, Profile.cv_file_id, Profile.is_active, Profile.user_id, Profile.source,
               Profile.created_at, Profile.updated_at)
        .select_from(Profile)
        .outerjoin(nationality, nationality.id == Profile.nationality_id)
        .outerjoin(country, country.id == func.coalesce(Profile.residence_country_id, Profile.origin_country_id))
        .outerjoin(city, city.id == func.coalesce(Profile.residence_city_id, Profile.origin_city_id))
    )
    return apply_selection(stmt, selection, (Profile.id,))


def _skills_statement(selection: Selection, locale: str) -> Select:
    name = _skill_name(locale)
    # "Python (4/5)" made by the database: one string per item, no formatting in Python.
    label = name + " (" + cast(ProfileSkill.level, String) + "/5)"
    stmt = (select(Profile.id, label).select_from(Profile)
            .join(ProfileSkill, ProfileSkill.profile_id == Profile.id).join(Skill, Skill.id == ProfileSkill.skill_id))
    stmt = apply_selection(stmt, selection, (Profile.id,))
    return stmt.order_by(ProfileSkill.level.desc(), name)


def _languages_statement(selection: Selection) -> Select:
    stmt = (select(Profile.id, ProfileLanguage.code, ProfileLanguage.level).select_from(Profile)
            .join(ProfileLanguage, ProfileLanguage.profile_id == Profile.id))
    stmt = apply_selection(stmt, selection, (Profile.id,))
    return stmt.order_by(ProfileLanguage.position, ProfileLanguage.code)


def _language_renderer(ctx: Context) -> Callable:
    names, levels = ctx.labels["language"], ctx.labels["language_level"]
    return lambda row: f"{names.get(row[1], row[1])} ({levels.get(row[2], row[2])})"


def profile_rows(conn: Connection, selection: Selection, ctx: Context) -> Iterator[tuple]:
    return map(itemgetter(2), profile_records(conn, selection, ctx))


def profile_records(conn: Connection, selection: Selection, ctx: Context) -> Iterator[tuple[int, date | None, tuple]]:
    """(profile id, birth date, the export row) for each profile selected: the id and the
    birth date let a CSV line be kept for that person (export_lines.py) until their birthday."""
    labels = ctx.labels
    gender, availability, work_mode = labels["gender"], labels["availability"], labels["work_mode"]
    rate_unit, source = labels["rate_unit"], labels["source"]
    account_kinds = labels["account"]
    skills = Lists(stream_rows(conn, _skills_statement(selection, ctx.locale)), itemgetter(1), selection.by_id)
    languages = Lists(stream_rows(conn, _languages_statement(selection)), _language_renderer(ctx), selection.by_id)
    base, today = ctx.profile_url, ctx.today
    day, stamp = converters(conn, ctx)
    for row in stream_rows(conn, _profile_statement(selection, ctx.locale)):
        (pid, code, first, last, email, phone, whatsapp, sex, born, nationality, country, city, headline, position,
         company, years, avail, mode, rate_min, rate_max, currency, unit, score, photo, cv, active, user_id, origin,
         created, updated) = row
        born, created, updated = day(born), stamp(created), stamp(updated)
        yield pid, born, (
            code, (f"{base}{pid}", code or f"#{pid}"), first, last, email, phone, whatsapp, gender.get(sex), born,
            _age(born, today), nationality, country, city, headline, position, company, years, skills.take(pid),
            languages.take(pid), availability.get(avail), work_mode.get(mode), rate_min, rate_max, currency,
            rate_unit.get(unit), score, photo is not None, cv is not None, active, account_kinds[user_id is not None],
            source.get(origin), created, updated)


def count_profiles(session, selection: Selection) -> int:
    stmt = select(func.count(Profile.id)).select_from(Profile)
    for target, onclause in selection.joins:
        stmt = stmt.join(target, onclause)
    return session.scalar(stmt.where(*selection.conditions)) or 0


# Cinema talents ------------------------------------------------------------------------------

def cinema_columns() -> list[Column]:
    return [
        Column(str(_l("Cinema code")), width=16), Column(str(_l("Code")), width=14),
        Column(str(_l("Profile")), "link", width=14), Column(str(_l("First name"))), Column(str(_l("Last name"))),
        Column(str(_l("Gender"))), Column(str(_l("Birth date")), "date"), Column(str(_l("Age")), "int", width=7),
        Column(str(_l("Height (cm)")), "int"), Column(str(_l("Eye colour"))), Column(str(_l("Hair colour"))),
        Column(str(_l("Hair type"))), Column(str(_l("Skin tone"))), Column(str(_l("Build"))),
        Column(str(_l("Talent types")), width=30), Column(str(_l("Other talents")), width=30),
        Column(str(_l("Languages")), width=30), Column(str(_l("Years of experience")), "int"),
        Column(str(_l("Previous productions")), width=40), Column(str(_l("Country"))), Column(str(_l("City"))),
        Column(str(_l("Email"))), Column(str(_l("Phone"))), Column(str(_l("Photo")), "bool", width=8),
        Column(str(_l("Active")), "bool", width=8), Column(str(_l("Created")), "datetime"),
    ]


def _cinema_statement(selection: Selection, locale: str) -> Select:
    country, city = aliased(Country), aliased(City)
    eye, hair, hair_type, skin, build = (aliased(ListValue) for _ in range(5))
    stmt = (
        select(CinemaProfile.id, CinemaProfile.cinema_code, Profile.id, Profile.code, Profile.first_name,
               Profile.last_name, Profile.gender, Profile.birth_date, CinemaProfile.height_cm,
               _value_name(eye, locale), _value_name(hair, locale), _value_name(hair_type, locale),
               _value_name(skin, locale), _value_name(build, locale), Profile.years_experience,
               CinemaProfile.previous_productions, _country_name(country, locale), city.name, Profile.email,
               Profile.phone, Profile.photo_file_id, Profile.is_active, CinemaProfile.created_at)
        .select_from(CinemaProfile).join(Profile, Profile.id == CinemaProfile.profile_id)
        .outerjoin(eye, eye.id == CinemaProfile.eye_color_id).outerjoin(hair, hair.id == CinemaProfile.hair_color_id)
        .outerjoin(hair_type, hair_type.id == CinemaProfile.hair_type_id)
        .outerjoin(skin, skin.id == CinemaProfile.skin_tone_id).outerjoin(build, build.id == CinemaProfile.build_id)
        .outerjoin(country, country.id == func.coalesce(Profile.residence_country_id, Profile.origin_country_id))
        .outerjoin(city, city.id == func.coalesce(Profile.residence_city_id, Profile.origin_city_id))
    )
    return apply_selection(stmt, selection, (CinemaProfile.id,))


def _cinema_skills_statement(link_table, selection: Selection, locale: str) -> Select:
    name = _skill_name(locale)
    stmt = (select(CinemaProfile.id, name).select_from(CinemaProfile)
            .join(Profile, Profile.id == CinemaProfile.profile_id)
            .join(link_table, link_table.c.cinema_id == CinemaProfile.id).join(Skill, Skill.id == link_table.c.skill_id))
    return apply_selection(stmt, selection, (CinemaProfile.id,)).order_by(name)


def _cinema_languages_statement(selection: Selection) -> Select:
    stmt = (select(CinemaProfile.id, ProfileLanguage.code, ProfileLanguage.level).select_from(CinemaProfile)
            .join(Profile, Profile.id == CinemaProfile.profile_id)
            .join(ProfileLanguage, ProfileLanguage.profile_id == Profile.id))
    return apply_selection(stmt, selection, (CinemaProfile.id,)).order_by(ProfileLanguage.position, ProfileLanguage.code)


ID_CHUNK = 1000


def cinema_rows(conn: Connection, selection: Selection, ctx: Context) -> Iterator[tuple]:
    if selection.ids is None:
        for _key, row in _cinema_rows(conn, selection, ctx):
            yield row
        return
    for start in range(0, len(selection.ids), ID_CHUNK):
        chunk = selection.ids[start:start + ID_CHUNK]
        found = dict(_cinema_rows(conn, Selection(conditions=(CinemaProfile.id.in_(chunk),)), ctx))
        for cinema_id in chunk:
            if cinema_id in found:  # gone since the search: skipped
                yield found[cinema_id]


def _cinema_rows(conn: Connection, selection: Selection, ctx: Context) -> Iterator[tuple[int, tuple]]:
    gender = ctx.labels["gender"]
    name = lambda row: row[1]  # noqa: E731
    types = Lists(stream_rows(conn, _cinema_skills_statement(cinema_talent_types, selection, ctx.locale)), name,
                  selection.by_id)
    others = Lists(stream_rows(conn, _cinema_skills_statement(cinema_other_talents, selection, ctx.locale)), name,
                   selection.by_id)
    languages = Lists(stream_rows(conn, _cinema_languages_statement(selection)), _language_renderer(ctx), selection.by_id)
    base, today = ctx.profile_url, ctx.today
    day, stamp = converters(conn, ctx)
    for row in stream_rows(conn, _cinema_statement(selection, ctx.locale)):
        (cid, cinema_code, pid, code, first, last, sex, born, height, eye, hair, hair_type, skin, build, years,
         productions, country, city, email, phone, photo, active, created) = row
        born, created = day(born), stamp(created)
        yield cid, (cinema_code, code, (f"{base}{pid}", code or f"#{pid}"), first, last, gender.get(sex), born,
               _age(born, today), height, eye, hair, hair_type, skin, build, types.take(cid), others.take(cid),
               languages.take(cid), years, productions, country, city, email, phone, photo is not None, active,
               created)


def count_cinema(session, selection: Selection) -> int:
    if selection.ids is not None:
        return len(selection.ids)
    stmt = select(func.count(CinemaProfile.id)).select_from(CinemaProfile).join(Profile,
                                                                                  Profile.id == CinemaProfile.profile_id)
    for target, onclause in selection.joins:
        stmt = stmt.join(target, onclause)
    return session.scalar(stmt.where(*selection.conditions)) or 0


# A project's shortlist: its assignments with their stage and codes ---------------------------

def shortlist_columns() -> list[Column]:
    return [
        Column(str(_l("Assignment code")), width=14), Column(str(_l("Role"))), Column(str(_l("Stage"))),
        Column(str(_l("Stage since")), "datetime"), Column(str(_l("Cinema code")), width=16),
        Column(str(_l("Code")), width=14), Column(str(_l("Profile")), "link", width=14),
        Column(str(_l("First name"))), Column(str(_l("Last name"))), Column(str(_l("Gender"))),
        Column(str(_l("Age")), "int", width=7), Column(str(_l("Height (cm)")), "int"),
        Column(str(_l("Talent types")), width=30), Column(str(_l("Languages")), width=30),
        Column(str(_l("Country"))), Column(str(_l("City"))), Column(str(_l("Email"))), Column(str(_l("Phone"))),
        Column(str(_l("Assigned on")), "datetime"), Column(str(_l("Notes")), width=40),
    ]


def shortlist_selection(project_id: int) -> Selection:
    return Selection(conditions=(Assignment.project_id == project_id,), order=(Assignment.id,), by_id=True)


def _shortlist_statement(selection: Selection, locale: str) -> Select:
    country, city = aliased(Country), aliased(City)
    stage_since = (select(func.max(AssignmentEvent.created_at)).where(AssignmentEvent.assignment_id == Assignment.id)
                   .correlate(Assignment).scalar_subquery())
    stmt = (
        select(Assignment.id, Assignment.code, ProjectRole.name, Assignment.stage, stage_since, CinemaProfile.cinema_code,
               Profile.id, Profile.code, Profile.first_name, Profile.last_name, Profile.gender, Profile.birth_date,
               CinemaProfile.height_cm, _country_name(country, locale), city.name, Profile.email, Profile.phone,
               Assignment.created_at, Assignment.notes)
        .select_from(Assignment).join(ProjectRole, ProjectRole.id == Assignment.role_id)
        .join(Profile, Profile.id == Assignment.profile_id)
        .outerjoin(CinemaProfile, CinemaProfile.profile_id == Profile.id)
        .outerjoin(country, country.id == func.coalesce(Profile.residence_country_id, Profile.origin_country_id))
        .outerjoin(city, city.id == func.coalesce(Profile.residence_city_id, Profile.origin_city_id))
    )
    return apply_selection(stmt, selection, (Assignment.id,))


def _shortlist_types_statement(selection: Selection, locale: str) -> Select:
    name = _skill_name(locale)
    stmt = (select(Assignment.id, name).select_from(Assignment)
            .join(CinemaProfile, CinemaProfile.profile_id == Assignment.profile_id)
            .join(cinema_talent_types, cinema_talent_types.c.cinema_id == CinemaProfile.id)
            .join(Skill, Skill.id == cinema_talent_types.c.skill_id))
    return apply_selection(stmt, selection, (Assignment.id,)).order_by(name)


def _shortlist_languages_statement(selection: Selection) -> Select:
    stmt = (select(Assignment.id, ProfileLanguage.code, ProfileLanguage.level).select_from(Assignment)
            .join(ProfileLanguage, ProfileLanguage.profile_id == Assignment.profile_id))
    return apply_selection(stmt, selection, (Assignment.id,)).order_by(ProfileLanguage.position, ProfileLanguage.code)


def shortlist_rows(conn: Connection, selection: Selection, ctx: Context) -> Iterator[tuple]:
    gender, stage = ctx.labels["gender"], ctx.labels["stage"]
    types = Lists(stream_rows(conn, _shortlist_types_statement(selection, ctx.locale)), lambda row: row[1],
                  selection.by_id)
    languages = Lists(stream_rows(conn, _shortlist_languages_statement(selection)), _language_renderer(ctx),
                      selection.by_id)
    base, today = ctx.profile_url, ctx.today
    day, stamp = converters(conn, ctx)
    for row in stream_rows(conn, _shortlist_statement(selection, ctx.locale)):
        (aid, code, role, stage_key, since, cinema_code, pid, profile_code, first, last, sex, born, height, country,
         city, email, phone, assigned, notes) = row
        born, since, assigned = day(born), stamp(since), stamp(assigned)
        yield (code, role, stage.get(stage_key, stage_key), since or assigned, cinema_code, profile_code,
               (f"{base}{pid}", profile_code or f"#{pid}"), first, last, gender.get(sex), _age(born, today), height,
               types.take(aid), languages.take(aid), country, city, email, phone, assigned, notes)


def count_shortlist(session, selection: Selection) -> int:
    return session.scalar(select(func.count(Assignment.id)).where(*selection.conditions)) or 0


@dataclass(frozen=True)
class Source:
    """An export kind: its sheet name, columns, rows and count."""

    sheet: object  # a lazy translation
    columns: Callable[[], Sequence[Column]]
    rows: Callable[[Connection, Selection, Context], Iterator[tuple]]
    count: Callable[[object, Selection], int]


SOURCES = {
    "users": Source(_l("Profiles"), profile_columns, profile_rows, count_profiles),
    "directory": Source(_l("Profiles"), profile_columns, profile_rows, count_profiles),
    "cinema": Source(_l("Cinema talents"), cinema_columns, cinema_rows, count_cinema),
    "casting": Source(_l("Cinema talents"), cinema_columns, cinema_rows, count_cinema),
    "shortlist": Source(_l("Project shortlist"), shortlist_columns, shortlist_rows, count_shortlist),
}
